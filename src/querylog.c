/* SPDX-License-Identifier: ISC */
/*
 * querylog.c -- the query log's line for one answered query.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "querylog.h"
#include "addr.h"
#include "answer.h"
#include "wire.h"

#define QL_TYPE_A	1

/* The mnemonic of the types a DNSBL is asked, else RFC 3597's TYPEn. */
static const char *
type_name(uint16_t type, char *buf, size_t len)
{
	static const struct {
		uint16_t	 type;
		const char	*name;
	} names[] = {
		{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" },
		{ 12, "PTR" }, { 15, "MX" }, { 16, "TXT" }, { 28, "AAAA" },
		{ 33, "SRV" }, { 43, "DS" }, { 46, "RRSIG" }, { 48, "DNSKEY" },
		{ 65, "HTTPS" }, { 251, "IXFR" }, { 252, "AXFR" },
		{ 255, "ANY" }
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].type == type)
			return names[i].name;
	snprintf(buf, len, "TYPE%u", (unsigned)type);
	return buf;
}

/* Skip the name at ans[*off]; 0, or -1 past the end. */
static int
skip_name(const uint8_t *ans, size_t len, size_t *off)
{
	while (*off < len) {
		uint8_t l = ans[*off];

		if ((l & 0xc0) == 0xc0) {
			*off += 2;
			return *off <= len ? 0 : -1;
		}
		*off += 1 + (size_t)l;
		if (l == 0)
			return 0;
	}
	return -1;
}

/*
 * Append the A records of the answer section of ANS to buf[o..len),
 * " 127.0.0.2,127.0.0.4"; returns the new o.
 */
static size_t
add_codes(char *buf, size_t len, size_t o, const uint8_t *ans,
    size_t anslen)
{
	size_t off = WIRE_HDRLEN;
	unsigned qd, an, i;
	uint16_t type, rdlen;
	int n, first = 1;

	if (anslen < WIRE_HDRLEN)
		return o;
	qd = (unsigned)ans[4] << 8 | ans[5];
	an = (unsigned)ans[6] << 8 | ans[7];
	for (i = 0; i < qd; i++)
		if (skip_name(ans, anslen, &off) == -1 || (off += 4) > anslen)
			return o;
	for (i = 0; i < an; i++) {
		if (skip_name(ans, anslen, &off) == -1 || off + 10 > anslen)
			return o;
		type = (uint16_t)(ans[off] << 8 | ans[off + 1]);
		rdlen = (uint16_t)(ans[off + 8] << 8 | ans[off + 9]);
		off += 10;
		if (off + rdlen > anslen)
			return o;
		if (type == QL_TYPE_A && rdlen == 4 && o < len) {
			n = snprintf(buf + o, len - o, "%c%u.%u.%u.%u",
			    first ? ' ' : ',', ans[off], ans[off + 1],
			    ans[off + 2], ans[off + 3]);
			first = 0;
			if (n > 0)
				o = (size_t)n < len - o ? o + (size_t)n :
				    len - 1;
		}
		off += rdlen;
	}
	return o;
}

char *
querylog_format(char *buf, size_t len, time_t now, const struct addr *peer,
    int tcp, const struct query *q, const char *zone, enum answer_kind kind,
    const uint8_t *ans, size_t anslen)
{
	char ip[ADDR_STRLEN], name[WIRE_MAXNAME * 4 + 1], tbuf[16], when[32];
	struct tm tm;
	size_t o;
	int n;

	if (len == 0)
		return buf;
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(when, sizeof(when), "%lld", (long long)now);
	if (q->has_question)
		wire_name_str(q->qname, q->qname_len, name, sizeof(name));
	n = snprintf(buf, len, "query: %s %s %s %s %s %s %s", when,
	    addr_format(peer, ip, sizeof(ip)), tcp ? "tcp" : "udp",
	    q->has_question ? name : "-",
	    q->has_question ? type_name(q->qtype, tbuf, sizeof(tbuf)) : "-",
	    zone != NULL ? zone : "-", answer_kind_name(kind));
	if (n < 0) {
		buf[0] = '\0';
		return buf;
	}
	o = (size_t)n < len ? (size_t)n : len - 1;
	if (kind == ANS_LISTED && anslen > 0)
		(void)add_codes(buf, len, o, ans, anslen);
	return buf;
}
