/* SPDX-License-Identifier: ISC */
/*
 * wire.c -- DNS message parsing and in-place answer building.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "wire.h"

#define FLAG_QR		0x8000
#define FLAG_AA		0x0400
#define FLAG_TC		0x0200
#define FLAG_RD		0x0100
#define OPT_RRLEN	11

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

uint16_t
wire_get16(const uint8_t *p)
{
	return get16(p);
}

void
wire_put16(uint8_t *p, uint16_t v)
{
	put16(p, v);
}

void
wire_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * Skip a possibly compressed name at *off. Returns 0, or -1 if it runs
 * past the end or uses a reserved label type.
 */
static int
skip_name(const uint8_t *pkt, size_t len, size_t *off)
{
	size_t o = *off;

	for (;;) {
		if (o >= len)
			return -1;
		if ((pkt[o] & 0xc0) == 0xc0) {
			if (o + 2 > len)
				return -1;
			*off = o + 2;
			return 0;
		}
		if (pkt[o] & 0xc0)
			return -1;
		if (pkt[o] == 0) {
			*off = o + 1;
			return 0;
		}
		o += 1 + (size_t)pkt[o];
	}
}

/* Parse the question's name, uncompressed, into q. */
static int
parse_qname(const uint8_t *pkt, size_t len, size_t *off, struct query *q)
{
	size_t o = *off, n = 0;
	int labels = 0;

	for (;;) {
		uint8_t l;
		size_t i;

		if (o >= len)
			return -1;
		l = pkt[o];
		if (l & 0xc0)		/* no pointer can be valid here */
			return -1;
		if (n + 1 + l > WIRE_MAXNAME)
			return -1;
		if (l == 0) {
			q->qname[n] = q->qname_lc[n] = 0;
			n++;
			o++;
			break;
		}
		if (o + 1 + l > len || labels >= WIRE_MAXLABELS)
			return -1;
		q->label_off[labels++] = (uint8_t)n;
		q->qname[n] = q->qname_lc[n] = l;
		for (i = 1; i <= l; i++) {
			uint8_t c = pkt[o + i];

			q->qname[n + i] = c;
			q->qname_lc[n + i] = (c >= 'A' && c <= 'Z') ?
			    (uint8_t)(c + 32) : c;
		}
		n += 1 + l;
		o += 1 + l;
	}
	q->qname_len = n;
	q->nlabels = labels;
	*off = o;
	return 0;
}

enum wire_parse_rc
wire_parse_query(const uint8_t *pkt, size_t len, struct query *q)
{
	uint16_t qdcount, ancount, nscount, arcount, i;
	size_t off = WIRE_HDRLEN;
	int opt_seen = 0;

	q->has_question = 0;
	q->edns = 0;
	q->edns_size = 0;
	q->edns_version = 0;
	q->edns_do = 0;
	q->tsig_off = 0;
	q->has_soa = 0;
	q->soa_serial = 0;
	if (len < WIRE_HDRLEN)
		return WIRE_DROP;
	q->id = get16(pkt);
	q->flags = get16(pkt + 2);
	if (q->flags & FLAG_QR)
		return WIRE_DROP;
	q->opcode = (uint8_t)((q->flags >> 11) & 0xf);
	qdcount = get16(pkt + 4);
	ancount = get16(pkt + 6);
	nscount = get16(pkt + 8);
	arcount = get16(pkt + 10);

	if (qdcount == 1 && parse_qname(pkt, len, &off, q) == 0 &&
	    off + 4 <= len) {
		q->qtype = get16(pkt + off);
		q->qclass = get16(pkt + off + 2);
		off += 4;
		q->has_question = 1;
	}
	if (q->opcode != OPCODE_QUERY)
		return WIRE_NOTIMP;
	if (!q->has_question || ancount != 0)
		return WIRE_FORMERR;

	/* Skip authority records; look for one OPT in the additional. */
	for (i = 0; i < nscount + arcount; i++) {
		size_t name = off;
		uint16_t type, rdlen;

		if (skip_name(pkt, len, &off) == -1 || off + 10 > len)
			return WIRE_FORMERR;
		type = get16(pkt + off);
		rdlen = get16(pkt + off + 8);
		if (off + 10 + rdlen > len)
			return WIRE_FORMERR;
		if (type == TYPE_TSIG) {
			/* RFC 8945: the last record of the additional */
			if (i < nscount || i + 1 != nscount + arcount ||
			    name > UINT16_MAX)
				return WIRE_FORMERR;
			q->tsig_off = (uint16_t)name;
		}
		/* RFC 1995: an IXFR's authority holds the version it has */
		if (type == 6 && i < nscount && rdlen >= 22) {
			const uint8_t *sp = pkt + off + 10 + rdlen - 20;

			q->has_soa = 1;
			q->soa_serial = (uint32_t)sp[0] << 24 |
			    (uint32_t)sp[1] << 16 | (uint32_t)sp[2] << 8 | sp[3];
		}
		if (type == TYPE_OPT) {
			size_t o, end;

			if (i < nscount || opt_seen || pkt[name] != 0)
				return WIRE_FORMERR;
			opt_seen = 1;
			q->edns = 1;
			q->edns_size = get16(pkt + off + 2);
			q->edns_version = pkt[off + 5];
			q->edns_do = (pkt[off + 6] & 0x80) != 0;
			/* options must fill the rdata exactly */
			end = off + 10 + rdlen;
			for (o = off + 10; o < end; ) {
				if (o + 4 > end ||
				    o + 4 + get16(pkt + o + 2) > end)
					return WIRE_FORMERR;
				o += 4 + get16(pkt + o + 2);
			}
		}
		off += 10 + rdlen;
	}
	if (off != len)
		return WIRE_FORMERR;
	if (q->edns && q->edns_version > 0)
		return WIRE_BADVERS;
	return WIRE_OK;
}

