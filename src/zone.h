/*
 * zone.h -- what a zone answers: the zones of a configuration prepared
 * for fast matching, the verdict for an address (the same code serves the
 * daemon and "rdnsblctl lookup", so they cannot disagree), and the whole
 * answer to a parsed query.
 *
 * Query names inside a dnsbl/dnswl zone:
 *   apex                       SOA, NS (ANY: both)
 *   d.c.b.a.<zone>             IPv4 a.b.c.d (decimal octets, no leading 0)
 *   32 hex nibbles.<zone>      IPv6, as in ip6.arpa
 *   a proper suffix of those   ("3.2.1.<zone>"): an empty non-terminal,
 *                              NODATA (RFC 8020: never NXDOMAIN above a
 *                              name that may exist)
 *   anything else              NXDOMAIN
 * RFC 5782 test points (127.0.0.2 and ::ffff:7f00:2 listed, 127.0.0.1 and
 * ::ffff:7f00:1 not) are answered without data in every zone.
 *
 * Query names inside a helo zone:
 *   apex                       SOA, NS (ANY: both)
 *   <helo-name>.<zone>         the HELO/EHLO argument, every label of it
 *                              ("[192.0.2.1]" is the labels "[192", "0",
 *                              "2" and "1]"); listed with one A record per
 *                              reason that holds
 *   test / invalid, 1.0.0.127  the RFC 5782 test points: listed / not
 * A name with a byte that is not printable ASCII, a space or a dot inside
 * a label is no host name: NXDOMAIN, and nothing is looked up.
 */
#ifndef ZONE_H
#define ZONE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "check.h"
#include "conf.h"
#include "helo.h"
#include "qname.h"
#include "reason.h"
#include "store.h"
#include "store_list.h"
#include "wire.h"

struct zone {
	const struct conf_zone	*conf;
	uint8_t			 apex[WIRE_MAXNAME];	/* wire, lower case */
	size_t			 apex_len;
	int			 apex_labels;
	uint8_t			 soa_rdata[2 * WIRE_MAXNAME + 20];
	size_t			 soa_len;
	uint8_t			 (*ns_rdata)[WIRE_MAXNAME];
	size_t			*ns_len;
	size_t			 nns;
};

struct zoneset {
	struct zone	*v;
	size_t		 n;
	uint32_t	 serial;
};

/*
 * Prepare the zones of conf (which must outlive the set). serial is the
 * SOA serial. Returns NULL with a message in errbuf.
 */
struct zoneset	*zoneset_new(const struct conf *conf, uint32_t serial,
		    char *errbuf, size_t errlen);
void		 zoneset_free(struct zoneset *);

/* The zone with this name (lower case, no final dot), or NULL. */
const struct zone *zoneset_by_name(const struct zoneset *, const char *name);

/* What a zone says about one address. */
struct verdict {
	int			 listed;
	enum reason		 reason;	/* when listed */
	uint32_t		 code;		/* A value, host order */
	int			 test_point;	/* an RFC 5782 test address */
	int			 white;		/* dnsbl: a whitelist entry won */
	int			 have_entry;	/* entry below is set */
	enum store_list		 entry_list;
	struct store_entry	 entry;		/* the deciding entry */
	int			 need_check;	/* computed: no verdict yet */
	int			 unknown;	/* computed: temporary failure */
	int			 have_check;	/* check below is set */
	struct check_result	 check;		/* the computed verdict */
	unsigned		 reasons;	/* helo: all that hold, 1 << r */
	struct helo_result	 helo;		/* helo: the static judgement */
};

/* The bit mask of the computed reasons in a zone's checks. */
#define COMPUTED_CHECKS	((1U << REASON_NO_PTR) | \
			 (1U << REASON_UNCONFIRMED) | (1U << REASON_DYNAMIC))

/*
 * The verdict of zone z for address a (full length), inside a read
 * snapshot of store. Order: RFC 5782 test points; the white list (a
 * dnsbl never lists a whitelisted address); the black list (its own
 * code, even when a check would also list); then, when the zone's
 * checks name computed reasons, the computed verdict: fresh if given
 * (a check that just ended for a), else the cached one, else
 * v->need_check. A CV_UNKNOWN verdict sets v->unknown and lists nothing.
 * brief: the deciding list entry is wanted for its code only, not its
 * reason, actor or times (store_lookup), as for an answer without TXT.
 * Returns 0, or -1 on a store error (errbuf).
 */
