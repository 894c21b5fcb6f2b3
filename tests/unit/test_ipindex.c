/* SPDX-License-Identifier: ISC */
/*
 * test_ipindex.c -- the compact copy of the lists against a plain model:
 * a table of every (list, len, addr) with its info, searched longest
 * prefix first by brute force; for IPv6 the same, and the boundaries of
 * the two words an address is kept in.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipindex.h"
#include "../tap.h"

#define MODEL_MAX	16384

struct ment {
	uint32_t	 addr;
	int		 list, len, live;
	uint16_t	 info;
};

static struct ment model[MODEL_MAX];
static size_t nmodel;
static uint32_t rnd_state = 12345;

static uint32_t
rnd(void)
{
	rnd_state = rnd_state * 1103515245U + 12345U;
	return rnd_state >> 8 ^ rnd_state << 13;
}

static uint32_t
mask(uint32_t a, int len)
{
	return len == 0 ? 0 : a & (0xffffffffU << (32 - len));
}

static struct ment *
model_find(int list, int len, uint32_t addr)
{
	size_t i;

	for (i = 0; i < nmodel; i++)
		if (model[i].list == list && model[i].len == len &&
		    model[i].addr == addr)
			return &model[i];
	return NULL;
}

static void
model_set(int list, int len, uint32_t addr, uint16_t info, int live)
{
	struct ment *m = model_find(list, len, mask(addr, len));

	if (m == NULL && nmodel < MODEL_MAX) {
		m = &model[nmodel++];
		m->list = list;
		m->len = len;
		m->addr = mask(addr, len);
	}
	if (m != NULL) {
		m->info = info;
		m->live = live;
	}
}

static int
model_lookup(int list, uint32_t addr, int maxlen, int *len, uint16_t *info)
{
	size_t i;
	int found = 0;

	for (i = 0; i < nmodel; i++)
		if (model[i].live && model[i].list == list &&
		    model[i].len <= maxlen && (!found || model[i].len > *len) &&
		    mask(addr, model[i].len) == model[i].addr) {
			*len = model[i].len;
			*info = model[i].info;
			found = 1;
		}
	return found;
}

/* A random length, mostly the common ones. */
static int
rnd_len(void)
{
	static const int common[] = { 32, 32, 32, 24, 24, 16, 28, 8, 0, 31 };

	if (rnd() % 4 == 0)
		return (int)(rnd() % 33);
	return common[rnd() % (sizeof(common) / sizeof(common[0]))];
}

/* An address near the entries: inside one, or at random. */
static uint32_t
rnd_addr(void)
{
	if (nmodel > 0 && rnd() % 2)
		return model[rnd() % nmodel].addr | (rnd() & 0xff);
	return rnd();
}

/* Compare n lookups of the index and of the model; the mismatches. */
static int
compare(const struct ipindex *ix, int n)
{
	uint16_t i1, i2;
	uint32_t a;
	int k, l1, l2, f1, f2, maxlen, list, bad = 0;

	for (k = 0; k < n; k++) {
		a = rnd_addr();
		list = (int)(rnd() % 2);
		maxlen = rnd() % 5 == 0 ? (int)(rnd() % 33) : 32;
		l1 = l2 = -1;
		i1 = i2 = 0;
		/* as a batch does: the prefetch reads the directory */
		ipx_prefetch(ix, a, 0);
		ipx_prefetch(ix, a, 1);
		f1 = ipx_lookup(ix, list, a, maxlen, &l1, &i1);
		f2 = model_lookup(list, a, maxlen, &l2, &i2);
		if (f1 != f2 || (f1 && (l1 != l2 || i1 != i2))) {
			if (bad++ < 5)
				printf("# %08x list %d max %d: index %d/%d/%u,"
				    " model %d/%d/%u\n", a, list, maxlen, f1,
				    l1, i1, f2, l2, i2);
		}
	}
	return bad;
}

