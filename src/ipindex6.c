/* SPDX-License-Identifier: ISC */
/*
 * ipindex6.c -- the IPv6 tables of the compact copy of the lists
 * (ipindex6.h): reserve, append, sort, merge. The lookups are inline in
 * the header, for ipindex.c's query path.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ipindex6.h"
#include "ipindex.h"
#include "util.h"

void
ipx6_free(struct ipx_table6 *t)
{
	unsigned wide = t->wide;

	free(t->k);
	free(t->info);
	free(t->dir);
	memset(t, 0, sizeof(*t));
	t->wide = wide;
}

size_t
ipx6_bytes(const struct ipx_table6 *t)
{
	size_t n = (t->cap << t->wide) * sizeof(*t->k) +
	    t->cap * sizeof(*t->info);

	if (t->dir != NULL)
		n += (((size_t)1 << t->bits) + 1) * sizeof(*t->dir);
	return n;
}

void
ipx6_reserve(struct ipx_table6 *t, size_t n)
{
	if (n == 0 || t->k != NULL || n > SIZE_MAX / 16)
		return;
	t->k = ipx_words_alloc(n << t->wide);
	t->info = xreallocarray(NULL, n, sizeof(*t->info));
	t->cap = n;
}

void
ipx6_append(struct ipx_table6 *t, const uint64_t k[2], uint16_t info)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->k = xreallocarray(t->k, t->cap, sizeof(*t->k) << t->wide);
		t->info = xreallocarray(t->info, t->cap, sizeof(*t->info));
	}
	memcpy(&t->k[t->n << t->wide], k, sizeof(*t->k) << t->wide);
	t->info[t->n++] = info;
}

/* The directory's bits for a table of n keys. */
static unsigned
dir_bits(size_t n)
{
	unsigned bits = 0;

	while (bits < IPX6_DIR_BITS &&
	    ((size_t)IPX6_DIR_LOAD << (bits + 1)) <= n)
		bits++;
	return bits;
}

/* Make the directory of t (sorted) for its size. */
static void
dir_make(struct ipx_table6 *t)
{
	size_t slots, i, b;

	t->bits = dir_bits(t->n);
	slots = (size_t)1 << t->bits;
	free(t->dir);
	t->dir = xreallocarray(NULL, slots + 1, sizeof(*t->dir));
	for (i = 0, b = 0; b <= slots; b++) {
		while (i < t->n && ipx6_slot(t, t->k[i << t->wide]) < b)
			i++;
		t->dir[b] = (uint32_t)i;
	}
}

/* Compare two keys of a table of wide keys. */
static inline int
key_cmp(const uint64_t *a, const uint64_t *b, unsigned wide)
{
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	if (!wide || a[1] == b[1])
		return 0;
	return a[1] < b[1] ? -1 : 1;
}

/* Swap entries i and j of t, and their order of append in pos. */
static void
entry_swap(struct ipx_table6 *t, uint32_t *pos, size_t i, size_t j)
{
	uint64_t x;
	uint32_t p;
	uint16_t f;
	unsigned w;

	for (w = 0; w <= t->wide; w++) {
		x = t->k[(i << t->wide) + w];
		t->k[(i << t->wide) + w] = t->k[(j << t->wide) + w];
		t->k[(j << t->wide) + w] = x;
	}
	f = t->info[i];
	t->info[i] = t->info[j];
	t->info[j] = f;
	p = pos[i];
	pos[i] = pos[j];
	pos[j] = p;
}

/* Entry i of t goes before entry j: a lower key, or appended earlier. */
static inline int
entry_before(const struct ipx_table6 *t, const uint32_t *pos, size_t i,
    size_t j)
{
	int c = key_cmp(&t->k[i << t->wide], &t->k[j << t->wide], t->wide);

	return c < 0 || (c == 0 && pos[i] < pos[j]);
}

/* Move the entries of t to memory of their size. */
static void
table_place(struct ipx_table6 *t)
{
	size_t nw = t->n << t->wide;
	uint64_t *k = ipx_words_alloc(nw);

	memcpy(k, t->k, nw * sizeof(*k));
	free(t->k);
	t->k = k;
	t->info = xreallocarray(t->info, t->n, sizeof(*t->info));
	t->cap = t->n;
}

/*
 * Take n units of work off *budget: 1 when it is spent already (stop),
 * else 0 (go on; the last piece of work of a step may overdraw it).
 */
static int
spend(size_t *budget, size_t n)
{
	if (*budget == 0)
		return 1;
	*budget = n < *budget ? *budget - n : 0;
	return 0;
}

/*
 * Phase 0: count the entries of each directory slot (start[b + 1]),
 * then make the counts the slots' starts. Phase 1: swap each entry into
 * its slot; a swap puts one entry in its slot for good. pos follows the
 * entries: it is their order of append, which decides between equal
 * keys. Phase 2: sort each slot by insertion (a few keys), drop the
 * earlier of equal keys, and move the slots down over the gaps; start
 * becomes the directory.
 */
