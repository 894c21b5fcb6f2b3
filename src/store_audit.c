/* SPDX-License-Identifier: ISC */
/*
 * store_audit.c -- the audit log: who changed which entry of which list,
 * or acted on a delisting request, when and why.
 *
 * Audit key: u64 number, big-endian, so that the records sort in order.
 * Audit value: i64 time, then NUL-terminated actor, action, list, entry
 * and reason.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_audit.h"
#include "store_audit_txn.h"
#include "store_base.h"
#include "util.h"

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

struct audit_walk {
	store_audit_fn	*cb;
	void		*arg;
	char		*buf;		/* a record, NUL-terminated */
	size_t		 bufsize;
};

static int
audit_record(void *arg, const MDB_val *k, const MDB_val *v, char *errbuf,
    size_t errlen)
{
	struct audit_walk *w = arg;
	struct store_audit a;

	if (k->mv_size != 8) {
		snprintf(errbuf, errlen, "corrupt key in audit");
		return -1;
	}
	a.seq = store_be64_get(k->mv_data);
	if (v->mv_size + 1 > w->bufsize) {
		w->bufsize = v->mv_size + 1;
		w->buf = xreallocarray(w->buf, w->bufsize, 1);
	}
	memcpy(w->buf, v->mv_data, v->mv_size);
	w->buf[v->mv_size] = '\0';
	if (audit_decode(w->buf, v->mv_size, &a) == -1) {
		snprintf(errbuf, errlen, "corrupt audit record %llu",
		    (unsigned long long)a.seq);
		return -1;
	}
	return w->cb(w->arg, &a) != 0;
}

enum store_rc
store_audit_walk(struct store *st, store_audit_fn *cb, void *arg,
    char *errbuf, size_t errlen)
{
	struct audit_walk w = { cb, arg, NULL, 0 };
	enum store_rc rc;

	rc = store_table_walk(st, st->audit, "audit", audit_record, &w,
	    errbuf, errlen);
	free(w.buf);
	return rc;
}
