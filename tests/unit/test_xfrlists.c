/* SPDX-License-Identifier: ISC */
/*
 * test_xfrlists.c -- the lists of a zone as plain DNS data for a
 * transfer (xfrlists.h), checked against the query path's rule written
 * out plainly: many random combined address zones, address by address
 * (each list's longest match, "!" carving out of the list's own entries,
 * an exception that is no exclusion listing nothing), and many random
 * rhsbl zones, name by name, the records read back as a secondary
 * answers them (the name itself, an empty non-terminal, else the
 * wildcard of the closest encloser, else NXDOMAIN) against rbldnsd's
 * dnset rule (the entry for the name, else the wildcard entry of its
 * longest parent).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "ipmerge.h"
#include "store_list.h"
#include "xfrlists.h"
#include "../tap.h"

#define NLISTS	3
#define MAXE	24		/* entries of a list */
#define MAXOUT	4096		/* prefixes or names handed back */
#define ROUNDS	400

static int
cmp_entry(const void *a, const void *b)
{
	return ipmerge_cmp(&((const struct store_entry *)a)->prefix,
	    &((const struct store_entry *)b)->prefix);
}

/* --- address zones ------------------------------------------------------- */

struct aout {
	struct addr			 p;
	const struct store_entry	*hits[NLISTS];
};

static struct aout aout[MAXOUT];
static size_t naout;

static int
addr_emit(void *arg, const struct addr *prefix,
    const struct store_entry *const *hits, size_t n)
{
	(void)arg;
	if (naout == MAXOUT || n > NLISTS)
		return 1;
	aout[naout].p = *prefix;
	memset(aout[naout].hits, 0, sizeof(aout[naout].hits));
	memcpy(aout[naout].hits, hits, n * sizeof(*hits));
	naout++;
	return 0;
}

/*
 * n random distinct prefixes into v, sorted: 10.0.0.0/8 or 10.0.0.0/16
 * now and then, else one of /24-/32 inside 10.0.0.0/24; a quarter of
 * them exclusions.
 */
static size_t
rnd_prefixes(struct store_entry *v, size_t n)
{
	struct addr a;
	size_t i, k = 0;
	int len, dup;

	while (k < n) {
		len = tap_rnd() % 8 == 0 ? (tap_rnd() % 2 ? 8 : 16) :
		    24 + (int)(tap_rnd() % 9);
		addr_from_v4(&a, 0x0a000000U | (uint32_t)(tap_rnd() % 256));
		a.len = (uint8_t)len;
		addr_mask(&a);
		for (i = 0, dup = 0; i < k; i++)
			dup |= addr_equal(&v[i].prefix, &a);
		if (dup) {
			n--;
			continue;
		}
		memset(&v[k], 0, sizeof(v[k]));
		v[k].prefix = a;
		v[k].reason = v[k].actor = "";
		v[k].flags = tap_rnd() % 4 == 0 ? ENTRY_EXCLUDE : 0;
		k++;
	}
	qsort(v, k, sizeof(*v), cmp_entry);
	return k;
}

/* The longest match of a in v[0..n), or NULL. */
static const struct store_entry *
longest(const struct store_entry *v, size_t n, const struct addr *a)
{
	const struct store_entry *best = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].prefix.af == a->af && addr_contains(&v[i].prefix, a) &&
		    (best == NULL || v[i].prefix.len > best->prefix.len))
			best = &v[i];
	return best;
}

/*
 * One random zone of nl lists, with exceptions or not: every address of
 * 10.0.0.0/24 as the transfer gives it against the rule. Returns 1 when
 * they agree, else 0 with the first difference in why.
 */
static int
addr_round(size_t nl, int with_exc, char *why, size_t len)
{
	static struct store_entry v[NLISTS][MAXE], x[MAXE];
	struct xfrlists_list lists[NLISTS], exc;
	const struct store_entry *want[NLISTS], *got[NLISTS], *e;
	const struct aout *o;
	struct addr a;
	char as[ADDR_STRLEN];
	size_t i, l;
	unsigned h;

	for (l = 0; l < nl; l++) {
		lists[l].v = v[l];
		lists[l].n = rnd_prefixes(v[l], tap_rnd() % MAXE);
	}
	exc.v = x;
	exc.n = with_exc ? rnd_prefixes(x, tap_rnd() % 8) : 0;
	naout = 0;
	if (xfrlists_addr(lists, nl, &exc, addr_emit, NULL) != 0) {
		snprintf(why, len, "xfrlists_addr failed");
		return 0;
	}
	for (h = 0; h < 256; h++) {
		addr_from_v4(&a, 0x0a000000U | h);
		memset(want, 0, sizeof(want));
		if ((e = longest(exc.v, exc.n, &a)) == NULL ||
		    (e->flags & ENTRY_EXCLUDE))
			for (l = 0; l < nl; l++)
				if ((e = longest(v[l], lists[l].n, &a)) != NULL &&
				    !(e->flags & ENTRY_EXCLUDE))
					want[l] = e;
		/* the secondary: the longest prefix handed back */
		memset(got, 0, sizeof(got));
		for (i = 0, o = NULL; i < naout; i++)
			if (addr_contains(&aout[i].p, &a) &&
			    (o == NULL || aout[i].p.len > o->p.len))
				o = &aout[i];
		if (o != NULL)
			memcpy(got, o->hits, sizeof(got));
		for (l = 0; l < nl; l++)
			if (got[l] != want[l]) {
				snprintf(why, len, "%s, list %zu: got %s, want "
				    "%s", addr_format(&a, as, sizeof(as)), l,
				    got[l] ? "listed" : "not", want[l] ?
				    "listed" : "not");
				return 0;
			}
	}
	return 1;
}

