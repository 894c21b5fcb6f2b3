/* SPDX-License-Identifier: ISC */
/*
 * store_cache.c -- the verdict cache of the computed checks, and its part
 * of the purge (store_cache_txn.h).
 *
 * "cache": key a kind byte and the address bytes or the name
 * (store_cache.h). Value: u32 verdict, i64 checked, i64 expires, u16 rule
 * length, u16 names length, u16 detail length, rule, names and detail
 * bytes.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/random.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store_cache.h"
#include "store_base.h"
#include "store_cache_txn.h"

#define STORE_CACHE_SHARE	4	/* the cache: at most 1/4 of the map */
#define STORE_CACHE_EVICT	2	/* verdicts dropped for a new one */
#define VERDICT_HDRLEN	26
#define RULE_MAX	64
#define NAMES_MAX	2048
#define DETAIL_MAX	512
#define VERDICT_MAXLEN	\
    (VERDICT_HDRLEN + RULE_MAX + NAMES_MAX + DETAIL_MAX)
#if STORE_PURGE_KEYMAX < STORE_CACHE_KEYMAX
#error "STORE_PURGE_KEYMAX is too small for a cache key"
#endif

size_t
store_cache_key_addr(const struct addr *a, uint8_t *key)
{
	if (a->af != ADDR_V4 && a->af != ADDR_V6)
		return 0;
	key[0] = a->af == ADDR_V4 ? '4' : '6';
	memcpy(key + 1, a->a, ADDR_BYTES(a));
	return 1 + (size_t)ADDR_BYTES(a);
}

size_t
store_cache_key_name(const char *name, uint8_t *key)
{
	size_t i, n = strlen(name);
	char c;

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n > STORE_CACHE_KEYMAX - 1)
		return 0;
	key[0] = 'h';
	for (i = 0; i < n; i++) {
		/* ASCII only, whatever the locale: DNS names compare so. */
		c = name[i];
		key[1 + i] = (uint8_t)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' :
		    c);
	}
	return 1 + n;
}

static int
cache_key_check(const uint8_t *key, size_t keylen, char *errbuf,
    size_t errlen)
{
	if (key == NULL || keylen == 0 || keylen > STORE_CACHE_KEYMAX) {
		snprintf(errbuf, errlen, "bad cache key length %zu", keylen);
		return -1;
	}
	return 0;
}

static int
verdict_check(const struct store_verdict *v, char *errbuf, size_t errlen)
{
	if (store_text_check("rule", v->rule, v->rule_len, RULE_MAX, errbuf,
	    errlen) == -1 ||
	    store_text_check("names", v->names, v->names_len, NAMES_MAX,
	    errbuf, errlen) == -1 ||
	    store_text_check("detail", v->detail, v->detail_len, DETAIL_MAX,
	    errbuf, errlen) == -1)
		return -1;
	return 0;
}

/* Where the fields of the value's fixed part are. */
#define V_VERDICT	0
#define V_CHECKED	4
#define V_EXPIRES	12
#define V_LENS		20	/* rule, names, detail: u16 each */
#if V_LENS + 6 != VERDICT_HDRLEN
#error "VERDICT_HDRLEN does not match the value's fixed part"
#endif

/* Pack v into buf (VERDICT_MAXLEN bytes); returns the size. */
static size_t
verdict_encode(uint8_t *buf, const struct store_verdict *v)
{
	uint16_t rl = (uint16_t)v->rule_len, nl = (uint16_t)v->names_len;
	uint16_t dl = (uint16_t)v->detail_len;
	uint8_t *p = buf + VERDICT_HDRLEN;

	memcpy(buf + V_VERDICT, &v->verdict, 4);
	memcpy(buf + V_CHECKED, &v->checked, 8);
	memcpy(buf + V_EXPIRES, &v->expires, 8);
	memcpy(buf + V_LENS, &rl, 2);
	memcpy(buf + V_LENS + 2, &nl, 2);
	memcpy(buf + V_LENS + 4, &dl, 2);
	if (rl > 0)
		memcpy(p, v->rule, rl);
	p += rl;
	if (nl > 0)
		memcpy(p, v->names, nl);
	p += nl;
	if (dl > 0)
		memcpy(p, v->detail, dl);
	p += dl;
	return (size_t)(p - buf);
}

