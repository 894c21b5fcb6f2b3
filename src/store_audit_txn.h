/* SPDX-License-Identifier: ISC */
/*
 * store_audit_txn.h -- the audit log inside a write transaction that
 * another change of the store has begun, so that the change and its
 * record commit together. Internal to the store's files; the audit log's
 * layer is above the open and below the cache, the lists and the queue
 * (store_base.h).
 */
#ifndef STORE_AUDIT_TXN_H
#define STORE_AUDIT_TXN_H

#include <stddef.h>

#include "store_base.h"

/*
 * Append an audit record inside txn, stamped with the time now. Any
 * string may be NULL (empty); actor and reason are given with a length
 * and end at the first NUL before it. The strings are copied. Returns 0,
 * or -1 with the reason in errbuf; never logs.
 */
int	store_audit_put(struct store *st, MDB_txn *txn, const char *actor,
	    size_t actor_len, const char *action, const char *list,
	    const char *entry, const char *reason, size_t reason_len,
	    char *errbuf, size_t errlen);

#endif /* STORE_AUDIT_TXN_H */
