/*
 * test_zone.c -- verdicts, TXT templates and whole answers, against a
 * temporary LMDB store.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "store.h"
#include "wire.h"
#include "zone.h"
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
    "  txt: \"$ ok ($reason) $$5\"\n";

static void
conf_err(void *arg, const char *file, int line, const char *msg)
{
	(void)arg;
	printf("# %s:%d: %s\n", file, line, msg);
}

/* Store an entry; 0, or -1 with a diagnostic line. */
static int
add(struct store *st, enum store_list l, const char *prefix, uint32_t flags,
    uint32_t code, int64_t expires, const char *reason)
{
	struct store_entry e;
	char err[256];
	int replaced;

	memset(&e, 0, sizeof(e));
	if (addr_parse(prefix, 0, &e.prefix, err, sizeof(err)) == -1) {
		printf("# %s\n", err);
		return -1;
	}
	e.flags = flags;
	e.code = code;
	e.added = time(NULL);
	e.expires = expires;
	e.actor = "test";
	e.actor_len = 4;
	e.reason = reason;
	e.reason_len = strlen(reason);
	if (store_add(st, l, &e, &replaced, err, sizeof(err)) != STORE_OK) {
		printf("# store_add %s: %s\n", prefix, err);
		return -1;
	}
	return 0;
}

/* "listed 127.0.0.N" / "not listed" / "white" for address s in zone z. */
static const char *
decide(const struct zone *z, struct store *st, const char *s)
{
	static char out[300];
	struct verdict v;
	struct addr a;
	char err[256];

	addr_parse(s, 0, &a, err, sizeof(err));
	store_read_begin(st, err, sizeof(err));
	if (zone_decide(z, st, &a, time(NULL), NULL, 0, &v, err,
	    sizeof(err)) == -1)
		snprintf(out, sizeof(out), "error %s", err);
	else if (v.listed)
		snprintf(out, sizeof(out), "listed 127.0.0.%u%s",
		    v.code & 0xff, v.test_point ? " test" : "");
	else
		snprintf(out, sizeof(out), "not listed%s%s",
		    v.white ? " white" : "", v.test_point ? " test" : "");
	store_read_end(st);
	return out;
}

static const char *
txt(const struct zone *z, struct store *st, const char *s)
{
	static char out[512];
	struct verdict v;
	struct addr a;
	char err[256], ip[ADDR_STRLEN];

	addr_parse(s, 0, &a, err, sizeof(err));
	store_read_begin(st, err, sizeof(err));
	zone_decide(z, st, &a, time(NULL), NULL, 0, &v, err, sizeof(err));
	zone_txt(z, &v, addr_format(&a, ip, sizeof(ip)), out, sizeof(out));
	store_read_end(st);
	return out;
}

/* Answer a query; returns rcode and fills counts. */
static int
ask(struct answer_ctx *ctx, const char *name, uint16_t type, int *an,
    int *ns, const char *peer)
{
	uint8_t pkt[512], out[4096];
	struct addr p;
	enum answer_kind kind;
	char err[128];
	size_t n, len;

	memset(pkt, 0, 12);
	pkt[5] = 1;
	n = 12 + wire_name_from_str(name, pkt + 12, sizeof(pkt) - 12);
	pkt[n++] = 0;
	pkt[n++] = (uint8_t)type;
	pkt[n++] = 0;
	pkt[n++] = 1;
	addr_parse(peer, 0, &p, err, sizeof(err));
	len = zone_answer(ctx, &p, 0, pkt, n, NULL, out, sizeof(out), &kind);
	if (len < 12)
		return -1;
	*an = out[7];
	*ns = out[9];
	return out[3] & 0xf;
}

/* zone_query_addr of a query for name: "10.1.2.3", "none" or "error". */
static const char *
query_addr(const struct answer_ctx *ctx, const char *name, int opcode)
{
	static char out[ADDR_STRLEN];
	struct zone_query zq;
	struct addr a;
	uint8_t pkt[512];
	size_t n;

	memset(pkt, 0, 12);
	pkt[2] = (uint8_t)(opcode << 3);
	pkt[5] = 1;
	n = 12 + wire_name_from_str(name, pkt + 12, sizeof(pkt) - 12);
	pkt[n++] = 0;
	pkt[n++] = TYPE_A;
	pkt[n++] = 0;
	pkt[n++] = 1;
	zone_parse(ctx, pkt, n, &zq);
	if (!zone_query_addr(&zq, &a))
		return "none";
	return addr_format(&a, out, sizeof(out));
}

