/*
 * store.c -- the LMDB database: the black and white lists, the audit log,
 * the verdict cache and the schema version.
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
 * Cache value: u32 verdict, i64 checked, i64 expires, u16 rule length,
 * u16 names length, u16 detail length, rule, names and detail bytes.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <lmdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "ipindex.h"
#include "store.h"
#include "util.h"

#define ENTRY_HDRLEN	28
#define ACTOR_MAX	64
#define REASON_MAX	1024
#define ENTRY_MAXLEN	(ENTRY_HDRLEN + ACTOR_MAX + REASON_MAX)
#define KEY_MAXLEN	18		/* af, 16 address bytes, length */
#define LENS_MAX	129		/* prefix lengths 0-128 */
#define NLENS(af)	((af) == ADDR_V4 ? 33 : 129)
#define JOURNAL_KEEP	65536	/* changes kept for a daemon to catch up */
#define CATCHUP_MAX	20000	/* more pending changes: rebuild instead */
#define DROP_EVERY	1024	/* entries read between drop_map() calls */
#define TEXT_MAXLEN	(ADDR_STRLEN + 2)
#define VERDICT_HDRLEN	26
#define RULE_MAX	64
#define NAMES_MAX	2048
#define DETAIL_MAX	512
#if STORE_PURGE_KEYMAX < STORE_CACHE_KEYMAX || STORE_PURGE_KEYMAX < KEY_MAXLEN
#error "STORE_PURGE_KEYMAX is too small"
#endif
#define VERDICT_MAXLEN	\
    (VERDICT_HDRLEN + RULE_MAX + NAMES_MAX + DETAIL_MAX)

struct store {
	MDB_env		*env;
	MDB_dbi		 list[2];	/* LIST_BLACK, LIST_WHITE */
	MDB_dbi		 meta;
	MDB_dbi		 audit;
	MDB_dbi		 cache;
	int		 has_cache;	/* 0: read-only, made before it */
	MDB_dbi		 req;		/* delisting requests by id */
	MDB_dbi		 reqidx;	/* their indexes (store.h) */
	int		 has_req;	/* 0: read-only, made before them */
	MDB_txn		*rtxn;		/* the reused read txn */
	int		 reading;	/* rtxn is renewed */
	int		 held;		/* store_read_hold: keep it renewed */
	int		 readonly;
	/*
	 * The prefix length counts read in the snapshot lens_txnid, so that
	 * lookups in the same or an unchanged snapshot skip the meta reads
	 * (a write commit gives the next snapshot a new txnid).
	 */
	size_t		 lens_txnid;	/* 0: nothing cached */
	uint32_t	 lens[2][2][LENS_MAX];	/* [list][af == V6][len] */
	/*
	 * A cursor per list on rtxn, opened once and renewed with it (no
	 * allocation per query): the probes of one lookup go through it,
	 * so that a probe that lands on the leaf page of the one before
	 * searches that page only, not the tree from its root.
	 */
	MDB_cursor	*rcur[2];
	unsigned	 rcur_gen[2];	/* read_gen when last renewed */
	unsigned	 read_gen;	/* counts the renewals of rtxn */
	/*
	 * The journal of list changes (store.h) and the daemon's compact
	 * copy of the IPv4 lists kept in step with it. snap_seq: the last
	 * journal number in the snapshot lens_txnid. ix is used only when
	 * ix_seq is snap_seq; ixb is a copy being built, from the snapshot
	 * whose last journal number is ixb_seq, list ixb_list from key
	 * ixb_key on.
	 */
	MDB_dbi		 journal;
	int		 has_journal;	/* 0: read-only, made before it */
	MDB_dbi		 expiry;	/* the entries that expire (store.h) */
	int		 has_expiry;
	uint64_t	 snap_seq;
	int		 ix_on;		/* store_index_enable() */
	struct ipindex	*ix;		/* NULL: none ready */
	uint64_t	 ix_seq;
	struct ipindex	*ixb;
	uint64_t	 ixb_seq;
	int		 ixb_list;
	uint8_t		 ixb_key[KEY_MAXLEN];
	size_t		 ixb_keylen;
	int		 ix_waiting;	/* a rebuild waits for a still journal */
	uint64_t	 ix_wait_seq;
	unsigned long	 map_lo;	/* the map (map_find), if known */
	size_t		 map_len;
};

/* Per-family count changes, indexed [af == ADDR_V6][prefix length]. */
typedef int64_t lens_delta[2][LENS_MAX];

static void	store_err(struct store *, int, char *, size_t, const char *,
		    ...) __attribute__((format(printf, 5, 6)));

/*
 * Turn an mdb_* rc into text: "what: why", or the actionable message for
 * a full map.
 */
static void
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

static int
addr_check(const struct addr *a, char *errbuf, size_t errlen)
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
static size_t
key_make(uint8_t *k, const struct addr *a)
{
	size_t n = ADDR_BYTES(a);

	k[0] = a->af;
	memcpy(k + 1, a->a, n);
	k[1 + n] = a->len;
	return n + 2;
}

static int
key_parse(const MDB_val *k, struct addr *a)
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

