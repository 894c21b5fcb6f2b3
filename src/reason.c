/* SPDX-License-Identifier: ISC */
/*
 * reason.c -- the reason table.
 */
#include "config.h"

#include <string.h>

#include "reason.h"

#define C(d)	(0x7f000000U | (d))

static const struct reason_info reasons[REASON_MAX] = {
	[REASON_BLACKLIST] = { "blacklist", ZONE_DNSBL, C(2),
	    "listed by the administrator" },
	[REASON_NO_PTR] = { "no-ptr", ZONE_DNSBL, C(3),
	    "the address has no reverse DNS (PTR) record" },
	[REASON_UNCONFIRMED] = { "unconfirmed", ZONE_DNSBL, C(4),
	    "the reverse DNS name does not resolve back to the address" },
	[REASON_DYNAMIC] = { "dynamic", ZONE_DNSBL, C(5),
	    "the reverse DNS name looks like a dynamic or end-user host" },
	[REASON_WHITELIST] = { "whitelist", ZONE_DNSWL, C(2),
	    "listed by the administrator" },
	[REASON_BAD_NAME] = { "bad-name", ZONE_HELO, C(2),
	    "the HELO name is on the list of names no mail server may use" },
	[REASON_NO_DOT] = { "no-dot", ZONE_HELO, C(3),
	    "the HELO name is a single label, not a domain name" },
	[REASON_OWN_NAME] = { "own-name", ZONE_HELO, C(4),
	    "the HELO name claims to be this site's own host" },
	[REASON_NO_DNS] = { "no-dns", ZONE_HELO, C(5),
	    "the HELO name does not exist in the DNS" },
	[REASON_HELO_DYNAMIC] = { "dynamic", ZONE_HELO, C(6),
	    "the HELO name looks like a dynamic or end-user host" },
	[REASON_BARE_IP] = { "bare-ip", ZONE_HELO, C(7),
	    "the HELO name is an IP address without the brackets of an "
	    "address literal" },
	[REASON_DOMAIN] = { "blacklist", ZONE_RHSBL, C(2),
	    "listed by the administrator" },
};

static const char *const types[ZONE_TYPE_MAX] = {
	[ZONE_DNSBL] = "dnsbl",
	[ZONE_DNSWL] = "dnswl",
	[ZONE_HELO] = "helo",
	[ZONE_RHSBL] = "rhsbl",
};

const struct reason_info *
reason_get(enum reason r)
{
	return &reasons[r];
}

unsigned
reason_mask(enum zone_type t)
{
	unsigned m = 0;
	int i;

	for (i = 0; i < REASON_MAX; i++)
		if (reasons[i].type == t)
			m |= 1U << i;
	return m;
}

int
reason_lookup(const char *key, enum zone_type type)
{
	int i;

	for (i = 0; i < REASON_MAX; i++)
		if (reasons[i].type == type && strcmp(reasons[i].key, key) == 0)
			return i;
	return -1;
}

const char *
zone_type_name(enum zone_type t)
{
	return types[t];
}

int
zone_type_lookup(const char *name)
{
	int i;

	for (i = 0; i < ZONE_TYPE_MAX; i++)
		if (strcmp(types[i], name) == 0)
			return i;
	return -1;
}

int
list_name_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 32 || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (i = 0; i < n; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '.' &&
		    s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

enum code_class
reason_code_class(uint32_t code)
{
	if ((code & 0xff000000U) != C(0) || code == C(1))
		return CODE_BAD;
	if (code < C(2) || code > C(254))
		return CODE_UNUSUAL;
	return CODE_OK;
}
