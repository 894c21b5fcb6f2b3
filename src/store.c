/*
 * store.c -- the LMDB database: the environment, transactions and errors,
 * keys and entries, and the lookups in the black and white lists. Their
 * changes and the purge are in store_list.c, the audit log in
 * store_audit.c, the journal, the expiry index and the compact copy of
 * the lists in store_index.c, the verdict cache in store_cache.c, the
 * delisting queue in store_queue.c; store_impl.h is what they share.
 *
 * Values are packed byte strings, read and written with memcpy because
 * the map gives no alignment guarantee. Integers inside values are in host
 * order, like LMDB's own file format (which does not move between byte
 * orders either); audit keys are big-endian so that they sort by number.
 *
 * "black", "white": key af (1) | address (4 or 16, host bits clear) |
 * prefix length (1). Value: u32 flags, u32 code, i64 added, i64 expires,
 * u16 actor length, u16 reason length, actor bytes, reason bytes
 * (entry_encode in store_list.c, store_entry_decode here).
 *
 * "meta": "schema" -> u32 version (STORE_SCHEMA_VERSION).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"
#include "util.h"

/*
 * Turn an mdb_* rc into text: "what: why", or the actionable message for
 * a full map.
 */
void
store_err(struct store *st, int rc, char *errbuf, size_t errlen,
    const char *fmt, ...)
{
	MDB_envinfo info;
	char what[128];
	va_list ap;

	if (rc == MDB_MAP_FULL) {
		if (mdb_env_info(st->env, &info) != 0)
			info.me_mapsize = 0;
		snprintf(errbuf, errlen, "database full: raise map-size: in "
		    "the server: clause (now %zu MB)",
		    info.me_mapsize / (1024 * 1024));
		return;
	}
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(errbuf, errlen, "%s: %s", what, mdb_strerror(rc));
}

const char *
store_list_name(enum store_list l)
{
	switch (l) {
	case LIST_BLACK:
		return "black";
	case LIST_WHITE:
		return "white";
	}
	return "?";
}

int
store_list_lookup(const char *name)
{
	if (strcmp(name, "black") == 0)
		return LIST_BLACK;
	if (strcmp(name, "white") == 0)
		return LIST_WHITE;
	return -1;
}

/* An error unless l is one of the two lists. */
int
store_list_check(enum store_list l, char *errbuf, size_t errlen)
{
	if (l != LIST_BLACK && l != LIST_WHITE) {
		snprintf(errbuf, errlen, "bad list %d", (int)l);
		return -1;
	}
	return 0;
}

int
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

/* Key of a masked prefix; returns its size. */
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
store_key_parse(const MDB_val *k, struct addr *a)
{
	const uint8_t *p = k->mv_data;

	memset(a, 0, sizeof(*a));
	if (!(k->mv_size == 6 && p[0] == ADDR_V4) &&
	    !(k->mv_size == 18 && p[0] == ADDR_V6))
		return -1;
	a->af = p[0];
	memcpy(a->a, p + 1, k->mv_size - 2);
	a->len = p[k->mv_size - 1];
	if (a->len > ADDR_BITS(a))
		return -1;
	return 0;
}

/*
 * A text of a value: at most max bytes, and there when its length says
 * so. 0, or -1 with the message in errbuf.
 */
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
	if (store_addr_check(&e->prefix, errbuf, errlen) == -1 ||
	    store_text_check("actor", e->actor, e->actor_len, ACTOR_MAX,
	    errbuf, errlen) == -1 ||
	    store_text_check("reason", e->reason, e->reason_len, REASON_MAX,
	    errbuf, errlen) == -1)
		return -1;
	return 0;
}

/* Unpack a value; strings point into v. Does not set e->prefix. */
int
store_entry_decode(const MDB_val *v, struct store_entry *e)
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

/* Whether e has expired at now. */
int
store_expired(const struct store_entry *e, time_t now)
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

/* Begin a write txn, following a map grown by another process. */
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

/* Begin a read txn of its own (walks). */
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

/* Commit; the txn is gone either way. */
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

/*
 * Call fn on every record of dbi, in key order, in a read snapshot of its
 * own, until fn returns non-zero: 1 stops the walk, -1 is a corrupt
 * record (fn has set errbuf). what names the table in LMDB's errors.
 */
