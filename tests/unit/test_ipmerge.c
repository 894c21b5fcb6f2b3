/* SPDX-License-Identifier: ISC */
/*
 * test_ipmerge.c -- the black list with the white list's exceptions as
 * one rbldnsd list: tricky nestings written out, then many random lists
 * checked address by address, rdnsbld's rule (white beats black, longest
 * match in each list) against rbldnsd's (longest match, "!" excludes).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "ipmerge.h"
#include "store_list.h"
#include "../tap.h"

#define MAXE	64

struct list {
	struct store_entry	 e[MAXE];
	size_t			 n;
};

static struct list black, white, merged;
static char text[4096];

static int
cmp_entry(const void *a, const void *b)
{
	return ipmerge_cmp(&((const struct store_entry *)a)->prefix,
	    &((const struct store_entry *)b)->prefix);
}

/* "PREFIX[!] [CODE] [REASON]" into list l. */
static void
add(struct list *l, const char *s, uint32_t code, const char *reason,
    int64_t expires)
{
	struct store_entry *e = &l->e[l->n++];
	char err[128], p[64];
	size_t n = strcspn(s, "!");

	memset(e, 0, sizeof(*e));
	memcpy(p, s, n);
	p[n] = '\0';
	if (addr_parse(p, 0, &e->prefix, err, sizeof(err)) == -1) {
		printf("# bad fixture %s: %s\n", s, err);
		exit(1);
	}
	e->flags = s[n] == '!' ? ENTRY_EXCLUDE : 0;
	e->code = code;
	e->reason = reason;
	e->reason_len = strlen(reason);
	e->actor = "t";
	e->actor_len = 1;
	e->expires = expires;
}

/* The merge's output, kept in merged (strings are static). */
static int
emit(void *arg, const struct store_entry *e)
{
	static char reasons[MAXE][64];
	struct store_entry *o;

	(void)arg;
	if (merged.n == MAXE)
		return 1;
	o = &merged.e[merged.n];
	*o = *e;
	snprintf(reasons[merged.n], sizeof(reasons[0]), "%.*s",
	    (int)e->reason_len, e->reason);
	o->reason = reasons[merged.n];
	o->actor = "";
	o->actor_len = 0;
	merged.n++;
	return 0;
}

/* Merge black and white (each sorted here), feeding them interleaved. */
static int
merge(void)
{
	struct ipmerge *m;
	size_t b = 0, w = 0;
	int r = 0;

	qsort(black.e, black.n, sizeof(black.e[0]), cmp_entry);
	qsort(white.e, white.n, sizeof(white.e[0]), cmp_entry);
	merged.n = 0;
	m = ipmerge_new(emit, NULL);
	while (r == 0 && (b < black.n || w < white.n)) {
		if (w == white.n || (b < black.n &&
		    ipmerge_cmp(&black.e[b].prefix, &white.e[w].prefix) <= 0))
			r = ipmerge_add(m, LIST_BLACK, &black.e[b++]);
		else
			r = ipmerge_add(m, LIST_WHITE, &white.e[w++]);
	}
	if (r == 0)
		r = ipmerge_end(m);
	ipmerge_free(m);
	return r;
}

/* The merged list as text, one "PREFIX[!] CODE REASON EXPIRES" a line. */
static const char *
show(void)
{
	char p[ADDR_STRLEN];
	size_t i, o = 0;

	text[0] = '\0';
	for (i = 0; i < merged.n; i++) {
		const struct store_entry *e = &merged.e[i];

		o += (size_t)snprintf(text + o, sizeof(text) - o, "%s%s %u %s "
		    "%lld\n", (e->flags & ENTRY_EXCLUDE) ? "!" : "",
		    addr_format(&e->prefix, p, sizeof(p)), e->code & 0xff,
		    e->reason, (long long)e->expires);
	}
	return text;
}

/* The longest match of a in l, or NULL. */
static const struct store_entry *
match(const struct list *l, const struct addr *a)
{
	const struct store_entry *best = NULL;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (addr_contains(&l->e[i].prefix, a) &&
		    (best == NULL || l->e[i].prefix.len > best->prefix.len))
			best = &l->e[i];
	return best;
}

/* What a zone answers for a: NULL for not listed, else the value. */
static const struct store_entry *
rdnsbld(const struct addr *a)
{
	const struct store_entry *w = match(&white, a), *b = match(&black, a);

	if (w != NULL && !(w->flags & ENTRY_EXCLUDE))
		return NULL;
	if (b != NULL && !(b->flags & ENTRY_EXCLUDE))
		return b;
	return NULL;
}