static int
entry_check(const struct store_entry *e, char *errbuf, size_t errlen)
{
	if (addr_check(&e->prefix, errbuf, errlen) == -1)
		return -1;
	if (e->actor_len > ACTOR_MAX) {
		snprintf(errbuf, errlen, "actor too long (max %d bytes)",
		    ACTOR_MAX);
		return -1;
	}
	if (e->reason_len > REASON_MAX) {
		snprintf(errbuf, errlen, "reason too long (max %d bytes)",
		    REASON_MAX);
		return -1;
	}
	if ((e->actor_len > 0 && e->actor == NULL) ||
	    (e->reason_len > 0 && e->reason == NULL)) {
		snprintf(errbuf, errlen, "entry text missing");
		return -1;
	}
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
static int
entry_decode(const MDB_val *v, struct store_entry *e)
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
static int
lens_get(struct store *st, MDB_txn *txn, enum store_list l, int af,
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
		if (lens_get(st, txn, l, af, c, errbuf, errlen) == -1)
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

static void
be64_put(uint8_t *p, uint64_t x)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(x >> (56 - 8 * i));
}

static uint64_t
be64_get(const uint8_t *p)
{
	uint64_t x = 0;
	int i;

	for (i = 0; i < 8; i++)
		x = x << 8 | p[i];
	return x;
}

static void
journal_meta_key(MDB_val *k)
{
	k->mv_data = (void *)"journal";
	k->mv_size = strlen("journal");
}

/* The number of the last journal record in txn (0: none yet). */
static int
journal_seq(struct store *st, MDB_txn *txn, uint64_t *seq, char *errbuf,
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

/*
 * Record inside txn that the entry of list l for prefix (masked) changed,
 * or with prefix NULL that any number of them did (an import), so that a
 * daemon's copy of the lists can follow. The last JOURNAL_KEEP records
 * are kept.
 */
static int
journal_note(struct store *st, MDB_txn *txn, enum store_list l,
    const struct addr *prefix, char *errbuf, size_t errlen)
{
	uint8_t kb[8], vb[1 + KEY_MAXLEN];
	MDB_val k, v;
	uint64_t seq;
	int rc;

	if (!st->has_journal)
		return 0;
	if (journal_seq(st, txn, &seq, errbuf, errlen) == -1)
		return -1;
	seq++;
	journal_meta_key(&k);
	v.mv_data = &seq;
	v.mv_size = sizeof(seq);
	if ((rc = mdb_put(txn, st->meta, &k, &v, 0)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(meta)");
		return -1;
	}
	be64_put(kb, seq);
	k.mv_data = kb;
	k.mv_size = sizeof(kb);
	vb[0] = (uint8_t)l;
	v.mv_data = vb;
	v.mv_size = 1 + (prefix != NULL ? key_make(vb + 1, prefix) : 0);
	if ((rc = mdb_put(txn, st->journal, &k, &v, MDB_APPEND)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(journal)");
		return -1;
	}
	if (seq > JOURNAL_KEEP) {
		be64_put(kb, seq - JOURNAL_KEEP);
		rc = mdb_del(txn, st->journal, &k, NULL);
		if (rc != 0 && rc != MDB_NOTFOUND) {
			store_err(st, rc, errbuf, errlen, "mdb_del(journal)");
			return -1;
		}
	}
	return 0;
}

#define EXPIRY_KEYMAX	(8 + 1 + KEY_MAXLEN)

/* Key of the expiry record of list l's entry for prefix; its size. */
static size_t
expiry_key(uint8_t *kb, int64_t expires, enum store_list l,
    const struct addr *prefix)
{
	be64_put(kb, (uint64_t)expires);
	kb[8] = (uint8_t)l;
	return 9 + key_make(kb + 9, prefix);
}

/*
 * Add (del 0) or delete (del 1) the expiry record of an entry inside txn;
 * an entry that does not expire has none.
 */
static int
expiry_put(struct store *st, MDB_txn *txn, enum store_list l,
    const struct addr *prefix, int64_t expires, int del, char *errbuf,
    size_t errlen)
{
	uint8_t kb[EXPIRY_KEYMAX];
	MDB_val k, v;
	int rc;

	if (!st->has_expiry || expires == 0)
		return 0;
	k.mv_data = kb;
	k.mv_size = expiry_key(kb, expires, l, prefix);
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
			if (key_parse(&k, &e.prefix) == 0 &&
			    entry_decode(&v, &e) == 0 &&
			    expiry_put(st, txn, (enum store_list)l, &e.prefix,
			    e.expires, 0, errbuf, errlen) == -1) {
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

/*
 * Append an audit record inside txn. Strings may be NULL (empty); actor
 * and reason are given with a length and end at the first NUL.
 */
static int
audit_put(struct store *st, MDB_txn *txn, const char *actor,
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
		seq = be64_get(k.mv_data) + 1;
	} else if (rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(audit)");
		goto cleanup;
	}
	mdb_cursor_close(cur);
	cur = NULL;

	be64_put(kb, seq);
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
static int
wtxn_begin(struct store *st, MDB_txn **txn, char *errbuf, size_t errlen)
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
static int
rtxn_begin(struct store *st, MDB_txn **txn, char *errbuf, size_t errlen)
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
static int
txn_commit(struct store *st, MDB_txn *txn, char *errbuf, size_t errlen)
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
		rc = rtxn_begin(st, &txn, errbuf, errlen);
	else
		rc = wtxn_begin(st, &txn, errbuf, errlen);
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
	rc = txn_commit(st, txn, errbuf, errlen);
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
				if (lens_get(st, st->rtxn, (enum store_list)i,
				    j ? ADDR_V6 : ADDR_V4, st->lens[i][j],
				    errbuf, errlen) == -1)
					return NULL;
		if (journal_seq(st, st->rtxn, &st->snap_seq, errbuf,
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
static enum store_rc
probe(struct store *st, enum store_list l, const struct addr *m,
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
	k.mv_size = ksize = key_make(kb, m);
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
	if (entry_decode(&v, e) == -1) {
		snprintf(errbuf, errlen, "corrupt entry %s in %s",
		    addr_format(m, text, sizeof(text)), store_list_name(l));
		return STORE_ERROR;
	}
	if (expired(e, now))
		return STORE_NOTFOUND;
	e->prefix = *m;
	return STORE_OK;
}

static uint32_t
v4_get(const struct addr *a)
{
	return (uint32_t)a->a[0] << 24 | (uint32_t)a->a[1] << 16 |
	    (uint32_t)a->a[2] << 8 | a->a[3];
}

/*
 * store_lookup for an IPv4 address through the compact copy, in step with
 * the snapshot: a brief entry from the copy, or the B-tree's entry for
 * the prefix the copy found (the details, or an entry that may have
 * expired: then the next shorter prefix).
 */
static enum store_rc
lookup_index(struct store *st, enum store_list l, const struct addr *a,
    time_t now, int brief, struct store_entry *e, char *errbuf,
    size_t errlen)
{
	struct addr m;
	enum store_rc rc;
	uint16_t info;
	int len, max = a->len;

	while (max >= 0 &&
	    ipx_lookup(st->ix, (int)l, v4_get(a), max, &len, &info)) {
		m = *a;
		m.len = (uint8_t)len;
		addr_mask(&m);
		if (brief && info != IPX_DETAIL) {
			memset(e, 0, sizeof(*e));
			e->prefix = m;
			ipx_info_get(st->ix, info, &e->flags, &e->code);
			return STORE_OK;
		}
		if ((rc = probe(st, l, &m, now, e, errbuf, errlen)) !=
		    STORE_NOTFOUND)
			return rc;
		max = len - 1;
	}
	return STORE_NOTFOUND;
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
	    addr_check(a, errbuf, errlen) == -1)
		return STORE_ERROR;
	if ((c = lens_cached(st, l, a->af, errbuf, errlen)) == NULL)
		return STORE_ERROR;
	if (st->ix != NULL && st->ix_seq == st->snap_seq && a->af == ADDR_V4)
		return lookup_index(st, l, a, now, brief, e, errbuf, errlen);
	for (len = a->len; len >= 0; len--) {
		if (c[len] == 0)
			continue;
		m = *a;
		m.len = (uint8_t)len;
		addr_mask(&m);
		if ((rc = probe(st, l, &m, now, e, errbuf, errlen)) !=
		    STORE_NOTFOUND)
			return rc;
	}
	return STORE_NOTFOUND;
}

void
store_prefetch(const struct store *st, const struct addr *a, int stage)
{
	if (st->ix != NULL && a->af == ADDR_V4)
		ipx_prefetch(st->ix, v4_get(a), stage);
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
 * Read at most max entries of the lists (IPv4 keys sort first) into the
 * copy being built, from where the last step stopped; when both lists
 * are read, the copy replaces the old one.
 */
static int
index_build_step(struct store *st, MDB_txn *txn, size_t max, char *errbuf,
    size_t errlen)
{
	struct store_entry e;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	uint32_t c[LENS_MAX];
	int l, len, rc;

	map_find(st, txn);
	if (st->ixb == NULL) {
		if (journal_seq(st, txn, &st->ixb_seq, errbuf, errlen) == -1)
			return -1;
		ipx_free(st->ix);
		st->ix = NULL;
		st->ixb = ipx_new();
		st->ixb_list = 0;
		st->ixb_keylen = 0;
		/* the per-length counts size the arrays: no growth, no copy */
		for (l = 0; l < 2; l++)
			if (lens_get(st, txn, (enum store_list)l, ADDR_V4, c,
			    errbuf, errlen) == 0)
				for (len = 0; len < NLENS(ADDR_V4); len++)
					ipx_reserve(st->ixb, l, len, c[len]);
	}
	while (st->ixb_list < 2 && max > 0) {
		if ((rc = mdb_cursor_open(txn, st->list[st->ixb_list],
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
			if (key_parse(&k, &e.prefix) == -1 ||
			    entry_decode(&v, &e) == -1) {
				mdb_cursor_close(cur);
				snprintf(errbuf, errlen, "corrupt entry in %s",
				    store_list_name(st->ixb_list));
				return -1;
			}
			if (e.prefix.af != ADDR_V4) {
				rc = MDB_NOTFOUND;
				break;
			}
			ipx_append(st->ixb, st->ixb_list, e.prefix.len,
			    v4_get(&e.prefix), ipx_info(st->ixb, e.flags,
			    e.code, e.expires));
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
	if (st->ixb_list == 2) {
		ipx_finish(st->ixb);
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

/*
 * Apply the journal records after ix_seq up to seq (the newest) to the
 * copy, reading each changed entry as it is in txn. A gap (records
 * already dropped), an import or too many records start a rebuild.
 */
static int
index_catchup(struct store *st, MDB_txn *txn, uint64_t seq, char *errbuf,
    size_t errlen)
{
	struct ipx_change *c = NULL;
	struct store_entry e;
	struct addr p;
	MDB_cursor *cur = NULL;
	MDB_val k, v, ek, ev;
	uint8_t kb[8];
	uint64_t want = st->ix_seq + 1;
	size_t n = 0;
	const uint8_t *vp;
	int rc, ret = -1;

	if (seq - st->ix_seq > CATCHUP_MAX)
		return index_rebuild(st, seq);
	c = xreallocarray(NULL, (size_t)(seq - st->ix_seq), sizeof(*c));
	if ((rc = mdb_cursor_open(txn, st->journal, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(journal)");
		goto cleanup;
	}
	be64_put(kb, want);
	k.mv_data = kb;
	k.mv_size = sizeof(kb);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	    rc == 0 && want <= seq;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT), want++) {
		vp = v.mv_data;
		if (k.mv_size != 8 || be64_get(k.mv_data) != want ||
		    v.mv_size < 2 || vp[0] >= 2) {
			ret = index_rebuild(st, seq);	/* gap or import */
			goto cleanup;
		}
		ek.mv_data = (void *)(vp + 1);
		ek.mv_size = v.mv_size - 1;
		if (key_parse(&ek, &p) == -1) {
			snprintf(errbuf, errlen, "corrupt journal record");
			goto cleanup;
		}
		if (p.af != ADDR_V4)
			continue;
		memset(&c[n], 0, sizeof(c[n]));
		c[n].list = vp[0];
		c[n].len = p.len;
		c[n].addr = v4_get(&p);
		c[n].seq = (uint32_t)n;
		rc = mdb_get(txn, st->list[vp[0]], &ek, &ev);
		if (rc == MDB_NOTFOUND)
			c[n].del = 1;
		else if (rc != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_get");
			goto cleanup;
		} else if (entry_decode(&ev, &e) == -1) {
			snprintf(errbuf, errlen, "corrupt entry in %s",
			    store_list_name(vp[0]));
			goto cleanup;
		} else
			c[n].info = ipx_info(st->ix, e.flags, e.code,
			    e.expires);
		n++;
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(journal)");
		goto cleanup;
	}
	if (want != seq + 1) {
		ret = index_rebuild(st, seq);	/* records missing */
		goto cleanup;
	}
	ipx_apply(st->ix, c, n);
	st->ix_seq = seq;
	ret = 0;
cleanup:
	if (cur != NULL)
		mdb_cursor_close(cur);
	free(c);
	return ret;
}

int
store_index_step(struct store *st, size_t max, char *errbuf, size_t errlen)
{
	MDB_txn *txn;
	uint64_t seq;
	int r;

	if (!st->ix_on)
		return 0;
	if (rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return -1;
	if (journal_seq(st, txn, &seq, errbuf, errlen) == -1)
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

	if (entry_check(e, errbuf, errlen) == -1)
		return -1;
	*prefix = e->prefix;
	addr_mask(prefix);
	k.mv_data = kb;
	k.mv_size = key_make(kb, prefix);
	rc = mdb_get(txn, st->list[l], &k, &v);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_get(%s)",
		    store_list_name(l));
		return -1;
	}
	*isnew = rc == MDB_NOTFOUND;
	if (!*isnew && entry_decode(&v, &old) == 0 &&
	    expiry_put(st, txn, l, prefix, old.expires, 1, errbuf,
	    errlen) == -1)
		return -1;
	v.mv_data = vb;
	v.mv_size = entry_encode(vb, e);
	if ((rc = mdb_put(txn, st->list[l], &k, &v, 0)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(%s)",
		    store_list_name(l));
		return -1;
	}
	return expiry_put(st, txn, l, prefix, e->expires, 0, errbuf, errlen);
}

/* Add an entry inside txn: the entry, the length counts, the audit. */
static int
entry_add(struct store *st, MDB_txn *txn, enum store_list l,
    const struct store_entry *e, int *isnew, char *errbuf, size_t errlen)
{
	lens_delta d;
	struct addr prefix;
	char text[TEXT_MAXLEN];

	if (entry_put(st, txn, l, e, &prefix, isnew, errbuf, errlen) == -1 ||
	    journal_note(st, txn, l, &prefix, errbuf, errlen) == -1)
		return -1;
	if (*isnew) {
		memset(d, 0, sizeof(d));
		lens_count(d, &prefix, 1);
		if (lens_apply(st, txn, l, d, errbuf, errlen) == -1)
			return -1;
	}
	return audit_put(st, txn, e->actor, e->actor_len, "add",
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
	    entry_check(e, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (entry_add(st, txn, l, e, &isnew, errbuf, errlen) == -1)
		goto fail;
	if (txn_commit(st, txn, errbuf, errlen) == -1)
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
	    addr_check(prefix, errbuf, errlen) == -1)
		return STORE_ERROR;
	m = *prefix;
	addr_mask(&m);
	k.mv_data = kb;
	k.mv_size = key_make(kb, &m);
	if (wtxn_begin(st, &txn, errbuf, errlen) == -1)
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
	if (entry_decode(&v, &e) == -1) {
		e.flags = 0;	/* delete a corrupt entry all the same */
		e.expires = 0;
	}
	entry_text(&m, e.flags, text, sizeof(text));
	if (expiry_put(st, txn, l, &m, e.expires, 1, errbuf, errlen) == -1)
		goto fail;
	if ((rc = mdb_del(txn, st->list[l], &k, NULL)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_del(%s)",
		    store_list_name(l));
		goto fail;
	}
	memset(d, 0, sizeof(d));
	lens_count(d, &m, -1);
	if (lens_apply(st, txn, l, d, errbuf, errlen) == -1 ||
	    journal_note(st, txn, l, &m, errbuf, errlen) == -1)
		goto fail;
	if (audit_put(st, txn, actor, actor ? strlen(actor) : 0, "del",
	    store_list_name(l), text, "", 0, errbuf, errlen) == -1)
		goto fail;
	if (txn_commit(st, txn, errbuf, errlen) == -1)
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
		if (wtxn_begin(st, &txn, errbuf, errlen) == -1)
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
		    journal_note(st, txn, l, NULL, errbuf, errlen) == -1)
			goto fail;
		if (end) {
			snprintf(reason, sizeof(reason), "%zu entries",
			    total + n);
			if (audit_put(st, txn, actor, actor ? strlen(actor) :
			    0, "import", store_list_name(l), what, reason,
			    strlen(reason), errbuf, errlen) == -1)
				goto fail;
		}
		r = txn_commit(st, txn, errbuf, errlen);
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
	if (rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if ((rc = mdb_cursor_open(txn, st->list[l], &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(%s)",
		    store_list_name(l));
		goto cleanup;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (key_parse(&k, &e.prefix) == -1 ||
		    entry_decode(&v, &e) == -1) {
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
	if (key_parse(&ek, &e.prefix) == -1)
		return 0;
	rc = mdb_get(txn, st->list[l], &ek, &ev);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(%s)",
		    store_list_name(l));
		return -1;
	}
	if (entry_decode(&ev, &e) == -1 || !expired(&e, now) ||
	    (uint64_t)e.expires != be64_get(kb))
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
	if (journal_note(st, txn, l, &e.prefix, errbuf, errlen) == -1 ||
	    audit_put(st, txn, actor, actor ? strlen(actor) : 0, "expire",
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
			if (be64_get(kb) > (uint64_t)now)
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
	if (wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (purge_steps(st, txn, now, actor, &pos, &left, &n, errbuf,
	    errlen) == -1) {
		mdb_txn_abort(txn);
		return STORE_ERROR;
	}
	if (txn_commit(st, txn, errbuf, errlen) == -1)
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
	if (wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (purge_steps(st, txn, now, actor, pos, &max, &n, errbuf,
	    errlen) == -1) {
		mdb_txn_abort(txn);
		*pos = keep;
		return STORE_ERROR;
	}
	if (txn_commit(st, txn, errbuf, errlen) == -1) {
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

	if (wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (audit_put(st, txn, actor, actor ? strlen(actor) : 0, action, list,
	    entry, reason, reason ? strlen(reason) : 0, errbuf,
	    errlen) == -1) {
		mdb_txn_abort(txn);
		return STORE_ERROR;
	}
	if (txn_commit(st, txn, errbuf, errlen) == -1)
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

	if (rtxn_begin(st, &txn, errbuf, errlen) == -1)
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
		a.seq = be64_get(k.mv_data);
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

size_t
store_cache_key_addr(const struct addr *a, uint8_t *key)
{
	if (a->af != ADDR_V4 && a->af != ADDR_V6)
		return 0;
	key[0] = a->af == ADDR_V4 ? '4' : '6';
	memcpy(key + 1, a->a, ADDR_BYTES(a));
	return 1 + (size_t)ADDR_BYTES(a);
}

size_t
store_cache_key_name(const char *name, uint8_t *key)
{
	size_t i, n = strlen(name);
	char c;

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n > STORE_CACHE_KEYMAX - 1)
		return 0;
	key[0] = 'h';
	for (i = 0; i < n; i++) {
		/* ASCII only, whatever the locale: DNS names compare so. */
		c = name[i];
		key[1 + i] = (uint8_t)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' :
		    c);
	}
	return 1 + n;
}

static int
cache_key_check(const uint8_t *key, size_t keylen, char *errbuf,
    size_t errlen)
{
	if (key == NULL || keylen == 0 || keylen > STORE_CACHE_KEYMAX) {
		snprintf(errbuf, errlen, "bad cache key length %zu", keylen);
		return -1;
	}
	return 0;
}

static int
verdict_check(const struct store_verdict *v, char *errbuf, size_t errlen)
{
	if (v->rule_len > RULE_MAX) {
		snprintf(errbuf, errlen, "rule too long (max %d bytes)",
		    RULE_MAX);
		return -1;
	}
	if (v->names_len > NAMES_MAX) {
		snprintf(errbuf, errlen, "names too long (max %d bytes)",
		    NAMES_MAX);
		return -1;
	}
	if (v->detail_len > DETAIL_MAX) {
		snprintf(errbuf, errlen, "detail too long (max %d bytes)",
		    DETAIL_MAX);
		return -1;
	}
	if ((v->rule_len > 0 && v->rule == NULL) ||
	    (v->names_len > 0 && v->names == NULL) ||
	    (v->detail_len > 0 && v->detail == NULL)) {
		snprintf(errbuf, errlen, "verdict text missing");
		return -1;
	}
	return 0;
}

/* Pack v into buf (VERDICT_MAXLEN bytes); returns the size. */
static size_t
verdict_encode(uint8_t *buf, const struct store_verdict *v)
{
	uint16_t rl = (uint16_t)v->rule_len, nl = (uint16_t)v->names_len;
	uint16_t dl = (uint16_t)v->detail_len;
	uint8_t *p = buf + VERDICT_HDRLEN;

	memcpy(buf, &v->verdict, 4);
	memcpy(buf + 4, &v->checked, 8);
	memcpy(buf + 12, &v->expires, 8);
	memcpy(buf + 20, &rl, 2);
	memcpy(buf + 22, &nl, 2);
	memcpy(buf + 24, &dl, 2);
	if (rl > 0)
		memcpy(p, v->rule, rl);
	p += rl;
	if (nl > 0)
		memcpy(p, v->names, nl);
	p += nl;
	if (dl > 0)
		memcpy(p, v->detail, dl);
	p += dl;
	return (size_t)(p - buf);
}

/* Unpack a cache value; strings point into val. */
static int
verdict_decode(const MDB_val *val, struct store_verdict *v)
{
	const uint8_t *p = val->mv_data;
	uint16_t rl, nl, dl;

	if (val->mv_size < VERDICT_HDRLEN)
		return -1;
	memcpy(&v->verdict, p, 4);
	memcpy(&v->checked, p + 4, 8);
	memcpy(&v->expires, p + 12, 8);
	memcpy(&rl, p + 20, 2);
	memcpy(&nl, p + 22, 2);
	memcpy(&dl, p + 24, 2);
	if (val->mv_size != VERDICT_HDRLEN + (size_t)rl + nl + dl)
		return -1;
	p += VERDICT_HDRLEN;
	v->rule = (const char *)p;
	v->rule_len = rl;
	v->names = (const char *)p + rl;
	v->names_len = nl;
	v->detail = (const char *)p + rl + nl;
	v->detail_len = dl;
	return 0;
}

enum store_rc
store_cache_get(struct store *st, const uint8_t *key, size_t keylen,
    time_t now, struct store_verdict *v, char *errbuf, size_t errlen)
{
	MDB_val k, val;
	int rc;

	if (!st->reading) {
		snprintf(errbuf, errlen, "store_cache_get outside a read "
		    "snapshot");
		return STORE_ERROR;
	}
	if (cache_key_check(key, keylen, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (!st->has_cache)
		return STORE_NOTFOUND;
	k.mv_data = (void *)key;
	k.mv_size = keylen;
	rc = mdb_get(st->rtxn, st->cache, &k, &val);
	if (rc == MDB_NOTFOUND)
		return STORE_NOTFOUND;
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(cache)");
		return STORE_ERROR;
	}
	if (verdict_decode(&val, v) == -1) {
		snprintf(errbuf, errlen, "corrupt verdict in cache");
		return STORE_ERROR;
	}
	if (v->expires <= (int64_t)now)
		return STORE_NOTFOUND;
	return STORE_OK;
}

/*
 * MDB_NOSYNC is a flag of the environment, not of a txn: set it for the
 * cache's write txn, and clear it again (nosync_end) unless it was set
 * before. *set tells nosync_end what to do. The daemon is one thread, so
 * no other txn of this process can begin in between.
 */
static int
nosync_begin(struct store *st, int *set, char *errbuf, size_t errlen)
{
	unsigned int flags;
	int rc;

	*set = 0;
	if ((rc = mdb_env_get_flags(st->env, &flags)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_env_get_flags");
		return -1;
	}
	if (flags & MDB_NOSYNC)
		return 0;
	if ((rc = mdb_env_set_flags(st->env, MDB_NOSYNC, 1)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_env_set_flags");
		return -1;
	}
	*set = 1;
	return 0;
}

/* After the txn has ended; keeps an earlier error (ret -1) in errbuf. */
static int
nosync_end(struct store *st, int set, int ret, char *errbuf, size_t errlen)
{
	int rc;

	if (!set)
		return ret;
	if ((rc = mdb_env_set_flags(st->env, MDB_NOSYNC, 0)) != 0) {
		if (ret == 0)
			store_err(st, rc, errbuf, errlen,
			    "mdb_env_set_flags");
		return -1;
	}
	return ret;
}

enum store_rc
store_cache_put(struct store *st, const uint8_t *key, size_t keylen,
    const struct store_verdict *v, char *errbuf, size_t errlen)
{
	uint8_t vb[VERDICT_MAXLEN];
	MDB_txn *txn = NULL;
	MDB_val k, val;
	int rc, set = 0, ret = -1;

	if (cache_key_check(key, keylen, errbuf, errlen) == -1 ||
	    verdict_check(v, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (st->readonly) {
		snprintf(errbuf, errlen, "database opened read-only");
		return STORE_ERROR;
	}
	if (nosync_begin(st, &set, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (wtxn_begin(st, &txn, errbuf, errlen) == -1)
		goto cleanup;
	k.mv_data = (void *)key;
	k.mv_size = keylen;
	val.mv_data = vb;
	val.mv_size = verdict_encode(vb, v);
	if ((rc = mdb_put(txn, st->cache, &k, &val, 0)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(cache)");
		goto cleanup;
	}
	rc = txn_commit(st, txn, errbuf, errlen);
	txn = NULL;
	if (rc == -1)
		goto cleanup;
	ret = 0;
cleanup:
	if (txn != NULL)
		mdb_txn_abort(txn);
	ret = nosync_end(st, set, ret, errbuf, errlen);
	return ret == 0 ? STORE_OK : STORE_ERROR;
}

/*
 * Synced, unlike a put: a flush lost in a crash would bring back the
 * verdict that an administrator asked to forget.
 */
enum store_rc
store_cache_del(struct store *st, const uint8_t *key, size_t keylen,
    size_t *count, char *errbuf, size_t errlen)
{
	MDB_stat ms;
	MDB_txn *txn = NULL;
	MDB_val k;
	size_t n = 1;
	int rc;

	if (count != NULL)
		*count = 0;
	if (key != NULL && cache_key_check(key, keylen, errbuf,
	    errlen) == -1)
		return STORE_ERROR;
	if (wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (key != NULL) {
		k.mv_data = (void *)key;
		k.mv_size = keylen;
		rc = mdb_del(txn, st->cache, &k, NULL);
		if (rc == MDB_NOTFOUND) {
			mdb_txn_abort(txn);
			return STORE_NOTFOUND;
		}
		if (rc != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_del(cache)");
			goto fail;
		}
	} else {
		if ((rc = mdb_stat(txn, st->cache, &ms)) != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_stat(cache)");
			goto fail;
		}
		n = ms.ms_entries;
		if ((rc = mdb_drop(txn, st->cache, 0)) != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_drop(cache)");
			goto fail;
		}
	}
	if (txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (count != NULL)
		*count = n;
	return STORE_OK;

fail:
	mdb_txn_abort(txn);
	return STORE_ERROR;
}

enum store_rc
store_cache_walk(struct store *st, store_cache_fn *cb, void *arg,
    char *errbuf, size_t errlen)
{
	struct store_verdict v;
	MDB_cursor *cur = NULL;
	MDB_txn *txn = NULL;
	MDB_val k, val;
	enum store_rc ret = STORE_ERROR;
	int rc;

	if (!st->has_cache)
		return STORE_OK;
	if (rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	if ((rc = mdb_cursor_open(txn, st->cache, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(cache)");
		goto cleanup;
	}
	for (rc = mdb_cursor_get(cur, &k, &val, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &val, MDB_NEXT)) {
		if (k.mv_size == 0 || k.mv_size > STORE_CACHE_KEYMAX ||
		    verdict_decode(&val, &v) == -1) {
			snprintf(errbuf, errlen, "corrupt verdict in cache");
			goto cleanup;
		}
		if (cb(arg, k.mv_data, k.mv_size, &v) != 0)
			break;
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(cache)");
		goto cleanup;
	}
	ret = STORE_OK;
cleanup:
	if (cur != NULL)
		mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return ret;
}

/* The delisting request queue. */

#define REQ_HDRLEN	(4 + 4 + 18 + 18 + 4 * 8)
#define REQ_MAXLEN	(REQ_HDRLEN + sizeof(struct store_request))
#define IDX_MAXLEN	(1 + STORE_TOKEN_LEN)

static const char *const req_status_names[REQ_STATUS_MAX] = {
	[REQ_PENDING] = "pending",
	[REQ_APPROVED] = "approved",
	[REQ_DENIED] = "denied",
	[REQ_RESOLVED] = "resolved",
};

const char *
store_req_status_name(enum store_req_status s)
{
	return (unsigned)s < REQ_STATUS_MAX ? req_status_names[s] : "?";
}

static void
id_key(uint8_t *kb, uint64_t id)
{
	be64_put(kb, id);
}

/* An index key: kind 'a' or 's' with an address, 't' with a token. */
static size_t
idx_key(uint8_t *kb, int kind, const struct addr *a, const char *token)
{
	kb[0] = (uint8_t)kind;
	if (token != NULL) {
		memcpy(kb + 1, token, STORE_TOKEN_LEN);
		return 1 + STORE_TOKEN_LEN;
	}
	return 1 + key_make(kb + 1, a);
}

static uint8_t *
put_addr(uint8_t *p, const struct addr *a)
{
	*p++ = a->af;
	*p++ = a->len;
	memcpy(p, a->a, 16);
	return p + 16;
}

static const uint8_t *
get_addr(const uint8_t *p, struct addr *a)
{
	a->af = *p++;
	a->len = *p++;
	memcpy(a->a, p, 16);
	return p + 16;
}

static size_t
req_encode(uint8_t *buf, const struct store_request *r)
{
	const char *str[] = { r->token, r->email, r->text, r->reason,
	    r->actor, r->note };
	uint8_t *p = buf;
	size_t i, n;

	memcpy(p, &r->status, 4);
	memcpy(p + 4, &r->flags, 4);
	p = put_addr(p + 8, &r->addr);
	p = put_addr(p, &r->client);
	memcpy(p, &r->created, 8);
	memcpy(p + 8, &r->decided, 8);
	memcpy(p + 16, &r->visible, 8);
	memcpy(p + 24, &r->expires, 8);
	p += 32;
	for (i = 0; i < sizeof(str) / sizeof(str[0]); i++) {
		n = strlen(str[i]);
		memcpy(p, str[i], n + 1);
		p += n + 1;
	}
	return (size_t)(p - buf);
}

static int
req_decode(const MDB_val *v, uint64_t id, struct store_request *r)
{
	struct {
		char	*s;
		size_t	 size;
	} str[] = {
		{ r->token, sizeof(r->token) }, { r->email, sizeof(r->email) },
		{ r->text, sizeof(r->text) }, { r->reason, sizeof(r->reason) },
		{ r->actor, sizeof(r->actor) }, { r->note, sizeof(r->note) },
	};
	const uint8_t *p = v->mv_data, *end = p + v->mv_size, *z;
	size_t i, n;

	memset(r, 0, sizeof(*r));
	if (v->mv_size < REQ_HDRLEN)
		return -1;
	r->id = id;
	memcpy(&r->status, p, 4);
	memcpy(&r->flags, p + 4, 4);
	p = get_addr(p + 8, &r->addr);
	p = get_addr(p, &r->client);
	memcpy(&r->created, p, 8);
	memcpy(&r->decided, p + 8, 8);
	memcpy(&r->visible, p + 16, 8);
	memcpy(&r->expires, p + 24, 8);
	p += 32;
	for (i = 0; i < sizeof(str) / sizeof(str[0]); i++) {
		if ((z = memchr(p, '\0', (size_t)(end - p))) == NULL)
			return -1;
		n = (size_t)(z - p);
		if (n >= str[i].size)
			return -1;
		memcpy(str[i].s, p, n + 1);
		p = z + 1;
	}
	return r->status < REQ_STATUS_MAX ? 0 : -1;
}

static int
req_put(struct store *st, MDB_txn *txn, const struct store_request *r,
    unsigned flags, char *errbuf, size_t errlen)
{
	uint8_t kb[8], *vb;
	MDB_val k, v;
	int rc;

	id_key(kb, r->id);
	vb = xmalloc(REQ_MAXLEN);
	k.mv_data = kb;
	k.mv_size = sizeof(kb);
	v.mv_data = vb;
	v.mv_size = req_encode(vb, r);
	rc = mdb_put(txn, st->req, &k, &v, flags);
	free(vb);
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(requests)");
		return -1;
	}
	return 0;
}

static int
idx_put(struct store *st, MDB_txn *txn, const uint8_t *key, size_t keylen,
    const void *val, size_t vallen, char *errbuf, size_t errlen)
{
	MDB_val k, v;
	int rc;

	k.mv_data = (void *)key;
	k.mv_size = keylen;
	v.mv_data = (void *)val;
	v.mv_size = vallen;
	if ((rc = mdb_put(txn, st->reqidx, &k, &v, 0)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_put(reqindex)");
		return -1;
	}
	return 0;
}

/* An index value (8 bytes) at key: STORE_OK, STORE_NOTFOUND or error. */
static enum store_rc
idx_get(struct store *st, MDB_txn *txn, const uint8_t *key, size_t keylen,
    uint64_t *out, char *errbuf, size_t errlen)
{
	MDB_val k, v;
	int rc;

	k.mv_data = (void *)key;
	k.mv_size = keylen;
	rc = mdb_get(txn, st->reqidx, &k, &v);
	if (rc == MDB_NOTFOUND)
		return STORE_NOTFOUND;
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(reqindex)");
		return STORE_ERROR;
	}
	if (v.mv_size != 8) {
		snprintf(errbuf, errlen, "corrupt value in reqindex");
		return STORE_ERROR;
	}
	memcpy(out, v.mv_data, 8);
	return STORE_OK;
}

/* The next request id: one more than the last. */
static int
req_next_id(struct store *st, MDB_txn *txn, uint64_t *id, char *errbuf,
    size_t errlen)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	*id = 1;
	if ((rc = mdb_cursor_open(txn, st->req, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(requests)");
		return -1;
	}
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0 || k.mv_size != 8) {
		if (rc == 0)
			snprintf(errbuf, errlen, "corrupt key in requests");
		else
			store_err(st, rc, errbuf, errlen,
			    "mdb_cursor_get(requests)");
		return -1;
	}
	*id = be64_get(k.mv_data) + 1;
	return 0;
}

static int
req_check(struct store *st, char *errbuf, size_t errlen)
{
	if (!st->has_req) {
		snprintf(errbuf, errlen, "the database has no request queue "
		    "yet (opened read-only)");
		return -1;
	}
	return 0;
}

/*
 * The audit record of a request event: entry the address, reason
 * "request 7: TEXT".
 */
static int
req_audit(struct store *st, MDB_txn *txn, const char *actor,
    const char *action, const struct store_request *r, const char *text,
    char *errbuf, size_t errlen)
{
	char a[ADDR_STRLEN], *reason;
	int ret;

	(void)xasprintf(&reason, "request %llu%s%s",
	    (unsigned long long)r->id, text[0] ? ": " : "", text);
	ret = audit_put(st, txn, actor, strlen(actor), action, "",
	    addr_format(&r->addr, a, sizeof(a)), reason, strlen(reason),
	    errbuf, errlen);
	free(reason);
	return ret;
}

enum store_rc
store_request_add(struct store *st, struct store_request *r,
    const struct store_entry *white, const char *actor, uint64_t *other,
    char *errbuf, size_t errlen)
{
	uint8_t kb[IDX_MAXLEN], idb[8];
	MDB_txn *txn = NULL;
	enum store_rc rc;
	struct store_entry w;
	char text[STORE_EMAIL_MAX + 64], *wreason = NULL;
	uint64_t pending;
	size_t kl;
	int isnew;

	if (req_check(st, errbuf, errlen) == -1 ||
	    addr_check(&r->addr, errbuf, errlen) == -1 ||
	    (white != NULL && entry_check(white, errbuf, errlen) == -1))
		return STORE_ERROR;
	if (strlen(r->token) != STORE_TOKEN_LEN) {
		snprintf(errbuf, errlen, "request token of the wrong length");
		return STORE_ERROR;
	}
	if (wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	kl = idx_key(kb, 'a', &r->addr, NULL);
	if (r->status == REQ_PENDING) {
		rc = idx_get(st, txn, kb, kl, &pending, errbuf, errlen);
		if (rc == STORE_OK) {
			mdb_txn_abort(txn);
			if (other != NULL)
				*other = pending;
			return STORE_EXISTS;
		}
		if (rc == STORE_ERROR)
			goto fail;
	}
	if (req_next_id(st, txn, &r->id, errbuf, errlen) == -1 ||
	    req_put(st, txn, r, MDB_APPEND, errbuf, errlen) == -1)
		goto fail;
	memcpy(idb, &r->id, 8);
	if (r->status == REQ_PENDING &&
	    idx_put(st, txn, kb, kl, idb, 8, errbuf, errlen) == -1)
		goto fail;
	kl = idx_key(kb, 't', NULL, r->token);
	if (idx_put(st, txn, kb, kl, idb, 8, errbuf, errlen) == -1)
		goto fail;
	if (r->flags & REQ_SELF) {
		kl = idx_key(kb, 's', &r->addr, NULL);
		if (idx_put(st, txn, kb, kl, &r->created, 8, errbuf,
		    errlen) == -1)
			goto fail;
	}
	snprintf(text, sizeof(text), "%s from %s",
	    store_req_status_name(r->status), r->email);
	if (req_audit(st, txn, actor, "request", r, text, errbuf,
	    errlen) == -1)
		goto fail;
	if (white != NULL) {
		/* the entry names its request, whose id is known only now */
		w = *white;
		(void)xasprintf(&wreason, "delisting request %llu: %.*s",
		    (unsigned long long)r->id, (int)white->reason_len,
		    white->reason != NULL ? white->reason : "");
		w.reason = wreason;
		w.reason_len = strlen(wreason) > REASON_MAX ? REASON_MAX :
		    strlen(wreason);
		if (entry_add(st, txn, LIST_WHITE, &w, &isnew, errbuf,
		    errlen) == -1)
			goto fail;
	}
	free(wreason);
	if (txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	return STORE_OK;
fail:
	free(wreason);
	mdb_txn_abort(txn);
	return STORE_ERROR;
}

/* Read request id inside txn. */
static enum store_rc
req_get(struct store *st, MDB_txn *txn, uint64_t id, struct store_request *r,
    char *errbuf, size_t errlen)
{
	uint8_t kb[8];
	MDB_val k, v;
	int rc;

	id_key(kb, id);
	k.mv_data = kb;
	k.mv_size = sizeof(kb);
	rc = mdb_get(txn, st->req, &k, &v);
	if (rc == MDB_NOTFOUND)
		return STORE_NOTFOUND;
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(requests)");
		return STORE_ERROR;
	}
	if (req_decode(&v, id, r) == -1) {
		snprintf(errbuf, errlen, "corrupt request %llu",
		    (unsigned long long)id);
		return STORE_ERROR;
	}
	return STORE_OK;
}

enum store_rc
store_request_get(struct store *st, uint64_t id, struct store_request *r,
    char *errbuf, size_t errlen)
{
	MDB_txn *txn;
	enum store_rc rc;

	if (!st->has_req)
		return STORE_NOTFOUND;
	if (rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	rc = req_get(st, txn, id, r, errbuf, errlen);
	mdb_txn_abort(txn);
	return rc;
}

enum store_rc
store_request_by_token(struct store *st, const char *token,
    struct store_request *r, char *errbuf, size_t errlen)
{
	uint8_t kb[IDX_MAXLEN];
	MDB_txn *txn;
	enum store_rc rc;
	uint64_t id;

	if (!st->has_req || strlen(token) != STORE_TOKEN_LEN)
		return STORE_NOTFOUND;
	if (rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	rc = idx_get(st, txn, kb, idx_key(kb, 't', NULL, token), &id,
	    errbuf, errlen);
	if (rc == STORE_OK)
		rc = req_get(st, txn, id, r, errbuf, errlen);
	mdb_txn_abort(txn);
	return rc;
}

enum store_rc
store_request_state(struct store *st, const struct addr *a, uint64_t *id,
    int64_t *self, char *errbuf, size_t errlen)
{
	uint8_t kb[IDX_MAXLEN];
	MDB_txn *txn;
	enum store_rc rc, rc2;
	uint64_t t;

	*id = 0;
	*self = 0;
	if (!st->has_req)
		return STORE_NOTFOUND;
	if (rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	rc = idx_get(st, txn, kb, idx_key(kb, 'a', a, NULL), id, errbuf,
	    errlen);
	if (rc != STORE_ERROR) {
		rc2 = idx_get(st, txn, kb, idx_key(kb, 's', a, NULL), &t,
		    errbuf, errlen);
		if (rc2 == STORE_ERROR)
			rc = STORE_ERROR;
		else if (rc2 == STORE_OK)
			memcpy(self, &t, 8);
	}
	mdb_txn_abort(txn);
	return rc;
}

enum store_rc
store_request_decide(struct store *st, uint64_t id,
    enum store_req_status status, struct store_request *r,
    const struct store_entry *white, char *errbuf, size_t errlen)
{
	struct store_request cur;
	uint8_t kb[IDX_MAXLEN];
	MDB_txn *txn = NULL;
	MDB_val k;
	enum store_rc rc;
	int isnew, mrc;

	if (req_check(st, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (status != REQ_APPROVED && status != REQ_DENIED) {
		snprintf(errbuf, errlen, "a decision is approved or denied");
		return STORE_ERROR;
	}
	if (white != NULL && entry_check(white, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	rc = req_get(st, txn, id, &cur, errbuf, errlen);
	if (rc != STORE_OK) {
		mdb_txn_abort(txn);
		return rc;
	}
	if (cur.status != REQ_PENDING) {
		mdb_txn_abort(txn);
		*r = cur;
		return STORE_EXISTS;
	}
	cur.status = status;
	cur.decided = r->decided;
	cur.visible = r->visible;
	cur.expires = white != NULL ? white->expires : 0;
	str_copy(cur.actor, r->actor, sizeof(cur.actor));
	str_copy(cur.note, r->note, sizeof(cur.note));
	if (req_put(st, txn, &cur, 0, errbuf, errlen) == -1)
		goto fail;
	k.mv_data = kb;
	k.mv_size = idx_key(kb, 'a', &cur.addr, NULL);
	mrc = mdb_del(txn, st->reqidx, &k, NULL);
	if (mrc != 0 && mrc != MDB_NOTFOUND) {
		store_err(st, mrc, errbuf, errlen, "mdb_del(reqindex)");
		goto fail;
	}
	if (req_audit(st, txn, cur.actor, status == REQ_APPROVED ? "approve" :
	    "deny", &cur, cur.note, errbuf, errlen) == -1)
		goto fail;
	if (white != NULL &&
	    entry_add(st, txn, LIST_WHITE, white, &isnew, errbuf, errlen) == -1)
		goto fail;
	if (txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	*r = cur;
	return STORE_OK;
fail:
	mdb_txn_abort(txn);
	return STORE_ERROR;
}

enum store_rc
store_request_walk(struct store *st, store_request_fn *cb, void *arg,
    char *errbuf, size_t errlen)
{
	struct store_request *r;
	MDB_cursor *cur = NULL;
	MDB_txn *txn = NULL;
	MDB_val k, v;
	enum store_rc ret = STORE_ERROR;
	uint64_t id;
	int rc;

	if (!st->has_req)
		return STORE_OK;
	if (rtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	r = xmalloc(sizeof(*r));
	if ((rc = mdb_cursor_open(txn, st->req, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(requests)");
		goto cleanup;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		id = k.mv_size == 8 ? be64_get(k.mv_data) : 0;
		if (k.mv_size != 8 || req_decode(&v, id, r) == -1) {
			snprintf(errbuf, errlen, "corrupt request in requests");
			goto cleanup;
		}
		if (cb(arg, r) != 0)
			break;
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_get(requests)");
		goto cleanup;
	}
	ret = STORE_OK;
cleanup:
	if (cur != NULL)
		mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	free(r);
	return ret;
}
