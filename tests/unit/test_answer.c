/* SPDX-License-Identifier: ISC */
/*
 * test_answer.c -- whole DNS answers for one query (answer.h): rcodes,
 * sections, allow-query, the address a batch prefetches, and a query
 * that needs a computed check answered again with the check's result.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer.h"
#include "conf.h"
#include "store.h"
#include "verdict.h"
#include "wire.h"
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
    "  code: blacklist 127.0.0.10\n"
    "zone:\n"
    "  name: ptr.test\n"
    "  type: dnsbl\n"
    "  checks: blacklist, no-ptr\n"
    "  on-lookup-failure: servfail\n"
    "zone:\n"
    "  name: helo.test\n"
    "  type: helo\n"
    "  checks: no-dot, no-dns\n"
    "zone:\n"
    "  name: sub.bl.test\n"
    "  type: dnsbl\n";

static struct fixture f;
static struct answer_conf ac;

/*
 * Answer a query for name from peer, with a fresh verdict on subj if
 * given; returns the rcode, -1 for no answer, and fills *out and the
 * answer and authority counts.
 */
static int
ask(const char *name, uint16_t type, const char *peer,
    const struct check_subject *subj, const struct check_result *fresh,
    struct answer_out *out, int *an, int *ns)
{
	uint8_t pkt[512], buf[4096];
	struct answer_query aq;
	struct answer_in in;
	struct addr p;
	char err[128];
	size_t n;

	n = fixture_query(pkt, name, type, 0);
	addr_parse(peer, 0, &p, err, sizeof(err));
	in.peer = &p;
	in.tcp = 0;
	in.now = time(NULL);
	in.fresh_subj = subj;
	in.fresh = fresh;
	answer_parse(&ac, pkt, n, &aq);
	answer_query(&ac, &aq, &in, buf, sizeof(buf), out);
	if (out->len < 12)
		return -1;
	*an = buf[7];
	*ns = buf[9];
	return buf[3] & 0xf;
}

/* The zone a query for name is parsed into, and its apex offset. */
static const char *
zone_of(const char *name)
{
	static char out[300];
	struct answer_query aq;
	uint8_t pkt[512];
	size_t n;

	n = fixture_query(pkt, name, TYPE_A, 0);
	answer_parse(&ac, pkt, n, &aq);
	if (aq.rc != WIRE_OK)
		return "bad query";
	if (aq.z == NULL)
		return "none";
	snprintf(out, sizeof(out), "%s@%u", aq.z->conf->name, aq.apex_off);
	return out;
}

/* answer_query_addr of a query for name: an address or "none". */
static const char *
query_addr(const char *name, int opcode)
{
	static char out[ADDR_STRLEN];
	struct answer_query aq;
	struct addr a;
	uint8_t pkt[512];
	size_t n;

	n = fixture_query(pkt, name, TYPE_A, opcode);
	answer_parse(&ac, pkt, n, &aq);
	if (!answer_query_addr(&aq, &a))
		return "none";
	return addr_format(&a, out, sizeof(out));
}

