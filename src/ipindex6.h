/* SPDX-License-Identifier: ISC */
/*
 * ipindex6.h -- the IPv6 tables of the compact copy of the lists
 * (ipindex.h): the entries of one list and prefix length each. Internal
 * to ipindex.c, which keeps one per list and length and answers the
 * lookups, and ipindex6.c, which builds, sorts and merges them. Pure: no
 * LMDB, no logging; memory from the x* allocators (util.h).
 *
 * A table holds keys, not addresses. The key of a prefix of 64 bits or
 * less is one word, its top 64 bits multiplied by an odd constant; the
 * key of a longer one is two words, the top half mixed with the bottom
 * one likewise, and the bottom one (ipx6_key). Both are bijections, so
 * that equal keys are equal prefixes; and the top bits of the first word
 * depend on every bit of the prefix, so that a directory on them holds
 * about DIR_LOAD keys a slot even where the addresses share their first
 * 20 or 30 bits, as those of one region or provider do. Only equality
 * is asked of the keys: the longest prefix is found length by length.
 *
 * Keys are sorted as numbers (the first word, then the second), the
 * info of key i in info[i]; dir[b] is the index of the first key whose
 * top `bits' bits are >= b. An entry takes 10 bytes (one word) or 18
 * (two), and the directory at most 1 more (DIR_LOAD keys a slot, 4
 * bytes a slot).
 */
#ifndef IPINDEX6_H
#define IPINDEX6_H

#include <stddef.h>
#include <stdint.h>

#include "ipindex.h"

#define IPX6_DIR_LOAD	4	/* keys per directory slot, about */
#define IPX6_DIR_BITS	24	/* at most: 2^26 keys at DIR_LOAD */
/* Odd constants: multiplying by one is a bijection of the 64-bit words. */
#define IPX6_MIX_HI	0x9e3779b97f4a7c15ULL
#define IPX6_MIX_LO	0xff51afd7ed558ccdULL

struct ipx_table6 {
	uint64_t	*k;		/* n keys of 1 + wide words */
	uint16_t	*info;		/* n */
	size_t		 n, cap;
	uint32_t	*dir;		/* (1 << bits) + 1 slots, or NULL */
	unsigned	 bits;
	unsigned	 wide;		/* prefixes longer than 64 bits */
};

/* A change to merge into a table: its key, and what it says. */
struct ipx_change6 {
	uint64_t	 k[2];
	uint32_t	 seq;		/* the order of the changes */
	uint16_t	 info;
	uint8_t		 list, len, del;
};

/* A with the bits past LEN cleared. */
static inline struct ipx6
ipx6_mask(struct ipx6 a, int len)
{
	if (len <= 64) {
		a.hi = len == 0 ? 0 : a.hi & (~0ULL << (64 - len));
		a.lo = 0;
	} else if (len < 128)
		a.lo &= ~0ULL << (128 - len);
	return a;
}

/* The key K of the masked prefix M in a table of WIDE keys. */
static inline void
ipx6_key(struct ipx6 m, unsigned wide, uint64_t k[2])
{
	if (!wide) {
		k[0] = m.hi * IPX6_MIX_HI;
		k[1] = 0;
	} else {
		k[0] = (m.hi ^ m.lo * IPX6_MIX_LO) * IPX6_MIX_HI;
		k[1] = m.lo;
	}
}

/*
 * The directory slot of a key whose first word is K0, in T: its top
 * bits (none when bits is 0, without a branch).
 */
static inline size_t
ipx6_slot(const struct ipx_table6 *t, uint64_t k0)
{
	return (size_t)(k0 >> 1 >> (63 - t->bits));
}

/*
 * The index of key K in T (sorted, not empty), or -1: ipx6_find1() for
 * a table of one-word keys, ipx6_find2() for two. A slot holds a few
 * keys (4 to 8 but for chance): they are read in turn, which is fewer
 * instructions and mispredicted branches than halving, after halving
 * down to 8 should the slot be larger.
 */
