/* SPDX-License-Identifier: ISC */
/*
 * answer.c -- a DNS answer for one query: the zone, allow-query, the
 * apex, names that cannot exist, and the answer from a verdict.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "answer.h"
#include "conf.h"
#include "decide.h"
#include "helo.h"
#include "store.h"
#include "util.h"
#include "zone.h"

static void
add_soa(struct resp *r, const struct zone *z, uint16_t apex_off,
    uint32_t ttl)
{
	(void)resp_add_rr(r, apex_off, TYPE_SOA, ttl, z->soa_rdata,
	    z->soa_len);
}

static void
add_ns(struct resp *r, const struct zone *z, uint16_t apex_off)
{
	size_t i;

	for (i = 0; i < z->nns; i++)
		(void)resp_add_rr(r, apex_off, TYPE_NS, z->conf->ttl,
		    z->ns_rdata[i], z->ns_len[i]);
}

/* NODATA or NXDOMAIN: the SOA in the authority section. */
static enum answer_kind
negative(struct resp *r, const struct zone *z, uint16_t apex_off, int nx)
{
	if (nx)
		resp_set_rcode(r, RCODE_NXDOMAIN);
	resp_section(r, SEC_AUTHORITY);
	add_soa(r, z, apex_off, z->conf->negative_ttl);
	return nx ? ANS_NXDOMAIN : ANS_NODATA;
}

static enum answer_kind
answer_apex(struct resp *r, const struct zone *z, uint16_t apex_off,
    uint16_t qtype)
{
	switch (qtype) {
	case TYPE_SOA:
		add_soa(r, z, apex_off, z->conf->ttl);
		break;
	case TYPE_NS:
		add_ns(r, z, apex_off);
		break;
	case TYPE_ANY:
		add_soa(r, z, apex_off, z->conf->ttl);
		add_ns(r, z, apex_off);
		break;
	default:
		return negative(r, z, apex_off, 0);
	}
	return ANS_APEX;
}

/* Every code of a verdict: one A record per distinct code. */
static void
add_codes(struct resp *r, const struct zone *z, const struct verdict *v)
{
	uint32_t codes[DECIDE_CODES_MAX];
	size_t n, i;

	n = decide_codes(z, v, codes);
	for (i = 0; i < n; i++)
		(void)resp_add_a(r, WIRE_HDRLEN, z->conf->ttl, codes[i]);
}

struct txt_arg {
	struct resp		*r;
	const struct zone	*z;
};

static int
add_txt(void *arg, const char *txt, size_t len)
{
	struct txt_arg *ta = arg;

	(void)resp_add_txt(ta->r, WIRE_HDRLEN, ta->z->conf->ttl, txt, len);
	return 0;
}

/* The TXT records of a verdict about subject (decide_txts). */
static void
add_txts(struct resp *r, const struct zone *z, const struct verdict *v,
    const char *subject)
{
	struct txt_arg ta = { r, z };

	(void)decide_txts(z, v, subject, add_txt, &ta);
}

/*
 * The answer for a decided verdict (not v->need_check) about subject s,
 * inside the read snapshot it was decided in (its entries' texts point
 * into it).
 */
static enum answer_kind
answer_verdict(const struct answer_conf *ac, struct resp *r,
    const struct zone *z, uint16_t apex_off, uint16_t qtype,
    const struct verdict *v, const struct check_subject *s)
{
	char ip[ADDR_STRLEN];
	const char *subject = s->name;

	if (v->unknown && !v->listed) {
		/* never a listing: the failure policy, briefly cached */
		if (z->conf->servfail)
			return ANS_FAILURE;
		resp_set_rcode(r, RCODE_NXDOMAIN);
		resp_section(r, SEC_AUTHORITY);
		add_soa(r, z, apex_off, ac->failure_ttl <
		    z->conf->negative_ttl ? ac->failure_ttl :
		    z->conf->negative_ttl);
		return ANS_FAILURE;
	}
	if (!v->listed)
		return negative(r, z, apex_off, 1);
	/* the address as text only for a TXT: it costs a printf */
	if ((qtype == TYPE_TXT || qtype == TYPE_ANY) && !s->is_name)
		subject = addr_format(&s->a, ip, sizeof(ip));
	switch (qtype) {
	case TYPE_A:
		add_codes(r, z, v);
		break;
	case TYPE_TXT:
		add_txts(r, z, v, subject);
		break;
	case TYPE_ANY:
		add_codes(r, z, v);
		add_txts(r, z, v, subject);
		break;
	default:
		negative(r, z, apex_off, 0);
		return ANS_NODATA;
	}
	return ANS_LISTED;
}

