/* SPDX-License-Identifier: ISC */
/*
 * test_ipindex.c -- the compact IPv4 copy of the lists against a plain
 * model: a table of every (list, len, addr) with its info, searched
 * longest prefix first by brute force.
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

int
main(void)
{
	plan(17);
	test_info();
	test_model();
	test_edges();
	return done();
}
