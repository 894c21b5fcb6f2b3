/* SPDX-License-Identifier: ISC */
/*
 * answer.h -- one DNS query in, one DNS answer out: parse the packet,
 * find its zone (the longest apex that is a suffix of the name), refuse
 * what allow-query does not allow, answer the apex and the names that
 * cannot exist, and answer an address or HELO name from its verdict
 * (decide.h), or say that a computed check is needed first. No sockets
 * and no event loop: the listeners (server.h) hold a query that needs a
 * check and ask here again when it ends.
 *
 * Three structs keep apart what lives how long: struct answer_conf is
 * the configuration (changed by a reload), struct answer_query and
 * struct answer_in are one query (the packet parsed, and what is not in
 * the packet), struct answer_out is what came of it.
 */
#ifndef ANSWER_H
#define ANSWER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "qname.h"
#include "verdict.h"
#include "wire.h"

struct helo_env;
struct store;
struct zone;
struct zoneset;

/* What an answer was, for statistics and logging. */
enum answer_kind {
	ANS_REFUSED = 0,	/* outside every zone or not allowed */
	ANS_APEX,
	ANS_LISTED,
	ANS_NXDOMAIN,
	ANS_NODATA,
	ANS_FORMERR,
	ANS_NOTIMP,
	ANS_SERVFAIL,
	ANS_BADVERS,
	ANS_NOTAUTH,		/* a TSIG that does not verify */
	ANS_DROPPED,
	ANS_FAILURE,		/* computed check unknown: failure policy */
	ANS_NEED_CHECK,		/* nothing sent: wait for a check */
	ANS_KIND_MAX
};

/* The key word of an answer kind ("nxdomain"), for logs and metrics. */
const char	*answer_kind_name(enum answer_kind);

/* The configuration answers read; the caller keeps it current. */
struct answer_conf {
	const struct zoneset	*zones;
	struct store		*store;
	const struct addrlist	*allow;		/* allow-query */
	const struct helo_env	*helo;		/* helo zones; may be NULL */
	uint16_t		 edns_size;	/* our UDP payload size */
	uint32_t		 failure_ttl;	/* SOA TTL of failure answers */
	int			 log_queries;	/* a line per query (querylog.h) */
};

/*
 * A query packet parsed once (answer_parse), so that a batch can look
 * at its queries (answer_query_addr) before it answers them: the packet,
 * the zone it asks, and what the labels below the apex are.
 */
struct answer_query {
	enum wire_parse_rc	 rc;
	struct query		 q;
	const struct zone	*z;		/* NULL: no zone of ours */
	uint16_t		 apex_off;	/* the apex's offset in pkt */
	enum qname_kind		 what;		/* QNAME_INVALID: apex, helo */
	struct addr		 a;		/* what == QNAME_ADDR */
};

/* Parse the query packet pkt (len bytes) into *aq; pkt must outlive it. */
void		 answer_parse(const struct answer_conf *ac, const uint8_t *pkt,
		    size_t len, struct answer_query *aq);

/*
 * The address (IPv4 or IPv6) that a parsed query asks an address zone
 * (dnsbl, dnswl) about: 1 with *a set, else 0.
 */
int		 answer_query_addr(const struct answer_query *aq,
		    struct addr *a);

/* Everything about one query that is not in its packet. */
struct answer_in {
	const struct addr	*peer;		/* for allow-query */
	int			 tcp;		/* up to 65535 bytes, else UDP */
	time_t			 now;
	/*
	 * A check that just ended (a held query asked again): its subject
	 * and result, used when the query is about that subject; NULL:
	 * none, the cache says.
	 */
	const struct check_subject *fresh_subj;
	const struct check_result *fresh;
};

/* What came of one query. */
struct answer_out {
	size_t			 len;		/* of the answer; 0: send none */
	enum answer_kind	 kind;
	int			 zone_index;	/* in the zoneset, -1: none */
	int			 cache_hit;	/* a cached verdict decided */
	struct check_subject	 need;		/* ANS_NEED_CHECK: check this */
	/*
	 * ANS_LISTED (not a test point): the reasons that listed, 1 << enum
	 * reason, and the rule or list behind them (decide_rule), for the
	 * statistics per rule (rulestats.h); 0 otherwise.
	 */
	unsigned		 reasons;
	char			 rule[64];
	char			 errbuf[256];	/* ANS_SERVFAIL: store error */
};

/*
 * The largest answer to q the requester takes: over TCP (tcp not 0)
 * 65535 bytes, over UDP 512 or its EDNS size, at most ours.
 */
size_t		 answer_limit(const struct answer_conf *ac,
		    const struct query *q, int tcp);

/*
 * Answer the query aq (parsed by answer_parse) with in into buf (cap
 * bytes): out->len is the answer's length, 0 to send nothing, and
 * out->kind what it was (ANS_SERVFAIL with out->errbuf set on a store
 * error). ANS_NEED_CHECK (length 0): a check of out->need is needed;
 * answer again with in->fresh set to its result and in->fresh_subj to
 * out->need. Never logs.
 */
void		 answer_query(const struct answer_conf *ac,
		    const struct answer_query *aq, const struct answer_in *in,
		    uint8_t *buf, size_t cap, struct answer_out *out);

#endif /* ANSWER_H */
