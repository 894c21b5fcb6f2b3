/* SPDX-License-Identifier: ISC */
/*
 * store_list.c -- the changes of the black and white lists: add, delete,
 * import (store_bulk_add) and walk, and the deletion of expired entries
 * for the purge (store_purge.c). Each change also goes to the counts per
 * prefix length, the journal and the expiry records (store_journal.c)
 * and the audit log (store_audit.c) in the same transaction.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_list.h"
#include "store_audit.h"
#include "store_audit_txn.h"
#include "store_base.h"
#include "store_journal.h"
#include "store_list_txn.h"
#include "util.h"


/*
 * The stored value v of list l (when there is one), in full, into ob,
 * ENTRY_MAXLEN bytes, for the journal: it goes with the change. A
 * reference to a shared value is written out, so that the record reads
 * the same after the next replace has renumbered the shared values.
 * Returns its length, 0 for none (or a corrupt value).
 */
static size_t
old_copy(struct store *st, MDB_txn *txn, unsigned l, const MDB_val *v,
    int there, uint8_t *ob)
{
	struct store_entry e;

	memset(&e, 0, sizeof(e));
	if (!there || store_entry_decode(st, txn, l, v, &e, NULL) == -1)
		return 0;
	return store_entry_encode(ob, &e);
}

/* The exemption list takes no exclusions (store_list.h): 0 or -1. */
static int
exempt_check(const struct store *st, unsigned l, const struct store_entry *e,
    char *errbuf, size_t errlen)
{
	if ((e->flags & ENTRY_EXCLUDE) &&
	    strcmp(store_list_name(st, l), LIST_EXEMPT_NAME) == 0) {
		snprintf(errbuf, errlen, "the %s list takes no exclusions "
		    "(delete the exemption instead)", LIST_EXEMPT_NAME);
		return -1;
	}
	return 0;
}

/*
 * Put one entry inside txn, its key in kb (ANYKEY_MAX bytes) and *klen.
 * Sets *isnew when no entry for the key existed; with ob not NULL, the
 * value it had goes to ob (ENTRY_MAXLEN bytes) and *olen (0: none).
 */
static int
entry_put(struct store *st, MDB_txn *txn, unsigned l,
    const struct store_entry *e, uint8_t *kb, size_t *klen, int *isnew,
    uint8_t *ob, size_t *olen, char *errbuf, size_t errlen)
{
	uint8_t vb[ENTRY_MAXLEN];
	struct store_entry old;
	MDB_val k, v;
	int rc;

	if (store_entry_check(e, errbuf, errlen) == -1 ||
	    exempt_check(st, l, e, errbuf, errlen) == -1)
		return -1;
	if ((*klen = store_entry_key(st->lists[l].kind, e, kb)) == 0) {
		snprintf(errbuf, errlen, "%s is %s list", store_list_name(st, l),
		    st->lists[l].kind == LIST_KIND_IP ? "an ip" : "a domain");
		return -1;
	}
	k.mv_data = kb;
	k.mv_size = *klen;
	rc = mdb_get(txn, st->lists[l].dbi, &k, &v);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_get(%s)",
		    store_list_name(st, l));
		return -1;
	}
	*isnew = rc == MDB_NOTFOUND;
	if (ob != NULL)
		*olen = old_copy(st, txn, l, &v, !*isnew, ob);
	if (!*isnew && store_entry_decode(st, txn, l, &v, &old, NULL) == 0 &&
	    store_expiry_put(st, txn, l, kb, *klen, old.expires, 1, errbuf,
	    errlen) == -1)
		return -1;
	v.mv_data = vb;
	v.mv_size = store_entry_encode(vb, e);
	if ((rc = mdb_put(txn, st->lists[l].dbi, &k, &v, 0)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(%s)",
		    store_list_name(st, l));
		return -1;
	}
	return store_expiry_put(st, txn, l, kb, *klen, e->expires, 0, errbuf,
	    errlen);
}

/* Count a new (by 1) or deleted (by -1) entry of an ip list in d. */
static void
count_key(const struct store *st, unsigned l, lens_delta d,
    const uint8_t *kb, size_t klen, int64_t by)
{
	int len, v6;

	if (st->lists[l].kind == LIST_KIND_IP &&
	    (len = store_key_len(kb, klen, &v6)) != -1)
		d[v6][len] += by;
}

int
store_entry_add(struct store *st, MDB_txn *txn, unsigned l,
    const struct store_entry *e, int *isnew, char *errbuf, size_t errlen)
{
	uint8_t kb[ANYKEY_MAX], ob[ENTRY_MAXLEN];
	lens_delta d;
	char text[ENTRY_TEXTMAX];
	size_t klen, olen;

	if (entry_put(st, txn, l, e, kb, &klen, isnew, ob, &olen, errbuf,
	    errlen) == -1 ||
	    store_journal_note(st, txn, l, kb, klen, olen > 0 ? ob : NULL,
	    olen, errbuf, errlen) == -1)
		return -1;
	if (*isnew) {
		memset(d, 0, sizeof(d));
		count_key(st, l, d, kb, klen, 1);
		if (store_lens_apply(st, txn, l, d, errbuf, errlen) == -1)
			return -1;
	}
	return store_audit_put(st, txn, e->actor, e->actor_len, "add",
	    store_list_name(st, l), store_entry_text(e, text, sizeof(text)),
	    e->reason, e->reason_len, errbuf, errlen);
}

