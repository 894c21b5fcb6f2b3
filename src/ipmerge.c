/* SPDX-License-Identifier: ISC */
/*
 * ipmerge.c -- the black list with the white list's exceptions, as the
 * entries of one rbldnsd file. ipmerge.h has the rules.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ipmerge.h"
#include "addr.h"
#include "store_list.h"
#include "util.h"

#define REASON_MAX	1024	/* store.c */
#define ACTOR_MAX	64	/* store.c */

/* An entry with its strings. */
struct copy {
	struct store_entry	 e;
	char			 reason[REASON_MAX];
	char			 actor[ACTOR_MAX];
};

/* A prefix of either list, and what a zone answers there. */
struct node {
	struct addr		 p;
	int			 has_black;
	int			 has_white;
	struct copy		 black;
	struct copy		 white;
	const struct store_entry *beff;	/* black longest match, or NULL */
	const struct store_entry *weff;	/* white longest match, or NULL */
	const struct store_entry *lv;	/* listed with this value, or NULL */
};

struct ipmerge {
	ipmerge_emit_fn	*emit;
	void		*arg;
	struct node	 stack[129 + 1];	/* the enclosing prefixes */
	int		 depth;
	struct node	 pending;		/* gathering its entries */
	int		 has_pending;
	struct addr	 last;			/* for the order check */
	int		 has_last;
};

struct ipmerge *
ipmerge_new(ipmerge_emit_fn *emit, void *arg)
{
	struct ipmerge *m;

	m = xcalloc(1, sizeof(*m));
	m->emit = emit;
	m->arg = arg;
	return m;
}

void
ipmerge_free(struct ipmerge *m)
{
	free(m);
}

int
ipmerge_cmp(const struct addr *a, const struct addr *b)
{
	int r;

	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	if ((r = memcmp(a->a, b->a, ADDR_BYTES(a))) != 0)
		return r;
	return (int)a->len - (int)b->len;
}

static void
copy_entry(struct copy *c, const struct store_entry *e)
{
	c->e = *e;
	c->e.reason_len = e->reason_len < REASON_MAX ? e->reason_len :
	    REASON_MAX;
	c->e.actor_len = e->actor_len < ACTOR_MAX ? e->actor_len : ACTOR_MAX;
	if (c->e.reason_len > 0)
		memcpy(c->reason, e->reason, c->e.reason_len);
	if (c->e.actor_len > 0)
		memcpy(c->actor, e->actor, c->e.actor_len);
	c->e.reason = c->reason;
	c->e.actor = c->actor;
}

/* The earlier of two expiry times, 0 being never. */
static int64_t
earlier(int64_t a, int64_t b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return a < b ? a : b;
}

/* The same answer: code and text. */
static int
same_value(const struct store_entry *a, const struct store_entry *b)
{
	return a->code == b->code && a->reason_len == b->reason_len &&
	    memcmp(a->reason, b->reason, a->reason_len) == 0;
}

/* Work out the answer of the pending prefix, write what it needs. */
static int
flush(struct ipmerge *m)
{
	const struct node *parent;
	struct node *n;
	struct store_entry out;
	const struct store_entry *by;
	int excl;

	if (!m->has_pending)
		return 0;
	m->has_pending = 0;
	while (m->depth > 0 &&
	    !addr_contains(&m->stack[m->depth - 1].p, &m->pending.p))
		m->depth--;
	parent = m->depth > 0 ? &m->stack[m->depth - 1] : NULL;
	n = &m->stack[m->depth++];
	*n = m->pending;
	n->black.e.reason = n->black.reason;
	n->black.e.actor = n->black.actor;
	n->white.e.reason = n->white.reason;
	n->white.e.actor = n->white.actor;

	n->beff = n->has_black ? &n->black.e : parent ? parent->beff : NULL;
	n->weff = n->has_white ? &n->white.e : parent ? parent->weff : NULL;
	n->lv = NULL;
	if ((n->weff == NULL || (n->weff->flags & ENTRY_EXCLUDE)) &&
	    n->beff != NULL && !(n->beff->flags & ENTRY_EXCLUDE))
		n->lv = n->beff;

	if (n->lv != NULL && n->lv == &n->black.e)
		return m->emit(m->arg, n->lv);
	if (n->lv != NULL) {
		/* a white exclusion reopens an enclosing black entry */
		if (parent != NULL && parent->lv != NULL &&
		    same_value(parent->lv, n->lv))
			return 0;
		out = *n->lv;
		out.prefix = n->p;
		out.expires = earlier(n->lv->expires,
		    n->has_white ? n->white.e.expires : 0);
		return m->emit(m->arg, &out);
	}
	if (parent == NULL || parent->lv == NULL)
		return 0;
	/* not listed inside a listed prefix: its white entry or black
	 * exclusion says so, the one that lasts longer */
	by = NULL;
	if (n->has_white && !(n->white.e.flags & ENTRY_EXCLUDE))
		by = &n->white.e;
	excl = n->has_black && (n->black.e.flags & ENTRY_EXCLUDE);
	if (excl && (by == NULL || (by->expires != 0 &&
	    (n->black.e.expires == 0 || n->black.e.expires > by->expires))))
		by = &n->black.e;
	if (by == NULL)
		return 0;	/* cannot be: see ipmerge.h */
	out = *by;
	out.prefix = n->p;
	out.flags = ENTRY_EXCLUDE;
	out.code = 0;
	out.reason = "";
	out.reason_len = 0;
	return m->emit(m->arg, &out);
}

