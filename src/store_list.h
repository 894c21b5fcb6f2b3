/* SPDX-License-Identifier: ISC */
/*
 * store_list.h -- the black and white lists in the store: their entries,
 * the longest-prefix lookup, the changes (add, delete, import) and a
 * walk. Every change writes an audit record (store_audit.h) and a journal
 * record in the same transaction.
 *
 * One entry per prefix and list: adding an entry for a prefix that has
 * one replaces it. An entry with ENTRY_EXCLUDE (rbldnsd's "!") says that
 * the prefix is not listed, which beats a wider entry.
 */
#ifndef STORE_LIST_H
#define STORE_LIST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "reason.h"
#include "store.h"

/*
 * A list is known by its id, the same in every process for the life of
 * the database: black and white are built in, a named list gets its id
 * from store_list_open().
 */
enum {
	LIST_BLACK = 0,
	LIST_WHITE = 1
};
#define STORE_LISTS_MAX		64	/* lists of a database, both built in */

/*
 * LIST_EXEMPT_NAME (reason.h), the delisting exemptions: an ip list that
 * the first process that writes registers as a named list
 * (store_exempt_open, store_queue.h), and that no zone names. An entry
 * exempts its addresses from every dnsbl zone, as a white entry does,
 * but lists them in no dnswl zone. It takes no exclusions
 * (ENTRY_EXCLUDE): a narrower exemption is simply absent.
 */
#define STORE_LIST_NAMEMAX	32	/* bytes of a list's name */

/* Entry flags. */
#define ENTRY_EXCLUDE	0x01	/* rbldnsd "!": not listed, beats wider */
#define ENTRY_WILD	0x02	/* domain lists: "*.name", below name only */
#define ENTRY_NOTXT	0x04	/* no TXT record, as its data file said */
#define ENTRY_SELF	0x08	/* exempt: a self-service removal, which
				   exempts from the computed checks only */

#define STORE_DNAME_MAX		253	/* bytes of a domain list's name */

#define STORE_ACTOR_MAX		64	/* bytes of an entry's actor */
#define STORE_REASON_MAX	1024	/* bytes of an entry's reason */

/*
 * An entry of an ip list has a prefix; one of a domain list (rbldnsd
 * dnset) has a name, lower case, no final dot, listed itself or, with
 * ENTRY_WILD, every name below it (".name" in a file is both entries).
 */
struct store_entry {
	struct addr	 prefix;	/* ip lists */
	const char	*dname;		/* domain lists */
	size_t		 dname_len;
	uint32_t	 flags;
	uint32_t	 code;		/* A value, host order; 0: default */
	int64_t		 added;		/* UNIX time */
	int64_t		 expires;	/* UNIX time, 0: never */
	const char	*actor;		/* who added it */
	size_t		 actor_len;
	const char	*reason;	/* free text, may be empty */
	size_t		 reason_len;
};

/* 1 if e has an expiry at or before now (it no longer counts), else 0. */
int		 store_entry_expired(const struct store_entry *e, time_t now);

/*
 * Inside a read snapshot (store_read_begin): the most specific entry of
 * the list that contains address a and has not expired at now. Expired
 * entries are skipped as if absent. Returns STORE_OK (filled *e, whose
 * strings point into the map until store_read_end), STORE_NOTFOUND or
 * STORE_ERROR. brief: only e->prefix, flags and code are needed (added,
 * expires, actor and reason may be left zero), which the compact copy of
 * the lists answers without reading the database.
 */
enum store_rc	 store_lookup(struct store *, unsigned list,
		    const struct addr *a, time_t now, int brief,
		    struct store_entry *e, char *errbuf, size_t errlen);

/*
 * Add or replace the entry for e->prefix (masked here) or, in a domain
 * list, e->dname and ENTRY_WILD (its own write transaction), with an
 * audit record (action "add"). *replaced, if not NULL, is set to 1 when
 * an entry for the same prefix or name existed. The
 * strings of e are copied. Returns STORE_OK or STORE_ERROR.
 */
enum store_rc	 store_add(struct store *, unsigned list,
		    const struct store_entry *e, int *replaced,
		    char *errbuf, size_t errlen);