/* The answer for an address or a HELO name (s). */
static enum answer_kind
answer_subject(const struct answer_conf *ac, const struct answer_in *in,
    struct answer_out *out, struct resp *r, const struct zone *z,
    uint16_t apex_off, uint16_t qtype, const struct check_subject *s)
{
	const struct check_result *fresh;
	struct check_subject host;
	struct verdict v;
	enum answer_kind kind;
	int rc;

	if (store_read_begin(ac->store, out->errbuf,
	    sizeof(out->errbuf)) != STORE_OK)
		return ANS_SERVFAIL;
	/* the computed verdict of an IPv4-mapped address is its IPv4's */
	if (s->is_name)
		host = *s;
	else
		check_subject_host(&host, &s->a);
	fresh = in->fresh != NULL && in->fresh_subj != NULL &&
	    check_subject_equal(in->fresh_subj, &host) ? in->fresh : NULL;
	if (z->conf->type == ZONE_RHSBL)
		rc = decide_name(z, ac->store, s->name, in->now, &v,
		    out->errbuf, sizeof(out->errbuf));
	else if (s->is_name)
		rc = decide_helo(z, ac->helo, ac->store, s->name, in->now,
		    fresh, &v, out->errbuf, sizeof(out->errbuf));
	else
		rc = decide_addr(z, ac->store, &s->a, in->now, fresh,
		    qtype != TYPE_TXT && qtype != TYPE_ANY, &v, out->errbuf,
		    sizeof(out->errbuf));
	if (rc == -1)
		kind = ANS_SERVFAIL;
	else if (v.need_check) {
		out->need = host;
		kind = ANS_NEED_CHECK;
	} else {
		out->cache_hit = v.have_check && fresh == NULL;
		kind = answer_verdict(ac, r, z, apex_off, qtype, &v, s);
		if (kind == ANS_LISTED && !v.test_point) {
			out->reasons = v.reasons ? v.reasons :
			    1U << v.reason;
			str_copy(out->rule, decide_rule(z, &v),
			    sizeof(out->rule));
		}
	}
	store_read_end(ac->store);
	return kind;
}

/*
 * The HELO name of the first n labels of the query name, normalised.
 * Returns -1 if it is no host name (a dot or a byte that is not
 * printable ASCII inside a label).
 */
static int
helo_qname(const struct query *q, int n, char *out, size_t outlen)
{
	char buf[WIRE_MAXNAME];
	const uint8_t *p = q->qname_lc;
	size_t o = 0, len, i;
	int k;

	for (k = 0; k < n; k++) {
		len = *p++;
		if (k > 0)
			buf[o++] = '.';
		for (i = 0; i < len; i++, p++) {
			if (*p == '.' || *p <= 0x20 || *p >= 0x7f)
				return -1;
			buf[o++] = (char)*p;
		}
	}
	return helo_normalize(buf, o, out, outlen);
}

/*
 * The zone of zs that holds the query name of q: the longest apex that
 * is a suffix of it, with that apex's offset in the packet in *apex_off;
 * NULL if none does.
 */
static const struct zone *
find_zone(const struct zoneset *zs, const struct query *q, uint16_t *apex_off)
{
	const struct zone *best = NULL;
	size_t i;

	for (i = 0; i < zs->n; i++) {
		const struct zone *z = &zs->v[i];
		size_t off;

		if (z->apex_labels > q->nlabels)
			continue;
		off = z->apex_labels == q->nlabels ? 0 :
		    q->label_off[q->nlabels - z->apex_labels];
		if (q->qname_len - off != z->apex_len ||
		    memcmp(q->qname_lc + off, z->apex, z->apex_len) != 0)
			continue;
		if (best == NULL || z->apex_labels > best->apex_labels) {
			best = z;
			*apex_off = (uint16_t)(WIRE_HDRLEN + off);
		}
	}
	return best;
}

void
answer_parse(const struct answer_conf *ac, const uint8_t *pkt, size_t len,
    struct answer_query *aq)
{
	const struct query *q = &aq->q;
	int n;

	aq->rc = wire_parse_query(pkt, len, &aq->q);
	aq->z = NULL;
	aq->apex_off = 0;
	aq->what = QNAME_INVALID;
	if (aq->rc != WIRE_OK ||
	    (q->qclass != CLASS_IN && q->qclass != CLASS_ANY) ||
	    (aq->z = find_zone(ac->zones, q, &aq->apex_off)) == NULL)
		return;
	n = q->nlabels - aq->z->apex_labels;
	if (n > 0 && (aq->z->conf->type == ZONE_DNSBL ||
	    aq->z->conf->type == ZONE_DNSWL))
		aq->what = qname_to_addr(q->qname_lc, n, &aq->a);
}

