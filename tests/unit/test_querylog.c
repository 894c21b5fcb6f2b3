/* SPDX-License-Identifier: ISC */
/*
 * test_querylog.c -- the query log's line: every field, the codes of a
 * listed A answer (and none for TXT), no question, an escaped name, an
 * unknown type, a cut or broken answer.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "querylog.h"
#include "addr.h"
#include "answer.h"
#include "wire.h"
#include "../tap.h"

static uint8_t pkt[512];
static size_t plen;

/* A query packet for the wire name NAME (NLEN bytes) and TYPE. */
static void
build(const uint8_t *name, size_t nlen, uint16_t type)
{
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x12;
	pkt[5] = 1;
	plen = WIRE_HDRLEN;
	memcpy(pkt + plen, name, nlen);
	plen += nlen;
	pkt[plen++] = (uint8_t)(type >> 8);
	pkt[plen++] = (uint8_t)type;
	pkt[plen++] = 0;
	pkt[plen++] = CLASS_IN;
}

static void
build_str(const char *name, uint16_t type)
{
	uint8_t w[WIRE_MAXNAME];
	size_t n = wire_name_from_str(name, w, sizeof(w));

	build(w, n, type);
}

/*
 * Parse a query for NAME and TYPE into *Q and answer it into ANS: SHAPE
 * 0 two A records (127.0.0.2, .4), 1 a TXT, 2 a TXT then an A (.10).
 * Returns the answer's length, 0 if the query did not parse.
 */
static size_t
answer_for(const char *name, uint16_t type, struct query *q, uint8_t *ans,
    int shape)
{
	struct resp r;

	build_str(name, type);
	if (wire_parse_query(pkt, plen, q) != WIRE_OK)
		return 0;
	resp_init(&r, ans, 1024, 1024, q, RCODE_NOERROR, 1, 1232);
	if (shape != 0)
		(void)resp_add_txt(&r, WIRE_HDRLEN, 300, "listed", 6);
	if (shape == 0) {
		(void)resp_add_a(&r, WIRE_HDRLEN, 300, 0x7f000002);
		(void)resp_add_a(&r, WIRE_HDRLEN, 300, 0x7f000004);
	}
	if (shape == 2)
		(void)resp_add_a(&r, WIRE_HDRLEN, 300, 0x7f00000a);
	return resp_finish(&r);
}

