/* SPDX-License-Identifier: ISC */
/*
 * store.h -- the LMDB database: open and close it, read snapshots, the
 * daemon's compact copy of the lists, and the purge of what has
 * expired. What the database holds has a header for each audience:
 * store_list.h (the black and white lists), store_audit.h (the audit
 * log), store_cache.h (the verdict cache of the computed checks) and
 * store_queue.h (the delisting requests), so that code that reads the
 * lists does not see the requests' e-mail addresses and tokens.
 *
 * None of these headers exposes LMDB: only the store's own files
 * (store*.c) include <lmdb.h>, through the internal headers of its
 * layers (store_base.h says which they are).
 *
 * Tables (named sub-databases of one environment under database:), and
 * the file that owns each one's layout of keys and values:
 *   "black", "white"      the lists' entries (store_base.c)
 *   "meta"                "schema" -> the version (store.c); the counts
 *                         of entries per prefix length, the number of
 *                         the last journal record and the zones' SOA
 *                         serials (store_journal.c)
 *   "journal", "expiry"   the changes of the lists, and the entries that
 *                         expire (store_journal.c)
 *   "audit"               the audit log (store_audit.c)
 *   "cache"               the verdict cache (store_cache.c)
 *   "requests", "reqindex" the delisting requests (store_queue.c)
 * A database made by an older version lacks the later tables: a writer
 * that opens it adds them, a reader sees them empty (store.c).
 *
 * Conventions: functions return STORE_OK / STORE_NOTFOUND / STORE_ERROR
 * (not found is never an error) and put error text in errbuf; nothing in
 * the store logs. A full map gives an error that names the map-size:
 * setting.
 *
 * Reading: the daemon keeps one read transaction per store and calls
 * store_read_begin() / store_read_end() around each query (mdb_txn_renew
 * and mdb_txn_reset), so readers are short and writers never wait.
 * Strings in a returned entry or verdict point into the map and stay
 * valid only until store_read_end().
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define STORE_SCHEMA_VERSION	1

enum store_rc {
	STORE_OK = 0,
	STORE_NOTFOUND = 1,
	STORE_EXISTS = 2,	/* requests: one is already pending */
	STORE_LIMIT = 3,	/* verifications: too many unconfirmed */
	STORE_ERROR = -1
};

struct addr;
struct store;			/* opaque */

/*
 * The modes of a database the store creates: the directory (its files
 * take its group), data.mdb and lock.mdb. The group is rdnsbld's and
 * the operators' who run rdnsblctl; others get nothing.
 */
#define STORE_DIR_MODE	02770
#define STORE_FILE_MODE	0660

/*
 * Open (creating if needed) the environment in directory path, which is
 * created if missing (mode STORE_DIR_MODE, its files STORE_FILE_MODE
 * whatever the umask says of the group). map_size is the LMDB map size in bytes (it only
 * grows). readonly: open without write access. A writer adds the tables
 * an older database lacks. Returns the store, which the caller frees with
 * store_close(), or NULL with a message in errbuf.
 */
struct store	*store_open(const char *path, uint64_t map_size, int readonly,
		    char *errbuf, size_t errlen);

/*
 * Read the whole database in directory path, every table, key and
 * value, in a child process, which a corrupt page may crash: LMDB has no
 * checksums, and follows a damaged page where it points. Returns 0 when
 * it all reads (or there is no database yet), or -1 with errbuf naming
 * data.mdb, what went wrong and what to do. Takes one pass over the
 * file; never logs.
 */
int		 store_verify(const char *path, char *errbuf, size_t errlen);

/* Close the environment and free the store; NULL is accepted. */
void		 store_close(struct store *);

/*
 * Begin / end a read snapshot (renew / reset the reused read txn). A
 * second begin without an end starts a fresh snapshot, and the strings of
 * earlier lookups are then no longer valid. begin returns STORE_OK or
 * STORE_ERROR.
 */
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
 * The daemon's compact copy of the lists, IPv4 and IPv6 (ipindex.h).
 * After store_index_enable(), store_lookup() answers from the copy
 * whenever it is in step with the read snapshot (it holds the changes up
 * to the snapshot's last journal record), and from the B-trees
 * otherwise, so that a change is answered at once and the copy catches
 * up behind it.
 *
 * store_index_step() does a bounded piece of that work in a read
 * transaction of its own: reading at most max entries into a new copy
 * (or sorting it, about as much work), or applying the journal's newer
 * records to the copy (a rebuild when they are too many, or gone, or an
 * import). Returns 1 when there is more to do, STORE_INDEX_WAIT when a
 * rebuild waits for the journal to stand still until the next call (to
 * be made some time later, while an import may still be committing
 * batches), 0 when the copy is in step with the newest snapshot, -1 on
 * an error. store_index_stale(): the last read snapshot was ahead of the
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
 * the lookups), IPv4 or IPv6. Nothing without a copy; a copy that is not
 * in step only costs the prefetches.
 */
void		 store_prefetch(const struct store *, const struct addr *a,
		    int stage);

/*
 * Zone SOA serials that mean the data: every committed change of a list
 * moves a zone's serial on (by the number of changes), and a change of
 * the zone's configuration (conf_hash) moves it one up; kept in the
 * database, so that a restart never goes back. store_serial_conf()
 * records the zone's configuration (a write transaction when it is new
 * or changed; a new zone starts at initial) and sets *serial; the
 * daemon calls it for every zone at start and reload. store_serial():
 * the serial in the newest snapshot (STORE_ERROR for a zone without a
 * record). store_change_seq(): the number of the last change, to see
 * cheaply whether anything changed.
 */
enum store_rc	 store_serial_conf(struct store *, const char *zone,
		    uint64_t conf_hash, uint32_t initial, uint32_t *serial,
		    char *errbuf, size_t errlen);
enum store_rc	 store_serial(struct store *, const char *zone,
		    uint32_t *serial, char *errbuf, size_t errlen);
enum store_rc	 store_change_seq(struct store *, uint64_t *seq,
		    char *errbuf, size_t errlen);

/*
 * The soonest time an entry expires (an expiry record, which may be
 * stale: the entry may have changed since), for the daemon to purge
 * then: STORE_OK with *when, STORE_NOTFOUND when none expires.
 */
enum store_rc	 store_next_expiry(struct store *, int64_t *when,
		    char *errbuf, size_t errlen);

/*
 * Delete entries expired at now, with one audit record each (actor
 * names who purges), and the expired cached verdicts, in one write
 * transaction. The list entries are found through the expiry records, so
 * that only the entries that expire are looked at; the cache is read
 * whole. *purged (if not NULL) gets the number of list entries deleted.
 */
enum store_rc	 store_purge(struct store *, time_t now, const char *actor,
		    size_t *purged, char *errbuf, size_t errlen);

/*
 * Where a purge in steps has got to: the lists, the verdict cache, the
 * expired unconfirmed requests (store_queue.h), done.
 * Zero it to start a pass.
 */
enum { PURGE_LISTS = 0, PURGE_CACHE, PURGE_UNCONFIRMED, PURGE_DONE };
#define STORE_PURGE_KEYMAX	256	/* >= every cache key */
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

#endif /* STORE_H */
