/* SPDX-License-Identifier: ISC */
/*
 * test_wire.c -- query parsing and answer building.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "wire.h"
#include "../tap.h"

static uint8_t pkt[1024];
static size_t plen;

/* A query for name/type with flags, qdcount, and an optional OPT. */
static void
build(const char *name, uint16_t type, uint16_t flags, uint16_t qd,
    int opt, uint8_t version)
{
	size_t n;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x12;
	pkt[1] = 0x34;
	pkt[2] = (uint8_t)(flags >> 8);
	pkt[3] = (uint8_t)flags;
	pkt[5] = (uint8_t)qd;
	pkt[11] = opt ? 1 : 0;
	plen = WIRE_HDRLEN;
	n = wire_name_from_str(name, pkt + plen, sizeof(pkt) - plen);
	plen += n;
	pkt[plen++] = (uint8_t)(type >> 8);
	pkt[plen++] = (uint8_t)type;
	pkt[plen++] = 0;
	pkt[plen++] = CLASS_IN;
	if (opt) {
		pkt[plen++] = 0;		/* root */
		pkt[plen++] = 0;
		pkt[plen++] = TYPE_OPT;
		pkt[plen++] = 0x10;		/* 4096 */
		pkt[plen++] = 0x00;
		pkt[plen++] = 0;		/* ext rcode */
		pkt[plen++] = version;
		pkt[plen++] = 0x80;		/* DO */
		pkt[plen++] = 0;
		pkt[plen++] = 0;		/* rdlen */
		pkt[plen++] = 0;
	}
}

