/* SPDX-License-Identifier: ISC */
/*
 * store_queue.h -- the delisting request queue in the store. A request
 * is pending until rdnsblctl approves or denies it; one that passed the
 * checks again at once, or got a self-service removal, is stored already
 * decided. At most one request per address is pending. Every change
 * writes an audit record in the same transaction; an approval's white
 * list entry too.
 */
#ifndef STORE_QUEUE_H
#define STORE_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "store.h"

struct store_entry;

enum store_req_status {
	REQ_PENDING = 0,
	REQ_APPROVED,		/* whitelisted by a reviewer or self-service */
	REQ_DENIED,
	REQ_RESOLVED,		/* passed the checks when submitted */
	REQ_STATUS_MAX
};

#define REQ_SELF		0x01	/* approved by self-service */
#define REQ_UNCHECKED		0x02	/* the checks could not run when sent */

#define STORE_TOKEN_LEN		32	/* hex digits of a status token */
#define STORE_EMAIL_MAX		254
#define STORE_TEXT_MAX		2000
#define STORE_NOTE_MAX		1024
#define STORE_RREASON_MAX	512

struct store_request {
	uint64_t	 id;		/* set by store_request_add */
	uint32_t	 status;	/* enum store_req_status */
	uint32_t	 flags;		/* REQ_* */
	struct addr	 addr;		/* the listed address */
	struct addr	 client;	/* who asked */
	int64_t		 created;
	int64_t		 decided;	/* 0: pending */
	int64_t		 visible;	/* every MX sees the decision by */
	int64_t		 expires;	/* of the whitelist entry, 0: never */
	char		 token[STORE_TOKEN_LEN + 1];
	char		 email[STORE_EMAIL_MAX + 1];
	char		 text[STORE_TEXT_MAX + 1];	/* what the host is */
	char		 reason[STORE_RREASON_MAX + 1];	/* listed for */
	char		 actor[64];	/* who decided */
	char		 note[STORE_NOTE_MAX + 1];	/* approve note, deny */
};

/* "pending", "approved", ... (a static string), "?" for another value. */
const char	*store_req_status_name(enum store_req_status);

/*
 * Fill *w (zeroed) with the white list entry that approved request r
 * writes, inside the store's write transaction: r->id is known by then,
 * and r holds what is being stored. The strings of *w must last until
 * the store call returns (arg may hold them). delist_white() (delist.h)
 * is the one such function: the rule lives there, not in the store.
 */
typedef void store_white_fn(void *arg, const struct store_request *r,
    struct store_entry *w);

/*
 * Add a request (r->id is set) in a write transaction of its own. A
 * pending one is refused with STORE_EXISTS (and *other, if not NULL,
 * gets the pending id) when the address already has one. white, if not
 * NULL, gives the white list entry added in the same transaction (a
 * self-service removal; only an approved request has one). actor names
 * the submitter for the audit trail. Returns STORE_OK, STORE_EXISTS or
 * STORE_ERROR.
 */
enum store_rc	 store_request_add(struct store *, struct store_request *r,
		    store_white_fn *white, void *arg, const char *actor,
		    uint64_t *other, char *errbuf, size_t errlen);

/*
 * A request by id or by token, copied into *r (own read transactions).
 * Returns STORE_OK, STORE_NOTFOUND or STORE_ERROR.
 */
enum store_rc	 store_request_get(struct store *, uint64_t id,
		    struct store_request *r, char *errbuf, size_t errlen);
enum store_rc	 store_request_by_token(struct store *, const char *token,
		    struct store_request *r, char *errbuf, size_t errlen);

/*
 * The pending request of an address (*id, 0: none), and the time of its
 * last self-service removal (*self, 0: never); own read transaction.
 * Returns STORE_OK (one is pending), STORE_NOTFOUND or STORE_ERROR.
 */
enum store_rc	 store_request_state(struct store *, const struct addr *a,
		    uint64_t *id, int64_t *self, char *errbuf, size_t errlen);

/*
 * Decide a pending request: status REQ_APPROVED (with white, if not
 * NULL, giving the white list entry added in the same transaction) or
 * REQ_DENIED, with the actor, note, decision time, visible time and, for
 * an approval, the entry's expiry of r (the other fields are ignored),
 * in a write transaction of its own. NOTFOUND: no such request; EXISTS:
 * it was already decided (*r is filled with it then, as on success).
 */
enum store_rc	 store_request_decide(struct store *, uint64_t id,
		    enum store_req_status status, struct store_request *r,
		    store_white_fn *white, void *arg, char *errbuf,
		    size_t errlen);

/*
 * Walk the requests, oldest first, in a read transaction of its own; *r
 * is a copy valid during the call. cb returns 0 to go on, non-zero to
 * stop. Returns STORE_OK or STORE_ERROR (a corrupt request).
 */
typedef int store_request_fn(void *arg, const struct store_request *r);
enum store_rc	 store_request_walk(struct store *, store_request_fn *cb,
		    void *arg, char *errbuf, size_t errlen);

#endif /* STORE_QUEUE_H */
