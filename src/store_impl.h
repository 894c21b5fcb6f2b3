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

#include "ipindex.h"
#include "store_audit.h"
#include "store_base.h"
#include "store_cache.h"
#include "store_queue.h"

#define JOURNAL_KEEP	65536	/* changes kept for a daemon to catch up */
#define CATCHUP_MAX	20000	/* more pending changes: rebuild instead */
#define DROP_EVERY	1024	/* entries read between drop_map() calls */
#define TEXT_MAXLEN	(ADDR_STRLEN + 2)
#define EXPIRY_KEYMAX	(8 + 1 + KEY_MAXLEN)	/* expires, list, entry key */
#define VERDICT_HDRLEN	26
#define RULE_MAX	64
#define NAMES_MAX	2048
#define DETAIL_MAX	512
#if STORE_PURGE_KEYMAX < STORE_CACHE_KEYMAX
#error "STORE_PURGE_KEYMAX is too small"
#endif
#define VERDICT_MAXLEN	\
    (VERDICT_HDRLEN + RULE_MAX + NAMES_MAX + DETAIL_MAX)

/* Per-family count changes, indexed [af == ADDR_V6][prefix length]. */
typedef int64_t lens_delta[2][LENS_MAX];

/* store_list.c */
int	store_lens_get(struct store *st, MDB_txn *txn, enum store_list l,
	    int af, uint32_t *c, char *errbuf, size_t errlen);
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

/* store_index.c (documented at the definitions) */
int	store_journal_seq(struct store *st, MDB_txn *txn, uint64_t *seq,
	    char *errbuf, size_t errlen);
int	store_journal_note(struct store *st, MDB_txn *txn, enum store_list l,
	    const struct addr *prefix, char *errbuf, size_t errlen);
int	store_expiry_put(struct store *st, MDB_txn *txn, enum store_list l,
	    const struct addr *prefix, int64_t expires, int del, char *errbuf,
	    size_t errlen);
int	store_expiry_fill(struct store *st, MDB_txn *txn, char *errbuf,
	    size_t errlen);
enum store_rc store_index_lookup(struct store *st, enum store_list l,
	    const struct addr *a, time_t now, int brief, struct store_entry *e,
	    char *errbuf, size_t errlen);

#endif /* STORE_IMPL_H */
