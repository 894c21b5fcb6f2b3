/* SPDX-License-Identifier: ISC */
/*
 * store_queue.c -- the delisting request queue.
 *
 * "requests": key u64 big-endian request id; value u32 status, u32
 * flags, the address and the client's (af, prefix length, 16 bytes
 * each), i64 created, decided, visible and expires, then the
 * NUL-terminated token, e-mail, text, reason, actor and note.
 * "reqindex": 'a' + address key -> u64 id of its pending request;
 * 't' + token -> u64 id; 's' + address key -> i64 time of its last
 * self-service removal; 'v' + token of a link -> i64 deadline and an
 * unconfirmed request as in "requests" (id 0, token the link's).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_queue.h"
#include "store_audit_txn.h"
#include "store_base.h"
#include "store_list.h"
#include "store_list_txn.h"
#include "store_queue_txn.h"
#include "util.h"

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
	store_be64_put(kb, id);
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
	return 1 + store_key_make(kb + 1, a);
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
	*id = store_be64_get(k.mv_data) + 1;
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
	ret = store_audit_put(st, txn, actor, strlen(actor), action, "",
	    addr_format(&r->addr, a, sizeof(a)), reason, strlen(reason),
	    errbuf, errlen);
	free(reason);
	return ret;
}

/*
 * The list entry of approved request r inside txn (grant's, into the
 * exemption list or, with REQ_WHITE, the white list), and with unblock
 * the deletion of the black entry of exactly r's address, which sets
 * REQ_UNBLOCKED in r->flags. Returns 0 or -1.
 */
static int
req_grant(struct store *st, MDB_txn *txn, struct store_request *r,
    store_grant_fn *grant, void *arg, int unblock, char *errbuf,
    size_t errlen)
{
	struct store_entry e;
	char why[64];
	unsigned exempt = 0;
	int isnew, rc, l;

	if (!(r->flags & REQ_WHITE)) {
		if ((l = store_list_lookup(st, LIST_EXEMPT_NAME)) == -1) {
			snprintf(errbuf, errlen, "the %s list is not open",
			    LIST_EXEMPT_NAME);
			return -1;
		}
		exempt = (unsigned)l;
	}
	if (unblock) {
		snprintf(why, sizeof(why), "request %llu",
		    (unsigned long long)r->id);
		rc = store_entry_del(st, txn, LIST_BLACK, &r->addr,
		    ENTRY_EXCLUDE, r->actor, why, errbuf, errlen);
		if (rc == -1)
			return -1;
		if (rc == 0)
			r->flags |= REQ_UNBLOCKED;
	}
	memset(&e, 0, sizeof(e));
	grant(arg, r, &e);
	return store_entry_add(st, txn, (r->flags & REQ_WHITE) ? LIST_WHITE :
	    exempt, &e, &isnew, errbuf, errlen);
}

/* Open the exemption list, creating it, before a write txn: 0 or -1. */
static int
exempt_ready(struct store *st, const struct store_request *r,
    store_grant_fn *grant, char *errbuf, size_t errlen)
{
	unsigned id;

	if (grant == NULL || (r->flags & REQ_WHITE))
		return 0;
	return store_exempt_open(st, 1, "rdnsbl", &id, NULL, errbuf,
	    errlen) == STORE_OK ? 0 : -1;
}

