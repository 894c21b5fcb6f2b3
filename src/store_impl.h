/*
 * store_impl.h -- what the files of the store module share: LMDB, the
 * store's structure, and the helpers of one file that the others call.
 * Only store*.c include it, and so <lmdb.h>.
 *
 * store.c: the environment, transactions and errors, keys and entries,
 * the read snapshot and the lookups in the lists.
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

#include <lmdb.h>

#include "addr.h"
#include "ipindex.h"
#include "store.h"
#include "store_audit.h"
#include "store_cache.h"
#include "store_list.h"
#include "store_queue.h"

#define ENTRY_HDRLEN	28
#define ACTOR_MAX	64
#define REASON_MAX	1024
#define ENTRY_MAXLEN	(ENTRY_HDRLEN + ACTOR_MAX + REASON_MAX)
#define KEY_MAXLEN	18		/* af, 16 address bytes, length */
#define LENS_MAX	129		/* prefix lengths 0-128 */
#define NLENS(af)	((af) == ADDR_V4 ? 33 : 129)
#define JOURNAL_KEEP	65536	/* changes kept for a daemon to catch up */
#define CATCHUP_MAX	20000	/* more pending changes: rebuild instead */
#define DROP_EVERY	1024	/* entries read between drop_map() calls */
#define TEXT_MAXLEN	(ADDR_STRLEN + 2)
#define EXPIRY_KEYMAX	(8 + 1 + KEY_MAXLEN)	/* expires, list, entry key */
#define VERDICT_HDRLEN	26
#define RULE_MAX	64
#define NAMES_MAX	2048
#define DETAIL_MAX	512
#if STORE_PURGE_KEYMAX < STORE_CACHE_KEYMAX || STORE_PURGE_KEYMAX < KEY_MAXLEN
#error "STORE_PURGE_KEYMAX is too small"
#endif
#define VERDICT_MAXLEN	\
    (VERDICT_HDRLEN + RULE_MAX + NAMES_MAX + DETAIL_MAX)

struct store {
	MDB_env		*env;
	MDB_dbi		 list[2];	/* LIST_BLACK, LIST_WHITE */
	MDB_dbi		 meta;
	MDB_dbi		 audit;
	MDB_dbi		 cache;
	int		 has_cache;	/* 0: read-only, made before it */
	MDB_dbi		 req;		/* delisting requests by id */
	MDB_dbi		 reqidx;	/* their indexes (store_queue.c) */
	int		 has_req;	/* 0: read-only, made before them */
	MDB_txn		*rtxn;		/* the reused read txn */
	int		 reading;	/* rtxn is renewed */
	int		 held;		/* store_read_hold: keep it renewed */
	int		 readonly;
	/*
	 * The prefix length counts read in the snapshot lens_txnid, so that
	 * lookups in the same or an unchanged snapshot skip the meta reads
	 * (a write commit gives the next snapshot a new txnid).
	 */
	size_t		 lens_txnid;	/* 0: nothing cached */
	uint32_t	 lens[2][2][LENS_MAX];	/* [list][af == V6][len] */
	/*
	 * A cursor per list on rtxn, opened once and renewed with it (no
	 * allocation per query): the probes of one lookup go through it,
	 * so that a probe that lands on the leaf page of the one before
	 * searches that page only, not the tree from its root.
	 */
	MDB_cursor	*rcur[2];
	unsigned	 rcur_gen[2];	/* read_gen when last renewed */
	unsigned	 read_gen;	/* counts the renewals of rtxn */
	/*
	 * The journal of list changes (store_index.c) and the daemon's compact
	 * copy of the IPv4 lists kept in step with it. snap_seq: the last
	 * journal number in the snapshot lens_txnid. ix is used only when
	 * ix_seq is snap_seq; ixb is a copy being built, from the snapshot
	 * whose last journal number is ixb_seq, list ixb_list from key
	 * ixb_key on.
	 */
	MDB_dbi		 journal;
	int		 has_journal;	/* 0: read-only, made before it */
	MDB_dbi		 expiry;	/* what expires (store_index.c) */
	int		 has_expiry;
	uint64_t	 snap_seq;
	int		 ix_on;		/* store_index_enable() */
	struct ipindex	*ix;		/* NULL: none ready */
	uint64_t	 ix_seq;
	struct ipindex	*ixb;
	uint64_t	 ixb_seq;
	int		 ixb_list;
	uint8_t		 ixb_key[KEY_MAXLEN];
	size_t		 ixb_keylen;
	int		 ix_waiting;	/* a rebuild waits for a still journal */
	uint64_t	 ix_wait_seq;
	unsigned long	 map_lo;	/* the map (map_find), if known */
	size_t		 map_len;
};

/* Per-family count changes, indexed [af == ADDR_V6][prefix length]. */
typedef int64_t lens_delta[2][LENS_MAX];

/* store.c (documented at the definitions) */
void	store_err(struct store *st, int rc, char *errbuf, size_t errlen,
	    const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
int	store_addr_check(const struct addr *a, char *errbuf, size_t errlen);
size_t	store_key_make(uint8_t *k, const struct addr *a);
int	store_key_parse(const MDB_val *k, struct addr *a);
int	store_text_check(const char *what, const char *text, size_t len,
	    size_t max, char *errbuf, size_t errlen);
int	store_entry_check(const struct store_entry *e, char *errbuf,
	    size_t errlen);
int	store_entry_decode(const MDB_val *v, struct store_entry *e);
int	store_list_check(enum store_list l, char *errbuf, size_t errlen);
int	store_expired(const struct store_entry *e, time_t now);
void	store_be64_put(uint8_t *p, uint64_t x);
uint64_t store_be64_get(const uint8_t *p);
int	store_wtxn_begin(struct store *st, MDB_txn **txn, char *errbuf,
	    size_t errlen);
int	store_rtxn_begin(struct store *st, MDB_txn **txn, char *errbuf,
	    size_t errlen);
int	store_txn_commit(struct store *st, MDB_txn *txn, char *errbuf,
	    size_t errlen);
typedef int store_record_fn(void *arg, const MDB_val *k, const MDB_val *v,
	    char *errbuf, size_t errlen);
enum store_rc store_table_walk(struct store *st, MDB_dbi dbi,
	    const char *what, store_record_fn *fn, void *arg, char *errbuf,
	    size_t errlen);
enum store_rc store_probe(struct store *st, enum store_list l,
	    const struct addr *m, time_t now, struct store_entry *e,
	    char *errbuf, size_t errlen);

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
