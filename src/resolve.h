/* SPDX-License-Identifier: ISC */
/*
 * resolve.h -- an asynchronous stub resolver on libevent: one question
 * (PTR, A or AAAA) to the configured recursive resolvers over UDP, with
 * the answer sorted into the outcomes a DNSBL must tell apart.
 *
 * Why not evdns: evdns_base_resolve_reverse() hands back only the first
 * PTR record of an answer, and the checks must try every PTR name. This
 * module builds and parses messages with ldns and does its own transport.
 *
 * Each query: a random ID, a fresh UDP socket (a random source port),
 * 0x20 case randomisation of the name (the answer's question must match
 * it exactly), EDNS0 with a 1232-byte buffer, a timeout per try and a
 * retry on the next server; an answer from elsewhere, with another ID or
 * question, is ignored. CNAME chains in the answer are followed (RFC 2317
 * classless delegations), and a chain that ends without data is followed
 * with a new query for its target (at most 8 links in all).
 *
 * Bounds: at most max_inflight queries open at once and max_rate new
 * queries a second (token bucket); a query over either bound fails at
 * once with RES_LIMITED instead of waiting.
 */
#ifndef RESOLVE_H
#define RESOLVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "addr.h"

enum res_status {
	RES_OK = 0,		/* data of the asked type (after CNAMEs) */
	RES_NXDOMAIN,		/* the name does not exist */
	RES_NODATA,		/* the name exists, no data of that type */
	RES_SERVFAIL,		/* SERVFAIL from every server tried */
	RES_REFUSED,		/* REFUSED (or NOTIMP, FORMERR) */
	RES_TIMEOUT,		/* no usable answer in time */
	RES_LIMITED,		/* over max_inflight or max_rate: not sent */
	RES_ERROR,		/* anything else (TC, bad answer, socket) */
	RES_NORES		/* no socket: out of descriptors or memory */
};

#define RES_MAXNAMES	16	/* PTR names or addresses kept per answer */

struct res_answer {
	enum res_status	 status;
	uint16_t	 type;			/* as asked */
	char		 qname[256];		/* as asked, lower case */
	char		 final[256];		/* after CNAMEs (== qname if none) */
	int		 ncname;		/* CNAME links followed */
	/* RES_OK: */
	char		 names[RES_MAXNAMES][256];	/* PTR: lower case, no dot */
	size_t		 nnames;
	struct addr	 addrs[RES_MAXNAMES];	/* A / AAAA */
	size_t		 naddrs;
	uint32_t	 ttl;			/* smallest TTL seen */
	char		 server[64];		/* who answered: "127.0.0.1@53" */
	char		 why[160];		/* RES_ERROR: what, if known */
};

typedef void res_cb(void *arg, const struct res_answer *);

struct resolver;
struct res_query;

struct resolver_stats {
	uint64_t	sent, answered, timeouts, limited, errors;
	uint64_t	inflight;
};

struct resolver	*resolver_new(struct event_base *base);
void		 resolver_free(struct resolver *);

/*
 * Servers: "system" reads the nameserver lines of /etc/resolv.conf
 * (127.0.0.1@53 when it has none); otherwise "ADDR" or "ADDR@PORT".
 * Returns 0, or -1 with errbuf.
 */
int		 resolver_add_server(struct resolver *, const char *spec,
		    char *errbuf, size_t errlen);

/*
 * timeout_ms: the whole budget of one query (all tries); tries: servers
 * tried in turn (each gets timeout_ms / tries). max_inflight, max_rate:
 * the bounds above (0: no bound).
 */
void		 resolver_set_limits(struct resolver *, unsigned timeout_ms,
		    unsigned tries, unsigned max_inflight, unsigned max_rate);

/*
 * Ask; cb is called exactly once, never from inside this call (even for
 * RES_LIMITED), unless the query is cancelled first. Returns a handle for
 * resolver_cancel().
 */
struct res_query *resolver_query(struct resolver *, const char *name,
		    uint16_t type, res_cb *cb, void *arg);

/* Cancel: the callback will not be called. */
void		 resolver_cancel(struct res_query *);

/* The name to ask PTR for: "4.3.2.1.in-addr.arpa" or the ip6.arpa name. */
void		 resolver_ptr_name(const struct addr *, char *buf, size_t len);

const struct resolver_stats *resolver_stats(const struct resolver *);
const char	*res_status_name(enum res_status);

/*
 * The outcome of ans for people: its status name, or for RES_ERROR with
 * a known cause the cause and what to check ("error (connection refused
 * by 127.0.0.1@53: is a resolver running there?)"). Points into ans or
 * is static.
 */
const char	*res_answer_status(const struct res_answer *ans);

#endif /* RESOLVE_H */
