/* SPDX-License-Identifier: ISC */
/*
 * store_journal.c -- the records that every change of a list writes
 * beside the entry (store_journal.h): the counts per prefix length, the
 * journal and the expiry records. This file owns their layout:
 *
 * "meta" "lens:<list>:<af>" -> u32 counts of entries per prefix length
 *   (33 for IPv4, 129 for IPv6), so that a longest-prefix lookup probes
 *   only the lengths in use (a handful of B-tree lookups, correct with
 *   nested ranges).
 * "meta" "journal" -> u64 number of the last journal record.
 * "journal": key u64 big-endian record number; value one of
 *     the list | JOURNAL_OLD (1 byte), the key's length (1 byte), the key
 *       of an entry that was added, replaced or deleted, and the entry's
 *       stored value before the change (nothing: it was absent), so that
 *       a zone transfer can send the difference between two serials;
 *     the list (1 byte) and the key alone: a record of an older version,
 *       which does not say what was there before;
 *     the list alone: an import (any number of entries changed).
 *   Every list change writes one in the same transaction; the last
 *   JOURNAL_KEEP are kept. A daemon follows it to keep its compact copy
 *   of the lists in step (store_index.c), and a zone transfer reads it
 *   for an IXFR (xfr.c).
 * "expiry": key u64 big-endian expiry time, the list (1 byte) and the
 *   entry's key; empty value: one per entry that expires, so that a
 *   purge looks at those only (a writer adds them to an older database).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store_journal.h"
#include "store_base.h"

#define JOURNAL_KEEP	65536	/* changes kept for a daemon to catch up */
#define EXPIRY_KEYMAX	(8 + 1 + ANYKEY_MAX)	/* expires, list, entry key */
#define JOURNAL_OLD	0x80	/* a record with the old value (the flag) */

static void
lens_key(const struct store *st, MDB_val *k, char *buf, size_t len,
    unsigned l, int af)
{
	int n;

	n = snprintf(buf, len, "lens:%s:%d", store_list_name(st, l), af);
	k->mv_data = buf;
	k->mv_size = n > 0 && (size_t)n < len ? (size_t)n : 0;
}

int
store_lens_get(struct store *st, MDB_txn *txn, unsigned l, int af,
    uint32_t *c, char *errbuf, size_t errlen)
{
	size_t size = NLENS(af) * sizeof(uint32_t);
	char kb[8 + STORE_LIST_NAMEMAX];
	MDB_val k, v;
	int rc;

	lens_key(st, &k, kb, sizeof(kb), l, af);
	rc = mdb_get(txn, st->meta, &k, &v);
	if (rc == MDB_NOTFOUND) {
		memset(c, 0, size);
		return 0;
	}
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(meta)");
		return -1;
	}
	if (v.mv_size != size) {
		snprintf(errbuf, errlen, "corrupt %s in meta", kb);
		return -1;
	}
	memcpy(c, v.mv_data, size);
	return 0;
}

int
store_lens_apply(struct store *st, MDB_txn *txn, unsigned l,
    lens_delta d, char *errbuf, size_t errlen)
{
	uint32_t c[LENS_MAX];
	char kb[8 + STORE_LIST_NAMEMAX];
	MDB_val k, v;
	int64_t n;
	int af, i, j, rc, changed;

	for (j = 0; j < 2; j++) {
		af = j ? ADDR_V6 : ADDR_V4;
		changed = 0;
		for (i = 0; i < NLENS(af); i++)
			if (d[j][i] != 0)
				changed = 1;
		if (!changed)
			continue;
		if (store_lens_get(st, txn, l, af, c, errbuf, errlen) == -1)
			return -1;
		for (i = 0; i < NLENS(af); i++) {
			n = (int64_t)c[i] + d[j][i];
			c[i] = n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX :
			    (uint32_t)n;
		}
		lens_key(st, &k, kb, sizeof(kb), l, af);
		v.mv_data = c;
		v.mv_size = NLENS(af) * sizeof(uint32_t);
		if ((rc = mdb_put(txn, st->meta, &k, &v, 0)) != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_put(meta)");
			return -1;
		}
	}
	return 0;
}