/* An answer of a header, the question and rcode only; its length. */
static size_t
rcode_only(const struct answer_conf *ac, const struct query *q, uint8_t *buf,
    size_t cap, size_t limit, int rcode)
{
	struct resp r;

	resp_init(&r, buf, cap, limit, q, rcode, 0, ac->edns_size);
	return resp_finish(&r);
}

/* The answer of a query in one of our zones (aq->z) into r. */
static enum answer_kind
answer_zone(const struct answer_conf *ac, const struct answer_query *aq,
    const struct answer_in *in, struct answer_out *out, struct resp *r)
{
	const struct query *q = &aq->q;
	const struct zone *z = aq->z;
	struct check_subject s;
	int n = q->nlabels - z->apex_labels;

	if (n == 0)
		return answer_apex(r, z, aq->apex_off, q->qtype);
	if (z->conf->type == ZONE_HELO || z->conf->type == ZONE_RHSBL) {
		/* no host name: nothing to judge or look up */
		if (helo_qname(q, n, s.name, sizeof(s.name)) == -1)
			return negative(r, z, aq->apex_off, 1);
		s.is_name = 1;
		return answer_subject(ac, in, out, r, z, aq->apex_off, q->qtype,
		    &s);
	}
	switch (aq->what) {
	case QNAME_ADDR:
		check_subject_addr(&s, &aq->a);
		return answer_subject(ac, in, out, r, z, aq->apex_off, q->qtype,
		    &s);
	case QNAME_PARTIAL:
		return negative(r, z, aq->apex_off, 0);
	default:
		return negative(r, z, aq->apex_off, 1);
	}
}

size_t
answer_limit(const struct answer_conf *ac, const struct query *q, int tcp)
{
	if (tcp)
		return 65535;
	if (q->edns)
		return q->edns_size < WIRE_UDPMIN ? WIRE_UDPMIN :
		    q->edns_size > ac->edns_size ? ac->edns_size :
		    q->edns_size;
	return WIRE_UDPMIN;
}

void
answer_query(const struct answer_conf *ac, const struct answer_query *aq,
    const struct answer_in *in, uint8_t *buf, size_t cap,
    struct answer_out *out)
{
	const struct query *q = &aq->q;
	struct resp r;
	size_t limit;

	out->len = 0;
	out->errbuf[0] = '\0';
	out->zone_index = -1;
	out->cache_hit = 0;
	out->reasons = 0;
	if (aq->rc != WIRE_DROP && !addrlist_match(ac->allow, in->peer)) {
		/* outside allow-query: REFUSED, whatever the query was */
		out->kind = ANS_REFUSED;
		out->len = rcode_only(ac, q, buf, cap, WIRE_UDPMIN,
		    RCODE_REFUSED);
		return;
	}
	if (aq->rc == WIRE_DROP) {
		out->kind = ANS_DROPPED;
		return;
	}
	if (aq->rc != WIRE_OK) {
		/* a packet we cannot answer: its rcode alone */
		out->kind = aq->rc == WIRE_FORMERR ? ANS_FORMERR :
		    aq->rc == WIRE_NOTIMP ? ANS_NOTIMP : ANS_BADVERS;
		out->len = rcode_only(ac, q, buf, cap, WIRE_UDPMIN,
		    aq->rc == WIRE_FORMERR ? RCODE_FORMERR :
		    aq->rc == WIRE_NOTIMP ? RCODE_NOTIMP : RCODE_BADVERS);
		return;
	}

	limit = answer_limit(ac, q, in->tcp);

	/* another class, another zone (answer_parse), or a transfer */
	if (aq->z == NULL || q->qtype == 251 || q->qtype == 252) {
		out->kind = ANS_REFUSED;
		out->len = rcode_only(ac, q, buf, cap, limit, RCODE_REFUSED);
		return;
	}

	out->zone_index = (int)(aq->z - ac->zones->v);
	resp_init(&r, buf, cap, limit, q, RCODE_NOERROR, 1, ac->edns_size);
	out->kind = answer_zone(ac, aq, in, out, &r);
	if (out->kind == ANS_NEED_CHECK)
		return;
	if (out->kind == ANS_SERVFAIL ||
	    (out->kind == ANS_FAILURE && aq->z->conf->servfail))
		out->len = rcode_only(ac, q, buf, cap, limit, RCODE_SERVFAIL);
	else
		out->len = resp_finish(&r);
}

int
answer_query_addr(const struct answer_query *aq, struct addr *a)
{
	if (aq->what != QNAME_ADDR)
		return 0;
	*a = aq->a;
	return 1;
}

const char *
answer_kind_name(enum answer_kind k)
{
	static const char *const names[ANS_KIND_MAX] = {
		"refused", "apex", "listed", "nxdomain", "nodata", "formerr",
		"notimp", "servfail", "badvers", "notauth", "dropped", "failure",
		"check"
	};

	return names[k];
}
