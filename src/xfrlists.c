/* SPDX-License-Identifier: ISC */
/*
 * xfrlists.c -- several lists as one value per prefix or name
 * (xfrlists.h).
 *
 * Addresses: the lists and the exceptions are merged in store order,
 * each with a stack of its prefixes that enclose the current one; the
 * top of each stack is that list's longest match for the addresses that
 * no longer prefix holds. A stack of the values handed out drops a
 * prefix that answers as the one around it does.
 *
 * Names: the entries of all the lists are sorted by their labels from
 * the top ("com", "example", "www"), which puts every name before the
 * names below it, and walked with the path from the apex kept open: at
 * each level, each list's wildcard that the names below inherit.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "xfrlists.h"
#include "ipmerge.h"
#include "util.h"
#include "zone.h"

#define STACK_MAX	130		/* nested prefixes: lengths 0-128 */
#define NAME_DEPTH	128		/* labels of a name */
#define NSTREAM		(ZONE_LISTS_MAX + 1)

struct stream {
	const struct xfrlists_list	*l;
	size_t				 next;
	const struct store_entry	*st[STACK_MAX];
	int				 n;
};

/* A value handed out, and its prefix. */
struct out {
	struct addr			 p;
	const struct store_entry	*hits[ZONE_LISTS_MAX];
};

static int
encloses(const struct addr *q, const struct addr *p)
{
	return q->len <= p->len && addr_contains(q, p);
}

int
xfrlists_addr(const struct xfrlists_list *lists, size_t nlists,
    const struct xfrlists_list *exc, xfrlists_addr_fn *fn, void *arg)
{
	static const struct store_entry *const none[ZONE_LISTS_MAX];
	struct stream *s;
	struct out *o;
	const struct store_entry *hits[ZONE_LISTS_MAX], *top;
	const struct addr *p;
	size_t ns = nlists + 1, i;
	int no = 0, rc = 0, excepted;

	if (nlists > ZONE_LISTS_MAX)
		return -1;
	s = xcalloc(NSTREAM, sizeof(*s));
	o = xcalloc(STACK_MAX, sizeof(*o));
	for (i = 0; i < nlists; i++)
		s[i].l = &lists[i];
	s[nlists].l = exc;
	for (;;) {
		/* the smallest prefix at the head of a stream */
		p = NULL;
		for (i = 0; i < ns; i++)
			if (s[i].l != NULL && s[i].next < s[i].l->n && (p ==
			    NULL || ipmerge_cmp(&s[i].l->v[s[i].next].prefix,
			    p) < 0))
				p = &s[i].l->v[s[i].next].prefix;
		if (p == NULL)
			break;
		for (i = 0; i < ns; i++) {
			struct stream *t = &s[i];

			if (t->l == NULL)
				continue;
			while (t->n > 0 && !encloses(&t->st[t->n - 1]->prefix,
			    p))
				t->n--;
			while (t->next < t->l->n && ipmerge_cmp(
			    &t->l->v[t->next].prefix, p) == 0) {
				if (t->n == STACK_MAX) {
					rc = -1;
					goto end;
				}
				t->st[t->n++] = &t->l->v[t->next++];
			}
			/* store order: nothing may come before p now */
			if (t->next < t->l->n && ipmerge_cmp(
			    &t->l->v[t->next].prefix, p) < 0) {
				rc = -1;
				goto end;
			}
		}
		top = s[nlists].n > 0 ? s[nlists].st[s[nlists].n - 1] : NULL;
		excepted = top != NULL && !(top->flags & ENTRY_EXCLUDE);
		for (i = 0; i < nlists; i++) {
			top = s[i].n > 0 ? s[i].st[s[i].n - 1] : NULL;
			hits[i] = !excepted && top != NULL &&
			    !(top->flags & ENTRY_EXCLUDE) ? top : NULL;
		}
		while (no > 0 && !encloses(&o[no - 1].p, p))
			no--;
		if (memcmp(hits, no > 0 ? o[no - 1].hits : none,
		    nlists * sizeof(hits[0])) == 0)
			continue;
		if (no == STACK_MAX) {
			rc = -1;
			goto end;
		}
		o[no].p = *p;
		memcpy(o[no].hits, hits, nlists * sizeof(hits[0]));
		no++;
		if ((rc = fn(arg, p, hits, nlists)) != 0)
			goto end;
	}
end:
	free(s);
	free(o);
	return rc;
}

/* An entry of a domain list, with its name's labels from the top. */
struct dent {
	const struct store_entry	*e;	/* NULL: the test name */
	size_t				 list;
	char				*key;	/* labels, "\1" between */
};

static int
dent_cmp(const void *a, const void *b)
{
	const struct dent *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->list < y->list ? -1 : x->list > y->list;
}

/* "www.example.com" as "com\1example\1www". */
static char *
top_key(const char *name, size_t len)
{
	char *k = xmalloc(len + 1);
	size_t o = 0, end = len, i;

	while (end > 0) {
		for (i = end; i > 0 && name[i - 1] != '.'; i--)
			;
		if (o > 0)
			k[o++] = '\1';
		memcpy(k + o, name + i, end - i);
		o += end - i;
		end = i > 0 ? i - 1 : 0;
	}
	k[o] = '\0';
	return k;
}

