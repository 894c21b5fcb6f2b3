/* SPDX-License-Identifier: ISC */
/*
 * test_xfrdiff.c -- the difference of two versions of a zone's records
 * (xfrdiff.h): the region of a prefix and of an owner name, at and
 * around the first label's edges, and of an rhsbl zone's names (their
 * last two labels); then many random pairs of sets
 * drawn from one pool of records, some regions marked, against the
 * difference worked out plainly (a record of a marked region in one set
 * and not in the other): every deletion once, then every addition once,
 * nothing else, and a callback's non-zero stopping the walk.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "xfrdiff.h"
#include "../tap.h"

#define POOL	300		/* records to draw from */
#define ROUNDS	300

struct rec {
	uint8_t		name[64];
	size_t		nlen;
	uint16_t	type;
	uint32_t	ttl;
	uint8_t		rd[8];
	size_t		rdlen;
	int		region;
};

static struct rec pool[POOL];

/* Region of the prefix "s". */
static int
region_of(const char *s)
{
	struct addr a;
	char err[128];

	if (addr_parse(s, 0, &a, err, sizeof(err)) == -1) {
		printf("# %s: %s\n", s, err);
		return -2;
	}
	return xfrdiff_region(&a);
}

/* The dotted labels (below the apex) in wire form into w: the length. */
static size_t
wire(const char *labels, uint8_t *w)
{
	const char *p = labels, *dot;
	size_t n = 0;

	while (*p != '\0') {
		dot = strchr(p, '.');
		if (dot == NULL)
			dot = p + strlen(p);
		w[n++] = (uint8_t)(dot - p);
		memcpy(w + n, p, (size_t)(dot - p));
		n += (size_t)(dot - p);
		p = *dot == '.' ? dot + 1 : dot;
	}
	return n;
}

/* Region of the owner "labels". */
static int
owner_of(const char *labels)
{
	uint8_t w[256];

	return xfrdiff_owner_region(w, wire(labels, w));
}

static void
regions(void)
{
	is_int(region_of("10.0.0.0/8"), 10, "IPv4 /8: its first octet");
	is_int(region_of("192.0.2.1"), 192, "IPv4 /32: its first octet");
	is_int(region_of("255.255.255.255"), 255, "the last IPv4 region");
	is_int(region_of("10.0.0.0/7"), -1, "IPv4 /7 covers two: none");
	is_int(region_of("0.0.0.0/0"), -1, "IPv4 /0: none");
	is_int(region_of("2001:db8::/32"), 2, "IPv6 2001:db8::/32: nibble 2");
	is_int(region_of("a000::/4"), 256, "IPv6 a000::/4: region a");
	is_int(region_of("ffff::1"), 256 + 5, "IPv6 ffff::1: region f");
	is_int(region_of("2000::/3"), -1, "IPv6 /3 covers two: none");
	is_int(owner_of("1.2.0.192"), 192, "owner 1.2.0.192: region 192");
	is_int(owner_of("*.10"), 10, "owner *.10: region 10");
	is_int(owner_of("7"), 7, "owner 7: region 7");
	is_int(owner_of("0"), 0, "owner 0: region 0");
	is_int(owner_of("8.b.d.0.1.0.0.2"), 2, "an IPv6 owner: its nibble");
	is_int(owner_of("1.e"), 256 + 4, "owner under e: region e");
	is_int(owner_of("256"), -1, "owner 256: no region");
	is_int(owner_of("1000"), -1, "four digits: no region");
	is_int(owner_of("g"), -1, "owner g: no region");
	is_int(owner_of("ab"), -1, "owner ab: no region");
	is_int(owner_of("1.2x"), -1, "a label with a letter: no region");
	is_int(xfrdiff_owner_region((const uint8_t *)"", 0), -1,
	    "the apex: no region");
}

/* Region of the owner "labels" in an rhsbl zone. */
static int
owner_name_of(const char *labels)
{
	uint8_t w[256];

	return xfrdiff_owner_name_region(w, wire(labels, w));
}

