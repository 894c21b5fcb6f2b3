/* SPDX-License-Identifier: ISC */
/*
 * xfrmap.c -- an address zone's list as names and wildcards (xfrmap.h).
 *
 * Per family, the prefixes come in store order. Each one's nodes (the
 * names of its boundary depth that it covers) wait on a stack with a
 * cursor; the next node out is the smallest (address, depth) of all the
 * cursors, and when two prefixes have the same node the longer one gives
 * its value. Nodes come out in preorder, so the path from the apex to
 * the last node is kept open: a node's ancestors that are not nodes of
 * their own exist because of it, and get the wildcard of the value they
 * inherit from their parent.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "xfrmap.h"
#include "addr.h"
#include "util.h"

#define STACK_MAX	130		/* nested prefixes: lengths 0-128 */
#define DEPTH_MAX	32		/* labels of an IPv6 address */
#define SHARED_DEPTH	4		/* labels that both families use */
#define NSHARED		11111		/* nodes of 0-4 labels of 0-9 */
#define NPARENTS	1111		/* of 0-3: whose children may be a-f */

/* A prefix's value, shared by the stack, the open path and the table. */
struct val {
	int			 refs;
	struct store_entry	 e;
	size_t			 ext_len;
	char			*ext;		/* in s, after the strings */
	char			 s[];
};

/* A prefix whose nodes are still to come. */
struct pend {
	struct val	*v;
	uint8_t		 next[16];	/* its next node's first address */
	uint8_t		 last[16];	/* its last address */
	int		 depth;		/* its nodes' depth */
};

/* One family's walk. */
struct fam {
	int		 af;
	int		 k;		/* bits per label: 8, 4 */
	int		 maxd;		/* labels of an address: 4, 32 */
	struct pend	 st[STACK_MAX];
	int		 n;
	struct addr	 prev;		/* the prefix added last */
	int		 have_prev;
	int		 pd;		/* the deepest open node */
	uint8_t		 pa[DEPTH_MAX + 1][16];
	struct val	*pw[DEPTH_MAX + 1];	/* the wildcard of each */
};

/* A node of labels 0-9 only, as each family has it. */
struct shared {
	unsigned	 ex4:1, ex6:1;	/* exists in that family's names */
	unsigned	 forced:1;	/* made to exist (reconcile) */
	unsigned	 ph:1;		/* a placeholder: unlisted node */
	unsigned	 has_rec4:1;	/* 4 labels: IPv4's own name */
	struct val	*w4, *w6;	/* each family's wildcard */
	struct val	*rec4;		/* 4 labels: the IPv4 address's */
};

struct xfrmap {
	xfrmap_emit_fn	*emit;
	void		*arg;
	int		 rc;		/* the emit function's non-zero */
	int		 started;
	struct fam	 f;
	struct shared	*sh;		/* [NSHARED] */
	uint8_t		 hex[NPARENTS];	/* IPv6 children a-f that exist */
};

static const int shared_off[SHARED_DEPTH + 2] = { 0, 1, 11, 111, 1111,
    11111 };

static struct val *
val_new(const struct store_entry *e, const void *ext, size_t ext_len)
{
	struct val *v;

	v = xmalloc(sizeof(*v) + e->reason_len + e->actor_len + ext_len + 1);
	v->refs = 1;
	v->e = *e;
	if (e->reason_len > 0)
		memcpy(v->s, e->reason, e->reason_len);
	if (e->actor_len > 0)
		memcpy(v->s + e->reason_len, e->actor, e->actor_len);
	v->ext = v->s + e->reason_len + e->actor_len;
	v->ext_len = ext_len;
	if (ext_len > 0)
		memcpy(v->ext, ext, ext_len);
	v->e.reason = v->s;
	v->e.actor = v->s + e->reason_len;
	v->e.dname = NULL;
	v->e.dname_len = 0;
	return v;
}

static struct val *
val_ref(struct val *v)
{
	if (v != NULL)
		v->refs++;
	return v;
}

static void
val_unref(struct val *v)
{
	if (v != NULL && --v->refs == 0)
		free(v);
}

static void
val_set(struct val **slot, struct val *v)
{
	val_unref(*slot);
	*slot = val_ref(v);
}

