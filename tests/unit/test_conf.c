/* SPDX-License-Identifier: ISC */
/*
 * test_conf.c -- the configuration parser: values, defaults, errors with
 * their line numbers, conf_dump round trip, the schema key list.
 */
#include "config.h"

#include <sys/stat.h>
#include <netinet/in.h>
#include <errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "addr.h"
#include "conf.h"
#include "reason.h"
#include "util.h"

/*
 * Under AddressSanitizer (-fsanitize=address, which includes
 * LeakSanitizer) test_leaks() asks for a leak check of its own, so that
 * a leak is a failed test with its name and not only a report at exit.
 */
#if defined(__SANITIZE_ADDRESS__)
#define TEST_LSAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_LSAN	1
#endif
#endif
#ifdef TEST_LSAN
#include <sanitizer/lsan_interface.h>
#define NLEAKTESTS	1
#else
#define NLEAKTESTS	0	/* nothing to ask without LeakSanitizer */
#endif

#define MAXERR	32

struct errs {
	char	*msg[MAXERR];
	int	 n;
};

static void
collect(void *arg, const char *file, int line, const char *msg)
{
	struct errs *e = arg;

	if (e->n < MAXERR)
		(void)xasprintf(&e->msg[e->n++], "%s:%d: %s", file, line, msg);
}

static void
errs_clear(struct errs *e)
{
	int i;

	for (i = 0; i < e->n; i++)
		free(e->msg[i]);
	e->n = 0;
}

static void
errs_show(const struct errs *e)
{
	int i;

	for (i = 0; i < e->n; i++)
		printf("# error: %s\n", e->msg[i]);
}

/* Load TEXT; expect success. */
static struct conf *
load_ok(const char *text, const char *what)
{
	struct errs e = { { NULL }, 0 };
	struct conf *c;
	int n = -1;

	c = conf_load_string("t.conf", text, collect, &e, &n);
	if (!ok(c != NULL && n == 0 && e.n == 0, "%s: loads", what))
		errs_show(&e);
	errs_clear(&e);
	return c;
}

/* Load TEXT; expect it to fail with exactly the errors in WANT. */
static void
load_fail(const char *text, const char *what, const char *const *want)
{
	struct errs e = { { NULL }, 0 };
	struct conf *c;
	int i, n = -1, nwant;

	for (nwant = 0; want[nwant] != NULL; nwant++)
		;
	c = conf_load_string("t.conf", text, collect, &e, &n);
	ok(c == NULL, "%s: refused", what);
	conf_free(c);
	if (!is_int(n, nwant, "%s: %d error(s)", what, nwant))
		errs_show(&e);
	for (i = 0; i < nwant; i++)
		is_str(i < e.n ? e.msg[i] : NULL, want[i], "%s: error %d",
		    what, i + 1);
	errs_clear(&e);
}

/* Expect the one error of TEXT to be WANT. */
static void
load_fail1(const char *text, const char *what, const char *want)
{
	const char *w[2] = { want, NULL };

	load_fail(text, what, w);
}

