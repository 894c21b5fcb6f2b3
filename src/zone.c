/*
 * zone.c -- zone matching, verdicts and whole answers.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qname.h"
#include "store.h"
#include "store_list.h"
#include "util.h"
#include "zone.h"

#define SOA_REFRESH	3600
#define SOA_RETRY	600
#define SOA_EXPIRE	604800
#define TXT_MAX		4096

static const char test_point_text[] = "RFC 5782 test point";

static int
name_wire(const char *name, uint8_t *out, size_t outlen, size_t *len,
    const char *what, char *errbuf, size_t errlen)
{
	if ((*len = wire_name_from_str(name, out, outlen)) == 0) {
		snprintf(errbuf, errlen, "bad %s name \"%s\"", what, name);
		return -1;
	}
	return 0;
}

struct zoneset *
zoneset_new(const struct conf *conf, uint32_t serial, char *errbuf,
    size_t errlen)
{
	struct zoneset *zs;
	size_t i, j, n;

	zs = xcalloc(1, sizeof(*zs));
	zs->serial = serial;
	zs->v = xcalloc(conf->nzones, sizeof(*zs->v));
	zs->n = conf->nzones;
	for (i = 0; i < conf->nzones; i++) {
		const struct conf_zone *cz = &conf->zones[i];
		struct zone *z = &zs->v[i];
		uint8_t *p;

		z->conf = cz;
		if (name_wire(cz->name, z->apex, sizeof(z->apex), &z->apex_len,
		    "zone", errbuf, errlen) == -1)
			goto fail;
		for (j = 0; z->apex[j] != 0; j += 1 + z->apex[j])
			z->apex_labels++;
		p = z->soa_rdata;
		if (name_wire(cz->soa_mname, p, WIRE_MAXNAME, &n, "soa",
		    errbuf, errlen) == -1)
			goto fail;
		p += n;
		if (name_wire(cz->soa_rname, p, WIRE_MAXNAME, &n, "soa",
		    errbuf, errlen) == -1)
			goto fail;
		p += n;
		wire_put32(p, serial);
		wire_put32(p + 4, SOA_REFRESH);
		wire_put32(p + 8, SOA_RETRY);
		wire_put32(p + 12, SOA_EXPIRE);
		wire_put32(p + 16, cz->negative_ttl);
		p += 20;
		z->soa_len = (size_t)(p - z->soa_rdata);
		z->nns = cz->nns;
		z->ns_rdata = xcalloc(cz->nns, sizeof(*z->ns_rdata));
		z->ns_len = xcalloc(cz->nns, sizeof(*z->ns_len));
		for (j = 0; j < cz->nns; j++)
			if (name_wire(cz->ns[j], z->ns_rdata[j], WIRE_MAXNAME,
			    &z->ns_len[j], "ns", errbuf, errlen) == -1)
				goto fail;
	}
	return zs;
fail:
	zoneset_free(zs);
	return NULL;
}

void
zoneset_free(struct zoneset *zs)
{
	size_t i;

	if (zs == NULL)
		return;
	for (i = 0; i < zs->n; i++) {
		free(zs->v[i].ns_rdata);
		free(zs->v[i].ns_len);
	}
	free(zs->v);
	free(zs);
}

const struct zone *
zoneset_by_name(const struct zoneset *zs, const char *name)
{
	size_t i;

	for (i = 0; i < zs->n; i++)
		if (strcmp(zs->v[i].conf->name, name) == 0)
			return &zs->v[i];
	return NULL;
}

/*
 * Start a verdict: everything but the check result and the HELO
 * judgement, which are large, filled when used and read only when
 * have_check / the zone type says so. Saves 2 KB of stores a query.
 */
static void
verdict_clear(struct verdict *v)
{
	memset(v, 0, offsetof(struct verdict, check));
	v->reasons = 0;
}

