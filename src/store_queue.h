/* SPDX-License-Identifier: ISC */
/*
 * store_queue.h -- the delisting request queue in the store. A request
 * is pending until rdnsblctl approves or denies it; one that passed the
 * checks again at once, or got a self-service removal, is stored already
 * decided. At most one request per address is pending. Every change
 * writes an audit record in the same transaction; an approval's
 * exemption (or white list entry) too. A request from the pages may
 * first wait, unconfirmed, for its requester (store_unconfirmed_add).
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
	REQ_APPROVED,		/* exempted (or whitelisted) by a reviewer or
				   self-service */
	REQ_DENIED,
	REQ_RESOLVED,		/* passed the checks when submitted */
	REQ_STATUS_MAX
};

#define REQ_SELF		0x01	/* approved by self-service */
#define REQ_WHITE		0x02	/* approved with a white list entry
					   (queue approve --whitelist), not
					   an exemption */
#define REQ_UNBLOCKED		0x04	/* the approval deleted the black
					   entry of exactly the address */
#define REQ_UNCHECKED		0x08	/* the checks could not run when sent */
#define REQ_MANUAL		0x10	/* listed by hand or by an imported
					   list when sent: never self-service */

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
	int64_t		 expires;	/* of the exemption, 0: never */
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
 * Fill *e (zeroed) with the list entry that approved request r writes,
 * inside the store's write transaction: r->id is known by then, and r
 * holds what is being stored. The entry goes to the exemption list
 * (LIST_EXEMPT_NAME), or with REQ_WHITE in r->flags to the white list.
 * The strings of *e must last until the store call returns (arg may hold
 * them). delist_grant() (delist.h) is the one such function: the rule
 * lives there, not in the store.
 */
typedef void store_grant_fn(void *arg, const struct store_request *r,
    struct store_entry *e);

/*
 * Add a request (r->id is set) in a write transaction of its own. A
 * pending one is refused with STORE_EXISTS (and *other, if not NULL,
 * gets the pending id) when the address already has one. grant, if not
 * NULL, gives the entry added in the same transaction (a self-service
 * removal; only an approved request has one). actor names the submitter
 * for the audit trail. Returns STORE_OK, STORE_EXISTS or STORE_ERROR.
 */
enum store_rc	 store_request_add(struct store *, struct store_request *r,
		    store_grant_fn *grant, void *arg, const char *actor,
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
 * Decide a pending request: status REQ_APPROVED (with grant, if not
 * NULL, giving the entry added in the same transaction: an exemption, or
 * a white list entry when r->flags has REQ_WHITE) or REQ_DENIED, with
 * the actor, note, decision time, visible time and, for an approval, the
 * entry's expiry of r (the other fields are ignored), in a write
 * transaction of its own. An approval with grant also deletes the black
 * list entry of exactly the address, if there is one that is not an
 * exclusion, with an audit record, and then sets REQ_UNBLOCKED in the
 * request's flags; a wider black entry stays, and the exemption carves
 * the address out of it. NOTFOUND: no such request; EXISTS: it was
 * already decided (*r is filled with it then, as on success).
 */
enum store_rc	 store_request_decide(struct store *, uint64_t id,
		    enum store_req_status status, struct store_request *r,
		    store_grant_fn *grant, void *arg, char *errbuf,
		    size_t errlen);

/*
 * Open the exemption list (LIST_EXEMPT_NAME) as store_list_open does,
 * setting *id. With create, in a store opened to write, it is registered
 * if new, and a database whose approvals made white list entries (before
 * the exemption list) has them converted, once, in one write
 * transaction: each white entry whose reason is "delisting request N"
 * (": ..." may follow) for an approved request N of exactly its address
 * moves to the exemption list, unchanged, with audit records ("add" to
 * exempt, "del" from white by actor). *converted (if not NULL) gets
 * their number. Returns STORE_OK, STORE_NOTFOUND (not registered and not
 * created: a reader sees it empty) or STORE_ERROR.
 */
enum store_rc	 store_exempt_open(struct store *, int create,
		    const char *actor, unsigned *id, size_t *converted,
		    char *errbuf, size_t errlen);

/*
 * Walk the requests, oldest first, in a read transaction of its own; *r
 * is a copy valid during the call. cb returns 0 to go on, non-zero to
 * stop. Returns STORE_OK or STORE_ERROR (a corrupt request).
 */
typedef int store_request_fn(void *arg, const struct store_request *r);
enum store_rc	 store_request_walk(struct store *, store_request_fn *cb,
		    void *arg, char *errbuf, size_t errlen);

/*
 * Requests that wait for their requester to confirm them (verify-email:
 * doc/delisting.md): the form's request r, kept under the token of the
 * link mailed to the requester (r->token, STORE_TOKEN_LEN hex digits,
 * stored as it is: it only ever unlocks this one unconfirmed request)
 * until deadline. None is in the queue, none has an id or an audit
 * record: an unconfirmed request is not a request yet.
 */
#define STORE_UNCONFIRMED_MAX	10000	/* unconfirmed requests in all */

/*
 * Keep r until deadline, in a write transaction of its own that first
 * deletes every one expired at now. STORE_LIMIT (errbuf says which) when
 * r->client has max_client unconfirmed requests already, or there are
 * max_total (at most STORE_UNCONFIRMED_MAX) in all; else STORE_OK or
 * STORE_ERROR.
 */
enum store_rc	 store_unconfirmed_add(struct store *,
		    const struct store_request *r, int64_t deadline,
		    int64_t now, unsigned max_client, unsigned max_total,
		    char *errbuf, size_t errlen);

/*
 * The unconfirmed request of token at now, copied into *r (r->token is
 * the link's token), and with take deleted in the same write
 * transaction, so that a link confirms once. STORE_NOTFOUND when there
 * is none (never, confirmed already, or purged); an expired one is
 * deleted and also STORE_NOTFOUND, with *expired set to 1 (else 0).
 * Returns STORE_OK, STORE_NOTFOUND or STORE_ERROR.
 */
enum store_rc	 store_unconfirmed_get(struct store *, const char *token,
		    int64_t now, int take, struct store_request *r,
		    int *expired, char *errbuf, size_t errlen);

#endif /* STORE_QUEUE_H */
