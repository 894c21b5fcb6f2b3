/* SPDX-License-Identifier: ISC */
/*
 * server.h -- the DNS listeners: UDP (batched with recvmmsg/sendmmsg)
 * and TCP (RFC 7766 framing, pipelining, idle timeout, a bound on open
 * connections) on libevent. Each query goes to answer_query() (answer.h)
 * with the configuration in a struct answer_conf; a query that needs a
 * computed check waits for the checker (check.h) and is answered again
 * with its result.
 */
#ifndef SERVER_H
#define SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "answer.h"

struct checker;
struct conf;
struct event_base;

struct server_stats {
	uint64_t	answers[ANS_KIND_MAX];
	uint64_t	udp, tcp;
	uint64_t	tcp_refused;	/* connections over tcp-clients */
	uint64_t	tcp_refused_address;	/* over tcp-clients-per-address */
	uint64_t	tcp_evicted;	/* idle ones closed to make room */
	uint64_t	tcp_expired;	/* closed at tcp-max-time */
	uint64_t	held;		/* queries that waited for a check */
	uint64_t	held_now;	/* waiting right now */
	uint64_t	cache_hits;	/* answers from a cached verdict */
	uint64_t	rrl_dropped;	/* UDP answers the rate limit dropped */
	uint64_t	rrl_slipped;	/* and sent truncated (slip) */
	uint64_t	dnstap_sent;	/* dnstap frames queued */
	uint64_t	dnstap_dropped;	/* and dropped: the queue was full */
	/* answers by zone (the configured order) and kind */
	uint64_t	(*zone_answers)[ANS_KIND_MAX];
	size_t		nzones;
};

struct fdlimit;
struct server;

/*
 * A server on base with no listener yet. ac is read for every query; the
 * caller keeps it current (a reload changes its fields) and alive. fl,
 * if not NULL, watches the TCP listeners (fdlimit.h) and must outlive
 * the server.
 */
struct server	*server_new(struct event_base *base,
		    const struct answer_conf *ac, struct fdlimit *fl);

/*
 * Make the listeners match conf: keep sockets whose address is still
 * listed, open the new ones, close the ones no longer listed. Either
 * every new socket opens or nothing changes (-1 with errbuf). Also takes
 * the TCP limits and the UDP rate limit (rrl.h; its counts start again
 * when it changes) from conf, and starts the counts by zone again. The
 * TSIG keys that signed queries are checked against are conf's own:
 * conf lives until the next call.
 */
int		 server_configure(struct server *, const struct conf *conf,
		    char *errbuf, size_t errlen);

/*
 * The checker for queries that need a computed verdict (NULL: none; such
 * queries get the failure answer). Queries wait at most timeout_ms.
 */
void		 server_set_checker(struct server *, struct checker *,
		    unsigned timeout_ms);

/*
 * fn(arg) is called after each batch of UDP queries has been answered,
 * and after each TCP query (NULL: nothing), for work that follows the
 * queries, such as bringing the compact copy of the lists up to the
 * snapshot they saw.
 */
void		 server_set_batch_hook(struct server *, void (*fn)(void *),
		    void *arg);

/*
 * Hand transfer queries over TCP (AXFR, IXFR of a zone's apex) to x
 * (xfr.h; NULL: refused as every other transfer query).
 */
struct xfr;
void		 server_set_xfr(struct server *, struct xfr *);

/*
 * Write dnstap frames of the queries and answers to dt (dnstap.h; NULL:
 * none), as server_configure's dnstap-log-auth-*-messages say. dt stays
 * the caller's and must outlive the server's use of it.
 */
struct dnstap;
void		 server_set_dnstap(struct server *, struct dnstap *dt);

/*
 * Count every answer that lists in rs (rulestats.h; NULL: none), which
 * must outlive the server or be unset first.
 */
struct rulestats;
void		 server_set_rulestats(struct server *, struct rulestats *);

const struct server_stats *server_stats(const struct server *);

void		 server_free(struct server *);

#endif /* SERVER_H */
