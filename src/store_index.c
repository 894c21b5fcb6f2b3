/* SPDX-License-Identifier: ISC */
/*
 * store_index.c -- the daemon's compact copy of the lists (ipindex.h;
 * doc/design.md), built from the lists and kept in step with the journal
 * of their changes (store_journal.h), and the lookups that it answers.
 */
#include "config.h"

#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_index.h"
#include "ipindex.h"
#include "store.h"
#include "store_base.h"
#include "store_journal.h"
#include "util.h"

#define CATCHUP_MAX	20000	/* more pending changes: rebuild instead */
#define DROP_EVERY	1024	/* entries read between drop_map() calls */

static uint32_t
v4_get(const struct addr *a)
{
	return (uint32_t)a->a[0] << 24 | (uint32_t)a->a[1] << 16 |
	    (uint32_t)a->a[2] << 8 | a->a[3];
}

/* store_be64_get() inline: the compiler makes it one load and a swap. */
static inline uint64_t
be64_get(const uint8_t *p)
{
	return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 |
	    (uint64_t)p[2] << 40 | (uint64_t)p[3] << 32 |
	    (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
	    (uint64_t)p[6] << 8 | p[7];
}

static struct ipx6
v6_get(const struct addr *a)
{
	struct ipx6 x;

	x.hi = be64_get(a->a);
	x.lo = be64_get(a->a + 8);
	return x;
}

/*
 * The entry of a's prefix of length len, which the copy found with info:
 * a brief one from the copy, or the B-tree's (the details, or an entry
 * that may have expired: STORE_NOTFOUND, and the caller goes on to the
 * next shorter prefix).
 */
static inline enum store_rc
index_entry(struct store *st, unsigned l, const struct addr *a,
    int len, uint16_t info, time_t now, int brief, struct store_entry *e,
    char *errbuf, size_t errlen)
{
	struct addr m = *a;

	m.len = (uint8_t)len;
	addr_mask(&m);
	if (brief && info != IPX_DETAIL) {
		memset(e, 0, sizeof(*e));
		e->prefix = m;
		ipx_info_get(st->ix, info, &e->flags, &e->code);
		return STORE_OK;
	}
	return store_probe(st, l, &m, now, e, errbuf, errlen);
}

/* A loop for each family, so that IPv4's has no test of the family. */
enum store_rc
store_index_lookup(struct store *st, unsigned l, const struct addr *a,
    time_t now, int brief, struct store_entry *e, char *errbuf,
    size_t errlen)
{
	enum store_rc rc;
	uint16_t info;
	int len, max = a->len;

	if (a->af == ADDR_V4) {
		while (max >= 0 &&
		    ipx_lookup(st->ix, (int)l, v4_get(a), max, &len, &info)) {
			if ((rc = index_entry(st, l, a, len, info, now, brief, e,
			    errbuf, errlen)) != STORE_NOTFOUND)
				return rc;
			max = len - 1;
		}
		return STORE_NOTFOUND;
	}
	while (max >= 0 &&
	    ipx_lookup6(st->ix, (int)l, v6_get(a), max, &len, &info)) {
		if ((rc = index_entry(st, l, a, len, info, now, brief, e,
		    errbuf, errlen)) != STORE_NOTFOUND)
			return rc;
		max = len - 1;
	}
	return STORE_NOTFOUND;
}

void
store_prefetch(const struct store *st, const struct addr *a, int stage)
{
	if (st->ix == NULL)
		return;
	if (a->af == ADDR_V4)
		ipx_prefetch(st->ix, v4_get(a), stage);
	else
		ipx_prefetch6(st->ix, v6_get(a), stage);
}

void
store_index_free(struct store *st)
{
	ipx_free(st->ix);
	ipx_free(st->ixb);
	st->ix = st->ixb = NULL;
}

void
store_index_enable(struct store *st)
{
	st->ix_on = 1;
}

int
store_index_stale(const struct store *st)
{
	return st->ix_on && (st->ix == NULL || st->ix_seq != st->snap_seq);
}

size_t
store_index_count(const struct store *st, size_t *bytes)
{
	if (bytes != NULL)
		*bytes = st->ix != NULL ? ipx_bytes(st->ix) : 0;
	return st->ix != NULL ? ipx_count(st->ix) : 0;
}

/*
 * Find the map: the mapping in /proc/self/maps that holds a value read in
 * txn (LMDB tells its address only for a fixed map). Kept in the store
 * until a value falls outside it (the map moves when it grows). Without
 * /proc it stays unknown (map_len 0).
 */
static void
map_find(struct store *st, MDB_txn *txn)
{
	MDB_val k, v;
	unsigned long lo, hi, p;
	char line[512];
	FILE *fp;

	k.mv_data = (void *)"schema";
	k.mv_size = strlen("schema");
	if (mdb_get(txn, st->meta, &k, &v) != 0)
		return;
	p = (unsigned long)v.mv_data;
	if (st->map_len > 0 && st->map_lo <= p && p - st->map_lo < st->map_len)
		return;
	st->map_len = 0;
	if ((fp = fopen("/proc/self/maps", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= p &&
		    p < hi) {
			st->map_lo = lo;
			st->map_len = hi - lo;
			break;
		}
	fclose(fp);
}

/*
 * Tell the kernel that this process no longer needs the map's pages: a
 * build reads every list entry, and those pages (and their neighbours,
 * which the kernel maps along on each fault) would otherwise stay counted
 * in its resident memory. They stay in the page cache, and a later read
 * maps them again. Only the part of the map that the file fills.
 */
static void
drop_map(struct store *st)
{
	MDB_envinfo info;
	MDB_stat stat;
	size_t len;

	if (st->map_len == 0 || mdb_env_info(st->env, &info) != 0 ||
	    mdb_env_stat(st->env, &stat) != 0)
		return;
	len = (info.me_last_pgno + 1) * (size_t)stat.ms_psize;
	(void)madvise((void *)st->map_lo, len < st->map_len ? len :
	    st->map_len, MADV_DONTNEED);
}

/*
 * Read at most max entries of the lists (IPv4 keys, then IPv6 ones)
 * into the copy being built, from where the last step stopped; when both
 * lists are read, the copy replaces the old one.
 */
static int
index_build_step(struct store *st, MDB_txn *txn, size_t max, char *errbuf,
    size_t errlen)
{
	struct store_entry e;
	struct store_vmemo memo;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	uint32_t c[LENS_MAX];
	uint16_t info;
	int l, len, rc;

	memset(&memo, 0, sizeof(memo));
	map_find(st, txn);
	if (st->ixb == NULL) {
		if (store_journal_seq(st, txn, &st->ixb_seq, errbuf,
		    errlen) == -1)
			return -1;
		ipx_free(st->ix);
		st->ix = NULL;
		st->ixb = ipx_new();
		st->ixb_list = 0;
		st->ixb_keylen = 0;
		/* the per-length counts size the arrays: no growth, no copy */
		for (l = 0; l < 2; l++) {
			if (store_lens_get(st, txn, (unsigned)l,
			    ADDR_V4, c, errbuf, errlen) == 0)
				for (len = 0; len < NLENS(ADDR_V4); len++)
					ipx_reserve(st->ixb, l, len, c[len]);
			if (store_lens_get(st, txn, (unsigned)l,
			    ADDR_V6, c, errbuf, errlen) == 0)
				for (len = 0; len < NLENS(ADDR_V6); len++)
					ipx_reserve6(st->ixb, l, len, c[len]);
		}
	}
	while (st->ixb_list < 2 && max > 0) {
		if ((rc = mdb_cursor_open(txn, st->lists[st->ixb_list].dbi,
		    &cur)) != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_cursor_open");
			return -1;
		}
		k.mv_data = st->ixb_key;
		k.mv_size = st->ixb_keylen;
		rc = mdb_cursor_get(cur, &k, &v, st->ixb_keylen ?
		    MDB_SET_RANGE : MDB_FIRST);
		for (; rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			if (max == 0) {
				memcpy(st->ixb_key, k.mv_data, k.mv_size);
				st->ixb_keylen = k.mv_size;
				break;
			}
			max--;
			if (store_key_parse(&k, &e.prefix) == -1 ||
			    store_entry_decode(st, txn, st->ixb_list, &v, &e,
			    &memo) == -1) {
				mdb_cursor_close(cur);
				snprintf(errbuf, errlen, "corrupt entry in %s",
				    store_list_name(st, st->ixb_list));
				return -1;
			}
			info = ipx_info(st->ixb, e.flags, e.code, e.expires);
			if (e.prefix.af == ADDR_V4)
				ipx_append(st->ixb, st->ixb_list, e.prefix.len,
				    v4_get(&e.prefix), info);
			else
				ipx_append6(st->ixb, st->ixb_list,
				    e.prefix.len, v6_get(&e.prefix), info);
			/* the peak stays some hundred pages above the copy */
			if (max % DROP_EVERY == 0)
				drop_map(st);
		}
		mdb_cursor_close(cur);
		if (rc != 0 && rc != MDB_NOTFOUND) {
			store_err(st, rc, errbuf, errlen, "mdb_cursor_get");
			return -1;
		}
		if (rc == MDB_NOTFOUND) {
			st->ixb_list++;
			st->ixb_keylen = 0;
		}
	}
	/* then the copy's sorting, in steps as well (ipx_finish_step) */
	if (st->ixb_list == 2 && max > 0 &&
	    ipx_finish_step(st->ixb, max) == 0) {
		st->ix = st->ixb;
		st->ix_seq = st->ixb_seq;
		st->ixb = NULL;
	}
	drop_map(st);
	return 1;
}

/*
 * Forget the copy, and build a new one once the journal has stood still
 * between two steps (STORE_INDEX_WAIT apart): an import commits batch
 * after batch, and a build started in between would be thrown away at the
 * next. Returns STORE_INDEX_WAIT.
 */
static int
index_rebuild(struct store *st, uint64_t seq)
{
	ipx_free(st->ix);
	st->ix = NULL;
	st->ix_waiting = 1;
	st->ix_wait_seq = seq;
	return STORE_INDEX_WAIT;
}

struct catchup {
	struct store		*st;
	MDB_txn			*txn;
	struct ipx_change	*c;
	size_t			 n;
};

/* One change of the journal as it is now in txn. */
static int
catchup_change(void *arg, unsigned l, const struct addr *p,
    char *errbuf, size_t errlen)
{
	struct catchup *cu = arg;
	struct ipx_change *c = &cu->c[cu->n];
	struct store_entry e;
	uint8_t kb[KEY_MAXLEN];
	MDB_val k, v;
	int rc;

	/* the copy holds the prefixes of black and white */
	if (l >= IPX_LISTS)
		return 0;
	memset(c, 0, sizeof(*c));
	c->list = (uint8_t)l;
	c->len = p->len;
	if (p->af == ADDR_V4)
		c->addr = v4_get(p);
	else {
		c->v6 = 1;
		c->addr6 = v6_get(p);
	}
	c->seq = (uint32_t)cu->n;
	k.mv_data = kb;
	k.mv_size = store_key_make(kb, p);
	rc = mdb_get(cu->txn, cu->st->lists[l].dbi, &k, &v);
	if (rc == MDB_NOTFOUND)
		c->del = 1;
	else if (rc != 0) {
		store_err(cu->st, rc, errbuf, errlen, "mdb_get");
		return -1;
	} else if (store_entry_decode(cu->st, cu->txn, l, &v, &e,
	    NULL) == -1) {
		snprintf(errbuf, errlen, "corrupt entry in %s",
		    store_list_name(cu->st, l));
		return -1;
	} else
		c->info = ipx_info(cu->st->ix, e.flags, e.code, e.expires);
	cu->n++;
	return 0;
}

/*
 * Apply the journal records after ix_seq up to seq (the newest) to the
 * copy, reading each changed entry as it is in txn. A gap (records
 * already dropped), an import or too many records start a rebuild.
 */
static int
index_catchup(struct store *st, MDB_txn *txn, uint64_t seq, char *errbuf,
    size_t errlen)
{
	struct catchup cu;
	int r;

	if (seq - st->ix_seq > CATCHUP_MAX)
		return index_rebuild(st, seq);
	cu.st = st;
	cu.txn = txn;
	cu.c = xreallocarray(NULL, (size_t)(seq - st->ix_seq),
	    sizeof(*cu.c));
	cu.n = 0;
	r = store_journal_read(st, txn, st->ix_seq + 1, seq, catchup_change,
	    &cu, errbuf, errlen);
	if (r == 1)
		r = index_rebuild(st, seq);	/* a gap or an import */
	else if (r == 0) {
		ipx_apply(st->ix, cu.c, cu.n);
		st->ix_seq = seq;
	}
	free(cu.c);
	return r;
}

int
store_index_step(struct store *st, size_t max, char *errbuf, size_t errlen)
{
	MDB_txn *txn;
	uint64_t seq;
	int r;

	if (!st->ix_on)
		return 0;
	if (store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return -1;
	if (store_journal_seq(st, txn, &seq, errbuf, errlen) == -1)
		r = -1;
	else if (st->ix == NULL && st->ix_waiting && seq != st->ix_wait_seq) {
		st->ix_wait_seq = seq;		/* still being written */
		r = STORE_INDEX_WAIT;
	} else if (st->ix == NULL) {
		st->ix_waiting = 0;
		r = index_build_step(st, txn, max, errbuf, errlen);
	} else if (seq == st->ix_seq)
		r = 0;
	else
		r = index_catchup(st, txn, seq, errbuf, errlen);
	mdb_txn_abort(txn);
	return r;
}