/* --- rhsbl zones ---------------------------------------------------------- */

#define NAMELEN	16

struct nout {
	char				 name[NAMELEN];
	int				 wild, test, placeholder;
	const struct store_entry	*hits[NLISTS];
};

static struct nout nout[MAXOUT];
static size_t nnout;

static int
name_emit(void *arg, const char *name, int wild,
    const struct store_entry *const *hits, size_t n, int test)
{
	struct nout *o = &nout[nnout];

	(void)arg;
	if (nnout == MAXOUT || n > NLISTS || strlen(name) >= NAMELEN)
		return 1;
	snprintf(o->name, sizeof(o->name), "%s", name);
	o->wild = wild;
	o->test = test;
	memset(o->hits, 0, sizeof(o->hits));
	o->placeholder = hits == NULL;
	if (hits != NULL)
		memcpy(o->hits, hits, n * sizeof(*hits));
	nnout++;
	return 0;
}

/* The names of 1-4 labels a, b, c (labels below the apex). */
static char names[3 + 9 + 27 + 81][NAMELEN];
static size_t nnames;

static void
make_names(void)
{
	static const char lab[] = "abc";
	size_t from = 0, to, i;
	int d, k;

	for (k = 0; k < 3; k++)
		snprintf(names[nnames++], NAMELEN, "%c", lab[k]);
	for (d = 2; d <= 4; d++) {
		to = nnames;
		for (i = from; i < to; i++)
			for (k = 0; k < 3; k++)
				snprintf(names[nnames++], NAMELEN, "%c.%s",
				    lab[k], names[i]);
		from = to;
	}
}

/* The parent of name ("" for a name of one label). */
static const char *
parent(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot != NULL ? dot + 1 : "";
}

/* 1 if name is below (or is, with self) the name up ("": the apex). */
static int
below(const char *name, const char *up, int self)
{
	size_t n = strlen(name), u = strlen(up);

	if (u == 0)
		return self || n > 0;
	if (n == u)
		return self && strcmp(name, up) == 0;
	return n > u && name[n - u - 1] == '.' &&
	    strcmp(name + n - u, up) == 0;
}

/* rbldnsd's dnset: the entry for name, else the longest parent's "*.". */
static const struct store_entry *
dnset(const struct store_entry *v, size_t n, const char *name)
{
	const char *p;
	size_t i;

	for (i = 0; i < n; i++)
		if (!(v[i].flags & ENTRY_WILD) && strcmp(v[i].dname, name) == 0)
			return v[i].flags & ENTRY_EXCLUDE ? NULL : &v[i];
	for (p = parent(name); *p != '\0'; p = parent(p))
		for (i = 0; i < n; i++)
			if ((v[i].flags & ENTRY_WILD) &&
			    strcmp(v[i].dname, p) == 0)
				return v[i].flags & ENTRY_EXCLUDE ? NULL : &v[i];
	return NULL;
}

/* A name that exists in the records handed back (an owner, or above one). */
static int
exists(const char *name)
{
	size_t i;

	for (i = 0; i < nnout; i++)
		if (below(nout[i].name, name, 1))
			return 1;
	return 0;
}

/*
 * What a secondary answers for name from the records handed back, into
 * got[]: the name's own records; nothing for a name that exists without
 * them; else the wildcard of the closest encloser, if there is one.
 */