/* Unpack a cache value; strings point into val. */
static int
verdict_decode(const MDB_val *val, struct store_verdict *v)
{
	const uint8_t *p = val->mv_data;
	uint16_t rl, nl, dl;

	if (val->mv_size < VERDICT_HDRLEN)
		return -1;
	memcpy(&v->verdict, p + V_VERDICT, 4);
	memcpy(&v->checked, p + V_CHECKED, 8);
	memcpy(&v->expires, p + V_EXPIRES, 8);
	memcpy(&rl, p + V_LENS, 2);
	memcpy(&nl, p + V_LENS + 2, 2);
	memcpy(&dl, p + V_LENS + 4, 2);
	if (val->mv_size != VERDICT_HDRLEN + (size_t)rl + nl + dl)
		return -1;
	p += VERDICT_HDRLEN;
	v->rule = (const char *)p;
	v->rule_len = rl;
	v->names = (const char *)p + rl;
	v->names_len = nl;
	v->detail = (const char *)p + rl + nl;
	v->detail_len = dl;
	return 0;
}

/*
 * The expiry time of a cache value, read from its fixed part alone (the
 * purge needs no more): 0, or -1 when the value is too short to hold it.
 */
static int
verdict_expires(const MDB_val *val, int64_t *expires)
{
	if (val->mv_size < VERDICT_HDRLEN)
		return -1;
	memcpy(expires, (const uint8_t *)val->mv_data + V_EXPIRES, 8);
	return 0;
}

