/* SPDX-License-Identifier: ISC */
/*
 * reason.h -- why a name is listed: the zone types, the kinds of list
 * they answer from, the reason keys (rdnsbld.conf(5), Return codes),
 * their default return codes and their plain-words descriptions.
 */
#ifndef REASON_H
#define REASON_H

#include <stdint.h>

/* The kinds of list: what its entries are (a list: clause's type:). */
enum list_kind {
	LIST_KIND_IP = 0,	/* addresses and CIDR prefixes */
	LIST_KIND_DOMAIN	/* domain names, rbldnsd dnset style */
};

/*
 * The built-in ip list of the delisting exemptions (store_list.h says
 * what it is); named here, beside the kinds, for the configuration too.
 */
#define LIST_EXEMPT_NAME	"exempt"

enum zone_type {
	ZONE_DNSBL = 0,
	ZONE_DNSWL,
	ZONE_HELO,
	ZONE_RHSBL,		/* domain names, from domain lists */
	ZONE_TYPE_MAX
};

enum reason {
	REASON_BLACKLIST = 0,	/* dnsbl: listed by an administrator */
	REASON_NO_PTR,		/* dnsbl: no PTR record */
	REASON_UNCONFIRMED,	/* dnsbl: PTR not forward-confirmed */
	REASON_DYNAMIC,		/* dnsbl: dynamic-looking PTR name */
	REASON_WHITELIST,	/* dnswl: whitelisted */
	REASON_BAD_NAME,	/* helo: on the bad-HELO list */
	REASON_NO_DOT,		/* helo: a single label */
	REASON_OWN_NAME,	/* helo: claims one of our names/addresses */
	REASON_NO_DNS,		/* helo: NXDOMAIN for A and AAAA */
	REASON_HELO_DYNAMIC,	/* helo: matches a dynamic-host pattern */
	REASON_BARE_IP,		/* helo: an unbracketed address */
	REASON_DOMAIN,		/* rhsbl: on a domain list */
	REASON_MAX
};

struct reason_info {
	const char	*key;		/* "no-ptr" */
	enum zone_type	 type;		/* the zone type it belongs to */
	uint32_t	 code;		/* default A value, host order */
	const char	*text;		/* default $reason text */
};

const struct reason_info *reason_get(enum reason);

/* Every reason of zone type t, as a bit mask (1 << enum reason). */
unsigned reason_mask(enum zone_type t);

/* The reason with this key for this zone type, or -1. */
int	reason_lookup(const char *key, enum zone_type type);

/*
 * Whether CODE (an A value, host order) may be answered for a listing.
 * RFC 5782 section 2.1 makes 127.0.0.2 the usual value and lets a list
 * use others (section 2.3); section 5 keeps 127.0.0.1 as the test
 * address that is never listed. CODE_BAD: outside 127.0.0.0/8, or
 * 127.0.0.1. CODE_UNUSUAL: in 127.0.0.0/8 but outside
 * REASON_CODE_USUAL, where many lists answer their error and
 * rate-limit codes (127.255.255.x and the like), so that some clients
 * discard such an answer. CODE_OK otherwise.
 */
enum code_class {
	CODE_OK = 0,
	CODE_UNUSUAL,
	CODE_BAD
};
#define REASON_CODE_USUAL	"127.0.0.2-127.0.0.254"

enum code_class	reason_code_class(uint32_t code);

const char *zone_type_name(enum zone_type);

/*
 * 1 if s may name a list: 1-32 bytes of a-z, 0-9, ".", "_" and "-", a
 * letter or digit first; else 0.
 */
int	list_name_valid(const char *s);
/* The zone type with this name, or -1. */
int	zone_type_lookup(const char *name);

#endif /* REASON_H */
