/* SPDX-License-Identifier: ISC */
/*
 * delist.h -- the delisting decision, in one place for the pages
 * (http.c) and "rdnsblctl queue": what a request becomes, the exemption
 * (or white list entry) and text an approval writes, and when every MX
 * sees the decision (doc/delisting.md).
 */
#ifndef DELIST_H
#define DELIST_H

#include <stdint.h>
#include <time.h>

#include "store_list.h"
#include "store_queue.h"

struct conf;

/*
 * How long until every MX sees a delisting: a resolver may hold a
 * dnsbl zone's listed answer for its ttl: and a dnswl zone's NXDOMAIN
 * for its negative-ttl:, and an MTA its own copy for the http clause's
 * mta-cache: beyond that (a Postfix smtpd process, doc/mta.md). The
 * largest of those ttls over the zones of conf plus mta-cache:, in
 * seconds.
 */
uint32_t	 delist_delay(const struct conf *conf);

/*
 * Decide a new request r (address, client, e-mail, text and token set)
 * at now, the checks having just run again: REQ_RESOLVED when no zone
 * lists the address any more (listed 0: a fixed sender waits for
 * nobody); else REQ_APPROVED by self-service when conf's self-delist:
 * is on, the address is listed by the computed checks alone (no
 * REQ_MANUAL in r->flags: self-service never undoes a listing by hand
 * or by an imported list) and the address's last self-service removal
 * (last_self, 0: never) is at least self-delist-cooldown: ago; else
 * REQ_PENDING, for a reviewer. A request the checks could not run for (REQ_UNCHECKED in
 * r->flags) is always REQ_PENDING: nobody knows whether it still fails
 * them, so neither resolving nor self-service may decide it. Sets
 * r->status, flags, created, decided, visible, actor and expires;
 * returns the status. An approval writes delist_grant()'s exemption
 * with the request (store_request_add).
 */
enum store_req_status delist_submit(const struct conf *conf,
		    struct store_request *r, int listed, int64_t last_self,
		    time_t now);

/*
 * A reviewer's decision at now on a pending request r: status
 * REQ_APPROVED or REQ_DENIED by actor, with note (an approval's note or
 * a denial's reason; NULL: none), and for an approval the exemption
 * expiring after expires seconds (0: never), or with whitelist a white
 * list entry instead (REQ_WHITE in r->flags). Sets r->decided, visible,
 * actor, note, expires and that flag, as store_request_decide() keeps
 * them.
 */
void		 delist_review(const struct conf *conf, struct store_request *r,
		    enum store_req_status status, const char *actor,
		    const char *note, uint64_t expires, int whitelist,
		    time_t now);

/* Room for the text of delist_grant()'s entry; its arg. */
struct delist_grant {
	char	 reason[STORE_REASON_MAX + 1];
};

/*
 * The entry that approved request r writes, an exemption or a white
 * list entry (a store_grant_fn; arg a struct delist_grant that holds its
 * reason): the address, added when decided, expiring with the request,
 * by its actor, with the reason "delisting request ID: NOTE" ("... :
 * self-service" for a self-service removal, no ": NOTE" without a note),
 * so that "rdnsblctl list" and the audit log lead back to the request.
 */
void		 delist_grant(void *arg, const struct store_request *r,
		    struct store_entry *w);

#endif /* DELIST_H */
