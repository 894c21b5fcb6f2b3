/* SPDX-License-Identifier: ISC */
/*
 * ipindex.c -- the compact copy of the lists for the query path
 * (ipindex.h).
 *
 * An IPv4 table holds the entries of one list and prefix length as words
 * (address << 16 | info), sorted, so that the word order is the address
 * order. dir[b] is the index of the first word whose address has its
 * top `bits' bits >= b; a lookup searches dir[b] .. dir[b + 1] only,
 * about four words when bits is chosen for the size (DIR_LOAD).
 *
 * The IPv6 tables are ipindex6.c's (ipindex6.h): keys made from the
 * addresses, sorted, with a directory likewise; this file keeps one per
 * list and length, and looks them up as it does the IPv4 ones.
 *
 * Changes first go to the delta, a small hash table beside the arrays
 * (an entry with its new info, or a deletion that hides the array's
 * entry), so that one change costs a hash insertion, not a copy of a
 * table of millions of words. A lookup looks in the delta before the
 * array of each length. When the delta would pass DELTA_MAX changes,
 * it is merged into the arrays with the new ones in one pass.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ipindex.h"
#include "ipindex6.h"
#include "util.h"

#define DIR_LOAD	4	/* words per directory slot, about */
#define DIR_BITS_MAX	16
#define DELTA_MAX	4096	/* changes held in the delta, both families */
#define DELTA_BITS	13
#define DELTA_SLOTS	(1U << DELTA_BITS)	/* each family's hash table */

struct ipx_table {
	uint64_t	*w;		/* words, sorted once finished */
	size_t		 n, cap;
	uint32_t	*dir;		/* (1 << bits) + 1 slots */
	unsigned	 bits;
	int		 unsorted;	/* appended out of order */
	int		 placed;	/* w from ipx_words_alloc, not grown */
};

struct ipx_pair {
	uint32_t	 flags, code;
};

struct ipx_slot {
	uint32_t	 addr;
	uint8_t		 used, list, len, del;
	uint16_t	 info;
};

struct ipx_slot6 {
	struct ipx6	 a;		/* masked */
	uint8_t		 used, list, len, del;
	uint16_t	 info;
};

/*
 * An IPv6 length in use in a list, with what a lookup needs of it at
 * hand (lens_update() makes them): its masks, its table, and whether the
 * delta holds changes of it.
 */
struct ipx_probe6 {
	uint64_t	 mhi, mlo;
	const struct ipx_table6 *t;
	uint8_t		 len, delta;
};

struct ipindex {
	struct ipx_table t[IPX_LISTS][IPX_LENS];
	/* the lengths with entries, longest first */
	uint8_t		 lens[IPX_LISTS][IPX_LENS];
	int		 nlens[IPX_LISTS];
	struct ipx_pair	 pair[IPX_INFO_MAX];
	size_t		 npair;
	size_t		 last;		/* the pair found last */
	struct ipx_slot	*delta;		/* DELTA_SLOTS, or NULL */
	size_t		 ndelta;	/* in delta and delta6 */
	uint32_t	 dlens[IPX_LISTS][IPX_LENS];	/* delta slots */
	/* the same for IPv6 (ipindex6.h) */
	struct ipx_table6 t6[IPX_LISTS][IPX_LENS6];
	struct ipx_probe6 lens6[IPX_LISTS][IPX_LENS6];	/* longest first */
	int		 nlens6[IPX_LISTS];
	struct ipx_slot6 *delta6;
	uint32_t	 dlens6[IPX_LISTS][IPX_LENS6];
	/* ipx_finish_step(): where it is */
	int		 fin_started, fin_done;
	int		 fin_list, fin_len;	/* the IPv6 table it sorts */
	struct ipx6_sort fin;
};

#define WORD(a, info)	((uint64_t)(a) << 16 | (info))
#define WADDR(w)	((uint32_t)((w) >> 16))
#define WINFO(w)	((uint16_t)((w) & 0xffff))

