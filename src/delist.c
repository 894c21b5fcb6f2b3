/*
 * delist.c -- the delisting decision.
 */
#include "config.h"

#include "delist.h"
#include "conf.h"

uint32_t
delist_delay(const struct conf *conf)
{
	const struct conf_zone *z;
	uint32_t d = 0, t;
	size_t i;

	for (i = 0; i < conf->nzones; i++) {
		z = &conf->zones[i];
		t = z->type == ZONE_DNSWL ? z->negative_ttl :
		    z->type == ZONE_DNSBL ? z->ttl : 0;
		if (t > d)
			d = t;
	}
	return d;
}
