/* SPDX-License-Identifier: ISC */
/*
 * store_stats.c -- the statistics per rule and reason: hourly buckets in
 * the "stats" table, bounded by the hours kept.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "store_stats.h"
#include "store_base.h"

#define STAT_KEYMAX	(1 + 4 + STORE_STAT_REASONMAX + 1 + STORE_STAT_RULEMAX)

/* The first 5 bytes of a key: kind, then hour (big-endian). */
static void
key_prefix(uint8_t *p, uint8_t kind, uint32_t hour)
{
	p[0] = kind;
	p[1] = (uint8_t)(hour >> 24);
	p[2] = (uint8_t)(hour >> 16);
	p[3] = (uint8_t)(hour >> 8);
	p[4] = (uint8_t)hour;
}

/* The key of s into buf (STAT_KEYMAX bytes); its length, 0 if bad. */
static size_t
stat_key(const struct store_stat *s, uint8_t *buf)
{
	size_t r = strlen(s->reason), u = strlen(s->rule);

	if ((unsigned)s->kind >= STAT_KIND_MAX || r == 0 ||
	    r > STORE_STAT_REASONMAX || u > STORE_STAT_RULEMAX)
		return 0;
	key_prefix(buf, (uint8_t)s->kind, s->hour);
	memcpy(buf + 5, s->reason, r);
	buf[5 + r] = '\0';
	memcpy(buf + 6 + r, s->rule, u);
	return 6 + r + u;
}

static uint32_t
key_hour(const uint8_t *p)
{
	return (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 8 | p[4];
}

/* A record back into *s; -1 if it is no stats record. */
static int
stat_decode(const MDB_val *k, const MDB_val *v, struct store_stat *s)
{
	const uint8_t *p = k->mv_data;
	const char *r, *z;
	size_t rest;

	if (k->mv_size < 7 || k->mv_size > STAT_KEYMAX ||
	    v->mv_size != sizeof(uint64_t) || p[0] >= STAT_KIND_MAX)
		return -1;
	s->kind = (enum store_stat_kind)p[0];
	s->hour = key_hour(p);
	r = (const char *)p + 5;
	rest = k->mv_size - 5;
	if ((z = memchr(r, '\0', rest)) == NULL || z == r ||
	    (size_t)(z - r) > STORE_STAT_REASONMAX ||
	    rest - (size_t)(z - r) - 1 > STORE_STAT_RULEMAX)
		return -1;
	memcpy(s->reason, r, (size_t)(z - r));
	s->reason[z - r] = '\0';
	rest -= (size_t)(z - r) + 1;
	memcpy(s->rule, z + 1, rest);
	s->rule[rest] = '\0';
	memcpy(&s->count, v->mv_data, sizeof(s->count));
	return 0;
}

/* Delete the buckets of kind before the hour oldest. */
static int
prune(struct store *st, MDB_txn *txn, uint8_t kind, uint32_t oldest,
    char *errbuf, size_t errlen)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint8_t first[5];
	int rc;

	key_prefix(first, kind, 0);
	if ((rc = mdb_cursor_open(txn, st->stats, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(stats)");
		return -1;
	}
	k.mv_data = first;
	k.mv_size = sizeof(first);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const uint8_t *p = k.mv_data;

		if (k.mv_size < 5 || p[0] != kind || key_hour(p) >= oldest)
			break;
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "prune(stats)");
		return -1;
	}
	return 0;
}

/* Add s->count to the bucket of s. */
static int
bump(struct store *st, MDB_txn *txn, const struct store_stat *s,
    char *errbuf, size_t errlen)
{
	MDB_val k, v;
	uint8_t key[STAT_KEYMAX];
	uint64_t count = 0;
	int rc;

	if ((k.mv_size = stat_key(s, key)) == 0) {
		snprintf(errbuf, errlen, "bad statistics key \"%.*s\"",
		    STORE_STAT_REASONMAX, s->reason);
		return -1;
	}
	k.mv_data = key;
	rc = mdb_get(txn, st->stats, &k, &v);
	if (rc == 0 && v.mv_size == sizeof(count))
		memcpy(&count, v.mv_data, sizeof(count));
	else if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_get(stats)");
		return -1;
	}
	count += s->count;
	v.mv_data = &count;
	v.mv_size = sizeof(count);
	if ((rc = mdb_put(txn, st->stats, &k, &v, 0)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(stats)");
		return -1;
	}
	return 0;
}

enum store_rc
store_stats_add(struct store *st, const struct store_stat *s, size_t n,
    uint32_t oldest, char *errbuf, size_t errlen)
{
	MDB_txn *txn = NULL;
	struct store_stat t;
	size_t i;

	if (!st->has_stats)
		return STORE_NOTFOUND;
	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	for (i = 0; i < n; i++) {
		if (s[i].count == 0)
			continue;
		t = s[i];
		if (t.hour != STORE_STAT_TOTAL && t.hour >= oldest &&
		    bump(st, txn, &t, errbuf, errlen) == -1)
			goto fail;
		t.hour = STORE_STAT_TOTAL;
		if (bump(st, txn, &t, errbuf, errlen) == -1)
			goto fail;
	}
	for (i = 0; i < STAT_KIND_MAX; i++)
		if (prune(st, txn, (uint8_t)i, oldest, errbuf, errlen) == -1)
			goto fail;
	if (store_txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	return STORE_OK;
fail:
	mdb_txn_abort(txn);
	return STORE_ERROR;
}

/*
 * The buckets of each kind from the hour oldest on: a range of the
 * table's keys each, so that a view of the last hours (and the all-time
 * buckets, last of each kind) reads none of the older ones.
 */
enum store_rc
store_stats_walk(struct store *st, uint32_t oldest, store_stat_fn *fn,
    void *arg, char *errbuf, size_t errlen)
{
	MDB_txn *txn = NULL;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	struct store_stat s;
	uint8_t from[5];
	enum store_rc ret = STORE_ERROR;
	int kind, rc = 0;

	if (!st->has_stats)
		return STORE_OK;
	if (store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if ((rc = mdb_cursor_open(txn, st->stats, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(stats)");
		goto out;
	}
	for (kind = 0; kind < STAT_KIND_MAX; kind++) {
		s.kind = (enum store_stat_kind)kind;
		s.hour = oldest;
		key_prefix(from, (uint8_t)kind, oldest);
		k.mv_data = from;
		k.mv_size = sizeof(from);
		for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
		    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			if (k.mv_size > 0 && *(uint8_t *)k.mv_data != kind)
				break;
			if (stat_decode(&k, &v, &s) == -1) {
				snprintf(errbuf, errlen, "corrupt record in "
				    "the stats table");
				goto out;
			}
			if (fn(arg, &s) != 0) {
				ret = STORE_OK;
				goto out;
			}
		}
		if (rc != 0 && rc != MDB_NOTFOUND) {
			store_err(st, rc, errbuf, errlen,
			    "mdb_cursor_get(stats)");
			goto out;
		}
	}
	ret = STORE_OK;
out:
	if (cur != NULL)
		mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return ret;
}

const char *
store_stat_kind_name(enum store_stat_kind k)
{
	static const char *const names[STAT_KIND_MAX] = {
		"listing", "request", "approval"
	};

	return (unsigned)k < STAT_KIND_MAX ? names[k] : "?";
}
