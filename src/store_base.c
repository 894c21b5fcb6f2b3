/* SPDX-License-Identifier: ISC */
/*
 * store_base.c -- the bottom layer of the store (store_base.h): error
 * text, transactions, keys, the lists' entries, the checks, a table walk
 * and the probe of one prefix.
 *
 * "black", "white" (this file owns their layout):
 *   key: af (1) | address (4 or 16, host bits clear) | prefix length (1)
 *   value: u32 flags, u32 code, i64 added, i64 expires, u16 actor length,
 *   u16 reason length, actor bytes, reason bytes; or, 1 to VREF_MAX
 *   bytes, the big-endian number of a value that entries of the list
 *   share, kept once in "meta" (store_vref_key)
 * Values are packed byte strings, read and written with memcpy because
 * the map gives no alignment guarantee. Integers inside values are in
 * host order, like LMDB's own file format (which does not move between
 * byte orders either); numbers that are keys are big-endian
 * (store_be64_put) so that they sort by number.
 */
#include "config.h"

#include <sys/statvfs.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store_base.h"
#include "store_list.h"

#define ENTRY_HDRLEN	28
#if ENTRY_MAXLEN != ENTRY_HDRLEN + ACTOR_MAX + REASON_MAX
#error "ENTRY_MAXLEN does not match the entry's layout"
#endif
#if VREF_MAX >= ENTRY_HDRLEN
#error "a reference to a shared value must be shorter than any entry"
#endif

/* The database directory, for a message. */
static const char *
db_path(struct store *st)
{
	const char *path;

	if (mdb_env_get_path(st->env, &path) != 0 || path == NULL)
		return NULL;
	return path;
}

/* 1 if the file system of the database has no room left for a page. */
static int
disk_full(struct store *st)
{
	struct statvfs sv;
	const char *path;
	MDB_stat ms;

	if ((path = db_path(st)) == NULL || statvfs(path, &sv) == -1)
		return 0;
	if (mdb_env_stat(st->env, &ms) != 0)
		ms.ms_psize = 4096;
	return (uint64_t)sv.f_bavail * sv.f_frsize < (uint64_t)ms.ms_psize * 2;
}

void
store_err(struct store *st, int rc, char *errbuf, size_t errlen,
    const char *fmt, ...)
{
	MDB_envinfo info;
	const char *path;
	char what[128];
	va_list ap;

	if ((path = db_path(st)) == NULL)
		path = "the database directory";
	if (rc == MDB_MAP_FULL) {
		/* The file, how full, and what to change. */
		if (mdb_env_info(st->env, &info) != 0)
			info.me_mapsize = 0;
		snprintf(errbuf, errlen, "database full: %s/data.mdb has "
		    "reached map-size (now %zu MB): raise map-size: in the "
		    "server: clause", path, info.me_mapsize / (1024 * 1024));
		return;
	}
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/*
	 * LMDB reports a short write, which is what a full disk gives, as
	 * EIO: tell that from a failing disk by the free space
	 */
	if ((rc == EIO || rc == ENOSPC || rc == EDQUOT) && disk_full(st)) {
		snprintf(errbuf, errlen, "%s: %s/data.mdb: No space left on "
		    "device (the disk that holds the database is full): free "
		    "some space, or move the database", what, path);
		return;
	}
	snprintf(errbuf, errlen, "%s: %s", what, mdb_strerror(rc));
}

const char *
store_list_name(const struct store *st, unsigned l)
{
	if (l < STORE_LISTS_MAX && st->lists[l].open)
		return st->lists[l].name;
	return l == LIST_BLACK ? "black" : l == LIST_WHITE ? "white" : "?";
}

int
store_list_lookup(const struct store *st, const char *name)
{
	unsigned l;

	for (l = 0; l < STORE_LISTS_MAX; l++)
		if (st->lists[l].open && strcmp(st->lists[l].name, name) == 0)
			return (int)l;
	return -1;
}

size_t
store_key_make(uint8_t *k, const struct addr *a)
{
	size_t n = ADDR_BYTES(a);

	k[0] = a->af;
	memcpy(k + 1, a->a, n);
	k[1 + n] = a->len;
	return n + 2;
}

int
store_key_len(const uint8_t *k, size_t n, int *v6)
{
	if (n == 6 && k[0] == ADDR_V4 && k[5] <= 32) {
		*v6 = 0;
		return k[5];
	}
	if (n == 18 && k[0] == ADDR_V6 && k[17] <= 128) {
		*v6 = 1;
		return k[17];
	}
	return -1;
}

