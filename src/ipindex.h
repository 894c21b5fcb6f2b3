/* SPDX-License-Identifier: ISC */
/*
 * ipindex.h -- the daemon's compact copy of the black and white lists,
 * IPv4 and IPv6, for the query path.
 *
 * Per list, family and prefix length, a sorted array of the entries and
 * a directory on the top bits of their keys, so that a lookup reads two
 * or three cache lines per prefix length in use instead of descending a
 * B-tree of the database's pages:
 *
 *   IPv4   one 64-bit word per entry, (address << 16 | info), in address
 *          order, the directory on the top address bits: 8 bytes an
 *          entry, and up to 1 more for the directory.
 *   IPv6   the key of a prefix of 64 bits or less is its top 64 bits
 *          multiplied by an odd constant (a bijection, so nothing is
 *          lost, and the top bits of the products are spread evenly
 *          however the addresses cluster); a longer prefix's key is two
 *          words, the low half and the high half mixed with it the same
 *          way. Keys are sorted as numbers, the info in an array beside
 *          them: 10 bytes an entry of /64 or shorter, 18 bytes a longer
 *          one, and up to 1 more for the directory (ipindex6.h).
 *
 * A lookup costs one search per prefix length in use in that list and
 * family, longest first, down to the first hit: a directory slot and the
 * few keys it points to. The lengths in use are kept in a short list, so
 * that a family with a few lengths (/32 and /24; /48, /64 and /128)
 * costs a few searches whatever the others hold.
 *
 * Changes are held in a small hash table beside the arrays (4096 of both
 * families together at most; 96 KB for IPv4 and 192 KB for IPv6 once a
 * change of that family has come) and merged into them in one pass when
 * it is full, so that a change costs a hash insertion, not a copy of an
 * array of millions of entries.
 *
 * info is an index into the table of the distinct (flags, code) pairs
 * of the entries, or IPX_DETAIL: "look in the database" (an entry that
 * expires, or one more pair than the table holds). Exclusions are
 * entries like the others, their flag in the pair: the longest prefix is
 * found whatever it says, and the caller decides.
 *
 * The store keeps the copy in step with the database through its journal
 * of changes (store_journal.c) and builds it (store_index.c); this
 * module knows nothing of LMDB and never logs. Memory comes from the
 * x* allocators (util.h), which end the program when there is none.
 */
#ifndef IPINDEX_H
#define IPINDEX_H

#include <stddef.h>
#include <stdint.h>

#define IPX_LISTS	2	/* LIST_BLACK, LIST_WHITE */
#define IPX_LENS	33	/* IPv4 prefix lengths 0-32 */
#define IPX_LENS6	129	/* IPv6 prefix lengths 0-128 */
#define IPX_INFO_MAX	256	/* distinct (flags, code) pairs */
#define IPX_DETAIL	0xffff

struct ipindex;

/* An IPv6 address: its top and bottom 64 bits, in host order. */
struct ipx6 {
	uint64_t	 hi, lo;
};

/*
 * One change: (list, len, address) now has info, or is gone (del). The
 * address is addr (IPv4, host order) or, when v6 is set, addr6; bits
 * past len are ignored.
 */
struct ipx_change {
	uint32_t	 addr;
	struct ipx6	 addr6;
	uint8_t		 v6;
	uint8_t		 list;
	uint8_t		 len;
	uint8_t		 del;
	uint16_t	 info;
	uint32_t	 seq;		/* order of the changes: last wins */
};

/* A new, empty copy; ipx_free() frees it (NULL is allowed). */
struct ipindex	*ipx_new(void);
void		 ipx_free(struct ipindex *);

/*
 * The info of an entry with FLAGS, CODE and EXPIRES (0: never): the
 * index of the pair in the copy's table (added if new), or IPX_DETAIL
 * when the entry expires or the table is full.
 */
uint16_t	 ipx_info(struct ipindex *, uint32_t flags, uint32_t code,
		    int64_t expires);
/* The pair behind INFO (zeros for IPX_DETAIL or an unknown info). */
void		 ipx_info_get(const struct ipindex *, uint16_t info,
		    uint32_t *flags, uint32_t *code);

/*
 * Building. Before the first append of (LIST, LEN), ipx_reserve() or
 * ipx_reserve6() may make room for about N entries of it, which saves
 * growing and copying the array. Then append entries in any order
 * (IPv4 in address order is cheapest: no sort); a later duplicate of
 * (list, len, address) replaces the earlier one; bits past LEN are
 * ignored; an out of range LIST or LEN is ignored.
 *
 * Then, once, before the first lookup or change: ipx_finish() sorts what
 * must be and makes the directories, in time linear in the entries for
 * IPv4 in address order and for IPv6 (a counting sort: some 100 ms at
 * 10^6 IPv6 entries). ipx_finish_step() does the same in steps of about
 * MAX units of work each (a unit is about what the build spends reading
 * an entry from the database; IPv4 is done in the first step): it
 * returns 1 while there is more to do, then 0 (and 0 again after).
 * No append may come between the steps.
 */
void		 ipx_reserve(struct ipindex *, int list, int len, size_t n);
void		 ipx_reserve6(struct ipindex *, int list, int len, size_t n);
void		 ipx_append(struct ipindex *, int list, int len, uint32_t addr,
		    uint16_t info);
void		 ipx_append6(struct ipindex *, int list, int len,
		    struct ipx6 addr, uint16_t info);
void		 ipx_finish(struct ipindex *);
int		 ipx_finish_step(struct ipindex *, size_t max);

/*
 * The longest prefix of LIST that contains ADDR (IPv4 in host order, or
 * IPv6) and is no longer than MAXLEN: returns 1 with *LEN and *INFO set,
 * or 0. A caller that finds IPX_DETAIL, or an entry the database says
 * has expired, asks again with MAXLEN one less than *LEN.
 */
int		 ipx_lookup(const struct ipindex *, int list, uint32_t addr,
		    int maxlen, int *len, uint16_t *info);
int		 ipx_lookup6(const struct ipindex *, int list, struct ipx6 addr,
		    int maxlen, int *len, uint16_t *info);

/*
 * Ask the CPU for the cache lines that a lookup of ADDR will read, in
 * every list, without waiting for them: STAGE 0 the directory slots,
 * stage 1 the entries they point to (which reads the slots: so stage 0
 * for a whole batch of addresses first, then stage 1, then the lookups).
 */
void		 ipx_prefetch(const struct ipindex *, uint32_t addr, int stage);
void		 ipx_prefetch6(const struct ipindex *, struct ipx6 addr,
		    int stage);

/*
 * Apply the N changes C (of either family, in their order: the last one
 * for an entry wins); their addresses are masked in place. When the
 * hash table would pass its bound, it is merged with C into the arrays:
 * a pass over each array that a change touches.
 */
void		 ipx_apply(struct ipindex *, struct ipx_change *c, size_t n);

/* The entries held (both families), and the bytes of memory they take. */
size_t		 ipx_count(const struct ipindex *);
size_t		 ipx_bytes(const struct ipindex *);

#endif /* IPINDEX_H */