enum store_rc
store_cache_get(struct store *st, const uint8_t *key, size_t keylen,
    time_t now, struct store_verdict *v, char *errbuf, size_t errlen)
{
	MDB_val k, val;
	int rc;

	if (!st->reading) {
		snprintf(errbuf, errlen, "store_cache_get outside a read "
		    "snapshot");
		return STORE_ERROR;
	}
	if (cache_key_check(key, keylen, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (!st->has_cache)
		return STORE_NOTFOUND;
	k.mv_data = (void *)key;
	k.mv_size = keylen;
	rc = mdb_get(st->rtxn, st->cache, &k, &val);
	if (rc == MDB_NOTFOUND)
		return STORE_NOTFOUND;
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(cache)");
		return STORE_ERROR;
	}
	if (verdict_decode(&val, v) == -1) {
		snprintf(errbuf, errlen, "corrupt verdict in cache");
		return STORE_ERROR;
	}
	if (v->expires <= (int64_t)now)
		return STORE_NOTFOUND;
	return STORE_OK;
}

/*
 * MDB_NOSYNC is a flag of the environment, not of a txn: set it for the
 * cache's write txn, and clear it again (nosync_end) unless it was set
 * before. *set tells nosync_end what to do. The daemon is one thread, so
 * no other txn of this process can begin in between.
 */
static int
nosync_begin(struct store *st, int *set, char *errbuf, size_t errlen)
{
	unsigned int flags;
	int rc;

	*set = 0;
	if ((rc = mdb_env_get_flags(st->env, &flags)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_env_get_flags");
		return -1;
	}
	if (flags & MDB_NOSYNC)
		return 0;
	if ((rc = mdb_env_set_flags(st->env, MDB_NOSYNC, 1)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_env_set_flags");
		return -1;
	}
	*set = 1;
	return 0;
}

/* After the txn has ended; keeps an earlier error (ret -1) in errbuf. */
static int
nosync_end(struct store *st, int set, int ret, char *errbuf, size_t errlen)
{
	int rc;

	if (!set)
		return ret;
	if ((rc = mdb_env_set_flags(st->env, MDB_NOSYNC, 0)) != 0) {
		if (ret == 0)
			store_err(st, rc, errbuf, errlen,
			    "mdb_env_set_flags");
		return -1;
	}
	return ret;
}

/*
 * Keep the cache within STORE_CACHE_SHARE of the map: when its pages
 * reach that, drop STORE_CACHE_EVICT verdicts from a random place first
 * (a verdict is only a saved check; the lists' room is what matters),
 * their number in *evicted. Returns 0, or -1 with errbuf.
 */
static int
cache_bound(struct store *st, MDB_txn *txn, size_t *evicted, char *errbuf,
    size_t errlen)
{
	MDB_envinfo info;
	MDB_cursor *cur = NULL;
	MDB_stat ms;
	MDB_val k, v;
	uint8_t rnd[5];
	int rc, i;

	if ((rc = mdb_stat(txn, st->cache, &ms)) != 0 ||
	    (rc = mdb_env_info(st->env, &info)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_stat(cache)");
		return -1;
	}
	if ((uint64_t)(ms.ms_branch_pages + ms.ms_leaf_pages +
	    ms.ms_overflow_pages) * ms.ms_psize <
	    (uint64_t)info.me_mapsize / STORE_CACHE_SHARE)
		return 0;
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
		memset(rnd, 0, sizeof(rnd));	/* from the start: fine */
	if ((rc = mdb_cursor_open(txn, st->cache, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(cache)");
		return -1;
	}
	k.mv_data = rnd;
	k.mv_size = sizeof(rnd);
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	for (i = 0; i < STORE_CACHE_EVICT; i++) {
		if (rc == MDB_NOTFOUND)
			rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
		if (rc == MDB_NOTFOUND)
			break;
		if (rc != 0 || (rc = mdb_cursor_del(cur, 0)) != 0) {
			store_err(st, rc, errbuf, errlen, "evict(cache)");
			mdb_cursor_close(cur);
			return -1;
		}
		(*evicted)++;
		/* after a delete, MDB_NEXT is the entry that followed */
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(cur);
	return 0;
}

uint64_t
store_cache_evictions(const struct store *st)
{
	return st->cache_evicted;
}

enum store_rc
store_cache_put(struct store *st, const uint8_t *key, size_t keylen,
    const struct store_verdict *v, char *errbuf, size_t errlen)
{
	uint8_t vb[VERDICT_MAXLEN];
	MDB_txn *txn = NULL;
	MDB_val k, val;
	size_t evicted = 0;
	int rc, set = 0, ret = -1;

	if (cache_key_check(key, keylen, errbuf, errlen) == -1 ||
	    verdict_check(v, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (st->readonly) {
		snprintf(errbuf, errlen, "database opened read-only");
		return STORE_ERROR;
	}
	if (nosync_begin(st, &set, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		goto cleanup;
	if (cache_bound(st, txn, &evicted, errbuf, errlen) == -1)
		goto cleanup;
	k.mv_data = (void *)key;
	k.mv_size = keylen;
	val.mv_data = vb;
	val.mv_size = verdict_encode(vb, v);
	if ((rc = mdb_put(txn, st->cache, &k, &val, 0)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(cache)");
		goto cleanup;
	}
	rc = store_txn_commit(st, txn, errbuf, errlen);
	txn = NULL;
	if (rc == -1)
		goto cleanup;
	st->cache_evicted += evicted;
	ret = 0;
cleanup:
	if (txn != NULL)
		mdb_txn_abort(txn);
	ret = nosync_end(st, set, ret, errbuf, errlen);
	return ret == 0 ? STORE_OK : STORE_ERROR;
}

/*
 * Synced, unlike a put: a flush lost in a crash would bring back the
 * verdict that an administrator asked to forget.
 */
enum store_rc
store_cache_del(struct store *st, const uint8_t *key, size_t keylen,
    size_t *count, char *errbuf, size_t errlen)
{
	MDB_stat ms;
	MDB_txn *txn = NULL;
	MDB_val k;
	size_t n = 1;
	int rc;

	if (count != NULL)
		*count = 0;
	if (key != NULL && cache_key_check(key, keylen, errbuf,
	    errlen) == -1)
		return STORE_ERROR;
	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (key != NULL) {
		k.mv_data = (void *)key;
		k.mv_size = keylen;
		rc = mdb_del(txn, st->cache, &k, NULL);
		if (rc == MDB_NOTFOUND) {
			mdb_txn_abort(txn);
			return STORE_NOTFOUND;
		}
		if (rc != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_del(cache)");
			goto fail;
		}
	} else {
		if ((rc = mdb_stat(txn, st->cache, &ms)) != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_stat(cache)");
			goto fail;
		}
		n = ms.ms_entries;
		if ((rc = mdb_drop(txn, st->cache, 0)) != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_drop(cache)");
			goto fail;
		}
	}
	if (store_txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (count != NULL)
		*count = n;
	return STORE_OK;

fail:
	mdb_txn_abort(txn);
	return STORE_ERROR;
}

struct cache_walk {
	store_cache_fn	*cb;
	void		*arg;
};

static int
cache_record(void *arg, const MDB_val *k, const MDB_val *val, char *errbuf,
    size_t errlen)
{
	struct cache_walk *w = arg;
	struct store_verdict v;

	if (k->mv_size == 0 || k->mv_size > STORE_CACHE_KEYMAX ||
	    verdict_decode(val, &v) == -1) {
		snprintf(errbuf, errlen, "corrupt verdict in cache");
		return -1;
	}
	return w->cb(w->arg, k->mv_data, k->mv_size, &v) != 0;
}

enum store_rc
store_cache_walk(struct store *st, store_cache_fn *cb, void *arg,
    char *errbuf, size_t errlen)
{
	struct cache_walk w = { cb, arg };

	if (!st->has_cache)
		return STORE_OK;
	return store_table_walk(st, st->cache, "cache", cache_record, &w,
	    errbuf, errlen);
}

/*
 * Put cur on the first key at or after pos (pos->keylen 0: the first key of
 * all).
 */
static int
purge_seek(MDB_cursor *cur, struct store_purge_pos *pos, MDB_val *k,
    MDB_val *v)
{
	if (pos->keylen == 0)
		return mdb_cursor_get(cur, k, v, MDB_FIRST);
	k->mv_data = pos->key;
	k->mv_size = pos->keylen;
	return mdb_cursor_get(cur, k, v, MDB_SET_RANGE);
}

/* Remember k as where the next step starts. */
static void
purge_stop(struct store_purge_pos *pos, const MDB_val *k)
{
	pos->keylen = k->mv_size <= sizeof(pos->key) ? k->mv_size : 0;
	memcpy(pos->key, k->mv_data, pos->keylen);
}

/*
 * Without audit records: a cache entry is not a list entry. A value too
 * short to hold an expiry is deleted too rather than stopping every
 * purge.
 */
int
store_cache_purge(struct store *st, MDB_txn *txn, time_t now,
    struct store_purge_pos *pos, size_t *left, char *errbuf, size_t errlen)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	int64_t expires;
	int rc, ret = -1;

	if (!st->has_cache)
		return 0;
	if ((rc = mdb_cursor_open(txn, st->cache, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(cache)");
		goto cleanup;
	}
	for (rc = purge_seek(cur, pos, &k, &v); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (*left == 0) {
			purge_stop(pos, &k);
			break;
		}
		(*left)--;
		if (verdict_expires(&v, &expires) == 0 &&
		    expires > (int64_t)now)
			continue;
		if ((rc = mdb_cursor_del(cur, 0)) != 0) {
			store_err(st, rc, errbuf, errlen,
			    "mdb_cursor_del(cache)");
			goto cleanup;
		}
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(cache)");
		goto cleanup;
	}
	ret = rc == 0;
cleanup:
	if (cur != NULL)
		mdb_cursor_close(cur);
	return ret;
}