static void
name_regions(void)
{
	uint8_t in[XFRDIFF_REGIONS], w[256];
	struct xfrdiff_set *s;
	int ex = xfrdiff_name_region("spam.example.com", 16);

	ok(ex >= 0 && ex < XFRDIFF_REGIONS, "a name's region: %d", ex);
	is_int(xfrdiff_name_region("example.com", 11), ex,
	    "... its last two labels'");
	is_int(owner_name_of("x.y.example.com"), ex,
	    "an owner under example.com: the same");
	is_int(owner_name_of("*.example.COM"), ex, "... in any case");
	is_int(owner_name_of("example.com"), ex, "... and example.com itself");
	ok(xfrdiff_name_region("example.org", 11) != ex &&
	    owner_name_of("*.example.org") ==
	    xfrdiff_name_region("a.example.org", 13),
	    "example.org: another region, the same for its entries and "
	    "owners");
	is_int(xfrdiff_name_region("com", 3), -1,
	    "a top-level domain: none (it reaches into every region)");
	is_int(xfrdiff_name_region("", 0), -1, "an empty name: none");
	is_int(xfrdiff_name_region("example.", 8), -1,
	    "an empty last label: none");
	is_int(xfrdiff_name_region("a..com", 6), -1,
	    "an empty label before it: none");
	ok(owner_name_of("com") >= 0, "an owner of one label: its own");
	is_int(xfrdiff_owner_name_region(w, 0), -1, "the apex: none");
	memset(in, 0, sizeof(in));
	in[ex] = 1;
	s = xfrdiff_new(in, 1);
	xfrdiff_add(s, w, wire("a.example.com", w), 1, 60,
	    (const uint8_t *)"\177\0\0\2", 4);
	xfrdiff_add(s, w, wire("a.example.org", w), 1, 60,
	    (const uint8_t *)"\177\0\0\2", 4);
	xfrdiff_add(s, w, wire("10", w), 1, 60,
	    (const uint8_t *)"\177\0\0\2", 4);
	is_int(xfrdiff_count(s), 1,
	    "a set of names keeps its marked region's records only");
	xfrdiff_free(s);
}

/* A pool of distinct records over a few regions. */
static void
pool_fill(void)
{
	static const int regs[] = { 0, 2, 10, 127, 192, 255, 256, 261 };
	struct rec *r;
	size_t i;
	char s[64];
	int reg;

	for (i = 0; i < POOL; i++) {
		r = &pool[i];
		reg = regs[i % (sizeof(regs) / sizeof(regs[0]))];
		if (reg >= 256)
			snprintf(s, sizeof(s), "%zu.%c", i, 'a' + reg - 256);
		else
			snprintf(s, sizeof(s), "%zu.%d", i, reg);
		r->nlen = wire(s, r->name);
		r->type = i % 3 == 0 ? 16 : 1;	/* TXT or A */
		r->ttl = i % 5 == 0 ? 300 : 2100;
		r->rdlen = 4 + i % 4;
		memset(r->rd, 0, sizeof(r->rd));
		r->rd[0] = 127;
		r->rd[3] = (uint8_t)(2 + i % 7);
		r->region = reg;
	}
	/* records that differ in one field only: the same name and type */
	for (i = 1; i < POOL; i += 10) {
		memcpy(pool[i].name, pool[i - 1].name, pool[i - 1].nlen);
		pool[i].nlen = pool[i - 1].nlen;
		pool[i].region = pool[i - 1].region;
		pool[i].type = pool[i - 1].type;
		pool[i].rdlen = pool[i - 1].rdlen;
		memcpy(pool[i].rd, pool[i - 1].rd, sizeof(pool[i].rd));
		if (i % 20 == 1)
			pool[i].ttl = pool[i - 1].ttl + 1;
		else
			pool[i].rd[pool[i].rdlen - 1] ^= 0x55;
	}
}

/* What the walk saw: each pool record's deletions and additions. */
struct seen {
	int	del[POOL], add[POOL];
	int	order_bad;	/* a deletion after an addition */
	int	adds;
	int	calls, stop_at;
	int	unknown;
};

static int
find(const uint8_t *name, size_t nlen, uint16_t type, uint32_t ttl,
    const uint8_t *rd, size_t rdlen)
{
	size_t i;

	for (i = 0; i < POOL; i++)
		if (pool[i].nlen == nlen && memcmp(pool[i].name, name,
		    nlen) == 0 && pool[i].type == type && pool[i].ttl == ttl &&
		    pool[i].rdlen == rdlen && memcmp(pool[i].rd, rd,
		    rdlen) == 0)
			return (int)i;
	return -1;
}

static int
seen_cb(void *arg, int del, const uint8_t *name, size_t nlen,
    uint16_t type, uint32_t ttl, const uint8_t *rd, size_t rdlen)
{
	struct seen *s = arg;
	int i = find(name, nlen, type, ttl, rd, rdlen);

	s->calls++;
	if (i == -1)
		s->unknown++;
	else if (del) {
		s->del[i]++;
		if (s->adds > 0)
			s->order_bad = 1;
	} else {
		s->add[i]++;
		s->adds++;
	}
	return s->stop_at > 0 && s->calls == s->stop_at ? 7 : 0;
}

