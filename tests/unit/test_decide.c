/* SPDX-License-Identifier: ISC */
/*
 * test_decide.c -- what a zone says about an address or a HELO name
 * (decide.h): the lists, the test points, the computed verdict (none,
 * cached or fresh), every zone at once, and the TXT templates, against
 * a temporary LMDB store.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decide.h"
#include "conf.h"
#include "store.h"
#include "verdict.h"
#include "zone.h"
#include "fixture.h"
#include "../tap.h"

static const char conftext[] =
    "server:\n"
    "  database: /nonexistent\n"
    "zone:\n"
    "  name: bl.test\n"
    "  type: dnsbl\n"
    "  ttl: 300\n"
    "  negative-ttl: 60\n"
    "  url: \"http://x.test/?ip=$\"\n"
    "  code: blacklist 127.0.0.10\n"
    "zone:\n"
    "  name: wl.test\n"
    "  type: dnswl\n"
    "  txt: \"$ ok ($reason) $$5\"\n"
    "zone:\n"
    "  name: ptr.test\n"
    "  type: dnsbl\n"
    "  checks: blacklist, no-ptr\n"
    "zone:\n"
    "  name: helo.test\n"
    "  type: helo\n"
    "  checks: no-dot, no-dns\n";

static struct fixture f;

/* "listed 127.0.0.N" / "not listed" / "white" for address s in zone z. */
static const char *
decide(const struct zone *z, const char *s, const struct check_result *fresh)
{
	static char out[300];
	struct verdict v;
	struct addr a;
	char err[256];

	addr_parse(s, 0, &a, err, sizeof(err));
	store_read_begin(f.st, err, sizeof(err));
	if (decide_addr(z, f.st, &a, time(NULL), fresh, 0, &v, err,
	    sizeof(err)) == -1)
		snprintf(out, sizeof(out), "error %s", err);
	else if (v.need_check)
		snprintf(out, sizeof(out), "need check");
	else if (v.listed)
		snprintf(out, sizeof(out), "listed 127.0.0.%u%s%s",
		    v.code & 0xff, v.test_point ? " test" : "",
		    v.have_check ? " computed" : "");
	else
		snprintf(out, sizeof(out), "not listed%s%s%s%s",
		    v.white ? " white" : "", v.exempt ? " exempt" : "",
		    v.test_point ? " test" : "",
		    v.unknown ? " unknown" : "");
	store_read_end(f.st);
	return out;
}

static const char *
txt(const struct zone *z, const char *s)
{
	static char out[512];
	struct verdict v;
	struct addr a;
	char err[256], ip[ADDR_STRLEN];

	addr_parse(s, 0, &a, err, sizeof(err));
	store_read_begin(f.st, err, sizeof(err));
	if (decide_addr(z, f.st, &a, time(NULL), NULL, 0, &v, err,
	    sizeof(err)) == -1)
		snprintf(out, sizeof(out), "error %s", err);
	else
		decide_txt(z, &v, addr_format(&a, ip, sizeof(ip)), out,
		    sizeof(out));
	store_read_end(f.st);
	return out;
}

/* decide_zones: "zone:listed|not|check" of each zone, space-joined. */
static int
each(void *arg, const struct zone *z, const struct verdict *v)
{
	char *out = arg;
	size_t o = strlen(out);

	snprintf(out + o, 300 - o, "%s%s:%s", o ? " " : "", z->conf->name,
	    v->need_check ? "check" : v->listed ? "listed" : "not");
	return 0;
}

static const char *
all(const char *s, const struct check_result *fresh)
{
	static char out[300];
	struct check_subject subj;
	struct addr a;
	char err[256];

	out[0] = '\0';
	if (addr_parse(s, 0, &a, err, sizeof(err)) == 0)
		check_subject_addr(&subj, &a);
	else
		(void)check_subject_name(&subj, s);
	if (decide_zones(f.zs, f.st, NULL, &subj, time(NULL), fresh, each,
	    out, err, sizeof(err)) == -1)
		snprintf(out, sizeof(out), "error %s", err);
	return out;
}