static void
journal_meta_key(MDB_val *k)
{
	k->mv_data = (void *)"journal";
	k->mv_size = strlen("journal");
}

int
store_journal_seq(struct store *st, MDB_txn *txn, uint64_t *seq, char *errbuf,
    size_t errlen)
{
	MDB_val k, v;
	int rc;

	*seq = 0;
	if (!st->has_journal)
		return 0;
	journal_meta_key(&k);
	rc = mdb_get(txn, st->meta, &k, &v);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(meta)");
		return -1;
	}
	if (v.mv_size != sizeof(*seq)) {
		snprintf(errbuf, errlen, "corrupt journal number in meta");
		return -1;
	}
	memcpy(seq, v.mv_data, sizeof(*seq));
	return 0;
}

/* The last JOURNAL_KEEP records are kept. */
int
store_journal_note(struct store *st, MDB_txn *txn, unsigned l,
    const uint8_t *key, size_t klen, const void *old, size_t oldlen,
    char *errbuf, size_t errlen)
{
	uint8_t kb[8], vb[2 + ANYKEY_MAX + ENTRY_MAXLEN];
	MDB_val k, v;
	uint64_t seq;
	int rc;

	if (!st->has_journal)
		return 0;
	if (store_journal_seq(st, txn, &seq, errbuf, errlen) == -1)
		return -1;
	seq++;
	journal_meta_key(&k);
	v.mv_data = &seq;
	v.mv_size = sizeof(seq);
	if ((rc = mdb_put(txn, st->meta, &k, &v, 0)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(meta)");
		return -1;
	}
	store_be64_put(kb, seq);
	k.mv_data = kb;
	k.mv_size = sizeof(kb);
	vb[0] = (uint8_t)l;
	v.mv_size = 1;
	if (key != NULL && klen > 0 && klen <= ANYKEY_MAX) {
		vb[0] |= JOURNAL_OLD;
		vb[1] = (uint8_t)klen;
		memcpy(vb + 2, key, klen);
		v.mv_size = 2 + klen;
		if (old != NULL && oldlen <= ENTRY_MAXLEN) {
			memcpy(vb + v.mv_size, old, oldlen);
			v.mv_size += oldlen;
		}
	}
	v.mv_data = vb;
	if ((rc = mdb_put(txn, st->journal, &k, &v, MDB_APPEND)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(journal)");
		return -1;
	}
	if (seq > JOURNAL_KEEP) {
		store_be64_put(kb, seq - JOURNAL_KEEP);
		rc = mdb_del(txn, st->journal, &k, NULL);
		if (rc != 0 && rc != MDB_NOTFOUND) {
			store_err(st, rc, errbuf, errlen, "mdb_del(journal)");
			return -1;
		}
	}
	return 0;
}

int
store_journal_changes(struct store *st, MDB_txn *txn, uint64_t from,
    uint64_t to, store_change_fn *fn, void *arg, char *errbuf,
    size_t errlen)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v, ek, ov;
	struct store_entry e;
	uint8_t kb[8];
	uint64_t want = from;
	const uint8_t *vp;
	unsigned l;
	size_t kl;
	int rc, had, r, ret = -1;

	if (!st->has_journal)
		return from <= to;
	if ((rc = mdb_cursor_open(txn, st->journal, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(journal)");
		goto cleanup;
	}
	store_be64_put(kb, want);
	k.mv_data = kb;
	k.mv_size = sizeof(kb);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	    rc == 0 && want <= to;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT), want++) {
		vp = v.mv_data;
		if (k.mv_size != 8 || store_be64_get(k.mv_data) != want ||
		    v.mv_size < 1) {
			ret = 1;	/* gone */
			goto cleanup;
		}
		l = vp[0] & ~JOURNAL_OLD;
		memset(&e, 0, sizeof(e));
		had = -1;
		ek.mv_size = 0;
		if (v.mv_size == 1)
			;		/* an import */
		else if (!(vp[0] & JOURNAL_OLD)) {
			ek.mv_data = (void *)(vp + 1);	/* older: key only */
			ek.mv_size = v.mv_size - 1;
		} else if (v.mv_size < 2 || (kl = vp[1]) == 0 ||
		    2 + kl > v.mv_size) {
			snprintf(errbuf, errlen, "corrupt journal record");
			goto cleanup;
		} else {
			ek.mv_data = (void *)(vp + 2);
			ek.mv_size = kl;
			ov.mv_data = (void *)(vp + 2 + kl);
			ov.mv_size = v.mv_size - 2 - kl;
			had = ov.mv_size > 0;
			if (had && store_entry_decode(st, txn, l, &ov, &e,
			    NULL) == -1) {
				snprintf(errbuf, errlen, "corrupt journal "
				    "record");
				goto cleanup;
			}
		}
		/* a list this process has not opened: its kind is unknown */
		if (ek.mv_size > 0 && (l >= STORE_LISTS_MAX ||
		    !st->lists[l].open || store_entry_key_parse(
		    st->lists[l].kind, &ek, &e) == -1)) {
			if (l < STORE_LISTS_MAX && st->lists[l].open) {
				snprintf(errbuf, errlen, "corrupt journal "
				    "record");
				goto cleanup;
			}
			continue;
		}
		if ((r = fn(arg, l, ek.mv_size > 0 ? &e : NULL, had, errbuf,
		    errlen)) != 0) {
			ret = r;
			goto cleanup;
		}
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(journal)");
		goto cleanup;
	}
	ret = want != to + 1;	/* 1: records missing at the end */
cleanup:
	if (cur != NULL)
		mdb_cursor_close(cur);
	return ret;
}

struct journal_read {
	store_journal_fn	*fn;
	void			*arg;
};

static int
journal_read_one(void *arg, unsigned l, const struct store_entry *e,
    int had, char *errbuf, size_t errlen)
{
	struct journal_read *jr = arg;

	(void)had;
	if (l != LIST_BLACK && l != LIST_WHITE)
		return 0;	/* not in the copy */
	if (e == NULL)
		return 1;	/* an import */
	return jr->fn(jr->arg, l, &e->prefix, errbuf, errlen) == -1 ? -1 : 0;
}

int
store_journal_read(struct store *st, MDB_txn *txn, uint64_t from,
    uint64_t to, store_journal_fn *fn, void *arg, char *errbuf,
    size_t errlen)
{
	struct journal_read jr = { fn, arg };

	return store_journal_changes(st, txn, from, to, journal_read_one, &jr,
	    errbuf, errlen);
}

int
store_expiry_put(struct store *st, MDB_txn *txn, unsigned l,
    const uint8_t *key, size_t klen, int64_t expires, int del, char *errbuf,
    size_t errlen)
{
	uint8_t kb[EXPIRY_KEYMAX];
	MDB_val k, v;
	int rc;

	if (!st->has_expiry || expires == 0 || klen > ANYKEY_MAX)
		return 0;
	/* the expiry time, the list, the entry's key */
	store_be64_put(kb, (uint64_t)expires);
	kb[8] = (uint8_t)l;
	memcpy(kb + 9, key, klen);
	k.mv_data = kb;
	k.mv_size = 9 + klen;
	v.mv_data = NULL;
	v.mv_size = 0;
	rc = del ? mdb_del(txn, st->expiry, &k, NULL) :
	    mdb_put(txn, st->expiry, &k, &v, 0);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_%s(expiry)",
		    del ? "del" : "put");
		return -1;
	}
	return 0;
}

