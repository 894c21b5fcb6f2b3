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
 * so a busy daemon reads them once per write, not once per query.
 */
static const uint32_t *
lens_cached(struct store *st, enum store_list l, int af, char *errbuf,
    size_t errlen)
{
	size_t id = mdb_txn_id(st->rtxn);
	int i, j;

	if (id != st->lens_txnid) {
		st->lens_txnid = 0;
		for (i = 0; i < 2; i++)
			for (j = 0; j < 2; j++)
				if (store_lens_get(st, st->rtxn,
				    (enum store_list)i, j ? ADDR_V6 : ADDR_V4,
				    st->lens[i][j], errbuf, errlen) == -1)
					return NULL;
		if (store_journal_seq(st, st->rtxn, &st->snap_seq, errbuf,
		    errlen) == -1)
			return NULL;
		st->lens_txnid = id;
	}
	return st->lens[l][af == ADDR_V6];
}

enum store_rc
store_lookup(struct store *st, enum store_list l, const struct addr *a,
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
	if (store_list_check(l, errbuf, errlen) == -1 ||
	    store_addr_check(a, errbuf, errlen) == -1)
		return STORE_ERROR;
	if ((c = lens_cached(st, l, a->af, errbuf, errlen)) == NULL)
		return STORE_ERROR;
	if (st->ix != NULL && st->ix_seq == st->snap_seq)
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