static void
test_info(void)
{
	struct ipindex *ix = ipx_new();
	uint32_t flags, code;
	uint16_t a, b;
	int i, full = 0;

	a = ipx_info(ix, 0, 0x7f000002, 0);
	b = ipx_info(ix, 1, 0x7f000002, 0);
	ok(a != b && a != IPX_DETAIL && b != IPX_DETAIL,
	    "info: distinct pairs, distinct infos");
	is_int(ipx_info(ix, 0, 0x7f000002, 0), a, "info: same pair, same info");
	ipx_info_get(ix, b, &flags, &code);
	ok(flags == 1 && code == 0x7f000002, "info: the pair comes back");
	is_int(ipx_info(ix, 0, 0, 1700000000), IPX_DETAIL,
	    "info: an entry that expires is looked up in the database");
	for (i = 0; i < IPX_INFO_MAX + 10; i++)
		if (ipx_info(ix, 0, (uint32_t)i, 0) == IPX_DETAIL)
			full++;
	ok(full == 12,
	    "info: pairs beyond the table are looked up in the database");
	ipx_free(ix);
}

static void
test_model(void)
{
	struct ipindex *ix = ipx_new();
	struct ipx_change c[300];
	uint32_t a;
	uint16_t info;
	int i, k, n, round, len, list, bad = 0, lbad = 0;

	/* Built out of order, with duplicates (the last one wins). */
	for (i = 0; i < 2000; i++) {
		a = rnd();
		len = rnd_len();
		list = (int)(rnd() % 2);
		info = (uint16_t)(rnd() % 7);
		ipx_append(ix, list, len, a, info);
		model_set(list, len, a, info, 1);
		if (i % 10 == 0) {
			info = (uint16_t)(rnd() % 7);
			ipx_append(ix, list, len, a, info);
			model_set(list, len, a, info, 1);
		}
	}
	ipx_finish(ix);
	n = 0;
	for (i = 0; i < (int)nmodel; i++)
		n += model[i].live;
	is_int((long long)ipx_count(ix), n, "build: %d distinct entries", n);
	is_int(compare(ix, 20000), 0, "build: 20000 lookups as the model");
	ok(ipx_bytes(ix) < (size_t)n * 16 + 300000,
	    "build: about 8 bytes per entry (%zu bytes for %d)",
	    ipx_bytes(ix), n);

	/* Batches of changes: new, replaced, deleted, deleted twice. */
	for (round = 0; round < 40; round++) {
		k = (int)(rnd() % 300) + 1;
		for (i = 0; i < k; i++) {
			memset(&c[i], 0, sizeof(c[i]));
			if (nmodel > 0 && rnd() % 2) {
				struct ment *m = &model[rnd() % nmodel];

				c[i].addr = m->addr;
				c[i].len = (uint8_t)m->len;
				c[i].list = (uint8_t)m->list;
			} else {
				c[i].addr = rnd();
				c[i].len = (uint8_t)rnd_len();
				c[i].list = (uint8_t)(rnd() % 2);
			}
			c[i].del = rnd() % 3 == 0;
			c[i].info = (uint16_t)(rnd() % 7);
			c[i].seq = (uint32_t)i;
			model_set(c[i].list, c[i].len, c[i].addr, c[i].info,
			    !c[i].del);
		}
		ipx_apply(ix, c, (size_t)k);
		bad += compare(ix, 2000);
		n = 0;
		for (i = 0; i < (int)nmodel; i++)
			n += model[i].live;
		if ((int)ipx_count(ix) != n)
			lbad++;
	}
	is_int(bad, 0, "changes: 40 batches, 80000 lookups as the model");
	is_int(lbad, 0, "changes: the count follows every batch");

	/* Everything deleted: empty tables, nothing found. */
	for (i = 0, k = 0; i < (int)nmodel && k < 300; i++) {
		if (!model[i].live)
			continue;
		memset(&c[k], 0, sizeof(c[k]));
		c[k].addr = model[i].addr;
		c[k].len = (uint8_t)model[i].len;
		c[k].list = (uint8_t)model[i].list;
		c[k].del = 1;
		c[k].seq = (uint32_t)k;
		model[i].live = 0;
		k++;
	}
	ipx_apply(ix, c, (size_t)k);
	is_int(compare(ix, 5000), 0, "deletes: lookups as the model");
	ipx_free(ix);
}

