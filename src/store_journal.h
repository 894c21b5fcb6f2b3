/* SPDX-License-Identifier: ISC */
/*
 * store_journal.h -- the records that every change of a list writes
 * beside the entry, in the same write transaction: the counts of entries
 * per prefix length (which the lookups read to probe only the lengths in
 * use), the journal of list changes (which the daemon's compact copy
 * follows), and the expiry records (which the purge reads). Internal to
 * the store's files, second layer from the bottom (store_base.h).
 *
 * Unless a contract says otherwise, a function here returns 0, or -1
 * with the reason in errbuf (errlen bytes), and never logs. Each works
 * inside the caller's txn, a write txn where it writes.
 */
#ifndef STORE_JOURNAL_H
#define STORE_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store_base.h"

/* Count changes per family and length, [af == ADDR_V6][prefix length]. */
typedef int64_t lens_delta[2][LENS_MAX];

/*
 * The counts of entries per prefix length of list l, family af, into c
 * (NLENS(af) of them; zeros when there are none yet).
 */
int	store_lens_get(struct store *st, MDB_txn *txn, unsigned l,
	    int af, uint32_t *c, char *errbuf, size_t errlen);
/* Add the changes in d to the stored counts of list l. */
int	store_lens_apply(struct store *st, MDB_txn *txn, unsigned l,
	    lens_delta d, char *errbuf, size_t errlen);

/* The number of the last journal record in txn into *seq (0: none yet). */
int	store_journal_seq(struct store *st, MDB_txn *txn, uint64_t *seq,
	    char *errbuf, size_t errlen);
/*
 * Record that the entry of list l whose key is kb (klen bytes,
 * store_entry_key) changed, its stored value before the change old
 * (oldlen bytes, store_entry_encode; NULL: there was none), or with kb
 * NULL that any number of them did (an import), so that a daemon's copy
 * of the lists can follow and a zone transfer send the difference.
 * Nothing in a database without a journal (opened read-only, made
 * before it).
 */
int	store_journal_note(struct store *st, MDB_txn *txn, unsigned l,
	    const uint8_t *kb, size_t klen, const void *old, size_t oldlen,
	    char *errbuf, size_t errlen);
/*
 * Call fn (store_change_fn, store_list.h) with each journal record
 * numbered from to to, in order, until fn returns non-zero. The records
 * of lists this process has not opened are passed over. Returns
 * 0 when fn has seen them all, 1 when one of them is no longer kept, fn's
 * non-zero (-1: an error in errbuf), or -1 on an error.
 */
int	store_journal_changes(struct store *st, MDB_txn *txn, uint64_t from,
	    uint64_t to, store_change_fn *fn, void *arg, char *errbuf,
	    size_t errlen);
/*
 * Call fn with the list and the prefix of each journal record of an ip
 * prefix of black or white numbered from to to, in order, until fn
 * returns -1 (an error in errbuf). The records of other lists are
 * passed over: the compact copy, the journal's reader, holds those two
 * (store_index.h). Returns 0 when fn has seen them all, 1 when one of
 * them is no longer kept or records an import of black or white (which
 * names no prefix: the caller can only start again from the lists), -1
 * on an error.
 */
typedef int store_journal_fn(void *arg, unsigned l,
	    const struct addr *prefix, char *errbuf, size_t errlen);
int	store_journal_read(struct store *st, MDB_txn *txn, uint64_t from,
	    uint64_t to, store_journal_fn *fn, void *arg, char *errbuf,
	    size_t errlen);

/*
 * Add (del 0) or delete (del 1) the expiry record of list l's entry
 * whose key is kb (klen bytes) that expires at expires; an entry that
 * does not expire (0) has none, nor does a database without the table
 * (opened read-only, made before it).
 */
int	store_expiry_put(struct store *st, MDB_txn *txn, unsigned l,
	    const uint8_t *kb, size_t klen, int64_t expires, int del,
	    char *errbuf, size_t errlen);
/*
 * Take the expiry records that are due at now off the table, soonest
 * first and *left at most (counted down), and call fn with each one's
 * list, entry key and expiry time, until fn returns -1 (an error in
 * errbuf). A record that is not one is dropped without a call. The
 * record may be stale: fn finds out whether the entry still expires then.
 * Returns 1 when *left ran out, 0 when no record due is left, -1 on an
 * error.
 */
typedef int store_expiry_fn(void *arg, unsigned l, const uint8_t *kb,
	    size_t klen, int64_t expires, char *errbuf, size_t errlen);
int	store_expiry_due(struct store *st, MDB_txn *txn, time_t now,
	    size_t *left, store_expiry_fn *fn, void *arg, char *errbuf,
	    size_t errlen);

/*
 * The serial of zone (store.h, store_serial) in the snapshot of txn;
 * -1 with errbuf when the zone has none.
 */
int	store_serial_txn(struct store *st, MDB_txn *txn, const char *zone,
	    uint32_t *serial, char *errbuf, size_t errlen);

/*
 * The journal records that lead from the zone's serial from to its
 * serial in txn: *first to *last. Returns 0; 1 when from is the current
 * serial; 2 when it is not between the serial the zone had when its
 * configuration last changed and the current one (RFC 1982): the
 * journal cannot tell; -1 with errbuf.
 */
int	store_serial_since(struct store *st, MDB_txn *txn, const char *zone,
	    uint32_t from, uint64_t *first, uint64_t *last, char *errbuf,
	    size_t errlen);

#endif /* STORE_JOURNAL_H */
