/* SPDX-License-Identifier: ISC */
/*
 * zone.h -- the zone table: the zones of a configuration prepared for
 * answering (the apex and the SOA and NS data in wire form), and the TXT
 * template a zone gives for a reason. Pure: what a zone answers about an
 * address or a name is decide.h's; the zone of a query and the DNS
 * answer are answer.h's.
 */
#ifndef ZONE_H
#define ZONE_H

#include <stddef.h>
#include <stdint.h>

#include "reason.h"
#include "wire.h"

struct conf;
struct conf_zone;

#define ZONE_LISTS_MAX	16		/* lists a zone answers from */
#define ZONE_NOLIST	0xffffffffU	/* a list the store does not have */

struct zone {
	const struct conf_zone	*conf;
	/*
	 * The store's ids of conf->lists, in order (decide_bind): ZONE_NOLIST
	 * for one that a store opened to read does not have (empty).
	 */
	unsigned		 lists[ZONE_LISTS_MAX];
	size_t			 nlists;
	/*
	 * The store's id of the delisting exemptions (LIST_EXEMPT_NAME),
	 * which every dnsbl zone consults after the white list; ZONE_NOLIST
	 * when a store opened to read does not have the list yet.
	 */
	unsigned		 exempt;
	uint8_t			 apex[WIRE_MAXNAME];	/* wire, lower case */
	size_t			 apex_len;
	int			 apex_labels;
	uint8_t			 soa_rdata[2 * WIRE_MAXNAME + 20];
	size_t			 soa_len;
	uint8_t			 (*ns_rdata)[WIRE_MAXNAME];
	size_t			*ns_len;
	size_t			 nns;
	uint32_t		 serial;	/* SOA serial (zone_set_serial) */
};

struct zoneset {
	struct zone	*v;
	size_t		 n;
	uint32_t	 serial;
};

/*
 * Prepare the zones of conf (which must outlive the set). serial is the
 * SOA serial. Returns a new set for zoneset_free(), or NULL with a
 * message in errbuf.
 */
struct zoneset	*zoneset_new(const struct conf *conf, uint32_t serial,
		    char *errbuf, size_t errlen);
void		 zoneset_free(struct zoneset *);

/* Set zone z's SOA serial (in soa_rdata too). */
void		 zone_set_serial(struct zone *z, uint32_t serial);

/*
 * A hash of what zone z's configuration makes it answer (its name, type,
 * checks, TTLs, SOA and NS, TXT, codes, URL, lists): the store moves the
 * serial one up when it changes (store_serial_conf).
 */
uint64_t	 zone_conf_hash(const struct zone *z);

/* The zone with this name (lower case, no final dot), or NULL. */
const struct zone *zoneset_by_name(const struct zoneset *, const char *name);

/*
 * The TXT template zone z gives for reason r: the zone's txt: for that
 * reason, else its txt:, else the default of its type ("$ is listed:
 * $reason", with "; see $url" when the zone has a url:). Points into
 * the configuration or static text.
 */
const char	*zone_txt_template(const struct zone *z, enum reason r);

#endif /* ZONE_H */
