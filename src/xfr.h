/* SPDX-License-Identifier: ISC */
/*
 * xfr.h -- zone transfers (AXFR; IXFR with the increment from the
 * journal, or the whole zone when it cannot lead from the secondary's
 * serial) of the dnsbl,
 * dnswl and rhsbl zones, to secondaries such as NSD and Knot, and the
 * NOTIFYs that tell them of a new serial. Each
 * transfer runs in a thread of its own on its TCP connection, from one
 * read snapshot of the lists, so that the daemon answers meanwhile; the
 * records are those of xfrmap.h, with the TXT that the daemon gives
 * (doc/design.md, "Zone transfer").
 */
#ifndef XFR_H
#define XFR_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct answer_query;
struct event_base;
struct store;
struct tsig;
struct xfr;
struct zoneset;

#define XFR_MAX		4	/* transfers at once */

/*
 * The transfers and NOTIFYs of a daemon, on event base base. Never NULL
 * (fatal on memory).
 */
struct xfr	*xfr_new(struct event_base *base);

/*
 * Set what transfers read. Call xfr_stop() first when the zones or the
 * store it had are to be freed.
 */
void		 xfr_configure(struct xfr *, struct store *);

/* End the transfers in flight and wait for their threads. */
void		 xfr_stop(struct xfr *);

/* xfr_stop, and free. NULL is accepted. */
void		 xfr_free(struct xfr *);

/*
 * A transfer query aq (AXFR or IXFR of a zone's apex) from peer on TCP
 * socket fd; t is its TSIG, verified (tsig_verify() said TSIG_OK), or
 * NULL when it was not signed. Returns 1 when a transfer took the
 * connection (a dup of fd is its own: the caller closes fd as usual and
 * reads no more; every message is signed when t is given), or 0 with an
 * answer of its own in buf (cap bytes; *len), signed when t is given:
 * REFUSED when the zone's allow-transfer lets neither peer nor its key
 * in, or the zone cannot be transferred, SERVFAIL when XFR_MAX transfers
 * run or a thread cannot start.
 */
int		 xfr_start(struct xfr *, const struct answer_query *aq,
		    struct tsig *t, const struct addr *peer, int fd,
		    uint8_t *buf, size_t cap, size_t *len);

/*
 * NOTIFY (RFC 1996) the secondaries in each zone's notify: whose serial
 * is not the one they were last told, at most once a zone per interval
 * seconds (the latest serial goes out when it has passed), over UDP;
 * one that is not answered is sent again after 1, 2, 4 and 8 seconds,
 * then given up with a warning (the secondary refreshes on its own).
 * A target with a key gets the NOTIFY signed with it (TSIG), and an
 * answer counts only when it is signed with that key.
 * The first call tells every zone's serial. Call it after each change
 * of the serials and every fraction of a second.
 */
void		 xfr_notify(struct xfr *, const struct zoneset *zs,
		    uint32_t interval);

/* The transfers started, and those running now. */
void		 xfr_counts(const struct xfr *, uint64_t *started,
		    unsigned *running);

#endif /* XFR_H */