static int
listed(const struct val *v)
{
	return v != NULL && !(v->e.flags & ENTRY_EXCLUDE);
}

/* Label j (from the apex) of address a. */
static int
label(int af, const uint8_t *a, int j)
{
	if (af == ADDR_V4)
		return a[j];
	return (a[j / 2] >> (j % 2 ? 0 : 4)) & 0xf;
}

static void
set_label(int af, uint8_t *a, int j, int v)
{
	if (af == ADDR_V4)
		a[j] = (uint8_t)v;
	else if (j % 2)
		a[j / 2] = (uint8_t)((a[j / 2] & 0xf0) | v);
	else
		a[j / 2] = (uint8_t)((a[j / 2] & 0x0f) | v << 4);
}

/* The index of node (a, d) among the shared ones, or -1. */
static int
shared_id(int af, const uint8_t *a, int d)
{
	int j, n = 0, l;

	if (d > SHARED_DEPTH)
		return -1;
	for (j = 0; j < d; j++) {
		if ((l = label(af, a, j)) > 9)
			return -1;
		n = n * 10 + l;
	}
	return shared_off[d] + n;
}

/* Bits 0..bits-1 of x and y are equal. */
static int
prefix_eq(const uint8_t *x, const uint8_t *y, int bits)
{
	int n = bits / 8, r = bits % 8;

	if (memcmp(x, y, (size_t)n) != 0)
		return 0;
	return r == 0 || ((x[n] ^ y[n]) & (0xff00 >> r) & 0xff) == 0;
}

static void
mask_to(uint8_t *out, const uint8_t *a, int bits)
{
	int i;

	for (i = 0; i < 16; i++) {
		if (bits >= 8)
			out[i] = a[i];
		else if (bits <= 0)
			out[i] = 0;
		else
			out[i] = a[i] & (uint8_t)(0xff00 >> bits);
		bits -= 8;
	}
}

/* Add one at bit b (0: the first); 1 when it carries out of the top. */
static int
add_bit(uint8_t *a, int b)
{
	int i = b / 8;
	unsigned c = 0x80U >> (b % 8);

	for (; i >= 0; i--) {
		c += a[i];
		a[i] = (uint8_t)c;
		c >>= 8;
		if (c == 0)
			return 0;
	}
	return 1;
}

static int
keycmp(const uint8_t *a, int da, const uint8_t *b, int db)
{
	int c = memcmp(a, b, 16);

	return c != 0 ? c : da - db;
}

static void
emit(struct xfrmap *m, int af, const uint8_t *a, int d, int wild,
    const struct val *v)
{
	struct xfrmap_rec r;

	if (m->rc != 0)
		return;
	r.af = af;
	memcpy(r.a, a, sizeof(r.a));
	r.depth = d;
	r.wild = wild;
	r.e = v != NULL ? &v->e : NULL;
	r.ext = v != NULL && v->ext_len > 0 ? v->ext : NULL;
	r.ext_len = v != NULL ? v->ext_len : 0;
	m->rc = m->emit(m->arg, &r);
}

/*
 * Node (a, d) exists with wildcard value w; target: it is a prefix's
 * node, not only an ancestor of one.
 */
static void
node(struct xfrmap *m, const uint8_t *a, int d, struct val *w, int target)
{
	struct fam *f = &m->f;
	struct shared *s;
	int id, l;

	if ((id = shared_id(f->af, a, d)) >= 0) {
		s = &m->sh[id];
		if (f->af == ADDR_V4 && d == SHARED_DEPTH) {
			s->ex4 = 1;
			s->has_rec4 = 1;
			val_set(&s->rec4, w);
			return;
		}
		if (f->af == ADDR_V4) {
			s->ex4 = 1;
			val_set(&s->w4, w);
		} else {
			s->ex6 = 1;
			val_set(&s->w6, w);
		}
		if (target && d > 0 && !listed(w))
			s->ph = 1;
		return;
	}
	if (f->af == ADDR_V6 && d <= SHARED_DEPTH && (l = label(f->af, a,
	    d - 1)) > 9 && (id = shared_id(f->af, a, d - 1)) >= 0)
		m->hex[id] |= (uint8_t)(1U << (l - 10));
	if (d == f->maxd) {
		if (target)
			emit(m, f->af, a, d, 0, listed(w) ? w : NULL);
	} else if (listed(w))
		emit(m, f->af, a, d, 1, w);
	else if (target)
		emit(m, f->af, a, d, 0, NULL);
}

