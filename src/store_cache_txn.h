/* SPDX-License-Identifier: ISC */
/*
 * store_cache_txn.h -- the verdict cache's part of a purge, inside the
 * purge's write transaction (store_purge.c), so that only store_cache.c
 * knows the layout of a cached verdict. Internal to the store's files;
 * the cache's layer is above the audit log's, whose functions it does not
 * call, and below the lists' (store_base.h).
 */
#ifndef STORE_CACHE_TXN_H
#define STORE_CACHE_TXN_H

#include <stddef.h>
#include <time.h>

#include "store_base.h"

/*
 * Delete the cached verdicts expired at now inside txn, without audit
 * records (a verdict is not a list entry), from pos on, looking at *left
 * values at most (counted down). A value too short to hold an expiry
 * time is deleted too. Returns 1 when *left ran out (pos then says where
 * to go on), 0 at the end of the cache, -1 with the reason in errbuf.
 * Never logs.
 */
int	store_cache_purge(struct store *st, MDB_txn *txn, time_t now,
	    struct store_purge_pos *pos, size_t *left, char *errbuf,
	    size_t errlen);

#endif /* STORE_CACHE_TXN_H */