void
resp_set_rcode(struct resp *r, int rcode)
{
	r->buf[3] = (uint8_t)((r->buf[3] & 0xf0) | (rcode & 0x0f));
	r->rcode = rcode;
}

void
resp_init(struct resp *r, uint8_t *buf, size_t cap, size_t limit,
    const struct query *q, int rcode, int aa, uint16_t edns_size)
{
	uint16_t flags;

	r->buf = buf;
	r->cap = cap;
	r->limit = limit < cap ? limit : cap;
	r->count[0] = r->count[1] = r->count[2] = 0;
	r->edns = q->edns;
	r->edns_size = edns_size;
	r->truncated = 0;
	r->section = SEC_ANSWER;
	flags = (uint16_t)(FLAG_QR | (q->opcode << 11) |
	    (q->flags & FLAG_RD) | (aa ? FLAG_AA : 0));
	put16(buf, q->id);
	put16(buf + 2, flags);
	put16(buf + 4, q->has_question ? 1 : 0);
	memset(buf + 6, 0, 6);
	r->len = WIRE_HDRLEN;
	if (q->has_question) {
		memcpy(buf + r->len, q->qname, q->qname_len);
		r->len += q->qname_len;
		put16(buf + r->len, q->qtype);
		put16(buf + r->len + 2, q->qclass);
		r->len += 4;
	}
	r->qend = r->len;
	resp_set_rcode(r, rcode);
}

void
resp_section(struct resp *r, int section)
{
	if (section > r->section)
		r->section = section;
}

int
resp_add_rr(struct resp *r, uint16_t owner_off, uint16_t type, uint32_t ttl,
    const uint8_t *rdata, size_t rdlen)
{
	size_t need = 2 + 10 + rdlen;
	uint8_t *p;

	if (r->truncated)
		return -1;
	if (rdlen > 65535 ||
	    r->len + need + (r->edns ? OPT_RRLEN : 0) > r->limit) {
		r->truncated = 1;
		r->len = r->qend;
		r->count[0] = r->count[1] = r->count[2] = 0;
		r->buf[2] |= FLAG_TC >> 8;
		return -1;
	}
	p = r->buf + r->len;
	put16(p, (uint16_t)(0xc000 | owner_off));
	put16(p + 2, type);
	put16(p + 4, CLASS_IN);
	wire_put32(p + 6, ttl);
	put16(p + 10, (uint16_t)rdlen);
	memcpy(p + 12, rdata, rdlen);
	r->len += need;
	r->count[r->section]++;
	return 0;
}

int
resp_add_a(struct resp *r, uint16_t owner_off, uint32_t ttl, uint32_t a)
{
	uint8_t rd[4];

	wire_put32(rd, a);
	return resp_add_rr(r, owner_off, TYPE_A, ttl, rd, sizeof(rd));
}

