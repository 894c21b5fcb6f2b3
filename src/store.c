/* SPDX-License-Identifier: ISC */
/*
 * store.c -- open and close the LMDB environment, and bring a database
 * made by an older version up to date: a writer adds the tables it lacks
 * (and writes the expiry records of its entries), a reader sees them
 * empty.
 *
 * "meta": "schema" -> u32 version (STORE_SCHEMA_VERSION).
 *
 * The lists: "black" and "white" are tables of their own names, ids 0
 * and 1. A named list (store_list_open) is the table "l:NAME"; "meta"
 * keeps its registration, "list:NAME" -> u8 id, u8 enum list_kind, and
 * "listid:ID" (decimal) -> NAME, so that a record that carries only the
 * id (journal, expiry) finds its table. Ids are never reused. A
 * database made before named lists has none and needs no change.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "store_base.h"
#include "store_index.h"
#include "store_journal.h"
#include "util.h"

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

/*
 * Open a table that came after schema version 1: a writer adds it to an
 * older database (*has set), a reader of one sees it empty (*has 0).
 */
static int
later_table(struct store *st, MDB_txn *txn, const char *name, MDB_dbi *dbi,
    int *has, char *errbuf, size_t errlen)
{
	int rc;

	rc = mdb_dbi_open(txn, name, st->readonly ? 0 : MDB_CREATE, dbi);
	if (rc == 0)
		*has = 1;
	else if (rc != MDB_NOTFOUND) {
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

/* Write the expiry records of every entry (a database made before them). */
static int
expiry_fill(struct store *st, MDB_txn *txn, char *errbuf, size_t errlen)
{
	struct store_entry e;
	struct store_vmemo memo;
	MDB_cursor *cur;
	MDB_val k, v;
	int l, rc;

	memset(&memo, 0, sizeof(memo));
	for (l = 0; l < 2; l++) {
		if ((rc = mdb_cursor_open(txn, st->lists[l].dbi, &cur)) != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_cursor_open");
			return -1;
		}
		for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
		    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
			if (store_key_parse(&k, &e.prefix) == 0 &&
			    store_entry_decode(st, txn, (unsigned)l, &v, &e,
			    &memo) == 0 &&
			    store_expiry_put(st, txn, (unsigned)l, k.mv_data,
			    k.mv_size, e.expires, 0, errbuf, errlen) == -1) {
				mdb_cursor_close(cur);
				return -1;
			}
		mdb_cursor_close(cur);
		if (rc != MDB_NOTFOUND) {
			store_err(st, rc, errbuf, errlen, "mdb_cursor_get");
			return -1;
		}
	}
	return 0;
}

static void
builtin(struct store *st, unsigned id, const char *name)
{
	st->lists[id].open = 1;
	st->lists[id].kind = LIST_KIND_IP;
	str_copy(st->lists[id].name, name, sizeof(st->lists[id].name));
}

static void
reg_key(MDB_val *k, char *buf, size_t len, const char *name)
{
	k->mv_size = (size_t)snprintf(buf, len, "list:%s", name);
	k->mv_data = buf;
}

static void
id_key(MDB_val *k, char *buf, size_t len, unsigned id)
{
	k->mv_size = (size_t)snprintf(buf, len, "listid:%u", id);
	k->mv_data = buf;
}

/*
 * Open the table of the registered list name (id, kind) inside txn. A
 * handle opened in txn lives on once txn commits, and is gone if it
 * aborts: the caller commits, or forgets the list again.
 */
static int
list_table_open(struct store *st, MDB_txn *txn, const char *name,
    unsigned id, int kind, unsigned flags, char *errbuf, size_t errlen)
{
	struct store_lh *lh = &st->lists[id];
	char table[STORE_LIST_NAMEMAX + 3];
	int rc;

	if (id < 2 || id >= STORE_LISTS_MAX || kind < LIST_KIND_IP ||
	    kind > LIST_KIND_DOMAIN || strlen(name) > STORE_LIST_NAMEMAX) {
		snprintf(errbuf, errlen, "corrupt registration of list %s",
		    name);
		return -1;
	}
	snprintf(table, sizeof(table), "l:%s", name);
	if ((rc = mdb_dbi_open(txn, table, flags, &lh->dbi)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_dbi_open(%s)", table);
		return -1;
	}
	lh->open = 1;
	lh->kind = (enum list_kind)kind;
	lh->lens_txnid = 0;
	str_copy(lh->name, name, sizeof(lh->name));
	return 0;
}

/* Open every registered list that is not open yet, inside txn. */
static int
lists_read(struct store *st, MDB_txn *txn, char *errbuf, size_t errlen)
{
	char kb[32], name[STORE_LIST_NAMEMAX + 1];
	const uint8_t *p;
	MDB_val k, v, r;
	unsigned id;
	int rc;

	for (id = 2; id < STORE_LISTS_MAX; id++) {
		if (st->lists[id].open)
			continue;
		id_key(&k, kb, sizeof(kb), id);
		if ((rc = mdb_get(txn, st->meta, &k, &v)) == MDB_NOTFOUND)
			continue;
		if (rc != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_get(meta)");
			return -1;
		}
		if (v.mv_size == 0 || v.mv_size > STORE_LIST_NAMEMAX) {
			snprintf(errbuf, errlen, "corrupt %s in meta", kb);
			return -1;
		}
		memcpy(name, v.mv_data, v.mv_size);
		name[v.mv_size] = '\0';
		reg_key(&k, kb, sizeof(kb), name);
		if ((rc = mdb_get(txn, st->meta, &k, &r)) != 0 ||
		    r.mv_size != 2 || *(p = r.mv_data) != id) {
			snprintf(errbuf, errlen, "corrupt registration of "
			    "list %s", name);
			return -1;
		}
		if (list_table_open(st, txn, name, id, p[1], 0, errbuf,
		    errlen) == -1)
			return -1;
	}
	return 0;
}

/* Register list name of kind inside a write txn: its id in *id. */
static int
list_register(struct store *st, MDB_txn *txn, const char *name,
    enum list_kind kind, unsigned *id, char *errbuf, size_t errlen)
{
	char kb[32];
	uint8_t reg[2];
	MDB_val k, v;
	int rc;

	for (*id = 2; *id < STORE_LISTS_MAX; (*id)++) {
		id_key(&k, kb, sizeof(kb), *id);
		if ((rc = mdb_get(txn, st->meta, &k, &v)) == MDB_NOTFOUND)
			break;
		if (rc != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_get(meta)");
			return -1;
		}
	}
	if (*id == STORE_LISTS_MAX) {
		snprintf(errbuf, errlen, "no room for list %s: a database "
		    "holds at most %d lists", name, STORE_LISTS_MAX);
		return -1;
	}
	v.mv_data = (void *)name;
	v.mv_size = strlen(name);
	if ((rc = mdb_put(txn, st->meta, &k, &v, 0)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(meta)");
		return -1;
	}
	reg[0] = (uint8_t)*id;
	reg[1] = (uint8_t)kind;
	reg_key(&k, kb, sizeof(kb), name);
	v.mv_data = reg;
	v.mv_size = sizeof(reg);
	if ((rc = mdb_put(txn, st->meta, &k, &v, 0)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(meta)");
		return -1;
	}
	return list_table_open(st, txn, name, *id, kind, MDB_CREATE, errbuf,
	    errlen);
}

/* The lists open now, a bit each (STORE_LISTS_MAX is 64). */
static uint64_t
open_mask(const struct store *st)
{
	uint64_t m = 0;
	unsigned l;

	for (l = 0; l < STORE_LISTS_MAX; l++)
		if (st->lists[l].open)
			m |= (uint64_t)1 << l;
	return m;
}

/* After an aborted txn: its handles are gone, so are the lists it opened. */
static void
forget_since(struct store *st, uint64_t before)
{
	unsigned l;

	for (l = 0; l < STORE_LISTS_MAX; l++)
		if (!(before & ((uint64_t)1 << l)))
			st->lists[l].open = 0;
}

/*
 * Open in a txn of its own (a write txn if write) the lists registered
 * since this process read them, and with register set, register name.
 */
static int
lists_update(struct store *st, int write, const char *name,
    enum list_kind kind, char *errbuf, size_t errlen)
{
	MDB_txn *txn = NULL;
	uint64_t before = open_mask(st);
	unsigned id;
	int rc;

	rc = write ? store_wtxn_begin(st, &txn, errbuf, errlen) :
	    store_rtxn_begin(st, &txn, errbuf, errlen);
	if (rc == -1)
		return -1;
	if (lists_read(st, txn, errbuf, errlen) == -1 ||
	    (name != NULL && store_list_lookup(st, name) == -1 &&
	    list_register(st, txn, name, kind, &id, errbuf, errlen) == -1)) {
		mdb_txn_abort(txn);
		forget_since(st, before);
		return -1;
	}
	if (store_txn_commit(st, txn, errbuf, errlen) == -1) {
		forget_since(st, before);
		return -1;
	}
	return 0;
}

enum store_rc
store_list_open(struct store *st, const char *name, enum list_kind kind,
    int create, unsigned *id, char *errbuf, size_t errlen)
{
	int l;

	if (!list_name_valid(name)) {
		snprintf(errbuf, errlen, "bad list name \"%.40s\"", name);
		return STORE_ERROR;
	}
	/* not open: perhaps registered since this process read the lists */
	if ((l = store_list_lookup(st, name)) == -1) {
		if (lists_update(st, 0, NULL, kind, errbuf, errlen) == -1)
			return STORE_ERROR;
		l = store_list_lookup(st, name);
	}
	if (l == -1) {
		if (!create || st->readonly)
			return STORE_NOTFOUND;
		if (lists_update(st, 1, name, kind, errbuf, errlen) == -1)
			return STORE_ERROR;
		if ((l = store_list_lookup(st, name)) == -1) {
			snprintf(errbuf, errlen, "list %s not registered",
			    name);
			return STORE_ERROR;
		}
	}
	if (st->lists[l].kind != kind) {
		snprintf(errbuf, errlen, "list %s is %s list in the database, "
		    "not %s list", name, st->lists[l].kind == LIST_KIND_IP ?
		    "an ip" : "a domain", kind == LIST_KIND_IP ? "an ip" :
		    "a domain");
		return STORE_ERROR;
	}
	*id = (unsigned)l;
	return STORE_OK;
}

int
store_list_refresh(struct store *st, char *errbuf, size_t errlen)
{
	return lists_update(st, 0, NULL, LIST_KIND_IP, errbuf, errlen);
}

/* The name of user uid, or its number. */
static void
user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		str_copy(buf, pw->pw_name, len);
	else
		snprintf(buf, len, "%lu", (unsigned long)uid);
}

/*
 * Permission denied on the database path (doing what): which file, the
 * user, the owner, and what to run.
 */
static void
denied(const char *path, const char *what, char *errbuf, size_t errlen)
{
	static const char *const files[] = { "data.mdb", "lock.mdb" };
	char f[PATH_MAX], user[64], owner[64];
	const char *which = path;
	struct stat sb;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(f, sizeof(f), "%s/%s", path, files[i]);
		if (access(f, F_OK) == 0 && access(f, R_OK | W_OK) == -1) {
			which = f;
			break;
		}
	}
	user_name(geteuid(), user, sizeof(user));
	if (stat(which, &sb) == 0)
		user_name(sb.st_uid, owner, sizeof(owner));
	else if (stat(path, &sb) == 0)
		user_name(sb.st_uid, owner, sizeof(owner));
	else
		str_copy(owner, "?", sizeof(owner));
	snprintf(errbuf, errlen, "cannot %s: %s: permission denied for user "
	    "%s (it belongs to %s; rdnsbld and rdnsblctl need to read and "
	    "write the database): run this as %s (sudo -u %s ...), or give "
	    "%s the database: chown -R %s %s", what, which, user, owner,
	    owner, owner, user, user, path);
}

/*
 * Create the database directory path, mode STORE_DIR_MODE whatever the
 * umask, when missing: only its last component, so that a typo in
 * database: is an error rather than a new tree of directories with
 * empty lists in it.
 */
static int
mkdir_last(const char *path, char *errbuf, size_t errlen)
{
	char parent[PATH_MAX], *slash;

	if (mkdir(path, 0700) == 0) {
		if (chmod(path, STORE_DIR_MODE) == -1) {
			snprintf(errbuf, errlen, "chmod %s: %s", path,
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	if (errno == ENOENT) {
		if (str_copy(parent, path, sizeof(parent)) >= sizeof(parent))
			parent[0] = '\0';
		if ((slash = strrchr(parent, '/')) != NULL)
			*(slash == parent ? slash + 1 : slash) = '\0';
		snprintf(errbuf, errlen, "cannot create the database "
		    "directory %s: its parent directory %s does not exist "
		    "(only the last component is created: check database: "
		    "for a typo, or create the parent first: mkdir -p %s)",
		    path, parent, parent);
	} else if (errno == EACCES)
		denied(path, "create the database directory in its parent",
		    errbuf, errlen);
	else
		snprintf(errbuf, errlen, "cannot create %s: %s", path,
		    strerror(errno));
	return -1;
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
	mode_t oldmask;
	int rc, fresh;

	st = xcalloc(1, sizeof(*st));
	st->readonly = readonly != 0;
	if (map_size > SIZE_MAX) {
		snprintf(errbuf, errlen, "map-size too large");
		goto fail;
	}
	/*
	 * The database is shared with a group (rdnsbld's and the operators'
	 * who run rdnsblctl): the directory is made 2770 (its files take its
	 * group) and the files 0660, whatever the umask says of the group;
	 * nothing is ever open to others.
	 */
	if (!readonly && mkdir_last(path, errbuf, errlen) == -1)
		goto fail;
	if ((rc = mdb_env_create(&st->env)) != 0) {
		st->env = NULL;
		store_err(st, rc, errbuf, errlen, "mdb_env_create");
		goto fail;
	}
	if ((rc = mdb_env_set_maxdbs(st->env, 16 + STORE_LISTS_MAX)) != 0) {
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
	oldmask = umask(S_IRWXO);
	rc = mdb_env_open(st->env, path,
	    MDB_NOTLS | (readonly ? MDB_RDONLY : 0), STORE_FILE_MODE);
	umask(oldmask);
	if (rc == EACCES)
		denied(path, "open the database", errbuf, errlen);
	if (rc != 0) {
		if (rc != EACCES)
			snprintf(errbuf, errlen, "cannot open %s: %s", path,
			    mdb_strerror(rc));
		goto fail;
	}
	/*
	 * A process killed inside a read transaction (rdnsblctl under
	 * kill -9) leaves its reader slot taken; without this, 126 of
	 * them make every reader fail with MDB_READERS_FULL.
	 */
	if ((rc = mdb_reader_check(st->env, NULL)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_reader_check");
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
	if (dbi_open(st, txn, "black", &st->lists[LIST_BLACK].dbi, path,
	    errbuf, errlen) == -1 ||
	    dbi_open(st, txn, "white", &st->lists[LIST_WHITE].dbi, path,
	    errbuf, errlen) == -1 ||
	    dbi_open(st, txn, "meta", &st->meta, path, errbuf, errlen) == -1 ||
	    dbi_open(st, txn, "audit", &st->audit, path, errbuf,
	    errlen) == -1)
		goto fail;
	/* The cache came after schema version 1. */
	if (later_table(st, txn, "cache", &st->cache, &st->has_cache, errbuf,
	    errlen) == -1)
		goto fail;
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
			if (expiry_fill(st, txn, errbuf, errlen) == -1)
				goto fail;
		}
	}
	if (rc == 0)
		st->has_expiry = 1;
	else if (rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_dbi_open(expiry)");
		goto fail;
	}
	/* The journal came later still, and the statistics per rule. */
	if (later_table(st, txn, "journal", &st->journal, &st->has_journal,
	    errbuf, errlen) == -1 ||
	    later_table(st, txn, "stats", &st->stats, &st->has_stats, errbuf,
	    errlen) == -1)
		goto fail;
	if (schema_check(st, txn, path, errbuf, errlen) == -1)
		goto fail;
	builtin(st, LIST_BLACK, "black");
	builtin(st, LIST_WHITE, "white");
	if (lists_read(st, txn, errbuf, errlen) == -1)
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
	for (i = 0; i < STORE_LISTS_MAX; i++)
		if (st->rcur[i] != NULL)
			mdb_cursor_close(st->rcur[i]);
	if (st->rtxn != NULL)
		mdb_txn_abort(st->rtxn);
	mdb_env_close(st->env);
	store_index_free(st);
	free(st);
}

/* An LMDB error that says the file is damaged. */
static int
corrupt_rc(int rc)
{
	return rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND ||
	    rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH ||
	    rc == MDB_BAD_TXN || rc == MDB_INCOMPATIBLE;
}

/*
 * The child of store_verify: read every table of the environment at
 * PATH, every key and value, through LMDB. Exits 0 when all of it
 * reads, 1 with the LMDB error written to FD, 2 when the environment
 * does not open for another reason than damage; a page that LMDB cannot
 * follow ends it with a signal.
 */
static void
verify_child(const char *path, int fd)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_cursor *cur, *sub;
	MDB_dbi dbi;
	MDB_val k, d, sk, sd;
	char msg[512], name[256];
	const volatile unsigned char *b;
	size_t i;
	int rc, src, devnull;

	/* a sanitizer's report of the crash is this function's result */
	if ((devnull = open("/dev/null", O_WRONLY)) != -1)
		(void)dup2(devnull, STDERR_FILENO);
	/*
	 * Not opening (permissions, a read-only file system, no reader
	 * slot) is no corruption: store_open says what it is.
	 */
	if (mdb_env_create(&env) != 0 ||
	    mdb_env_set_maxdbs(env, 64 + STORE_LISTS_MAX) != 0 ||
	    mdb_env_open(env, path, MDB_RDONLY | MDB_NOTLS, 0) != 0)
		_exit(2);
	(void)mdb_reader_check(env, NULL);
	if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) != 0 ||
	    (rc = mdb_cursor_open(txn, 0, &cur)) != 0) {
		if (!corrupt_rc(rc))
			_exit(2);
		snprintf(msg, sizeof(msg), "%s", mdb_strerror(rc));
		goto fail;
	}
	/* the main table names the others */
	for (rc = mdb_cursor_get(cur, &k, &d, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &d, MDB_NEXT)) {
		if (k.mv_size == 0 || k.mv_size >= sizeof(name))
			continue;
		memcpy(name, k.mv_data, k.mv_size);
		name[k.mv_size] = '\0';
		if (strlen(name) != k.mv_size ||
		    mdb_dbi_open(txn, name, 0, &dbi) != 0)
			continue;	/* a key, not a table */
		if ((src = mdb_cursor_open(txn, dbi, &sub)) != 0) {
			snprintf(msg, sizeof(msg), "table %s: %s", name,
			    mdb_strerror(src));
			goto fail;
		}
		for (src = mdb_cursor_get(sub, &sk, &sd, MDB_FIRST);
		    src == 0; src = mdb_cursor_get(sub, &sk, &sd, MDB_NEXT)) {
			b = sk.mv_data;
			for (i = 0; i < sk.mv_size; i++)
				(void)b[i];	/* volatile: read */
			b = sd.mv_data;
			for (i = 0; i < sd.mv_size; i++)
				(void)b[i];	/* volatile: read */
		}
		if (src != MDB_NOTFOUND) {
			snprintf(msg, sizeof(msg), "table %s: %s", name,
			    mdb_strerror(src));
			goto fail;
		}
		mdb_cursor_close(sub);
	}
	if (rc != MDB_NOTFOUND) {
		snprintf(msg, sizeof(msg), "%s", mdb_strerror(rc));
		goto fail;
	}
	_exit(0);
fail:
	(void)write(fd, msg, strlen(msg));
	_exit(1);
}

int
store_verify(const char *path, char *errbuf, size_t errlen)
{
	static const char advice[] = "restore the database from a backup, "
	    "or move data.mdb and lock.mdb aside and import an export "
	    "(rdnsblctl import)";
	struct stat sb;
	char *datafile, msg[512];
	ssize_t n;
	size_t got = 0;
	pid_t pid;
	int p[2], status;

	xasprintf(&datafile, "%s/data.mdb", path);
	if (stat(datafile, &sb) == -1) {
		free(datafile);
		return 0;		/* none yet: store_open says the rest */
	}
	if (pipe(p) == -1) {
		snprintf(errbuf, errlen, "cannot check %s: pipe: %s",
		    datafile, strerror(errno));
		free(datafile);
		return -1;
	}
	if ((pid = fork()) == -1) {
		snprintf(errbuf, errlen, "cannot check %s: fork: %s",
		    datafile, strerror(errno));
		close(p[0]);
		close(p[1]);
		free(datafile);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		verify_child(path, p[1]);
	}
	close(p[1]);
	while (got < sizeof(msg) - 1 && ((n = read(p[0], msg + got,
	    sizeof(msg) - 1 - got)) > 0 || (n == -1 && errno == EINTR)))
		if (n > 0)
			got += (size_t)n;
	msg[got] = '\0';
	close(p[0]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			status = 0;
			break;
		}
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 ||
	    WEXITSTATUS(status) == 2)) {
		free(datafile);
		return 0;
	}
	if (got > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 1)
		snprintf(errbuf, errlen, "%s cannot be read: %s: %s",
		    datafile, msg, advice);
	else if (WIFSIGNALED(status))
		snprintf(errbuf, errlen, "%s is corrupt (reading it ended "
		    "with %s): %s", datafile, strsignal(WTERMSIG(status)),
		    advice);
	else
		snprintf(errbuf, errlen, "%s is corrupt (reading it failed "
		    "with exit status %d): %s", datafile, WEXITSTATUS(status),
		    advice);
	free(datafile);
	return -1;
}