static inline ptrdiff_t
ipx6_find1(const struct ipx_table6 *t, uint64_t k)
{
	size_t b = ipx6_slot(t, k), lo = t->dir[b], hi = t->dir[b + 1], mid;

	while (hi - lo > 8) {		/* keep the first key >= k */
		mid = lo + (hi - lo) / 2;
		if (t->k[mid] < k)
			lo = mid + 1;
		else
			hi = mid + 1;
	}
	while (lo < hi && t->k[lo] < k)
		lo++;
	return lo < hi && t->k[lo] == k ? (ptrdiff_t)lo : -1;
}

static inline ptrdiff_t
ipx6_find2(const struct ipx_table6 *t, const uint64_t k[2])
{
	size_t b = ipx6_slot(t, k[0]), lo = t->dir[b], hi = t->dir[b + 1];
	size_t mid;
	const uint64_t *m;

	while (hi - lo > 8) {
		mid = lo + (hi - lo) / 2;
		m = &t->k[2 * mid];
		if (m[0] < k[0] || (m[0] == k[0] && m[1] < k[1]))
			lo = mid + 1;
		else
			hi = mid + 1;
	}
	for (; lo < hi; lo++) {
		m = &t->k[2 * lo];
		if (m[0] > k[0] || (m[0] == k[0] && m[1] >= k[1]))
			break;
	}
	return lo < hi && t->k[2 * lo] == k[0] && t->k[2 * lo + 1] == k[1] ?
	    (ptrdiff_t)lo : -1;
}

/* The index of key K in T (sorted, not empty), or -1. */
static inline ptrdiff_t
ipx6_find(const struct ipx_table6 *t, const uint64_t k[2])
{
	return t->wide ? ipx6_find2(t, k) : ipx6_find1(t, k[0]);
}

/*
 * Building: ipx6_reserve() makes room for N entries in T (empty, never
 * reserved); ipx6_append() adds key K with INFO at the end, growing T if
 * needed.
 *
 * Then ipx6_sort_step() sorts T (not empty), keeps the last appended of
 * equal keys and makes the directory: in place but for 4 bytes an entry
 * while it runs, in time linear in the entries (a counting sort on the
 * directory slot, then the few keys of each slot by insertion), and in
 * steps: each call does at most about *BUDGET units of work (a unit is
 * about what reading an entry of the database costs the build: the
 * counting of 8 entries, 4 swaps, the sorting of 8), takes them off
 * *BUDGET, and returns 1 when T is not sorted yet (*BUDGET is then 0), 0
 * when it is. S holds the work between the calls: zeroed before the
 * first, and zero again when the table is sorted; ipx6_sort_clear()
 * frees what it holds of a sort left unfinished.
 */
struct ipx6_sort {
	uint32_t	*start;		/* slot b: start[b] .. start[b + 1] */
	uint32_t	*next;		/* the next entry to place in slot b */
	uint32_t	*pos;		/* the order of append of each entry */
	size_t		 slots, i, b, o;
	int		 phase;
};

void		 ipx6_reserve(struct ipx_table6 *t, size_t n);
void		 ipx6_append(struct ipx_table6 *t, const uint64_t k[2],
		    uint16_t info);
int		 ipx6_sort_step(struct ipx_table6 *t, struct ipx6_sort *s,
		    size_t *budget);
void		 ipx6_sort_clear(struct ipx6_sort *s);

/*
 * Merge the N changes C into the tables T[list][len] (sorted) that they
 * name: the last change of a key (by seq) wins; a deletion of a key a
 * table lacks is nothing. C is sorted here. A pass over each table that
 * a change names, into new arrays; a table is freed when nothing is
 * left.
 */
void		 ipx6_merge(struct ipx_table6 t[][IPX_LENS6],
		    struct ipx_change6 *c, size_t n);

/* Free the arrays of T, which stays a table of its width. */
void		 ipx6_free(struct ipx_table6 *t);
/* The bytes the arrays of T take. */
size_t		 ipx6_bytes(const struct ipx_table6 *t);

/*
 * Memory for N words that lookups read at random: from ipindex.c, for
 * the arrays of both families (aligned for transparent huge pages when
 * large). Freed with free().
 */
uint64_t	*ipx_words_alloc(size_t n);

#endif /* IPINDEX6_H */
