/*
 * store.h -- the LMDB database: the black and white lists, the audit log
 * and the schema version. The only module that includes <lmdb.h>.
 *
 * Layout (named sub-databases of one environment under database:):
 *   "black", "white"  key: af (1) | address (4 or 16) | prefix length (1)
 *                     value: struct store_entry, packed (store.c)
 *   "meta"            "schema" -> version; "lens:<list>:<af>" -> counts
 *                     of entries per prefix length, so that a
 *                     longest-prefix lookup probes only the lengths in
 *                     use (a handful of B-tree lookups, correct with
 *                     nested ranges); "journal" -> the number of the
 *                     last journal record
 *   "expiry"          key: 64-bit big-endian expiry time, the list (1
 *                     byte) and the entry's key; empty value: one per
 *                     entry that expires, so that a purge looks at those
 *                     only (a writer adds them to an older database)
 *   "journal"         key: 64-bit big-endian record number; value: the
 *                     list (1 byte) and the key of an entry that was
 *                     added, replaced or deleted, or the list alone for
 *                     an import. Every list change writes one in the
 *                     same transaction; the last 65536 are kept. A
 *                     daemon follows it to keep its compact copy of the
 *                     IPv4 lists (ipindex.h) in step.
 *   "audit"           key: 64-bit big-endian sequence number
 *                     value: struct store_audit, packed
 *   "cache"           the verdict cache (below)
 *   "requests"        key: 64-bit big-endian request id
 *                     value: struct store_request, packed
 *   "reqindex"        'a' + address bytes -> id of its pending request;
 *                     't' + token -> id; 's' + address bytes -> time of
 *                     its last self-service removal
 *
 * Conventions: functions return STORE_OK / STORE_NOTFOUND / STORE_ERROR
 * (not found is never an error) and put error text in errbuf. A full map
 * gives an error that names the map-size: setting.
 *
 * Reading: the daemon keeps one read transaction per store and calls
 * store_read_begin() / store_read_end() around each query (mdb_txn_renew
 * and mdb_txn_reset), so readers are short and writers never wait.
 * Strings in a returned entry point into the map and stay valid only
 * until store_read_end().
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"

#define STORE_SCHEMA_VERSION	1

enum store_rc {
	STORE_OK = 0,
	STORE_NOTFOUND = 1,
	STORE_EXISTS = 2,	/* requests: one is already pending */
	STORE_ERROR = -1
};

enum store_list {
	LIST_BLACK = 0,
	LIST_WHITE = 1
};

/* Entry flags. */
#define ENTRY_EXCLUDE	0x01	/* rbldnsd "!": not listed, beats wider */

struct store_entry {
	struct addr	 prefix;
	uint32_t	 flags;
	uint32_t	 code;		/* A value (host order), 0: zone default */
	int64_t		 added;		/* UNIX time */
	int64_t		 expires;	/* UNIX time, 0: never */
	const char	*actor;		/* who added it */
	size_t		 actor_len;
	const char	*reason;	/* free text, may be empty */
	size_t		 reason_len;
};

struct store_audit {
	uint64_t	 seq;
	int64_t		 time;
	const char	*actor;		/* NUL-terminated in the copy */
	const char	*action;	/* "add", "del", "expire", "import" */
	const char	*list;		/* "black", "white" or "" */
	const char	*entry;		/* "192.0.2.0/24", a file, ... */
	const char	*reason;
};

struct store;

/*
 * Open (creating if needed) the environment in directory path, which is
 * created if missing. map_size is the LMDB map size in bytes (it only
 * grows). readonly: open without write access. Returns NULL with a message
 * in errbuf.
 */
struct store	*store_open(const char *path, uint64_t map_size, int readonly,
		    char *errbuf, size_t errlen);
void		 store_close(struct store *);

/* Begin / end a read snapshot (renew / reset the reused read txn). */
enum store_rc	 store_read_begin(struct store *, char *errbuf, size_t errlen);
void		 store_read_end(struct store *);

