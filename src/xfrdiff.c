/* SPDX-License-Identifier: ISC */
/*
 * xfrdiff.c -- the difference between two versions of a zone's records
 * (xfrdiff.h). A set is one growing buffer of records, each
 * "nlen name type ttl rdlen rdata" (a byte of owner length, then 2, 4
 * and 2 bytes big-endian), the offsets of the records in it, and, to
 * compare, their addresses sorted (the sort needs no argument, so that
 * the jobs of several threads sort at once).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "xfrdiff.h"
#include "util.h"

struct xfrdiff_set {
	uint8_t		 in[XFRDIFF_REGIONS];
	int		 names;		/* an rhsbl zone's owners */
	uint8_t		*buf;
	size_t		 len, cap;
	size_t		*off;
	size_t		 n, ncap;
	const uint8_t	**rec;		/* sorted, at the diff */
};

int
xfrdiff_region(const struct addr *p)
{
	int nib;

	if (p->af == ADDR_V4)
		return p->len >= 8 ? p->a[0] : -1;
	if (p->len < 4)
		return -1;
	nib = p->a[0] >> 4;
	return nib < 10 ? nib : 256 + nib - 10;
}

/*
 * The labels of name (nlen > 0 bytes, wire form): their number, and the
 * offsets of the last one and of the one before it (or the last).
 */
static size_t
last_labels(const uint8_t *name, size_t nlen, size_t *last, size_t *prev)
{
	size_t o = 0, n = 0;

	*last = *prev = 0;
	for (; o < nlen; n++) {
		*prev = *last;
		*last = o;
		o += 1 + name[o];
	}
	return n;
}

int
xfrdiff_owner_region(const uint8_t *name, size_t nlen)
{
	size_t last, prev, l, i;
	int v = 0;

	if (nlen == 0)
		return -1;
	(void)last_labels(name, nlen, &last, &prev);
	l = name[last];
	if (l == 1 && name[last + 1] >= 'a' && name[last + 1] <= 'f')
		return 256 + name[last + 1] - 'a';
	if (l == 0 || l > 3)
		return -1;
	for (i = 1; i <= l; i++) {
		if (name[last + i] < '0' || name[last + i] > '9')
			return -1;
		v = v * 10 + name[last + i] - '0';
	}
	return v <= 255 ? v : -1;
}

#define FNV_BASIS	2166136261U

/* FNV-1a of l bytes at p in lower case, on from h. */
static uint32_t
fnv(uint32_t h, const uint8_t *p, size_t l)
{
	size_t i;

	for (i = 0; i < l; i++) {
		h ^= p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 'a' - 'A' : p[i];
		h *= 16777619U;
	}
	return h;
}

int
xfrdiff_name_region(const char *name, size_t len)
{
	size_t i = len;
	int dots = 0;

	/* back to the start of the last two labels */
	while (i > 0) {
		if (name[i - 1] == '.' && ++dots == 2)
			break;
		i--;
	}
	if (dots == 0 || name[len - 1] == '.' || name[i] == '.')
		return -1;
	return (int)(fnv(FNV_BASIS, (const uint8_t *)name + i, len - i) %
	    XFRDIFF_REGIONS);
}

int
xfrdiff_owner_name_region(const uint8_t *name, size_t nlen)
{
	size_t last, prev;
	uint32_t h = FNV_BASIS;

	if (nlen == 0)
		return -1;
	if (last_labels(name, nlen, &last, &prev) >= 2) {
		h = fnv(h, name + prev + 1, name[prev]);
		h = fnv(h, (const uint8_t *)".", 1);
	}
	return (int)(fnv(h, name + last + 1, name[last]) % XFRDIFF_REGIONS);
}

struct xfrdiff_set *
xfrdiff_new(const uint8_t *in, int names)
{
	struct xfrdiff_set *s;

	s = xcalloc(1, sizeof(*s));
	memcpy(s->in, in, sizeof(s->in));
	s->names = names;
	return s;
}

void
xfrdiff_free(struct xfrdiff_set *s)
{
	if (s == NULL)
		return;
	free(s->buf);
	free(s->off);
	free(s->rec);
	free(s);
}

size_t
xfrdiff_count(const struct xfrdiff_set *s)
{
	return s->n;
}