uint64_t
store_key_word4(uint32_t a, unsigned len)
{
	a &= len == 0 ? 0 : 0xffffffffu << (32 - len);
	return (uint64_t)ADDR_V4 << 56 | (uint64_t)a << 24 |
	    (uint64_t)len << 16 | 6;
}

int
store_key_parse(const MDB_val *k, struct addr *a)
{
	const uint8_t *p = k->mv_data;
	int len, v6;

	memset(a, 0, sizeof(*a));
	if ((len = store_key_len(p, k->mv_size, &v6)) == -1)
		return -1;
	a->af = p[0];
	memcpy(a->a, p + 1, k->mv_size - 2);
	a->len = (uint8_t)len;
	return 0;
}

/* A domain list's name: 1-253 printable bytes, labels of 1-63, no blank. */
static int
dname_ok(const char *s, size_t n)
{
	size_t i, label = 0;

	if (s == NULL || n == 0 || n > STORE_DNAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if (s[i] <= ' ' || s[i] > '~' || ++label > 63)
			return 0;
		else if (s[i] >= 'A' && s[i] <= 'Z')
			return 0;	/* lower case only */
	}
	return label > 0;
}

size_t
store_entry_key(enum list_kind kind, const struct store_entry *e, uint8_t *k)
{
	struct addr m;

	if (kind == LIST_KIND_IP) {
		if (e->prefix.af != ADDR_V4 && e->prefix.af != ADDR_V6)
			return 0;
		m = e->prefix;
		addr_mask(&m);
		return store_key_make(k, &m);
	}
	if (!dname_ok(e->dname, e->dname_len))
		return 0;
	k[0] = (e->flags & ENTRY_WILD) ? '*' : '=';
	memcpy(k + 1, e->dname, e->dname_len);
	return 1 + e->dname_len;
}

int
store_entry_key_parse(enum list_kind kind, const MDB_val *k,
    struct store_entry *e)
{
	const char *p = k->mv_data;

	if (kind == LIST_KIND_IP) {
		e->dname = NULL;
		e->dname_len = 0;
		return store_key_parse(k, &e->prefix);
	}
	memset(&e->prefix, 0, sizeof(e->prefix));
	if (k->mv_size < 2 || (p[0] != '=' && p[0] != '*'))
		return -1;
	e->dname = p + 1;
	e->dname_len = k->mv_size - 1;
	if (p[0] == '*')
		e->flags |= ENTRY_WILD;
	return 0;
}

char *
store_entry_text(const struct store_entry *e, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	if (e->dname != NULL)
		snprintf(buf, len, "%s%s%.*s", (e->flags & ENTRY_EXCLUDE) ?
		    "!" : "", (e->flags & ENTRY_WILD) ? "*." : "",
		    (int)e->dname_len, e->dname);
	else
		snprintf(buf, len, "%s%s", (e->flags & ENTRY_EXCLUDE) ? "!" :
		    "", addr_format(&e->prefix, a, sizeof(a)));
	return buf;
}

int
store_text_check(const char *what, const char *text, size_t len, size_t max,
    char *errbuf, size_t errlen)
{
	if (len > max) {
		snprintf(errbuf, errlen, "%s too long (max %zu bytes)", what,
		    max);
		return -1;
	}
	if (len > 0 && text == NULL) {
		snprintf(errbuf, errlen, "%s missing", what);
		return -1;
	}
	return 0;
}

int
store_entry_check(const struct store_entry *e, char *errbuf, size_t errlen)
{
	if (e->dname != NULL && !dname_ok(e->dname, e->dname_len)) {
		snprintf(errbuf, errlen, "bad domain name \"%.*s\"",
		    (int)(e->dname_len < 64 ? e->dname_len : 64), e->dname);
		return -1;
	}
	if ((e->dname == NULL && store_addr_check(&e->prefix, errbuf,
	    errlen) == -1) ||
	    store_text_check("actor", e->actor, e->actor_len, ACTOR_MAX,
	    errbuf, errlen) == -1 ||
	    store_text_check("reason", e->reason, e->reason_len, REASON_MAX,
	    errbuf, errlen) == -1)
		return -1;
	return 0;
}