static void
test_edges(void)
{
	struct ipindex *ix = ipx_new();
	uint16_t info;
	int len = -1;

	ok(!ipx_lookup(ix, 0, 0xc0000201, 32, &len, &info),
	    "empty: nothing found");
	ipx_append(ix, 0, 0, 0, 3);			/* 0/0 */
	ipx_append(ix, 0, 32, 0xffffffffU, 4);		/* 255.255.255.255 */
	ipx_append(ix, 0, 32, 0, 5);			/* 0.0.0.0 */
	ipx_append(ix, 1, 24, 0xc0000200U, 6);		/* 192.0.2.0/24 */
	ipx_finish(ix);
	ipx_prefetch(ix, 0xffffffffU, 0);
	ipx_prefetch(ix, 0xffffffffU, 1);
	ipx_prefetch(ix, 0, 1);
	ok(ipx_lookup(ix, 0, 0xffffffffU, 32, &len, &info) && len == 32 &&
	    info == 4, "edge: 255.255.255.255/32");
	ok(ipx_lookup(ix, 0, 0, 32, &len, &info) && len == 32 && info == 5,
	    "edge: 0.0.0.0/32");
	ok(ipx_lookup(ix, 0, 0x01020304, 32, &len, &info) && len == 0 &&
	    info == 3, "edge: 0/0 holds the rest");
	ok(ipx_lookup(ix, 0, 0xffffffffU, 31, &len, &info) && len == 0,
	    "edge: maxlen skips the /32");
	ok(ipx_lookup(ix, 1, 0xc00002ffU, 32, &len, &info) && len == 24 &&
	    info == 6 && !ipx_lookup(ix, 1, 0xc0000300U, 32, &len, &info),
	    "edge: the white /24 and its neighbour");
	ipx_free(ix);
}

/* IPv6: the model, in the same way. */
struct ment6 {
	struct ipx6	 a;
	int		 list, len, live;
	uint16_t	 info;
};

static struct ment6 model6[MODEL_MAX];
static size_t nmodel6;

static uint64_t
rnd64(void)
{
	return (uint64_t)rnd() << 40 ^ (uint64_t)rnd() << 20 ^ rnd();
}

static struct ipx6
mask6(struct ipx6 a, int len)
{
	if (len <= 64) {
		a.hi = len == 0 ? 0 : a.hi & (~0ULL << (64 - len));
		a.lo = 0;
	} else if (len < 128)
		a.lo &= ~0ULL << (128 - len);
	return a;
}

static int
eq6(struct ipx6 a, struct ipx6 b)
{
	return a.hi == b.hi && a.lo == b.lo;
}

static struct ment6 *
model6_find(int list, int len, struct ipx6 a)
{
	size_t i;

	for (i = 0; i < nmodel6; i++)
		if (model6[i].list == list && model6[i].len == len &&
		    eq6(model6[i].a, a))
			return &model6[i];
	return NULL;
}

static void
model6_set(int list, int len, struct ipx6 a, uint16_t info, int live)
{
	struct ment6 *m;

	a = mask6(a, len);
	if ((m = model6_find(list, len, a)) == NULL && nmodel6 < MODEL_MAX) {
		m = &model6[nmodel6++];
		m->list = list;
		m->len = len;
		m->a = a;
	}
	if (m != NULL) {
		m->info = info;
		m->live = live;
	}
}

static int
model6_lookup(int list, struct ipx6 a, int maxlen, int *len, uint16_t *info)
{
	size_t i;
	int found = 0;

	for (i = 0; i < nmodel6; i++)
		if (model6[i].live && model6[i].list == list &&
		    model6[i].len <= maxlen &&
		    (!found || model6[i].len > *len) &&
		    eq6(mask6(a, model6[i].len), model6[i].a)) {
			*len = model6[i].len;
			*info = model6[i].info;
			found = 1;
		}
	return found;
}

static size_t
model6_live(void)
{
	size_t i, n = 0;

	for (i = 0; i < nmodel6; i++)
		n += model6[i].live;
	return n;
}