static void
rounds(void)
{
	uint8_t in[XFRDIFF_REGIONS];
	static struct seen s;
	struct xfrdiff_set *o, *n;
	int ino[POOL], inn[POOL];
	size_t i, kept_o, kept_n, want_calls;
	int round, bad = 0, badcount = 0, badorder = 0, r;

	for (round = 0; round < ROUNDS; round++) {
		memset(in, 0, sizeof(in));
		for (i = 0; i < XFRDIFF_REGIONS; i++)
			in[i] = tap_rnd() % 3 == 0;
		o = xfrdiff_new(in, 0);
		n = xfrdiff_new(in, 0);
		kept_o = kept_n = 0;
		/* added in random order; empty sets now and then */
		for (i = 0; i < POOL; i++) {
			ino[i] = round % 17 != 0 && tap_rnd() % 2 == 0;
			inn[i] = round % 19 != 0 && (tap_rnd() % 8 == 0 ?
			    !ino[i] : ino[i]);
		}
		for (i = 0; i < POOL; i++) {
			size_t k = (i * 7 + (size_t)round) % POOL;

			if (ino[k])
				xfrdiff_add(o, pool[k].name, pool[k].nlen,
				    pool[k].type, pool[k].ttl, pool[k].rd,
				    pool[k].rdlen);
			if (inn[k])
				xfrdiff_add(n, pool[k].name, pool[k].nlen,
				    pool[k].type, pool[k].ttl, pool[k].rd,
				    pool[k].rdlen);
			kept_o += ino[k] && in[pool[k].region];
			kept_n += inn[k] && in[pool[k].region];
		}
		if (xfrdiff_count(o) != kept_o || xfrdiff_count(n) != kept_n)
			badcount++;
		memset(&s, 0, sizeof(s));
		want_calls = 0;
		r = xfrdiff_diff(o, n, seen_cb, &s);
		for (i = 0; i < POOL; i++) {
			int marked = in[pool[i].region];
			int wdel = marked && ino[i] && !inn[i];
			int wadd = marked && inn[i] && !ino[i];

			want_calls += (size_t)(wdel + wadd);
			if (s.del[i] != wdel || s.add[i] != wadd) {
				if (bad++ < 3)
					printf("# round %d record %zu: del %d "
					    "(want %d) add %d (want %d)\n",
					    round, i, s.del[i], wdel, s.add[i],
					    wadd);
			}
		}
		if (r != 0 || s.unknown || (size_t)s.calls != want_calls)
			bad++;
		badorder += s.order_bad;
		/* again, stopped after the first few calls */
		if (want_calls >= 3) {
			memset(&s, 0, sizeof(s));
			s.stop_at = 3;
			r = xfrdiff_diff(o, n, seen_cb, &s);
			if (r != 7 || s.calls != 3)
				bad++;
		}
		xfrdiff_free(o);
		xfrdiff_free(n);
	}
	is_int(badcount, 0, "%d rounds: each set keeps its marked regions' "
	    "records only", ROUNDS);
	is_int(bad, 0, "... the difference is exactly the records of one "
	    "set the other lacks, and a non-zero return stops the walk");
	is_int(badorder, 0, "... deletions all come before additions");
	xfrdiff_free(NULL);
	ok(1, "xfrdiff_free(NULL) is a no-op");
}

/* A thread's work: diff sets of many records, again and again. */
#define TRECS	20000
#define TDIFFS	20

static int
count_cb(void *arg, int del, const uint8_t *name, size_t nlen,
    uint16_t type, uint32_t ttl, const uint8_t *rd, size_t rdlen)
{
	(void)del;
	(void)name;
	(void)nlen;
	(void)type;
	(void)ttl;
	(void)rd;
	(void)rdlen;
	(*(size_t *)arg)++;
	return 0;
}

static void *
worker(void *arg)
{
	uint8_t in[XFRDIFF_REGIONS], w[64], rd[4] = { 127, 0, 0, 2 };
	struct xfrdiff_set *o, *n;
	char s[64];
	size_t i, k, calls;
	uintptr_t t = (uintptr_t)arg, bad = 0;

	memset(in, 1, sizeof(in));
	for (k = 0; k < TDIFFS; k++) {
		o = xfrdiff_new(in, 0);
		n = xfrdiff_new(in, 0);
		/* the same names in another order; every 10th only in o */
		for (i = 0; i < TRECS; i++) {
			snprintf(s, sizeof(s), "%zu.%zu.%zu",
			    (i * 7919 + t) % TRECS, i % 256, (i + t) % 256);
			xfrdiff_add(o, w, wire(s, w), 1, 60, rd, sizeof(rd));
			if (i % 10 != 0)
				xfrdiff_add(n, w, wire(s, w), 1, 60, rd,
				    sizeof(rd));
		}
		calls = 0;
		if (xfrdiff_diff(o, n, count_cb, &calls) != 0 ||
		    calls != TRECS / 10)
			bad++;
		xfrdiff_free(o);
		xfrdiff_free(n);
	}
	return (void *)bad;
}

static void
threads(void)
{
	pthread_t th[4];
	void *r;
	uintptr_t bad = 0;
	size_t i;

	for (i = 0; i < 4; i++)
		if (pthread_create(&th[i], NULL, worker, (void *)i) != 0)
			bad++;
	for (i = 0; i < 4; i++) {
		r = NULL;
		(void)pthread_join(th[i], &r);
		bad += (uintptr_t)r;
	}
	is_int(bad, 0, "4 threads diff sets of their own at once: each "
	    "finds its own difference (%d diffs each)", TDIFFS);
}

int
main(void)
{
	plan(39);
	regions();
	name_regions();
	pool_fill();
	rounds();
	threads();
	return done();
}
