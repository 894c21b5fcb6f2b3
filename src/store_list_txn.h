/* SPDX-License-Identifier: ISC */
/*
 * store_list_txn.h -- the lists' changes inside a write transaction that
 * another part of the store has begun: an entry that a delisting request
 * adds with the request (store_queue.c), and the deletion of the expired
 * entries for a purge (store_purge.c). Each writes the counts per prefix
 * length, the journal, the expiry records and the audit records of the
 * change in the same transaction. Internal to the store's files; the
 * lists' layer is above the audit log and the cache, below the queue
 * (store_base.h).
 */
#ifndef STORE_LIST_TXN_H
#define STORE_LIST_TXN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store_base.h"

/*
 * Add or replace list l's entry for e->prefix (masked here) inside txn,
 * with an audit record "add" by e->actor; *isnew is set to 1 when no
 * entry for the prefix existed. The strings of e are copied. Returns 0,
 * or -1 with the reason in errbuf; never logs.
 */
int	store_entry_add(struct store *st, MDB_txn *txn, unsigned l,
	    const struct store_entry *e, int *isnew, char *errbuf,
	    size_t errlen);

/*
 * Delete list l's entry for exactly prefix (masked here) inside txn,
 * unless its flags have one of skip, with an audit record "del" by actor
 * whose reason is why (NULL: none). Returns 0, 1 when there is no such
 * entry (or it was skipped), or -1 with the reason in errbuf; never logs.
 */
int	store_entry_del(struct store *st, MDB_txn *txn, unsigned l,
	    const struct addr *prefix, uint32_t skip, const char *actor,
	    const char *why, char *errbuf, size_t errlen);

/*
 * Delete the list entries expired at now inside txn, with an audit
 * record "expire" by actor each, adding their number to *purged. They
 * are found through the expiry records, soonest first, *left records at
 * most (counted down), so that an entry that does not expire is never
 * looked at. Returns 1 when *left ran out, 0 when nothing due is left,
 * -1 with the reason in errbuf; never logs.
 */
int	store_list_purge(struct store *st, MDB_txn *txn, time_t now,
	    const char *actor, size_t *purged, size_t *left, char *errbuf,
	    size_t errlen);

#endif /* STORE_LIST_TXN_H */