/*
 * A random length: mostly those of real lists (/32 to /64 and /128),
 * and the boundaries of the two words.
 */
static int
rnd_len6(void)
{
	static const int common[] = {
		128, 128, 128, 64, 64, 64, 48, 48, 56, 32, 40, 44, 0, 63, 65,
		127, 96, 112
	};

	if (rnd() % 4 == 0)
		return (int)(rnd() % 129);
	return common[rnd() % (sizeof(common) / sizeof(common[0]))];
}

/*
 * An address as lists hold them: in a few providers' /32s, a few sites'
 * /48s in each, hosts ::1 to ::ff or at random; or anywhere.
 */
static struct ipx6
rnd_addr6(void)
{
	struct ipx6 a;

	if (rnd() % 8 == 0) {
		a.hi = rnd64();
		a.lo = rnd64();
		return a;
	}
	a.hi = (0x20010db800000000ULL + ((uint64_t)(rnd() % 4) << 32)) |
	    (uint64_t)(rnd() % 64) << 16 | (rnd() % 4);
	a.lo = rnd() % 2 ? rnd() % 256 : rnd64();
	return a;
}

/* An address near the entries: inside one, or at random. */
static struct ipx6
rnd_query6(void)
{
	struct ipx6 a;

	if (nmodel6 > 0 && rnd() % 2) {
		a = model6[rnd() % nmodel6].a;
		if (rnd() % 2)
			a.lo |= rnd() % 256;
		else
			a.lo |= rnd64() >> (rnd() % 64);
		return a;
	}
	return rnd_addr6();
}

/* Compare n IPv6 lookups of the index and of the model; the mismatches. */
static int
compare6(const struct ipindex *ix, int n)
{
	struct ipx6 a;
	uint16_t i1, i2;
	int k, l1, l2, f1, f2, maxlen, list, bad = 0;

	for (k = 0; k < n; k++) {
		a = rnd_query6();
		list = (int)(rnd() % 2);
		maxlen = rnd() % 5 == 0 ? (int)(rnd() % 129) : 128;
		l1 = l2 = -1;
		i1 = i2 = 0;
		ipx_prefetch6(ix, a, 0);
		ipx_prefetch6(ix, a, 1);
		f1 = ipx_lookup6(ix, list, a, maxlen, &l1, &i1);
		f2 = model6_lookup(list, a, maxlen, &l2, &i2);
		if (f1 != f2 || (f1 && (l1 != l2 || i1 != i2))) {
			if (bad++ < 5)
				printf("# %016llx:%016llx list %d max %d: "
				    "index %d/%d/%u, model %d/%d/%u\n",
				    (unsigned long long)a.hi,
				    (unsigned long long)a.lo, list, maxlen,
				    f1, l1, i1, f2, l2, i2);
		}
	}
	return bad;
}

/* A change of an entry of the model, or of a new one. */
static void
rnd_change6(struct ipx_change *c, uint32_t seq)
{
	memset(c, 0, sizeof(*c));
	c->v6 = 1;
	if (nmodel6 > 0 && rnd() % 2) {
		struct ment6 *m = &model6[rnd() % nmodel6];

		c->addr6 = m->a;
		c->len = (uint8_t)m->len;
		c->list = (uint8_t)m->list;
	} else {
		c->addr6 = rnd_addr6();
		c->len = (uint8_t)rnd_len6();
		c->list = (uint8_t)(rnd() % 2);
	}
	c->del = rnd() % 3 == 0;
	c->info = (uint16_t)(rnd() % 7);
	c->seq = seq;
	model6_set(c->list, c->len, c->addr6, c->info, !c->del);
}