static void
secondary(const char *name, const struct store_entry **got)
{
	const char *ce;
	size_t i;

	memset(got, 0, NLISTS * sizeof(*got));
	for (i = 0; i < nnout; i++)
		if (!nout[i].wild && strcmp(nout[i].name, name) == 0) {
			memcpy(got, nout[i].hits, NLISTS * sizeof(*got));
			return;
		}
	if (exists(name))
		return;
	for (ce = parent(name); *ce != '\0' && !exists(ce); ce = parent(ce))
		;
	for (i = 0; i < nnout; i++)
		if (nout[i].wild && strcmp(nout[i].name, ce) == 0)
			memcpy(got, nout[i].hits, NLISTS * sizeof(*got));
}

static int
name_round(size_t nl, char *why, size_t len)
{
	static struct store_entry v[NLISTS][MAXE];
	struct xfrlists_list lists[NLISTS];
	const struct store_entry *want, *got[NLISTS];
	const char *nm;
	size_t i, l, k, j;
	int wild, dup;

	for (l = 0; l < nl; l++) {
		for (k = 0, i = tap_rnd() % MAXE; k < i; k++) {
			/* entries of 1-3 labels; a query goes one deeper */
			nm = names[tap_rnd() % (3 + 9 + 27)];
			wild = tap_rnd() % 2 ? ENTRY_WILD : 0;
			for (j = 0, dup = 0; j < k; j++)
				dup |= (v[l][j].flags & ENTRY_WILD) ==
				    (unsigned)wild && strcmp(v[l][j].dname, nm) == 0;
			if (dup) {
				k--;
				i--;
				continue;
			}
			memset(&v[l][k], 0, sizeof(v[l][k]));
			v[l][k].dname = nm;
			v[l][k].dname_len = strlen(nm);
			v[l][k].reason = v[l][k].actor = "";
			v[l][k].flags = (uint32_t)wild |
			    (tap_rnd() % 4 == 0 ? ENTRY_EXCLUDE : 0);
		}
		lists[l].v = v[l];
		lists[l].n = k;
	}
	nnout = 0;
	if (xfrlists_names(lists, nl, name_emit, NULL) != 0) {
		snprintf(why, len, "xfrlists_names failed");
		return 0;
	}
	for (i = 0; i < nnames; i++) {
		secondary(names[i], got);
		for (l = 0; l < nl; l++) {
			want = dnset(v[l], lists[l].n, names[i]);
			if (got[l] != want) {
				snprintf(why, len, "%s, list %zu: got %s, want "
				    "%s", names[i], l, got[l] ? got[l]->dname :
				    "not listed", want ? want->dname :
				    "not listed");
				return 0;
			}
		}
	}
	return 1;
}

int
main(void)
{
	static struct store_entry one[1];
	struct xfrlists_list l;
	const struct store_entry *got[NLISTS];
	char why[256] = "";
	int i, bad;

	plan(8);
	make_names();

	/* The RFC 5782 test name, with no list entries at all. */
	l.v = one;
	l.n = 0;
	nnout = 0;
	ok(xfrlists_names(&l, 1, name_emit, NULL) == 0 && nnout == 1 &&
	    strcmp(nout[0].name, "test") == 0 && nout[0].test &&
	    !nout[0].wild, "an empty rhsbl zone holds the test name alone");
	/* An exclusion below a wildcard: a name that stops the wildcard. */
	memset(one, 0, sizeof(one));
	one[0].dname = "b.a";
	one[0].dname_len = 3;
	one[0].reason = one[0].actor = "";
	one[0].flags = ENTRY_WILD;
	l.n = 1;
	nnout = 0;
	(void)xfrlists_names(&l, 1, name_emit, NULL);
	secondary("c.b.a", got);
	ok(got[0] == &one[0], "*.b.a lists c.b.a");
	secondary("b.a", got);
	ok(got[0] == NULL, "... but not b.a itself");

	for (i = 0, bad = 0; i < ROUNDS && !bad; i++)
		bad = !addr_round(1 + (size_t)i % NLISTS, 0, why, sizeof(why));
	ok(!bad, "%d random address zones of 1-3 lists agree address by "
	    "address %s", i, why);
	for (i = 0, bad = 0; i < ROUNDS && !bad; i++)
		bad = !addr_round(1 + (size_t)i % NLISTS, 1, why, sizeof(why));
	ok(!bad, "%d random dnsbl zones with exceptions agree %s", i, why);
	for (i = 0, bad = 0; i < ROUNDS && !bad; i++)
		bad = !name_round(1, why, sizeof(why));
	ok(!bad, "%d random rhsbl zones of one list agree name by name %s",
	    i, why);
	for (i = 0, bad = 0; i < ROUNDS && !bad; i++)
		bad = !name_round(1 + (size_t)i % NLISTS, why, sizeof(why));
	ok(!bad, "%d random rhsbl zones of 1-3 lists agree name by name %s",
	    i, why);
	ok(nnames == 120, "the names checked: %zu", nnames);
	return done();
}