size_t
store_entry_encode(uint8_t *buf, const struct store_entry *e)
{
	uint16_t al = (uint16_t)e->actor_len, rl = (uint16_t)e->reason_len;
	uint32_t flags = e->flags & ~(uint32_t)ENTRY_WILD;	/* in the key */

	memcpy(buf, &flags, 4);
	memcpy(buf + 4, &e->code, 4);
	memcpy(buf + 8, &e->added, 8);
	memcpy(buf + 16, &e->expires, 8);
	memcpy(buf + 24, &al, 2);
	memcpy(buf + 26, &rl, 2);
	if (al > 0)
		memcpy(buf + ENTRY_HDRLEN, e->actor, al);
	if (rl > 0)
		memcpy(buf + ENTRY_HDRLEN + al, e->reason, rl);
	return ENTRY_HDRLEN + (size_t)al + rl;
}

/* Unpack a packed entry (not a reference): 0, or -1. */
static int
entry_unpack(const MDB_val *v, struct store_entry *e)
{
	const uint8_t *p = v->mv_data;
	uint16_t al, rl;

	if (v->mv_size < ENTRY_HDRLEN)
		return -1;
	memcpy(&e->flags, p, 4);
	memcpy(&e->code, p + 4, 4);
	memcpy(&e->added, p + 8, 8);
	memcpy(&e->expires, p + 16, 8);
	memcpy(&al, p + 24, 2);
	memcpy(&rl, p + 26, 2);
	if (v->mv_size != ENTRY_HDRLEN + (size_t)al + rl)
		return -1;
	e->actor = (const char *)p + ENTRY_HDRLEN;
	e->actor_len = al;
	e->reason = (const char *)p + ENTRY_HDRLEN + al;
	e->reason_len = rl;
	return 0;
}

size_t
store_vref_key(uint8_t *k, unsigned l, uint32_t id)
{
	memcpy(k, "val:", 4);
	k[4] = (uint8_t)l;
	k[5] = (uint8_t)(id >> 24);
	k[6] = (uint8_t)(id >> 16);
	k[7] = (uint8_t)(id >> 8);
	k[8] = (uint8_t)id;
	return VREF_KEYLEN;
}

int
store_entry_decode(struct store *st, MDB_txn *txn, unsigned l,
    const MDB_val *v, struct store_entry *e, struct store_vmemo *memo)
{
	const uint8_t *p = v->mv_data;
	uint8_t kb[VREF_KEYLEN];
	struct store_vmemo m;
	MDB_val k;
	uint32_t id = 0;
	size_t i;

	if (v->mv_size == 0 || v->mv_size > VREF_MAX)
		return entry_unpack(v, e);
	for (i = 0; i < v->mv_size; i++)
		id = id << 8 | p[i];
	if (memo != NULL && memo->set && memo->l == l && memo->id == id)
		return entry_unpack(&memo->v, e);
	k.mv_data = kb;
	k.mv_size = store_vref_key(kb, l, id);
	if (mdb_get(txn, st->meta, &k, &m.v) != 0 ||
	    m.v.mv_size <= VREF_MAX)
		return -1;	/* none, or a reference to a reference */
	if (memo != NULL) {
		m.set = 1;
		m.l = l;
		m.id = id;
		*memo = m;
	}
	return entry_unpack(&m.v, e);
}

int
store_entry_expired(const struct store_entry *e, time_t now)
{
	return e->expires != 0 && e->expires <= (int64_t)now;
}

void
store_be64_put(uint8_t *p, uint64_t x)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(x >> (56 - 8 * i));
}

uint64_t
store_be64_get(const uint8_t *p)
{
	uint64_t x = 0;
	int i;

	for (i = 0; i < 8; i++)
		x = x << 8 | p[i];
	return x;
}

int
store_wtxn_begin(struct store *st, MDB_txn **txn, char *errbuf, size_t errlen)
{
	int rc;

	*txn = NULL;
	if (st->readonly) {
		snprintf(errbuf, errlen, "database opened read-only");
		return -1;
	}
	rc = mdb_txn_begin(st->env, NULL, 0, txn);
	if (rc == MDB_MAP_RESIZED && !st->reading) {
		if ((rc = mdb_env_set_mapsize(st->env, 0)) != 0) {
			store_err(st, rc, errbuf, errlen,
			    "mdb_env_set_mapsize");
			return -1;
		}
		rc = mdb_txn_begin(st->env, NULL, 0, txn);
	}
	if (rc != 0) {
		*txn = NULL;
		store_err(st, rc, errbuf, errlen, "mdb_txn_begin");
		return -1;
	}
	return 0;
}