int
store_expiry_due(struct store *st, MDB_txn *txn, time_t now, size_t *left,
    store_expiry_fn *fn, void *arg, char *errbuf, size_t errlen)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	uint8_t kb[EXPIRY_KEYMAX];
	size_t kl;
	int rc, ret = -1;

	if (!st->has_expiry)
		return 0;
	if ((rc = mdb_cursor_open(txn, st->expiry, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(expiry)");
		goto cleanup;
	}
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST)) == 0) {
		if (k.mv_size < 9 + 2 || k.mv_size > sizeof(kb)) {
			kl = 0;		/* corrupt: drop the record */
		} else {
			kl = k.mv_size;
			memcpy(kb, k.mv_data, kl);
			if (store_be64_get(kb) > (uint64_t)now)
				break;	/* nothing more has expired */
		}
		if (*left == 0)
			break;
		(*left)--;
		/* off the table first: fn may delete the entry's records */
		if ((rc = mdb_cursor_del(cur, 0)) != 0) {
			store_err(st, rc, errbuf, errlen,
			    "mdb_cursor_del(expiry)");
			goto cleanup;
		}
		if (kl == 0)
			continue;
		if (fn(arg, kb[8], kb + 9, kl - 9,
		    (int64_t)store_be64_get(kb), errbuf, errlen) == -1)
			goto cleanup;
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(expiry)");
		goto cleanup;
	}
	ret = rc == 0 && *left == 0;
