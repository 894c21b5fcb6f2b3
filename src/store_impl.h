/*
 * store_impl.h -- what the files of the store module share: LMDB, the
 * store's structure, and the helpers of one file that the others call.
 * Only store*.c include it, and so <lmdb.h>.
 *
 * store_base.c: the environment handle, transactions and errors, keys
 * and entries, a table walk, the probe of one prefix (store_base.h).
 * store.c: open and close, the read snapshot and the lookups in the
 * lists.
 * store_list.c: the lists' changes (add, del, import, walk), the counts
 * per prefix length, the purge.
 * store_audit.c: the audit log.
 * store_index.c: the journal of list changes, the expiry index and the
 * daemon's compact copy of the IPv4 lists (ipindex.h).
 * store_cache.c: the verdict cache of the computed checks.
 * store_queue.c: the delisting request queue.
 */
#ifndef STORE_IMPL_H
#define STORE_IMPL_H

#include "store_audit.h"
#include "store_base.h"
#include "store_cache.h"
#include "store_queue.h"

#define TEXT_MAXLEN	(ADDR_STRLEN + 2)
#define VERDICT_HDRLEN	26
#define RULE_MAX	64
#define NAMES_MAX	2048
#define DETAIL_MAX	512
#if STORE_PURGE_KEYMAX < STORE_CACHE_KEYMAX
#error "STORE_PURGE_KEYMAX is too small"
#endif
#define VERDICT_MAXLEN	\
    (VERDICT_HDRLEN + RULE_MAX + NAMES_MAX + DETAIL_MAX)

/* store_list.c */
int	store_entry_add(struct store *st, MDB_txn *txn, enum store_list l,
	    const struct store_entry *e, int *isnew, char *errbuf,
	    size_t errlen);

/*
 * store_cache.c: delete the cached verdicts expired at now inside txn,
 * from pos on, looking at *left values at most (counted down). Returns 1
 * when stopped by *left (pos says where to go on), 0 at the end of the
 * cache, -1 on an error.
 */
int	store_cache_purge(struct store *st, MDB_txn *txn, time_t now,
	    struct store_purge_pos *pos, size_t *left, char *errbuf,
	    size_t errlen);

/* store_audit.c */
int	store_audit_put(struct store *st, MDB_txn *txn, const char *actor,
	    size_t actor_len, const char *action, const char *list,
	    const char *entry, const char *reason, size_t reason_len,
	    char *errbuf, size_t errlen);

#endif /* STORE_IMPL_H */