/* 1 for the listed test point, 0 for the unlisted one, -1 otherwise. */
static int
test_point(const struct addr *a)
{
	static const uint8_t v6[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	const uint8_t *b;

	if (a->af == ADDR_V4)
		b = a->a;
	else if (memcmp(a->a, v6, sizeof(v6)) == 0)
		b = a->a + 12;
	else
		return -1;
	if (b[0] != 127 || b[1] != 0 || b[2] != 0)
		return -1;
	if (b[3] == 2)
		return 1;
	if (b[3] == 1)
		return 0;
	return -1;
}

/*
 * The check verdict on s into v->check: fresh if given, else the cached
 * one, else v->need_check. Returns -1 on a store error.
 */
static int
get_check(struct store *store, const struct check_subject *s, time_t now,
    const struct check_result *fresh, struct verdict *v, char *errbuf,
    size_t errlen)
{
	enum store_rc rc;

	if (fresh != NULL)
		v->check = *fresh;
	else {
		rc = check_cached(store, s, now, &v->check, errbuf, errlen);
		if (rc == STORE_ERROR)
			return -1;
		if (rc == STORE_NOTFOUND) {
			v->need_check = 1;
			return 0;
		}
	}
	v->have_check = 1;
	return 0;
}

/* The computed part of a dnsbl verdict. */
static int
decide_computed(const struct zone *z, struct store *store,
    const struct addr *a, time_t now, const struct check_result *fresh,
    struct verdict *v, char *errbuf, size_t errlen)
{
	const struct conf_zone *cz = z->conf;
	struct check_subject s;
	int r;

	if (!(cz->checks & COMPUTED_CHECKS))
		return 0;
	check_subject_addr(&s, a);
	if (get_check(store, &s, now, fresh, v, errbuf, errlen) == -1)
		return -1;
	if (v->need_check)
		return 0;
	if (v->check.verdict == CV_UNKNOWN) {
		v->unknown = 1;
		return 0;
	}
	r = cverdict_reason(v->check.verdict);
	if (r >= 0 && (cz->checks & (1U << r))) {
		v->listed = 1;
		v->reason = (enum reason)r;
		v->code = cz->code[r];
	}
	return 0;
}

int
zone_decide(const struct zone *z, struct store *store, const struct addr *a,
    time_t now, const struct check_result *fresh, int brief,
    struct verdict *v, char *errbuf, size_t errlen)
{
	const struct conf_zone *cz = z->conf;
	enum store_rc rc;
	int tp;

	verdict_clear(v);
	if ((tp = test_point(a)) >= 0) {
		v->test_point = 1;
		if (tp == 1) {
			v->listed = 1;
			v->reason = cz->type == ZONE_DNSWL ? REASON_WHITELIST :
			    REASON_BLACKLIST;
			v->code = cz->code[v->reason];
		}
		return 0;
	}

	/* Both zone types start from the white list. */
	rc = store_lookup(store, LIST_WHITE, a, now, brief, &v->entry,
	    errbuf, errlen);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_OK) {
		v->have_entry = 1;
		v->entry_list = LIST_WHITE;
		if (!(v->entry.flags & ENTRY_EXCLUDE)) {
			if (cz->type == ZONE_DNSWL) {
				v->listed = 1;
				v->reason = REASON_WHITELIST;
				v->code = v->entry.code ? v->entry.code :
				    cz->code[REASON_WHITELIST];
			} else
				v->white = 1;
			return 0;
		}
	}
	if (cz->type != ZONE_DNSBL)
		return 0;
	if (cz->checks & (1U << REASON_BLACKLIST)) {
		rc = store_lookup(store, LIST_BLACK, a, now, brief,
		    &v->entry, errbuf, errlen);
		if (rc == STORE_ERROR)
			return -1;
		if (rc == STORE_OK) {
			v->have_entry = 1;
			v->entry_list = LIST_BLACK;
			/*
			 * An exclusion only carves the address out of a wider
			 * black range; the computed checks still apply (the
			 * white list is what exempts from everything).
			 */
			if (!(v->entry.flags & ENTRY_EXCLUDE)) {
				v->listed = 1;
				v->reason = REASON_BLACKLIST;
				v->code = v->entry.code ? v->entry.code :
				    cz->code[REASON_BLACKLIST];
				return 0;
			}
		}
	}
	return decide_computed(z, store, a, now, fresh, v, errbuf, errlen);
}