int
ipmerge_add(struct ipmerge *m, unsigned list,
    const struct store_entry *e)
{
	int r;

	if (m->has_pending && ipmerge_cmp(&m->pending.p, &e->prefix) == 0) {
		if (list == LIST_BLACK ? m->pending.has_black :
		    m->pending.has_white)
			return -1;
	} else {
		if (m->has_last && ipmerge_cmp(&m->last, &e->prefix) >= 0)
			return -1;
		if ((r = flush(m)) != 0)
			return r;
		memset(&m->pending, 0, sizeof(m->pending));
		m->pending.p = e->prefix;
		m->has_pending = 1;
		m->last = e->prefix;
		m->has_last = 1;
	}
	if (list == LIST_BLACK) {
		copy_entry(&m->pending.black, e);
		m->pending.has_black = 1;
	} else {
		copy_entry(&m->pending.white, e);
		m->pending.has_white = 1;
	}
	return 0;
}

int
ipmerge_end(struct ipmerge *m)
{
	return flush(m);
}

void
ipmerge_entry_push(struct store_entry **v, size_t *n,
    const struct store_entry *e)
{
	struct store_entry *w;
	char *s;

	/* room for 16, then doubled at each power of two */
	if (*n == 0 || (*n >= 16 && (*n & (*n - 1)) == 0))
		*v = xreallocarray(*v, *n == 0 ? 16 : *n * 2, sizeof(**v));
	w = &(*v)[(*n)++];
	*w = *e;
	s = xmalloc(e->reason_len + e->actor_len + e->dname_len + 1);
	memcpy(s, e->reason, e->reason_len);
	memcpy(s + e->reason_len, e->actor, e->actor_len);
	w->reason = s;
	w->actor = s + e->reason_len;
	if (e->dname != NULL) {
		memcpy(s + e->reason_len + e->actor_len, e->dname,
		    e->dname_len);
		w->dname = s + e->reason_len + e->actor_len;
	}
}

/* Each entry of the union carves out what the union does. */
void
ipmerge_exceptions(struct store_entry **white, size_t *nwhite,
    struct store_entry *exempt, size_t nexempt)
{
	struct store_entry *m, *e;
	const struct addr **stack;
	size_t iw = 0, ix = 0, n = 0, depth = 0;
	int cmp, drop, isx;

	if (nexempt == 0) {
		free(exempt);
		return;
	}
	m = xreallocarray(NULL, *nwhite + nexempt, sizeof(*m));
	stack = xreallocarray(NULL, nexempt, sizeof(*stack));
	while (iw < *nwhite || ix < nexempt) {
		cmp = iw == *nwhite ? 1 : ix == nexempt ? -1 :
		    ipmerge_cmp(&(*white)[iw].prefix, &exempt[ix].prefix);
		isx = cmp >= 0;
		e = isx ? &exempt[ix++] : &(*white)[iw++];
		if (cmp == 0)
			free((char *)(uintptr_t)(*white)[iw++].reason);
		while (depth > 0 && (stack[depth - 1]->af != e->prefix.af ||
		    !addr_contains(stack[depth - 1], &e->prefix)))
			depth--;
		drop = !isx && (e->flags & ENTRY_EXCLUDE) && depth > 0;
		if (drop) {
			free((char *)(uintptr_t)e->reason);
			continue;
		}
		m[n++] = *e;
		if (isx)
			stack[depth++] = &m[n - 1].prefix;
	}
	free(stack);
	free(*white);
	free(exempt);
	*white = m;
	*nwhite = n;
}
