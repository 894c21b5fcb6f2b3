/* SPDX-License-Identifier: ISC */
/*
 * test_addr.c -- addresses, prefixes, range splitting, durations.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "util.h"
#include "../tap.h"

static char got[1024];

static int
collect(const struct addr *a, void *arg)
{
	char buf[ADDR_STRLEN];

	(void)arg;
	if (got[0])
		strcat(got, " ");
	strcat(got, addr_format(a, buf, sizeof(buf)));
	return 0;
}

static const char *
split(const char *lo, const char *hi)
{
	struct addr a, b;
	char err[128];

	got[0] = '\0';
	if (addr_parse(lo, 0, &a, err, sizeof(err)) == -1 ||
	    addr_parse(hi, 0, &b, err, sizeof(err)) == -1)
		return "parse error";
	addr_range_to_cidrs(&a, &b, collect, NULL);
	return got;
}

static const char *
roundtrip(const char *s, int flags)
{
	static char out[256];
	struct addr a;
	char err[128];

	if (addr_parse(s, flags, &a, err, sizeof(err)) == -1) {
		snprintf(out, sizeof(out), "error: %s", err);
		return out;
	}
	return addr_format(&a, out, sizeof(out));
}

/* addr_format_hex of s. */
static const char *
hex(const char *s)
{
	static char out[128];
	struct addr a;

	if (addr_parse(s, 0, &a, out, sizeof(out)) == -1)
		return out;
	return addr_format_hex(&a, out, sizeof(out));
}

/* addr_is_internal of the address S, or -1 when S does not parse. */
static int
internal(const char *s)
{
	char err[128];
	struct addr a;

	if (addr_parse(s, 0, &a, err, sizeof(err)) == -1)
		return -1;
	return addr_is_internal(&a);
}

static void
test_internal(void)
{
	static const char *const in[] = { "10.1.2.3", "172.16.0.1",
	    "172.31.255.255", "192.168.1.1", "100.64.0.1", "127.0.0.1",
	    "169.254.1.1", "0.1.2.3", "192.0.0.8", "224.0.0.1",
	    "255.255.255.255", "::", "::1", "fd00::1", "fe80::1", "ff02::1",
	    "::ffff:10.0.0.1", NULL };
	static const char *const out[] = { "172.32.0.1", "172.15.255.255",
	    "192.0.2.1", "198.51.100.7", "8.8.8.8", "100.128.0.1",
	    "2001:db8::1", "2a00:1450::1", "::ffff:8.8.8.8", "::2", NULL };
	size_t i;

	for (i = 0; in[i] != NULL; i++)
		is_int(internal(in[i]), 1, "internal: %s", in[i]);
	for (i = 0; out[i] != NULL; i++)
		is_int(internal(out[i]), 0, "not internal: %s", out[i]);
}

/* The IPv4 address addr_unmap finds in S, "-" for none. */
static const char *
unmap(const char *s)
{
	static char out[128];
	struct addr a, v4;

	if (addr_parse(s, 0, &a, out, sizeof(out)) == -1)
		return out;
	if (!addr_unmap(&a, &v4))
		return "-";
	return addr_format(&v4, out, sizeof(out));
}

static void
test_unmap(void)
{
	is_str(unmap("::ffff:192.0.2.1"), "192.0.2.1",
	    "unmap: ::ffff:192.0.2.1 is 192.0.2.1");
	is_str(unmap("::ffff:c000:2ff"), "192.0.2.255",
	    "unmap: the hex form ::ffff:c000:2ff is 192.0.2.255");
	is_str(unmap("::ffff:0:0/96"), "-", "unmap: a prefix is no address");
	is_str(unmap("::c000:201"), "-", "unmap: IPv4-compatible is not mapped");
	is_str(unmap("::fffe:c000:201"), "-", "unmap: ::fffe: is not mapped");
	is_str(unmap("192.0.2.1"), "-", "unmap: an IPv4 address is not");
}