static void
test_model6(void)
{
	struct ipindex *ix = ipx_new();
	struct ipx_change c[5000];
	struct ipx6 a;
	uint16_t info;
	int i, k, round, len, list, bad = 0, lbad = 0, dup = 0, steps = 0;

	/* Built out of order, with duplicates (the last one wins). */
	for (i = 0; i < 3000; i++) {
		a = rnd_addr6();
		len = rnd_len6();
		list = (int)(rnd() % 2);
		info = (uint16_t)(rnd() % 7);
		ipx_append6(ix, list, len, a, info);
		model6_set(list, len, a, info, 1);
		if (i % 10 == 0) {
			/* host bits past len differ: the same entry */
			a.lo ^= 1;
			info = (uint16_t)(rnd() % 7);
			ipx_append6(ix, list, len, a, info);
			model6_set(list, len, a, info, 1);
			dup++;
		}
	}
	/* in steps of 3 units: the sort taken up where it was left */
	while (ipx_finish_step(ix, 3) && steps < 100000)
		steps++;
	ok(steps > 100 && !ipx_finish_step(ix, 3),
	    "v6 build: finished in %d steps of 3 units", steps);
	is_int((long long)ipx_count(ix), (long long)model6_live(),
	    "v6 build: %zu distinct entries (%d appended twice)",
	    model6_live(), dup);
	is_int(compare6(ix, 20000), 0, "v6 build: 20000 lookups as the model");

	/* Batches of changes: new, replaced, deleted, deleted twice. */
	for (round = 0; round < 40; round++) {
		k = (int)(rnd() % 300) + 1;
		for (i = 0; i < k; i++)
			rnd_change6(&c[i], (uint32_t)i);
		ipx_apply(ix, c, (size_t)k);
		bad += compare6(ix, 1000);
		if (ipx_count(ix) != model6_live())
			lbad++;
	}
	is_int(bad, 0, "v6 changes: 40 batches, 40000 lookups as the model");
	is_int(lbad, 0, "v6 changes: the count follows every batch");

	/*
	 * A batch larger than the change table: merged into the arrays
	 * with what the table holds (a few changes first), in one pass.
	 */
	for (i = 0; i < 10; i++)
		rnd_change6(&c[i], (uint32_t)i);
	ipx_apply(ix, c, 10);
	for (i = 0; i < 5000; i++)
		rnd_change6(&c[i], (uint32_t)i);
	ipx_apply(ix, c, 5000);
	is_int(compare6(ix, 20000), 0, "v6 merge: 5000 changes and the "
	    "table's, 20000 lookups as the model");
	is_int((long long)ipx_count(ix), (long long)model6_live(),
	    "v6 merge: the count as the model");

	/* Everything deleted: empty tables, nothing found. */
	for (i = 0, k = 0; i < (int)nmodel6; i++) {
		if (!model6[i].live)
			continue;
		memset(&c[k], 0, sizeof(c[k]));
		c[k].v6 = 1;
		c[k].addr6 = model6[i].a;
		c[k].len = (uint8_t)model6[i].len;
		c[k].list = (uint8_t)model6[i].list;
		c[k].del = 1;
		c[k].seq = (uint32_t)k;
		model6[i].live = 0;
		if (++k == 5000) {
			ipx_apply(ix, c, (size_t)k);
			k = 0;
		}
	}
	ipx_apply(ix, c, (size_t)k);
	is_int((long long)ipx_count(ix), 0, "v6 deletes: nothing left");
	is_int(compare6(ix, 5000), 0, "v6 deletes: lookups as the model");
	ipx_free(ix);
}

/* The address a with bit p (0: the top one) flipped. */
static struct ipx6
flip6(struct ipx6 a, int p)
{
	if (p < 64)
		a.hi ^= 1ULL << (63 - p);
	else
		a.lo ^= 1ULL << (127 - p);
	return a;
}

/*
 * Nested prefixes of one address at every boundary of the layout (the
 * halves, /63-/65 and the ends), in the arrays and in the change table:
 * an address that leaves the address at bit p matches the longest of
 * them no longer than p; maxlen steps down them one by one.
 */