int
main(void)
{
	char dir[] = "/tmp/test_zone.XXXXXX", err[256], cmd[300];
	struct conf *conf;
	struct store *st;
	struct zoneset *zs;
	const struct zone *bl, *wl;
	struct answer_ctx ctx;
	int nerr = 0, an, ns, bad;

	plan(35);
	conf = conf_load_string("t.conf", conftext, conf_err, NULL, &nerr);
	ok(conf != NULL, "configuration loads");
	if (conf == NULL || mkdtemp(dir) == NULL)
		return done();
	st = store_open(dir, 16 << 20, 0, err, sizeof(err));
	ok(st != NULL, "store opens");
	zs = zoneset_new(conf, 2026112301, err, sizeof(err));
	ok(zs != NULL, "zones prepared");
	if (st == NULL || zs == NULL)
		return done();
	bl = zoneset_by_name(zs, "bl.test");
	wl = zoneset_by_name(zs, "wl.test");

	/*
	 * Without them the verdicts below that an entry must not change
	 * (the expired /32, the test point 127.0.0.1) hold vacuously.
	 */
	bad = add(st, LIST_BLACK, "10.0.0.0/8", 0, 0, 0, "wide") +
	    add(st, LIST_BLACK, "10.1.0.0/16", 0, 0x7f000003, 0, "") +
	    add(st, LIST_BLACK, "10.1.2.0/24", 0, 0x7f000004, 0, "narrow") +
	    add(st, LIST_BLACK, "10.1.2.3", ENTRY_EXCLUDE, 0, 0, "") +
	    add(st, LIST_WHITE, "10.1.2.7", 0, 0, 0, "our partner") +
	    add(st, LIST_BLACK, "10.1.2.9", 0, 0x7f000005, time(NULL) - 10,
	    "old") +
	    add(st, LIST_BLACK, "127.0.0.1", 0, 0, 0, "must not list") +
	    add(st, LIST_BLACK, "2001:db8::/32", 0, 0, 0, "v6");
	is_int(bad, 0, "the 8 entries are stored");

	is_str(decide(bl, st, "10.9.9.9"), "listed 127.0.0.10",
	    "/8 entry with the zone's blacklist code");
	is_str(decide(bl, st, "10.1.9.9"), "listed 127.0.0.3",
	    "/16 inside the /8 wins with its own code");
	is_str(decide(bl, st, "10.1.2.1"), "listed 127.0.0.4",
	    "/24 inside the /16 wins");
	is_str(decide(bl, st, "10.1.2.3"), "not listed",
	    "exclusion inside the /24");
	is_str(decide(bl, st, "10.1.2.7"), "not listed white",
	    "whitelisted /32 inside the blacklisted /24");
	is_str(decide(bl, st, "10.1.2.9"), "listed 127.0.0.4",
	    "expired /32 falls back to the /24");
	is_str(decide(bl, st, "11.0.0.1"), "not listed", "unlisted address");
	is_str(decide(bl, st, "127.0.0.2"), "listed 127.0.0.10 test",
	    "test point 127.0.0.2 listed without data");
	is_str(decide(bl, st, "127.0.0.1"), "not listed test",
	    "test point 127.0.0.1 not listed despite an entry");
	is_str(decide(bl, st, "::ffff:127.0.0.2"), "listed 127.0.0.10 test",
	    "v6 test point listed");
	is_str(decide(bl, st, "2001:db8::25"), "listed 127.0.0.10",
	    "v6 /32 entry");
	is_str(decide(wl, st, "10.1.2.7"), "listed 127.0.0.2",
	    "dnswl lists the white entry");
	is_str(decide(wl, st, "10.9.9.9"), "not listed",
	    "dnswl ignores the black list");

	is_str(txt(bl, st, "10.9.9.9"),
	    "10.9.9.9 is listed: wide; see http://x.test/?ip=10.9.9.9",
	    "default dnsbl template with reason and url");
	is_str(txt(bl, st, "10.1.9.9"),
	    "10.1.9.9 is listed: listed by the administrator; see "
	    "http://x.test/?ip=10.1.9.9",
	    "empty reason gives the default text");
	is_str(txt(wl, st, "10.1.2.7"), "10.1.2.7 ok (our partner) $5",
	    "custom template with $$");

	memset(&ctx, 0, sizeof(ctx));
	ctx.zones = zs;
	ctx.store = st;
	ctx.allow = &conf->allow_query;
	ctx.edns_size = 1232;
	ctx.now = time(NULL);
	is_int(ask(&ctx, "9.9.9.10.bl.test", TYPE_A, &an, &ns, "127.0.0.1"),
	    RCODE_NOERROR, "listed name: NOERROR");
	is_int(an, 1, "listed name: one A");
	is_int(ask(&ctx, "9.9.9.11.bl.test", TYPE_A, &an, &ns, "127.0.0.1"),
	    RCODE_NXDOMAIN, "unlisted name: NXDOMAIN");
	is_int(ns, 1, "unlisted name: SOA in authority");
	is_int(ask(&ctx, "9.9.10.bl.test", TYPE_A, &an, &ns, "127.0.0.1"),
	    RCODE_NOERROR, "name above an address: NOERROR");
	is_int(an * 10 + ns, 1, "name above an address: NODATA with SOA");
	is_int(ask(&ctx, "9.9.9.10.bl.test", TYPE_A, &an, &ns, "192.0.2.1"),
	    RCODE_REFUSED, "peer outside allow-query: REFUSED");
	is_int(ask(&ctx, "example.com", TYPE_A, &an, &ns, "127.0.0.1"),
	    RCODE_REFUSED, "outside every zone: REFUSED");

	/* The address a batch prefetches for, from the parsed query. */
	is_str(query_addr(&ctx, "3.2.1.10.BL.test", 0), "10.1.2.3",
	    "query_addr: an IPv4 address in a dnsbl zone");
	is_str(query_addr(&ctx, "7.2.1.10.wl.test", 0), "10.1.2.7",
	    "query_addr: and in a dnswl zone");
	is_str(query_addr(&ctx, "2.1.10.bl.test", 0), "none",
	    "query_addr: three labels are no address");
	is_str(query_addr(&ctx, "bl.test", 0), "none", "query_addr: the apex");
	is_str(query_addr(&ctx, "3.2.1.10.example.com", 0), "none",
	    "query_addr: outside every zone");
	is_str(query_addr(&ctx, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "0.0.8.b.d.0.1.0.0.2.bl.test", 0), "none",
	    "query_addr: an IPv6 address (not in the copy)");
	is_str(query_addr(&ctx, "3.2.1.10.bl.test", 2), "none",
	    "query_addr: opcode STATUS is no query");

	zoneset_free(zs);
	store_close(st);
	conf_free(conf);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return done();
}