void
xfrdiff_add(struct xfrdiff_set *s, const uint8_t *name, size_t nlen,
    uint16_t type, uint32_t ttl, const uint8_t *rd, size_t rdlen)
{
	size_t need = 1 + nlen + 8 + rdlen;
	uint8_t *p;
	int r;

	r = s->names ? xfrdiff_owner_name_region(name, nlen) :
	    xfrdiff_owner_region(name, nlen);
	if (r == -1 || !s->in[r] || nlen > 255 || rdlen > 65535)
		return;
	while (s->len + need > s->cap) {
		s->cap = s->cap ? s->cap * 2 : 65536;
		s->buf = xreallocarray(s->buf, s->cap, 1);
	}
	if (s->n == s->ncap) {
		s->ncap = s->ncap ? s->ncap * 2 : 1024;
		s->off = xreallocarray(s->off, s->ncap, sizeof(*s->off));
	}
	s->off[s->n++] = s->len;
	p = s->buf + s->len;
	p[0] = (uint8_t)nlen;
	memcpy(p + 1, name, nlen);
	p += 1 + nlen;
	p[0] = (uint8_t)(type >> 8);
	p[1] = (uint8_t)type;
	p[2] = (uint8_t)(ttl >> 24);
	p[3] = (uint8_t)(ttl >> 16);
	p[4] = (uint8_t)(ttl >> 8);
	p[5] = (uint8_t)ttl;
	p[6] = (uint8_t)(rdlen >> 8);
	p[7] = (uint8_t)rdlen;
	memcpy(p + 8, rd, rdlen);
	s->len += need;
}

static size_t
rec_len(const uint8_t *p)
{
	size_t o = 1 + p[0];

	return o + 8 + ((size_t)p[o + 6] << 8 | p[o + 7]);
}

static int
rec_cmp(const uint8_t *a, const uint8_t *b)
{
	size_t la = rec_len(a), lb = rec_len(b);
	int c;

	c = memcmp(a, b, la < lb ? la : lb);
	return c != 0 ? c : la < lb ? -1 : la > lb;
}

static int
ptr_cmp(const void *x, const void *y)
{
	return rec_cmp(*(const uint8_t *const *)x, *(const uint8_t *const *)y);
}

/* s->rec: the records' addresses (the buffer grows no more), sorted. */
static void
set_sort(struct xfrdiff_set *s)
{
	size_t i;

	if (s->n == 0)
		return;
	free(s->rec);
	s->rec = xreallocarray(NULL, s->n, sizeof(*s->rec));
	for (i = 0; i < s->n; i++)
		s->rec[i] = s->buf + s->off[i];
	qsort(s->rec, s->n, sizeof(*s->rec), ptr_cmp);
}

static int
rec_call(xfrdiff_fn *fn, void *arg, int del, const uint8_t *p)
{
	size_t nlen = p[0];
	const uint8_t *q = p + 1 + nlen;

	return fn(arg, del, p + 1, nlen, (uint16_t)(q[0] << 8 | q[1]),
	    (uint32_t)q[2] << 24 | (uint32_t)q[3] << 16 |
	    (uint32_t)q[4] << 8 | q[5], q + 8, (size_t)q[6] << 8 | q[7]);
}

/* The records of a that b lacks, both sorted, to fn with del. */
static int
only_in(const struct xfrdiff_set *a, const struct xfrdiff_set *b, int del,
    xfrdiff_fn *fn, void *arg)
{
	size_t i = 0, k = 0;
	int c, r;

	while (i < a->n) {
		c = k < b->n ? rec_cmp(a->rec[i], b->rec[k]) : -1;
		if (c > 0) {
			k++;
			continue;
		}
		if (c < 0 && (r = rec_call(fn, arg, del, a->rec[i])) != 0)
			return r;
		if (c == 0)
			k++;
		i++;
	}
	return 0;
}

int
xfrdiff_diff(struct xfrdiff_set *old, struct xfrdiff_set *new,
    xfrdiff_fn *fn, void *arg)
{
	int r;

	set_sort(old);
	set_sort(new);
	if ((r = only_in(old, new, 1, fn, arg)) != 0)
		return r;
	return only_in(new, old, 0, fn, arg);
}