static void
test_bounds6(void)
{
	static const int lens[] = { 0, 32, 48, 63, 64, 65, 127, 128 };
	static const int bits[] = {
		0, 1, 31, 32, 33, 47, 48, 62, 63, 64, 65, 66, 100, 126, 127
	};
	const int nl = (int)(sizeof(lens) / sizeof(lens[0]));
	const struct ipx6 a = { 0x20010db8aaaabbbbULL, 0xccccddddeeeeffffULL };
	struct ipx_change c[8];
	struct ipindex *ix;
	uint16_t info;
	int i, j, len, want, pass, bad;

	for (pass = 0; pass < 2; pass++) {
		ix = ipx_new();
		for (i = 0; i < nl; i++) {
			if (pass == 0) {
				ipx_append6(ix, 0, lens[i], a,
				    (uint16_t)(i + 1));
				continue;
			}
			memset(&c[i], 0, sizeof(c[i]));
			c[i].v6 = 1;
			c[i].addr6 = a;
			c[i].len = (uint8_t)lens[i];
			c[i].info = (uint16_t)(i + 1);
			c[i].seq = (uint32_t)i;
		}
		if (pass == 0)
			ipx_finish(ix);
		else
			ipx_apply(ix, c, (size_t)nl);
		ok(ipx_lookup6(ix, 0, a, 128, &len, &info) && len == 128 &&
		    info == nl, "v6 bounds (%s): the address itself: /128",
		    pass ? "change table" : "arrays");
		for (i = 0, bad = 0; i < (int)(sizeof(bits) /
		    sizeof(bits[0])); i++) {
			for (j = nl - 1, want = -1; j >= 0; j--)
				if (lens[j] <= bits[i]) {
					want = j;
					break;
				}
			if (!ipx_lookup6(ix, 0, flip6(a, bits[i]), 128, &len,
			    &info) || len != lens[want] || info != want + 1) {
				if (bad++ < 3)
					printf("# bit %d: /%d, want /%d\n",
					    bits[i], len, lens[want]);
			}
		}
		is_int(bad, 0, "v6 bounds (%s): leaving at bit 0-127, the "
		    "longest prefix before it", pass ? "change table" :
		    "arrays");
		for (j = nl - 1, bad = 0, len = 128; j >= 0; j--) {
			if (!ipx_lookup6(ix, 0, a, len, &len, &info) ||
			    len != lens[j] || info != j + 1)
				bad++;
			len--;
		}
		ok(bad == 0 && !ipx_lookup6(ix, 0, a, -1, &len, &info),
		    "v6 bounds (%s): maxlen steps down /128 .. /0",
		    pass ? "change table" : "arrays");
		ok(!ipx_lookup6(ix, 1, a, 128, &len, &info) &&
		    !ipx_lookup(ix, 0, 0x20010db8U, 32, &len, &info),
		    "v6 bounds (%s): nothing in the other list or in IPv4",
		    pass ? "change table" : "arrays");
		ipx_free(ix);
	}
}

/*
 * What the store relies on: an exclusion is an entry like the others
 * (its flag in the pair), an entry that expires has IPX_DETAIL and the
 * caller asks again below it; both families in one batch of changes.
 */
static void
test_detail6(void)
{
	struct ipindex *ix = ipx_new();
	struct ipx_change c[3];
	struct ipx6 net = { 0x20010db800050000ULL, 0 }, host = net, in64;
	uint32_t flags, code;
	uint16_t listed, excl, info;
	int len;

	host.lo = 0x25;
	in64 = host;
	in64.lo = 0x26;
	listed = ipx_info(ix, 0, 0x7f000002, 0);
	excl = ipx_info(ix, 1, 0, 0);			/* an exclusion */
	ipx_append6(ix, 0, 48, net, listed);
	ipx_append6(ix, 0, 64, net, excl);
	ipx_append6(ix, 0, 128, host, ipx_info(ix, 0, 0x7f000003,
	    1700000000));
	ipx_finish(ix);
	ok(ipx_lookup6(ix, 0, in64, 128, &len, &info) && len == 64 &&
	    info == excl, "v6 exclusion: the /64 \"!\" inside the /48");
	ipx_info_get(ix, info, &flags, &code);
	ok(flags == 1, "v6 exclusion: its pair has the flag");
	ok(ipx_lookup6(ix, 0, host, 128, &len, &info) && len == 128 &&
	    info == IPX_DETAIL, "v6 detail: an entry that expires says "
	    "IPX_DETAIL");
	ok(ipx_lookup6(ix, 0, host, len - 1, &len, &info) && len == 64,
	    "v6 detail: asked again below it, the exclusion");
	ok(ipx_lookup6(ix, 0, in64, 63, &len, &info) && len == 48 &&
	    info == listed, "v6 detail: and below that, the /48");

	/* One batch of both families: a new IPv4 /32, the /64 deleted. */
	memset(c, 0, sizeof(c));
	c[0].addr = 0xc0000201;
	c[0].len = 32;
	c[0].info = listed;
	c[1].v6 = 1;
	c[1].addr6 = net;
	c[1].len = 64;
	c[1].del = 1;
	c[1].seq = 1;
	c[2].v6 = 1;
	c[2].addr6 = host;		/* the host bits are masked */
	c[2].len = 64;
	c[2].del = 1;
	c[2].seq = 2;
	ipx_apply(ix, c, 3);
	ok(ipx_lookup6(ix, 0, in64, 128, &len, &info) && len == 48 &&
	    info == listed && ipx_lookup(ix, 0, 0xc0000201, 32, &len,
	    &info) && len == 32, "v6 removal: a batch of both families, the "
	    "/64 gone, the IPv4 /32 there");
	is_int((long long)ipx_count(ix), 3, "v6 removal: 3 entries counted");
	ipx_free(ix);
}