int
main(void)
{
	/* 2026-12-04T18:31:25Z */
	const time_t now = 1796409085;
	struct addr peer, peer6;
	struct query q;
	uint8_t ans[1024];
	char line[QUERYLOG_MAX], err[64];
	size_t n;
	static const uint8_t spaced[] = { 3, 'a', ' ', 'b', 2, 'b', 'l', 0 };

	plan(12);
	if (addr_parse("192.0.2.7", 0, &peer, err, sizeof(err)) == -1 ||
	    addr_parse("2001:db8::25", 0, &peer6, err, sizeof(err)) == -1)
		return 1;

	/* listed, A: the codes, in the answer's order */
	n = answer_for("2.0.0.127.BL.example.net", TYPE_A, &q, ans, 0);
	ok(n > 0, "a query parsed, an answer built");
	is_str(querylog_format(line, sizeof(line), now, &peer, 0, &q,
	    "bl.example.net", ANS_LISTED, ans, n),
	    "query: 2026-12-04T18:31:25Z 192.0.2.7 udp 2.0.0.127.BL.example.net "
	    "A bl.example.net listed 127.0.0.2,127.0.0.4",
	    "listed A: time, client, udp, name as asked, type, zone, codes");

	/* listed, TXT, over TCP from IPv6: no code in a TXT answer */
	n = answer_for("2.0.0.127.bl.example.net", TYPE_TXT, &q, ans, 1);
	is_str(querylog_format(line, sizeof(line), now, &peer6, 1, &q,
	    "bl.example.net", ANS_LISTED, ans, n),
	    "query: 2026-12-04T18:31:25Z 2001:db8::25 tcp "
	    "2.0.0.127.bl.example.net TXT bl.example.net listed",
	    "listed TXT over tcp: no codes");

	/* listed in an ANY answer: the A record after the TXT */
	n = answer_for("2.0.0.127.bl.example.net", TYPE_ANY, &q, ans, 2);
	is_str(querylog_format(line, sizeof(line), now, &peer, 0, &q,
	    "bl.example.net", ANS_LISTED, ans, n),
	    "query: 2026-12-04T18:31:25Z 192.0.2.7 udp "
	    "2.0.0.127.bl.example.net ANY bl.example.net listed 127.0.0.10",
	    "listed ANY: the code of the A record after the TXT");
	/* the same answer cut before its A record: no code, no overrun */
	is_str(querylog_format(line, sizeof(line), now, &peer, 0, &q,
	    "bl.example.net", ANS_LISTED, ans, n - 3),
	    "query: 2026-12-04T18:31:25Z 192.0.2.7 udp "
	    "2.0.0.127.bl.example.net ANY bl.example.net listed",
	    "a cut answer: no code");

	/* not listed, refused outside the zones, SERVFAIL */
	build_str("9.2.0.192.bl.example.net", TYPE_A);
	(void)wire_parse_query(pkt, plen, &q);
	is_str(querylog_format(line, sizeof(line), now, &peer, 0, &q,
	    "bl.example.net", ANS_NXDOMAIN, NULL, 0),
	    "query: 2026-12-04T18:31:25Z 192.0.2.7 udp "
	    "9.2.0.192.bl.example.net A bl.example.net nxdomain",
	    "not listed: nxdomain");
	build_str("www.example.com", TYPE_AAAA);
	(void)wire_parse_query(pkt, plen, &q);
	is_str(querylog_format(line, sizeof(line), now, &peer, 0, &q, NULL,
	    ANS_REFUSED, NULL, 0),
	    "query: 2026-12-04T18:31:25Z 192.0.2.7 udp www.example.com AAAA - "
	    "refused", "outside every zone: zone -, refused");
	is_str(querylog_format(line, sizeof(line), now, &peer, 0, &q,
	    "bl.example.net", ANS_SERVFAIL, NULL, 0),
	    "query: 2026-12-04T18:31:25Z 192.0.2.7 udp www.example.com AAAA "
	    "bl.example.net servfail", "a store error: servfail");

	/* an unknown type, a space and a dot in a label */
	build(spaced, sizeof(spaced), 99);
	(void)wire_parse_query(pkt, plen, &q);
	is_str(querylog_format(line, sizeof(line), now, &peer, 0, &q, NULL,
	    ANS_REFUSED, NULL, 0),
	    "query: 2026-12-04T18:31:25Z 192.0.2.7 udp a\\032b.bl TYPE99 - "
	    "refused",
	    "a space in the name is escaped; type 99 is TYPE99");

	/* no question at all (FORMERR) */
	memset(&q, 0, sizeof(q));
	is_str(querylog_format(line, sizeof(line), now, &peer, 0, &q, NULL,
	    ANS_FORMERR, NULL, 0),
	    "query: 2026-12-04T18:31:25Z 192.0.2.7 udp - - - formerr",
	    "no question: name and type -");

	/* a short buffer: cut, terminated */
	build_str("2.0.0.127.bl.example.net", TYPE_A);
	(void)wire_parse_query(pkt, plen, &q);
	is_str(querylog_format(line, 12, now, &peer, 0, &q, NULL,
	    ANS_REFUSED, NULL, 0), "query: 2026", "a short buffer: cut");
	is_int(strlen(querylog_format(line, sizeof(line), now, &peer, 0, &q,
	    "bl.example.net", ANS_LISTED, ans, 5)) > 0, 1,
	    "an answer shorter than a header: no code, no crash");
	return done();
}