/*
 * Between store_read_hold() and store_read_release(), store_read_begin()
 * keeps the snapshot it finds renewed and store_read_end() leaves it so:
 * the daemon holds one snapshot for a batch of queries received together
 * (microseconds), which saves a renew, a reset and LMDB's re-reading of
 * the sub-database records per query. A commit made meanwhile is seen
 * from the next batch on. release ends the snapshot.
 */
void		 store_read_hold(struct store *);
void		 store_read_release(struct store *);

/*
 * Inside a read snapshot: the most specific entry of the list that
 * contains address a and has not expired at now. Expired entries are
 * skipped as if absent. Returns STORE_OK (filled *e), STORE_NOTFOUND or
 * STORE_ERROR. brief: only e->prefix, flags and code are needed (added,
 * expires, actor and reason may be left zero), which the compact copy of
 * the lists answers without reading the database.
 */
enum store_rc	 store_lookup(struct store *, enum store_list,
		    const struct addr *a, time_t now, int brief,
		    struct store_entry *e, char *errbuf, size_t errlen);

/*
 * The daemon's compact copy of the IPv4 lists (ipindex.h). After
 * store_index_enable(), store_lookup() answers IPv4 lookups from the copy
 * whenever it is in step with the read snapshot (it holds the changes up
 * to the snapshot's last journal record), and from the B-trees
 * otherwise, so that a change is answered at once and the copy catches
 * up behind it.
 *
 * store_index_step() does a bounded piece of that work in a read
 * transaction of its own: reading at most max entries into a new copy,
 * or applying the journal's newer records to the copy (a rebuild when
 * they are too many, or gone, or an import). Returns 1 when there is more
 * to do, STORE_INDEX_WAIT when a rebuild waits for the journal to stand
 * still until the next call (to be made some time later, while an import
 * may still be committing batches), 0 when the copy is in step with the
 * newest snapshot, -1 on an error. store_index_stale(): the last read snapshot was ahead of the
 * copy, or there is none yet. store_index_count(): the entries in the
 * copy, and the bytes it takes in *bytes.
 */
#define STORE_INDEX_WAIT	2
void		 store_index_enable(struct store *);
int		 store_index_step(struct store *, size_t max, char *errbuf,
		    size_t errlen);
int		 store_index_stale(const struct store *);
size_t		 store_index_count(const struct store *, size_t *bytes);

/*
 * Ask the CPU for the copy's cache lines that a lookup of a will read
 * (ipx_prefetch; stage 0 for every address of a batch, then stage 1, then
 * the lookups). Nothing for an IPv6 address or without a copy; a copy
 * that is not in step only costs the prefetches.
 */
void		 store_prefetch(const struct store *, const struct addr *a,
		    int stage);

/*
 * Add or replace the entry for e->prefix (its own write transaction),
 * with an audit record (action "add"). *replaced is set to 1 when an
 * entry for the same prefix existed.
 */
enum store_rc	 store_add(struct store *, enum store_list,
		    const struct store_entry *e, int *replaced,
		    char *errbuf, size_t errlen);

/* Delete the entry for exactly this prefix, with an audit record. */
enum store_rc	 store_del(struct store *, enum store_list,
		    const struct addr *prefix, const char *actor,
		    char *errbuf, size_t errlen);

/*
 * Bulk load (import): entries are added in write transactions of at most
 * batch entries each, so a reader always sees a consistent list and a
 * huge file does not overflow one transaction. One audit record
 * ("import", entry = what) at the end. The iterator fills *e and returns
 * 1, or 0 at the end, or -1 on an error (already reported by it).
 */
typedef int store_iter_fn(void *arg, struct store_entry *e);
enum store_rc	 store_bulk_add(struct store *, enum store_list,
		    store_iter_fn *next, void *arg, const char *actor,
		    const char *what, size_t batch, size_t *count,
		    char *errbuf, size_t errlen);

/*
 * Walk a list in key order (address, then prefix length), in one read
 * transaction of its own; expired entries are included (the callback can
 * compare e->expires). cb returns 0 to go on, non-zero to stop.
 */
typedef int store_walk_fn(void *arg, const struct store_entry *e);
enum store_rc	 store_walk(struct store *, enum store_list,
		    store_walk_fn *cb, void *arg, char *errbuf, size_t errlen);

