/* SPDX-License-Identifier: ISC */
/*
 * store_base.h -- the bottom layer of the store, internal to its files:
 * the environment handle (struct store), error text, transactions, the
 * keys and values of the lists' entries, the checks of what a caller
 * hands in, and the reads that every layer above needs (a walk of a
 * whole table, the probe of one prefix). Only store*.c include it, and
 * so <lmdb.h>; the public headers (store.h and the ones it names) never
 * show LMDB.
 *
 * The store's files, bottom to top; each calls only its own layer and the
 * ones below it, and includes only their internal headers
 * (tools/layers.sh checks both):
 *   store_base.c      this header
 *   store_journal.c   store_journal.h: the counts of entries per prefix
 *                     length, the journal of list changes, the expiry
 *                     records
 *   store_index.c     store_index.h: the daemon's compact copy of the
 *                     lists (ipindex.h)
 *   store_read.c      the read snapshot and the longest-prefix lookup
 *   store.c           open (bringing an older database up to date) and
 *                     close
 *   store_audit.c     store_audit_txn.h: the audit log
 *   store_cache.c     store_cache_txn.h: the verdict cache
 *   store_list.c      store_list_txn.h: the lists' changes
 *   store_queue.c     the delisting requests
 *   store_purge.c     the purge of the lists and the cache
 *   store_stats.c     store_stats.h: the statistics per rule, which
 *                     use nothing above this file
 * The cache uses nothing of the audit log; it sits below the lists only
 * so that the order is a line.
 *
 * Unless a contract says otherwise, a function here returns 0, or -1
 * with the reason in errbuf (errlen bytes), and never logs.
 */
#ifndef STORE_BASE_H
#define STORE_BASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <lmdb.h>

#include "addr.h"
#include "store.h"
#include "store_list.h"

struct ipindex;


#define ACTOR_MAX	STORE_ACTOR_MAX		/* store_list.h */
#define REASON_MAX	STORE_REASON_MAX
#define ENTRY_MAXLEN	(28 + ACTOR_MAX + REASON_MAX)	/* a packed entry */
#define KEY_MAXLEN	18		/* af, 16 address bytes, length */
#define ANYKEY_MAX	(1 + STORE_DNAME_MAX)	/* a domain list's key */
#define LENS_MAX	129		/* prefix lengths 0-128 */
#define NLENS(af)	((af) == ADDR_V4 ? 33 : 129)

/* A list of the database as this process has it open (store.c). */
struct store_lh {
	MDB_dbi		 dbi;
	int		 open;		/* dbi is valid */
	enum list_kind	 kind;
	char		 name[STORE_LIST_NAMEMAX + 1];
	size_t		 lens_txnid;	/* 0: lens not read */
	uint32_t	 lens[2][LENS_MAX];	/* [af == V6][prefix length] */
};

/*
 * Open, in a read txn of its own, the named lists that another process
 * registered since this one read them (store.c; the purge calls it so
 * that its expiry records find their tables). 0 or -1.
 */
int	store_list_refresh(struct store *st, char *errbuf, size_t errlen);

/*
 * The environment handle. Every layer keeps its state here; the comments
 * say which file owns which fields.
 */