int
main(void)
{
	struct addr p, a;
	char err[128], buf[32];
	const char *errstr;
	uint64_t v;

	plan(69);
	test_internal();
	test_unmap();
	is_str(roundtrip("192.0.2.1", 0), "192.0.2.1", "v4 address");
	is_str(roundtrip("192.0.2.0/24", 0), "192.0.2.0/24", "v4 /24");
	is_str(roundtrip("192.0.2.1/24", 0),
	    "error: host bits set in \"192.0.2.1/24\", did you mean "
	    "192.0.2.0/24?", "v4 host bits set is an error with a hint");
	is_str(roundtrip("192.0.2.1/24", ADDR_MASK), "192.0.2.0/24",
	    "v4 host bits masked with ADDR_MASK");
	is_str(roundtrip("192.0.2.1/33", 0),
	    "error: bad prefix length \"33\" (0-32)", "v4 /33 rejected");
	is_str(roundtrip("2001:DB8::1", 0), "2001:db8::1", "v6 address");
	is_str(roundtrip("2001:db8::/32", 0), "2001:db8::/32", "v6 /32");
	is_str(roundtrip("2001:db8::/129", 0),
	    "error: bad prefix length \"129\" (0-128)", "v6 /129 rejected");
	is_str(roundtrip("0.0.0.0/0", 0), "0.0.0.0/0", "v4 /0");
	is_str(roundtrip("300.1.1.1", 0), "error: bad address \"300.1.1.1\"",
	    "bad v4 address");
	is_str(roundtrip("", 0), "error: bad address \"\"", "empty address");
	is_str(roundtrip("1.2.3.4/", 0),
	    "error: bad prefix length \"\" (0-32)", "empty prefix length");

	is_str(hex("::ffff:192.0.2.1"), "::ffff:c000:201",
	    "hex form: a v4-mapped address without the dotted tail");
	is_str(hex("::192.0.2.1"), "::c000:201",
	    "hex form: a v4-compatible address without the dotted tail");
	is_str(hex("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1",
	    "hex form: the first of two equal zero runs is compressed");
	is_str(hex("2001:db8:0:1:0:0:1:0"), "2001:db8:0:1::1:0",
	    "hex form: one zero group is not compressed");
	is_str(hex("::/0"), "::/0", "hex form: ::/0");
	is_str(hex("2001:db8::/32"), "2001:db8::/32", "hex form: a prefix");
	is_str(hex("192.0.2.1"), "192.0.2.1", "hex form: IPv4 unchanged");

	addr_parse("10.0.0.0/8", 0, &p, err, sizeof(err));
	addr_parse("10.200.1.1", 0, &a, err, sizeof(err));
	ok(addr_contains(&p, &a), "10.0.0.0/8 contains 10.200.1.1");
	addr_parse("11.0.0.1", 0, &a, err, sizeof(err));
	ok(!addr_contains(&p, &a), "10.0.0.0/8 does not contain 11.0.0.1");
	addr_parse("10.0.0.0/7", ADDR_MASK, &a, err, sizeof(err));
	ok(!addr_contains(&p, &a), "a /8 does not contain a wider /7");
	addr_parse("2001:db8::/33", 0, &p, err, sizeof(err));
	addr_parse("2001:db8:7fff::1", 0, &a, err, sizeof(err));
	ok(addr_contains(&p, &a), "2001:db8::/33 contains 2001:db8:7fff::1");
	addr_parse("2001:db8:8000::1", 0, &a, err, sizeof(err));
	ok(!addr_contains(&p, &a),
	    "2001:db8::/33 does not contain 2001:db8:8000::1");

	is_str(split("192.0.2.0", "192.0.2.255"), "192.0.2.0/24",
	    "range .0-.255 is one /24");
	is_str(split("192.0.2.1", "192.0.2.9"),
	    "192.0.2.1 192.0.2.2/31 192.0.2.4/30 192.0.2.8/31",
	    "range .1-.9 splits into 4 CIDRs");
	is_str(split("10.0.0.255", "10.0.1.0"), "10.0.0.255 10.0.1.0",
	    "range across an octet boundary");
	is_str(split("0.0.0.0", "255.255.255.255"), "0.0.0.0/0",
	    "the whole IPv4 space");
	is_str(split("255.255.255.254", "255.255.255.255"),
	    "255.255.255.254/31", "range ending at the last address");
	is_str(split("2001:db8::", "2001:db8::ffff"), "2001:db8::/112",
	    "v6 range");

	ok(parse_duration("90", &v, &errstr) == 0 && v == 90, "duration 90");
	ok(parse_duration("5m", &v, &errstr) == 0 && v == 300,
	    "duration 5m");
	ok(parse_duration("1w", &v, &errstr) == 0 && v == 604800,
	    "duration 1w");
	ok(parse_duration("5x", &v, &errstr) == -1, "duration 5x rejected");
	ok(parse_size("4g", &v, &errstr) == 0 && v == 4ULL << 30,
	    "size 4g");
	format_duration(7200, buf, sizeof(buf));
	is_str(buf, "2h", "format 7200 s as 2h");
	return done();
}
