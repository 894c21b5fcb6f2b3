/* SPDX-License-Identifier: ISC */
/*
 * test_zone.c -- the zone table (zone.h): zones by name, the SOA data,
 * and the TXT template of a zone for a reason.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zone.h"
#include "conf.h"
#include "../tap.h"

static const char conftext[] =
    "server:\n"
    "  database: /nonexistent\n"
    "zone:\n"
    "  name: bl.test\n"
    "  type: dnsbl\n"
    "  url: \"http://x.test/?ip=$\"\n"
    "zone:\n"
    "  name: sub.bl.test\n"
    "  type: dnsbl\n"
    "  txt: no-ptr \"$ has no PTR\"\n"
    "zone:\n"
    "  name: wl.test\n"
    "  type: dnswl\n"
    "  txt: \"$ ok\"\n"
    "zone:\n"
    "  name: plain.test\n"
    "  type: dnsbl\n";

static void
conf_err(void *arg, const char *file, int line, const char *msg)
{
	(void)arg;
	printf("# %s:%d: %s\n", file, line, msg);
}

int
main(void)
{
	struct conf *conf;
	struct zoneset *zs;
	const struct zone *bl, *sub, *wl, *plain;
	char err[256];
	int nerr = 0;

	plan(12);
	conf = conf_load_string("t.conf", conftext, conf_err, NULL, &nerr);
	ok(conf != NULL, "configuration loads");
	if (conf == NULL)
		return done();
	zs = zoneset_new(conf, 2026112301, err, sizeof(err));
	ok(zs != NULL, "zones prepared");
	if (zs == NULL)
		return done();
	bl = zoneset_by_name(zs, "bl.test");
	sub = zoneset_by_name(zs, "sub.bl.test");
	wl = zoneset_by_name(zs, "wl.test");
	plain = zoneset_by_name(zs, "plain.test");
	ok(bl != NULL && sub != NULL && wl != NULL && plain != NULL,
	    "zoneset_by_name finds every zone");
	ok(zoneset_by_name(zs, "other.test") == NULL,
	    "zoneset_by_name: no such zone");

	is_int(zs->serial, 2026112301, "the serial is kept");
	ok(bl->soa_len > 20 && memcmp(bl->soa_rdata + bl->soa_len - 20,
	    "\x78\xc4\x05\x2d", 4) == 0, "the SOA rdata carries the serial");

	is_str(zone_txt_template(bl, REASON_BLACKLIST),
	    "$ is listed: $reason; see $url",
	    "default template with a url:");
	is_str(zone_txt_template(plain, REASON_BLACKLIST),
	    "$ is listed: $reason", "default template without a url:");
	is_str(zone_txt_template(sub, REASON_NO_PTR), "$ has no PTR",
	    "a reason's own template");
	is_str(zone_txt_template(sub, REASON_BLACKLIST),
	    "$ is listed: $reason", "other reasons keep the default");
	is_str(zone_txt_template(wl, REASON_WHITELIST), "$ ok",
	    "the zone's txt:");
	ok(zone_txt_template(wl, REASON_WHITELIST) == wl->conf->txt,
	    "the template points into the configuration");

	zoneset_free(zs);
	conf_free(conf);
	return done();
}