static const struct store_entry *
rbldnsd(const struct addr *a)
{
	const struct store_entry *m = match(&merged, a);

	return m != NULL && !(m->flags & ENTRY_EXCLUDE) ? m : NULL;
}

/* Every address of base/len (v4 or v6): 1 when both answer alike. */
static int
agree(const char *base, int bits, char *why, size_t len)
{
	const struct store_entry *x, *y;
	struct addr a, b;
	char err[128], p[ADDR_STRLEN];
	unsigned i;

	addr_parse(base, 0, &b, err, sizeof(err));
	for (i = 0; i < (1U << bits); i++) {
		a = b;
		a.a[ADDR_BYTES(&a) - 1] = (uint8_t)i;
		if (bits > 8)
			a.a[ADDR_BYTES(&a) - 2] = (uint8_t)(i >> 8);
		x = rdnsbld(&a);
		y = rbldnsd(&a);
		if ((x == NULL) != (y == NULL) || (x != NULL &&
		    (x->code != y->code || x->reason_len != y->reason_len ||
		    memcmp(x->reason, y->reason, x->reason_len) != 0))) {
			snprintf(why, len, "%s: rdnsbld %s, rbldnsd %s",
			    addr_format(&a, p, sizeof(p)),
			    x ? x->reason : "not listed",
			    y ? y->reason : "not listed");
			return 0;
		}
	}
	return 1;
}

static void
reset(void)
{
	black.n = white.n = merged.n = 0;
}

/* A random prefix inside 10.0.0.0/24 (or 2001:db8::/120), /24-/32. */
static void
rnd_add(struct list *l, int v6)
{
	static const char *const reasons[] = { "", "a", "b" };
	struct store_entry *e;
	struct addr a;
	char err[64], p[ADDR_STRLEN + 8];
	int len = 24 + (int)(tap_rnd() % 9);
	size_t i;

	addr_parse(v6 ? "2001:db8::" : "10.0.0.0", 0, &a, err, sizeof(err));
	a.a[ADDR_BYTES(&a) - 1] = (uint8_t)tap_rnd();
	a.len = (uint8_t)(v6 ? len + 96 : len);
	addr_mask(&a);
	for (i = 0; i < l->n; i++)
		if (addr_equal(&l->e[i].prefix, &a))
			return;
	addr_format(&a, p, sizeof(p));
	if (tap_rnd() % 4 == 0)
		strcat(p, "!");
	add(l, p, (uint32_t)(tap_rnd() % 3) * 2, reasons[tap_rnd() % 3], 0);
	e = &l->e[l->n - 1];
	if (e->code != 0)
		e->code |= 0x7f000000;
}