/*
 * Delete entries expired at now, with one audit record each, and the
 * expired cached verdicts, in one write transaction. The list entries
 * are found through the expiry records, so that only the entries that
 * expire are looked at; the cache is read whole.
 */
enum store_rc	 store_purge(struct store *, time_t now, const char *actor,
		    size_t *purged, char *errbuf, size_t errlen);

/*
 * Where a purge in steps has got to: the lists, the verdict cache, done.
 * Zero it to start a pass.
 */
enum { PURGE_LISTS = 0, PURGE_CACHE, PURGE_DONE };
#define STORE_PURGE_KEYMAX	256	/* >= every list and cache key */
struct store_purge_pos {
	int		 stage;		/* PURGE_LISTS ... PURGE_DONE */
	size_t		 keylen;	/* 0: from the stage's first key */
	uint8_t		 key[STORE_PURGE_KEYMAX];
};

/*
 * One step of a purge pass, as store_purge does, in a write transaction
 * that looks at max entries at most, starting at *pos and moving it on;
 * the pass is over when pos->stage is PURGE_DONE. Adds the number of
 * list entries purged to *purged. On an error *pos is unchanged. A daemon
 * purges in steps so that a large list never holds its loop or the write
 * lock for long.
 */
enum store_rc	 store_purge_step(struct store *, time_t now,
		    const char *actor, struct store_purge_pos *pos,
		    size_t max, size_t *purged, char *errbuf, size_t errlen);

/* Append an audit record (its own write transaction). */
enum store_rc	 store_audit_add(struct store *, const char *actor,
		    const char *action, const char *list, const char *entry,
		    const char *reason, char *errbuf, size_t errlen);

/* Walk the audit log, oldest first. */
typedef int store_audit_fn(void *arg, const struct store_audit *a);
enum store_rc	 store_audit_walk(struct store *, store_audit_fn *cb,
		    void *arg, char *errbuf, size_t errlen);

/*
 * The verdict cache ("cache" sub-database), shared by every zone and by
 * rdnsblctl. key: a kind byte ('4', '6': an address; 'h': a HELO name)
 * and the address bytes or the lower-case name (store_cache_key builds
 * it). Writes are not synced to disk one by one (MDB_NOSYNC for the
 * cache's transactions): a cache lost in a crash is only work to redo.
 */
#define STORE_CACHE_KEYMAX	256

struct store_verdict {
	uint32_t	 verdict;	/* caller-defined (check.h) */
	int64_t		 checked;	/* UNIX time of the check */
	int64_t		 expires;	/* UNIX time */
	const char	*rule;		/* matched rule, "" if none */
	size_t		 rule_len;
	const char	*names;		/* PTR names etc., NUL-separated */
	size_t		 names_len;
	const char	*detail;	/* one line of explanation */
	size_t		 detail_len;
};

/* Build a cache key for an address; returns its length. */
size_t		 store_cache_key_addr(const struct addr *, uint8_t *key);
/* Build a cache key for a name (lower-cased here); 0 if too long. */
size_t		 store_cache_key_name(const char *name, uint8_t *key);

/*
 * Inside a read snapshot: the cached verdict for key, if it has not
 * expired at now (strings point into the map until store_read_end).
 */
enum store_rc	 store_cache_get(struct store *, const uint8_t *key,
		    size_t keylen, time_t now, struct store_verdict *v,
		    char *errbuf, size_t errlen);

/* Store (replace) a verdict; its own write transaction, not synced. */
enum store_rc	 store_cache_put(struct store *, const uint8_t *key,
		    size_t keylen, const struct store_verdict *v,
		    char *errbuf, size_t errlen);

/*
 * Forget one cached verdict (key) or, with key NULL, all of them;
 * *count gets the number removed. NOTFOUND when key had none.
 */
enum store_rc	 store_cache_del(struct store *, const uint8_t *key,
		    size_t keylen, size_t *count, char *errbuf, size_t errlen);