int
main(void)
{
	const struct zone *bl, *wl, *ptr;
	struct check_result nxr;
	struct check_subject s;
	struct addr a;
	char err[256];

	plan(40);
	ok(fixture_open(&f, conftext) == 0, "configuration, store and zones");
	if (f.zs == NULL)
		return done();
	bl = zoneset_by_name(f.zs, "bl.test");
	wl = zoneset_by_name(f.zs, "wl.test");
	ptr = zoneset_by_name(f.zs, "ptr.test");

	/* an entry that failed would let the tests below pass without it */
	ok(fixture_add(&f, LIST_BLACK, "10.0.0.0/8", 0, 0, 0, "wide") +
	    fixture_add(&f, LIST_BLACK, "10.1.0.0/16", 0, 0x7f000003, 0, "") +
	    fixture_add(&f, LIST_BLACK, "10.1.2.0/24", 0, 0x7f000004, 0,
	    "narrow") +
	    fixture_add(&f, LIST_BLACK, "10.1.2.3", ENTRY_EXCLUDE, 0, 0, "") +
	    fixture_add(&f, LIST_WHITE, "10.1.2.7", 0, 0, 0, "our partner") +
	    fixture_add(&f, LIST_BLACK, "10.1.2.9", 0, 0x7f000005,
	    time(NULL) - 10, "old") +
	    fixture_add(&f, LIST_BLACK, "127.0.0.1", 0, 0, 0,
	    "must not list") +
	    fixture_add(&f, LIST_BLACK, "2001:db8::/32", 0, 0, 0, "v6") +
	    fixture_add(&f, LIST_BLACK, "192.0.2.0/24", 0, 0, 0,
	    "see http://x.test/$ ($$5)") +
	    fixture_add(&f, LIST_WHITE, "192.0.2.7", 0, 0, 0, "$ is ours$") +
	    fixture_add(&f, LIST_BLACK, "::ffff:0:0/96", 0, 0, 0, "v4 in v6 $") +
	    fixture_add(&f, LIST_BLACK, "2001:db8:1::/48", 0, 0, 0,
	    "$$$") == 0,
	    "the 12 entries are stored");

	is_str(decide(bl, "10.9.9.9", NULL), "listed 127.0.0.10",
	    "/8 entry with the zone's blacklist code");
	is_str(decide(bl, "10.1.9.9", NULL), "listed 127.0.0.3",
	    "/16 inside the /8 wins with its own code");
	is_str(decide(bl, "10.1.2.1", NULL), "listed 127.0.0.4",
	    "/24 inside the /16 wins");
	is_str(decide(bl, "10.1.2.3", NULL), "not listed",
	    "exclusion inside the /24");
	is_str(decide(bl, "10.1.2.7", NULL), "not listed white",
	    "whitelisted /32 inside the blacklisted /24");
	is_str(decide(bl, "10.1.2.9", NULL), "listed 127.0.0.4",
	    "expired /32 falls back to the /24");
	is_str(decide(bl, "11.0.0.1", NULL), "not listed", "unlisted address");
	is_str(decide(bl, "127.0.0.2", NULL), "listed 127.0.0.10 test",
	    "test point 127.0.0.2 listed without data");
	is_str(decide(bl, "127.0.0.1", NULL), "not listed test",
	    "test point 127.0.0.1 not listed despite an entry");
	is_str(decide(bl, "::ffff:127.0.0.2", NULL), "listed 127.0.0.10 test",
	    "v6 test point listed");
	is_str(decide(bl, "2001:db8::25", NULL), "listed 127.0.0.10",
	    "v6 /32 entry");
	is_str(decide(wl, "10.1.2.7", NULL), "listed 127.0.0.2",
	    "dnswl lists the white entry");
	is_str(decide(wl, "10.9.9.9", NULL), "not listed",
	    "dnswl ignores the black list");

	/* A delisting exemption: out of every dnsbl zone, in no dnswl. */
	ok(bl->exempt != ZONE_NOLIST && fixture_add(&f, bl->exempt,
	    "10.1.2.20", 0, 0, 0, "delisting request 1") == 0,
	    "an exemption inside the black /24 stored");
	is_str(decide(bl, "10.1.2.20", NULL), "not listed exempt",
	    "the exemption carves the address out of the /24");
	is_str(decide(bl, "10.1.2.21", NULL), "listed 127.0.0.4",
	    "its neighbour is still listed");
	is_str(decide(wl, "10.1.2.20", NULL), "not listed",
	    "an exemption is no whitelisting");
	is_str(decide(ptr, "10.1.2.20", NULL), "not listed exempt",
	    "the exemption beats the computed checks");

	/* The computed part: none yet, fresh, cached, unknown. */
	memset(&nxr, 0, sizeof(nxr));
	nxr.verdict = CV_NO_PTR;
	nxr.checked = time(NULL);
	nxr.expires = nxr.checked + 60;
	snprintf(nxr.detail, sizeof(nxr.detail), "no reverse DNS");
	is_str(decide(ptr, "11.0.0.1", NULL), "need check",
	    "computed zone, no verdict: a check is needed");
	is_str(decide(ptr, "11.0.0.1", &nxr), "listed 127.0.0.3 computed",
	    "computed zone, fresh no-ptr: listed with the no-ptr code");
	is_str(decide(ptr, "10.1.2.7", NULL), "not listed white",
	    "computed zone: a white entry needs no check");
	is_str(decide(ptr, "10.9.9.9", NULL), "listed 127.0.0.2",
	    "computed zone: a black entry needs no check");
	addr_parse("11.0.0.1", 0, &a, err, sizeof(err));
	check_subject_addr(&s, &a);
	ok(verdict_store(f.st, &s, &nxr, err, sizeof(err)) == STORE_OK,
	    "the no-ptr verdict is cached");
	is_str(decide(ptr, "11.0.0.1", NULL), "listed 127.0.0.3 computed",
	    "computed zone, cached no-ptr: listed");
	is_str(decide(bl, "11.0.0.1", NULL), "not listed",
	    "a zone without computed checks ignores the cached verdict");
	nxr.verdict = CV_UNKNOWN;
	is_str(decide(ptr, "11.0.0.2", &nxr), "not listed unknown",
	    "an unknown verdict never lists");

	/* Every zone at once, in the configured order. */
	is_str(all("10.1.2.7", NULL),
	    "bl.test:not wl.test:listed ptr.test:not",
	    "decide_zones: an address goes to the dnsbl and dnswl zones");
	is_str(all("11.0.0.9", NULL),
	    "bl.test:not wl.test:not ptr.test:check",
	    "decide_zones: a zone that needs a check says so");
	is_str(all("nodot", NULL), "helo.test:listed",
	    "decide_zones: a HELO name goes to the helo zones");

	is_str(txt(bl, "10.9.9.9"),
	    "10.9.9.9 is listed: wide; see http://x.test/?ip=10.9.9.9",
	    "default dnsbl template with reason and url");
	is_str(txt(bl, "10.1.9.9"),
	    "10.1.9.9 is listed: listed by the administrator; see "
	    "http://x.test/?ip=10.1.9.9",
	    "empty reason gives the default text");
	is_str(txt(wl, "10.1.2.7"), "10.1.2.7 ok (our partner) $5",
	    "custom template with $$");
	is_str(txt(bl, "192.0.2.1"), "192.0.2.1 is listed: see "
	    "http://x.test/192.0.2.1 ($5); see http://x.test/?ip=192.0.2.1",
	    "an entry's $ is the address, $$ a dollar, inside $reason");
	is_str(txt(wl, "192.0.2.7"), "192.0.2.7 ok (192.0.2.7 is ours192.0.2.7) "
	    "$5", "an entry's $ expanded in a dnswl zone too");
	is_str(txt(bl, "::ffff:192.0.2.1"), "::ffff:192.0.2.1 is listed: "
	    "v4 in v6 ::ffff:c000:201; see http://x.test/?ip=::ffff:192.0.2.1",
	    "an entry's $ is an IPv6 address as rbldnsd writes it");
	is_str(txt(bl, "2001:db8:1::9"), "2001:db8:1::9 is listed: "
	    "$2001:db8:1::9; see http://x.test/?ip=2001:db8:1::9",
	    "$$$: a dollar, then the address");
	is_str(txt(ptr, "11.0.0.1"),
	    "11.0.0.1 is listed: no reverse DNS",
	    "a computed listing's TXT gives the check's detail");
	is_str(txt(bl, "127.0.0.2"),
	    "127.0.0.2 is listed: RFC 5782 test point; see "
	    "http://x.test/?ip=127.0.0.2", "the test point's TXT");

	fixture_close(&f);
	return done();
}