static uint32_t
mask(uint32_t a, int len)
{
	return len == 0 ? 0 : a & (0xffffffffU << (32 - len));
}

struct ipindex *
ipx_new(void)
{
	struct ipindex *ix = xcalloc(1, sizeof(struct ipindex));
	int l, len;

	for (l = 0; l < IPX_LISTS; l++)
		for (len = 65; len < IPX_LENS6; len++)
			ix->t6[l][len].wide = 1;
	return ix;
}

static void
table_free(struct ipx_table *t)
{
	free(t->w);
	free(t->dir);
	memset(t, 0, sizeof(*t));
}

void
ipx_free(struct ipindex *ix)
{
	int l, len;

	if (ix == NULL)
		return;
	for (l = 0; l < IPX_LISTS; l++) {
		for (len = 0; len < IPX_LENS; len++)
			table_free(&ix->t[l][len]);
		for (len = 0; len < IPX_LENS6; len++)
			ipx6_free(&ix->t6[l][len]);
	}
	free(ix->delta);
	free(ix->delta6);
	ipx6_sort_clear(&ix->fin);
	free(ix);
}

uint16_t
ipx_info(struct ipindex *ix, uint32_t flags, uint32_t code, int64_t expires)
{
	size_t i;

	if (expires != 0)
		return IPX_DETAIL;
	if (ix->npair > 0 && ix->pair[ix->last].flags == flags &&
	    ix->pair[ix->last].code == code)
		return (uint16_t)ix->last;
	for (i = 0; i < ix->npair; i++)
		if (ix->pair[i].flags == flags && ix->pair[i].code == code)
			break;
	if (i == ix->npair) {
		if (ix->npair == IPX_INFO_MAX)
			return IPX_DETAIL;
		ix->pair[ix->npair].flags = flags;
		ix->pair[ix->npair].code = code;
		ix->npair++;
	}
	ix->last = i;
	return (uint16_t)i;
}

void
ipx_info_get(const struct ipindex *ix, uint16_t info, uint32_t *flags,
    uint32_t *code)
{
	*flags = info < ix->npair ? ix->pair[info].flags : 0;
	*code = info < ix->npair ? ix->pair[info].code : 0;
}

/*
 * Memory for n words that lookups will read at random (ipindex6.h): a
 * large array is aligned and advised for transparent huge pages, so that
 * a lookup does not also miss the TLB (at most one huge page more is
 * taken).
 */
uint64_t *
ipx_words_alloc(size_t n)
{
	return xhugearray(n ? n : 1, sizeof(uint64_t));
}

static void
table_push(struct ipx_table *t, uint64_t w)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->w = xreallocarray(t->w, t->cap, sizeof(*t->w));
		t->placed = 0;
	}
	if (t->n > 0 && WADDR(t->w[t->n - 1]) >= WADDR(w))
		t->unsorted = 1;
	t->w[t->n++] = w;
}

void
ipx_reserve(struct ipindex *ix, int list, int len, size_t n)
{
	struct ipx_table *t;

	if (list < 0 || list >= IPX_LISTS || len < 0 || len >= IPX_LENS ||
	    n == 0 || (t = &ix->t[list][len])->w != NULL)
		return;
	t->w = ipx_words_alloc(n);
	t->cap = n;
	t->placed = 1;
}

void
ipx_append(struct ipindex *ix, int list, int len, uint32_t addr,
    uint16_t info)
{
	if (list < 0 || list >= IPX_LISTS || len < 0 || len >= IPX_LENS)
		return;
	table_push(&ix->t[list][len], WORD(mask(addr, len), info));
}

void
ipx_reserve6(struct ipindex *ix, int list, int len, size_t n)
{
	if (list >= 0 && list < IPX_LISTS && len >= 0 && len < IPX_LENS6)
		ipx6_reserve(&ix->t6[list][len], n);
}