struct store {
	MDB_env		*env;
	int		 readonly;
	/*
	 * The tables (store.c opens them). A has_ flag is 0 when the
	 * database was opened read-only and was made before that table.
	 */
	struct store_lh	 lists[STORE_LISTS_MAX];	/* by id (store.c) */
	MDB_dbi		 meta;
	MDB_dbi		 audit;
	MDB_dbi		 cache;
	int		 has_cache;
	MDB_dbi		 req;		/* delisting requests by id */
	MDB_dbi		 reqidx;	/* their indexes (store_queue.c) */
	int		 has_req;
	int		 exempt_done;	/* store_exempt_open converted */
	MDB_dbi		 journal;	/* list changes (store_journal.c) */
	int		 has_journal;
	MDB_dbi		 expiry;	/* what expires (store_journal.c) */
	int		 has_expiry;
	MDB_dbi		 stats;		/* counts by rule (store_stats.c) */
	int		 has_stats;
	/*
	 * The reused read txn (store_read.c). A cursor per list on it,
	 * opened once and renewed with it (no allocation per query): the
	 * probes of one lookup go through it (store_probe), so that a
	 * probe that lands on the leaf page of the one before searches
	 * that page only, not the tree from its root.
	 */
	MDB_txn		*rtxn;
	int		 reading;	/* rtxn is renewed */
	int		 held;		/* store_read_hold: keep it renewed */
	MDB_cursor	*rcur[STORE_LISTS_MAX];
	unsigned	 rcur_gen[STORE_LISTS_MAX];	/* read_gen when last
							   renewed */
	unsigned	 read_gen;	/* counts the renewals of rtxn */
	/*
	 * snap_seq, the last journal number in the snapshot snap_txnid
	 * (store_read.c); each list's prefix length counts as read in the
	 * snapshot of its lens_txnid, so that lookups in the same or an
	 * unchanged snapshot skip the meta reads (a write commit gives the
	 * next snapshot a new txnid).
	 */
	size_t		 snap_txnid;	/* 0: nothing read yet */
	uint64_t	 snap_seq;
	/*
	 * The daemon's compact copy of the lists, kept in step with the
	 * journal (store_index.c). ix is used only when ix_seq is snap_seq;
	 * ixb is a copy being built, from the snapshot whose last journal
	 * number is ixb_seq, list ixb_list from key ixb_key on (then, with
	 * ixb_list 2, sorted in steps: ipx_finish_step).
	 */
	int		 ix_on;		/* store_index_enable() */
	struct ipindex	*ix;		/* NULL: none ready */
	uint64_t	 ix_seq;
	struct ipindex	*ixb;
	uint64_t	 ixb_seq;
	int		 ixb_list;
	uint8_t		 ixb_key[KEY_MAXLEN];
	size_t		 ixb_keylen;
	int		 ix_waiting;	/* a rebuild waits: journal moving */
	uint64_t	 ix_wait_seq;
	unsigned long	 map_lo;	/* the map (map_find), if known */
	size_t		 map_len;
	uint64_t	 cache_evicted;	/* verdicts dropped (store_cache.c) */
};

/*
 * Put the text of LMDB's error rc into errbuf: "WHAT: why", WHAT made
 * from fmt, or for MDB_MAP_FULL the message that tells to raise
 * map-size: (with the map's size now, which st gives).
 */
