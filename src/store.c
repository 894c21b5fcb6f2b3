/* SPDX-License-Identifier: ISC */
/*
 * store.c -- open and close the LMDB environment, and bring a database
 * made by an older version up to date: a writer adds the tables it lacks
 * (and writes the expiry records of its entries), a reader sees them
 * empty.
 *
 * "meta": "schema" -> u32 version (STORE_SCHEMA_VERSION).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	MDB_cursor *cur;
	MDB_val k, v;
	int l, rc;

	for (l = 0; l < 2; l++) {
		if ((rc = mdb_cursor_open(txn, st->list[l], &cur)) != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_cursor_open");
			return -1;
		}
		for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
		    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
			if (store_key_parse(&k, &e.prefix) == 0 &&
			    store_entry_decode(&v, &e) == 0 &&
			    store_expiry_put(st, txn, (enum store_list)l,
			    &e.prefix, e.expires, 0, errbuf, errlen) == -1) {
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
	store_index_free(st);
	free(st);
}