/*
 * A large build in address order, as from the database: every entry
 * found at its own length, none of the others, and the memory an entry
 * takes: about 10 bytes a key of one word, 18 of two.
 */
static void
test_large6(void)
{
	struct ipindex *ix = ipx_new(), *empty = ipx_new(), *half = ipx_new();
	static struct ipx6 e[100000];
	struct ipx6 a;
	uint16_t info;
	size_t n = sizeof(e) / sizeof(e[0]), i, bytes;
	int len, bad = 0, wrong = 0, steps = 0;

	/* /64s then /128s of one provider's /32: in address order */
	for (i = 0; i < n; i++) {
		e[i].hi = 0x2a0104f800000000ULL + (i / 2 << 8);
		e[i].lo = i % 2 ? i : 0;
	}
	ipx_reserve6(ix, 0, 64, n / 2);
	ipx_reserve6(ix, 0, 128, n / 2);
	for (i = 0; i < n; i += 2)
		ipx_append6(ix, 0, 64, e[i], (uint16_t)(i % 5));
	for (i = 1; i < n; i += 2)
		ipx_append6(ix, 0, 128, e[i], (uint16_t)(i % 5));
	ipx_finish(ix);
	is_int((long long)ipx_count(ix), (long long)n,
	    "v6 large: %zu entries", n);
	for (i = 0; i < n; i++) {
		a = e[i];
		a.lo |= i % 2 ? 0 : 0x1234;
		if (!ipx_lookup6(ix, 0, a, 128, &len, &info) ||
		    len != (i % 2 ? 128 : 64) || info != i % 5)
			bad++;
		a.hi ^= 0x100000000ULL;		/* the next /32 */
		if (ipx_lookup6(ix, 0, a, 128, &len, &info))
			wrong++;
	}
	is_int(bad, 0, "v6 large: each entry found at its length");
	is_int(wrong, 0, "v6 large: no address of the next /32 found");
	bytes = ipx_bytes(ix) - ipx_bytes(empty);
	ok(bytes <= n / 2 * (10 + 2) + n / 2 * (18 + 2) &&
	    bytes >= n / 2 * 10 + n / 2 * 18,
	    "v6 large: %.1f bytes an entry, half /64 (10 + dir), half /128 "
	    "(18 + dir)", (double)bytes / (double)n);
	ipx_free(ix);
	ipx_free(empty);

	/* A copy left in the middle of its steps is freed (no leak). */
	for (i = 0; i < n; i++)
		ipx_append6(half, 1, 128, e[i], 1);
	while (ipx_finish_step(half, 1000) && ++steps < 20)
		;
	ok(steps == 20, "v6 large: a copy freed in the middle of its sort");
	ipx_free(half);
}

int
main(void)
{
	plan(46);
	test_info();
	test_model();
	test_edges();
	test_model6();
	test_bounds6();
	test_detail6();
	test_large6();
	return done();
}