/*
 * Delete the entry for exactly this prefix (masked here), with an audit
 * record naming actor. Returns STORE_OK, STORE_NOTFOUND or STORE_ERROR.
 */
enum store_rc	 store_del(struct store *, unsigned list,
		    const struct addr *prefix, const char *actor,
		    char *errbuf, size_t errlen);

/*
 * Delete the entry of domain list list for exactly name (wild: the
 * "*.name" entry), with an audit record, as store_del does.
 */
enum store_rc	 store_del_name(struct store *, unsigned list,
		    const char *name, int wild, const char *actor,
		    char *errbuf, size_t errlen);

/*
 * Inside a read snapshot: the entry of domain list list that decides for
 * name (lower case, no final dot), as rbldnsd's dnset decides: the entry
 * for the name itself, else the wildcard entry of its longest parent
 * ("*.parent"). Expired entries are skipped as if absent. Returns
 * STORE_OK (*e filled; an ENTRY_EXCLUDE entry means not listed; its
 * dname is the entry's name, pointing into NAME, its other strings into
 * the map until store_read_end), STORE_NOTFOUND or STORE_ERROR.
 */
enum store_rc	 store_lookup_name(struct store *, unsigned list,
		    const char *name, time_t now, struct store_entry *e,
		    char *errbuf, size_t errlen);

/*
 * Bulk load (import): entries are added in write transactions of at most
 * batch entries each, so a reader always sees a consistent list and a
 * huge file does not overflow one transaction. Two audit records,
 * entry = what: STORE_AUDIT_IMPORT_START ("started") committed with the
 * first batch, and "import" ("N entries") with the last; a process
 * killed in between leaves the start alone. The iterator fills *e and returns
 * 1, or 0 at the end, or -1 on an error (already reported by it). *count
 * (if not NULL) gets the number of entries committed, also on an error,
 * when the batches committed before it stay (with an audit record that
 * says so).
 */
typedef int store_iter_fn(void *arg, struct store_entry *e);
enum store_rc	 store_bulk_add(struct store *, unsigned list,
		    store_iter_fn *next, void *arg, const char *actor,
		    const char *what, size_t batch, size_t *count,
		    char *errbuf, size_t errlen);

/*
 * The other way round: delete the entries the iterator gives (an entry
 * that is not there is passed over), in batches as store_bulk_add, with
 * one audit record at the end: STORE_AUDIT_IMPORT_UNDO, entry = what,
 * "N entries deleted". *count gets the number deleted. Returns STORE_OK
 * or STORE_ERROR (earlier batches stay deleted, with an audit record
 * that says so).
 */
enum store_rc	 store_bulk_undo(struct store *, unsigned list,
		    store_iter_fn *next, void *arg, const char *actor,
		    const char *what, size_t batch, size_t *count,
		    char *errbuf, size_t errlen);

/*
 * An entry that store_replace skips because an earlier one of the
 * iterator has its key: SEQ and FIRST are their places in the iterator's
 * order (from 0), TEXT the entry as store_entry_text shows it.
 */
typedef void store_dup_fn(void *arg, size_t seq, size_t first,
    const char *text);

/*
 * Replace list's entries with the iterator's, all of them, in one write
 * transaction: readers see the old list or the new one, never a mix, and
 * never wait. The entries are read into memory first and sorted, then
 * written in key order into the emptied table (LMDB's append mode). Of
 * two entries for one prefix or name the first stays; dup (if not NULL)
 * is told of each other one, and *dups counts them (if not NULL). One
 * audit record ("replace", entry = what). The iterator is as
 * store_bulk_add's, and arg goes to dup too; its strings are copied.
 * *count gets the number of entries the list holds now. Returns
 * STORE_OK, or STORE_ERROR with nothing changed.
 */
enum store_rc	 store_replace(struct store *, unsigned list,
		    store_iter_fn *next, store_dup_fn *dup, void *arg,
		    const char *actor, const char *what, size_t *count,
		    size_t *dups, char *errbuf, size_t errlen);

/*
 * store_replace() of the entries of two iterators that run at once, each
 * on a thread of its own (one after the other where a thread cannot be
 * had): next and arg give the file's first part, next2 and arg2 the rest
 * (the first part's entry counts where both have a key, and dup numbers
 * the entries across both, the first part's first). Their strings are
 * copied; neither may touch what the other does.
 */