int
ipx6_sort_step(struct ipx_table6 *t, struct ipx6_sort *s, size_t *budget)
{
	size_t i, j, c, i0, end;

	if (s->start == NULL) {
		t->bits = dir_bits(t->n);
		s->slots = (size_t)1 << t->bits;
		s->start = xcalloc(s->slots + 1, sizeof(*s->start));
		s->pos = xreallocarray(NULL, t->n, sizeof(*s->pos));
		s->i = s->b = s->o = 0;
		s->phase = 0;
	}
	for (; s->phase == 0 && s->i < t->n; s->i++) {
		if (s->i % 8 == 0 && spend(budget, 1))
			return 1;
		s->start[ipx6_slot(t, t->k[s->i << t->wide]) + 1]++;
		s->pos[s->i] = (uint32_t)s->i;
	}
	if (s->phase == 0) {
		for (s->b = 0; s->b < s->slots; s->b++)
			s->start[s->b + 1] += s->start[s->b];
		s->next = xreallocarray(NULL, s->slots, sizeof(*s->next));
		memcpy(s->next, s->start, s->slots * sizeof(*s->next));
		s->b = s->i = 0;
		s->phase = 1;
	}
	for (; s->phase == 1 && s->b < s->slots; s->b++)
		while (s->next[s->b] < s->start[s->b + 1]) {
			if (spend(budget, 1))
				return 1;
			i = s->next[s->b];
			c = ipx6_slot(t, t->k[i << t->wide]);
			if (c == s->b)
				s->next[s->b]++;
			else
				entry_swap(t, s->pos, i, s->next[c]++);
		}
	if (s->phase == 1) {
		free(s->next);
		s->next = NULL;
		s->b = 0;
		s->phase = 2;
	}
	for (; s->b < s->slots; s->b++) {
		i0 = s->start[s->b];
		end = s->start[s->b + 1];
		if (spend(budget, (end - i0 + 7) / 8))
			return 1;
		s->start[s->b] = (uint32_t)s->o;
		for (i = i0 + 1; i < end; i++)
			for (j = i; j > i0 && entry_before(t, s->pos, j, j - 1);
			    j--)
				entry_swap(t, s->pos, j, j - 1);
		for (i = i0; i < end; i++) {
			if (i + 1 < end && key_cmp(&t->k[i << t->wide],
			    &t->k[(i + 1) << t->wide], t->wide) == 0)
				continue;	/* a later duplicate follows */
			if (i != s->o) {
				memcpy(&t->k[s->o << t->wide],
				    &t->k[i << t->wide],
				    sizeof(*t->k) << t->wide);
				t->info[s->o] = t->info[i];
			}
			s->o++;
		}
	}
	s->start[s->slots] = (uint32_t)s->o;
	free(t->dir);
	t->dir = s->start;
	t->n = s->o;
	s->start = NULL;
	ipx6_sort_clear(s);
	if (t->cap - t->n > t->n / 8 + 64)
		table_place(t);
	return 0;
}

void
ipx6_sort_clear(struct ipx6_sort *s)
{
	free(s->start);
	free(s->next);
	free(s->pos);
	memset(s, 0, sizeof(*s));
}

static int
change_cmp(const void *a, const void *b)
{
	const struct ipx_change6 *x = a, *y = b;

	if (x->list != y->list)
		return x->list < y->list ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->k[0] != y->k[0])
		return x->k[0] < y->k[0] ? -1 : 1;
	if (x->k[1] != y->k[1])
		return x->k[1] < y->k[1] ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Merge the changes c[0..n) (sorted, all of t) into t. */
static void
table_merge(struct ipx_table6 *t, const struct ipx_change6 *c, size_t n)
{
	uint64_t *k;
	uint16_t *info;
	size_t i = 0, j = 0, o = 0;
	unsigned w = t->wide;
	int cmp;

	k = ipx_words_alloc((t->n + n) << w);
	info = xreallocarray(NULL, t->n + n, sizeof(*info));
	while (i < t->n || j < n) {
		cmp = j == n ? -1 : i == t->n ? 1 :
		    key_cmp(&t->k[i << w], c[j].k, w);
		if (cmp < 0) {
			memcpy(&k[o << w], &t->k[i << w], sizeof(*k) << w);
			info[o++] = t->info[i++];
			continue;
		}
		while (j + 1 < n && key_cmp(c[j + 1].k, c[j].k, w) == 0)
			j++;		/* the last change of a key wins */
		if (cmp == 0)
			i++;		/* replaced or deleted */
		if (!c[j].del) {
			memcpy(&k[o << w], c[j].k, sizeof(*k) << w);
			info[o++] = c[j].info;
		}
		j++;
	}
	free(t->k);
	free(t->info);
	t->k = k;
	t->info = info;
	t->n = t->cap = o;
	if (o == 0)
		ipx6_free(t);
	else
		dir_make(t);
}

void
ipx6_merge(struct ipx_table6 t[][IPX_LENS6], struct ipx_change6 *c,
    size_t n)
{
	size_t i, j;

	qsort(c, n, sizeof(*c), change_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && c[j].list == c[i].list &&
		    c[j].len == c[i].len; j++)
			;
		table_merge(&t[c[i].list][c[i].len], c + i, j - i);
	}
}