int
main(void)
{
	struct query q;
	struct resp r;
	uint8_t out[4096];
	char text[700], name[300];
	size_t n;

	plan(39);
	build("2.0.0.127.bl.test", TYPE_A, 0x0100, 1, 0, 0);
	is_int(wire_parse_query(pkt, plen, &q), WIRE_OK, "plain query parses");
	is_int(q.qtype, TYPE_A, "qtype A");
	is_int(q.nlabels, 6, "six labels");
	is_int(q.edns, 0, "no EDNS");
	is_int(q.id, 0x1234, "id kept");

	build("X.Bl.Test", TYPE_TXT, 0, 1, 0, 0);
	wire_parse_query(pkt, plen, &q);
	ok(memcmp(q.qname_lc, "\1x\2bl\4test", 11) == 0,
	    "lower-cased copy of the name");
	ok(memcmp(q.qname, "\1X\2Bl\4Test", 11) == 0, "case kept in qname");

	is_int(wire_parse_query(pkt, 11, &q), WIRE_DROP,
	    "11-byte packet dropped");
	build("bl.test", TYPE_A, 0x8000, 1, 0, 0);
	is_int(wire_parse_query(pkt, plen, &q), WIRE_DROP, "response dropped");
	build("bl.test", TYPE_A, 0, 2, 0, 0);
	is_int(wire_parse_query(pkt, plen, &q), WIRE_FORMERR,
	    "qdcount 2 is FORMERR");
	build("bl.test", TYPE_A, 0, 0, 0, 0);
	is_int(wire_parse_query(pkt, plen, &q), WIRE_FORMERR,
	    "qdcount 0 is FORMERR");
	build("bl.test", TYPE_A, 2 << 11, 1, 0, 0);
	is_int(wire_parse_query(pkt, plen, &q), WIRE_NOTIMP,
	    "opcode STATUS is NOTIMP");
	ok(q.has_question, "NOTIMP keeps the question");
	build("bl.test", TYPE_A, 0, 1, 0, 0);
	is_int(wire_parse_query(pkt, plen - 2, &q), WIRE_FORMERR,
	    "cut question is FORMERR");
	build("bl.test", TYPE_A, 0, 1, 0, 0);
	pkt[plen++] = 0;
	is_int(wire_parse_query(pkt, plen, &q), WIRE_FORMERR,
	    "trailing byte is FORMERR");
	build("bl.test", TYPE_A, 0, 1, 0, 0);
	pkt[WIRE_HDRLEN] = 0xc0;
	is_int(wire_parse_query(pkt, plen, &q), WIRE_FORMERR,
	    "compression pointer in the question is FORMERR");
	build("bl.test", TYPE_A, 0, 1, 1, 0);
	is_int(wire_parse_query(pkt, plen, &q), WIRE_OK, "EDNS query parses");
	ok(q.edns && q.edns_size == 4096 && q.edns_do,
	    "EDNS size 4096 and DO seen");
	build("bl.test", TYPE_A, 0, 1, 1, 1);
	is_int(wire_parse_query(pkt, plen, &q), WIRE_BADVERS,
	    "EDNS version 1 is BADVERS");
	build("bl.test", TYPE_A, 0, 1, 1, 0);
	memcpy(pkt + plen, pkt + plen - 11, 11);
	plen += 11;
	pkt[11] = 2;
	is_int(wire_parse_query(pkt, plen, &q), WIRE_FORMERR,
	    "two OPT records are FORMERR");

	/* Answers */
	build("2.0.0.127.bl.test", TYPE_TXT, 0x0100, 1, 0, 0);
	wire_parse_query(pkt, plen, &q);
	resp_init(&r, out, sizeof(out), WIRE_UDPMIN, &q, RCODE_NOERROR, 1,
	    1232);
	memset(text, 'a', 600);
	is_int(resp_add_txt(&r, WIRE_HDRLEN, 300, text, 300), 0,
	    "300-byte TXT fits in 512");
	n = resp_finish(&r);
	ok(out[2] == 0x85 && out[3] == 0x00, "QR AA RD set, rcode 0");
	is_int(out[7], 1, "one answer");
	ok(n > 12 + 300 && out[n - 300 - 2] == 255 && out[n - 45 - 1] == 45,
	    "TXT split into 255 + 45 byte strings");
	resp_init(&r, out, sizeof(out), WIRE_UDPMIN, &q, RCODE_NOERROR, 1,
	    1232);
	is_int(resp_add_txt(&r, WIRE_HDRLEN, 300, text, 600), -1,
	    "600-byte TXT does not fit in 512");
	n = resp_finish(&r);
	ok((out[2] & 0x02) && out[7] == 0 && n == r.qend,
	    "TC set, answer emptied");

	/* Truncation of a finished answer (too large for the interface). */
	build("2.0.0.127.bl.test", TYPE_ANY, 0x0100, 1, 1, 0);
	wire_parse_query(pkt, plen, &q);
	resp_init(&r, out, sizeof(out), 4096, &q, RCODE_NOERROR, 1, 1232);
	resp_add_a(&r, WIRE_HDRLEN, 300, 0x7f000002);
	resp_add_txt(&r, WIRE_HDRLEN, 300, text, 600);
	n = resp_finish(&r);
	ok(n > 600 && out[7] == 2 && out[11] == 1, "ANY: two answers and OPT");
	is_int(wire_truncate(out, n), r.qend + 11,
	    "truncated: question and OPT left");
	ok((out[2] & 0x02) && out[3] == 0 && out[5] == 1 && out[7] == 0 &&
	    out[9] == 0 && out[11] == 1, "truncated: TC, counts 1/0/0/1");
	is_int(wire_parse_query(out, r.qend + 11, &q), WIRE_DROP,
	    "truncated: a well-formed message (a response)");
	ok(out[r.qend] == 0 && out[r.qend + 2] == TYPE_OPT &&
	    out[r.qend + 3] == 0x04 && out[r.qend + 4] == 0xd0,
	    "truncated: the OPT advertises 1232");
	is_int(wire_truncate(out, r.qend + 11), r.qend + 11,
	    "truncating again cuts nothing");
	build("2.0.0.127.bl.test", TYPE_TXT, 0x0100, 1, 0, 0);
	wire_parse_query(pkt, plen, &q);
	resp_init(&r, out, sizeof(out), 4096, &q, RCODE_NOERROR, 1, 1232);
	resp_add_txt(&r, WIRE_HDRLEN, 300, text, 600);
	n = resp_finish(&r);
	ok(wire_truncate(out, n) == r.qend && out[7] == 0 && out[11] == 0,
	    "no EDNS: truncated to the question, no OPT");
	out[WIRE_HDRLEN] = 0xc0;
	is_int(wire_truncate(out, r.qend), 0, "a compressed question: 0");
	is_int(wire_truncate(out, 11), 0, "11 bytes: 0");

	build("bl.test", TYPE_A, 0, 1, 1, 1);
	wire_parse_query(pkt, plen, &q);
	resp_init(&r, out, sizeof(out), WIRE_UDPMIN, &q, RCODE_BADVERS, 0,
	    1232);
	n = resp_finish(&r);
	ok(out[3] == 0 && out[11] == 1 && out[n - 6] == 1,
	    "BADVERS: rcode 0 in header, extended rcode 1 in OPT");
	ok(out[n - 8] == 0x04 && out[n - 7] == 0xd0,
	    "OPT advertises our size 1232");

	n = wire_name_from_str("a\\.b.example", (uint8_t *)name, sizeof(name));
	ok(n > 0, "name with a backslash encodes");
	wire_name_str((const uint8_t *)"\3a.b\7example\0", 13, name,
	    sizeof(name));
	is_str(name, "a\\046b.example", "dot in a label escaped");
	return done();
}