int	zone_decide(const struct zone *z, struct store *store,
	    const struct addr *a, time_t now, const struct check_result *fresh,
	    int brief, struct verdict *v, char *errbuf, size_t errlen);

/*
 * The verdict of helo zone z for a normalised HELO name (helo.h): the
 * test points; the static reasons; then, when no-dns applies, the
 * cached or fresh lookup verdict, else v->need_check. Every reason that
 * holds is in v->reasons; v->reason is the first. A CV_UNKNOWN lookup
 * sets v->unknown and adds nothing. Returns 0, or -1 on a store error.
 */
int	zone_decide_helo(const struct zone *z, const struct helo_env *env,
	    struct store *store, const char *name, time_t now,
	    const struct check_result *fresh, struct verdict *v,
	    char *errbuf, size_t errlen);

/*
 * The TXT text for a listed verdict: the zone's template for the reason
 * (or its default template) with "$" the subject (the address or HELO
 * name), "$reason" the entry's reason or the reason's default text (a
 * helo zone: every reason that holds, joined by "; "), "$url" the zone's
 * url: template (in which "$" is the subject), "$$" a dollar. Returns the
 * length (truncated to len - 1).
 */
size_t	zone_txt(const struct zone *z, const struct verdict *v,
	    const char *subject, char *buf, size_t len);

/*
 * How long until every MX sees a delisting: a resolver may hold a
 * dnsbl zone's listed answer for its ttl: and a dnswl zone's NXDOMAIN
 * for its negative-ttl:. The largest of those over the zones of conf,
 * in seconds.
 */
uint32_t zone_delist_delay(const struct conf *conf);

/* Counters for one answer, for statistics and logging. */
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
	ANS_DROPPED,
	ANS_FAILURE,		/* computed check unknown: failure policy */
	ANS_NEED_CHECK,		/* nothing sent: wait for a check */
	ANS_KIND_MAX
};

struct answer_ctx {
	const struct zoneset	*zones;
	struct store		*store;
	const struct addrlist	*allow;		/* allow-query */
	const struct helo_env	*helo;		/* helo zones */
	uint16_t		 edns_size;	/* our UDP payload size */
	time_t			 now;
	uint32_t		 failure_ttl;	/* SOA TTL of failure answers */
	/* A check that just ended, for this subject only. */
	const struct check_result *fresh;
	struct check_subject	 fresh_subj;
	/* Out: what to check after ANS_NEED_CHECK. */
	struct check_subject	 check_subj;
	/* Out: the zone's index in zones (-1: none), a cached verdict used. */
	int			 zone_index;
	int			 cache_hit;
	char			 errbuf[256];	/* store error, if any */
};

/*
 * A query packet parsed once (zone_parse), for a batch that looks at its
 * queries (zone_query_addr) before it answers them (zone_answer): the
 * packet, the zone it asks, and what the labels below the apex are.
 */
struct zone_query {
	enum wire_parse_rc	 rc;
	struct query		 q;
	const struct zone	*z;		/* NULL: no zone of ours */
	uint16_t		 apex_off;	/* the apex's offset in pkt */
	enum qname_kind		 what;		/* QNAME_INVALID: apex, helo */
	struct addr		 a;		/* what == QNAME_ADDR */
};

void	zone_parse(const struct answer_ctx *ctx, const uint8_t *pkt,
	    size_t len, struct zone_query *zq);

/*
 * The IPv4 address that a parsed query asks an address zone (dnsbl,
 * dnswl) about: 1 with *a set, else 0; nothing is answered.
 */
int	zone_query_addr(const struct zone_query *zq, struct addr *a);

/*
 * Answer one query packet from peer (for allow-query) into out; zq: the
 * packet parsed by zone_parse, or NULL to parse it here. tcp: the answer
 * may use up to 65535 bytes, else the requester's UDP limit. Returns the
 * answer length, or 0 to send nothing; *kind says what it was
 * (ANS_SERVFAIL with ctx->errbuf set on a store error). ANS_NEED_CHECK
 * (length 0): a check of ctx->check_subj is needed; ask again with
 * ctx->fresh set to its result and ctx->fresh_subj to the subject.
 */
size_t	zone_answer(struct answer_ctx *ctx, const struct addr *peer, int tcp,
	    const uint8_t *pkt, size_t len, const struct zone_query *zq,
	    uint8_t *out, size_t outcap, enum answer_kind *kind);

const char *answer_kind_name(enum answer_kind);

#endif /* ZONE_H */
