/* SPDX-License-Identifier: ISC */
/*
 * test_qname.c -- addresses in query names.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "qname.h"
#include "wire.h"
#include "../tap.h"

/* Classify a presentation name; the result as text. */
static const char *
classify(const char *name)
{
	static char out[ADDR_STRLEN + 16];
	uint8_t w[WIRE_MAXNAME];
	struct addr a;
	size_t i;
	int n = 0;

	if (wire_name_from_str(name, w, sizeof(w)) == 0)
		return "bad name";
	for (i = 0; w[i] != 0; i += 1 + w[i])
		n++;
	switch (qname_to_addr(w, n, &a)) {
	case QNAME_ADDR:
		return addr_format(&a, out, sizeof(out));
	case QNAME_PARTIAL:
		return "partial";
	default:
		return "invalid";
	}
}

static const char v6_2[] =
    "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0";
static const char v6_doc[] =
    "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2";

int
main(void)
{
	struct addr a;
	char buf[128], err[64];

	plan(20);
	is_str(classify("4.3.2.1"), "1.2.3.4", "4.3.2.1 -> 1.2.3.4");
	is_str(classify("2.0.0.127"), "127.0.0.2", "2.0.0.127 -> 127.0.0.2");
	is_str(classify("255.0.0.0"), "0.0.0.255", "255.0.0.0 -> 0.0.0.255");
	is_str(classify("3.2.1"), "partial", "3 labels: partial v4");
	is_str(classify("1"), "partial", "1 label: partial");
	is_str(classify("256.2.3.4"), "invalid", "octet 256 invalid");
	is_str(classify("01.2.3.4"), "invalid", "leading zero invalid");
	is_str(classify("10.4.3.2.1"), "invalid", "5 labels with a non-nibble invalid");
	is_str(classify("ab.2.3.4"), "invalid", "two letters in a v4 name invalid");
	is_str(classify("foo"), "invalid", "word invalid");
	is_str(classify(v6_2), "::ffff:127.0.0.2",
	    "v6 nibbles -> ::ffff:127.0.0.2");
	is_str(classify(v6_doc), "2001:db8::1", "v6 nibbles -> 2001:db8::1");
	is_str(classify("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "8.B.D.0.1.0.0.2"), "2001:db8::1", "upper-case nibbles");
	is_str(classify(v6_doc + 2), "partial", "31 nibbles: partial v6");
	is_str(classify("0.1.0.0.2"), "partial", "5 nibbles: partial v6");
	is_str(classify("10.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "8.b.d.0.1.0.0.2"), "invalid", "two-digit label in v6 invalid");
	is_str(classify("x.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "8.b.d.0.1.0.0.2"), "invalid", "non-hex nibble invalid");

	addr_parse("192.0.2.1", 0, &a, err, sizeof(err));
	is_str(qname_from_addr(&a, buf, sizeof(buf)), "1.2.0.192",
	    "name of 192.0.2.1");
	addr_parse("2001:db8::1", 0, &a, err, sizeof(err));
	is_str(qname_from_addr(&a, buf, sizeof(buf)), v6_doc,
	    "name of 2001:db8::1");
	is_str(classify(qname_from_addr(&a, buf, sizeof(buf))),
	    "2001:db8::1", "v6 name round trip");
	return done();
}