cleanup:
	if (cur != NULL)
		mdb_cursor_close(cur);
	return ret;
}

/*
 * Zone serials. "serial:" NAME -> base (u32), conf hash (u64), journal
 * number (u64), big-endian: the serial of the zone in a snapshot whose
 * last journal record is seq is base + (seq - the stored number), modulo
 * 2^32. Every change of a list moves the journal on, so the serial grows
 * with it and is read off any snapshot without a write.
 */
#define SERIAL_RECLEN	20

static size_t
serial_key(MDB_val *k, uint8_t *buf, size_t len, const char *zone)
{
	int n;

	n = snprintf((char *)buf, len, "serial:%s", zone);
	if (n < 0 || (size_t)n >= len)
		n = (int)len - 1;
	k->mv_data = buf;
	k->mv_size = (size_t)n;
	return (size_t)n;
}

/* The record of zone in txn: 1 found, 0 none, -1 error. */
static int
serial_get(struct store *st, MDB_txn *txn, const char *zone, uint32_t *base,
    uint64_t *hash, uint64_t *seqc, char *errbuf, size_t errlen)
{
	uint8_t kb[8 + 256];
	const uint8_t *p;
	MDB_val k, v;
	int rc;

	serial_key(&k, kb, sizeof(kb), zone);
	rc = mdb_get(txn, st->meta, &k, &v);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(meta)");
		return -1;
	}
	if (v.mv_size != SERIAL_RECLEN) {
		snprintf(errbuf, errlen, "corrupt serial of zone %s in meta",
		    zone);
		return -1;
	}
	p = v.mv_data;
	*base = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	*hash = store_be64_get(p + 4);
	*seqc = store_be64_get(p + 12);
	return 1;
}

/* The zone's base, its journal number and the journal's in txn. */
static int
serial_now(struct store *st, MDB_txn *txn, const char *zone, uint32_t *base,
    uint64_t *seqc, uint64_t *seq, char *errbuf, size_t errlen)
{
	uint64_t hash;
	int r;

	if ((r = serial_get(st, txn, zone, base, &hash, seqc, errbuf,
	    errlen)) == -1)
		return -1;
	if (r == 0) {
		snprintf(errbuf, errlen, "zone %s has no serial yet", zone);
		return -1;
	}
	return store_journal_seq(st, txn, seq, errbuf, errlen);
}

int
store_serial_txn(struct store *st, MDB_txn *txn, const char *zone,
    uint32_t *serial, char *errbuf, size_t errlen)
{
	uint64_t seqc, seq;
	uint32_t base;

	*serial = 0;
	if (serial_now(st, txn, zone, &base, &seqc, &seq, errbuf,
	    errlen) == -1)
		return -1;
	*serial = base + (uint32_t)(seq - seqc);
	return 0;
}