int
store_rtxn_begin(struct store *st, MDB_txn **txn, char *errbuf, size_t errlen)
{
	int rc;

	*txn = NULL;
	rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, txn);
	/* Remapping would pull the map from under an open snapshot. */
	if (rc == MDB_MAP_RESIZED && !st->reading) {
		if ((rc = mdb_env_set_mapsize(st->env, 0)) != 0) {
			store_err(st, rc, errbuf, errlen,
			    "mdb_env_set_mapsize");
			return -1;
		}
		rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, txn);
	}
	if (rc != 0) {
		*txn = NULL;
		store_err(st, rc, errbuf, errlen, "mdb_txn_begin");
		return -1;
	}
	return 0;
}

int
store_txn_commit(struct store *st, MDB_txn *txn, char *errbuf, size_t errlen)
{
	int rc;

	if ((rc = mdb_txn_commit(txn)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_txn_commit");
		return -1;
	}
	return 0;
}

enum store_rc
store_table_walk_txn(struct store *st, MDB_txn *txn, MDB_dbi dbi,
    const char *what, store_record_fn *fn, void *arg, char *errbuf,
    size_t errlen)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	enum store_rc ret = STORE_ERROR;
	int rc, r;

	if ((rc = mdb_cursor_open(txn, dbi, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(%s)", what);
		return STORE_ERROR;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if ((r = fn(arg, &k, &v, errbuf, errlen)) == -1)
			goto cleanup;
		if (r != 0)
			break;
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(%s)", what);
		goto cleanup;
	}
	ret = STORE_OK;
cleanup:
	mdb_cursor_close(cur);
	return ret;
}

enum store_rc
store_table_walk(struct store *st, MDB_dbi dbi, const char *what,
    store_record_fn *fn, void *arg, char *errbuf, size_t errlen)
{
	MDB_txn *txn = NULL;
	enum store_rc ret;

	if (store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	ret = store_table_walk_txn(st, txn, dbi, what, fn, arg, errbuf,
	    errlen);
	mdb_txn_abort(txn);
	return ret;
}

/* The cursor of list l on the current read snapshot. */
static MDB_cursor *
read_cursor(struct store *st, unsigned l, char *errbuf,
    size_t errlen)
{
	int rc = 0;

	if (st->rcur[l] == NULL)
		rc = mdb_cursor_open(st->rtxn, st->lists[l].dbi, &st->rcur[l]);
	else if (st->rcur_gen[l] != st->read_gen)
		rc = mdb_cursor_renew(st->rtxn, st->rcur[l]);
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(%s)",
		    store_list_name(st, l));
		return NULL;
	}
	st->rcur_gen[l] = st->read_gen;
	return st->rcur[l];
}

enum store_rc
store_probe(struct store *st, unsigned l, const struct addr *m,
    time_t now, struct store_entry *e, char *errbuf, size_t errlen)
{
	uint8_t kb[KEY_MAXLEN];
	MDB_cursor *cur;
	MDB_val k, v;
	char text[ADDR_STRLEN];
	size_t ksize;
	int rc;

	if ((cur = read_cursor(st, l, errbuf, errlen)) == NULL)
		return STORE_ERROR;
	k.mv_data = kb;
	k.mv_size = ksize = store_key_make(kb, m);
	/*
	 * SET_RANGE, not SET: a miss still leaves the cursor on a page,
	 * where the next (shorter, so smaller) key is searched first.
	 */
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	if (rc == MDB_NOTFOUND)
		return STORE_NOTFOUND;
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(%s)",
		    store_list_name(st, l));
		return STORE_ERROR;
	}
	if (k.mv_size != ksize || memcmp(k.mv_data, kb, ksize) != 0)
		return STORE_NOTFOUND;	/* the next key: no entry for m */
	if (store_entry_decode(st, st->rtxn, l, &v, e, NULL) == -1) {
		snprintf(errbuf, errlen, "corrupt entry %s in %s",
		    addr_format(m, text, sizeof(text)), store_list_name(st, l));
		return STORE_ERROR;
	}
	if (store_entry_expired(e, now))
		return STORE_NOTFOUND;
	e->prefix = *m;
	return STORE_OK;
}