/* The name of key's first labels labels, in DNS order, into out. */
static void
key_name(const char *key, int labels, char *out)
{
	const char *lab[NAME_DEPTH];
	size_t len[NAME_DEPTH], o = 0;
	int n = 0, i;

	while (n < labels) {
		lab[n] = key;
		key += strcspn(key, "\1");
		len[n] = (size_t)(key - lab[n]);
		n++;
		if (*key == '\1')
			key++;
	}
	for (i = n - 1; i >= 0; i--) {
		memcpy(out + o, lab[i], len[i]);
		o += len[i];
		if (i > 0)
			out[o++] = '.';
	}
	out[o] = '\0';
}

/* Labels of key; and the labels that keys a and b share, from the top. */
static int
key_labels(const char *k)
{
	int n = *k != '\0';

	for (; *k; k++)
		n += *k == '\1';
	return n;
}

static int
key_common(const char *a, const char *b)
{
	int n = 0;
	size_t la, lb;

	for (;;) {
		la = strcspn(a, "\1");
		lb = strcspn(b, "\1");
		if (la != lb || memcmp(a, b, la) != 0 || la == 0)
			return n;
		n++;
		if (a[la] == '\0' || b[lb] == '\0')
			return n;
		a += la + 1;
		b += lb + 1;
	}
}

static int
any(const struct store_entry *const *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (h[i] != NULL)
			return 1;
	return 0;
}

/* The wildcards that level d of the open path passes down: [d][list]. */
typedef const struct store_entry *wildrow[ZONE_LISTS_MAX];

static int
name_node(const char *key, int d, const wildrow node, const wildrow wild,
    size_t nlists, int target, int test, xfrlists_name_fn *fn, void *arg)
{
	char name[STORE_DNAME_MAX + 2];
	int rc;

	key_name(key, d, name);
	/* a name with entries of its own exists, listed or not */
	if (test || target || any(node, nlists))
		if ((rc = fn(arg, name, 0, any(node, nlists) || test ? node :
		    NULL, nlists, test)) != 0)
			return rc;
	/* an unlisted wildcard is left out: no name below, NXDOMAIN */
	if (any(wild, nlists))
		return fn(arg, name, 1, wild, nlists, 0);
	return 0;
}

int
xfrlists_names(const struct xfrlists_list *lists, size_t nlists,
    xfrlists_name_fn *fn, void *arg)
{
	struct dent *v;
	wildrow *path, node, wild;
	const char *prev = "";
	size_t n = 1, k = 0, i, j;
	int d, pd = 0, c, rc = 0, test;

	if (nlists > ZONE_LISTS_MAX)
		return -1;
	for (i = 0; i < nlists; i++)
		n += lists[i].n;
	v = xcalloc(n, sizeof(*v));
	v[k].key = xstrdup("test");
	v[k++].list = nlists;
	for (i = 0; i < nlists; i++)
		for (j = 0; j < lists[i].n; j++) {
			v[k].e = &lists[i].v[j];
			v[k].list = i;
			v[k].key = top_key(v[k].e->dname, v[k].e->dname_len);
			k++;
		}
	qsort(v, n, sizeof(*v), dent_cmp);
	path = xcalloc(NAME_DEPTH + 1, sizeof(*path));
	for (i = 0; i < n && rc == 0; i = j) {
		for (j = i + 1; j < n && strcmp(v[j].key, v[i].key) == 0; j++)
			;
		if ((d = key_labels(v[i].key)) > NAME_DEPTH || d == 0)
			continue;
		c = key_common(prev, v[i].key);
		/* the names above this one that do not exist yet */
		for (pd = c + 1; pd < d && rc == 0; pd++) {
			memcpy(path[pd], path[pd - 1], sizeof(path[pd]));
			rc = name_node(v[i].key, pd, path[pd], path[pd],
			    nlists, 0, 0, fn, arg);
		}
		/* what each list says of the name and of the names below */
		memcpy(node, path[d - 1], sizeof(node));
		memcpy(wild, path[d - 1], sizeof(wild));
		test = 0;
		for (k = i; k < j; k++) {
			const struct store_entry *e = v[k].e;

			if (e == NULL) {
				test = 1;
				continue;
			}
			if (e->flags & ENTRY_WILD)
				wild[v[k].list] = e->flags & ENTRY_EXCLUDE ?
				    NULL : e;
			else
				node[v[k].list] = e->flags & ENTRY_EXCLUDE ?
				    NULL : e;
		}
		/* RFC 5782: "invalid" is listed by no list */
		if (d == 1 && strcmp(v[i].key, "invalid") == 0)
			memset(node, 0, sizeof(node));
		memcpy(path[d], wild, sizeof(path[d]));
		if (rc == 0)
			rc = name_node(v[i].key, d, test ? path[0] : node,
			    wild, nlists, 1, test, fn, arg);
		prev = v[i].key;
	}
	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
	free(path);
	return rc;
}
