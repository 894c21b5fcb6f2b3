/*
 * store.c -- the LMDB database: the environment, transactions and errors,
 * the black and white lists and the audit log. The journal, the expiry
 * index and the compact copy of the lists are in store_index.c, the
 * verdict cache in store_cache.c, the delisting queue in store_queue.c;
 * store_impl.h is what they share.
 *
 * Values are packed byte strings, read and written with memcpy because
 * the map gives no alignment guarantee. Integers inside values are in host
 * order, like LMDB's own file format (which does not move between byte
 * orders either); audit keys are big-endian so that they sort by number.
 *
 * Entry value: u32 flags, u32 code, i64 added, i64 expires, u16 actor
 * length, u16 reason length, actor bytes, reason bytes.
 * Audit value: i64 time, then NUL-terminated actor, action, list, entry
 * and reason.
 */
#include "config.h"

#include <sys/mman.h>
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

static int
list_check(enum store_list l, char *errbuf, size_t errlen)
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

/* Pack e into buf (ENTRY_MAXLEN bytes); returns the size. */
static size_t
entry_encode(uint8_t *buf, const struct store_entry *e)
{
	uint16_t al = (uint16_t)e->actor_len, rl = (uint16_t)e->reason_len;

	memcpy(buf, &e->flags, 4);
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

static int
expired(const struct store_entry *e, time_t now)
{
	return e->expires != 0 && e->expires <= (int64_t)now;
}

/* Audit text of an entry: the prefix, with "!" for an exclusion. */
static char *
entry_text(const struct addr *prefix, uint32_t flags, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	snprintf(buf, len, "%s%s", (flags & ENTRY_EXCLUDE) ? "!" : "",
	    addr_format(prefix, a, sizeof(a)));
	return buf;
}

static void
lens_key(MDB_val *k, char *buf, size_t len, enum store_list l, int af)
{
	int n;

	n = snprintf(buf, len, "lens:%s:%d", store_list_name(l), af);
	k->mv_data = buf;
	k->mv_size = n > 0 && (size_t)n < len ? (size_t)n : 0;
}

/* The counts per prefix length of list l, family af (zeros if none). */
int
store_lens_get(struct store *st, MDB_txn *txn, enum store_list l, int af,
    uint32_t *c, char *errbuf, size_t errlen)
{
	size_t size = NLENS(af) * sizeof(uint32_t);
	char kb[32];
	MDB_val k, v;
	int rc;

	lens_key(&k, kb, sizeof(kb), l, af);
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

/* Add the changes in d to the stored counts of list l. */
static int
lens_apply(struct store *st, MDB_txn *txn, enum store_list l, lens_delta d,
    char *errbuf, size_t errlen)
{
	uint32_t c[LENS_MAX];
	char kb[32];
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
		lens_key(&k, kb, sizeof(kb), l, af);
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
lens_count(lens_delta d, const struct addr *a, int64_t by)
{
	d[a->af == ADDR_V6][a->len] += by;
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

/*
 * Append an audit record inside txn. Strings may be NULL (empty); actor
 * and reason are given with a length and end at the first NUL.
 */
int
store_audit_put(struct store *st, MDB_txn *txn, const char *actor,
    size_t actor_len, const char *action, const char *list,
    const char *entry, const char *reason, size_t reason_len,
    char *errbuf, size_t errlen)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	uint8_t kb[8], *buf = NULL, *p;
	uint64_t seq = 1;
	int64_t now = (int64_t)time(NULL);
	size_t acl, ll, el, n;
	int rc, ret = -1;

	actor_len = actor ? strnlen(actor, actor_len) : 0;
	reason_len = reason ? strnlen(reason, reason_len) : 0;
	acl = action ? strlen(action) : 0;
	ll = list ? strlen(list) : 0;
	el = entry ? strlen(entry) : 0;

	if ((rc = mdb_cursor_open(txn, st->audit, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(audit)");
		goto cleanup;
	}
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == 0) {
		if (k.mv_size != 8) {
			snprintf(errbuf, errlen, "corrupt key in audit");
			goto cleanup;
		}
		seq = store_be64_get(k.mv_data) + 1;
	} else if (rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(audit)");
		goto cleanup;
	}
	mdb_cursor_close(cur);
	cur = NULL;

	store_be64_put(kb, seq);
	n = 8 + actor_len + acl + ll + el + reason_len + 5;
	p = buf = xmalloc(n);
	memcpy(p, &now, 8);
	p += 8;
#define PUTSTR(s, len) do {						\
	if ((len) > 0)							\
		memcpy(p, (s), (len));					\
	p += (len);							\
	*p++ = '\0';							\
} while (0)
	PUTSTR(actor, actor_len);
	PUTSTR(action, acl);
	PUTSTR(list, ll);
	PUTSTR(entry, el);
	PUTSTR(reason, reason_len);
#undef PUTSTR
	k.mv_data = kb;
	k.mv_size = sizeof(kb);
	v.mv_data = buf;
	v.mv_size = n;
	if ((rc = mdb_put(txn, st->audit, &k, &v, MDB_APPEND)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(audit)");
		goto cleanup;
	}
	ret = 0;
cleanup:
	if (cur != NULL)
		mdb_cursor_close(cur);
	free(buf);
	return ret;
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
	if (expired(e, now))
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
	if (list_check(l, errbuf, errlen) == -1 ||
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

/*
 * Put one entry inside txn. Sets *prefix to the masked prefix and *isnew
 * when no entry for it existed.
 */
static int
entry_put(struct store *st, MDB_txn *txn, enum store_list l,
    const struct store_entry *e, struct addr *prefix, int *isnew,
    char *errbuf, size_t errlen)
{
	uint8_t kb[KEY_MAXLEN], vb[ENTRY_MAXLEN];
	struct store_entry old;
	MDB_val k, v;
	int rc;

	if (store_entry_check(e, errbuf, errlen) == -1)
		return -1;
	*prefix = e->prefix;
	addr_mask(prefix);
	k.mv_data = kb;
	k.mv_size = store_key_make(kb, prefix);
	rc = mdb_get(txn, st->list[l], &k, &v);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_get(%s)",
		    store_list_name(l));
		return -1;
	}
	*isnew = rc == MDB_NOTFOUND;
	if (!*isnew && store_entry_decode(&v, &old) == 0 &&
	    store_expiry_put(st, txn, l, prefix, old.expires, 1, errbuf,
	    errlen) == -1)
		return -1;
	v.mv_data = vb;
	v.mv_size = entry_encode(vb, e);
	if ((rc = mdb_put(txn, st->list[l], &k, &v, 0)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(%s)",
		    store_list_name(l));
		return -1;
	}
	return store_expiry_put(st, txn, l, prefix, e->expires, 0, errbuf,
	    errlen);
}

/* Add an entry inside txn: the entry, the length counts, the audit. */
int
store_entry_add(struct store *st, MDB_txn *txn, enum store_list l,
    const struct store_entry *e, int *isnew, char *errbuf, size_t errlen)
{
	lens_delta d;
	struct addr prefix;
	char text[TEXT_MAXLEN];

	if (entry_put(st, txn, l, e, &prefix, isnew, errbuf, errlen) == -1 ||
	    store_journal_note(st, txn, l, &prefix, errbuf, errlen) == -1)
		return -1;
	if (*isnew) {
		memset(d, 0, sizeof(d));
		lens_count(d, &prefix, 1);
		if (lens_apply(st, txn, l, d, errbuf, errlen) == -1)
			return -1;
	}
	return store_audit_put(st, txn, e->actor, e->actor_len, "add",
	    store_list_name(l), entry_text(&prefix, e->flags, text,
	    sizeof(text)), e->reason, e->reason_len, errbuf, errlen);
}

enum store_rc
store_add(struct store *st, enum store_list l, const struct store_entry *e,
    int *replaced, char *errbuf, size_t errlen)
{
	MDB_txn *txn = NULL;
	int isnew;

	if (list_check(l, errbuf, errlen) == -1 ||
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

enum store_rc
store_del(struct store *st, enum store_list l, const struct addr *prefix,
    const char *actor, char *errbuf, size_t errlen)
{
	struct store_entry e;
	lens_delta d;
	struct addr m;
	uint8_t kb[KEY_MAXLEN];
	MDB_val k, v;
	MDB_txn *txn = NULL;
	char text[TEXT_MAXLEN];
	int rc;

	if (list_check(l, errbuf, errlen) == -1 ||
	    store_addr_check(prefix, errbuf, errlen) == -1)
		return STORE_ERROR;
	m = *prefix;
	addr_mask(&m);
	k.mv_data = kb;
	k.mv_size = store_key_make(kb, &m);
	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	rc = mdb_get(txn, st->list[l], &k, &v);
	if (rc == MDB_NOTFOUND) {
		mdb_txn_abort(txn);
		return STORE_NOTFOUND;
	}
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(%s)",
		    store_list_name(l));
		goto fail;
	}
	if (store_entry_decode(&v, &e) == -1) {
		e.flags = 0;	/* delete a corrupt entry all the same */
		e.expires = 0;
	}
	entry_text(&m, e.flags, text, sizeof(text));
	if (store_expiry_put(st, txn, l, &m, e.expires, 1, errbuf,
	    errlen) == -1)
		goto fail;
	if ((rc = mdb_del(txn, st->list[l], &k, NULL)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_del(%s)",
		    store_list_name(l));
		goto fail;
	}
	memset(d, 0, sizeof(d));
	lens_count(d, &m, -1);
	if (lens_apply(st, txn, l, d, errbuf, errlen) == -1 ||
	    store_journal_note(st, txn, l, &m, errbuf, errlen) == -1)
		goto fail;
	if (store_audit_put(st, txn, actor, actor ? strlen(actor) : 0, "del",
	    store_list_name(l), text, "", 0, errbuf, errlen) == -1)
		goto fail;
	if (store_txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	return STORE_OK;

fail:
	mdb_txn_abort(txn);
	return STORE_ERROR;
}

enum store_rc
store_bulk_add(struct store *st, enum store_list l, store_iter_fn *next,
    void *arg, const char *actor, const char *what, size_t batch,
    size_t *count, char *errbuf, size_t errlen)
{
	struct store_entry e;
	lens_delta d;
	struct addr prefix;
	MDB_txn *txn = NULL;
	char reason[128];
	size_t total = 0, n;
	int r, isnew, end = 0;

	if (count != NULL)
		*count = 0;
	if (list_check(l, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (batch == 0)
		batch = 1;
	while (!end) {
		if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
			goto fail;
		memset(d, 0, sizeof(d));
		for (n = 0; n < batch; n++) {
			memset(&e, 0, sizeof(e));
			r = next(arg, &e);
			if (r == 0) {
				end = 1;
				break;
			}
			if (r < 0) {
				snprintf(errbuf, errlen, "import of %s "
				    "stopped at entry %zu (%zu committed)",
				    what ? what : "", total + n + 1, total);
				goto fail;
			}
			if (entry_put(st, txn, l, &e, &prefix, &isnew, errbuf,
			    errlen) == -1)
				goto fail;
			if (isnew)
				lens_count(d, &prefix, 1);
		}
		if (lens_apply(st, txn, l, d, errbuf, errlen) == -1 ||
		    store_journal_note(st, txn, l, NULL, errbuf, errlen) == -1)
			goto fail;
		if (end) {
			snprintf(reason, sizeof(reason), "%zu entries",
			    total + n);
			if (store_audit_put(st, txn, actor,
			    actor ? strlen(actor) : 0, "import",
			    store_list_name(l), what, reason, strlen(reason),
			    errbuf, errlen) == -1)
				goto fail;
		}
		r = store_txn_commit(st, txn, errbuf, errlen);
		txn = NULL;
		if (r == -1)
			goto fail;
		total += n;
	}
	if (count != NULL)
		*count = total;
	return STORE_OK;

fail:
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (count != NULL)
		*count = total;
	if (total > 0) {
		/*
		 * Earlier batches stay committed: record them. Best effort,
		 * the error already in errbuf is the one to report.
		 */
		snprintf(reason, sizeof(reason), "%zu entries (incomplete)",
		    total);
		(void)store_audit_add(st, actor, "import", store_list_name(l),
		    what, reason, NULL, 0);
	}
	return STORE_ERROR;
}

enum store_rc
store_walk(struct store *st, enum store_list l, store_walk_fn *cb, void *arg,
    char *errbuf, size_t errlen)
{
	struct store_entry e;
	MDB_cursor *cur = NULL;
	MDB_txn *txn = NULL;
	MDB_val k, v;
	enum store_rc ret = STORE_ERROR;
	int rc;

	if (list_check(l, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if ((rc = mdb_cursor_open(txn, st->list[l], &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(%s)",
		    store_list_name(l));
		goto cleanup;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (store_key_parse(&k, &e.prefix) == -1 ||
		    store_entry_decode(&v, &e) == -1) {
			snprintf(errbuf, errlen, "corrupt entry in %s",
			    store_list_name(l));
			goto cleanup;
		}
		if (cb(arg, &e) != 0)
			break;
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(%s)",
		    store_list_name(l));
		goto cleanup;
	}
	ret = STORE_OK;
cleanup:
	if (cur != NULL)
		mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return ret;
}

/*
 * Put cur on the first key at or after pos (pos->keylen 0: the first key of
 * all).
 */
static int
purge_seek(MDB_cursor *cur, struct store_purge_pos *pos, MDB_val *k,
    MDB_val *v)
{
	if (pos->keylen == 0)
		return mdb_cursor_get(cur, k, v, MDB_FIRST);
	k->mv_data = pos->key;
	k->mv_size = pos->keylen;
	return mdb_cursor_get(cur, k, v, MDB_SET_RANGE);
}

/* Remember k as where the next step starts. */
static void
purge_stop(struct store_purge_pos *pos, const MDB_val *k)
{
	pos->keylen = k->mv_size <= sizeof(pos->key) ? k->mv_size : 0;
	memcpy(pos->key, k->mv_data, pos->keylen);
}

/*
 * Delete the list entry behind one expiry record (key kb, kl bytes) if
 * it has expired at now, with its audit and journal records, counting
 * it in d and *purged. A record whose entry is gone or no longer has
 * that expiry is only stale.
 */
static int
purge_entry(struct store *st, MDB_txn *txn, const uint8_t *kb, size_t kl,
    time_t now, const char *actor, lens_delta d[2], size_t *purged,
    char *errbuf, size_t errlen)
{
	struct store_entry e;
	enum store_list l = kb[8] ? LIST_WHITE : LIST_BLACK;
	MDB_val ek, ev;
	char text[TEXT_MAXLEN], reason[REASON_MAX];
	size_t rl;
	int rc;

	ek.mv_data = (void *)(kb + 9);
	ek.mv_size = kl - 9;
	if (store_key_parse(&ek, &e.prefix) == -1)
		return 0;
	rc = mdb_get(txn, st->list[l], &ek, &ev);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(%s)",
		    store_list_name(l));
		return -1;
	}
	if (store_entry_decode(&ev, &e) == -1 || !expired(&e, now) ||
	    (uint64_t)e.expires != store_be64_get(kb))
		return 0;
	/* Copy what the audit needs: the value goes with the del. */
	entry_text(&e.prefix, e.flags, text, sizeof(text));
	rl = e.reason_len < sizeof(reason) ? e.reason_len : sizeof(reason);
	if (rl > 0)
		memcpy(reason, e.reason, rl);
	lens_count(d[l], &e.prefix, -1);
	if ((rc = mdb_del(txn, st->list[l], &ek, NULL)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_del(%s)",
		    store_list_name(l));
		return -1;
	}
	if (store_journal_note(st, txn, l, &e.prefix, errbuf, errlen) == -1 ||
	    store_audit_put(st, txn, actor, actor ? strlen(actor) : 0, "expire",
	    store_list_name(l), text, reason, rl, errbuf, errlen) == -1)
		return -1;
	(*purged)++;
	return 0;
}

/*
 * Delete the list entries expired at now, inside txn, through the expiry
 * records, soonest first: an entry that does not expire is never looked
 * at. At most *left records (counted down). Returns 1 when stopped by
 * *left, 0 when no expired record is left, -1 on an error.
 */
static int
purge_lists(struct store *st, MDB_txn *txn, time_t now, const char *actor,
    size_t *purged, size_t *left, char *errbuf, size_t errlen)
{
	lens_delta d[2];
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	uint8_t kb[EXPIRY_KEYMAX];
	size_t kl;
	int rc, ret = -1;

	if (!st->has_expiry)
		return 0;
	memset(d, 0, sizeof(d));
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
		if ((rc = mdb_cursor_del(cur, 0)) != 0) {
			store_err(st, rc, errbuf, errlen,
			    "mdb_cursor_del(expiry)");
			goto cleanup;
		}
		if (kl > 0 && purge_entry(st, txn, kb, kl, now, actor, d,
		    purged, errbuf, errlen) == -1)
			goto cleanup;
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(expiry)");
		goto cleanup;
	}
	if (lens_apply(st, txn, LIST_BLACK, d[LIST_BLACK], errbuf,
	    errlen) == -1 ||
	    lens_apply(st, txn, LIST_WHITE, d[LIST_WHITE], errbuf,
	    errlen) == -1)
		goto cleanup;
	ret = rc == 0 && *left == 0;
cleanup:
	if (cur != NULL)
		mdb_cursor_close(cur);
	return ret;
}

/*
 * Delete the cached verdicts expired at now, inside txn, without audit
 * records: a cache entry is not a list entry. A value too short to hold
 * an expiry is deleted too rather than stopping every purge. pos, *left
 * and the return value as for purge_lists.
 */
static int
purge_cache(struct store *st, MDB_txn *txn, time_t now,
    struct store_purge_pos *pos, size_t *left, char *errbuf, size_t errlen)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	int64_t expires;
	int rc, ret = -1;

	if (!st->has_cache)
		return 0;
	if ((rc = mdb_cursor_open(txn, st->cache, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(cache)");
		goto cleanup;
	}
	for (rc = purge_seek(cur, pos, &k, &v); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (*left == 0) {
			purge_stop(pos, &k);
			break;
		}
		(*left)--;
		if (v.mv_size >= VERDICT_HDRLEN) {
			memcpy(&expires, (const uint8_t *)v.mv_data + 12, 8);
			if (expires > (int64_t)now)
				continue;
		}
		if ((rc = mdb_cursor_del(cur, 0)) != 0) {
			store_err(st, rc, errbuf, errlen,
			    "mdb_cursor_del(cache)");
			goto cleanup;
		}
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(cache)");
		goto cleanup;
	}
	ret = rc == 0;
cleanup:
	if (cur != NULL)
		mdb_cursor_close(cur);
	return ret;
}

/* Purge inside txn from pos on, looking at *left entries at most. */
static int
purge_steps(struct store *st, MDB_txn *txn, time_t now, const char *actor,
    struct store_purge_pos *pos, size_t *left, size_t *purged,
    char *errbuf, size_t errlen)
{
	int r;

	while (pos->stage < PURGE_DONE) {
		switch (pos->stage) {
		case PURGE_LISTS:
			r = purge_lists(st, txn, now, actor, purged, left,
			    errbuf, errlen);
			break;
		default:
			r = purge_cache(st, txn, now, pos, left, errbuf,
			    errlen);
			break;
		}
		if (r == -1)
			return -1;
		if (r == 1)
			return 0;
		pos->stage++;
		pos->keylen = 0;
	}
	return 0;
}

enum store_rc
store_purge(struct store *st, time_t now, const char *actor, size_t *purged,
    char *errbuf, size_t errlen)
{
	struct store_purge_pos pos;
	MDB_txn *txn = NULL;
	size_t n = 0, left = SIZE_MAX;

	if (purged != NULL)
		*purged = 0;
	memset(&pos, 0, sizeof(pos));
	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (purge_steps(st, txn, now, actor, &pos, &left, &n, errbuf,
	    errlen) == -1) {
		mdb_txn_abort(txn);
		return STORE_ERROR;
	}
	if (store_txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (purged != NULL)
		*purged = n;
	return STORE_OK;
}

enum store_rc
store_purge_step(struct store *st, time_t now, const char *actor,
    struct store_purge_pos *pos, size_t max, size_t *purged, char *errbuf,
    size_t errlen)
{
	struct store_purge_pos keep = *pos;
	MDB_txn *txn = NULL;
	size_t n = 0;

	if (pos->stage >= PURGE_DONE)
		return STORE_OK;
	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (purge_steps(st, txn, now, actor, pos, &max, &n, errbuf,
	    errlen) == -1) {
		mdb_txn_abort(txn);
		*pos = keep;
		return STORE_ERROR;
	}
	if (store_txn_commit(st, txn, errbuf, errlen) == -1) {
		*pos = keep;
		return STORE_ERROR;
	}
	if (purged != NULL)
		*purged += n;
	return STORE_OK;
}

enum store_rc
store_audit_add(struct store *st, const char *actor, const char *action,
    const char *list, const char *entry, const char *reason, char *errbuf,
    size_t errlen)
{
	MDB_txn *txn = NULL;

	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (store_audit_put(st, txn, actor, actor ? strlen(actor) : 0, action,
	    list, entry, reason, reason ? strlen(reason) : 0, errbuf,
	    errlen) == -1) {
		mdb_txn_abort(txn);
		return STORE_ERROR;
	}
	if (store_txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	return STORE_OK;
}

/* Split an audit value copied (NUL-terminated) into buf. */
static int
audit_decode(char *buf, size_t n, struct store_audit *a)
{
	const char **f[5];
	char *p = buf + 8, *end = buf + n, *z;
	int i;

	if (n < 8 + 5)
		return -1;
	memcpy(&a->time, buf, 8);
	f[0] = &a->actor;
	f[1] = &a->action;
	f[2] = &a->list;
	f[3] = &a->entry;
	f[4] = &a->reason;
	for (i = 0; i < 5; i++) {
		if (p >= end || (z = memchr(p, '\0', (size_t)(end - p))) ==
		    NULL)
			return -1;
		*f[i] = p;
		p = z + 1;
	}
	return 0;
}

enum store_rc
store_audit_walk(struct store *st, store_audit_fn *cb, void *arg,
    char *errbuf, size_t errlen)
{
	struct store_audit a;
	MDB_cursor *cur = NULL;
	MDB_txn *txn = NULL;
	MDB_val k, v;
	enum store_rc ret = STORE_ERROR;
	char *buf = NULL;
	size_t bufsize = 0;
	int rc;

	if (store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if ((rc = mdb_cursor_open(txn, st->audit, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(audit)");
		goto cleanup;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8) {
			snprintf(errbuf, errlen, "corrupt key in audit");
			goto cleanup;
		}
		a.seq = store_be64_get(k.mv_data);
		if (v.mv_size + 1 > bufsize) {
			bufsize = v.mv_size + 1;
			buf = xreallocarray(buf, bufsize, 1);
		}
		memcpy(buf, v.mv_data, v.mv_size);
		buf[v.mv_size] = '\0';
		if (audit_decode(buf, v.mv_size, &a) == -1) {
			snprintf(errbuf, errlen, "corrupt audit record %llu",
			    (unsigned long long)a.seq);
			goto cleanup;
		}
		if (cb(arg, &a) != 0)
			break;
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(audit)");
		goto cleanup;
	}
	ret = STORE_OK;
cleanup:
	if (cur != NULL)
		mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	free(buf);
	return ret;
}