enum store_rc	 store_replace2(struct store *, unsigned list,
		    store_iter_fn *next, void *arg, store_iter_fn *next2,
		    void *arg2, store_dup_fn *dup, const char *actor,
		    const char *what, size_t *count, size_t *dups,
		    char *errbuf, size_t errlen);

/*
 * Walk a list in key order (address, then prefix length), in one read
 * transaction of its own; expired entries are included (the callback can
 * compare e->expires). The entry's strings are valid during the call.
 * cb returns 0 to go on, non-zero to stop. With SKIPPED not NULL, an
 * entry that cannot be read is passed over and counted in *SKIPPED (one
 * bad record does not hide the others); with NULL it stops the walk.
 * Returns STORE_OK or STORE_ERROR (a corrupt entry, without SKIPPED).
 */
typedef int store_walk_fn(void *arg, const struct store_entry *e);
enum store_rc	 store_walk(struct store *, unsigned list,
		    store_walk_fn *cb, void *arg, size_t *skipped,
		    char *errbuf, size_t errlen);

/*
 * A change of list l in the journal (store_journal.h): e the entry's key
 * (e->prefix, or e->name of a domain list) with, when had is 1, the value
 * it had before the change (strings valid during the call); had 0: the
 * entry was absent; had -1: the record does not say (written by an older
 * version). e NULL: an import of list l (any number of entries). Returns
 * 0 to go on, -1 with errbuf, or more than 1 to stop (1 means that a
 * record is no longer kept, store_journal_changes).
 */
typedef int store_change_fn(void *arg, unsigned l,
    const struct store_entry *e, int had, char *errbuf, size_t errlen);

/*
 * The changes since a serial, for an IXFR (store_walk_snapshot): fn
 * (store_change_fn, below) gets each change of the journal from serial
 * to the current one, and result says how that went.
 */
enum store_since_result {
	STORE_SINCE_CHANGES = 0,	/* fn has had them all */
	STORE_SINCE_CURRENT,		/* serial is the current one */
	STORE_SINCE_WINDOW,		/* not between the zone's base and
					   its current serial (RFC 1982) */
	STORE_SINCE_GONE,		/* the journal no longer reaches back */
	STORE_SINCE_STOPPED		/* fn stopped (a value over 1) */
};
struct store_since {
	uint32_t		 serial;
	store_change_fn		*fn;
	void			*arg;
	int			 result;	/* enum store_since_result */
};

/*
 * Walk the lists ids[0..n) in turn, each as store_walk with cbs[i] and
 * args[i], all in one read snapshot of their own, and, with zone not
 * NULL, set *serial to the zone's serial in that snapshot (store.h,
 * store_serial): what a zone transfer sends, from a thread of its own
 * while the daemon answers. With since not NULL too, the changes since
 * its serial go to its function first, in the same snapshot (an IXFR).
 * A callback's non-zero stops its walk only. Returns STORE_OK or
 * STORE_ERROR.
 */
enum store_rc	 store_walk_snapshot(struct store *, const unsigned *ids,
		    size_t n, store_walk_fn *const *cbs, void *const *args,
		    const char *zone, uint32_t *serial,
		    struct store_since *since, char *errbuf, size_t errlen);

/*
 * Open the list called name, of kind (black and white: ids 0 and 1, kind
 * ip), creating it when create is set and it does not exist yet (a write
 * transaction of its own), and set *id. Returns STORE_OK, STORE_NOTFOUND
 * (it does not exist and create is 0: a reader sees it empty), or
 * STORE_ERROR: a bad name, a kind other than the list's in the database,
 * more than STORE_LISTS_MAX lists, or LMDB's error.
 */
enum store_rc	 store_list_open(struct store *, const char *name,
		    enum list_kind kind, int create, unsigned *id,
		    char *errbuf, size_t errlen);

/*
 * The name of list l ("black", "white", or a named list opened in this
 * process), or "?"; the string lives as long as st.
 */
const char	*store_list_name(const struct store *st, unsigned l);

/* The id of the open list called name, or -1. */
int		 store_list_lookup(const struct store *st, const char *name);

#endif /* STORE_LIST_H */