enum store_rc
store_add(struct store *st, unsigned l, const struct store_entry *e,
    int *replaced, char *errbuf, size_t errlen)
{
	MDB_txn *txn = NULL;
	int isnew;

	if (store_list_check(st, l, errbuf, errlen) == -1 ||
	    store_entry_check(e, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (store_entry_add(st, txn, l, e, &isnew, errbuf, errlen) == -1)
		goto fail;
	if (store_txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (replaced != NULL)
		*replaced = !isnew;
	return STORE_OK;

fail:
	mdb_txn_abort(txn);
	return STORE_ERROR;
}

/*
 * Delete the entry of list l whose key is kb (klen bytes) inside txn,
 * counting it in d, its text (ENTRY_TEXTMAX) in text and, with ob not
 * NULL, its value in ob (ENTRY_MAXLEN) and *olen, unless its flags have
 * one of skip: 0, 1 when there is none to delete, or -1. No journal or
 * audit record: the caller's.
 */
static int
entry_del_only(struct store *st, MDB_txn *txn, unsigned l, const uint8_t *kb,
    size_t klen, uint32_t skip, lens_delta d, char *text, uint8_t *ob,
    size_t *olen, char *errbuf, size_t errlen)
{
	struct store_entry e;
	MDB_val k, v;
	int rc;

	k.mv_data = (void *)kb;
	k.mv_size = klen;
	rc = mdb_get(txn, st->lists[l].dbi, &k, &v);
	if (rc == MDB_NOTFOUND)
		return 1;
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(%s)",
		    store_list_name(st, l));
		return -1;
	}
	memset(&e, 0, sizeof(e));
	if (store_entry_decode(st, txn, l, &v, &e, NULL) == -1) {
		e.flags = 0;	/* delete a corrupt entry all the same */
		e.expires = 0;
	}
	if (e.flags & skip)
		return 1;
	if (ob != NULL)
		*olen = old_copy(st, txn, l, &v, 1, ob);
	(void)store_entry_key_parse(st->lists[l].kind, &k, &e);
	store_entry_text(&e, text, ENTRY_TEXTMAX);
	if (store_expiry_put(st, txn, l, kb, klen, e.expires, 1, errbuf,
	    errlen) == -1)
		return -1;
	if ((rc = mdb_del(txn, st->lists[l].dbi, &k, NULL)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_del(%s)",
		    store_list_name(st, l));
		return -1;
	}
	count_key(st, l, d, kb, klen, -1);
	return 0;
}

/*
 * Delete the entry of list l whose key is kb (klen bytes) inside txn,
 * with an audit record by actor giving why (NULL: none), unless its flags
 * have one of skip: 0, 1 when there is none to delete, or -1.
 */
static int
entry_del(struct store *st, MDB_txn *txn, unsigned l, const uint8_t *kb,
    size_t klen, uint32_t skip, const char *actor, const char *why,
    char *errbuf, size_t errlen)
{
	uint8_t ob[ENTRY_MAXLEN];
	lens_delta d;
	char text[ENTRY_TEXTMAX];
	size_t olen;
	int rc;

	memset(d, 0, sizeof(d));
	if ((rc = entry_del_only(st, txn, l, kb, klen, skip, d, text, ob,
	    &olen, errbuf, errlen)) != 0)
		return rc;
	/* with no value (corrupt), the journal says "was absent": wrong
	 * for a transfer only in that the secondary keeps a corrupt entry's
	 * records, which the next AXFR mends */
	if (store_lens_apply(st, txn, l, d, errbuf, errlen) == -1 ||
	    store_journal_note(st, txn, l, kb, klen, olen > 0 ? ob : NULL,
	    olen, errbuf, errlen) == -1)
		return -1;
	if (store_audit_put(st, txn, actor, actor ? strlen(actor) : 0, "del",
	    store_list_name(st, l), text, why != NULL ? why : "",
	    why != NULL ? strlen(why) : 0, errbuf, errlen) == -1)
		return -1;
	return 0;
}

int
store_entry_del(struct store *st, MDB_txn *txn, unsigned l,
    const struct addr *prefix, uint32_t skip, const char *actor,
    const char *why, char *errbuf, size_t errlen)
{
	uint8_t kb[ANYKEY_MAX];
	struct store_entry e;
	size_t klen;

	memset(&e, 0, sizeof(e));
	e.prefix = *prefix;
	if ((klen = store_entry_key(st->lists[l].kind, &e, kb)) == 0) {
		snprintf(errbuf, errlen, "%s is a domain list",
		    store_list_name(st, l));
		return -1;
	}
	return entry_del(st, txn, l, kb, klen, skip, actor, why, errbuf,
	    errlen);
}

/* Delete the entry of list l whose key is kb in a txn of its own. */
static enum store_rc
del_key(struct store *st, unsigned l, const uint8_t *kb, size_t klen,
    const char *actor, char *errbuf, size_t errlen)
{
	MDB_txn *txn = NULL;
	int rc;

	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	rc = entry_del(st, txn, l, kb, klen, 0, actor, NULL, errbuf, errlen);
	if (rc != 0) {
		mdb_txn_abort(txn);
		return rc == 1 ? STORE_NOTFOUND : STORE_ERROR;
	}
	if (store_txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	return STORE_OK;
}

enum store_rc
store_del(struct store *st, unsigned l, const struct addr *prefix,
    const char *actor, char *errbuf, size_t errlen)
{
	uint8_t kb[ANYKEY_MAX];
	struct store_entry e;
	size_t klen;

	if (store_list_check(st, l, errbuf, errlen) == -1 ||
	    store_addr_check(prefix, errbuf, errlen) == -1)
		return STORE_ERROR;
	memset(&e, 0, sizeof(e));
	e.prefix = *prefix;
	if ((klen = store_entry_key(st->lists[l].kind, &e, kb)) == 0) {
		snprintf(errbuf, errlen, "%s is a domain list",
		    store_list_name(st, l));
		return STORE_ERROR;
	}
	return del_key(st, l, kb, klen, actor, errbuf, errlen);
}

enum store_rc
store_del_name(struct store *st, unsigned l, const char *name, int wild,
    const char *actor, char *errbuf, size_t errlen)
{
	uint8_t kb[ANYKEY_MAX];
	struct store_entry e;
	size_t klen;

	if (store_list_check(st, l, errbuf, errlen) == -1)
		return STORE_ERROR;
	memset(&e, 0, sizeof(e));
	e.dname = name;
	e.dname_len = strlen(name);
	e.flags = wild ? ENTRY_WILD : 0;
	if (st->lists[l].kind != LIST_KIND_DOMAIN ||
	    (klen = store_entry_key(LIST_KIND_DOMAIN, &e, kb)) == 0) {
		snprintf(errbuf, errlen, st->lists[l].kind != LIST_KIND_DOMAIN ?
		    "%s is an ip list" : "bad domain name for %s",
		    store_list_name(st, l));
		return STORE_ERROR;
	}
	return del_key(st, l, kb, klen, actor, errbuf, errlen);
}

/*
 * The changes of an import for the journal, each entry's key with the
 * value it had: a replace's entries added, deleted, or given another
 * code, TXT, expiry or flags (a new actor or time alone answers the same
 * and is no change), a merging import's (or its undo's) entries of a
 * batch. Up to IMPORT_NOTES of them are journaled one by one, so that a
 * secondary follows a feed's few changes by an IXFR and a daemon its
 * copy of the lists by those keys; more, and the journal says "an
 * import" (the whole list).
 */
#define IMPORT_NOTES	16384

struct rdiff {
	uint8_t		*buf;		/* klen, key, olen (2 bytes), old */
	size_t		 len, cap;
	size_t		 n;
	int		 over;		/* more than IMPORT_NOTES */
};

/* Add the change of key kb, its value before ob (olen bytes, 0: none). */
static void
rdiff_add(struct rdiff *d, const uint8_t *kb, size_t klen,
    const uint8_t *ob, size_t olen)
{
	if (++d->n > IMPORT_NOTES) {
		d->over = 1;
		return;
	}
	while (d->len + 3 + klen + olen > d->cap) {
		d->cap = d->cap ? d->cap * 2 : 65536;
		d->buf = xreallocarray(d->buf, d->cap, 1);
	}
	d->buf[d->len++] = (uint8_t)klen;
	memcpy(d->buf + d->len, kb, klen);
	d->len += klen;
	d->buf[d->len++] = (uint8_t)(olen >> 8);
	d->buf[d->len++] = (uint8_t)olen;
	if (olen > 0)
		memcpy(d->buf + d->len, ob, olen);
	d->len += olen;
}

/* Journal the changes of d, or an import when they are too many. */
static int
rdiff_note(struct store *st, MDB_txn *txn, unsigned l,
    const struct rdiff *d, char *errbuf, size_t errlen)
{
	const uint8_t *p = d->buf, *end = d->buf + d->len;
	size_t klen, olen;

	if (d->over)
		return store_journal_note(st, txn, l, NULL, 0, NULL, 0,
		    errbuf, errlen);
	while (p < end) {
		klen = p[0];
		olen = (size_t)p[1 + klen] << 8 | p[2 + klen];
		if (store_journal_note(st, txn, l, p + 1, klen, olen > 0 ?
		    p + 3 + klen : NULL, olen, errbuf, errlen) == -1)
			return -1;
		p += 3 + klen + olen;
	}
	return 0;
}

/*
 * store_bulk_add, or with undo store_bulk_undo: the entries of next put,
 * or deleted, in write transactions of batch entries each.
 */
static enum store_rc
bulk(struct store *st, unsigned l, store_iter_fn *next, void *arg,
    const char *actor, const char *what, size_t batch, int undo,
    size_t *count, char *errbuf, size_t errlen)
{
	struct store_entry e;
	struct rdiff rd;
	lens_delta d;
	uint8_t kb[ANYKEY_MAX], ob[ENTRY_MAXLEN];
	MDB_txn *txn = NULL;
	char reason[128], text[ENTRY_TEXTMAX];
	const char *action = undo ? STORE_AUDIT_IMPORT_UNDO : "import";
	size_t total = 0, n, done, klen, olen;
	int r, isnew, end = 0;

	if (count != NULL)
		*count = 0;
	if (store_list_check(st, l, errbuf, errlen) == -1)
		return STORE_ERROR;
	memset(&rd, 0, sizeof(rd));
	if (batch == 0)
		batch = 1;
	while (!end) {
		if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
			goto fail;
		/*
		 * The start is recorded with the first batch: an import
		 * killed after it leaves a start without an end, and the
		 * log can tell a partial import
		 */
		if (!undo && total == 0 && store_audit_put(st, txn, actor,
		    actor ? strlen(actor) : 0, STORE_AUDIT_IMPORT_START,
		    store_list_name(st, l), what, "started", 7, errbuf,
		    errlen) == -1)
			goto fail;
		memset(d, 0, sizeof(d));
		rd.len = rd.n = 0;
		rd.over = 0;
		for (n = done = 0; n < batch; n++) {
			memset(&e, 0, sizeof(e));
			r = next(arg, &e);
			if (r == 0) {
				end = 1;
				break;
			}
			if (r < 0) {
				snprintf(errbuf, errlen, "%s of %s stopped at "
				    "entry %zu (%zu committed)", action,
				    what ? what : "", total + n + 1, total);
				goto fail;
			}
			if (!undo) {
				if (entry_put(st, txn, l, &e, kb, &klen,
				    &isnew, ob, &olen, errbuf, errlen) == -1)
					goto fail;
				rdiff_add(&rd, kb, klen, ob, olen);
				if (isnew)
					count_key(st, l, d, kb, klen, 1);
				done++;
				continue;
			}
			if ((klen = store_entry_key(st->lists[l].kind, &e,
			    kb)) == 0) {
				snprintf(errbuf, errlen, "%s: not an entry "
				    "of %s", action, store_list_name(st, l));
				goto fail;
			}
			if ((r = entry_del_only(st, txn, l, kb, klen, 0, d,
			    text, ob, &olen, errbuf, errlen)) == -1)
				goto fail;
			if (r == 0) {
				rdiff_add(&rd, kb, klen, ob, olen);
				done++;
			}
		}
		if (store_lens_apply(st, txn, l, d, errbuf, errlen) == -1 ||
		    rdiff_note(st, txn, l, &rd, errbuf, errlen) == -1)
			goto fail;
		if (end) {
			snprintf(reason, sizeof(reason), "%zu entries%s",
			    total + done, undo ? " deleted" : "");
			if (store_audit_put(st, txn, actor,
			    actor ? strlen(actor) : 0, action,
			    store_list_name(st, l), what, reason, strlen(reason),
			    errbuf, errlen) == -1)
				goto fail;
		}
		r = store_txn_commit(st, txn, errbuf, errlen);
		txn = NULL;
		if (r == -1)
			goto fail;
		total += done;
	}
	free(rd.buf);
	if (count != NULL)
		*count = total;
	return STORE_OK;

fail:
	free(rd.buf);
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (count != NULL)
		*count = total;
	if (total > 0) {
		/*
		 * Earlier batches stay committed: record them. Best effort,
		 * the error already in errbuf is the one to report.
		 */
		snprintf(reason, sizeof(reason), "%zu entries%s (incomplete)",
		    total, undo ? " deleted" : "");
		(void)store_audit_add(st, actor, action, store_list_name(st, l),
		    what, reason, NULL, 0);
	}
	return STORE_ERROR;
}

enum store_rc
store_bulk_add(struct store *st, unsigned l, store_iter_fn *next,
    void *arg, const char *actor, const char *what, size_t batch,
    size_t *count, char *errbuf, size_t errlen)
{
	return bulk(st, l, next, arg, actor, what, batch, 0, count, errbuf,
	    errlen);
}

enum store_rc
store_bulk_undo(struct store *st, unsigned l, store_iter_fn *next,
    void *arg, const char *actor, const char *what, size_t batch,
    size_t *count, char *errbuf, size_t errlen)
{
	return bulk(st, l, next, arg, actor, what, batch, 1, count, errbuf,
	    errlen);
}

/*
 * One entry of a replace, 16 bytes: the first 7 bytes of its key,
 * big-endian, zero-padded, and in the low byte the key's length when it
 * has at most 7 (all of it: every IPv4 key), else KEY_LONG; then for
 * such a short key its value and its order in the file, for a long one
 * where the arena holds the key whole (struct longkey) with its value and
 * its order. The value is an index into the distinct values of the file
 * (a feed's entries mostly share one: the same default text, actor and
 * times), each held once; of two lines with one key the first counts.
 * k8 sorts as LMDB does: by the bytes, a shorter key before the longer
 * ones it begins.
 */
struct rec {
	uint64_t	 k8;
	union {
		struct {
			uint32_t vid;	/* its value: recs.vals[vid] */
			uint32_t seq;
		}	 s;
		struct longkey *lk;
	}		 u;
};
#define KEY_SHORT	7
#define KEY_LONG	0xff
#define REC_LONG(r)	(((r)->k8 & 0xff) == KEY_LONG)

struct longkey {
	uint32_t	 vid;
	uint32_t	 seq;
	uint16_t	 len;
	uint8_t		 key[];
};

/* A distinct value of a replace. */
struct val {
	uint8_t		*p;		/* into the arena */
	uint64_t	 hash;
	int64_t		 expires;
	uint32_t	 uses;		/* by the file's entries */
	uint16_t	 len;
	uint8_t		 reflen;	/* shared: the size of ref, else 0 */
	uint8_t		 ref[VREF_MAX];	/* its number, big-endian */
};

/* The new entries of a replace, in memory. */
struct recs {
	struct rec	*v;
	size_t		 n, cap;
	struct val	*vals;		/* the distinct values */
	size_t		 nvals, capvals;
	uint32_t	 last;		/* the id vals_intern gave last */
	uint32_t	*slots;		/* open addressing: vid + 1, 0 empty */
	size_t		 nslots;	/* a power of 2, over twice nvals */
	uint8_t		**arenas;	/* blocks of ARENA bytes */
	size_t		 narenas;
	size_t		 used;		/* of the last arena */
};

static uint32_t
rec_vid(const struct rec *r)
{
	return REC_LONG(r) ? r->u.lk->vid : r->u.s.vid;
}

static uint32_t
rec_seq(const struct rec *r)
{
	return REC_LONG(r) ? r->u.lk->seq : r->u.s.seq;
}

static size_t
rec_klen(const struct rec *r)
{
	return REC_LONG(r) ? r->u.lk->len : r->k8 & 0xff;
}

/* The key of r: its bytes in the arena, or put in kb (ANYKEY_MAX). */
static const uint8_t *
rec_key(const struct rec *r, uint8_t *kb)
{
	unsigned i;

	if (REC_LONG(r))
		return r->u.lk->key;
	for (i = 0; i < KEY_SHORT; i++)
		kb[i] = (uint8_t)(r->k8 >> (56 - 8 * i));
	return kb;
}

static int
rec_cmp(const struct rec *x, const struct rec *y)
{
	size_t xl, yl;
	uint32_t xs, ys;
	int r;

	if (x->k8 != y->k8)
		return x->k8 < y->k8 ? -1 : 1;
	if (REC_LONG(x)) {
		xl = x->u.lk->len;
		yl = y->u.lk->len;
		if ((r = memcmp(x->u.lk->key + KEY_SHORT, y->u.lk->key +
		    KEY_SHORT, (xl < yl ? xl : yl) - KEY_SHORT)) != 0)
			return r;
		if (xl != yl)
			return xl < yl ? -1 : 1;
	}
	xs = rec_seq(x);
	ys = rec_seq(y);
	return xs < ys ? -1 : xs > ys;
}

/* 1 if records x and y have the same key. */
static int
rec_same(const struct rec *x, const struct rec *y)
{
	if (x->k8 != y->k8)
		return 0;
	return !REC_LONG(x) || (x->u.lk->len == y->u.lk->len &&
	    memcmp(x->u.lk->key + KEY_SHORT, y->u.lk->key + KEY_SHORT,
	    x->u.lk->len - KEY_SHORT) == 0);
}

/* The 8 bytes of r's long key from depth on, big-endian, zero-padded. */
static uint64_t
rec_word(const struct rec *r, size_t depth)
{
	const struct longkey *lk = r->u.lk;
	uint64_t w = 0;
	size_t i;

	for (i = depth; i < depth + 8; i++)
		w = w << 8 | (i < lk->len ? lk->key[i] : 0);
	return w;
}

/* A merge sort of n records by rec_cmp; t has room for n / 2 (past 16). */
static void
rec_msort(struct rec *v, size_t n, struct rec *t)
{
	struct rec x;
	size_t i, j, k, h = n / 2;

	if (n <= 16) {
		for (i = 1; i < n; i++) {
			x = v[i];
			for (j = i; j > 0 && rec_cmp(&v[j - 1], &x) > 0; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
		return;
	}
	rec_msort(v, h, t);
	rec_msort(v + h, n - h, t);
	memcpy(t, v, h * sizeof(*v));
	for (i = 0, j = h, k = 0; i < h; )
		v[k++] = j < n && rec_cmp(&v[j], &t[i]) < 0 ? v[j++] :
		    t[i++];
}

/*
 * A stable LSD radix sort of v (n records) on their words: w (one each,
 * moved with them), or with w NULL their k8. A byte a pass from the last,
 * the counts of every byte taken in one read first; a pass in which every
 * word has the same byte is skipped. tv, and tw with w, have room for n.
 */
static void
radix_sort(struct rec *v, uint64_t *w, size_t n, struct rec *tv,
    uint64_t *tw)
{
	struct rec *sv = v, *dv = tv, *t;
	uint64_t *sw = w, *dw = tw, *u, x, first;
	size_t count[8][256], *c, i, pos, j, k;
	unsigned b, shift;

#define WORD(k)	(sw != NULL ? sw[k] : sv[k].k8)
	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++) {
		x = WORD(i);
		for (b = 0; b < 8; b++)
			count[b][(x >> (8 * b)) & 0xff]++;
	}
	first = WORD(0);
	for (b = 0; b < 8; b++) {
		shift = 8 * b;
		c = count[b];
		if (c[(first >> shift) & 0xff] == n)
			continue;
		for (pos = 0, i = 0; i < 256; i++) {
			k = c[i];
			c[i] = pos;
			pos += k;
		}
		for (i = 0; i < n; i++) {
			x = WORD(i);
			j = c[(x >> shift) & 0xff]++;
			dv[j] = sv[i];
			if (sw != NULL)
				dw[j] = x;
		}
		t = sv, sv = dv, dv = t;
		u = sw, sw = dw, dw = u;
	}
#undef WORD
	if (sv != v) {
		memcpy(v, sv, n * sizeof(*v));
		if (w != NULL)
			memcpy(w, sw, n * sizeof(*w));
	}
}

/*
 * Sort a run of n records of long keys that agree on their first depth
 * bytes: on the next 8 bytes, then each run of those alike 8 bytes
 * further, and a small run, or one whose keys all end here, with
 * rec_cmp (which also orders the shorter key first and equal keys by
 * seq).
 */
static void
run_sort(struct rec *v, size_t n, size_t depth)
{
	struct rec *tv;
	uint64_t *w, *tw;
	size_t i, run;
	int longer = 0;

	for (i = 0; i < n && !longer; i++)
		longer = rec_klen(&v[i]) > depth;
	if (n < 32 || !longer) {
		tv = n > 16 ? xhugearray(n / 2, sizeof(*tv)) : NULL;
		rec_msort(v, n, tv);
		free(tv);
		return;
	}
	w = xhugearray(n, sizeof(*w));
	tw = xhugearray(n, sizeof(*tw));
	tv = xhugearray(n, sizeof(*tv));
	for (i = 0; i < n; i++)
		w[i] = rec_word(&v[i], depth);
	radix_sort(v, w, n, tv, tw);
	free(tv);
	free(tw);
	for (i = 0; i < n; i = run) {
		for (run = i + 1; run < n && w[run] == w[i]; run++)
			;
		if (run - i > 1)
			run_sort(v + i, run - i, depth + 8);
	}
	free(w);
}

#define SPLIT_MAX	65536	/* records radix-sorted whole: 1 MB, cached */
#define MSORT_MAX	64	/* records merge-sorted rather than by radix */
#define PSORT_MIN	(1 << 17)	/* records sorted by two threads */

/*
 * The spread of a k8_sort() of n records, by one part (thread) or two:
 * each part takes its share of the records (the first part's records of
 * a bucket go before the second's: the sort stays stable), then buckets
 * in turn until none is left.
 */
struct spread {
	struct rec	*src, *dst;
	size_t		 n;
	int		 into;
	int		 parts;		/* 1, or 2 with bar */
	uint64_t	 all[2], any[2];
	size_t		 count[2][256];
	unsigned	 next;		/* the next bucket to sort */
	pthread_barrier_t bar;
};

static void k8_sort(struct rec *, struct rec *, size_t, int);

static void
spread_init(struct spread *sp, struct rec *src, struct rec *dst, size_t n,
    int into, int parts)
{
	memset(sp, 0, sizeof(*sp));
	sp->src = src;
	sp->dst = dst;
	sp->n = n;
	sp->into = into;
	sp->parts = parts;
}

/* Wait for the other part, where there is one. */
static void
spread_wait(struct spread *sp)
{
	if (sp->parts == 2)
		(void)pthread_barrier_wait(&sp->bar);
}

/*
 * Part t of the spread of sp->src over 256 buckets in sp->dst, on the
 * highest byte in which the records' words differ, then the buckets.
 */
static void
spread_part(struct spread *sp, int t)
{
	struct rec *src = sp->src, *dst = sp->dst;
	size_t lo = sp->n * (size_t)t / (size_t)sp->parts;
	size_t hi = sp->n * (size_t)(t + 1) / (size_t)sp->parts;
	size_t pos[256], start[257], i, k;
	uint64_t all = ~(uint64_t)0, any = 0;
	unsigned shift, b;
	int u;

	for (i = lo; i < hi; i++) {
		all &= src[i].k8;
		any |= src[i].k8;
	}
	sp->all[t] = all;
	sp->any[t] = any;
	spread_wait(sp);
	for (u = 0; u < sp->parts; u++) {
		all &= sp->all[u];
		any |= sp->any[u];
	}
	if (all == any) {	/* one key: in order already */
		if (sp->into && t == 0)
			memcpy(dst, src, sp->n * sizeof(*src));
		return;
	}
	shift = (63 - (unsigned)__builtin_clzll(all ^ any)) & ~7u;
	memset(sp->count[t], 0, sizeof(sp->count[t]));
	for (i = lo; i < hi; i++)
		sp->count[t][(src[i].k8 >> shift) & 0xff]++;
	spread_wait(sp);
	for (k = 0, b = 0; b < 256; b++) {
		start[b] = pos[b] = k;
		for (u = 0; u < sp->parts; u++) {
			if (u < t)
				pos[b] += sp->count[u][b];
			k += sp->count[u][b];
		}
	}
	start[256] = k;
	for (i = lo; i < hi; i++)
		dst[pos[(src[i].k8 >> shift) & 0xff]++] = src[i];
	spread_wait(sp);
	/* each bucket in dst, sorted into the array asked for */
	while ((b = __atomic_fetch_add(&sp->next, 1, __ATOMIC_RELAXED)) < 256)
		if (start[b + 1] > start[b])
			k8_sort(dst + start[b], src + start[b],
			    start[b + 1] - start[b], !sp->into);
}

/*
 * A stable sort of the n records at src on their k8, left at src (into
 * 0) or at dst (into 1); the other, with room for n, is the scratch. Up
 * to SPLIT_MAX records are sorted whole (radix_sort, in the cache); more
 * are first spread over 256 buckets (spread_part()), and each bucket is
 * sorted on in the same way. So every pass but the first spread works in
 * the cache, where an LSD sort of them all would go through memory once
 * a byte.
 */
static void
k8_sort(struct rec *src, struct rec *dst, size_t n, int into)
{
	struct spread sp;

	if (n <= SPLIT_MAX) {
		if (n <= MSORT_MAX)
			rec_msort(src, n, dst);
		else
			radix_sort(src, NULL, n, dst, NULL);
		if (into)
			memcpy(dst, src, n * sizeof(*src));
		return;
	}
	spread_init(&sp, src, dst, n, into, 1);
	spread_part(&sp, 0);
}

static void *
spread_main(void *arg)
{
	spread_part(arg, 1);
	return NULL;
}

/*
 * k8_sort() of n records, its first spread and buckets on two threads
 * from PSORT_MIN records on (on one where a thread cannot be had).
 */
static void
k8_psort(struct rec *src, struct rec *dst, size_t n, int into)
{
	struct spread sp;
	pthread_t t;

	if (n < PSORT_MIN) {
		k8_sort(src, dst, n, into);
		return;
	}
	spread_init(&sp, src, dst, n, into, 2);
	if (pthread_barrier_init(&sp.bar, NULL, 2) != 0) {
		sp.parts = 1;
		spread_part(&sp, 0);
		return;
	}
	if (pthread_create(&t, NULL, spread_main, &sp) != 0) {
		(void)pthread_barrier_destroy(&sp.bar);
		sp.parts = 1;
		spread_part(&sp, 0);
		return;
	}
	spread_part(&sp, 0);
	(void)pthread_join(t, NULL);
	(void)pthread_barrier_destroy(&sp.bar);
}

/*
 * Sort n records into LMDB's order of their keys, the first of equal
 * keys first: a stable sort on k8 (k8_sort: an IPv4 key varies in five
 * of its bytes; equal short keys keep the file's order), then each run
 * of equal k8 of long keys (IPv6 prefixes, names) on their next bytes
 * (run_sort).
 */
static void
recs_sort(struct rec *v, size_t n)
{
	struct rec *tv;
	size_t i, run;

	if (n < 2)
		return;
	/* from the heap: freed, it holds LMDB's pages (xhugeheap_begin) */
	tv = xheaparray(n, sizeof(*tv));
	k8_psort(v, tv, n, 0);
	free(tv);
	for (i = 0; i < n; i = run) {
		for (run = i + 1; run < n && v[run].k8 == v[i].k8; run++)
			;
		if (run - i > 1 && REC_LONG(&v[i]))
			run_sort(v + i, run - i, KEY_SHORT);
	}
}

#define ARENA	(2 << 20)	/* a huge page */
#define PREFETCH	16	/* records fetched ahead by recs_write */

/* len bytes of the arena, aligned to 8. */
static uint8_t *
recs_room(struct recs *rs, size_t len)
{
	len = (len + 7) & ~(size_t)7;
	if (rs->narenas == 0 || rs->used + len > ARENA) {
		rs->arenas = xreallocarray(rs->arenas, rs->narenas + 1,
		    sizeof(*rs->arenas));
		rs->arenas[rs->narenas++] = xhugearray(ARENA, 1);
		rs->used = 0;
	}
	rs->used += len;
	return rs->arenas[rs->narenas - 1] + rs->used - len;
}

static void
recs_free(struct recs *rs)
{
	size_t i;

	for (i = 0; i < rs->narenas; i++)
		free(rs->arenas[i]);
	free(rs->arenas);
	xhugefree(rs->v, rs->cap, sizeof(*rs->v));
	free(rs->vals);
	free(rs->slots);
}

/* FNV-1a over len bytes of p. */
static uint64_t
val_hash(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len-- > 0)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

/* Double the slots of rs's value table, placing every value again. */
static void
vals_grow(struct recs *rs)
{
	size_t i, j, mask;

	free(rs->slots);
	rs->nslots = rs->nslots ? rs->nslots * 2 : 1024;
	rs->slots = xcalloc(rs->nslots, sizeof(*rs->slots));
	mask = rs->nslots - 1;
	for (i = 0; i < rs->nvals; i++) {
		for (j = rs->vals[i].hash & mask; rs->slots[j] != 0;
		    j = (j + 1) & mask)
			;
		rs->slots[j] = (uint32_t)i + 1;
	}
}

/*
 * 1 if the n bytes at a and b are the same: memcmp() inline, 8 bytes at a
 * time, for the short values that are compared once for each entry.
 */
static int
same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint64_t x, y;

	for (; n >= 8; a += 8, b += 8, n -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
	}
	while (n-- > 0)
		if (*a++ != *b++)
			return 0;
	return 1;
}

/* The id of value vb (vlen bytes, expiring at expires), added if new. */
static uint32_t
vals_intern(struct recs *rs, const uint8_t *vb, size_t vlen,
    int64_t expires)
{
	uint64_t h;
	struct val *x;
	size_t j, mask;

	/* most often the value of the entry before */
	if (rs->nvals > 0) {
		x = &rs->vals[rs->last];
		if (x->len == vlen && same_bytes(x->p, vb, vlen))
			return rs->last;
	}
	h = val_hash(vb, vlen);
	if (2 * (rs->nvals + 1) > rs->nslots)
		vals_grow(rs);
	mask = rs->nslots - 1;
	for (j = h & mask; rs->slots[j] != 0; j = (j + 1) & mask) {
		x = &rs->vals[rs->slots[j] - 1];
		if (x->hash == h && x->len == vlen &&
		    memcmp(x->p, vb, vlen) == 0)
			return rs->last = rs->slots[j] - 1;
	}
	if (rs->nvals == rs->capvals) {
		rs->capvals = rs->capvals ? rs->capvals * 2 : 64;
		rs->vals = xreallocarray(rs->vals, rs->capvals,
		    sizeof(*rs->vals));
	}
	x = &rs->vals[rs->nvals];
	x->p = recs_room(rs, vlen);
	memcpy(x->p, vb, vlen);
	x->len = (uint16_t)vlen;
	x->hash = h;
	x->expires = expires;
	x->uses = 0;
	x->reflen = 0;
	rs->slots[j] = (uint32_t)rs->nvals + 1;
	return rs->last = (uint32_t)rs->nvals++;
}

/* Check and pack entry e, the file's rs->n-th, into rs: 0, or -1. */
static int
rec_put(struct store *st, unsigned l, struct recs *rs,
    const struct store_entry *e, char *errbuf, size_t errlen)
{
	uint8_t kb[ANYKEY_MAX], vb[ENTRY_MAXLEN];
	const uint8_t *pa = e->prefix.a;
	struct longkey *lk;
	struct rec *r;
	size_t klen, vlen, i;
	uint64_t k8 = 0;
	uint32_t vid;

	if (rs->n == UINT32_MAX) {
		snprintf(errbuf, errlen, "more than %u entries",
		    UINT32_MAX - 1);
		return -1;
	}
	if (store_entry_check(e, errbuf, errlen) == -1 ||
	    exempt_check(st, l, e, errbuf, errlen) == -1)
		return -1;
	if (st->lists[l].kind == LIST_KIND_IP && e->prefix.af == ADDR_V4) {
		/* a feed's most common key, straight into its word */
		klen = 6;
		k8 = store_key_word4((uint32_t)pa[0] << 24 |
		    (uint32_t)pa[1] << 16 | (uint32_t)pa[2] << 8 | pa[3],
		    e->prefix.len);
	} else if ((klen = store_entry_key(st->lists[l].kind, e, kb)) == 0) {
		snprintf(errbuf, errlen, "entry %zu does not fit the %s list "
		    "%s", rs->n + 1, st->lists[l].kind == LIST_KIND_IP ? "ip" :
		    "domain", store_list_name(st, l));
		return -1;
	} else {
		for (i = 0; i < KEY_SHORT; i++)
			k8 |= (uint64_t)(i < klen ? kb[i] : 0) << (56 - 8 * i);
		k8 |= klen <= KEY_SHORT ? klen : KEY_LONG;
	}
	vlen = store_entry_encode(vb, e);
	if (rs->n == rs->cap) {
		i = rs->cap ? rs->cap * 2 : 4096;
		rs->v = xhugegrow(rs->v, rs->cap, i, sizeof(*rs->v));
		rs->cap = i;
	}
	r = &rs->v[rs->n];
	r->k8 = k8;
	vid = vals_intern(rs, vb, vlen, e->expires);
	rs->vals[vid].uses++;
	if (klen <= KEY_SHORT) {
		r->u.s.vid = vid;
		r->u.s.seq = (uint32_t)rs->n;
	} else {
		lk = r->u.lk = (struct longkey *)(void *)recs_room(rs,
		    sizeof(*lk) + klen);
		lk->vid = vid;
		lk->seq = (uint32_t)rs->n;
		lk->len = (uint16_t)klen;
		memcpy(lk->key, kb, klen);
	}
	rs->n++;
	return 0;
}

/*
 * Read every entry of the iterator into rs, checked and packed: 0, or -1
 * with the reason in errbuf.
 */
static int
recs_read(struct store *st, unsigned l, store_iter_fn *next, void *arg,
    struct recs *rs, char *errbuf, size_t errlen)
{
	struct store_entry e;
	int rc;

	for (;;) {
		memset(&e, 0, sizeof(e));
		if ((rc = next(arg, &e)) == 0)
			return 0;
		if (rc < 0) {
			snprintf(errbuf, errlen, "reading entry %zu failed",
			    rs->n + 1);
			return -1;
		}
		if (rec_put(st, l, rs, &e, errbuf, errlen) == -1)
			return -1;
	}
}

/* The read of store_replace2()'s second part, on a thread of its own. */
struct part {
	struct store	*st;
	unsigned	 l;
	store_iter_fn	*next;
	void		*arg;
	struct recs	 rs;
	int		 rc;
	char		 errbuf[512];
};

static void *
part_main(void *arg)
{
	struct part *p = arg;

	p->rc = recs_read(p->st, p->l, p->next, p->arg, &p->rs, p->errbuf,
	    sizeof(p->errbuf));
	return NULL;
}

/*
 * Put the records of b, read after those of a, at a's end: b's values
 * taken into a's (one of the same bytes is one), its records numbered on
 * from a's, its arenas (its long keys) kept by a. b is left empty.
 */
static void
recs_join(struct recs *a, struct recs *b)
{
	struct rec *r;
	uint32_t *map;
	size_t i, n0 = a->n;

	map = xreallocarray(NULL, b->nvals + 1, sizeof(*map));
	for (i = 0; i < b->nvals; i++) {
		map[i] = vals_intern(a, b->vals[i].p, b->vals[i].len,
		    b->vals[i].expires);
		a->vals[map[i]].uses += b->vals[i].uses;
	}
	if (a->n + b->n > a->cap) {
		a->v = xhugegrow(a->v, a->cap, a->n + b->n, sizeof(*a->v));
		a->cap = a->n + b->n;
	}
	for (i = 0; i < b->n; i++) {
		r = &a->v[n0 + i];
		*r = b->v[i];
		if (REC_LONG(r)) {
			r->u.lk->vid = map[r->u.lk->vid];
			r->u.lk->seq += (uint32_t)n0;
		} else {
			r->u.s.vid = map[r->u.s.vid];
			r->u.s.seq += (uint32_t)n0;
		}
	}
	a->n += b->n;
	if (b->narenas > 0) {	/* b's last arena is the one to fill on */
		a->arenas = xreallocarray(a->arenas, a->narenas + b->narenas,
		    sizeof(*a->arenas));
		memcpy(a->arenas + a->narenas, b->arenas, b->narenas *
		    sizeof(*b->arenas));
		a->narenas += b->narenas;
		a->used = b->used;
		b->narenas = 0;
	}
	recs_free(b);
	memset(b, 0, sizeof(*b));
	free(map);
}

/* Tell dup (if any) of record k, v, the iterator's SEQ, a duplicate. */
static void
rec_dup(struct store *st, MDB_txn *txn, unsigned l, const MDB_val *k,
    const MDB_val *v, store_dup_fn *dup, void *arg, size_t seq,
    size_t first)
{
	struct store_entry e;
	char text[ENTRY_TEXTMAX];

	if (dup == NULL)
		return;
	memset(&e, 0, sizeof(e));
	if (store_entry_decode(st, txn, l, v, &e, NULL) == -1 ||
	    store_entry_key_parse(st->lists[l].kind, k, &e) == -1)
		return;		/* packed by recs_read: cannot be */
	dup(arg, seq, first, store_entry_text(&e, text, sizeof(text)));
}

/* Orders values by their uses, the most used first. */
static int
val_cmp(const void *a, const void *b)
{
	const struct val *const *x = a, *const *y = b;

	if ((*x)->uses != (*y)->uses)
		return (*x)->uses > (*y)->uses ? -1 : 1;
	return *x < *y ? -1 : *x > *y;
}

/*
 * Store once, in meta, each value that more than one entry of the
 * replace has, and give it the reference its entries get instead of it
 * (most of a feed's entries have one value: the default text, the actor
 * and the times; a reference of a byte or two stands for some 60 bytes).
 * The most used values get the shortest references. The shared values of
 * l's list that this replace does away with are deleted first: no entry
 * refers to them after it.
 */
static int
vals_share(struct store *st, MDB_txn *txn, unsigned l, struct recs *rs,
    char *errbuf, size_t errlen)
{
	uint8_t kb[VREF_KEYLEN];
	struct val **by;
	MDB_cursor *mc;
	MDB_val k, v;
	size_t i, n;
	uint32_t id;
	int rc;

	if ((rc = mdb_cursor_open(txn, st->meta, &mc)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(meta)");
		return -1;
	}
	k.mv_data = kb;
	k.mv_size = store_vref_key(kb, l, 0);
	/* after a delete the cursor is on the next record, which NEXT gives */
	for (rc = mdb_cursor_get(mc, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(mc, &k, &v, MDB_NEXT)) {
		if (k.mv_size != VREF_KEYLEN || memcmp(k.mv_data, kb, 5) != 0)
			break;
		if ((rc = mdb_cursor_del(mc, 0)) != 0)
			break;
	}
	mdb_cursor_close(mc);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_del(meta)");
		return -1;
	}
	by = xreallocarray(NULL, rs->nvals ? rs->nvals : 1, sizeof(*by));
	for (i = n = 0; i < rs->nvals; i++)
		if (rs->vals[i].uses > 1)
			by[n++] = &rs->vals[i];
	qsort(by, n, sizeof(*by), val_cmp);
	for (i = 0; i < n && i < VREF_IDS; i++) {
		id = (uint32_t)i;
		by[i]->reflen = id < 1u << 8 ? 1 : id < 1u << 16 ? 2 : 3;
		for (rc = 0; rc < by[i]->reflen; rc++)
			by[i]->ref[rc] = (uint8_t)(id >>
			    (8 * (by[i]->reflen - 1 - rc)));
		k.mv_data = kb;	/* the delete's cursor moved it */
		k.mv_size = store_vref_key(kb, l, id);
		v.mv_data = by[i]->p;
		v.mv_size = by[i]->len;
		if ((rc = mdb_put(txn, st->meta, &k, &v, 0)) != 0) {
			free(by);
			store_err(st, rc, errbuf, errlen, "mdb_put(meta)");
			return -1;
		}
	}
	free(by);
	return 0;
}

/* Write the sorted records into the emptied table of l inside txn. */
static int
recs_write(struct store *st, MDB_txn *txn, unsigned l, struct recs *rs,
    store_dup_fn *dup, void *arg, size_t *count, size_t *dups, char *errbuf,
    size_t errlen)
{
	uint32_t old[2][LENS_MAX];
	uint8_t kb[ANYKEY_MAX];
	lens_delta d;
	const struct rec *r;
	const struct val *x;
	MDB_cursor *mc;
	MDB_val k, v;
	size_t i, first = 0;
	uintptr_t heap = 0;
	int j, rc;

	memset(d, 0, sizeof(d));
	if (st->lists[l].kind == LIST_KIND_IP &&
	    (store_lens_get(st, txn, l, ADDR_V4, old[0], errbuf,
	    errlen) == -1 || store_lens_get(st, txn, l, ADDR_V6, old[1],
	    errbuf, errlen) == -1))
		return -1;
	if ((rc = mdb_drop(txn, st->lists[l].dbi, 0)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_drop(%s)",
		    store_list_name(st, l));
		return -1;
	}
	if (vals_share(st, txn, l, rs, errbuf, errlen) == -1)
		return -1;
	/* one cursor, which stays at the end of the table */
	if ((rc = mdb_cursor_open(txn, st->lists[l].dbi, &mc)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(%s)",
		    store_list_name(st, l));
		return -1;
	}
	/* LMDB mallocs each page it fills: see xhugeheap() */
	for (i = 0; i < rs->n; i++) {
		if (i % 256 == 0)
			xhugeheap(&heap);
		/* keys and values lie in file order: fetch ahead of the sort's */
		if (i + 2 * PREFETCH < rs->n &&
		    REC_LONG(&rs->v[i + 2 * PREFETCH]))
			__builtin_prefetch(rs->v[i + 2 * PREFETCH].u.lk);
		if (i + PREFETCH < rs->n)
			__builtin_prefetch(rs->vals[rec_vid(&rs->v[i +
			    PREFETCH])].p);
		r = &rs->v[i];
		x = &rs->vals[rec_vid(r)];
		k.mv_data = (void *)rec_key(r, kb);
		k.mv_size = rec_klen(r);
		v.mv_data = x->p;
		v.mv_size = x->len;
		/* equal keys are together, the first line first */
		if (i > 0 && rec_same(&rs->v[i - 1], r)) {
			rec_dup(st, txn, l, &k, &v, dup, arg, rec_seq(r),
			    rec_seq(&rs->v[first]));
			(*dups)++;
			continue;
		}
		first = i;
		if (x->reflen > 0) {
			v.mv_data = (void *)x->ref;
			v.mv_size = x->reflen;
		}
		if ((rc = mdb_cursor_put(mc, &k, &v, MDB_APPEND)) != 0) {
			mdb_cursor_close(mc);
			store_err(st, rc, errbuf, errlen, "mdb_put(%s)",
			    store_list_name(st, l));
			return -1;
		}
		if (store_expiry_put(st, txn, l, k.mv_data, k.mv_size,
		    x->expires, 0, errbuf, errlen) == -1) {
			mdb_cursor_close(mc);
			return -1;
		}
		count_key(st, l, d, k.mv_data, k.mv_size, 1);
		(*count)++;
	}
	mdb_cursor_close(mc);
	if (st->lists[l].kind == LIST_KIND_IP)
		for (j = 0; j < LENS_MAX; j++) {
			d[0][j] -= j < NLENS(ADDR_V4) ? old[0][j] : 0;
			d[1][j] -= old[1][j];
		}
	return store_lens_apply(st, txn, l, d, errbuf, errlen);
}

/* 1 if entries a and b answer alike: code, TXT, expiry and flags. */
static int
entry_answers_same(const struct store_entry *a, const struct store_entry *b)
{
	return a->flags == b->flags && a->code == b->code &&
	    a->expires == b->expires && a->reason_len == b->reason_len &&
	    (a->reason_len == 0 || memcmp(a->reason, b->reason,
	    a->reason_len) == 0);
}

/* Keys x and y (xl, yl bytes) in LMDB's order: <0, 0 or >0. */
static int
key_cmp(const void *x, size_t xl, const void *y, size_t yl)
{
	int r = memcmp(x, y, xl < yl ? xl : yl);

	return r != 0 ? r : (xl > yl) - (xl < yl);
}

/*
 * Compare l's table in txn, before the replace, with the sorted records
 * rs (the first of equal keys counting) into d: 0, or -1.
 */
static int
recs_diff(struct store *st, MDB_txn *txn, unsigned l,
    const struct recs *rs, struct rdiff *d, char *errbuf, size_t errlen)
{
	uint8_t kb[ANYKEY_MAX], ob[ENTRY_MAXLEN];
	struct store_entry oe, ne;
	struct store_vmemo memo;
	const struct rec *r;
	const uint8_t *rk;
	MDB_cursor *mc;
	MDB_val k, v, nv;
	size_t i = 0, rl;
	uint8_t pv[ENTRY_MAXLEN];	/* the old value last compared, raw */
	size_t plen = SIZE_MAX;
	uint32_t nvid = UINT32_MAX;	/* the value decoded into ne */
	int rc, c, nbad = 0, psame = 0, same, decoded;

	memset(&memo, 0, sizeof(memo));
	memset(&ne, 0, sizeof(ne));
	if ((rc = mdb_cursor_open(txn, st->lists[l].dbi, &mc)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(%s)",
		    store_list_name(st, l));
		return -1;
	}
	rc = mdb_cursor_get(mc, &k, &v, MDB_FIRST);
	while (!d->over && (rc == 0 || i < rs->n)) {
		r = i < rs->n ? &rs->v[i] : NULL;
		rk = r != NULL ? rec_key(r, kb) : NULL;
		rl = r != NULL ? rec_klen(r) : 0;
		c = rc != 0 ? 1 : r == NULL ? -1 :
		    key_cmp(k.mv_data, k.mv_size, rk, rl);
		decoded = same = 0;
		if (c > 0)		/* added */
			rdiff_add(d, rk, rl, NULL, 0);
		else if (c == 0 && rec_vid(r) == nvid && v.mv_size == plen &&
		    memcmp(v.mv_data, pv, plen) == 0)
			same = psame;	/* the values of the entry before */
		else if (c == 0) {
			memset(&oe, 0, sizeof(oe));
			if (store_entry_decode(st, txn, l, &v, &oe,
			    &memo) == -1)
				goto corrupt;
			decoded = 1;
			/* a feed's entries mostly share one new value */
			if (rec_vid(r) != nvid) {
				memset(&ne, 0, sizeof(ne));
				nv.mv_data = rs->vals[rec_vid(r)].p;
				nv.mv_size = rs->vals[rec_vid(r)].len;
				nbad = store_entry_decode(st, txn, l, &nv, &ne,
				    NULL) == -1;
				nvid = rec_vid(r);
			}
			same = psame = !nbad && entry_answers_same(&oe, &ne);
			plen = v.mv_size <= sizeof(pv) ? v.mv_size : SIZE_MAX;
			if (plen != SIZE_MAX)
				memcpy(pv, v.mv_data, plen);
		}
		/* deleted, or changed: the old value */
		if (c <= 0 && !same) {
			if (!decoded)
				memset(&oe, 0, sizeof(oe));
			if (!decoded && store_entry_decode(st, txn, l, &v, &oe,
			    &memo) == -1)
				goto corrupt;
			rdiff_add(d, k.mv_data, k.mv_size, ob,
			    store_entry_encode(ob, &oe));
		}
		if (c <= 0)
			rc = mdb_cursor_get(mc, &k, &v, MDB_NEXT);
		if (c >= 0)	/* past the later lines of the same key */
			for (i++; i < rs->n && rec_same(&rs->v[i - 1],
			    &rs->v[i]); i++)
				;
	}
	mdb_cursor_close(mc);
	if (rc != 0 && rc != MDB_NOTFOUND && !d->over) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(%s)",
		    store_list_name(st, l));
		return -1;
	}
	return 0;

corrupt:
	mdb_cursor_close(mc);
	snprintf(errbuf, errlen, "corrupt entry in %s", store_list_name(st, l));
	return -1;
}

enum store_rc
store_replace(struct store *st, unsigned l, store_iter_fn *next,
    store_dup_fn *dup, void *arg, const char *actor, const char *what,
    size_t *count, size_t *dups, char *errbuf, size_t errlen)
{
	return store_replace2(st, l, next, arg, NULL, NULL, dup, actor, what,
	    count, dups, errbuf, errlen);
}

enum store_rc
store_replace2(struct store *st, unsigned l, store_iter_fn *next, void *arg,
    store_iter_fn *next2, void *arg2, store_dup_fn *dup, const char *actor,
    const char *what, size_t *count, size_t *dups, char *errbuf,
    size_t errlen)
{
	struct recs rs;
	struct rdiff d;
	struct part p2;
	pthread_t t;
	MDB_txn *txn = NULL;
	char reason[128];
	size_t n = 0, nd = 0;
	int rc, threaded = 0;

	if (count != NULL)
		*count = 0;
	if (dups != NULL)
		*dups = 0;
	if (store_list_check(st, l, errbuf, errlen) == -1)
		return STORE_ERROR;
	memset(&rs, 0, sizeof(rs));
	memset(&d, 0, sizeof(d));
	memset(&p2, 0, sizeof(p2));
	xhugeheap_begin();
	if (next2 != NULL) {
		p2.st = st;
		p2.l = l;
		p2.next = next2;
		p2.arg = arg2;
		threaded = pthread_create(&t, NULL, part_main, &p2) == 0;
	}
	rc = recs_read(st, l, next, arg, &rs, errbuf, errlen);
	if (threaded)
		(void)pthread_join(t, NULL);
	else if (next2 != NULL)
		(void)part_main(&p2);
	if (rc == -1)
		goto fail;
	if (next2 != NULL) {
		if (p2.rc == -1) {
			snprintf(errbuf, errlen, "%s", p2.errbuf);
			goto fail;
		}
		recs_join(&rs, &p2.rs);
	}
	recs_sort(rs.v, rs.n);
	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		goto fail;
	if ((st->has_journal && recs_diff(st, txn, l, &rs, &d, errbuf,
	    errlen) == -1) ||
	    recs_write(st, txn, l, &rs, dup, arg, &n, &nd, errbuf,
	    errlen) == -1 ||
	    rdiff_note(st, txn, l, &d, errbuf, errlen) == -1)
		goto fail;
	snprintf(reason, sizeof(reason), "%zu entries, the whole list", n);
	if (store_audit_put(st, txn, actor, actor ? strlen(actor) : 0,
	    "replace", store_list_name(st, l), what, reason, strlen(reason),
	    errbuf, errlen) == -1)
		goto fail;
	if (store_txn_commit(st, txn, errbuf, errlen) == -1) {
		txn = NULL;
		goto fail;
	}
	xhugeheap_end();
	recs_free(&rs);
	free(d.buf);
	if (count != NULL)
		*count = n;
	if (dups != NULL)
		*dups = nd;
	return STORE_OK;
fail:
	if (txn != NULL)
		mdb_txn_abort(txn);
	xhugeheap_end();
	recs_free(&rs);
	recs_free(&p2.rs);
	free(d.buf);
	return STORE_ERROR;
}

struct list_walk {
	struct store	*st;
	MDB_txn		*txn;
	unsigned	 l;
	store_walk_fn	*cb;
	void		*arg;
	size_t		*skipped;	/* or NULL: a bad entry stops */
	struct store_vmemo memo;
};

/* Set w up for a walk of list l inside txn. */
static void
list_walk_init(struct list_walk *w, struct store *st, MDB_txn *txn,
    unsigned l, store_walk_fn *cb, void *arg, size_t *skipped)
{
	memset(w, 0, sizeof(*w));
	w->st = st;
	w->txn = txn;
	w->l = l;
	w->cb = cb;
	w->arg = arg;
	w->skipped = skipped;
}

static int
list_record(void *arg, const MDB_val *k, const MDB_val *v, char *errbuf,
    size_t errlen)
{
	struct list_walk *w = arg;
	struct store_entry e;

	memset(&e, 0, sizeof(e));
	if (store_entry_decode(w->st, w->txn, w->l, v, &e, &w->memo) == -1 ||
	    store_entry_key_parse(w->st->lists[w->l].kind, k, &e) == -1) {
		if (w->skipped != NULL) {
			(*w->skipped)++;
			return 0;
		}
		snprintf(errbuf, errlen, "corrupt entry in %s",
		    store_list_name(w->st, w->l));
		return -1;
	}
	return w->cb(w->arg, &e) != 0;
}

enum store_rc
store_walk(struct store *st, unsigned l, store_walk_fn *cb, void *arg,
    size_t *skipped, char *errbuf, size_t errlen)
{
	struct list_walk w;
	MDB_txn *txn;
	enum store_rc rc;

	if (store_list_check(st, l, errbuf, errlen) == -1 ||
	    store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	list_walk_init(&w, st, txn, l, cb, arg, skipped);
	rc = store_table_walk_txn(st, txn, st->lists[l].dbi,
	    store_list_name(st, l), list_record, &w, errbuf, errlen);
	mdb_txn_abort(txn);
	return rc;
}

enum store_rc
store_walk_snapshot(struct store *st, const unsigned *ids, size_t n,
    store_walk_fn *const *cbs, void *const *args, const char *zone,
    uint32_t *serial, struct store_since *since, char *errbuf,
    size_t errlen)
{
	struct list_walk w;
	MDB_txn *txn;
	enum store_rc rc = STORE_ERROR;
	uint64_t first, last;
	size_t i;
	int r;

	for (i = 0; i < n; i++)
		if (store_list_check(st, ids[i], errbuf, errlen) == -1)
			return STORE_ERROR;
	if (store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (zone != NULL && store_serial_txn(st, txn, zone, serial, errbuf,
	    errlen) == -1)
		goto out;
	if (zone != NULL && since != NULL) {
		r = store_serial_since(st, txn, zone, since->serial, &first,
		    &last, errbuf, errlen);
		if (r == 1)
			r = STORE_SINCE_CURRENT;
		else if (r == 2)
			r = STORE_SINCE_WINDOW;
		else if (r == 0) {
			r = store_journal_changes(st, txn, first, last,
			    since->fn, since->arg, errbuf, errlen);
			if (r == 1)
				r = STORE_SINCE_GONE;
			else if (r > 1)
				r = STORE_SINCE_STOPPED;
		}
		if (r == -1)
			goto out;
		since->result = r;
	}
	for (i = 0; i < n; i++) {
		list_walk_init(&w, st, txn, ids[i], cbs[i], args[i], NULL);
		if (store_table_walk_txn(st, txn, st->lists[ids[i]].dbi,
		    store_list_name(st, ids[i]), list_record, &w, errbuf,
		    errlen) == STORE_ERROR)
			goto out;
	}
	rc = STORE_OK;
out:
	mdb_txn_abort(txn);
	return rc;
}

struct purge {
	struct store	*st;
	MDB_txn		*txn;
	time_t		 now;
	const char	*actor;
	lens_delta	*d[STORE_LISTS_MAX];	/* per list, when it has one */
	size_t		*purged;
};

/*
 * Delete the entry of list l for prefix behind an expiry record due at
 * expires, if it has expired at now, with its audit and journal records,
 * counting it in d and *purged. A record whose entry is gone or no longer
 * has that expiry is only stale.
 */
static int
purge_entry(void *arg, unsigned l, const uint8_t *kb, size_t klen,
    int64_t expires, char *errbuf, size_t errlen)
{
	struct purge *pu = arg;
	struct store *st = pu->st;
	struct store_entry e;
	MDB_val ek, ev;
	uint8_t ob[ENTRY_MAXLEN];
	char text[ENTRY_TEXTMAX], reason[REASON_MAX];
	size_t rl, olen;
	int rc;

	if (l >= STORE_LISTS_MAX || !st->lists[l].open)
		return 0;	/* a list this store cannot read: corrupt */
	ek.mv_data = (void *)kb;
	ek.mv_size = klen;
	rc = mdb_get(pu->txn, st->lists[l].dbi, &ek, &ev);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(%s)",
		    store_list_name(st, l));
		return -1;
	}
	memset(&e, 0, sizeof(e));
	if (store_entry_decode(st, pu->txn, l, &ev, &e, NULL) == -1 ||
	    !store_entry_expired(&e, pu->now) || e.expires != expires ||
	    store_entry_key_parse(st->lists[l].kind, &ek, &e) == -1)
		return 0;
	/* Copy what the audit needs: the value goes with the del. */
	store_entry_text(&e, text, sizeof(text));
	rl = e.reason_len < sizeof(reason) ? e.reason_len : sizeof(reason);
	if (rl > 0)
		memcpy(reason, e.reason, rl);
	if (pu->d[l] == NULL)
		pu->d[l] = xcalloc(1, sizeof(*pu->d[l]));
	count_key(st, l, *pu->d[l], kb, klen, -1);
	olen = old_copy(st, pu->txn, l, &ev, 1, ob);
	if ((rc = mdb_del(pu->txn, st->lists[l].dbi, &ek, NULL)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_del(%s)",
		    store_list_name(st, l));
		return -1;
	}
	if (store_journal_note(st, pu->txn, l, kb, klen, ob, olen, errbuf,
	    errlen) == -1 ||
	    store_audit_put(st, pu->txn, pu->actor,
	    pu->actor ? strlen(pu->actor) : 0, "expire", store_list_name(st, l),
	    text, reason, rl, errbuf, errlen) == -1)
		return -1;
	(*pu->purged)++;
	return 0;
}

int
store_list_purge(struct store *st, MDB_txn *txn, time_t now,
    const char *actor, size_t *purged, size_t *left, char *errbuf,
    size_t errlen)
{
	struct purge pu;
	unsigned l;
	int r;

	memset(&pu, 0, sizeof(pu));
	pu.st = st;
	pu.txn = txn;
	pu.now = now;
	pu.actor = actor;
	pu.purged = purged;
	r = store_expiry_due(st, txn, now, left, purge_entry, &pu, errbuf,
	    errlen);
	for (l = 0; l < STORE_LISTS_MAX; l++) {
		if (pu.d[l] != NULL && r != -1 && store_lens_apply(st, txn, l,
		    *pu.d[l], errbuf, errlen) == -1)
			r = -1;
		free(pu.d[l]);
	}
	return r;
}