uint32_t
zone_delist_delay(const struct conf *conf)
{
	const struct conf_zone *z;
	uint32_t d = 0, t;
	size_t i;

	for (i = 0; i < conf->nzones; i++) {
		z = &conf->zones[i];
		t = z->type == ZONE_DNSWL ? z->negative_ttl :
		    z->type == ZONE_DNSBL ? z->ttl : 0;
		if (t > d)
			d = t;
	}
	return d;
}

int
zone_decide_helo(const struct zone *z, const struct helo_env *env,
    struct store *store, const char *name, time_t now,
    const struct check_result *fresh, struct verdict *v, char *errbuf,
    size_t errlen)
{
	const struct conf_zone *cz = z->conf;
	struct check_subject s;
	int r;

	verdict_clear(v);
	if (strcmp(name, "test") == 0) {
		v->test_point = v->listed = 1;
		v->reason = REASON_BAD_NAME;
		v->reasons = 1U << REASON_BAD_NAME;
		v->code = cz->code[REASON_BAD_NAME];
		return 0;
	}
	if (strcmp(name, "invalid") == 0 || strcmp(name, "1.0.0.127") == 0) {
		v->test_point = 1;
		return 0;
	}
	helo_judge(env, name, cz->checks, &v->helo);
	v->reasons = v->helo.reasons;
	if (v->helo.lookup) {
		if (check_subject_name(&s, name) == -1)
			return 0;	/* cannot be: normalised names fit */
		if (get_check(store, &s, now, fresh, v, errbuf, errlen) == -1)
			return -1;
		if (v->need_check)
			return 0;
		if (v->check.verdict == CV_NO_DNS)
			v->reasons |= 1U << REASON_NO_DNS;
		else if (v->check.verdict == CV_UNKNOWN)
			v->unknown = 1;
	}
	for (r = 0; r < REASON_MAX; r++)
		if (v->reasons & (1U << r)) {
			v->listed = 1;
			v->reason = (enum reason)r;
			v->code = cz->code[r];
			break;
		}
	return 0;
}

/* Append s (n bytes) at *o in buf, keeping room for the NUL. */
static void
append(char *buf, size_t len, size_t *o, const char *s, size_t n)
{
	if (*o + 1 >= len)
		return;
	if (n > len - 1 - *o)
		n = len - 1 - *o;
	memcpy(buf + *o, s, n);
	*o += n;
}

/* Expand "$" in a url: template. */
static void
expand_url(const char *t, const char *ip, char *buf, size_t len, size_t *o)
{
	for (; *t; t++) {
		if (*t == '$')
			append(buf, len, o, ip, strlen(ip));
		else
			append(buf, len, o, t, 1);
	}
}

/* A helo verdict's reasons in plain words, joined by "; ". */
static size_t
helo_reasons_text(const struct verdict *v, const char *name, char *buf,
    size_t len)
{
	char one[600];
	const char *t;
	size_t o = 0;
	int r;

	for (r = 0; r < REASON_MAX; r++) {
		if (!(v->reasons & (1U << r)))
			continue;
		t = reason_get((enum reason)r)->text;
		if (r == REASON_NO_DNS && v->have_check)
			t = v->check.detail;
		else if (r == REASON_HELO_DYNAMIC && v->helo.rule != NULL) {
			snprintf(one, sizeof(one), "%s looks like a dynamic or "
			    "end-user host (rule %s)", name, v->helo.rule);
			t = one;
		} else if (r == REASON_BAD_NAME && v->helo.bad_entry != NULL) {
			snprintf(one, sizeof(one), "%s (%s)", t,
			    v->helo.bad_entry);
			t = one;
		}
		if (o > 0)
			append(buf, len, &o, "; ", 2);
		append(buf, len, &o, t, strlen(t));
	}
	buf[o] = '\0';
	return o;
}