enum store_rc
store_table_walk(struct store *st, MDB_dbi dbi, const char *what,
    store_record_fn *fn, void *arg, char *errbuf, size_t errlen)
{
	MDB_cursor *cur = NULL;
	MDB_txn *txn = NULL;
	MDB_val k, v;
	enum store_rc ret = STORE_ERROR;
	int rc, r;

	if (store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if ((rc = mdb_cursor_open(txn, dbi, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(%s)", what);
		goto cleanup;
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
	if (cur != NULL)
		mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return ret;
}

static int
dbi_open(struct store *st, MDB_txn *txn, const char *name, MDB_dbi *dbi,
    const char *path, char *errbuf, size_t errlen)
{
	int rc;

	rc = mdb_dbi_open(txn, name, st->readonly ? 0 : MDB_CREATE, dbi);
	if (rc == MDB_NOTFOUND) {
		snprintf(errbuf, errlen, "database %s is not initialised "
		    "(no \"%s\" table)", path, name);
		return -1;
	}
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_dbi_open(%s)", name);
		return -1;
	}
	return 0;
}

/* Check the schema version, writing it into a new database. */
static int
schema_check(struct store *st, MDB_txn *txn, const char *path,
    char *errbuf, size_t errlen)
{
	uint32_t version = STORE_SCHEMA_VERSION;
	MDB_val k, v;
	int rc;

	k.mv_data = (void *)"schema";
	k.mv_size = strlen("schema");
	rc = mdb_get(txn, st->meta, &k, &v);
	if (rc == MDB_NOTFOUND) {
		if (st->readonly) {
			snprintf(errbuf, errlen, "database %s is not "
			    "initialised (no schema version)", path);
			return -1;
		}
		v.mv_data = &version;
		v.mv_size = sizeof(version);
		if ((rc = mdb_put(txn, st->meta, &k, &v, 0)) != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_put(meta)");
			return -1;
		}
		return 0;
	}
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(meta)");
		return -1;
	}
	if (v.mv_size != sizeof(version)) {
		snprintf(errbuf, errlen, "corrupt schema version in %s", path);
		return -1;
	}
	memcpy(&version, v.mv_data, sizeof(version));
	if (version != STORE_SCHEMA_VERSION) {
		snprintf(errbuf, errlen, "database schema version %u, this "
		    "program needs %d", version, STORE_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/* mkdir -p: create path and its missing parents, mode 0750. */
static int
mkdir_parents(const char *path)
{
	char buf[PATH_MAX], *p;

	if (str_copy(buf, path, sizeof(buf)) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0750) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0750) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

struct store *
store_open(const char *path, uint64_t map_size, int readonly, char *errbuf,
    size_t errlen)
{
	struct store *st;
	struct stat sb;
	MDB_envinfo info;
	MDB_txn *txn = NULL;
	char *datafile = NULL;
	int rc, fresh;

	st = xcalloc(1, sizeof(*st));
	st->readonly = readonly != 0;
	if (map_size > SIZE_MAX) {
		snprintf(errbuf, errlen, "map-size too large");
		goto fail;
	}
	if (!readonly && mkdir_parents(path) == -1) {
		snprintf(errbuf, errlen, "cannot create %s: %s", path,
		    strerror(errno));
		goto fail;
	}
	if ((rc = mdb_env_create(&st->env)) != 0) {
		st->env = NULL;
		store_err(st, rc, errbuf, errlen, "mdb_env_create");
		goto fail;
	}
	if ((rc = mdb_env_set_maxdbs(st->env, 16)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_env_set_maxdbs");
		goto fail;
	}
	/*
	 * A size set before mdb_env_open wins even when it is smaller than
	 * the file's, so set it only for a new file and grow an existing
	 * map after opening: the map only grows.
	 */
	xasprintf(&datafile, "%s/data.mdb", path);
	fresh = stat(datafile, &sb) == -1 && errno == ENOENT;
	if (fresh && !readonly && map_size > 0 &&
	    (rc = mdb_env_set_mapsize(st->env, (size_t)map_size)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_env_set_mapsize");
		goto fail;
	}
	rc = mdb_env_open(st->env, path,
	    MDB_NOTLS | (readonly ? MDB_RDONLY : 0), 0640);
	if (rc != 0) {
		snprintf(errbuf, errlen, "cannot open %s: %s", path,
		    mdb_strerror(rc));
		goto fail;
	}
	if (!fresh && !readonly && map_size > 0) {
		if ((rc = mdb_env_info(st->env, &info)) != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_env_info");
			goto fail;
		}
		if (info.me_mapsize < map_size &&
		    (rc = mdb_env_set_mapsize(st->env,
		    (size_t)map_size)) != 0) {
			store_err(st, rc, errbuf, errlen,
			    "mdb_env_set_mapsize");
			goto fail;
		}
	}

	if (readonly)
		rc = store_rtxn_begin(st, &txn, errbuf, errlen);
	else
		rc = store_wtxn_begin(st, &txn, errbuf, errlen);
	if (rc == -1)
		goto fail;
	if (dbi_open(st, txn, "black", &st->list[LIST_BLACK], path, errbuf,
	    errlen) == -1 ||
	    dbi_open(st, txn, "white", &st->list[LIST_WHITE], path, errbuf,
	    errlen) == -1 ||
	    dbi_open(st, txn, "meta", &st->meta, path, errbuf, errlen) == -1 ||
	    dbi_open(st, txn, "audit", &st->audit, path, errbuf,
	    errlen) == -1)
		goto fail;
	/*
	 * The cache came after schema version 1: a writer adds it to an
	 * older database, a reader of one sees an empty cache.
	 */
	rc = mdb_dbi_open(txn, "cache", st->readonly ? 0 : MDB_CREATE,
	    &st->cache);
	if (rc == 0)
		st->has_cache = 1;
	else if (rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_dbi_open(cache)");
		goto fail;
	}
	/* The request queue came later still, likewise. */
	rc = mdb_dbi_open(txn, "requests", st->readonly ? 0 : MDB_CREATE,
	    &st->req);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "reqindex", st->readonly ? 0 :
		    MDB_CREATE, &st->reqidx);
	if (rc == 0)
		st->has_req = 1;
	else if (rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_dbi_open(requests)");
		goto fail;
	}
	/*
	 * The expiry records came with the journal: a writer that adds them
	 * to an older database writes them for its entries.
	 */
	rc = mdb_dbi_open(txn, "expiry", 0, &st->expiry);
	if (rc == MDB_NOTFOUND && !st->readonly) {
		rc = mdb_dbi_open(txn, "expiry", MDB_CREATE, &st->expiry);
		if (rc == 0) {
			st->has_expiry = 1;
			if (store_expiry_fill(st, txn, errbuf, errlen) == -1)
				goto fail;
		}
	}
	if (rc == 0)
		st->has_expiry = 1;
	else if (rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_dbi_open(expiry)");
		goto fail;
	}
	/* The journal came later still, likewise. */
	rc = mdb_dbi_open(txn, "journal", st->readonly ? 0 : MDB_CREATE,
	    &st->journal);
	if (rc == 0)
		st->has_journal = 1;
	else if (rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_dbi_open(journal)");
		goto fail;
	}
	if (schema_check(st, txn, path, errbuf, errlen) == -1)
		goto fail;
	/* Committed, even read-only, so that the DBI handles stay open. */
	rc = store_txn_commit(st, txn, errbuf, errlen);
	txn = NULL;
	if (rc == -1)
		goto fail;

	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &st->rtxn)) != 0) {
		st->rtxn = NULL;
		store_err(st, rc, errbuf, errlen, "mdb_txn_begin");
		goto fail;
	}
	mdb_txn_reset(st->rtxn);
	free(datafile);
	return st;

fail:
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (st->env != NULL)
		mdb_env_close(st->env);
	free(datafile);
	free(st);
	return NULL;
}

void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	for (i = 0; i < 2; i++)
		if (st->rcur[i] != NULL)
			mdb_cursor_close(st->rcur[i]);
	if (st->rtxn != NULL)
		mdb_txn_abort(st->rtxn);
	mdb_env_close(st->env);
	ipx_free(st->ix);
	ipx_free(st->ixb);
	free(st);
}

/*
 * A second begin without an end starts a fresh snapshot (the strings of
 * earlier lookups are then no longer valid).
 */
enum store_rc
store_read_begin(struct store *st, char *errbuf, size_t errlen)
{
	int rc;

	if (st->held && st->reading)
		return STORE_OK;
	if (st->reading) {
		mdb_txn_reset(st->rtxn);
		st->reading = 0;
	}
	rc = mdb_txn_renew(st->rtxn);
	if (rc == MDB_MAP_RESIZED) {
		/* Another process grew the map: adopt its size. */
		if ((rc = mdb_env_set_mapsize(st->env, 0)) != 0) {
			store_err(st, rc, errbuf, errlen,
			    "mdb_env_set_mapsize");
			return STORE_ERROR;
		}
		rc = mdb_txn_renew(st->rtxn);
	}
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_txn_renew");
		return STORE_ERROR;
	}
	st->reading = 1;
	st->read_gen++;
	return STORE_OK;
}

void
store_read_end(struct store *st)
{
	if (st->reading && !st->held) {
		mdb_txn_reset(st->rtxn);
		st->reading = 0;
	}
}

void
store_read_hold(struct store *st)
{
	st->held = 1;
}

void
store_read_release(struct store *st)
{
	st->held = 0;
	store_read_end(st);
}

/*
 * The counts per prefix length of list l, family af, in the current read
 * snapshot: read once per snapshot that differs from the last one read,
 * so a busy daemon reads them once per write, not once per query.
 */
static const uint32_t *
lens_cached(struct store *st, enum store_list l, int af, char *errbuf,
    size_t errlen)
{
	size_t id = mdb_txn_id(st->rtxn);
	int i, j;

	if (id != st->lens_txnid) {
		st->lens_txnid = 0;
		for (i = 0; i < 2; i++)
			for (j = 0; j < 2; j++)
				if (store_lens_get(st, st->rtxn,
				    (enum store_list)i, j ? ADDR_V6 : ADDR_V4,
				    st->lens[i][j], errbuf, errlen) == -1)
					return NULL;
		if (store_journal_seq(st, st->rtxn, &st->snap_seq, errbuf,
		    errlen) == -1)
			return NULL;
		st->lens_txnid = id;
	}
	return st->lens[l][af == ADDR_V6];
}

/* The cursor of list l on the current read snapshot. */
static MDB_cursor *
read_cursor(struct store *st, enum store_list l, char *errbuf,
    size_t errlen)
{
	int rc = 0;

	if (st->rcur[l] == NULL)
		rc = mdb_cursor_open(st->rtxn, st->list[l], &st->rcur[l]);
	else if (st->rcur_gen[l] != st->read_gen)
		rc = mdb_cursor_renew(st->rtxn, st->rcur[l]);
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(%s)",
		    store_list_name(l));
		return NULL;
	}
	st->rcur_gen[l] = st->read_gen;
	return st->rcur[l];
}

