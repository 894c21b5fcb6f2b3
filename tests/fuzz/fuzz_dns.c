/* SPDX-License-Identifier: ISC */
/*
 * fuzz_dns.c -- libFuzzer target: a query packet through the query
 * parser and the answer path (answer_parse, answer_query), as the
 * listeners hand it over, against zones of every type and a store with
 * entries, and its TSIG record through tsig_verify and the signing of
 * the answer; the packet is also read as the answer to a signed request
 * (tsig_verify_answer). The input is the packet; its first byte also
 * picks the transport (UDP or TCP) and the peer (allowed or not).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer.h"
#include "helo.h"
#include "conf.h"
#include "pattern.h"
#include "tsig.h"
#include "util.h"
#include "wire.h"
#include "fuzz.h"
#include "../unit/fixture.h"

static const char conftext[] =
    "server:\n"
    "  database: /nonexistent\n"
    "  allow-query: 127.0.0.0/8, ::1\n"
    "key:\n"
    "  name: xfr-key\n"
    "  secret: 4B/dh417sdOWi9RxfOE3I3bbX3RKUhXVDpGqBhe3O2Y=\n"
    "zone:\n"
    "  name: bl.test\n"
    "  type: dnsbl\n"
    "  ttl: 1h\n"
    "  negative-ttl: 5m\n"
    "  code: blacklist 127.0.0.20\n"
    "  txt: \"$ listed: $reason\"\n"
    "zone:\n"
    "  name: ptr.test\n"
    "  type: dnsbl\n"
    "  checks: no-ptr, blacklist\n"
    "  on-lookup-failure: servfail\n"
    "zone:\n"
    "  name: wl.test\n"
    "  type: dnswl\n"
    "zone:\n"
    "  name: helo.test\n"
    "  type: helo\n"
    "  checks: no-dot, no-dns\n"
    "zone:\n"
    "  name: sub.bl.test\n"
    "  type: dnsbl\n";

static struct fixture		 f;
static struct answer_conf	 ac;
static struct helo_env		 helo;
static int			 ready;

static void
cleanup(void)
{
	fixture_close(&f);
}

static void
setup(void)
{
	if (fixture_open(&f, conftext) == -1 ||
	    fixture_add(&f, LIST_BLACK, "10.0.0.0/8", 0, 0, 0, "wide") == -1 ||
	    fixture_add(&f, LIST_BLACK, "192.0.2.1/32", 0, 0, 0, "one") == -1 ||
	    fixture_add(&f, LIST_BLACK, "2001:db8::/32", 0, 0, 0, "v6") == -1 ||
	    fixture_add(&f, LIST_WHITE, "10.1.0.0/16", 0, 0, 0, "ok") == -1)
		abort();
	atexit(cleanup);
	helo.bad = NULL;
	helo.pat = NULL;
	helo.conf = f.conf;
	ac.zones = f.zs;
	ac.store = f.st;
	ac.allow = &f.conf->allow_query;
	ac.helo = &helo;
	ac.edns_size = 1232;
	ac.failure_ttl = 5;
	ready = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[65535];
	struct answer_query aq;
	struct answer_in in;
	struct answer_out out;
	struct tsig t;
	struct addr peer;
	size_t n;
	int rc;
	char err[128];
	uint8_t *pkt;

	if (!ready)
		setup();
	/* A copy of exactly size bytes, so that ASan sees any overread. */
	pkt = xmalloc(size == 0 ? 1 : size);
	memcpy(pkt, data, size);
	(void)addr_parse(size > 0 && (data[0] & 1) ? "192.0.2.7" :
	    "127.0.0.1", 0, &peer, err, sizeof(err));
	memset(&in, 0, sizeof(in));
	in.peer = &peer;
	in.tcp = size > 0 && (data[0] & 2);
	in.now = time(NULL);
	answer_parse(&ac, pkt, size, &aq);
	(void)answer_query_addr(&aq, &peer);
	answer_query(&ac, &aq, &in, buf, in.tcp ? sizeof(buf) : 4096, &out);
	if (out.len > (in.tcp ? sizeof(buf) : 4096))
		abort();
	if (aq.rc == WIRE_OK) {
		rc = tsig_verify(f.conf->keys, f.conf->nkeys, pkt, size,
		    aq.q.tsig_off, in.now, &t);
		if (rc == TSIG_OK && out.len > 0)
			n = tsig_sign(&t, buf, out.len, sizeof(buf), in.now);
		else if (rc == TSIG_ERROR)
			n = tsig_error_answer(&t, buf, WIRE_HDRLEN +
			    aq.q.qname_len + 4, sizeof(buf), in.now);
		else
			n = 0;
		if (n > sizeof(buf))
			abort();
	}
	tsig_request(&t, &f.conf->keys[0]);
	(void)tsig_verify_answer(&t, pkt, size, in.now);
	free(pkt);
	return 0;
}