size_t
zone_txt(const struct zone *z, const struct verdict *v, const char *ip,
    char *buf, size_t len)
{
	const struct conf_zone *cz = z->conf;
	const char *t, *reason;
	char reasons[TXT_MAX];
	size_t o = 0, reason_len;

	if (len == 0)
		return 0;
	t = cz->txt_reason[v->reason] ? cz->txt_reason[v->reason] : cz->txt;
	if (t == NULL) {
		if (cz->type == ZONE_DNSWL)
			t = "$ is whitelisted: $reason";
		else if (cz->url != NULL)
			t = "$ is listed: $reason; see $url";
		else
			t = "$ is listed: $reason";
	}
	if (v->test_point) {
		reason = test_point_text;
		reason_len = sizeof(test_point_text) - 1;
	} else if (cz->type == ZONE_HELO) {
		reason_len = helo_reasons_text(v, ip, reasons,
		    sizeof(reasons));
		reason = reasons;
	} else if (v->have_check && v->reason != REASON_BLACKLIST &&
	    v->check.detail[0] != '\0') {
		reason = v->check.detail;
		reason_len = strlen(reason);
	} else if (v->have_entry && v->entry.reason_len > 0) {
		reason = v->entry.reason;
		reason_len = v->entry.reason_len;
	} else {
		reason = reason_get(v->reason)->text;
		reason_len = strlen(reason);
	}
	while (*t) {
		if (t[0] != '$') {
			append(buf, len, &o, t++, 1);
		} else if (t[1] == '$') {
			append(buf, len, &o, "$", 1);
			t += 2;
		} else if (strncmp(t, "$reason", 7) == 0) {
			append(buf, len, &o, reason, reason_len);
			t += 7;
		} else if (strncmp(t, "$url", 4) == 0) {
			if (cz->url != NULL)
				expand_url(cz->url, ip, buf, len, &o);
			t += 4;
		} else {
			append(buf, len, &o, ip, strlen(ip));
			t++;
		}
	}
	buf[o] = '\0';
	return o;
}

/* The zone holding the query name, and the answer offset of its apex. */
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
	uint32_t seen[REASON_MAX];
	size_t n = 0, i;
	int k;

	if (v->reasons == 0 || v->test_point) {
		(void)resp_add_a(r, WIRE_HDRLEN, z->conf->ttl, v->code);
		return;
	}
	for (k = 0; k < REASON_MAX; k++) {
		if (!(v->reasons & (1U << k)))
			continue;
		for (i = 0; i < n; i++)
			if (seen[i] == z->conf->code[k])
				break;
		if (i < n)
			continue;
		seen[n++] = z->conf->code[k];
		(void)resp_add_a(r, WIRE_HDRLEN, z->conf->ttl,
		    z->conf->code[k]);
	}
}

/* The answer for a decided verdict (not v->need_check). */
static enum answer_kind
answer_verdict(struct answer_ctx *ctx, struct resp *r, const struct zone *z,
    uint16_t apex_off, uint16_t qtype, const struct verdict *v,
    const char *txt, size_t txtlen)
{
	if (v->unknown && !v->listed) {
		/* never a listing: the failure policy, briefly cached */
		if (z->conf->servfail)
			return ANS_FAILURE;
		resp_set_rcode(r, RCODE_NXDOMAIN);
		resp_section(r, SEC_AUTHORITY);
		add_soa(r, z, apex_off, ctx->failure_ttl <
		    z->conf->negative_ttl ? ctx->failure_ttl :
		    z->conf->negative_ttl);
		return ANS_FAILURE;
	}
	if (!v->listed)
		return negative(r, z, apex_off, 1);
	switch (qtype) {
	case TYPE_A:
		add_codes(r, z, v);
		break;
	case TYPE_TXT:
		(void)resp_add_txt(r, WIRE_HDRLEN, z->conf->ttl, txt, txtlen);
		break;
	case TYPE_ANY:
		add_codes(r, z, v);
		(void)resp_add_txt(r, WIRE_HDRLEN, z->conf->ttl, txt, txtlen);
		break;
	default:
		negative(r, z, apex_off, 0);
		return ANS_NODATA;
	}
	return ANS_LISTED;
}

