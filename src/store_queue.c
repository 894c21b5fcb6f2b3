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
 * self-service removal.
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

enum store_rc
store_request_add(struct store *st, struct store_request *r,
    store_white_fn *white, void *arg, const char *actor, uint64_t *other,
    char *errbuf, size_t errlen)
{
	uint8_t kb[IDX_MAXLEN], idb[8];
	MDB_txn *txn = NULL;
	enum store_rc rc;
	struct store_entry w;
	char text[STORE_EMAIL_MAX + 64];
	uint64_t pending;
	size_t kl;
	int isnew;

	if (req_check(st, errbuf, errlen) == -1 ||
	    store_addr_check(&r->addr, errbuf, errlen) == -1)
		return STORE_ERROR;
	if (white != NULL && r->status != REQ_APPROVED) {
		snprintf(errbuf, errlen, "only an approval writes a white list "
		    "entry");
		return STORE_ERROR;
	}
	if (strlen(r->token) != STORE_TOKEN_LEN) {
		snprintf(errbuf, errlen, "request token of the wrong length");
		return STORE_ERROR;
	}
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
	if (white != NULL) {
		/* the entry may name its request, whose id is known only now */
		memset(&w, 0, sizeof(w));
		white(arg, r, &w);
		if (store_entry_add(st, txn, LIST_WHITE, &w, &isnew, errbuf,
		    errlen) == -1)
			goto fail;
	}
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
    store_white_fn *white, void *arg, char *errbuf, size_t errlen)
{
	struct store_request cur;
	struct store_entry w;
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
	if (white != NULL && status != REQ_APPROVED) {
		snprintf(errbuf, errlen, "only an approval writes a white list "
		    "entry");
		return STORE_ERROR;
	}
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
	if (white != NULL) {
		memset(&w, 0, sizeof(w));
		white(arg, &cur, &w);
		if (store_entry_add(st, txn, LIST_WHITE, &w, &isnew, errbuf,
		    errlen) == -1)
			goto fail;
	}
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
