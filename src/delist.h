/*
 * delist.h -- the delisting decision, in one place for the pages
 * (http.c) and "rdnsblctl queue": what a request becomes, the whitelist
 * entry and text an approval writes, and when every MX sees it.
 */
#ifndef DELIST_H
#define DELIST_H

#include <stdint.h>

struct conf;

/*
 * How long until every MX sees a delisting: a resolver may hold a
 * dnsbl zone's listed answer for its ttl: and a dnswl zone's NXDOMAIN
 * for its negative-ttl:. The largest of those over the zones of conf,
 * in seconds.
 */
uint32_t	 delist_delay(const struct conf *conf);

#endif /* DELIST_H */