/* The answer for an address or a HELO name (s). */
static enum answer_kind
answer_subject(struct answer_ctx *ctx, struct resp *r, const struct zone *z,
    uint16_t apex_off, uint16_t qtype, const struct check_subject *s)
{
	static const struct helo_env none;
	const struct check_result *fresh;
	struct verdict v;
	char txt[TXT_MAX], ip[ADDR_STRLEN];
	const char *subject = s->name;
	size_t txtlen = 0;
	int rc;

	if (store_read_begin(ctx->store, ctx->errbuf,
	    sizeof(ctx->errbuf)) != STORE_OK)
		return ANS_SERVFAIL;
	fresh = ctx->fresh != NULL &&
	    check_subject_equal(&ctx->fresh_subj, s) ? ctx->fresh : NULL;
	if (s->is_name)
		rc = zone_decide_helo(z, ctx->helo != NULL ? ctx->helo : &none,
		    ctx->store, s->name, ctx->now, fresh, &v, ctx->errbuf,
		    sizeof(ctx->errbuf));
	else
		rc = zone_decide(z, ctx->store, &s->a, ctx->now, fresh,
		    qtype != TYPE_TXT && qtype != TYPE_ANY, &v, ctx->errbuf,
		    sizeof(ctx->errbuf));
	if (rc == 0 && v.listed && (qtype == TYPE_TXT || qtype == TYPE_ANY)) {
		/* the address as text only for a TXT: it costs a printf */
		if (!s->is_name)
			subject = addr_format(&s->a, ip, sizeof(ip));
		txtlen = zone_txt(z, &v, subject, txt, sizeof(txt));
	}
	store_read_end(ctx->store);
	if (rc == -1)
		return ANS_SERVFAIL;
	ctx->cache_hit = v.have_check && fresh == NULL;
	if (v.need_check) {
		ctx->check_subj = *s;
		return ANS_NEED_CHECK;
	}
	return answer_verdict(ctx, r, z, apex_off, qtype, &v, txt, txtlen);
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

void
zone_parse(const struct answer_ctx *ctx, const uint8_t *pkt, size_t len,
    struct zone_query *zq)
{
	const struct query *q = &zq->q;
	int n;

	zq->rc = wire_parse_query(pkt, len, &zq->q);
	zq->z = NULL;
	zq->apex_off = 0;
	zq->what = QNAME_INVALID;
	if (zq->rc != WIRE_OK ||
	    (q->qclass != CLASS_IN && q->qclass != CLASS_ANY) ||
	    (zq->z = find_zone(ctx->zones, q, &zq->apex_off)) == NULL)
		return;
	n = q->nlabels - zq->z->apex_labels;
	if (n > 0 && zq->z->conf->type != ZONE_HELO)
		zq->what = qname_to_addr(q->qname_lc, n, &zq->a);
}

size_t
zone_answer(struct answer_ctx *ctx, const struct addr *peer, int tcp,
    const uint8_t *pkt, size_t len, const struct zone_query *zq,
    uint8_t *out, size_t outcap, enum answer_kind *kind)
{
	struct zone_query here;
	const struct query *q;
	struct resp r;
	const struct zone *z;
	struct check_subject s;
	uint16_t apex_off;
	enum wire_parse_rc rc;
	size_t limit;
	int n;

	ctx->errbuf[0] = '\0';
	ctx->zone_index = -1;
	ctx->cache_hit = 0;
	if (zq == NULL) {
		zone_parse(ctx, pkt, len, &here);
		zq = &here;
	}
	rc = zq->rc;
	q = &zq->q;
	if (rc != WIRE_DROP && !addrlist_match(ctx->allow, peer)) {
		/* outside allow-query: REFUSED, whatever the query was */
		*kind = ANS_REFUSED;
		resp_init(&r, out, outcap, WIRE_UDPMIN, q, RCODE_REFUSED, 0,
		    ctx->edns_size);
		return resp_finish(&r);
	}
	switch (rc) {
	case WIRE_DROP:
		*kind = ANS_DROPPED;
		return 0;
	case WIRE_FORMERR:
		*kind = ANS_FORMERR;
		resp_init(&r, out, outcap, WIRE_UDPMIN, q, RCODE_FORMERR, 0,
		    ctx->edns_size);
		return resp_finish(&r);
	case WIRE_NOTIMP:
		*kind = ANS_NOTIMP;
		resp_init(&r, out, outcap, WIRE_UDPMIN, q, RCODE_NOTIMP, 0,
		    ctx->edns_size);
		return resp_finish(&r);
	case WIRE_BADVERS:
		*kind = ANS_BADVERS;
		resp_init(&r, out, outcap, WIRE_UDPMIN, q, RCODE_BADVERS, 0,
		    ctx->edns_size);
		return resp_finish(&r);
	case WIRE_OK:
		break;
	}

	if (tcp)
		limit = 65535;
	else if (q->edns)
		limit = q->edns_size < WIRE_UDPMIN ? WIRE_UDPMIN :
		    q->edns_size > ctx->edns_size ? ctx->edns_size :
		    q->edns_size;
	else
		limit = WIRE_UDPMIN;

	/* another class, another zone (zone_parse), or a transfer */
	if ((z = zq->z) == NULL || q->qtype == 251 || q->qtype == 252) {
		*kind = ANS_REFUSED;
		resp_init(&r, out, outcap, limit, q, RCODE_REFUSED, 0,
		    ctx->edns_size);
		return resp_finish(&r);
	}

	apex_off = zq->apex_off;
	ctx->zone_index = (int)(z - ctx->zones->v);
	resp_init(&r, out, outcap, limit, q, RCODE_NOERROR, 1,
	    ctx->edns_size);
	n = q->nlabels - z->apex_labels;
	if (n == 0)
		*kind = answer_apex(&r, z, apex_off, q->qtype);
	else if (z->conf->type == ZONE_HELO) {
		/* no host name: nothing to judge or look up */
		if (helo_qname(q, n, s.name, sizeof(s.name)) == -1)
			*kind = negative(&r, z, apex_off, 1);
		else {
			s.is_name = 1;
			*kind = answer_subject(ctx, &r, z, apex_off, q->qtype,
			    &s);
		}
	} else {
		switch (zq->what) {
		case QNAME_ADDR:
			check_subject_addr(&s, &zq->a);
			*kind = answer_subject(ctx, &r, z, apex_off, q->qtype,
			    &s);
			break;
		case QNAME_PARTIAL:
			*kind = negative(&r, z, apex_off, 0);
			break;
		default:
			*kind = negative(&r, z, apex_off, 1);
			break;
		}
	}
	if (*kind == ANS_NEED_CHECK)
		return 0;
	if (*kind == ANS_SERVFAIL ||
	    (*kind == ANS_FAILURE && z->conf->servfail))
		resp_init(&r, out, outcap, limit, q, RCODE_SERVFAIL, 0,
		    ctx->edns_size);
	return resp_finish(&r);
}

int
zone_query_addr(const struct zone_query *zq, struct addr *a)
{
	if (zq->what != QNAME_ADDR || zq->a.af != ADDR_V4)
		return 0;
	*a = zq->a;
	return 1;
}

const char *
answer_kind_name(enum answer_kind k)
{
	static const char *const names[ANS_KIND_MAX] = {
		"refused", "apex", "listed", "nxdomain", "nodata", "formerr",
		"notimp", "servfail", "badvers", "dropped", "failure",
		"check"
	};

	return names[k];
}