void
ipx_append6(struct ipindex *ix, int list, int len, struct ipx6 addr,
    uint16_t info)
{
	struct ipx_table6 *t;
	uint64_t k[2];

	if (list < 0 || list >= IPX_LISTS || len < 0 || len >= IPX_LENS6)
		return;
	t = &ix->t6[list][len];
	ipx6_key(ipx6_mask(addr, len), t->wide, k);
	ipx6_append(t, k, info);
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Sort t and keep the last of equal addresses. qsort is not stable, so
 * the position goes into the info bits for the sort: words are first
 * made (address << 32 | position), then given their info back.
 */
static void
table_sort(struct ipx_table *t)
{
	uint64_t *tmp;
	size_t i, o;

	if (!t->unsorted)
		return;
	tmp = ipx_words_alloc(t->n);
	for (i = 0; i < t->n; i++)
		tmp[i] = (uint64_t)WADDR(t->w[i]) << 32 | i;
	qsort(tmp, t->n, sizeof(*tmp), u64_cmp);
	for (i = o = 0; i < t->n; i++) {
		if (i + 1 < t->n && tmp[i + 1] >> 32 == tmp[i] >> 32)
			continue;	/* a later duplicate follows */
		tmp[o++] = t->w[tmp[i] & 0xffffffffU];
	}
	free(t->w);
	t->w = tmp;
	t->n = t->cap = o;
	t->unsorted = 0;
	t->placed = 1;
}

/* Move the words of t to memory of their size (ipx_words_alloc). */
static void
table_place(struct ipx_table *t)
{
	uint64_t *w = ipx_words_alloc(t->n);

	memcpy(w, t->w, t->n * sizeof(*w));
	free(t->w);
	t->w = w;
	t->cap = t->n;
	t->placed = 1;
}

/* Rebuild the directory of t (sorted) for its size. */
static void
table_dir(struct ipx_table *t)
{
	size_t slots, i, b;
	unsigned bits = 0;

	while (bits < DIR_BITS_MAX && ((size_t)DIR_LOAD << (bits + 1)) <= t->n)
		bits++;
	slots = (size_t)1 << bits;
	free(t->dir);
	t->dir = xreallocarray(NULL, slots + 1, sizeof(*t->dir));
	t->bits = bits;
	for (i = 0, b = 0; b <= slots; b++) {
		while (i < t->n && bits > 0 &&
		    (size_t)(WADDR(t->w[i]) >> (32 - bits)) < b)
			i++;
		if (bits == 0 && b == 1)
			i = t->n;
		t->dir[b] = (uint32_t)i;
	}
}

static void
lens_update(struct ipindex *ix)
{
	const struct ipx6 all = { ~0ULL, ~0ULL };
	struct ipx_probe6 *p;
	int l, len;

	for (l = 0; l < IPX_LISTS; l++) {
		ix->nlens[l] = 0;
		for (len = IPX_LENS - 1; len >= 0; len--)
			if (ix->t[l][len].n > 0 || ix->dlens[l][len] > 0)
				ix->lens[l][ix->nlens[l]++] = (uint8_t)len;
		ix->nlens6[l] = 0;
		for (len = IPX_LENS6 - 1; len >= 0; len--) {
			if (ix->t6[l][len].n == 0 && ix->dlens6[l][len] == 0)
				continue;
			p = &ix->lens6[l][ix->nlens6[l]++];
			p->len = (uint8_t)len;
			p->mhi = ipx6_mask(all, len).hi;
			p->mlo = ipx6_mask(all, len).lo;
			p->t = &ix->t6[l][len];
			p->delta = ix->dlens6[l][len] > 0;
		}
	}
}

static size_t
slot_hash(int list, int len, uint32_t a)
{
	uint32_t h = (a ^ (uint32_t)len << 24 ^ (uint32_t)list << 30) *
	    2654435761U;

	return (h >> 13) & (DELTA_SLOTS - 1);
}

/* The delta's slot of (list, len, a), or the free slot for it. */
static struct ipx_slot *
slot_find(const struct ipindex *ix, int list, int len, uint32_t a)
{
	struct ipx_slot *s;
	size_t i = slot_hash(list, len, a);

	for (;; i = (i + 1) & (DELTA_SLOTS - 1)) {
		s = &ix->delta[i];
		if (!s->used || (s->addr == a && s->len == len &&
		    s->list == list))
			return s;
	}
}

/* The same for IPv6: the top bits of a product depend on every bit. */
static struct ipx_slot6 *
slot6_find(const struct ipindex *ix, int list, int len, struct ipx6 a)
{
	struct ipx_slot6 *s;
	uint64_t h = (a.hi ^ a.lo * IPX6_MIX_LO ^ (uint64_t)len ^
	    (uint64_t)list << 8) * IPX6_MIX_HI;
	size_t i = (size_t)(h >> (64 - DELTA_BITS));

	for (;; i = (i + 1) & (DELTA_SLOTS - 1)) {
		s = &ix->delta6[i];
		if (!s->used || (s->a.hi == a.hi && s->a.lo == a.lo &&
		    s->len == len && s->list == list))
			return s;
	}
}

/* The IPv4 part of finishing, in one go (appended in order, it is light). */
static void
finish4(struct ipindex *ix)
{
	struct ipx_table *t;
	int l, len;

	for (l = 0; l < IPX_LISTS; l++)
		for (len = 0; len < IPX_LENS; len++) {
			t = &ix->t[l][len];
			if (t->n == 0) {
				table_free(t);
				continue;
			}
			/* reserved for its size: no copy (see store.c) */
			if (t->unsorted)
				table_sort(t);
			else if (!t->placed || t->cap - t->n > t->n / 8 + 64)
				table_place(t);
			table_dir(t);
		}
}

/*
 * The IPv4 tables at the first call, then the IPv6 tables in turn, each
 * sorted in steps (ipx6_sort_step) that share the budget of the call.
 */
int
ipx_finish_step(struct ipindex *ix, size_t max)
{
	struct ipx_table6 *t;

	if (ix->fin_done)
		return 0;
	if (!ix->fin_started) {
		finish4(ix);
		ix->fin_started = 1;
	}
	for (; ix->fin_list < IPX_LISTS; ix->fin_list++, ix->fin_len = 0)
		for (; ix->fin_len < IPX_LENS6; ix->fin_len++) {
			t = &ix->t6[ix->fin_list][ix->fin_len];
			if (t->n == 0)
				ipx6_free(t);
			else if (ipx6_sort_step(t, &ix->fin, &max))
				return 1;
		}
	lens_update(ix);
	ix->fin_done = 1;
	return 0;
}

void
ipx_finish(struct ipindex *ix)
{
	while (ipx_finish_step(ix, SIZE_MAX))
		;
}

/* The word for a (masked) in t, or NULL. */
static const uint64_t *
table_find(const struct ipx_table *t, uint32_t a)
{
	size_t lo, hi, mid;
	uint32_t b = t->bits ? a >> (32 - t->bits) : 0;

	lo = t->dir[b];
	hi = t->dir[b + 1];
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (WADDR(t->w[mid]) < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && WADDR(t->w[lo]) == a ? &t->w[lo] : NULL;
}

int
ipx_lookup(const struct ipindex *ix, int list, uint32_t addr, int maxlen,
    int *len, uint16_t *info)
{
	const struct ipx_slot *s;
	const uint64_t *w;
	uint32_t m;
	int i, l;

	if (list < 0 || list >= IPX_LISTS)
		return 0;
	for (i = 0; i < ix->nlens[list]; i++) {
		l = ix->lens[list][i];
		if (l > maxlen)
			continue;
		m = mask(addr, l);
		if (ix->dlens[list][l] > 0 &&
		    (s = slot_find(ix, list, l, m))->used) {
			if (s->del)
				continue;	/* deleted since the merge */
			*len = l;
			*info = s->info;
			return 1;
		}
		if (ix->t[list][l].n > 0 &&
		    (w = table_find(&ix->t[list][l], m)) != NULL) {
			*len = l;
			*info = WINFO(*w);
			return 1;
		}
	}
	return 0;
}

int
ipx_lookup6(const struct ipindex *ix, int list, struct ipx6 addr,
    int maxlen, int *len, uint16_t *info)
{
	const struct ipx_probe6 *p, *end;
	const struct ipx_table6 *t;
	const struct ipx_slot6 *s;
	struct ipx6 m;
	uint64_t k[2];
	ptrdiff_t i;

	if (list < 0 || list >= IPX_LISTS)
		return 0;
	p = ix->lens6[list];
	for (end = p + ix->nlens6[list]; p < end; p++) {
		if (p->len > maxlen)
			continue;
		m.hi = addr.hi & p->mhi;
		m.lo = addr.lo & p->mlo;
		if (p->delta && (s = slot6_find(ix, list, p->len, m))->used) {
			if (s->del)
				continue;	/* deleted since the merge */
			*len = p->len;
			*info = s->info;
			return 1;
		}
		t = p->t;
		if (t->n == 0)
			continue;
		ipx6_key(m, t->wide, k);
		i = t->wide ? ipx6_find2(t, k) : ipx6_find1(t, k[0]);
		if (i >= 0) {
			*len = p->len;
			*info = t->info[i];
			return 1;
		}
	}
	return 0;
}

void
ipx_prefetch(const struct ipindex *ix, uint32_t addr, int stage)
{
	const struct ipx_table *t;
	size_t lo, hi;
	uint32_t b;
	int list, i;

	for (list = 0; list < IPX_LISTS; list++)
		for (i = 0; i < ix->nlens[list]; i++) {
			t = &ix->t[list][ix->lens[list][i]];
			if (t->n == 0)
				continue;
			b = t->bits ? mask(addr, ix->lens[list][i]) >>
			    (32 - t->bits) : 0;
			if (stage == 0) {
				__builtin_prefetch(&t->dir[b]);
				continue;
			}
			lo = t->dir[b];
			hi = t->dir[b + 1];
			if (lo == hi)
				continue;
			/* the binary search's first word, and both ends */
			__builtin_prefetch(&t->w[lo + (hi - lo) / 2]);
			__builtin_prefetch(&t->w[lo]);
			__builtin_prefetch(&t->w[hi - 1]);
		}
}

void
ipx_prefetch6(const struct ipindex *ix, struct ipx6 addr, int stage)
{
	const struct ipx_probe6 *p, *end;
	const struct ipx_table6 *t;
	size_t lo, hi, b;
	struct ipx6 m;
	uint64_t k[2];
	int list;

	for (list = 0; list < IPX_LISTS; list++)
		for (p = ix->lens6[list], end = p + ix->nlens6[list]; p < end;
		    p++) {
			t = p->t;
			if (t->n == 0)
				continue;
			m.hi = addr.hi & p->mhi;
			m.lo = addr.lo & p->mlo;
			ipx6_key(m, t->wide, k);
			b = ipx6_slot(t, k[0]);
			if (stage == 0) {
				__builtin_prefetch(&t->dir[b]);
				continue;
			}
			lo = t->dir[b];
			hi = t->dir[b + 1];
			if (lo == hi)
				continue;
			/* the keys of the slot, and the info of its first */
			__builtin_prefetch(&t->k[lo << t->wide]);
			__builtin_prefetch(&t->k[((hi - 1) << t->wide) +
			    t->wide]);
			__builtin_prefetch(&t->info[lo]);
		}
}

static int
change_cmp(const void *a, const void *b)
{
	const struct ipx_change *x = a, *y = b;

	if (x->list != y->list)
		return x->list < y->list ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Merge the changes c[0..n) (sorted, one table) into t. */
static void
table_merge(struct ipx_table *t, const struct ipx_change *c, size_t n)
{
	uint64_t *w;
	size_t i = 0, j = 0, o = 0;
	uint32_t a;

	w = ipx_words_alloc(t->n + n);
	while (i < t->n || j < n) {
		if (j == n || (i < t->n && WADDR(t->w[i]) < c[j].addr)) {
			w[o++] = t->w[i++];
			continue;
		}
		a = c[j].addr;
		while (j + 1 < n && c[j + 1].addr == a)
			j++;		/* the last change of a wins */
		if (i < t->n && WADDR(t->w[i]) == a)
			i++;		/* replaced or deleted */
		if (!c[j].del)
			w[o++] = WORD(a, c[j].info);
		j++;
	}
	free(t->w);
	t->w = w;
	t->n = t->cap = o;
	t->placed = 1;
	if (o == 0)
		table_free(t);
	else
		table_dir(t);
}

/* Merge the changes c[0..n) into the arrays. */
static void
merge(struct ipindex *ix, struct ipx_change *c, size_t n)
{
	size_t i, j;

	qsort(c, n, sizeof(*c), change_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && c[j].list == c[i].list &&
		    c[j].len == c[i].len; j++)
			;
		table_merge(&ix->t[c[i].list][c[i].len], c + i, j - i);
	}
}

/* An IPv6 change of (list, len, masked a) for ipx6_merge(), number seq. */
static void
change6_set(const struct ipindex *ix, struct ipx_change6 *x, int list,
    int len, struct ipx6 a, int del, uint16_t info, size_t seq)
{
	ipx6_key(a, ix->t6[list][len].wide, x->k);
	x->list = (uint8_t)list;
	x->len = (uint8_t)len;
	x->del = (uint8_t)del;
	x->info = info;
	x->seq = (uint32_t)seq;
}

/*
 * Merge the delta and c[0..n) (newer), of both families, into the
 * arrays; empty the delta.
 */
static void
delta_flush(struct ipindex *ix, const struct ipx_change *c, size_t n)
{
	struct ipx_change *all;
	struct ipx_change6 *all6;
	const struct ipx_slot *s;
	const struct ipx_slot6 *s6;
	size_t i, k = 0;

	all = xreallocarray(NULL, ix->ndelta + n + 1, sizeof(*all));
	for (i = 0; ix->delta != NULL && i < DELTA_SLOTS; i++) {
		s = &ix->delta[i];
		if (!s->used)
			continue;
		memset(&all[k], 0, sizeof(all[k]));
		all[k].addr = s->addr;
		all[k].list = s->list;
		all[k].len = s->len;
		all[k].del = s->del;
		all[k].info = s->info;
		all[k].seq = (uint32_t)k;
		k++;
	}
	for (i = 0; i < n; i++) {
		if (c[i].v6)
			continue;
		all[k] = c[i];
		all[k].seq = (uint32_t)k;	/* after the delta's */
		k++;
	}
	merge(ix, all, k);
	free(all);

	all6 = xreallocarray(NULL, ix->ndelta + n + 1, sizeof(*all6));
	k = 0;
	for (i = 0; ix->delta6 != NULL && i < DELTA_SLOTS; i++) {
		s6 = &ix->delta6[i];
		if (s6->used) {
			change6_set(ix, &all6[k], s6->list, s6->len, s6->a,
			    s6->del, s6->info, k);
			k++;
		}
	}
	for (i = 0; i < n; i++)
		if (c[i].v6) {
			change6_set(ix, &all6[k], c[i].list, c[i].len,
			    c[i].addr6, c[i].del, c[i].info, k);
			k++;
		}
	ipx6_merge(ix->t6, all6, k);
	free(all6);

	if (ix->delta != NULL)
		memset(ix->delta, 0, DELTA_SLOTS * sizeof(*ix->delta));
	if (ix->delta6 != NULL)
		memset(ix->delta6, 0, DELTA_SLOTS * sizeof(*ix->delta6));
	ix->ndelta = 0;
	memset(ix->dlens, 0, sizeof(ix->dlens));
	memset(ix->dlens6, 0, sizeof(ix->dlens6));
}

/* Note change c (masked) in the IPv6 delta. */
static void
delta6_put(struct ipindex *ix, const struct ipx_change *c)
{
	struct ipx_slot6 *s;

	if (ix->delta6 == NULL)
		ix->delta6 = xcalloc(DELTA_SLOTS, sizeof(*ix->delta6));
	s = slot6_find(ix, c->list, c->len, c->addr6);
	if (!s->used) {
		s->used = 1;
		s->a = c->addr6;
		s->list = c->list;
		s->len = c->len;
		ix->ndelta++;
		ix->dlens6[s->list][s->len]++;
	}
	s->del = c->del;
	s->info = c->info;
}

void
ipx_apply(struct ipindex *ix, struct ipx_change *c, size_t n)
{
	struct ipx_slot *s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (c[i].list >= IPX_LISTS)
			c[i].list = 0;
		if (c[i].v6) {
			if (c[i].len >= IPX_LENS6)
				c[i].len = 128;
			c[i].addr6 = ipx6_mask(c[i].addr6, c[i].len);
			continue;
		}
		if (c[i].len >= IPX_LENS)
			c[i].len = 32;
		c[i].addr = mask(c[i].addr, c[i].len);
	}
	if (ix->ndelta + n > DELTA_MAX) {
		delta_flush(ix, c, n);
		lens_update(ix);
		return;
	}
	for (i = 0; i < n; i++) {	/* in order: the last one wins */
		if (c[i].v6) {
			delta6_put(ix, &c[i]);
			continue;
		}
		if (ix->delta == NULL)
			ix->delta = xcalloc(DELTA_SLOTS, sizeof(*ix->delta));
		s = slot_find(ix, c[i].list, c[i].len, c[i].addr);
		if (!s->used) {
			s->used = 1;
			s->addr = c[i].addr;
			s->list = c[i].list;
			s->len = c[i].len;
			ix->ndelta++;
			ix->dlens[s->list][s->len]++;
		}
		s->del = c[i].del;
		s->info = c[i].info;
	}
	lens_update(ix);
}

size_t
ipx_count(const struct ipindex *ix)
{
	const struct ipx_table *t;
	const struct ipx_table6 *t6;
	const struct ipx_slot *s;
	const struct ipx_slot6 *s6;
	uint64_t k[2];
	size_t n = 0, i;
	int l, len, in;

	for (l = 0; l < IPX_LISTS; l++) {
		for (len = 0; len < IPX_LENS; len++)
			n += ix->t[l][len].n;
		for (len = 0; len < IPX_LENS6; len++)
			n += ix->t6[l][len].n;
	}
	for (i = 0; ix->delta6 != NULL && i < DELTA_SLOTS; i++) {
		s6 = &ix->delta6[i];
		if (!s6->used)
			continue;
		t6 = &ix->t6[s6->list][s6->len];
		ipx6_key(s6->a, t6->wide, k);
		in = t6->n > 0 && ipx6_find(t6, k) >= 0;
		if (s6->del && in)
			n--;
		else if (!s6->del && !in)
			n++;
	}
	for (i = 0; ix->delta != NULL && i < DELTA_SLOTS; i++) {
		s = &ix->delta[i];
		if (!s->used)
			continue;
		t = &ix->t[s->list][s->len];
		in = t->n > 0 && table_find(t, s->addr) != NULL;
		if (s->del && in)
			n--;
		else if (!s->del && !in)
			n++;
	}
	return n;
}

size_t
ipx_bytes(const struct ipindex *ix)
{
	const struct ipx_table *t;
	size_t n = sizeof(*ix);
	int l, len;

	for (l = 0; l < IPX_LISTS; l++)
		for (len = 0; len < IPX_LENS; len++) {
			t = &ix->t[l][len];
			n += t->cap * sizeof(*t->w);
			if (t->dir != NULL)
				n += (((size_t)1 << t->bits) + 1) *
				    sizeof(*t->dir);
		}
	for (l = 0; l < IPX_LISTS; l++)
		for (len = 0; len < IPX_LENS6; len++)
			n += ipx6_bytes(&ix->t6[l][len]);
	if (ix->delta != NULL)
		n += DELTA_SLOTS * sizeof(*ix->delta);
	if (ix->delta6 != NULL)
		n += DELTA_SLOTS * sizeof(*ix->delta6);
	return n;
}