int
resp_add_txt(struct resp *r, uint16_t owner_off, uint32_t ttl,
    const char *text, size_t len)
{
	uint8_t rd[WIRE_TXT_RDMAX];

	return resp_add_rr(r, owner_off, TYPE_TXT, ttl, rd,
	    wire_txt_rdata(text, len, rd));
}

size_t
wire_txt_rdata(const char *text, size_t len, uint8_t *rd)
{
	size_t o = 0, n;

	if (len > WIRE_TXT_MAX)
		len = WIRE_TXT_MAX;
	do {
		n = len > 255 ? 255 : len;
		rd[o++] = (uint8_t)n;
		memcpy(rd + o, text, n);
		o += n;
		text += n;
		len -= n;
	} while (len > 0);
	return o;
}

size_t
resp_finish(struct resp *r)
{
	put16(r->buf + 6, r->count[0]);
	put16(r->buf + 8, r->count[1]);
	put16(r->buf + 10, r->count[2]);
	if (r->edns && r->len + OPT_RRLEN <= r->cap) {
		uint8_t *p = r->buf + r->len;

		p[0] = 0;			/* root */
		put16(p + 1, TYPE_OPT);
		put16(p + 3, r->edns_size);
		p[5] = (uint8_t)(r->rcode >> 4);	/* extended rcode */
		p[6] = 0;			/* version */
		p[7] = 0;			/* DO and Z */
		p[8] = 0;
		put16(p + 9, 0);
		r->len += OPT_RRLEN;
		put16(r->buf + 10, (uint16_t)(r->count[2] + 1));
	}
	return r->len;
}

size_t
wire_truncate(uint8_t *buf, size_t len)
{
	size_t qend = WIRE_HDRLEN, cut;
	const uint8_t *opt;
	int has_opt;

	if (len < WIRE_HDRLEN || get16(buf + 4) > 1)
		return 0;
	if (get16(buf + 4) == 1) {
		while (qend < len && buf[qend] != 0) {
			if (buf[qend] & 0xc0)
				return 0;	/* we never compress it */
			qend += 1 + (size_t)buf[qend];
		}
		qend += 1 + 4;		/* root, type, class */
		if (qend > len)
			return 0;
	}
	opt = buf + len - OPT_RRLEN;
	has_opt = get16(buf + 10) > 0 && len >= qend + OPT_RRLEN &&
	    opt[0] == 0 && get16(opt + 1) == TYPE_OPT && get16(opt + 9) == 0;
	cut = qend + (has_opt ? OPT_RRLEN : 0);
	if (cut == len)
		return len;
	if (has_opt)
		memmove(buf + qend, opt, OPT_RRLEN);
	buf[2] |= FLAG_TC >> 8;
	put16(buf + 6, 0);
	put16(buf + 8, 0);
	put16(buf + 10, has_opt ? 1 : 0);
	return cut;
}

char *
wire_name_str(const uint8_t *name, size_t len, char *buf, size_t buflen)
{
	size_t i = 0, o = 0;

	if (buflen == 0)
		return buf;
	if (len == 0 || name[0] == 0) {
		snprintf(buf, buflen, ".");
		return buf;
	}
	while (i < len && name[i] != 0) {
		uint8_t l = name[i++], j;

		for (j = 0; j < l && i < len; j++, i++) {
			uint8_t c = name[i];

			if (o + 5 >= buflen)
				goto out;
			if (c == '.' || c == '\\' || c <= 0x20 || c >= 0x7f)
				o += (size_t)snprintf(buf + o, buflen - o,
				    "\\%03u", c);
			else
				buf[o++] = (char)c;
		}
		if (o + 2 >= buflen)
			goto out;
		if (i < len && name[i] != 0)
			buf[o++] = '.';
	}
out:
	buf[o] = '\0';
	return buf;
}

size_t
wire_name_from_str(const char *s, uint8_t *out, size_t outlen)
{
	size_t o = 0, l;
	const char *dot;

	if (strcmp(s, ".") == 0) {
		if (outlen < 1)
			return 0;
		out[0] = 0;
		return 1;
	}
	while (*s) {
		dot = strchr(s, '.');
		l = dot ? (size_t)(dot - s) : strlen(s);
		if (l == 0 || l > 63 || o + 1 + l + 1 > outlen ||
		    o + 1 + l + 1 > WIRE_MAXNAME)
			return 0;
		out[o++] = (uint8_t)l;
		memcpy(out + o, s, l);
		o += l;
		s += l;
		if (*s == '.')
			s++;
	}
	out[o++] = 0;
	return o;
}
