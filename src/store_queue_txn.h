/* SPDX-License-Identifier: ISC */
/*
 * store_queue_txn.h -- the unconfirmed requests' part of a purge, inside
 * the purge's write transaction (store_purge.c), so that only
 * store_queue.c knows their layout. Internal to the store's files.
 */
#ifndef STORE_QUEUE_TXN_H
#define STORE_QUEUE_TXN_H

#include <stddef.h>
#include <time.h>

#include "store_base.h"

/*
 * Delete the unconfirmed requests (store_unconfirmed_add) whose link expired
 * at now inside txn, and any unreadable one, counting each looked at
 * off *left (down to 0; there are at most STORE_UNCONFIRMED_MAX).
 * Returns 0, or -1 with the reason in errbuf. Never logs.
 */
int	store_unconfirmed_purge(struct store *st, MDB_txn *txn, time_t now,
	    size_t *left, char *errbuf, size_t errlen);

#endif /* STORE_QUEUE_TXN_H */