/* Node (a, dt) of value v comes next: open the path to it. */
static void
open_to(struct xfrmap *m, const uint8_t *a, int dt, struct val *v)
{
	struct fam *f = &m->f;
	int d = f->pd, j;

	while (d > 0 && (d >= dt || !prefix_eq(f->pa[d], a, d * f->k))) {
		val_set(&f->pw[d], NULL);
		d--;
	}
	for (j = d + 1; j < dt; j++) {
		mask_to(f->pa[j], a, j * f->k);
		val_set(&f->pw[j], f->pw[j - 1]);
		node(m, f->pa[j], j, f->pw[j], 0);
	}
	memcpy(f->pa[dt], a, 16);
	val_set(&f->pw[dt], v);
	f->pd = dt;
	node(m, a, dt, v, 1);
}

/* Put out the waiting nodes before (a, d), or all of them (a NULL). */
static void
flush(struct xfrmap *m, const uint8_t *a, int d)
{
	struct fam *f = &m->f;
	uint8_t at[16];
	int best, i, dt;

	while (f->n > 0 && m->rc == 0) {
		best = 0;
		for (i = 1; i < f->n; i++)
			if (keycmp(f->st[i].next, f->st[i].depth,
			    f->st[best].next, f->st[best].depth) <= 0)
				best = i;
		if (a != NULL && keycmp(f->st[best].next, f->st[best].depth,
		    a, d) >= 0)
			return;
		memcpy(at, f->st[best].next, sizeof(at));
		dt = f->st[best].depth;
		open_to(m, at, dt, f->st[best].v);
		for (i = 0; i < f->n; ) {
			struct pend *p = &f->st[i];

			if (keycmp(p->next, p->depth, at, dt) != 0 ||
			    (add_bit(p->next, dt * f->k - 1) == 0 &&
			    memcmp(p->next, p->last, 16) <= 0)) {
				i++;
				continue;
			}
			val_unref(p->v);
			memmove(p, p + 1, (size_t)(f->n - i - 1) * sizeof(*p));
			f->n--;
		}
	}
}

static void
fam_end(struct xfrmap *m)
{
	struct fam *f = &m->f;
	int d;

	flush(m, NULL, 0);
	while (f->n > 0)
		val_unref(f->st[--f->n].v);
	for (d = 0; d <= DEPTH_MAX; d++)
		val_set(&f->pw[d], NULL);
	f->pd = 0;
}

static void
fam_init(struct fam *f, int af)
{
	memset(f, 0, sizeof(*f));
	f->af = af;
	f->k = af == ADDR_V4 ? 8 : 4;
	f->maxd = af == ADDR_V4 ? 4 : 32;
}

struct xfrmap *
xfrmap_new(xfrmap_emit_fn *fn, void *arg)
{
	struct xfrmap *m;

	m = xcalloc(1, sizeof(*m));
	m->emit = fn;
	m->arg = arg;
	m->sh = xcalloc(NSHARED, sizeof(*m->sh));
	return m;
}

void
xfrmap_free(struct xfrmap *m)
{
	int i;

	if (m == NULL)
		return;
	if (m->started)
		fam_end(m);
	for (i = 0; i < NSHARED; i++) {
		val_unref(m->sh[i].w4);
		val_unref(m->sh[i].w6);
		val_unref(m->sh[i].rec4);
	}
	free(m->sh);
	free(m);
}

int
xfrmap_add(struct xfrmap *m, const struct store_entry *e)
{
	return xfrmap_add_ext(m, e, NULL, 0);
}

