/* SPDX-License-Identifier: ISC */
/*
 * store_read.c -- the read snapshot that the daemon reuses from query to
 * query, and the longest-prefix lookup in the lists inside it: from the
 * compact copy (store_index.c) when it is in step, else by probing the
 * B-tree at each prefix length in use (store_journal.c keeps the counts).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ipindex.h"
#include "store.h"
#include "store_base.h"
#include "store_index.h"
#include "store_journal.h"
#include "store_list.h"

enum store_rc
store_read_begin(struct store *st, char *errbuf, size_t errlen)
{
	int rc;

	if (st->held && st->reading)
		return STORE_OK;
	if (st->reading) {
		mdb_txn_reset(st->rtxn);
		st->reading = 0;
	}
	rc = mdb_txn_renew(st->rtxn);
	if (rc == MDB_MAP_RESIZED) {
		/* Another process grew the map: adopt its size. */
		if ((rc = mdb_env_set_mapsize(st->env, 0)) != 0) {
			store_err(st, rc, errbuf, errlen,
			    "mdb_env_set_mapsize");
			return STORE_ERROR;
		}
		rc = mdb_txn_renew(st->rtxn);
	}
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_txn_renew");
		return STORE_ERROR;
	}
	st->reading = 1;
	st->read_gen++;
	return STORE_OK;
}

void
store_read_end(struct store *st)
{
	if (st->reading && !st->held) {
		mdb_txn_reset(st->rtxn);
		st->reading = 0;
	}
}

void
store_read_hold(struct store *st)
{
	st->held = 1;
}

void
store_read_release(struct store *st)
{
	st->held = 0;
	store_read_end(st);
}

/*
 * The counts per prefix length of list l, family af, in the current read
 * snapshot: read once per snapshot that differs from the last one read,
 * so a busy daemon reads them once per write, not once per query; and
 * with the first list of a snapshot its last journal number.
 */
static const uint32_t *
lens_cached(struct store *st, unsigned l, int af, char *errbuf,
    size_t errlen)
{
	struct store_lh *lh = &st->lists[l];
	size_t id = mdb_txn_id(st->rtxn);

	if (id != st->snap_txnid) {
		st->snap_txnid = 0;
		if (store_journal_seq(st, st->rtxn, &st->snap_seq, errbuf,
		    errlen) == -1)
			return NULL;
		st->snap_txnid = id;
	}
	if (id != lh->lens_txnid) {
		lh->lens_txnid = 0;
		if (store_lens_get(st, st->rtxn, l, ADDR_V4, lh->lens[0],
		    errbuf, errlen) == -1 || store_lens_get(st, st->rtxn, l,
		    ADDR_V6, lh->lens[1], errbuf, errlen) == -1)
			return NULL;
		lh->lens_txnid = id;
	}
	return lh->lens[af == ADDR_V6];
}

enum store_rc
store_lookup(struct store *st, unsigned l, const struct addr *a,
    time_t now, int brief, struct store_entry *e, char *errbuf,
    size_t errlen)
{
	const uint32_t *c;
	enum store_rc rc;
	struct addr m;
	int len;

	if (!st->reading) {
		snprintf(errbuf, errlen, "store_lookup outside a read "
		    "snapshot");
		return STORE_ERROR;
	}
	if (store_list_check(st, l, errbuf, errlen) == -1 ||
	    store_addr_check(a, errbuf, errlen) == -1)
		return STORE_ERROR;
	e->dname = NULL;	/* an ip entry */
	e->dname_len = 0;
	if ((c = lens_cached(st, l, a->af, errbuf, errlen)) == NULL)
		return STORE_ERROR;
	if (st->ix != NULL && st->ix_seq == st->snap_seq && l < IPX_LISTS)
		return store_index_lookup(st, l, a, now, brief, e, errbuf,
		    errlen);
	for (len = a->len; len >= 0; len--) {
		if (c[len] == 0)
			continue;
		m = *a;
		m.len = (uint8_t)len;
		addr_mask(&m);
		if ((rc = store_probe(st, l, &m, now, e, errbuf, errlen)) !=
		    STORE_NOTFOUND)
			return rc;
	}
	return STORE_NOTFOUND;
}

/*
 * The unexpired entry of list l for key kb (klen bytes) into *e; its
 * dname is DNAME, the same name as the key's but lasting as long as the
 * caller's (mdb_get leaves the key where it was: in kb, on the stack).
 */
static enum store_rc
get_name(struct store *st, unsigned l, uint8_t *kb, size_t klen,
    const char *dname, time_t now, struct store_entry *e, char *errbuf,
    size_t errlen)
{
	MDB_val k, v;
	int rc;

	k.mv_data = kb;
	k.mv_size = klen;
	rc = mdb_get(st->rtxn, st->lists[l].dbi, &k, &v);
	if (rc == MDB_NOTFOUND)
		return STORE_NOTFOUND;
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(%s)",
		    store_list_name(st, l));
		return STORE_ERROR;
	}
	memset(e, 0, sizeof(*e));
	if (store_entry_decode(st, st->rtxn, l, &v, e, NULL) == -1 ||
	    store_entry_key_parse(LIST_KIND_DOMAIN, &k, e) == -1) {
		snprintf(errbuf, errlen, "corrupt entry %.*s in %s",
		    (int)(klen > 64 ? 64 : klen), (const char *)kb,
		    store_list_name(st, l));
		return STORE_ERROR;
	}
	e->dname = dname;
	return store_entry_expired(e, now) ? STORE_NOTFOUND : STORE_OK;
}

enum store_rc
store_lookup_name(struct store *st, unsigned l, const char *name, time_t now,
    struct store_entry *e, char *errbuf, size_t errlen)
{
	uint8_t kb[ANYKEY_MAX];
	const char *p, *dot;
	enum store_rc rc;
	size_t n = strlen(name);

	if (!st->reading) {
		snprintf(errbuf, errlen, "store_lookup_name outside a read "
		    "snapshot");
		return STORE_ERROR;
	}
	if (store_list_check(st, l, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (st->lists[l].kind != LIST_KIND_DOMAIN) {
		snprintf(errbuf, errlen, "%s is an ip list",
		    store_list_name(st, l));
		return STORE_ERROR;
	}
	if (n == 0 || n > STORE_DNAME_MAX)
		return STORE_NOTFOUND;
	/* the name itself, then the wildcard of each parent, longest first */
	kb[0] = '=';
	memcpy(kb + 1, name, n);
	if ((rc = get_name(st, l, kb, 1 + n, name, now, e, errbuf,
	    errlen)) != STORE_NOTFOUND)
		return rc;
	for (p = name; (dot = strchr(p, '.')) != NULL; p = dot + 1) {
		n = strlen(dot + 1);
		kb[0] = '*';
		memcpy(kb + 1, dot + 1, n);
		if ((rc = get_name(st, l, kb, 1 + n, dot + 1, now, e, errbuf,
		    errlen)) != STORE_NOTFOUND)
			return rc;
	}
	return STORE_NOTFOUND;
}
