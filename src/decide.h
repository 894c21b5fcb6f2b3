/* SPDX-License-Identifier: ISC */
/*
 * decide.h -- what a zone says about an address, a HELO name or a domain
 * name: the one place that puts the RFC 5782 test points, the lists,
 * the cached or fresh computed verdict and the HELO judgement together,
 * so that the DNS answers (answer.h), the pages (http.c, page.h) and
 * "rdnsblctl lookup" and "helo" cannot disagree. Reads the store inside
 * a read snapshot; no event loop, no logging.
 *
 * Query names inside a dnsbl/dnswl zone:
 *   apex                       SOA, NS (ANY: both)
 *   d.c.b.a.<zone>             IPv4 a.b.c.d (decimal octets, no leading 0)
 *   32 hex nibbles.<zone>      IPv6, as in ip6.arpa; an IPv4-mapped
 *                              one (::ffff:a.b.c.d) is answered from
 *                              the IPv6 entries, else from a.b.c.d's
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
 *
 * Query names inside an rhsbl zone:
 *   apex                       SOA, NS (ANY: both)
 *   <domain>.<zone>            listed when a domain list of the zone lists
 *                              the domain (rbldnsd dnset semantics)
 *   test / invalid             the RFC 5782 test names: listed / not
 */
#ifndef DECIDE_H
#define DECIDE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "helo.h"
#include "reason.h"
#include "store_list.h"
#include "verdict.h"
#include "zone.h"

struct conf;
struct store;
struct zoneset;

/* A further list that lists the address, after the one in entry. */
struct verdict_hit {
	unsigned		 list;
	uint32_t		 code;		/* A value, host order */
	struct store_entry	 entry;
};

/* What a zone says about one address or name. */
struct verdict {
	int			 listed;
	enum reason		 reason;	/* when listed */
	uint32_t		 code;		/* A value, host order */
	int			 test_point;	/* an RFC 5782 test address */
	int			 white;		/* dnsbl: a whitelist entry won */
	int			 exempt;	/* dnsbl: an exemption won */
	int			 have_entry;	/* entry below is set */
	unsigned		 entry_list;
	struct store_entry	 entry;		/* the deciding entry */
	int			 need_check;	/* computed: no verdict yet */
	int			 unknown;	/* computed: temporary failure */
	int			 have_check;	/* check below is set */
	struct check_result	 check;		/* the computed verdict */
	unsigned		 reasons;	/* helo: all that hold, 1 << r */
	struct helo_result	 helo;		/* helo: the static judgement */
	/*
	 * A zone with several lists: the lists after the first that list
	 * the address too, each with its own code and entry (one A and
	 * one TXT record each, as rbldnsd's combined zones answer).
	 */
	size_t			 nmore;
	struct verdict_hit	 more[ZONE_LISTS_MAX - 1];
};

/* The bit mask of the computed reasons in a zone's checks. */
#define COMPUTED_CHECKS	((1U << REASON_NO_PTR) | \
			 (1U << REASON_UNCONFIRMED) | (1U << REASON_DYNAMIC))

/*
 * The verdict of dnsbl or dnswl zone z for address a (full length),
 * inside a read snapshot of store. Order: RFC 5782 test points; for a
 * dnsbl zone the white list (a dnsbl never lists a whitelisted address),
 * then the delisting exemptions (v->exempt, the entry in v->entry; a
 * dnswl zone never looks at them);
 * the zone's lists, each of which lists the address with the longest
 * match's code, else the list's code in the zone, else the zone's (the
 * first in v->entry and v->code, the others in v->more; an entry's own
 * code wins even when a check would also list); then, for a dnsbl zone
 * whose checks name computed reasons and whose lists do not list the
 * address, the computed verdict: fresh if given (a check that just
 * ended for a), else the cached one, else v->need_check. A CV_UNKNOWN verdict sets v->unknown and lists nothing.
 * An IPv4-mapped address (::ffff:a.b.c.d) is decided by the entries of
 * its IPv6 address when one covers it (a white entry, an exemption, a
 * list entry or an exclusion), else by those of a.b.c.d; its computed
 * verdict is always that of a.b.c.d (check_subject_host), as is fresh.
 * brief: the deciding list entry is wanted for its code only, not its
 * reason, actor or times (store_lookup), as for an answer without TXT.
 * Strings in *v point into the snapshot. Returns 0, or -1 on a store
 * error (errbuf).
 */
int	decide_addr(const struct zone *z, struct store *store,
	    const struct addr *a, time_t now, const struct check_result *fresh,
	    int brief, struct verdict *v, char *errbuf, size_t errlen);

/*
 * The verdict of helo zone z for a normalised HELO name (helo.h), with
 * the lists and patterns of env (NULL: none): the test points; the
 * static reasons; then, when no-dns applies, the cached or fresh lookup
 * verdict, else v->need_check. Every reason that holds is in
 * v->reasons; v->reason is the first. A CV_UNKNOWN lookup sets
 * v->unknown and adds nothing. Returns 0, or -1 on a store error.
 */