void	store_err(struct store *st, int rc, char *errbuf, size_t errlen,
	    const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

/* Begin a write txn, following a map that another process has grown. */
int	store_wtxn_begin(struct store *st, MDB_txn **txn, char *errbuf,
	    size_t errlen);
/*
 * Begin a read txn of its own (a walk; not the reused one), likewise.
 * The caller aborts it.
 */
int	store_rtxn_begin(struct store *st, MDB_txn **txn, char *errbuf,
	    size_t errlen);
/* Commit txn, which is gone either way. */
int	store_txn_commit(struct store *st, MDB_txn *txn, char *errbuf,
	    size_t errlen);

/*
 * Checks of a list, an address or prefix, a text, a whole entry: 0, or
 * -1 with the reason in errbuf. The first two are inline: every lookup
 * of the query path makes them.
 */
static inline int
store_list_check(const struct store *st, unsigned l, char *errbuf,
    size_t errlen)
{
	if (l >= STORE_LISTS_MAX || !st->lists[l].open) {
		snprintf(errbuf, errlen, "bad list %u", l);
		return -1;
	}
	return 0;
}

static inline int
store_addr_check(const struct addr *a, char *errbuf, size_t errlen)
{
	if (a->af != ADDR_V4 && a->af != ADDR_V6) {
		snprintf(errbuf, errlen, "bad address family %u", a->af);
		return -1;
	}
	if (a->len > ADDR_BITS(a)) {
		snprintf(errbuf, errlen, "bad prefix length %u", a->len);
		return -1;
	}
	return 0;
}

/* A text is at most max bytes, and there when len says so; what names it. */
int	store_text_check(const char *what, const char *text, size_t len,
	    size_t max, char *errbuf, size_t errlen);
int	store_entry_check(const struct store_entry *e, char *errbuf,
	    size_t errlen);

/*
 * The list key of a (masked by the caller) into k (KEY_MAXLEN bytes);
 * returns its size.
 */
size_t	store_key_make(uint8_t *k, const struct addr *a);
/* A list key into *a: 0, or -1 when k is none. */
int	store_key_parse(const MDB_val *k, struct addr *a);
/*
 * The prefix length of the list key k of n bytes, its family's index
 * (0 IPv4, 1 IPv6) in *v6; -1 when k is none. No more is read.
 */
int	store_key_len(const uint8_t *k, size_t n, int *v6);
/*
 * The list key of the IPv4 prefix a/len (masked here), as one word in
 * the order of its bytes: the key's 6 bytes, then 0 and the key's size.
 */
uint64_t store_key_word4(uint32_t a, unsigned len);

/*
 * The key of entry e in a list of kind into k (ANYKEY_MAX bytes): an ip
 * list's masked prefix (store_key_make), a domain list's "=" (the name)
 * or "*" (ENTRY_WILD: below it) and the name. Returns its size, 0 when e
 * has no valid prefix or name for the kind.
 */
size_t	store_entry_key(enum list_kind kind, const struct store_entry *e,
	    uint8_t *k);
/*
 * A key of a list of kind into *e: the prefix, or the name (pointing
 * into k) and ENTRY_WILD. 0, or -1 when k is none.
 */
int	store_entry_key_parse(enum list_kind kind, const MDB_val *k,
	    struct store_entry *e);

/*
 * An entry's text for the audit log and messages: the prefix or name,
 * after "!" for an exclusion and "*." for a wildcard.
 */
char	*store_entry_text(const struct store_entry *e, char *buf, size_t len);
#define ENTRY_TEXTMAX	(STORE_DNAME_MAX + 4)

/*
 * Pack e (checked with store_entry_check) into buf (ENTRY_MAXLEN
 * bytes); returns the size. Not the prefix: that is the key.
 */
size_t	store_entry_encode(uint8_t *buf, const struct store_entry *e);
/*
 * A value of list l that many entries share, which an entry's value of
 * 1 to VREF_MAX bytes (shorter than any packed entry) refers to by its
 * number: a replace stores each value shared by more than one of its
 * entries once (store_list.c). The shared values live in "meta" under
 * "val:" | the list id (1 byte) | the number (4 bytes, big-endian)
 * (VREF_KEYLEN bytes), each a packed entry.
 */
#define VREF_MAX	3
#define VREF_KEYLEN	9
#define VREF_IDS	(1u << (8 * VREF_MAX))	/* numbers below this */
/* The key of shared value id of list l into k; returns its size. */
size_t	store_vref_key(uint8_t *k, unsigned l, uint32_t id);

/*
 * The last shared value a decode looked up, for a caller that decodes
 * many entries inside one txn (a walk): zeroed before the first, it is
 * good while the txn lasts.
 */
struct store_vmemo {
	int		 set;
	unsigned	 l;
	uint32_t	 id;
	MDB_val		 v;		/* into the map */
};

/*
 * Unpack a value of list l, read inside txn, into *e, all but e->prefix;
 * a reference is looked up in txn (through memo when not NULL). Its
 * strings point into the map while the txn lasts. 0, or -1 for a
 * corrupt value or a reference to no shared value.
 */
int	store_entry_decode(struct store *st, MDB_txn *txn, unsigned l,
	    const MDB_val *v, struct store_entry *e, struct store_vmemo *memo);

/* A 64-bit number in 8 bytes, big-endian (keys that sort by number). */
void	store_be64_put(uint8_t *p, uint64_t x);
uint64_t store_be64_get(const uint8_t *p);

/*
 * Call fn on every record of dbi, in key order, in a read txn of its
 * own, until fn returns non-zero: 1 stops the walk, -1 is a corrupt
 * record (fn has set errbuf). what names the table in LMDB's errors.
 * The record points into the map during the call. Returns STORE_OK or
 * STORE_ERROR.
 */
typedef int store_record_fn(void *arg, const MDB_val *k, const MDB_val *v,
	    char *errbuf, size_t errlen);
enum store_rc store_table_walk(struct store *st, MDB_dbi dbi,
	    const char *what, store_record_fn *fn, void *arg, char *errbuf,
	    size_t errlen);
/* The same inside the caller's txn. */
enum store_rc store_table_walk_txn(struct store *st, MDB_txn *txn,
	    MDB_dbi dbi, const char *what, store_record_fn *fn, void *arg,
	    char *errbuf, size_t errlen);

/*
 * Inside the read snapshot (st->reading): the entry of list l for
 * exactly the masked prefix m, unless it has expired at now. Returns
 * STORE_OK (*e filled, strings into the map), STORE_NOTFOUND or
 * STORE_ERROR.
 */
enum store_rc store_probe(struct store *st, unsigned l,
	    const struct addr *m, time_t now, struct store_entry *e,
	    char *errbuf, size_t errlen);

#endif /* STORE_BASE_H */