int
main(void)
{
	struct answer_out out;
	struct check_result r;
	struct check_subject s, other;
	struct addr a;
	char err[128], text[ADDR_STRLEN];
	int an, ns;

	plan(42);
	ok(fixture_open(&f, conftext) == 0, "configuration, store and zones");
	if (f.zs == NULL)
		return done();
	ok(fixture_add(&f, LIST_BLACK, "10.0.0.0/8", 0, 0, 0, "wide") == 0,
	    "the entry is stored");
	ac.zones = f.zs;
	ac.store = f.st;
	ac.allow = &f.conf->allow_query;
	ac.helo = NULL;
	ac.edns_size = 1232;
	ac.failure_ttl = 5;

	is_int(ask("9.9.9.10.bl.test", TYPE_A, "127.0.0.1", NULL, NULL, &out,
	    &an, &ns), RCODE_NOERROR, "listed name: NOERROR");
	is_int(an, 1, "listed name: one A");
	is_str(answer_kind_name(out.kind), "listed", "listed name: kind");
	is_int(out.zone_index, 0, "listed name: the first zone");
	is_int(ask("9.9.9.11.bl.test", TYPE_A, "127.0.0.1", NULL, NULL, &out,
	    &an, &ns), RCODE_NXDOMAIN, "unlisted name: NXDOMAIN");
	is_int(ns, 1, "unlisted name: SOA in authority");
	is_int(ask("9.9.10.bl.test", TYPE_A, "127.0.0.1", NULL, NULL, &out,
	    &an, &ns), RCODE_NOERROR, "name above an address: NOERROR");
	is_int(an * 10 + ns, 1, "name above an address: NODATA with SOA");
	is_int(ask("bl.test", TYPE_SOA, "127.0.0.1", NULL, NULL, &out, &an,
	    &ns), RCODE_NOERROR, "apex SOA: NOERROR");
	is_int(an, 1, "apex SOA: one record");
	is_int(ask("9.9.9.10.bl.test", TYPE_A, "192.0.2.1", NULL, NULL, &out,
	    &an, &ns), RCODE_REFUSED, "peer outside allow-query: REFUSED");
	is_int(ask("example.com", TYPE_A, "127.0.0.1", NULL, NULL, &out, &an,
	    &ns), RCODE_REFUSED, "outside every zone: REFUSED");
	is_int(out.zone_index, -1, "outside every zone: no zone");

	/* A computed check: needed, then answered with its result. */
	is_int(ask("1.0.0.11.ptr.test", TYPE_A, "127.0.0.1", NULL, NULL,
	    &out, &an, &ns), -1, "computed zone, no verdict: no answer yet");
	is_str(answer_kind_name(out.kind), "check",
	    "computed zone, no verdict: a check is needed");
	is_str(check_subject_text(&out.need, text, sizeof(text)), "11.0.0.1",
	    "the check is for the address asked about");
	s = out.need;
	memset(&r, 0, sizeof(r));
	r.verdict = CV_NO_PTR;
	r.checked = time(NULL);
	r.expires = r.checked + 60;
	is_int(ask("1.0.0.11.ptr.test", TYPE_A, "127.0.0.1", &s, &r, &out,
	    &an, &ns), RCODE_NOERROR, "answered again with no-ptr: NOERROR");
	is_int(an, 1, "answered again with no-ptr: one A");
	is_int(out.cache_hit, 0, "a fresh verdict is no cache hit");
	addr_parse("11.0.0.2", 0, &a, err, sizeof(err));
	check_subject_addr(&other, &a);
	is_int(ask("1.0.0.11.ptr.test", TYPE_A, "127.0.0.1", &other, &r,
	    &out, &an, &ns), -1,
	    "a fresh verdict on another subject is not used");
	is_str(answer_kind_name(out.kind), "check",
	    "... and the query still needs its check");
	r.verdict = CV_UNKNOWN;
	is_int(ask("1.0.0.11.ptr.test", TYPE_A, "127.0.0.1", &s, &r, &out,
	    &an, &ns), RCODE_SERVFAIL,
	    "unknown verdict, on-lookup-failure servfail: SERVFAIL");
	is_str(answer_kind_name(out.kind), "failure",
	    "unknown verdict: the failure answer");
	r.verdict = CV_NO_PTR;
	ok(verdict_store(f.st, &s, &r, err, sizeof(err)) == STORE_OK,
	    "the verdict is cached");
	is_int(ask("1.0.0.11.ptr.test", TYPE_A, "127.0.0.1", NULL, NULL,
	    &out, &an, &ns), RCODE_NOERROR, "the cached verdict answers");
	is_int(out.cache_hit, 1, "... counted as a cache hit");

	/* A helo zone: a name with no dot is listed without a lookup. */
	is_int(ask("nodot.helo.test", TYPE_A, "127.0.0.1", NULL, NULL, &out,
	    &an, &ns), RCODE_NOERROR, "helo: a single label is listed");
	is_int(ask("a.example.helo.test", TYPE_A, "127.0.0.1", NULL, NULL,
	    &out, &an, &ns), -1, "helo: a name with a dot needs a lookup");
	is_str(check_subject_text(&out.need, text, sizeof(text)),
	    "a.example", "helo: the lookup is for the HELO name");

	/* The zone of a query: the longest apex that is a suffix. */
	is_str(zone_of("2.0.0.127.bl.test"), "bl.test@22",
	    "zone: below bl.test, the apex after 4 labels (offset 12 + 10)");
	is_str(zone_of("2.0.0.127.SUB.bl.test"), "sub.bl.test@22",
	    "zone: the longest apex wins, whatever the case");
	is_str(zone_of("bl.test"), "bl.test@12", "zone: the apex itself");
	is_str(zone_of("xbl.test"), "none", "zone: a label is not a suffix");
	is_str(zone_of("test"), "none", "zone: above every zone");

	/* The address a batch prefetches for, from the parsed query. */
	is_str(query_addr("3.2.1.10.BL.test", 0), "10.1.2.3",
	    "query_addr: an IPv4 address in a dnsbl zone");
	is_str(query_addr("2.1.10.bl.test", 0), "none",
	    "query_addr: three labels are no address");
	is_str(query_addr("bl.test", 0), "none", "query_addr: the apex");
	is_str(query_addr("3.2.1.10.example.com", 0), "none",
	    "query_addr: outside every zone");
	is_str(query_addr("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "0.0.8.b.d.0.1.0.0.2.bl.test", 0), "2001:db8::1",
	    "query_addr: an IPv6 address (in the copy too)");
	is_str(query_addr("3.2.1.10.bl.test", 2), "none",
	    "query_addr: opcode STATUS is no query");

	fixture_close(&f);
	return done();
}
