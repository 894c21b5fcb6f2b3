/* SPDX-License-Identifier: ISC */
/*
 * zone.c -- the zone table: apex, SOA and NS data in wire form, the zone
 * of a query name, and the TXT templates.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zone.h"
#include "conf.h"
#include "util.h"

#define SOA_REFRESH	3600
#define SOA_RETRY	600
#define SOA_EXPIRE	604800

static int
name_wire(const char *name, uint8_t *out, size_t outlen, size_t *len,
    const char *what, char *errbuf, size_t errlen)
{
	if ((*len = wire_name_from_str(name, out, outlen)) == 0) {
		snprintf(errbuf, errlen, "bad %s name \"%s\"", what, name);
		return -1;
	}
	return 0;
}

struct zoneset *
zoneset_new(const struct conf *conf, uint32_t serial, char *errbuf,
    size_t errlen)
{
	struct zoneset *zs;
	size_t i, j, n;

	zs = xcalloc(1, sizeof(*zs));
	zs->serial = serial;
	zs->v = xcalloc(conf->nzones, sizeof(*zs->v));
	zs->n = conf->nzones;
	for (i = 0; i < conf->nzones; i++) {
		const struct conf_zone *cz = &conf->zones[i];
		struct zone *z = &zs->v[i];
		uint8_t *p;

		z->conf = cz;
		z->exempt = ZONE_NOLIST;	/* until decide_bind */
		if (name_wire(cz->name, z->apex, sizeof(z->apex), &z->apex_len,
		    "zone", errbuf, errlen) == -1)
			goto fail;
		for (j = 0; z->apex[j] != 0; j += 1 + z->apex[j])
			z->apex_labels++;
		p = z->soa_rdata;
		if (name_wire(cz->soa_mname, p, WIRE_MAXNAME, &n, "soa",
		    errbuf, errlen) == -1)
			goto fail;
		p += n;
		if (name_wire(cz->soa_rname, p, WIRE_MAXNAME, &n, "soa",
		    errbuf, errlen) == -1)
			goto fail;
		p += n;
		z->serial = serial;
		wire_put32(p, serial);
		wire_put32(p + 4, SOA_REFRESH);
		wire_put32(p + 8, SOA_RETRY);
		wire_put32(p + 12, SOA_EXPIRE);
		wire_put32(p + 16, cz->negative_ttl);
		p += 20;
		z->soa_len = (size_t)(p - z->soa_rdata);
		z->nns = cz->nns;
		z->ns_rdata = xcalloc(cz->nns, sizeof(*z->ns_rdata));
		z->ns_len = xcalloc(cz->nns, sizeof(*z->ns_len));
		for (j = 0; j < cz->nns; j++)
			if (name_wire(cz->ns[j], z->ns_rdata[j], WIRE_MAXNAME,
			    &z->ns_len[j], "ns", errbuf, errlen) == -1)
				goto fail;
	}
	return zs;
fail:
	zoneset_free(zs);
	return NULL;
}

void
zoneset_free(struct zoneset *zs)
{
	size_t i;

	if (zs == NULL)
		return;
	for (i = 0; i < zs->n; i++) {
		free(zs->v[i].ns_rdata);
		free(zs->v[i].ns_len);
	}
	free(zs->v);
	free(zs);
}

void
zone_set_serial(struct zone *z, uint32_t serial)
{
	z->serial = serial;
	wire_put32(z->soa_rdata + z->soa_len - 20, serial);
}

/* FNV-1a over len bytes of p, and a separator. */
static uint64_t
fnv(uint64_t h, const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ c[i]) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;
}

static uint64_t
fnv_str(uint64_t h, const char *s)
{
	return s == NULL ? fnv(h, "", 0) : fnv(h, s, strlen(s) + 1);
}

uint64_t
zone_conf_hash(const struct zone *z)
{
	const struct conf_zone *cz = z->conf;
	uint64_t h = 0xcbf29ce484222325ULL;
	uint32_t v[6];
	size_t i;

	h = fnv_str(h, cz->name);
	v[0] = cz->type;
	v[1] = cz->checks;
	v[2] = cz->ttl;
	v[3] = cz->negative_ttl;
	v[4] = (uint32_t)cz->servfail;
	v[5] = (uint32_t)cz->nlists;
	h = fnv(h, v, sizeof(v));
	h = fnv(h, z->soa_rdata, z->soa_len - 20);
	h = fnv(h, z->soa_rdata + z->soa_len - 16, 16);
	for (i = 0; i < z->nns; i++)
		h = fnv(h, z->ns_rdata[i], z->ns_len[i]);
	h = fnv_str(h, cz->txt);
	for (i = 0; i < REASON_MAX; i++)
		h = fnv_str(h, cz->txt_reason[i]);
	h = fnv(h, cz->code, sizeof(cz->code));
	h = fnv_str(h, cz->url);
	for (i = 0; i < cz->nlists; i++) {
		h = fnv_str(h, cz->lists[i].name);
		h = fnv(h, &cz->lists[i].code, sizeof(cz->lists[i].code));
	}
	return h;
}

const struct zone *
zoneset_by_name(const struct zoneset *zs, const char *name)
{
	size_t i;

	for (i = 0; i < zs->n; i++)
		if (strcmp(zs->v[i].conf->name, name) == 0)
			return &zs->v[i];
	return NULL;
}

const char *
zone_txt_template(const struct zone *z, enum reason r)
{
	const struct conf_zone *cz = z->conf;

	if (cz->txt_reason[r] != NULL)
		return cz->txt_reason[r];
	if (cz->txt != NULL)
		return cz->txt;
	if (cz->type == ZONE_DNSWL)
		return "$ is whitelisted: $reason";
	if (cz->url != NULL)
		return "$ is listed: $reason; see $url";
	return "$ is listed: $reason";
}