int
main(void)
{
	char why[256];
	int i, k, bad = 0, v6;

	plan(16);

	/* white entries inside a black range: "!" lines */
	add(&black, "192.0.2.0/24", 0x7f000003, "spam", 0);
	add(&white, "192.0.2.7", 0, "partner", 1800000000);
	add(&white, "192.0.2.64/26", 0, "", 0);
	add(&white, "198.51.100.0/24", 0, "outside", 0);
	ok(merge() == 0, "merge: white inside black");
	is_str(show(),
	    "192.0.2.0/24 3 spam 0\n"
	    "!192.0.2.7 0  1800000000\n"
	    "!192.0.2.64/26 0  0\n",
	    "white inside black: ! lines with the white entry's expiry; a "
	    "white entry outside writes nothing");
	ok(agree("192.0.2.0", 8, why, sizeof(why)), "... every address "
	    "agrees %s", why);

	/* black inside white: not listed; a white exclusion reopens the
	 * enclosing black entry; black inside that exclusion is listed */
	reset();
	add(&black, "10.0.0.0/8", 0x7f000002, "wide", 0);
	add(&black, "10.1.2.0/24", 0x7f000004, "inner", 0);
	add(&black, "10.1.2.128/25", 0x7f000005, "deeper", 1900000000);
	add(&black, "10.1.3.0/24!", 0, "", 0);
	add(&white, "10.1.0.0/16", 0, "customer", 1700000000);
	add(&white, "10.1.2.0/23!", 0, "", 1750000000);
	add(&white, "10.1.2.192/26", 0, "again white", 0);
	add(&white, "10.1.2.224/27!", 0, "", 0);
	ok(merge() == 0, "merge: nested both ways");
	is_str(show(),
	    "10.0.0.0/8 2 wide 0\n"
	    "!10.1.0.0/16 0  1700000000\n"
	    "10.1.2.0/23 2 wide 1750000000\n"
	    "10.1.2.0/24 4 inner 0\n"
	    "10.1.2.128/25 5 deeper 1900000000\n"
	    "!10.1.2.192/26 0  0\n"
	    "10.1.2.224/27 5 deeper 1900000000\n"
	    "!10.1.3.0/24 0  0\n",
	    "nested: white exclusions reopen the black entry around them");
	ok(agree("10.1.2.0", 8, why, sizeof(why)) &&
	    agree("10.1.3.0", 8, why, sizeof(why)) &&
	    agree("10.1.0.0", 8, why, sizeof(why)) &&
	    agree("10.2.0.0", 8, why, sizeof(why)), "... every address "
	    "agrees %s", why);

	/* the same prefix on both lists: white wins; a white exclusion of
	 * the black prefix changes nothing; a black exclusion under a
	 * white range is not needed */
	reset();
	add(&black, "203.0.113.0/24", 0x7f000003, "x", 0);
	add(&white, "203.0.113.0/24", 0, "", 0);
	add(&black, "203.0.113.8/29!", 0, "", 0);
	add(&black, "198.18.0.0/16", 0, "y", 0);
	add(&white, "198.18.0.0/16!", 0, "", 0);
	add(&black, "2001:db8::/32", 0, "six", 0);
	add(&white, "2001:db8::1", 0, "", 0);
	ok(merge() == 0, "merge: equal prefixes");
	is_str(show(),
	    "198.18.0.0/16 0 y 0\n"
	    "2001:db8::/32 0 six 0\n"
	    "!2001:db8::1 0  0\n",
	    "equal prefixes: white wins, a white exclusion adds nothing");
	ok(agree("203.0.113.0", 8, why, sizeof(why)) &&
	    agree("2001:db8::", 8, why, sizeof(why)),
	    "... every address agrees %s", why);

	/* a black exclusion inside a white exclusion inside a white range
	 * inside black, and the exclusion that lasts longer */
	reset();
	add(&black, "172.16.0.0/24", 0x7f000003, "b", 0);
	add(&white, "172.16.0.0/25", 0, "", 1800000000);
	add(&white, "172.16.0.0/26!", 0, "", 0);
	add(&black, "172.16.0.0/27!", 0, "", 0);
	add(&black, "172.16.0.128/25!", 0, "", 1700000000);
	add(&white, "172.16.0.128/25", 0, "", 1600000000);
	ok(merge() == 0, "merge: exclusions on both sides");
	is_str(show(),
	    "172.16.0.0/24 3 b 0\n"
	    "!172.16.0.0/25 0  1800000000\n"
	    "172.16.0.0/26 3 b 0\n"
	    "!172.16.0.0/27 0  0\n"
	    "!172.16.0.128/25 0  1700000000\n",
	    "exclusions: the reopened range, the black one inside it, the "
	    "longer-lasting one of two");
	ok(agree("172.16.0.0", 8, why, sizeof(why)),
	    "... every address agrees %s", why);

	/* out of order: refused */
	reset();
	{
		struct ipmerge *m = ipmerge_new(emit, NULL);

		add(&black, "10.0.0.1", 0, "", 0);
		add(&black, "10.0.0.0/8", 0, "", 0);
		ok(ipmerge_add(m, LIST_BLACK, &black.e[0]) == 0 &&
		    ipmerge_add(m, LIST_BLACK, &black.e[1]) == -1 &&
		    ipmerge_add(m, LIST_WHITE, &black.e[0]) == 0 &&
		    ipmerge_add(m, LIST_WHITE, &black.e[0]) == -1,
		    "entries out of order or twice are refused");
		ipmerge_free(m);
	}

	/* random lists, every address of the range */
	for (v6 = 0; v6 <= 1; v6++) {
		for (i = 0; i < 500 && !bad; i++) {
			reset();
			for (k = (int)(tap_rnd() % 12); k > 0; k--)
				rnd_add(&black, v6);
			for (k = (int)(tap_rnd() % 12); k > 0; k--)
				rnd_add(&white, v6);
			if (merge() != 0 || !agree(v6 ? "2001:db8::" :
			    "10.0.0.0", 8, why, sizeof(why))) {
				bad = 1;
				printf("# round %d:\n", i);
				printf("%s", show());
			}
		}
		ok(!bad, "500 random %s lists: rbldnsd's answer is rdnsbld's "
		    "for every address %s", v6 ? "IPv6" : "IPv4",
		    bad ? why : "");
	}
	ok(merged.n <= black.n + white.n, "the merge writes no more lines "
	    "than the two lists have");
	return done();
}