static char *
dump_string(const struct conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return NULL;
	conf_dump(c, f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * Load TEXT, dump it, load the dump and dump that: the same text. Returns
 * the first dump, which the caller frees, or NULL.
 */
static char *
dump_round_trip(const char *text, const char *what)
{
	struct conf *c, *c2;
	char *d1, *d2, *again;

	c = load_ok(text, what);
	d1 = c ? dump_string(c) : NULL;
	(void)xasprintf(&again, "%s: dump", what);
	c2 = d1 ? load_ok(d1, again) : NULL;
	d2 = c2 ? dump_string(c2) : NULL;
	is_str(d2, d1, "%s: round trip gives the same dump", what);
	free(again);
	free(d2);
	conf_free(c);
	conf_free(c2);
	return d1;
}

static char *
cwd_join(const char *rel)
{
	char cwd[4096], *s;

	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return xstrdup(rel);
	(void)xasprintf(&s, "%s/%s", cwd, rel);
	return s;
}

static const char full_conf[] =
    "# a full configuration\n"
    "server:\n"
    "\tlisten: 127.0.0.1@5353\n"
    "\tlisten: ::1\n"
    "\tlisten: 192.0.2.1@53, 2001:DB8::1@8053\n"
    "\tdatabase: /srv/rdnsbl   # the LMDB directory\n"
    "\tmap-size: 64m\n"
    "\tallow-query: 127.0.0.0/8, ::1 192.0.2.0/24\n"
    "\tallow-query: 10.0.0.0/8\n"
    "\tverbosity: 3\n"
    "\ttcp-timeout: 30s\n"
    "\ttcp-clients: 500\n"
    "\tudp-size: 4096\n"
    "zone:\n"
    "    checks: blacklist\n"		/* before type: */
    "    name: BL.Example.NET.\n"
    "    type: dnsbl\n"
    "    ttl: 1h\n"
    "    negative-ttl: 90\n"
    "    soa: ns1.example.net. hostmaster.example.net\n"
    "    ns: ns1.example.net, ns2.example.net\n"
    "    ns: ns3.example.net\n"
    "    txt: \"$ is listed ($reason), see $url # not a comment\"\n"
    "    txt: blacklist \"say \\\"no\\\" \\\\ here\"\n"
    "    code: blacklist 127.0.0.10\n"
    "    url: \"https://bl.example.net/lookup?ip=$\"\n"
    "zone:\n"
    "name: wl.example.net\n"
    "type: dnswl\n"
    "code: whitelist 127.1.2.254\n";

static void
test_full(void)
{
	struct conf *c;
	struct conf_zone *z;
	struct sockaddr_in *sin;
	struct sockaddr_in6 *sin6;
	char buf[ADDR_STRLEN];

	c = load_ok(full_conf, "full");
	if (c == NULL) {
		ok(0, "full: skipped checks");
		return;
	}
	is_str(c->file, "t.conf", "full: file name kept");
	is_int(c->nlisten, 4, "full: 4 listen addresses");
	is_str(c->listen[0].text, "127.0.0.1@5353", "full: listen 0 text");
	is_str(c->listen[1].text, "::1@53", "full: listen ::1 gets port 53");
	is_str(c->listen[3].text, "2001:db8::1@8053",
	    "full: listen IPv6 normalised");
	sin = (struct sockaddr_in *)&c->listen[0].ss;
	ok(sin->sin_family == AF_INET && ntohs(sin->sin_port) == 5353 &&
	    c->listen[0].sslen == sizeof(*sin), "full: listen 0 sockaddr");
	sin6 = (struct sockaddr_in6 *)&c->listen[1].ss;
	ok(sin6->sin6_family == AF_INET6 && ntohs(sin6->sin6_port) == 53 &&
	    c->listen[1].sslen == sizeof(*sin6), "full: listen 1 sockaddr");
	is_str(c->database, "/srv/rdnsbl", "full: database, comment cut");
	is_int(c->map_size, 64ULL << 20, "full: map-size 64m");
	is_int(c->allow_query.n, 4, "full: allow-query accumulates");
	is_str(addr_format(&c->allow_query.v[2], buf, sizeof(buf)),
	    "192.0.2.0/24", "full: allow-query space separated");
	is_str(addr_format(&c->allow_query.v[3], buf, sizeof(buf)),
	    "10.0.0.0/8", "full: allow-query second line");
	is_int(c->verbosity, 3, "full: verbosity");
	is_int(c->tcp_timeout, 30, "full: tcp-timeout");
	is_int(c->tcp_clients, 500, "full: tcp-clients");
	is_int(c->udp_size, 4096, "full: udp-size");
	is_int(c->nzones, 2, "full: two zones");

	z = &c->zones[0];
	is_str(z->name, "bl.example.net", "full: name lower case, no dot");
	is_int(z->type, ZONE_DNSBL, "full: type dnsbl");
	is_int(z->checks, 1U << REASON_BLACKLIST,
	    "full: checks given before type");
	is_int(z->ttl, 3600, "full: ttl");
	is_int(z->negative_ttl, 90, "full: negative-ttl");
	is_str(z->soa_mname, "ns1.example.net", "full: soa mname");
	is_str(z->soa_rname, "hostmaster.example.net", "full: soa rname");
	is_int(z->nns, 3, "full: three ns");
	is_str(z->ns[2], "ns3.example.net", "full: ns 3");
	is_str(z->txt, "$ is listed ($reason), see $url # not a comment",
	    "full: txt with # inside quotes");
	is_str(z->txt_reason[REASON_BLACKLIST], "say \"no\" \\ here",
	    "full: txt escapes");
	is_str(z->txt_reason[REASON_WHITELIST], NULL,
	    "full: other txt not set");
	is_int(z->code[REASON_BLACKLIST], 0x7f00000aU, "full: code set");
	is_int(z->code[REASON_NO_PTR], 0x7f000003U,
	    "full: code default for no-ptr");
	is_str(z->url, "https://bl.example.net/lookup?ip=$", "full: url");
	is_int(z->line, 14, "full: zone line");

	z = &c->zones[1];
	is_str(z->name, "wl.example.net", "full: zone 2 name");
	is_int(z->type, ZONE_DNSWL, "full: zone 2 dnswl");
	is_int(z->checks, 1U << REASON_WHITELIST,
	    "full: dnswl checks default whitelist");
	is_int(z->code[REASON_WHITELIST], 0x7f0102feU,
	    "full: code 127.1.2.254, outside the usual range, accepted");
	is_int(z->line, 27, "full: zone 2 line");
	conf_free(c);
}

static void
test_helo(void)
{
	static const char *const bad[] = {
		"t.conf:2: own-names: bad domain name \"mx!.example\": only "
		    "letters, digits, '-' and '_' are allowed",
		"t.conf:3: own-names: bad address \"192.0.2.300\"",
		NULL
	};
	struct conf *c;
	struct conf_zone *z;
	char buf[ADDR_STRLEN];

	c = load_ok("server:\n"
	    " own-names: MX1.Example.NET., mx2.example.net 192.0.2.25\n"
	    " own-names: 2001:DB8::25, mx1.example.net\n"
	    " bad-helo-names: /etc/bad.txt\n"
	    "zone:\n name: helo.example.net\n type: helo\n"
	    "zone:\n name: h2.example.net\n type: helo\n"
	    " checks: no-dot, dynamic\n code: dynamic 127.0.0.20\n"
	    " txt: no-dot \"$ has no dot\"\n", "helo");
	if (c == NULL) {
		ok(0, "helo: skipped checks");
		return;
	}
	is_int(c->nown_names, 2, "helo: own names, repetition dropped");
	is_str(c->own_names[0], "mx1.example.net",
	    "helo: own name lower case, no final dot");
	is_int(c->own_addrs.n, 2, "helo: own addresses");
	is_str(addr_format(&c->own_addrs.v[1], buf, sizeof(buf)),
	    "2001:db8::25", "helo: own IPv6 address");
	is_str(c->bad_helo_names, "/etc/bad.txt", "helo: bad-helo-names");
	z = &c->zones[0];
	is_int(z->type, ZONE_HELO, "helo: type");
	is_int(z->checks, reason_mask(ZONE_HELO),
	    "helo: every reason by default");
	is_int(z->code[REASON_NO_DNS], 0x7f000005U, "helo: no-dns .5");
	is_int(z->code[REASON_BARE_IP], 0x7f000007U, "helo: bare-ip .7");
	z = &c->zones[1];
	is_int(z->checks, (1U << REASON_NO_DOT) | (1U << REASON_HELO_DYNAMIC),
	    "helo: checks given");
	is_int(z->code[REASON_HELO_DYNAMIC], 0x7f000014U,
	    "helo: dynamic code set");
	is_str(z->txt_reason[REASON_NO_DOT], "$ has no dot",
	    "helo: per-reason txt");
	conf_free(c);

	c = load_ok("zone:\n name: bl.example.net\n type: dnsbl\n",
	    "helo defaults");
	if (c != NULL) {
		is_str(c->bad_helo_names, SYSCONFDIR "/rdnsbl/bad-helo.txt",
		    "helo: bad-helo-names default");
		ok(c->nown_names == 0 && c->own_addrs.n == 0,
		    "helo: own-names empty by default");
		conf_free(c);
	}
	load_fail("server:\n own-names: mx!.example\n"
	    " own-names: 192.0.2.300\n"
	    "zone:\n name: h.example\n type: helo\n", "bad own-names", bad);
}

static void
test_defaults(void)
{
	struct conf *c;
	struct conf_zone *z;
	char buf[ADDR_STRLEN], *db;

	c = load_ok("zone:\n name: bl.example.net\n type: dnsbl\n",
	    "defaults");
	if (c == NULL) {
		ok(0, "defaults: skipped checks");
		return;
	}
	is_int(c->nlisten, 2, "defaults: two listen");
	is_str(c->listen[0].text, "127.0.0.1@53", "defaults: listen v4");
	is_str(c->listen[1].text, "::1@53", "defaults: listen v6");
	is_str(c->database, LOCALSTATEDIR "/lib/rdnsbl", "defaults: database");
	is_int(c->map_size, 1ULL << 30, "defaults: map-size 1g");
	is_int(c->allow_query.n, 2, "defaults: allow-query two");
	is_str(addr_format(&c->allow_query.v[0], buf, sizeof(buf)),
	    "127.0.0.0/8", "defaults: allow-query 127/8");
	is_str(addr_format(&c->allow_query.v[1], buf, sizeof(buf)), "::1",
	    "defaults: allow-query ::1");
	is_int(c->verbosity, 1, "defaults: verbosity");
	is_str(c->user, NULL, "defaults: no user");
	is_int(c->log, CONF_LOG_SYSLOG, "defaults: log syslog");
	is_str(c->pidfile, NULL, "defaults: no pidfile");
	is_int(c->log_queries, 0, "defaults: log-queries no");
	ok(c->dnstap_socket_path == NULL, "defaults: no dnstap");
	ok(c->dnstap_identity == NULL, "defaults: dnstap-identity the host");
	is_int(c->dnstap_log_queries, 1, "defaults: dnstap queries logged");
	is_int(c->dnstap_log_responses, 1, "defaults: dnstap answers logged");
	is_int(c->tcp_timeout, 10, "defaults: tcp-timeout");
	is_int(c->tcp_clients, 100, "defaults: tcp-clients");
	is_int(c->tcp_per_address, 10, "defaults: tcp-clients-per-address");
	is_int(c->tcp_max_time, 120, "defaults: tcp-max-time");
	is_int(c->udp_size, 1232, "defaults: udp-size");
	is_int(c->rate_limit, 200, "defaults: rate-limit 200");
	is_int(c->rate_limit_slip, 2, "defaults: rate-limit-slip 2");
	is_int(c->rate_limit_v4len, 24, "defaults: rate-limit-ipv4-prefix");
	is_int(c->rate_limit_v6len, 56, "defaults: rate-limit-ipv6-prefix");
	is_int(c->rate_limit_size, 100000, "defaults: rate-limit-size");
	is_int(c->rate_limit_exempt.n, 2, "defaults: rate-limit-exempt two");
	z = &c->zones[0];
	is_int(z->checks, 1U << REASON_BLACKLIST, "defaults: checks");
	is_int(z->ttl, 300, "defaults: ttl 5m");
	is_int(z->negative_ttl, 120, "defaults: negative-ttl 2m");
	is_str(z->soa_mname, "bl.example.net", "defaults: soa mname = zone");
	is_str(z->soa_rname, "hostmaster.bl.example.net",
	    "defaults: soa rname");
	ok(z->nns == 1 && strcmp(z->ns[0], "bl.example.net") == 0,
	    "defaults: ns = soa mname");
	is_str(z->txt, NULL, "defaults: txt unset");
	is_str(z->url, NULL, "defaults: url unset");
	is_int(z->code[REASON_BLACKLIST], 0x7f000002U,
	    "defaults: code blacklist");
	is_int(z->code[REASON_DYNAMIC], 0x7f000005U, "defaults: code dynamic");
	is_int(z->code[REASON_WHITELIST], 0, "defaults: no whitelist code");
	conf_free(c);

	/* ns: given, soa: not: mname is the first ns. */
	c = load_ok("zone:\n name: a.example\n type: dnswl\n"
	    " ns: b.example c.example\n", "soa from ns");
	if (c != NULL) {
		is_str(c->zones[0].soa_mname, "b.example",
		    "soa from ns: mname");
		is_str(c->zones[0].soa_rname, "hostmaster.a.example",
		    "soa from ns: rname");
	} else
		ok(0, "soa from ns: skipped");
	conf_free(c);

	/* Relative database: relative to the current directory. */
	c = load_ok("server:\n database: \"db dir\"\n"
	    "server:\n verbosity: 0\n"
	    "zone:\n name: a.example\n type: dnsbl\n", "relative database");
	db = cwd_join("db dir");
	is_str(c ? c->database : NULL, db, "relative database: cwd joined");
	is_int(c ? c->verbosity : -1, 0, "relative database: server merged");
	free(db);
	conf_free(c);
}

static void
test_errors(void)
{
	static const char *const many[] = {
		"t.conf:1: unknown key \"foo\" outside any clause",
		"t.conf:3: unknown key \"foo\" in server: clause",
		"t.conf:4: verbosity: \"9\" out of range (0-4)",
		"t.conf:5: unknown key \"ttl\" in server: clause "
		    "(it belongs in zone:)",
		"t.conf:6: verbosity: given twice (first at line 4)",
		"t.conf:7: zone: clause has no type: line",
		"t.conf:9: ttl: bad value \"5x\": bad duration "
		    "(use 30, 30s, 5m, 1h, 2d or 1w: one number, at most "
		    "one unit, no space)",
		"t.conf:10: negative-ttl: \"2d\" out of range (0s-1d)",
		"t.conf:11: syntax error at \"bogus line\": expected "
		    "\"key: value\" or a clause (server:, zone:, list:, "
		    "key:, http:)",
		"t.conf:12: ttl: given twice (first at line 9)",
		"t.conf:13: unknown clause \"control:\"",
		NULL
	};
	static const char *const dup[] = {
		"t.conf:5: name: duplicate zone a.example (first at line 1)",
		NULL
	};
	static const char *const noname[] = {
		"t.conf:1: zone: clause has no name: line",
		"t.conf:3: zone: clause has no type: line",
		NULL
	};
	static const char *const badlisten[] = {
		"t.conf:2: listen: bad address \"127.0.0.256\" (use ADDR or "
		    "ADDR@PORT with an IPv4 or IPv6 address)",
		"t.conf:3: listen: bad port in \"::1@0\" (1-65535)",
		"t.conf:4: listen: bad port in \"127.0.0.1@70000\" (1-65535)",
		"t.conf:6: listen: duplicate address 127.0.0.1@53 "
		    "(first at line 5)",
		NULL
	};
	static const char *const badcode[] = {
		"t.conf:4: code: 127.0.0.1 for \"blacklist\" is not allowed "
		    "(any 127.0.0.0/8 address but 127.0.0.1, the RFC 5782 "
		    "test address)",
		"t.conf:5: code: 10.0.0.2 for \"no-ptr\" is not allowed "
		    "(any 127.0.0.0/8 address but 127.0.0.1, the RFC 5782 "
		    "test address)",
		"t.conf:6: code: 128.0.0.2 for \"dynamic\" is not allowed "
		    "(any 127.0.0.0/8 address but 127.0.0.1, the RFC 5782 "
		    "test address)",
		"t.conf:7: code: unknown reason \"whitelist\" for a dnsbl "
		    "zone (valid: blacklist, no-ptr, unconfirmed, dynamic)",
		"t.conf:8: code: code for \"blacklist\" given twice "
		    "(first at line 3)",
		NULL
	};
	static const char *const checks[] = {
		"t.conf:4: checks: unknown reason \"whitelist\" for a dnsbl "
		    "zone (valid: blacklist, no-ptr, unconfirmed, dynamic)",
		"t.conf:8: checks: unknown reason \"no-ptr\" for a helo zone "
		    "(valid: bad-name, no-dot, own-name, no-dns, dynamic, "
		    "bare-ip)",
		"t.conf:10: type: unknown zone type \"ip\" (use dnsbl, dnswl, "
		    "rhsbl or helo)",
		"t.conf:15: on-lookup-failure: \"refused\" is not nxdomain "
		    "or servfail",
		NULL
	};
	static const char *const quotes[] = {
		"t.conf:4: unterminated quoted string",
		"t.conf:5: txt: bad escape \"\\n\" in quoted string "
		    "(only \\\" and \\\\)",
		"t.conf:6: txt: expected \"TEMPLATE\" or REASON \"TEMPLATE\", "
		    "with the template in double quotes",
		"t.conf:7: txt: default template given twice (first at "
		    "line 3)",
		"t.conf:9: txt: \"blacklist\" template given twice (first at "
		    "line 8)",
		"t.conf:10: url: unexpected text after quoted string",
		NULL
	};
	static const char *const names[] = {
		"t.conf:2: name: bad domain name \"bad..example\": empty label",
		"t.conf:4: soa: write the rname \"root@example.net\" as a "
		    "name, with a dot in place of the \"@\"",
		"t.conf:5: ns: bad domain name \"ns!.example\": only letters, "
		    "digits, '-' and '_' are allowed",
		"t.conf:6: ns: duplicate name a.example",
		NULL
	};
	static const char *const servervals[] = {
		"t.conf:2: map-size: \"512k\" out of range (1m-1t)",
		"t.conf:3: tcp-timeout: \"0\" out of range (1s-1h)",
		"t.conf:4: udp-size: \"511\" out of range (512-4096)",
		"t.conf:5: tcp-clients: bad value \"many\": not a number",
		"t.conf:6: allow-query: host bits set in \"10.1.2.3/8\", did "
		    "you mean 10.0.0.0/8?",
		"t.conf:7: database: empty value",
		NULL
	};

	load_fail(
	    "foo: bar\n"			/* 1 */
	    "server:\n"				/* 2 */
	    "  foo: 1\n"			/* 3 */
	    "  verbosity: 9\n"			/* 4 */
	    "  ttl: 5m\n"			/* 5 */
	    "  verbosity: 2\n"			/* 6 */
	    "zone:\n"				/* 7 */
	    "  name: a.example\n"		/* 8 */
	    "  ttl: 5x\n"			/* 9 */
	    "  negative-ttl: 2d\n"		/* 10 */
	    "  bogus line\n"			/* 11 */
	    "  ttl: 1m\n"			/* 12 */
	    "control:\n"			/* 13 */
	    "  listen: 127.0.0.1@8053\n"	/* 14: skipped */
	    "  type: dnsbl\n",			/* 15: skipped, so no type */
	    "many errors", many);

	load_fail(
	    "zone:\n name: a.example\n type: dnsbl\n"
	    "zone:\n name: A.example.\n type: dnswl\n",
	    "duplicate zone", dup);
	load_fail(
	    "zone:\n type: dnsbl\n"
	    "zone:\n name: b.example\n",
	    "missing name and type", noname);
	load_fail1("server:\n verbosity: 1\n", "no zone",
	    "t.conf:0: no zone: clause");
	load_fail(
	    "server:\n"
	    " listen: 127.0.0.256\n"
	    " listen: ::1@0\n"
	    " listen: 127.0.0.1@70000\n"
	    " listen: 127.0.0.1\n"
	    " listen: 127.0.0.1@53\n"
	    "zone:\n name: a.example\n type: dnsbl\n",
	    "bad listen", badlisten);
	load_fail(
	    "zone:\n name: a.example\n"
	    " code: blacklist 127.0.0.3\n"
	    " code: blacklist 127.0.0.1\n"
	    " code: no-ptr 10.0.0.2\n"
	    " code: dynamic 128.0.0.2\n"
	    " code: whitelist 127.0.0.2\n"
	    " code: blacklist 127.0.0.4\n"
	    " type: dnsbl\n",
	    "bad code", badcode);
	load_fail(
	    "zone:\n name: a.example\n type: dnsbl\n"
	    " checks: blacklist, no-ptr whitelist\n"
	    "zone:\n name: h.example\n type: helo\n"
	    " checks: bad-name, no-ptr\n"
	    "zone:\n type: ip\n name: c.example\n"
	    "zone:\n name: d.example\n type: dnsbl\n"
	    " on-lookup-failure: refused\n",
	    "checks and types", checks);
	load_fail(
	    "zone:\n name: a.example\n"
	    " txt: \"one\" # comment \"\n"
	    " txt: \"unterminated\n"
	    " txt: blacklist \"a\\nb\"\n"
	    " txt: unquoted\n"
	    " txt: \"two\"\n"
	    " txt: blacklist \"x\"\n"
	    " txt: blacklist \"y\"\n"
	    " url: \"http://x/\"y\n"
	    " type: dnsbl\n",
	    "quoting", quotes);
	load_fail(
	    "zone:\n name: bad..example\n type: dnsbl\n"
	    " soa: ns.example root@example.net\n"
	    " ns: ns!.example\n"
	    " ns: a.example, A.example.\n",
	    "names", names);
	load_fail(
	    "server:\n"
	    " map-size: 512k\n"
	    " tcp-timeout: 0\n"
	    " udp-size: 511\n"
	    " tcp-clients: many\n"
	    " allow-query: 10.1.2.3/8\n"
	    " database: \"\"\n"
	    "zone:\n name: a.example\n type: dnsbl\n",
	    "server values", servervals);
	load_fail1("zone:\n name: a.example\n type: dnsbl\n ttl: 2w\n",
	    "ttl over a week", "t.conf:4: ttl: \"2w\" out of range (0s-1w)");
	load_fail1("zone: bl.example\n name: a.example\n type: dnsbl\n",
	    "value on clause line",
	    "t.conf:1: zone: clause takes no value on its line "
	    "(one item per line)");
	load_fail1("zone:\n name: a.example\n type: dnsbl\n listen: ::1\n",
	    "server key in zone",
	    "t.conf:4: unknown key \"listen\" in zone: clause "
	    "(it belongs in server:)");
	load_fail1("server:\n tcp-max-time: 2d\n"
	    "zone:\n name: a.example\n type: dnsbl\n", "tcp-max-time over a day",
	    "t.conf:2: tcp-max-time: \"2d\" out of range (1s-1d)");
	load_fail1("server:\n tcp-clients-per-address: 0\n"
	    "zone:\n name: a.example\n type: dnsbl\n",
	    "tcp-clients-per-address 0",
	    "t.conf:2: tcp-clients-per-address: \"0\" out of range (1-65535)");
	/* one error for a clause without its colon, not one a line */
	load_fail1("server:\n verbosity: 1\nzone\n name: a.example\n"
	    " type: dnsbl\n ttl: 5m\n negative-ttl: 2m\n"
	    " soa: ns.example hostmaster.example\n ns: ns.example\n",
	    "zone without its colon: one error",
	    "t.conf:3: \"zone\" without its colon: write \"zone:\"");
	load_fail1("zone:\n name: a.example\n type: dnsbl\n ttl: 5 minutes\n",
	    "a duration of two words shows the syntax",
	    "t.conf:4: ttl: bad value \"5 minutes\": bad duration (use 30, "
	    "30s, 5m, 1h, 2d or 1w: one number, at most one unit, no "
	    "space)");
	load_fail1("server:\n map-size: 64 MB\n"
	    "zone:\n name: a.example\n type: dnsbl\n",
	    "a size of two words shows the syntax",
	    "t.conf:2: map-size: bad value \"64 MB\": bad size (use a number "
	    "of bytes, 512k, 64m, 4g or 1t: one number, at most one unit, "
	    "no space)");
	load_fail1("server:\n map-size: 64mb\n"
	    "zone:\n name: a.example\n type: dnsbl\n",
	    "a size with a two-letter unit shows the syntax",
	    "t.conf:2: map-size: bad value \"64mb\": bad size (use a number "
	    "of bytes, 512k, 64m, 4g or 1t: one number, at most one unit, "
	    "no space)");
	load_fail1("zone:\n name: a.example\n type: dnsbl\n negativ-ttl: 1m\n",
	    "did you mean: a key of the clause",
	    "t.conf:4: unknown key \"negativ-ttl\" in zone: clause (did you "
	    "mean \"negative-ttl:\"?)");
	load_fail1("server:\n databse: /x\nzone:\n name: a.example\n"
	    " type: dnsbl\n", "did you mean: a swapped letter",
	    "t.conf:2: unknown key \"databse\" in server: clause (did you "
	    "mean \"database:\"?)");
	load_fail1("zone:\n name: a.example\n type: dnsbl\nserevr:\n",
	    "did you mean: a clause",
	    "t.conf:4: unknown clause \"serevr:\" (did you mean \"server:\"?)");
	load_fail1("zone:\n name:\n type: dnsbl\n", "empty value",
	    "t.conf:2: name: missing value");
	load_fail1("  name: a.example\nzone:\n name: b.example\n type: dnsbl\n",
	    "key before any clause",
	    "t.conf:1: name: outside any clause (start with server:, zone: "
	    "or list:)");
}

/* Every schema key appears in the sample file as "KEY:". */
static void
sample_has_keys(const char *path)
{
	char buf[65536], pat[64];
	const char *k;
	size_t i, n = 0;
	FILE *f;
	int all = 1;

	if ((f = fopen(path, "r")) != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		(void)fclose(f);
	}
	buf[n] = '\0';
	for (i = 0; (k = conf_schema_key(i)) != NULL; i++) {
		(void)snprintf(pat, sizeof(pat), "\t# %s: ",
		    strchr(k, '.') + 1);
		if (strstr(buf, pat) == NULL &&
		    strcmp(k, "zone.name") != 0 && strcmp(k, "zone.type") != 0) {
			printf("# %s missing from the sample\n", k);
			all = 0;
		}
	}
	ok(n > 0 && all, "sample: every key shown at its default");
}

static void
test_load_file(void)
{
	struct errs e = { { NULL }, 0 };
	struct conf *c;
	char dir[] = "/tmp/test_conf.XXXXXX", *path, *want, *src;
	FILE *f;
	int n = -1;

	c = conf_load("/nonexistent/rdnsbld.conf", collect, &e, &n);
	ok(c == NULL && n == 1 && e.n == 1, "missing file: one error");
	is_str(e.n ? e.msg[0] : NULL,
	    "/nonexistent/rdnsbld.conf:0: cannot open: No such file or "
	    "directory", "missing file: message with strerror");
	errs_clear(&e);

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		ok(0, "mkdtemp");
		ok(0, "mkdtemp");
	} else {
		(void)xasprintf(&path, "%s/r.conf", dir);
		if ((f = fopen(path, "w")) != NULL) {
			fputs("server:\n database: ../var/db\n"
			    "zone:\n name: a.example\n type: dnsbl\n", f);
			(void)fclose(f);
		}
		c = conf_load(path, collect, &e, &n);
		ok(c != NULL && n == 0, "file: loads");
		(void)xasprintf(&want, "%s/../var/db", dir);
		is_str(c ? c->database : NULL, want,
		    "file: database relative to the file's directory");
		is_str(c ? c->file : NULL, path, "file: path as given");
		conf_free(c);
		errs_clear(&e);
		(void)unlink(path);
		(void)rmdir(dir);
		free(want);
		free(path);
	}

	/* The example configuration of the source tree. */
	if ((src = getenv("top_srcdir")) == NULL) {
		ok(1, "zones/example.conf # SKIP top_srcdir not set");
		ok(1, "zones/example.conf # SKIP top_srcdir not set");
		ok(1, "zones/example.conf # SKIP top_srcdir not set");
		ok(1, "sample # SKIP top_srcdir not set");
		ok(1, "sample # SKIP top_srcdir not set");
		return;
	}
	(void)xasprintf(&path, "%s/zones/example.conf", src);
	c = conf_load(path, collect, &e, &n);
	if (!ok(c != NULL && n == 0, "zones/example.conf loads"))
		errs_show(&e);
	ok(c != NULL && c->nzones == 3 && c->nlisten == 2 &&
	    strcmp(c->listen[0].text, "127.0.0.1@5353") == 0,
	    "zones/example.conf: three zones, port 5353");
	(void)xasprintf(&want, "%s/zones/../var/rdnsbl", src);
	is_str(c ? c->database : NULL, want,
	    "zones/example.conf: database under the tree");
	free(want);
	conf_free(c);
	errs_clear(&e);
	free(path);

	/* The sample: it loads, and names every key. */
	(void)xasprintf(&path, "%s/doc/rdnsbld.conf.sample.in", src);
	c = conf_load(path, collect, &e, &n);
	if (!ok(c != NULL && n == 0, "doc/rdnsbld.conf.sample.in loads"))
		errs_show(&e);
	conf_free(c);
	errs_clear(&e);
	sample_has_keys(path);
	free(path);
}

static void
test_dump(void)
{
	struct conf *c, *c2;
	char *d1, *d2;

	c = load_ok(full_conf, "dump source");
	d1 = c ? dump_string(c) : NULL;
	ok(d1 != NULL && strstr(d1, "\tmap-size: 64m\n") != NULL &&
	    strstr(d1, "\tnegative-ttl: 90s\n") != NULL &&
	    strstr(d1, "\ttxt: blacklist \"say \\\"no\\\" \\\\ here\"\n") !=
	    NULL && strstr(d1, "\tcode: no-ptr 127.0.0.3\n") != NULL,
	    "dump: values in config syntax");
	c2 = d1 ? load_ok(d1, "dump parses back") : NULL;
	d2 = c2 ? dump_string(c2) : NULL;
	is_str(d2, d1, "dump: round trip gives the same configuration");
	ok(c2 != NULL && c2->map_size == c->map_size &&
	    c2->nzones == 2 && c2->zones[0].checks == c->zones[0].checks &&
	    strcmp(c2->zones[0].txt_reason[REASON_BLACKLIST],
	    c->zones[0].txt_reason[REASON_BLACKLIST]) == 0 &&
	    c2->allow_query.n == c->allow_query.n &&
	    strcmp(c2->database, c->database) == 0,
	    "dump: round trip values equal");
	free(d1);
	free(d2);
	conf_free(c);
	conf_free(c2);

	d1 = dump_round_trip("zone:\n name: a.example\n type: dnsbl\n",
	    "dump minimal");
	ok(d1 != NULL && strstr(d1, "# txt:") != NULL &&
	    strstr(d1, "# url:") != NULL, "dump minimal: unset keys named");
	free(d1);
}

#define ZONE_A	"zone:\n name: a.example\n type: dnsbl\n"
#define S10	"0123456789"
#define S100	S10 S10 S10 S10 S10 S10 S10 S10 S10 S10

/* user:, log: and pidfile: (the service keys). */
static void
test_service(void)
{
	struct conf *c;
	int n = -1;

	c = conf_load_string("t.conf", "server:\n user: nobody\n"
	    " log: stderr\n pidfile: /run/rdnsbld.pid\n" ZONE_A, NULL, NULL,
	    &n);
	ok(c != NULL, "service: loaded");
	is_str(c ? c->user : NULL, "nobody", "service: user");
	is_int(c ? (int)c->log : -1, CONF_LOG_STDERR, "service: log stderr");
	is_str(c ? c->pidfile : NULL, "/run/rdnsbld.pid", "service: pidfile");
	conf_free(c);
	c = conf_load_string("t.conf", "server:\n log: syslog\n"
	    " log-queries: yes\n" ZONE_A, NULL, NULL, &n);
	is_int(c ? (int)c->log : -1, CONF_LOG_SYSLOG, "service: log syslog");
	is_int(c ? c->log_queries : -1, 1, "service: log-queries yes");
	conf_free(c);
	load_fail1("server:\n log-queries: on\n" ZONE_A, "log-queries: on",
	    "t.conf:2: log-queries: \"on\" is not no or yes");
	load_fail1("server:\n dnstap-socket-path: /run/" S100 S10 "\n" ZONE_A,
	    "a dnstap socket path longer than a unix socket's",
	    "t.conf:2: dnstap-socket-path: value longer than 107 bytes");
	load_fail1("server:\n log: file\n" ZONE_A, "log: file",
	    "t.conf:2: log: \"file\" is not syslog or stderr");
	load_fail1("server:\n user: a23456789012345678901234567890123\n"
	    ZONE_A, "user: 33 bytes",
	    "t.conf:2: user: value longer than 32 bytes");
	load_fail1("server:\n user: \"\"\n" ZONE_A, "user: empty",
	    "t.conf:2: user: empty value");
}

static void
test_schema(void)
{
	static const char *const want[] = {
		"server.listen", "server.database", "server.map-size",
		"server.allow-query", "server.verbosity", "server.user",
		"server.log", "server.pidfile", "server.log-queries",
		"server.dnstap-socket-path", "server.dnstap-identity",
		"server.dnstap-log-auth-query-messages",
		"server.dnstap-log-auth-response-messages",
		"server.tcp-timeout",
		"server.tcp-clients", "server.tcp-clients-per-address",
		"server.tcp-max-time", "server.udp-size",
		"server.rate-limit", "server.rate-limit-slip",
		"server.rate-limit-ipv4-prefix",
		"server.rate-limit-ipv6-prefix", "server.rate-limit-size",
		"server.rate-limit-exempt", "server.resolver",
		"server.check-timeout", "server.cache-ttl",
		"server.failure-ttl", "server.max-checks",
		"server.lookup-rate", "server.max-ptr-names",
		"server.dynamic-patterns", "server.bad-helo-names",
		"server.own-names", "server.notify-interval",
		"server.stats-keep",
		"zone.name", "zone.type", "zone.checks", "zone.ttl",
		"zone.negative-ttl", "zone.soa", "zone.ns", "zone.txt",
		"zone.code", "zone.url", "zone.on-lookup-failure",
		"zone.list", "zone.allow-transfer", "zone.notify",
		"list.name", "list.type", "list.file",
		"key.name", "key.algorithm", "key.secret",
		"http.listen", "http.public-url", "http.allow-metrics",
		"http.self-delist", "http.self-delist-cooldown",
		"http.mta-cache", "http.notify-command", "http.mail-command",
		"http.mail-from", "http.verify-email", "http.verify-expire",
		"http.verify-rate-limit", "http.verify-total-limit",
		"http.verify-pending", "http.max-body", "http.rate-limit",
		"http.address-rate-limit", "http.timeout", "http.trusted-proxy",
		"http.lookup-detail", "http.total-rate-limit",
		"http.lookup-rate-limit", "http.lookup-total-limit",
		"http.max-clients", "http.max-clients-per-address",
		NULL
	};
	size_t i;
	int same = 1;

	for (i = 0; want[i] != NULL; i++)
		if (conf_schema_key(i) == NULL ||
		    strcmp(conf_schema_key(i), want[i]) != 0)
			same = 0;
	ok(same, "schema: keys in table order");
	is_str(conf_schema_key(i), NULL, "schema: NULL past the end");
}

/* The http: clause: values, defaults, the $url default, errors. */
static void
test_http(void)
{
	struct conf *c;
	char buf[ADDR_STRLEN], *d1;

	c = load_ok("zone:\n name: a.example\n type: dnsbl\n", "no http");
	is_int(c ? c->http.nlisten : 9, 0, "no http: no listener");
	is_str(c ? c->zones[0].url : "x", NULL, "no http: no url");
	is_int(c ? c->http.self_delist : 9, 0, "no http: self-delist off");
	is_int(c ? c->http.mta_cache : 9, 0, "no http: mta-cache 0");
	is_int(c ? c->http.rate_limit : 0, 5, "no http: rate-limit 5");
	is_int(c ? c->http.max_body : 0, 16384, "no http: max-body 16k");
	is_int(c ? c->http.trusted_proxy.n : 9, 0, "no http: no proxy");
	is_int(c ? c->http.verify_email : 9, 0, "no http: verify-email no");
	conf_free(c);

	c = load_ok(
	    "http:\n"
	    " listen: 127.0.0.1@8053, ::1@8053\n"
	    " public-url: https://bl.example.net\n"
	    " allow-metrics: 192.0.2.0/24\n"
	    " self-delist: 1d\n"
	    " self-delist-cooldown: 7d\n"
	    " mta-cache: 5m\n"
	    " notify-command: /usr/local/bin/mail-it\n"
	    " mail-command: /usr/sbin/sendmail\n"
	    " mail-from: bl-admin@example.net\n"
	    " verify-expire: 2h\n"
	    " verify-rate-limit: 5\n"
	    " verify-total-limit: 50\n"
	    " verify-pending: 2\n"
	    " max-body: 4k\n"
	    " rate-limit: 2\n"
	    " address-rate-limit: 1\n"
	    " timeout: 5s\n"
	    " trusted-proxy: 127.0.0.1, ::1\n"
	    " max-clients: 50\n"
	    " max-clients-per-address: 4\n"
	    "zone:\n name: a.example\n type: dnsbl\n"
	    "zone:\n name: b.example\n type: dnsbl\n"
	    " url: http://other/$\n", "http");
	if (c == NULL) {
		ok(0, "http: skipped checks");
		return;
	}
	is_int(c->http.nlisten, 2, "http: two listen");
	is_str(c->http.listen[1].text, "::1@8053", "http: listen v6");
	is_str(c->http.public_url, "https://bl.example.net/",
	    "http: public-url gets its final /");
	is_str(c->zones[0].url, "https://bl.example.net/lookup?ip=$",
	    "http: url defaults to the lookup page");
	is_str(c->zones[1].url, "http://other/$", "http: url: given wins");
	is_str(addr_format(&c->http.allow_metrics.v[0], buf, sizeof(buf)),
	    "192.0.2.0/24", "http: allow-metrics");
	is_int(c->http.allow_metrics.n, 1, "http: allow-metrics replaces");
	is_int(c->http.self_delist, 86400, "http: self-delist 1d");
	is_int(c->http.self_delist_cooldown, 7 * 86400,
	    "http: self-delist-cooldown");
	is_int(c->http.mta_cache, 300, "http: mta-cache");
	is_str(c->http.notify_command, "/usr/local/bin/mail-it",
	    "http: notify-command");
	is_str(c->http.mail_command, "/usr/sbin/sendmail",
	    "http: mail-command");
	is_str(c->http.mail_from, "bl-admin@example.net", "http: mail-from");
	is_int(c->http.verify_email, 1,
	    "http: verify-email defaults to yes with mail-command:");
	is_int(c->http.verify_expire, 7200, "http: verify-expire");
	is_int(c->http.verify_rate_limit, 5, "http: verify-rate-limit");
	is_int(c->http.verify_total_limit, 50, "http: verify-total-limit");
	is_int(c->http.verify_pending, 2, "http: verify-pending");
	is_int(c->http.max_body, 4096, "http: max-body");
	is_int(c->http.rate_limit, 2, "http: rate-limit");
	is_int(c->http.address_rate_limit, 1, "http: address-rate-limit");
	is_int(c->http.timeout, 5, "http: timeout");
	is_int(c->http.trusted_proxy.n, 2, "http: trusted-proxy");
	is_int(c->http.max_clients, 50, "http: max-clients");
	is_int(c->http.max_clients_per_address, 4,
	    "http: max-clients-per-address");
	d1 = dump_string(c);
	ok(d1 != NULL && strstr(d1, "http:\n\tlisten: 127.0.0.1@8053\n") &&
	    strstr(d1, "\tself-delist: 1d\n"), "http: dumped");
	free(d1);
	conf_free(c);

	c = load_ok("http:\n listen: 127.0.0.1@80\n public-url: https://x/\n"
	    "zone:\n name: h.example\n type: helo\n", "http helo");
	is_str(c ? c->zones[0].url : "x", NULL,
	    "http: a helo zone gets no lookup-page url");
	conf_free(c);

	load_fail1("http:\n public-url: https://x/\n"
	    "zone:\n name: a.example\n type: dnsbl\n", "http without listen",
	    "t.conf:1: http: clause has no listen: line");
	load_fail1("http:\n listen: 127.0.0.1@80\n public-url: ftp://x/\n"
	    "zone:\n name: a.example\n type: dnsbl\n", "public-url scheme",
	    "t.conf:3: public-url: \"ftp://x/\" is not an http:// or "
	    "https:// URL with a host");
	load_fail1("http:\n listen: 127.0.0.1@80\n"
	    " public-url: \"http://x/<b>\"\n"
	    "zone:\n name: a.example\n type: dnsbl\n", "public-url <",
	    "t.conf:3: public-url: character \"<\" not allowed in a URL");
	load_fail1("http:\n listen: 127.0.0.1@80\n self-delist: 10s\n"
	    "zone:\n name: a.example\n type: dnsbl\n", "self-delist range",
	    "t.conf:3: self-delist: \"10s\" out of range (1m-90d)");
	load_fail1("http:\n listen: 127.0.0.1@80\n mta-cache: 2d\n"
	    "zone:\n name: a.example\n type: dnsbl\n", "mta-cache range",
	    "t.conf:3: mta-cache: \"2d\" out of range (0s-1d)");
	load_fail1("http:\n listen: 127.0.0.1@80\n"
	    " mail-from: \"bl <admin@x.example>\"\n"
	    "zone:\n name: a.example\n type: dnsbl\n", "mail-from not plain",
	    "t.conf:3: mail-from: \"bl <admin@x.example>\" is not an e-mail "
	    "address (local@domain)");
	load_fail1("http:\n listen: 127.0.0.1@80\n public-url: https://x/\n"
	    " verify-email: yes\n"
	    "zone:\n name: a.example\n type: dnsbl\n",
	    "verify-email without mail-command",
	    "t.conf:4: verify-email: yes needs mail-command: to mail the "
	    "link");
	load_fail1("http:\n listen: 127.0.0.1@80\n"
	    " mail-command: /usr/sbin/sendmail\n"
	    "zone:\n name: a.example\n type: dnsbl\n",
	    "verify-email by default without public-url",
	    "t.conf:3: verify-email: yes (the default with mail-command:) "
	    "needs public-url: for the link it mails (or set verify-email: "
	    "no)");
	c = load_ok("http:\n listen: 127.0.0.1@80\n"
	    " mail-command: /usr/sbin/sendmail\n verify-email: no\n"
	    "zone:\n name: a.example\n type: dnsbl\n",
	    "mail-command with verify-email: no, no public-url");
	is_int(c ? c->http.verify_email : 9, 0, "... verify-email off");
	conf_free(c);
	load_fail1("http:\n listen: 127.0.0.1@80\n max-body: 2m\n"
	    "zone:\n name: a.example\n type: dnsbl\n", "max-body range",
	    "t.conf:3: max-body: \"2m\" out of range (1k-1m)");
	load_fail1("http:\n listen: 127.0.0.1@80\n"
	    "http:\n listen: 127.0.0.1@81\n"
	    "zone:\n name: a.example\n type: dnsbl\n", "two http clauses",
	    "t.conf:3: http: clause given twice (first at line 1)");
}

/*
 * Every key of the schema set, none at its default, in every clause and
 * in a zone of each type. test_every_keys() checks that it names every
 * key, so that a new key is added here too.
 */
static const char every_conf[] =
    "server:\n"
    "\tlisten: 127.0.0.1@5353, ::1@5353\n"
    "\tlisten: 192.0.2.1\n"
    "\tdatabase: \"/srv/rdnsbl db\"\n"
    "\tmap-size: 2g\n"
    "\tallow-query: 198.51.100.0/24 2001:db8:1::/48\n"
    "\tallow-query: 203.0.113.7, ::1\n"
    "\tverbosity: 4\n"
    "\tuser: rdnsbl\n"
    "\tlog: stderr\n"
    "\tpidfile: /run/rdnsbl/rdnsbld.pid\n"
    "\tlog-queries: yes\n"
    "\tdnstap-socket-path: /run/rdnsbl/dnstap.sock\n"
    "\tdnstap-identity: \"mx1 dnsbl\"\n"
    "\tdnstap-log-auth-query-messages: no\n"
    "\tdnstap-log-auth-response-messages: no\n"
    "\ttcp-timeout: 1h\n"
    "\ttcp-clients: 65535\n"
    "\ttcp-clients-per-address: 65535\n"
    "\ttcp-max-time: 1d\n"
    "\tudp-size: 512\n"
    "\trate-limit: 0\n"
    "\trate-limit-slip: 0\n"
    "\trate-limit-ipv4-prefix: 32\n"
    "\trate-limit-ipv6-prefix: 64\n"
    "\trate-limit-size: 1024\n"
    "\trate-limit-exempt: 192.0.2.25, 2001:db8::/32\n"
    "\trate-limit-exempt: 198.51.100.0/24\n"
    "\tresolver: system, 192.0.2.53@5353\n"
    "\tresolver: 2001:db8::53\n"
    "\tcheck-timeout: 5s\n"
    "\tcache-ttl: 2h\n"
    "\tfailure-ttl: 0\n"
    "\tmax-checks: 77\n"
    "\tlookup-rate: 123\n"
    "\tmax-ptr-names: 16\n"
    "\tdynamic-patterns: /etc/rdnsbl/s25r.rules\n"
    "\tbad-helo-names: \"/etc/rdnsbl/bad helo.txt\"\n"
    "\town-names: MX1.Example.NET., 192.0.2.25\n"
    "\town-names: 2001:db8::/32, mx2.example.net\n"
    "\tnotify-interval: 5s\n"
    "\tstats-keep: 7d\n"
    "zone:\n"
    "\tchecks: blacklist, no-ptr, unconfirmed, dynamic\n"
    "\tname: BL.example.net.\n"
    "\ttype: dnsbl\n"
    "\tttl: 1h\n"
    "\tnegative-ttl: 90\n"
    "\tsoa: ns1.example.net hostmaster.example.net\n"
    "\tns: ns1.example.net, ns2.example.net\n"
    "\tns: ns3.example.net\n"
    "\ttxt: \"$ is listed ($reason), see $url # not a comment\"\n"
    "\ttxt: blacklist \"say \\\"no\\\" \\\\ here\"\n"
    "\ttxt: dynamic \"dyn $\"\n"
    "\tcode: blacklist 127.0.0.10\n"
    "\tcode: dynamic 127.255.255.254\n"
    "\turl: \"https://bl.example.net/lookup?ip=$\"\n"
    "\ton-lookup-failure: servfail\n"
    "\tlist: black\n"
    "\tlist: spam 127.0.5.3\n"
    "\tallow-transfer: 192.0.2.53, 2001:db8::53\n"
    "\tallow-transfer: 198.51.100.0/24 key xfr.example.net\n"
    "\tnotify: 192.0.2.53, 2001:db8::53@5353\n"
    "\tnotify: 198.51.100.53 key xfr.example.net\n"
    "key:\n"
    "\tname: xfr.example.net\n"
    "\talgorithm: hmac-sha512\n"
    "\tsecret: 4B/dh417sdOWi9RxfOE3I3bbX3RKUhXVDpGqBhe3O2Y=\n"
    "key:\n"
    "\tname: second\n"
    "\talgorithm: hmac-sha1\n"
    "\tsecret: c2VjcmV0IG9mIHRoZSBzZWNvbmQga2V5\n"
    "list:\n"
    "\tname: spam\n"
    "\ttype: ip\n"
    "\tfile: /var/lib/rdnsbl/feeds/spam.txt\n"
    "list:\n"
    "\tname: dbl.v2\n"
    "\ttype: domain\n"
    "\tfile: feeds/dbl.txt.gz\n"
    "zone:\n"
    "\tname: wl.example.net\n"
    "\ttype: dnswl\n"
    "\tchecks: whitelist\n"
    "\tttl: 10m\n"
    "\tnegative-ttl: 1m\n"
    "\tsoa: ns.example.net dns.example.net\n"
    "\tns: ns.example.net\n"
    "\ttxt: \"ok\"\n"
    "\ttxt: whitelist \"ok $\"\n"
    "\tcode: whitelist 127.0.0.3\n"
    "\turl: http://wl.example.net/\n"
    "\ton-lookup-failure: nxdomain\n"
    "\tlist: white\n"
    "\tallow-transfer: 192.0.2.53\n"
    "\tnotify: 192.0.2.53\n"
    "zone:\n"
    "\tname: helo.example.net\n"
    "\ttype: helo\n"
    "\tchecks: bad-name, no-dot, own-name, no-dns, dynamic, bare-ip\n"
    "\tttl: 0\n"
    "\tnegative-ttl: 1d\n"
    "\tsoa: helo.example.net hostmaster.example.net\n"
    "\tns: ns1.example.net\n"
    "\tns: ns2.example.net\n"
    "\ttxt: \"HELO $ rejected: $reason\"\n"
    "\ttxt: no-dot \"$ has no dot\"\n"
    "\tcode: bare-ip 127.0.0.99\n"
    "\tcode: own-name 127.0.0.2\n"
    "\turl: \"https://helo.example.net/?name=$\"\n"
    "\ton-lookup-failure: servfail\n"
    "\tallow-transfer: 192.0.2.0/24\n"
    "\tnotify: 192.0.2.1@53\n"
    "http:\n"
    "\tlisten: 127.0.0.1@8053, ::1@8053\n"
    "\tpublic-url: https://bl.example.net\n"
    "\tallow-metrics: 192.0.2.0/24, 2001:db8::/48\n"
    "\tself-delist: 1d\n"
    "\tself-delist-cooldown: 7d\n"
    "\tmta-cache: 10m\n"
    "\tnotify-command: \"/usr/local/bin/mail it\"\n"
    "\tmail-command: /usr/sbin/sendmail\n"
    "\tmail-from: bl-admin@example.org\n"
    "\tverify-email: yes\n"
    "\tverify-expire: 2h\n"
    "\tverify-rate-limit: 5\n"
    "\tverify-total-limit: 50\n"
    "\tverify-pending: 2\n"
    "\tmax-body: 4k\n"
    "\trate-limit: 2\n"
    "\taddress-rate-limit: 1\n"
    "\ttimeout: 5s\n"
    "\ttrusted-proxy: 127.0.0.1, ::1\n"
    "\tlookup-detail: no\n"
    "\ttotal-rate-limit: 50\n"
    "\tlookup-rate-limit: 10\n"
    "\tlookup-total-limit: 100\n"
    "\tmax-clients: 50\n"
    "\tmax-clients-per-address: 4\n";

/*
 * Whether every clause CLAUSE: of TEXT has a line "\tKEY:" (every zone:
 * for a zone key).
 */
static int
clause_sets(const char *text, const char *clause, const char *key)
{
	char head[32], item[64];
	const char *s, *e;
	int n = 0;

	(void)snprintf(head, sizeof(head), "%s:\n", clause);
	(void)snprintf(item, sizeof(item), "\n\t%s:", key);
	for (s = text; (s = strstr(s, head)) != NULL; s = e) {
		if (s != text && s[-1] != '\n') {
			e = s + 1;
			continue;
		}
		s += strlen(head) - 1;	/* at its "\n" */
		for (e = s; (e = strchr(e + 1, '\n')) != NULL; )
			if (e[1] != '\t')
				break;
		if (e == NULL)
			e = s + strlen(s);
		if (memmem(s, (size_t)(e - s), item, strlen(item)) == NULL)
			return 0;
		n++;
	}
	return n > 0;
}

static void
test_every_keys(void)
{
	char clause[16];
	const char *k, *dot;
	size_t i;
	int all = 1;

	for (i = 0; (k = conf_schema_key(i)) != NULL; i++) {
		dot = strchr(k, '.');
		(void)snprintf(clause, sizeof(clause), "%.*s",
		    (int)(dot - k), k);
		/* a helo zone names no list */
		if (strcmp(k, "zone.list") == 0 ?
		    strstr(every_conf, "\n\tlist: ") == NULL :
		    !clause_sets(every_conf, clause, dot + 1)) {
			printf("# %s not set in every_conf\n", k);
			all = 0;
		}
	}
	ok(all, "every key: every_conf sets each schema key");
}

/* Dump, load the dump, dump again: the same text, no key left unset. */
static void
test_every_dump(void)
{
	char *d1;

	d1 = dump_round_trip(every_conf, "every key");
	ok(d1 != NULL && strstr(d1, "\n\t#") == NULL,
	    "every key: dump has a value for each key");
	if (d1 != NULL && strstr(d1, "\n\t#") != NULL)
		printf("# %s", d1);
	ok(d1 != NULL &&
	    strstr(d1, "\town-names: mx1.example.net, mx2.example.net, "
	    "192.0.2.25, 2001:db8::/32\n") != NULL &&
	    strstr(d1, "\tresolver: system\n\tresolver: 192.0.2.53@5353\n"
	    "\tresolver: 2001:db8::53\n") != NULL &&
	    strstr(d1, "\tfailure-ttl: 0s\n") != NULL &&
	    strstr(d1, "\tself-delist-cooldown: 1w\n") != NULL &&
	    strstr(d1, "\tcode: bare-ip 127.0.0.99\n") != NULL &&
	    strstr(d1, "\tcode: dynamic 127.255.255.254\n") != NULL &&
	    strstr(d1, "\tpublic-url: \"https://bl.example.net/\"\n") != NULL,
	    "every key: values in config syntax");
	free(d1);
}

/*
 * Loading and freeing a configuration that sets every key leaks nothing,
 * whether it loads or is refused (an error after every key was applied).
 */
static void
test_every_free(void)
{
	struct conf *c;
	char *bad;
	int n = -1;

	c = load_ok(every_conf, "every key: load");
	conf_free(c);
	(void)xasprintf(&bad, "%szone:\n\tname: bl.example.net\n"
	    "\ttype: dnsbl\n", every_conf);
	c = conf_load_string("t.conf", bad, NULL, NULL, &n);
	ok(c == NULL && n == 1, "every key: a duplicate zone refuses it");
	conf_free(c);
	free(bad);
}

/*
 * Called once test_every_free() has returned: LeakSanitizer does not
 * read the stack below the caller's, so nothing of what it left there
 * hides a leak.
 */
static void
test_leaks(void)
{
#ifdef TEST_LSAN
	ok(__lsan_do_recoverable_leak_check() == 0,
	    "leaks: LeakSanitizer finds none");
#endif
}

/* list: clauses and the lists of zones. */
static void
test_lists(void)
{
	static const char *const bad[] = {
		"t.conf:2: name: the list black is built in and needs no "
		"list: clause",
		"t.conf:4: name: bad list name \"Bad!\" (1-32 of a-z, 0-9, "
		"\".\", \"_\" and \"-\", a letter or digit first)",
		"t.conf:7: type: \"foo\" is not ip or domain",
		"t.conf:9: name: duplicate list d (first at line 5)",
		"t.conf:16: list: no list nope (declare it in a list: "
		"clause)",
		"t.conf:17: list: white is the exception list of every dnsbl "
		"zone, not one it lists from",
		"t.conf:19: list: list d given twice (first at line 18)",
		"t.conf:20: list: 127.0.0.1 for list c is not in 127.0.0.0/8 "
		"or is 127.0.0.1 (clients read those answers as errors or "
		"test points)",
		"t.conf:21: list: dom is a domain list; a dnsbl zone answers "
		"from ip lists",
		"t.conf:25: list: d is an ip list; a helo zone answers from "
		"domain lists",
		NULL
	};
	struct conf *c;
	char *d;

	load_fail("list:\n name: black\nlist:\n name: Bad!\nlist:\n"
	    " name: d\n type: foo\nlist:\n name: d\nlist:\n name: dom\n"
	    " type: domain\nzone:\n name: b.test\n type: dnsbl\n"
	    " list: nope\n list: white\n list: d\n list: d\n"
	    " list: c 127.0.0.1\n list: dom\nzone:\n name: h.test\n"
	    " type: helo\n list: d\n", "lists", bad);
	c = load_ok("zone:\n name: b.test\n type: dnsbl\nzone:\n"
	    " name: w.test\n type: dnswl\nlist:\n name: spam\n"
	    " file: feeds/spam.txt\nlist:\n name: nofile\nzone:\n"
	    " name: s.test\n type: dnsbl\n list: black\n"
	    " list: spam 127.1.2.3\n", "lists: defaults and codes");
	if (c == NULL)
		return;
	is_str(c->zones[0].nlists == 1 ? c->zones[0].lists[0].name : "?",
	    "black", "lists: a dnsbl zone answers from black");
	is_str(c->zones[1].nlists == 1 ? c->zones[1].lists[0].name : "?",
	    "white", "lists: a dnswl zone from white");
	is_int(c->zones[2].nlists, 2, "lists: two lists named");
	is_int(c->zones[2].lists[1].code, 0x7f010203,
	    "lists: a code anywhere in 127/8 (but 127.0.0.1)");
	is_int(conf_list_kind(c, "spam"), LIST_KIND_IP,
	    "lists: spam is an ip list");
	ok(c->lists[0].file != NULL && c->lists[0].file[0] == '/' &&
	    strlen(c->lists[0].file) > 15 && strcmp(c->lists[0].file +
	    strlen(c->lists[0].file) - 15, "/feeds/spam.txt") == 0,
	    "lists: file: is relative to the configuration's directory");
	ok(c->lists[1].file == NULL, "lists: no file: by default");
	is_int(conf_list_kind(c, "white"), LIST_KIND_IP,
	    "lists: white is built in");
	is_int(conf_list_kind(c, "nope"), -1, "lists: no such list");
	d = dump_string(c);
	ok(d != NULL && strstr(d, "list:\n\tname: spam\n\ttype: ip\n"
	    "\tfile: \"/") != NULL && strstr(d, "/feeds/spam.txt\"\n") !=
	    NULL && strstr(d, "\tlist: spam 127.1.2.3\n") != NULL &&
	    strstr(d, "\tlist: black\n") != NULL, "lists: dumped");
	free(d);
	conf_free(c);
}

/* key: clauses, and the keys of allow-transfer: and notify: lines. */
static void
test_keys(void)
{
	static const char *const bad[] = {
		"t.conf:3: algorithm: unknown algorithm \"hmac-md4\" "
		"(hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha224 or "
		"hmac-sha1)",
		"t.conf:4: secret: not base64 (base64 of at least 8 random "
		"bytes; make one with \"openssl rand -base64 32\")",
		"t.conf:7: secret: too short (base64 of at least 8 random "
		"bytes; make one with \"openssl rand -base64 32\")",
		"t.conf:9: name: duplicate key b (first at line 5)",
		"t.conf:14: allow-transfer: no key nope (declare it in a key: "
		"clause)",
		"t.conf:15: notify: no key gone (declare it in a key: clause)",
		"t.conf:16: allow-transfer: \"key NAME\" comes last, after "
		"the addresses it is for",
		"t.conf:18: listen: \"key NAME\" belongs on a zone's "
		"allow-transfer: and notify: lines only",
		NULL
	};
	struct conf *c;
	struct addr a;
	char err[64], *d;

	load_fail("key:\n name: a\n algorithm: hmac-md4\n"	/* 1-3 */
	    " secret: not*base64\n"				/* 4 */
	    "key:\n name: b\n secret: c2hvcnQ=\n"		/* 5-7 */
	    "key:\n name: b\n secret: c2VjcmV0IG9mIGI=\n"	/* 8-10 */
	    "zone:\n name: b.test\n type: dnsbl\n"		/* 11-13 */
	    " allow-transfer: 192.0.2.1 key nope\n"		/* 14 */
	    " notify: 192.0.2.1 key gone\n"			/* 15 */
	    " allow-transfer: key b 192.0.2.2\n"		/* 16 */
	    "http:\n listen: 127.0.0.1@8080 key b\n",		/* 17-18 */
	    "keys", bad);
	c = load_ok("key:\n name: Xfr.Example.\n"
	    " secret: 4B/dh417sdOWi9RxfOE3I3bbX3RKUhXVDpGqBhe3O2Y=\n"
	    "key:\n name: two\n algorithm: HMAC-SHA384\n"
	    " secret: c2VjcmV0IG9mIHRoZSBzZWNvbmQga2V5\n"
	    "zone:\n name: b.test\n type: dnsbl\n"
	    " allow-transfer: 192.0.2.0/24, 2001:db8::1 key xfr.example\n"
	    " allow-transfer: 198.51.100.7\n"
	    " notify: 192.0.2.53@5353 key two\n notify: 192.0.2.54\n",
	    "keys: two keys, transfers and NOTIFYs with them");
	if (c == NULL)
		return;
	is_int(c->nkeys, 2, "keys: two");
	is_str(c->keys[0].name, "xfr.example",
	    "keys: the name in lower case, without the final dot");
	is_int(c->keys[0].algorithm, KEY_HMAC_SHA256,
	    "keys: hmac-sha256 by default");
	is_int(c->keys[1].algorithm, KEY_HMAC_SHA384,
	    "keys: the algorithm in any case");
	is_int(c->keys[0].raw_len, 32, "keys: the secret decoded");
	is_int(c->zones[0].nallow_transfer, 3,
	    "keys: three allow-transfer entries");
	ok(c->zones[0].allow_transfer[0].key == &c->keys[0] &&
	    c->zones[0].allow_transfer[1].key == &c->keys[0] &&
	    c->zones[0].allow_transfer[2].key == NULL,
	    "keys: \"key NAME\" goes with every address of its line");
	ok(c->zones[0].nnotify == 2 && c->zones[0].notify[0].key ==
	    &c->keys[1] && c->zones[0].notify[1].key == NULL,
	    "keys: a NOTIFY target's key");
	(void)addr_parse("192.0.2.9", 0, &a, err, sizeof(err));
	ok(conf_acl_allows(c->zones[0].allow_transfer, 3, &a, &c->keys[0]),
	    "acl: the address in the prefix, with its key: allowed");
	ok(!conf_acl_allows(c->zones[0].allow_transfer, 3, &a, NULL),
	    "acl: ... unsigned: refused");
	ok(!conf_acl_allows(c->zones[0].allow_transfer, 3, &a, &c->keys[1]),
	    "acl: ... with another key: refused");
	(void)addr_parse("198.51.100.7", 0, &a, err, sizeof(err));
	ok(conf_acl_allows(c->zones[0].allow_transfer, 3, &a, NULL) &&
	    conf_acl_allows(c->zones[0].allow_transfer, 3, &a, &c->keys[1]),
	    "acl: an entry without a key: unsigned or any key");
	(void)addr_parse("198.51.100.8", 0, &a, err, sizeof(err));
	ok(!conf_acl_allows(c->zones[0].allow_transfer, 3, &a, &c->keys[0]),
	    "acl: an address outside every entry: refused, key or not");
	d = dump_string(c);
	ok(d != NULL && strstr(d, "key:\n\tname: xfr.example\n"
	    "\talgorithm: hmac-sha256\n\tsecret: \"4B/dh417sdOWi9RxfOE3I3bb"
	    "X3RKUhXVDpGqBhe3O2Y=\"\n") != NULL && strstr(d,
	    "\tallow-transfer: 2001:db8::1 key xfr.example\n") != NULL &&
	    strstr(d, "\tnotify: 192.0.2.53@5353 key two\n") != NULL,
	    "keys: dumped");
	free(d);
	conf_free(c);
}

/* A listen address that cannot be bound: its line and what to do. */
static void
test_listen_error(void)
{
	struct conf *c;
	char buf[512];

	c = load_ok("server:\n listen: 127.0.0.1@5353\n"
	    " listen: 192.0.2.1@53, ::1@80\n"
	    "zone:\n name: b.test\n type: dnsbl\n"
	    "http:\n listen: 127.0.0.1@8053\n", "listen lines");
	if (c == NULL)
		return;
	is_str(c->listen[0].where, "t.conf:2", "listen: the first line");
	is_str(c->nlisten == 3 ? c->listen[2].where : "?", "t.conf:3",
	    "listen: two addresses of one line");
	is_str(c->http.nlisten == 1 ? c->http.listen[0].where : "?",
	    "t.conf:8", "listen: the http: clause's line");
	conf_listen_error(&c->listen[0], EADDRINUSE, buf, sizeof(buf));
	is_str(buf, "t.conf:2: listen: cannot listen on 127.0.0.1@5353: "
	    "Address already in use (another program listens there: see "
	    "\"ss -ltunp\", or choose another port)", "listen: in use");
	conf_listen_error(&c->listen[1], EADDRNOTAVAIL, buf, sizeof(buf));
	is_str(buf, "t.conf:3: listen: cannot listen on 192.0.2.1@53: "
	    "Cannot assign requested address (no interface of this host "
	    "has that address: see \"ip addr\")", "listen: not this host's");
	conf_listen_error(&c->listen[2], EACCES, buf, sizeof(buf));
	is_str(buf, "t.conf:3: listen: cannot listen on ::1@80: Permission "
	    "denied (a port below 1024 needs root or CAP_NET_BIND_SERVICE)",
	    "listen: a privileged port");
	conf_free(c);
}

int
main(void)
{
	plan(386 + NLEAKTESTS);
	test_full();
	test_defaults();
	test_helo();
	test_errors();
	test_lists();
	test_listen_error();
	test_keys();
	test_load_file();
	test_dump();
	test_schema();
	test_service();
	test_http();
	test_every_keys();
	test_every_dump();
	test_every_free();
	test_leaks();
	return done();
}