enum store_rc
store_request_add(struct store *st, struct store_request *r,
    store_grant_fn *grant, void *arg, const char *actor, uint64_t *other,
    char *errbuf, size_t errlen)
{
	uint8_t kb[IDX_MAXLEN], idb[8];
	MDB_txn *txn = NULL;
	enum store_rc rc;
	char text[STORE_EMAIL_MAX + 64];
	uint64_t pending;
	size_t kl;

	if (req_check(st, errbuf, errlen) == -1 ||
	    store_addr_check(&r->addr, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (grant != NULL && r->status != REQ_APPROVED) {
		snprintf(errbuf, errlen, "only an approval writes a list "
		    "entry");
		return STORE_ERROR;
	}
	if (strlen(r->token) != STORE_TOKEN_LEN) {
		snprintf(errbuf, errlen, "request token of the wrong length");
		return STORE_ERROR;
	}
	if (exempt_ready(st, r, grant, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
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
	/* the entry may name its request, whose id is known only now */
	if (grant != NULL && req_grant(st, txn, r, grant, arg, 0, errbuf,
	    errlen) == -1)
		goto fail;
	if (store_txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	return STORE_OK;
fail:
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
	if (store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
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
	if (store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
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
	if (store_rtxn_begin(st, &txn, errbuf, errlen) == -1)
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
    store_grant_fn *grant, void *arg, char *errbuf, size_t errlen)
{
	struct store_request cur;
	uint8_t kb[IDX_MAXLEN];
	MDB_txn *txn = NULL;
	MDB_val k;
	enum store_rc rc;
	int mrc;

	if (req_check(st, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (status != REQ_APPROVED && status != REQ_DENIED) {
		snprintf(errbuf, errlen, "a decision is approved or denied");
		return STORE_ERROR;
	}
	if (grant != NULL && status != REQ_APPROVED) {
		snprintf(errbuf, errlen, "only an approval writes a list "
		    "entry");
		return STORE_ERROR;
	}
	if (exempt_ready(st, r, grant, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
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
	cur.expires = status == REQ_APPROVED ? r->expires : 0;
	str_copy(cur.actor, r->actor, sizeof(cur.actor));
	str_copy(cur.note, r->note, sizeof(cur.note));
	if (status == REQ_APPROVED)
		cur.flags |= r->flags & REQ_WHITE;
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
	if (grant != NULL && req_grant(st, txn, &cur, grant, arg, 1, errbuf,
	    errlen) == -1)
		goto fail;
	if (req_put(st, txn, &cur, 0, errbuf, errlen) == -1)
		goto fail;
	if (store_txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	*r = cur;
	return STORE_OK;
fail:
	mdb_txn_abort(txn);
	return STORE_ERROR;
}

struct request_walk {
	store_request_fn	*cb;
	void			*arg;
	struct store_request	*r;
};

static int
request_record(void *arg, const MDB_val *k, const MDB_val *v, char *errbuf,
    size_t errlen)
{
	struct request_walk *w = arg;

	if (k->mv_size != 8 ||
	    req_decode(v, store_be64_get(k->mv_data), w->r) == -1) {
		snprintf(errbuf, errlen, "corrupt request in requests");
		return -1;
	}
	return w->cb(w->arg, w->r) != 0;
}

enum store_rc
store_request_walk(struct store *st, store_request_fn *cb, void *arg,
    char *errbuf, size_t errlen)
{
	struct request_walk w = { cb, arg, NULL };
	enum store_rc rc;

	if (!st->has_req)
		return STORE_OK;
	w.r = xmalloc(sizeof(*w.r));
	rc = store_table_walk(st, st->req, "requests", request_record, &w,
	    errbuf, errlen);
	free(w.r);
	return rc;
}

/* Conversion of the white entries that approvals made (store_exempt_open). */

#define EXEMPT_DONE_KEY	"exempt:converted"
#define GRANT_PREFIX	"delisting request "

/* A white entry to move, its strings copied. */
struct old_grant {
	struct store_entry	 e;
	uint64_t		 id;
	char			 actor[STORE_ACTOR_MAX + 1];
	char			 reason[STORE_REASON_MAX + 1];
};

/*
 * The request id that white entry e's reason names ("delisting request
 * N", ": ..." may follow), or 0.
 */
static uint64_t
grant_id(const struct store_entry *e)
{
	char buf[48], *end;
	size_t n = sizeof(GRANT_PREFIX) - 1;
	unsigned long long id;

	if (e->reason_len <= n || memcmp(e->reason, GRANT_PREFIX, n) != 0)
		return 0;
	snprintf(buf, sizeof(buf), "%.*s", (int)(e->reason_len - n >
	    sizeof(buf) - 1 ? sizeof(buf) - 1 : e->reason_len - n),
	    e->reason + n);
	if (buf[0] < '0' || buf[0] > '9')
		return 0;
	id = strtoull(buf, &end, 10);
	return *end == '\0' || *end == ':' ? (uint64_t)id : 0;
}

/*
 * Collect the white entries of approvals inside txn: each whose reason
 * names an approved request of exactly its address. Returns 0 with *v
 * (*n entries, to free), or -1.
 */
static int
grants_find(struct store *st, MDB_txn *txn, struct old_grant **v, size_t *n,
    char *errbuf, size_t errlen)
{
	struct store_request *r;
	struct store_entry e;
	struct store_vmemo memo;
	struct old_grant *g;
	MDB_cursor *cur;
	MDB_val k, d;
	enum store_rc rc;
	uint64_t id;
	int mrc, ret = -1;

	memset(&memo, 0, sizeof(memo));
	*v = NULL;
	*n = 0;
	if ((mrc = mdb_cursor_open(txn, st->lists[LIST_WHITE].dbi,
	    &cur)) != 0) {
		store_err(st, mrc, errbuf, errlen, "mdb_cursor_open(white)");
		return -1;
	}
	r = xmalloc(sizeof(*r));
	for (mrc = mdb_cursor_get(cur, &k, &d, MDB_FIRST); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &d, MDB_NEXT)) {
		memset(&e, 0, sizeof(e));
		if (store_entry_decode(st, txn, LIST_WHITE, &d, &e,
		    &memo) == -1 ||
		    store_entry_key_parse(LIST_KIND_IP, &k, &e) == -1) {
			snprintf(errbuf, errlen, "corrupt entry in white");
			goto out;
		}
		if ((id = grant_id(&e)) == 0 || (e.flags & ENTRY_EXCLUDE))
			continue;
		rc = req_get(st, txn, id, r, errbuf, errlen);
		if (rc == STORE_ERROR)
			goto out;
		if (rc != STORE_OK || r->status != REQ_APPROVED ||
		    !addr_equal(&r->addr, &e.prefix))
			continue;
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		g = &(*v)[(*n)++];
		g->e = e;
		g->id = id;
		snprintf(g->actor, sizeof(g->actor), "%.*s",
		    (int)e.actor_len, e.actor);
		snprintf(g->reason, sizeof(g->reason), "%.*s",
		    (int)e.reason_len, e.reason);
		g->e.actor = g->actor;
		g->e.reason = g->reason;
	}
	if (mrc != MDB_NOTFOUND) {
		store_err(st, mrc, errbuf, errlen, "mdb_cursor_get(white)");
		goto out;
	}
	/* the array moved as it grew: point each entry at its own copies */
	for (g = *v; *n > 0 && g < *v + *n; g++) {
		g->e.actor = g->actor;
		g->e.reason = g->reason;
	}
	ret = 0;
out:
	mdb_cursor_close(cur);
	free(r);
	return ret;
}

/* Move the approvals' white entries to list exempt inside txn. */
static int
grants_convert(struct store *st, MDB_txn *txn, unsigned exempt,
    const char *actor, size_t *converted, char *errbuf, size_t errlen)
{
	struct old_grant *v;
	char why[96];
	size_t i, n;
	int isnew, ret = 0;

	if (grants_find(st, txn, &v, &n, errbuf, errlen) == -1)
		return -1;
	for (i = 0; i < n && ret == 0; i++) {
		snprintf(why, sizeof(why), "request %llu: converted to a "
		    "delisting exemption", (unsigned long long)v[i].id);
		if (store_entry_add(st, txn, exempt, &v[i].e, &isnew, errbuf,
		    errlen) == -1 || store_entry_del(st, txn, LIST_WHITE,
		    &v[i].e.prefix, 0, actor, why, errbuf, errlen) == -1)
			ret = -1;
	}
	free(v);
	*converted = n;
	return ret;
}

enum store_rc
store_exempt_open(struct store *st, int create, const char *actor,
    unsigned *id, size_t *converted, char *errbuf, size_t errlen)
{
	MDB_txn *txn = NULL;
	MDB_val k, v;
	enum store_rc rc;
	size_t n = 0;
	uint8_t one = 1;
	int mrc;

	if (converted != NULL)
		*converted = 0;
	rc = store_list_open(st, LIST_EXEMPT_NAME, LIST_KIND_IP, create, id,
	    errbuf, errlen);
	if (rc != STORE_OK || !create || st->readonly || st->exempt_done)
		return rc;
	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	k.mv_data = (void *)EXEMPT_DONE_KEY;
	k.mv_size = sizeof(EXEMPT_DONE_KEY) - 1;
	mrc = mdb_get(txn, st->meta, &k, &v);
	if (mrc == 0) {
		mdb_txn_abort(txn);
		st->exempt_done = 1;
		return STORE_OK;
	}
	if (mrc != MDB_NOTFOUND) {
		store_err(st, mrc, errbuf, errlen, "mdb_get(meta)");
		goto fail;
	}
	if (st->has_req && grants_convert(st, txn, *id, actor, &n, errbuf,
	    errlen) == -1)
		goto fail;
	v.mv_data = &one;
	v.mv_size = 1;
	if ((mrc = mdb_put(txn, st->meta, &k, &v, 0)) != 0) {
		store_err(st, mrc, errbuf, errlen, "mdb_put(meta)");
		goto fail;
	}
	if (store_txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	st->exempt_done = 1;
	if (converted != NULL)
		*converted = n;
	return STORE_OK;
fail:
	mdb_txn_abort(txn);
	return STORE_ERROR;
}

/* Unconfirmed requests. */

/* What verify_walk saw: the live ones, and those of one client. */
struct verify_count {
	const struct addr	*client;
	size_t			 total, client_n;
};

/*
 * Walk the 'v' keys inside txn: delete those expired at now (and any
 * unreadable one), count the others into *vc (if not NULL), counting
 * each looked at off *left (if not NULL, down to 0). 0 or -1.
 */
static int
verify_walk(struct store *st, MDB_txn *txn, int64_t now,
    struct verify_count *vc, size_t *left, char *errbuf, size_t errlen)
{
	struct store_request r;
	MDB_cursor *cur;
	MDB_val k, v, d;
	int64_t deadline;
	int rc;

	if ((rc = mdb_cursor_open(txn, st->reqidx, &cur)) != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_cursor_open(reqindex)");
		return -1;
	}
	k.mv_data = "v";
	k.mv_size = 1;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (((const uint8_t *)k.mv_data)[0] != 'v')
			break;
		if (left != NULL && *left > 0)
			(*left)--;
		d.mv_data = (uint8_t *)v.mv_data + 8;
		d.mv_size = v.mv_size >= 8 ? v.mv_size - 8 : 0;
		if (v.mv_size >= 8)
			memcpy(&deadline, v.mv_data, 8);
		if (v.mv_size < 8 || deadline <= now ||
		    req_decode(&d, 0, &r) == -1) {
			if ((rc = mdb_cursor_del(cur, 0)) != 0)
				break;
			continue;
		}
		if (vc == NULL)
			continue;
		vc->total++;
		if (addr_equal(&r.client, vc->client))
			vc->client_n++;
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_err(st, rc, errbuf, errlen, "unconfirmed requests");
		return -1;
	}
	return 0;
}

int
store_unconfirmed_purge(struct store *st, MDB_txn *txn, time_t now,
    size_t *left, char *errbuf, size_t errlen)
{
	if (!st->has_req)
		return 0;
	return verify_walk(st, txn, (int64_t)now, NULL, left, errbuf, errlen);
}

enum store_rc
store_unconfirmed_add(struct store *st, const struct store_request *r,
    int64_t deadline, int64_t now, unsigned max_client, unsigned max_total,
    char *errbuf, size_t errlen)
{
	struct verify_count vc;
	uint8_t kb[IDX_MAXLEN], *vb;
	MDB_txn *txn = NULL;
	size_t n;
	int rc;

	if (req_check(st, errbuf, errlen) == -1 ||
	    store_addr_check(&r->addr, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (strlen(r->token) != STORE_TOKEN_LEN) {
		snprintf(errbuf, errlen, "request token of the wrong length");
		return STORE_ERROR;
	}
	if (max_total > STORE_UNCONFIRMED_MAX)
		max_total = STORE_UNCONFIRMED_MAX;
	if (store_wtxn_begin(st, &txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	memset(&vc, 0, sizeof(vc));
	vc.client = &r->client;
	if (verify_walk(st, txn, now, &vc, NULL, errbuf, errlen) == -1)
		goto fail;
	if (vc.client_n >= max_client || vc.total >= max_total) {
		mdb_txn_abort(txn);
		snprintf(errbuf, errlen, "%zu unconfirmed requests %s",
		    vc.client_n >= max_client ? vc.client_n : vc.total,
		    vc.client_n >= max_client ? "from this client" : "in all");
		return STORE_LIMIT;
	}
	vb = xmalloc(8 + REQ_MAXLEN);
	memcpy(vb, &deadline, 8);
	n = 8 + req_encode(vb + 8, r);
	rc = idx_put(st, txn, kb, idx_key(kb, 'v', NULL, r->token), vb, n,
	    errbuf, errlen);
	free(vb);
	if (rc == -1)
		goto fail;
	if (store_txn_commit(st, txn, errbuf, errlen) == -1)
		return STORE_ERROR;
	return STORE_OK;
fail:
	mdb_txn_abort(txn);
	return STORE_ERROR;
}

enum store_rc
store_unconfirmed_get(struct store *st, const char *token, int64_t now,
    int take, struct store_request *r, int *expired, char *errbuf,
    size_t errlen)
{
	uint8_t kb[IDX_MAXLEN];
	MDB_txn *txn = NULL;
	MDB_val k, v, d;
	int64_t deadline;
	int rc;

	*expired = 0;
	if (!st->has_req || strlen(token) != STORE_TOKEN_LEN)
		return STORE_NOTFOUND;
	if (take ? store_wtxn_begin(st, &txn, errbuf, errlen) :
	    store_rtxn_begin(st, &txn, errbuf, errlen))
		return STORE_ERROR;
	k.mv_data = kb;
	k.mv_size = idx_key(kb, 'v', NULL, token);
	rc = mdb_get(txn, st->reqidx, &k, &v);
	if (rc == MDB_NOTFOUND) {
		mdb_txn_abort(txn);
		return STORE_NOTFOUND;
	}
	if (rc != 0) {
		store_err(st, rc, errbuf, errlen, "mdb_get(reqindex)");
		goto fail;
	}
	d.mv_data = (uint8_t *)v.mv_data + 8;
	d.mv_size = v.mv_size >= 8 ? v.mv_size - 8 : 0;
	if (v.mv_size < 8 || req_decode(&d, 0, r) == -1) {
		snprintf(errbuf, errlen, "corrupt unconfirmed request");
		goto fail;
	}
	memcpy(&deadline, v.mv_data, 8);
	*expired = deadline <= now;
	if (take || *expired) {
		if (!take) {
			/* a reader leaves the deletion to the next purge */
			mdb_txn_abort(txn);
			return STORE_NOTFOUND;
		}
		if ((rc = mdb_del(txn, st->reqidx, &k, NULL)) != 0) {
			store_err(st, rc, errbuf, errlen, "mdb_del(reqindex)");
			goto fail;
		}
		if (store_txn_commit(st, txn, errbuf, errlen) == -1)
			return STORE_ERROR;
		return *expired ? STORE_NOTFOUND : STORE_OK;
	}
	mdb_txn_abort(txn);
	return STORE_OK;
fail:
	mdb_txn_abort(txn);
	return STORE_ERROR;
}