/*
 * The entry of list l for exactly the masked prefix m, unless it has
 * expired at now: STORE_OK (*e filled), STORE_NOTFOUND or STORE_ERROR.
 */
enum store_rc
store_probe(struct store *st, enum store_list l, const struct addr *m,
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
		    store_list_name(l));
		return STORE_ERROR;
	}
	if (k.mv_size != ksize || memcmp(k.mv_data, kb, ksize) != 0)
		return STORE_NOTFOUND;	/* the next key: no entry for m */
	if (store_entry_decode(&v, e) == -1) {
		snprintf(errbuf, errlen, "corrupt entry %s in %s",
		    addr_format(m, text, sizeof(text)), store_list_name(l));
		return STORE_ERROR;
	}
	if (store_expired(e, now))
		return STORE_NOTFOUND;
	e->prefix = *m;
	return STORE_OK;
}

enum store_rc
store_lookup(struct store *st, enum store_list l, const struct addr *a,
    time_t now, int brief, struct store_entry *e, char *errbuf,
    size_t errlen)
{
	const uint32_t *c;
	enum store_rc rc;
	struct addr m;
	int len;

	if (!st->reading) {
		snprintf(errbuf, errlen, "store_lookup outside a read "
		    "snapshot");
		return STORE_ERROR;
	}
	if (store_list_check(l, errbuf, errlen) == -1 ||
	    store_addr_check(a, errbuf, errlen) == -1)
		return STORE_ERROR;
	if ((c = lens_cached(st, l, a->af, errbuf, errlen)) == NULL)
		return STORE_ERROR;
	if (st->ix != NULL && st->ix_seq == st->snap_seq && a->af == ADDR_V4)
		return store_index_lookup(st, l, a, now, brief, e, errbuf,
		    errlen);
	for (len = a->len; len >= 0; len--) {
		if (c[len] == 0)
			continue;
		m = *a;
		m.len = (uint8_t)len;
		addr_mask(&m);
		if ((rc = store_probe(st, l, &m, now, e, errbuf, errlen)) !=
		    STORE_NOTFOUND)
			return rc;
	}
	return STORE_NOTFOUND;
}