/* Walk the cache in key order, expired entries included. */
typedef int store_cache_fn(void *arg, const uint8_t *key, size_t keylen,
    const struct store_verdict *v);
enum store_rc	 store_cache_walk(struct store *, store_cache_fn *cb,
		    void *arg, char *errbuf, size_t errlen);

/*
 * The delisting request queue. A request is pending until rdnsblctl
 * approves or denies it; one that passed the checks again at once, or
 * got a self-service removal, is stored already decided. At most one
 * request per address is pending. Every change writes an audit record in
 * the same transaction; an approval's whitelist entry too.
 */
enum store_req_status {
	REQ_PENDING = 0,
	REQ_APPROVED,		/* whitelisted by a reviewer or self-service */
	REQ_DENIED,
	REQ_RESOLVED,		/* passed the checks when submitted */
	REQ_STATUS_MAX
};

#define REQ_SELF		0x01	/* approved by self-service */

#define STORE_TOKEN_LEN		32	/* hex digits of a status token */
#define STORE_EMAIL_MAX		254
#define STORE_TEXT_MAX		2000
#define STORE_NOTE_MAX		1024
#define STORE_RREASON_MAX	512

struct store_request {
	uint64_t	 id;		/* set by store_request_add */
	uint32_t	 status;	/* enum store_req_status */
	uint32_t	 flags;		/* REQ_* */
	struct addr	 addr;		/* the listed address */
	struct addr	 client;	/* who asked */
	int64_t		 created;
	int64_t		 decided;	/* 0: pending */
	int64_t		 visible;	/* every MX sees the decision by */
	int64_t		 expires;	/* of the whitelist entry, 0: never */
	char		 token[STORE_TOKEN_LEN + 1];
	char		 email[STORE_EMAIL_MAX + 1];
	char		 text[STORE_TEXT_MAX + 1];	/* what the host is */
	char		 reason[STORE_RREASON_MAX + 1];	/* listed for */
	char		 actor[64];	/* who decided */
	char		 note[STORE_NOTE_MAX + 1];	/* approve note, deny */
};

const char	*store_req_status_name(enum store_req_status);

/*
 * Add a request (r->id is set). A pending one is refused with
 * STORE_EXISTS (and *other gets the pending id) when the address already
 * has one. white, if not NULL, is added to the white list in the same
 * transaction (a self-service removal), its reason prefixed with
 * "delisting request ID: ". actor names the submitter for
 * the audit trail.
 */
enum store_rc	 store_request_add(struct store *, struct store_request *r,
		    const struct store_entry *white, const char *actor,
		    uint64_t *other, char *errbuf, size_t errlen);

/* A request by id or by token (own read transactions). */
enum store_rc	 store_request_get(struct store *, uint64_t id,
		    struct store_request *r, char *errbuf, size_t errlen);
enum store_rc	 store_request_by_token(struct store *, const char *token,
		    struct store_request *r, char *errbuf, size_t errlen);

/*
 * The pending request of an address (*id), and the time of its last
 * self-service removal (*self, 0: never); own read transaction.
 */
enum store_rc	 store_request_state(struct store *, const struct addr *a,
		    uint64_t *id, int64_t *self, char *errbuf, size_t errlen);

/*
 * Decide a pending request: status REQ_APPROVED (white, if not NULL, is
 * added to the white list) or REQ_DENIED, with the actor, note, decision
 * time and visible time of r (the other fields are ignored). NOTFOUND:
 * no such request; EXISTS: it was already decided (*r is filled with
 * it then, as on success).
 */
enum store_rc	 store_request_decide(struct store *, uint64_t id,
		    enum store_req_status status, struct store_request *r,
		    const struct store_entry *white, char *errbuf,
		    size_t errlen);

/* Walk the requests, oldest first. */
typedef int store_request_fn(void *arg, const struct store_request *r);
enum store_rc	 store_request_walk(struct store *, store_request_fn *cb,
		    void *arg, char *errbuf, size_t errlen);

const char	*store_list_name(enum store_list);
/* "black" / "white" to a list, or -1. */
int		 store_list_lookup(const char *name);

#endif /* STORE_H */