int
xfrmap_add_ext(struct xfrmap *m, const struct store_entry *e,
    const void *ext, size_t ext_len)
{
	struct fam *f = &m->f;
	const struct addr *p = &e->prefix;
	struct pend *pe;
	int bits = p->af == ADDR_V4 ? 32 : 128, c, b;

	if (m->started && p->af != f->af) {
		if (p->af != ADDR_V6)
			return -1;
		fam_end(m);
		if (m->rc != 0)
			return m->rc;
		fam_init(f, p->af);
	} else if (!m->started) {
		fam_init(f, p->af);
		m->started = 1;
	}
	if (f->have_prev && (memcmp(f->prev.a, p->a, 16) > 0 ||
	    (memcmp(f->prev.a, p->a, 16) == 0 && f->prev.len >= p->len)))
		return -1;
	f->prev = *p;
	f->have_prev = 1;
	c = (p->len + f->k - 1) / f->k;
	flush(m, p->a, c);
	if (m->rc != 0)
		return m->rc;
	if (f->n == STACK_MAX)
		return -1;
	pe = &f->st[f->n++];
	pe->v = val_new(e, ext, ext_len);
	mask_to(pe->next, p->a, p->len);
	memcpy(pe->last, pe->next, 16);
	for (b = p->len; b < bits; b++)
		pe->last[b / 8] |= (uint8_t)(0x80U >> (b % 8));
	pe->depth = c;
	return 0;
}

/* The nodes of labels 0-9, for both families at once (xfrmap.h). */
static void
reconcile(struct xfrmap *m)
{
	struct val **ew4, **ew6, *lv4;
	uint8_t a[16];
	int d, n, id, p, j, c, x;

	ew4 = xcalloc(NSHARED, sizeof(*ew4));
	ew6 = xcalloc(NSHARED, sizeof(*ew6));
	for (d = 0; d <= SHARED_DEPTH && m->rc == 0; d++) {
		for (n = 0; n < shared_off[d + 1] - shared_off[d]; n++) {
			struct shared *s;

			id = shared_off[d] + n;
			s = &m->sh[id];
			p = d > 0 ? shared_off[d - 1] + n / 10 : -1;
			ew4[id] = s->ex4 && d < SHARED_DEPTH ? s->w4 :
			    p >= 0 ? ew4[p] : NULL;
			ew6[id] = s->ex6 ? s->w6 : p >= 0 ? ew6[p] : NULL;
			if (d > 0 && !s->ex4 && !s->ex6 && !s->forced)
				continue;
			memset(a, 0, sizeof(a));
			for (j = d - 1, x = n; j >= 0; j--, x /= 10)
				a[j] = (uint8_t)(x % 10);
			if (d == SHARED_DEPTH) {
				lv4 = s->has_rec4 ? s->rec4 : ew4[p];
				if (s->ph || (s->has_rec4 && !listed(lv4)))
					emit(m, ADDR_V4, a, d, 0, NULL);
				if (listed(lv4))
					emit(m, ADDR_V4, a, d, 0, lv4);
				memset(a, 0, sizeof(a));
				for (j = d - 1, x = n; j >= 0; j--, x /= 10)
					set_label(ADDR_V6, a, j, x % 10);
				if (listed(ew6[id]))
					emit(m, ADDR_V6, a, d, 1, ew6[id]);
				continue;
			}
			if (s->ph)
				emit(m, ADDR_V4, a, d, 0, NULL);
			if (listed(ew4[id]))
				emit(m, ADDR_V4, a, d, 1, ew4[id]);
			if (ew4[id] == ew6[id] ||
			    (!listed(ew4[id]) && !listed(ew6[id])))
				continue;
			/* IPv6 needs other wildcards: its children get them */
			for (c = 0; c < 10; c++)
				m->sh[shared_off[d + 1] + n * 10 + c].forced = 1;
			memset(a, 0, sizeof(a));
			for (j = d - 1, x = n; j >= 0; j--, x /= 10)
				set_label(ADDR_V6, a, j, x % 10);
			for (c = 10; c < 16; c++) {
				if (m->hex[id] & (1U << (c - 10)))
					continue;
				set_label(ADDR_V6, a, d, c);
				if (listed(ew6[id]))
					emit(m, ADDR_V6, a, d + 1, 1, ew6[id]);
				else
					emit(m, ADDR_V6, a, d + 1, 0, NULL);
			}
		}
	}
	free(ew4);
	free(ew6);
}

int
xfrmap_end(struct xfrmap *m)
{
	if (m->started)
		fam_end(m);
	m->started = 0;
	if (m->rc == 0)
		reconcile(m);
	return m->rc;
}
