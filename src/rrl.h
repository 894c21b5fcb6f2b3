/* SPDX-License-Identifier: ISC */
/*
 * rrl.h -- response rate limiting for UDP, with NSD's and Knot's
 * semantics: at most RATE answers a second to each client prefix (the
 * address cut to /24 for IPv4, /56 for IPv6 by default); of the queries
 * over the rate, every SLIP-th gets a truncated answer (TC set, so that a
 * real resolver asks again over TCP, which is not limited) and the others
 * none. Prefixes of an exempt list are never limited.
 *
 * The counts live in a table of a fixed number of buckets, one per
 * prefix, found by a keyed hash; two prefixes that meet in one bucket
 * share it until the older one is pushed out (as in NSD), so a flood from
 * many prefixes costs memory no larger than the table. Pure: no socket,
 * no log; the caller reports.
 */
#ifndef RRL_H
#define RRL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"

struct rrl;			/* opaque */

enum rrl_action {
	RRL_PASS = 0,		/* answer as usual */
	RRL_DROP,		/* send nothing */
	RRL_SLIP		/* send the answer truncated, TC set */
};

struct rrl_conf {
	uint32_t		 rate;		/* answers a second; 0: off */
	uint32_t		 slip;		/* 0: never; 1: every one; N */
	unsigned		 v4len;		/* IPv4 prefix length, 0-32 */
	unsigned		 v6len;		/* IPv6 prefix length, 0-128 */
	size_t			 size;		/* buckets */
	const struct addrlist	*exempt;	/* copied; NULL: none */
};

/*
 * A rate limiter for CONF, or NULL when conf->rate is 0 (no limit). The
 * exempt list is copied. Free with rrl_free().
 */
struct rrl	*rrl_new(const struct rrl_conf *conf);

/* 1 if the two configurations limit alike (a reload keeps the counts). */
int		 rrl_conf_same(const struct rrl *, const struct rrl_conf *conf);

/*
 * Count an answer to PEER at second NOW and say what to do with it.
 * When this answer is the first one over the rate in this second for its
 * prefix, *STARTED is set to 1 (and the prefix written to *PREFIX), for
 * the caller to log; otherwise *STARTED is 0.
 */
enum rrl_action	 rrl_check(struct rrl *, const struct addr *peer, time_t now,
		    int *started, struct addr *prefix);

/*
 * Take back the count of an answer to PEER that rrl_check passed at
 * second NOW but that does not go out now: a query held for a check is
 * counted when its answer is sent, not twice. Anything else is left as it
 * is.
 */
void		 rrl_uncount(struct rrl *, const struct addr *peer, time_t now);

void		 rrl_free(struct rrl *);

#endif /* RRL_H */