int	decide_helo(const struct zone *z, const struct helo_env *env,
	    struct store *store, const char *name, time_t now,
	    const struct check_result *fresh, struct verdict *v,
	    char *errbuf, size_t errlen);

/*
 * Resolve the list names of every zone of zs, and the exemption list, to
 * the store's ids (store_list_open, store_exempt_open), creating the
 * missing lists when create is set (and then converting the white list
 * entries of old approvals: their number in *converted, if not NULL); a
 * list that a store opened to read does not have is ZONE_NOLIST (it is
 * empty). Call it before deciding, after each store_open and reload.
 * Returns 0, or -1 with errbuf.
 */
int	decide_bind(struct zoneset *zs, const struct conf *conf,
	    struct store *store, int create, size_t *converted, char *errbuf,
	    size_t errlen);

/*
 * The verdict of rhsbl zone z for a domain name (lower case, no final
 * dot), inside a read snapshot of store: the RFC 5782 test names (test
 * listed, invalid not), then the zone's domain lists as rbldnsd's dnset
 * decides (store_lookup_name), one hit per list as decide_addr. Returns
 * 0, or -1 on a store error (errbuf).
 */
int	decide_name(const struct zone *z, struct store *store,
	    const char *name, time_t now, struct verdict *v, char *errbuf,
	    size_t errlen);

/*
 * Called by decide_zones() with each zone and its verdict, inside the
 * read snapshot. Returns 0 to go on, non-zero to stop.
 */
typedef int decide_zone_fn(void *arg, const struct zone *z,
    const struct verdict *v);

/*
 * Decide every zone of zs that s is for (an address: the dnsbl and
 * dnswl zones; a name: the helo zones, judged with env, and the rhsbl
 * zones), in the
 * configured order, in one read snapshot of store, and pass each
 * verdict to fn. fresh, if not NULL, is a verdict on s that just came.
 * Returns 0, or -1 on a store error (errbuf).
 */
int	decide_zones(const struct zoneset *zs, struct store *store,
	    const struct helo_env *env, const struct check_subject *s,
	    time_t now,
	    const struct check_result *fresh, decide_zone_fn *fn, void *arg,
	    char *errbuf, size_t errlen);

/*
 * The text of list entry E for SUBJECT, the queried address: its stored
 * reason (txtsub.h) with "$$" a dollar and any other "$" the address, an
 * IPv6 address written as rbldnsd writes it (addr_format_hex). Into BUF
 * (LEN bytes, NUL-terminated); returns the length.
 */
size_t	decide_entry_text(const struct store_entry *e, const char *subject,
	    char *buf, size_t len);

/*
 * The TXT text for a listed verdict: the zone's template for the reason
 * (zone_txt_template) with "$" the subject (the address or HELO name),
 * "$reason" the entry's text (decide_entry_text) or the reason's default
 * text (a helo zone: every reason that holds, joined by "; "), "$url" the
 * zone's url: template (in which "$" is the subject), "$$" a dollar.
 * Returns the length (truncated to len - 1).
 */
size_t	decide_txt(const struct zone *z, const struct verdict *v,
	    const char *subject, char *buf, size_t len);

/*
 * The TXT text of v->more[i], the (i + 2)-th list that lists the
 * address, as decide_txt() makes it from that list's entry.
 */
size_t	decide_txt_more(const struct zone *z, const struct verdict *v,
	    size_t i, const char *subject, char *buf, size_t len);

/*
 * Whether the listing of v by its entry (i = 0) or by v->more[i - 1] has
 * a TXT record: not when that entry says none (ENTRY_NOTXT: a data file's
 * line without TXT, as rbldnsd answers it). A helo zone's TXT, a test
 * point's and a computed listing's always are.
 */
int	decide_has_txt(const struct zone *z, const struct verdict *v,
	    size_t i);

/* Room for the A values of one verdict. */
#define DECIDE_CODES_MAX	(REASON_MAX + ZONE_LISTS_MAX)

/*
 * The A values of listed v, each once, in the order of its answer: the
 * first list's code, then the further lists' (a helo zone: each
 * reason's). Into out (DECIDE_CODES_MAX); returns how many. The DNS
 * answer and a zone transfer both take them from here, so that a
 * secondary answers what rdnsbld does.
 */
size_t	decide_codes(const struct zone *z, const struct verdict *v,
	    uint32_t *out);

/*
 * Each TXT text of listed v about subject, once (distinct texts only):
 * the first list's (decide_txt), then the further lists'
 * (decide_txt_more), those that have one (decide_has_txt). fn's
 * non-zero stops and is returned; else 0.
 */
typedef int decide_txts_fn(void *arg, const char *txt, size_t len);
int	decide_txts(const struct zone *z, const struct verdict *v,
	    const char *subject, decide_txts_fn *fn, void *arg);

/*
 * What listed v in zone z beside its reason, for the statistics per rule
 * (rulestats.h) and a delisting request's record: the dynamic-host
 * rule that matched (dynamic, helo dynamic), else the name of the list
 * whose entry decided (black, white, a named list), else "". Points into
 * v, z or the patterns.
 */
const char	*decide_rule(const struct zone *z, const struct verdict *v);

#endif /* DECIDE_H */