int
store_serial_since(struct store *st, MDB_txn *txn, const char *zone,
    uint32_t from, uint64_t *first, uint64_t *last, char *errbuf,
    size_t errlen)
{
	uint64_t seqc, seq;
	uint32_t base, off;

	if (serial_now(st, txn, zone, &base, &seqc, &seq, errbuf,
	    errlen) == -1)
		return -1;
	/*
	 * RFC 1982: from is between base and the current serial when its
	 * distance from base is not more than the current one's, itself
	 * less than 2^31 (beyond, "between" has no meaning).
	 */
	off = from - base;
	if (seq < seqc || seq - seqc >= 0x80000000ULL || off > seq - seqc)
		return 2;
	if (off == seq - seqc)
		return 1;
	*first = seqc + off + 1;
	*last = seq;
	return 0;
}

enum store_rc
store_serial(struct store *st, const char *zone, uint32_t *serial,
    char *errbuf, size_t errlen)
{
	MDB_txn *txn;
	int r;

	if (store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	r = store_serial_txn(st, txn, zone, serial, errbuf, errlen);
	mdb_txn_abort(txn);
	return r == -1 ? STORE_ERROR : STORE_OK;
}

enum store_rc
store_serial_conf(struct store *st, const char *zone, uint64_t conf_hash,
    uint32_t initial, uint32_t *serial, char *errbuf, size_t errlen)
{
	uint8_t kb[8 + 256], vb[SERIAL_RECLEN];
	uint64_t hash, seqc, seq;
	uint32_t base, now;
	MDB_txn *txn;
	MDB_val k, v;
	int r, rc;

	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if ((r = serial_get(st, txn, zone, &base, &hash, &seqc, errbuf,
	    errlen)) == -1 ||
	    store_journal_seq(st, txn, &seq, errbuf, errlen) == -1)
		goto fail;
	if (r == 1 && hash == conf_hash) {
		mdb_txn_abort(txn);
		*serial = base + (uint32_t)(seq - seqc);
		return STORE_OK;
	}
	/* a new zone starts at initial; a changed one goes one up */
	now = r == 1 ? base + (uint32_t)(seq - seqc) + 1 : initial;
	vb[0] = (uint8_t)(now >> 24);
	vb[1] = (uint8_t)(now >> 16);
	vb[2] = (uint8_t)(now >> 8);
	vb[3] = (uint8_t)now;
	store_be64_put(vb + 4, conf_hash);
	store_be64_put(vb + 12, seq);
	serial_key(&k, kb, sizeof(kb), zone);
	v.mv_data = vb;
	v.mv_size = sizeof(vb);
	if ((rc = mdb_put(txn, st->meta, &k, &v, 0)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(meta)");
		goto fail;
	}
	if (store_txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	*serial = now;
	return STORE_OK;
fail:
	mdb_txn_abort(txn);
	return STORE_ERROR;
}

enum store_rc
store_change_seq(struct store *st, uint64_t *seq, char *errbuf,
    size_t errlen)
{
	MDB_txn *txn;
	int r;

	if (store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	r = store_journal_seq(st, txn, seq, errbuf, errlen);
	mdb_txn_abort(txn);
	return r == -1 ? STORE_ERROR : STORE_OK;
}

enum store_rc
store_next_expiry(struct store *st, int64_t *when, char *errbuf,
    size_t errlen)
{
	MDB_cursor *cur = NULL;
	MDB_txn *txn;
	MDB_val k, v;
	enum store_rc ret = STORE_ERROR;
	int rc;

	*when = 0;
	if (!st->has_expiry)
		return STORE_NOTFOUND;
	if (store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if ((rc = mdb_cursor_open(txn, st->expiry, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(expiry)");
		goto out;
	}
	rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	if (rc == MDB_NOTFOUND)
		ret = STORE_NOTFOUND;
	else if (rc != 0)
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(expiry)");
	else if (k.mv_size < 8)
		snprintf(errbuf, errlen, "corrupt expiry record");
	else {
		*when = (int64_t)store_be64_get(k.mv_data);
		ret = STORE_OK;
	}
	mdb_cursor_close(cur);
out:
	mdb_txn_abort(txn);
	return ret;
}
