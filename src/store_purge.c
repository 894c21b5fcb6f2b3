/* SPDX-License-Identifier: ISC */
/*
 * store_purge.c -- the purge of what has expired: the lists' entries
 * (store_list.c, through the expiry records), the cached verdicts
 * (store_cache.c) and the unconfirmed requests (store_queue.c), all at
 * once or in steps that each hold the write lock only briefly.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "store.h"
#include "store_base.h"
#include "store_cache_txn.h"
#include "store_list_txn.h"
#include "store_queue_txn.h"

/* Purge inside txn from pos on, looking at *left entries at most. */
static int
purge_steps(struct store *st, MDB_txn *txn, time_t now, const char *actor,
    struct store_purge_pos *pos, size_t *left, size_t *purged,
    char *errbuf, size_t errlen)
{
	int r;

	while (pos->stage < PURGE_DONE) {
		switch (pos->stage) {
		case PURGE_LISTS:
			r = store_list_purge(st, txn, now, actor, purged,
			    left, errbuf, errlen);
			break;
		case PURGE_UNCONFIRMED:
			r = store_unconfirmed_purge(st, txn, now, left, errbuf,
			    errlen);
			break;
		default:
			r = store_cache_purge(st, txn, now, pos, left, errbuf,
			    errlen);
			break;
		}
		if (r == -1)
			return -1;
		if (r == 1)
			return 0;
		pos->stage++;
		pos->keylen = 0;
	}
	return 0;
}

enum store_rc
store_purge(struct store *st, time_t now, const char *actor, size_t *purged,
    char *errbuf, size_t errlen)
{
	struct store_purge_pos pos;
	MDB_txn *txn = NULL;
	size_t n = 0, left = SIZE_MAX;

	if (purged != NULL)
		*purged = 0;
	memset(&pos, 0, sizeof(pos));
	if (store_list_refresh(st, errbuf, errlen) == -1 ||
	    store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (purge_steps(st, txn, now, actor, &pos, &left, &n, errbuf,
	    errlen) == -1) {
		mdb_txn_abort(txn);
		return STORE_ERROR;
	}
	if (store_txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (purged != NULL)
		*purged = n;
	return STORE_OK;
}

enum store_rc
store_purge_step(struct store *st, time_t now, const char *actor,
    struct store_purge_pos *pos, size_t max, size_t *purged, char *errbuf,
    size_t errlen)
{
	struct store_purge_pos keep = *pos;
	MDB_txn *txn = NULL;
	size_t n = 0;

	if (pos->stage >= PURGE_DONE)
		return STORE_OK;
	/* the expiry records of lists registered since find their tables */
	if (store_list_refresh(st, errbuf, errlen) == -1 ||
	    store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (purge_steps(st, txn, now, actor, pos, &max, &n, errbuf,
	    errlen) == -1) {
		mdb_txn_abort(txn);
		*pos = keep;
		return STORE_ERROR;
	}
	if (store_txn_commit(st, txn, errbuf, errlen) == -1) {
		*pos = keep;
		return STORE_ERROR;
	}
	if (purged != NULL)
		*purged += n;
	return STORE_OK;
}
