/* SPDX-License-Identifier: ISC */
/*
 * decide.c -- what a zone says about an address or a HELO name, and the
 * TXT text of a listing.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "decide.h"
#include "addr.h"
#include "conf.h"
#include "store.h"
#include "store_queue.h"
#include "txtsub.h"
#include "zone.h"

#define TXT_MAX		4096

static const char test_point_text[] = "RFC 5782 test point";

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
	v->nmore = 0;
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
		rc = verdict_cached(store, s, now, &v->check, errbuf, errlen);
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
	check_subject_host(&s, a);
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

/*
 * The zone's lists for a: the first that lists it goes to v->entry, the
 * others to v->more. An exclusion (rbldnsd "!") only carves the address
 * out of a wider range of its own list; the first one met is kept in
 * v->entry when no list lists the address. code is the reason's code.
 * Returns -1 on a store error.
 */
static int
decide_lists(const struct zone *z, struct store *store, const struct addr *a,
    const char *name, time_t now, int brief, enum reason reason,
    struct verdict *v, char *errbuf, size_t errlen)
{
	const struct conf_zone *cz = z->conf;
	struct store_entry ex, *e;
	enum store_rc rc;
	uint32_t code;
	size_t i;
	int have_ex = 0;

	for (i = 0; i < z->nlists; i++) {
		if (z->lists[i] == ZONE_NOLIST)
			continue;
		e = !v->listed ? &v->entry : &v->more[v->nmore].entry;
		rc = a != NULL ? store_lookup(store, z->lists[i], a, now,
		    brief, e, errbuf, errlen) : store_lookup_name(store,
		    z->lists[i], name, now, e, errbuf, errlen);
		if (rc == STORE_ERROR)
			return -1;
		if (rc != STORE_OK)
			continue;
		if (e->flags & ENTRY_EXCLUDE) {
			if (!v->listed && !have_ex) {
				ex = *e;
				have_ex = 1;
			}
			continue;
		}
		code = e->code ? e->code : cz->lists[i].code ?
		    cz->lists[i].code : cz->code[reason];
		if (!v->listed) {
			v->listed = 1;
			v->have_entry = 1;
			v->entry_list = z->lists[i];
			v->reason = reason;
			v->code = code;
		} else {
			v->more[v->nmore].list = z->lists[i];
			v->more[v->nmore].code = code;
			v->nmore++;
		}
	}
	if (!v->listed && have_ex) {
		v->entry = ex;
		v->have_entry = 1;
		v->entry_list = z->lists[0];
	}
	return 0;
}

/* The address is exempted by ex, an entry of z's exempt list. */
static void
exempted(const struct zone *z, const struct store_entry *ex,
    struct verdict *v)
{
	verdict_clear(v);
	v->entry = *ex;
	v->have_entry = 1;
	v->entry_list = z->exempt;
	v->exempt = 1;
}

/*
 * The entries' part of the verdict of z for a: for a dnsbl zone the
 * white list, the exemptions and the lists, for a dnswl zone its lists.
 * Returns 1 when they decide, 0 when the computed checks are next, -1
 * on a store error.
 */
static int
decide_entries(const struct zone *z, struct store *store,
    const struct addr *a, time_t now, int brief, struct verdict *v,
    char *errbuf, size_t errlen)
{
	const struct conf_zone *cz = z->conf;
	struct store_entry ex;
	enum store_rc rc;
	int self = 0;

	if (cz->type == ZONE_DNSWL)
		return decide_lists(z, store, a, NULL, now, brief,
		    REASON_WHITELIST, v, errbuf, errlen) == -1 ? -1 : 1;
	if (cz->type != ZONE_DNSBL)
		return 1;

	/* A whitelisted address is listed by no dnsbl zone. */
	rc = store_lookup(store, LIST_WHITE, a, now, brief, &v->entry,
	    errbuf, errlen);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_OK) {
		v->have_entry = 1;
		v->entry_list = LIST_WHITE;
		if (!(v->entry.flags & ENTRY_EXCLUDE)) {
			v->white = 1;
			return 1;
		}
	}
	/* Nor is an address with a delisting exemption (no exclusions). */
	if (z->exempt != ZONE_NOLIST) {
		rc = store_lookup(store, z->exempt, a, now, brief, &ex, errbuf,
		    errlen);
		if (rc == STORE_ERROR)
			return -1;
		if (rc == STORE_OK && !(ex.flags & ENTRY_EXCLUDE))
			self = (ex.flags & ENTRY_SELF) ? 1 : -1;
	}
	/* A reviewer's exemption wins over everything. */
	if (self == -1) {
		exempted(z, &ex, v);
		return 1;
	}
	if (cz->checks & (1U << REASON_BLACKLIST)) {
		if (decide_lists(z, store, a, NULL, now, brief,
		    REASON_BLACKLIST, v, errbuf, errlen) == -1)
			return -1;
		if (v->listed)
			return 1;
	}
	/*
	 * A self-service one only over the computed checks: a click must
	 * never undo what an administrator or an imported list listed.
	 */
	if (self == 1) {
		exempted(z, &ex, v);
		return 1;
	}
	/*
	 * An exclusion only carves the address out of a wider range; the
	 * computed checks still apply (the white list is what exempts from
	 * everything).
	 */
	return 0;
}

int
decide_addr(const struct zone *z, struct store *store, const struct addr *a,
    time_t now, const struct check_result *fresh, int brief,
    struct verdict *v, char *errbuf, size_t errlen)
{
	const struct conf_zone *cz = z->conf;
	struct addr v4;
	int tp, rc;

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
	rc = decide_entries(z, store, a, now, brief, v, errbuf, errlen);
	/*
	 * An IPv4-mapped address: its IPv6 entries first (rbldnsd's
	 * answer), and when none covers it, the IPv4 address's.
	 */
	if (rc != -1 && !v->have_entry && addr_unmap(a, &v4)) {
		verdict_clear(v);
		rc = decide_entries(z, store, &v4, now, brief, v, errbuf,
		    errlen);
	}
	if (rc != 0)
		return rc == -1 ? -1 : 0;
	return decide_computed(z, store, a, now, fresh, v, errbuf, errlen);
}

int
decide_name(const struct zone *z, struct store *store, const char *name,
    time_t now, struct verdict *v, char *errbuf, size_t errlen)
{
	const struct conf_zone *cz = z->conf;

	verdict_clear(v);
	/* RFC 5782 section 5: TEST is listed, INVALID is not */
	if (strcmp(name, "test") == 0 || strcmp(name, "invalid") == 0) {
		v->test_point = 1;
		if (name[0] == 't') {
			v->listed = 1;
			v->reason = REASON_DOMAIN;
			v->code = cz->code[REASON_DOMAIN];
		}
		return 0;
	}
	if (!(cz->checks & (1U << REASON_DOMAIN)))
		return 0;
	return decide_lists(z, store, NULL, name, now, 0, REASON_DOMAIN, v,
	    errbuf, errlen);
}

int
decide_bind(struct zoneset *zs, const struct conf *conf, struct store *store,
    int create, size_t *converted, char *errbuf, size_t errlen)
{
	const struct conf_zone *cz;
	struct zone *z;
	enum store_rc rc;
	unsigned exempt;
	size_t i, j;
	int kind;

	rc = store_exempt_open(store, create, "rdnsbld", &exempt, converted,
	    errbuf, errlen);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_NOTFOUND)
		exempt = ZONE_NOLIST;
	for (i = 0; i < zs->n; i++) {
		z = &zs->v[i];
		cz = z->conf;
		z->exempt = exempt;
		z->nlists = 0;
		for (j = 0; j < cz->nlists && j < ZONE_LISTS_MAX; j++) {
			kind = conf_list_kind(conf, cz->lists[j].name);
			rc = store_list_open(store, cz->lists[j].name,
			    kind < 0 ? LIST_KIND_IP : (enum list_kind)kind,
			    create, &z->lists[j], errbuf, errlen);
			if (rc == STORE_ERROR)
				return -1;
			if (rc == STORE_NOTFOUND)
				z->lists[j] = ZONE_NOLIST;
			z->nlists++;
		}
	}
	return 0;
}

int
decide_helo(const struct zone *z, const struct helo_env *env,
    struct store *store, const char *name, time_t now,
    const struct check_result *fresh, struct verdict *v, char *errbuf,
    size_t errlen)
{
	static const struct helo_env none;
	const struct conf_zone *cz = z->conf;
	struct check_subject s;
	int r;

	if (env == NULL)
		env = &none;
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
	/* bad-name: the zone's domain lists, as well as the file */
	if ((cz->checks & (1U << REASON_BAD_NAME)) && v->helo.form ==
	    HELO_NAME && !(v->reasons & (1U << REASON_BAD_NAME)) &&
	    z->nlists > 0) {
		if (decide_lists(z, store, NULL, name, now, 0, REASON_BAD_NAME,
		    v, errbuf, errlen) == -1)
			return -1;
		if (v->listed)
			v->reasons |= 1U << REASON_BAD_NAME;
		v->listed = 0;
		v->nmore = 0;
	}
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

int
decide_zones(const struct zoneset *zs, struct store *store,
    const struct helo_env *env, const struct check_subject *s, time_t now,
    const struct check_result *fresh, decide_zone_fn *fn, void *arg,
    char *errbuf, size_t errlen)
{
	const struct zone *z;
	struct verdict v;
	size_t i;
	int rc = 0;

	if (store_read_begin(store, errbuf, errlen) != STORE_OK)
		return -1;
	for (i = 0; i < zs->n && rc == 0; i++) {
		z = &zs->v[i];
		if ((z->conf->type == ZONE_HELO ||
		    z->conf->type == ZONE_RHSBL) != (s->is_name != 0))
			continue;
		if (z->conf->type == ZONE_RHSBL)
			rc = decide_name(z, store, s->name, now, &v, errbuf,
			    errlen);
		else if (s->is_name)
			rc = decide_helo(z, env, store, s->name, now, fresh, &v,
			    errbuf, errlen);
		else
			rc = decide_addr(z, store, &s->a, now, fresh, 0, &v,
			    errbuf, errlen);
		if (rc == 0 && fn(arg, z, &v) != 0)
			break;
	}
	store_read_end(store);
	return rc == -1 ? -1 : 0;
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
		} else if (r == REASON_BAD_NAME && v->have_entry &&
		    v->entry.dname != NULL) {
			snprintf(one, sizeof(one), "%s (%s%.*s)", t,
			    (v->entry.flags & ENTRY_WILD) ? "*." : "",
			    (int)v->entry.dname_len, v->entry.dname);
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
decide_entry_text(const struct store_entry *e, const char *subject,
    char *buf, size_t len)
{
	char hex[ADDR_STRLEN];
	struct addr a;
	size_t o = 0;

	if (len == 0)
		return 0;
	/* rbldnsd writes IPv6 without a dotted IPv4 tail */
	if (memchr(e->reason, '$', e->reason_len) != NULL &&
	    strchr(subject, ':') != NULL && strchr(subject, '.') != NULL &&
	    addr_parse(subject, 0, &a, hex, sizeof(hex)) == 0)
		subject = addr_format_hex(&a, hex, sizeof(hex));
	txtsub_expand(e->reason, e->reason_len, subject, buf, len, &o);
	buf[o] = '\0';
	return o;
}

/* The TXT text of v, with e the entry whose reason it gives (or NULL). */
static size_t
txt_of(const struct zone *z, const struct verdict *v,
    const struct store_entry *e, const char *ip, char *buf, size_t len)
{
	const struct conf_zone *cz = z->conf;
	const char *t, *reason;
	char reasons[TXT_MAX], dname[STORE_DNAME_MAX + 1];
	size_t o = 0, reason_len;

	if (len == 0)
		return 0;
	/* rbldnsd's dnset: "$" is the listed entry's name */
	if (cz->type == ZONE_RHSBL && e != NULL && e->dname != NULL &&
	    e->dname_len < sizeof(dname)) {
		memcpy(dname, e->dname, e->dname_len);
		dname[e->dname_len] = '\0';
		ip = dname;
	}
	t = zone_txt_template(z, v->reason);
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
	} else if (e != NULL && e->reason_len > 0) {
		reason_len = decide_entry_text(e, ip, reasons,
		    sizeof(reasons));
		reason = reasons;
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

size_t
decide_txt(const struct zone *z, const struct verdict *v, const char *ip,
    char *buf, size_t len)
{
	return txt_of(z, v, v->have_entry ? &v->entry : NULL, ip, buf, len);
}

int
decide_has_txt(const struct zone *z, const struct verdict *v, size_t i)
{
	const struct store_entry *e;

	if (z->conf->type == ZONE_HELO || v->test_point)
		return 1;
	if (i == 0)
		e = v->have_entry ? &v->entry : NULL;
	else
		e = i <= v->nmore ? &v->more[i - 1].entry : NULL;
	return e == NULL || !(e->flags & ENTRY_NOTXT);
}

size_t
decide_txt_more(const struct zone *z, const struct verdict *v, size_t i,
    const char *ip, char *buf, size_t len)
{
	return txt_of(z, v, i < v->nmore ? &v->more[i].entry : NULL, ip, buf,
	    len);
}

const char *
decide_rule(const struct zone *z, const struct verdict *v)
{
	size_t i;

	if (!v->listed || v->test_point)
		return "";
	if (v->reasons & (1U << REASON_HELO_DYNAMIC))
		return v->helo.rule != NULL ? v->helo.rule : "";
	if (v->reason == REASON_DYNAMIC)
		return v->have_check ? v->check.rule : "";
	if (!v->have_entry)
		return "";
	for (i = 0; i < z->nlists && i < z->conf->nlists; i++)
		if (z->lists[i] == v->entry_list)
			return z->conf->lists[i].name;
	return "";
}

size_t
decide_codes(const struct zone *z, const struct verdict *v, uint32_t *out)
{
	uint32_t c;
	size_t n = 0, i;
	int k;

	if (v->reasons == 0 || v->test_point) {
		out[n++] = v->code;
		for (k = 0; k < (int)v->nmore; k++) {
			c = v->more[k].code;
			for (i = 0; i < n && out[i] != c; i++)
				;
			if (i == n)
				out[n++] = c;
		}
		return n;
	}
	for (k = 0; k < REASON_MAX; k++) {
		if (!(v->reasons & (1U << k)))
			continue;
		for (i = 0; i < n; i++)
			if (out[i] == z->conf->code[k])
				break;
		if (i == n)
			out[n++] = z->conf->code[k];
	}
	return n;
}

int
decide_txts(const struct zone *z, const struct verdict *v,
    const char *subject, decide_txts_fn *fn, void *arg)
{
	char txt[TXT_MAX], more[TXT_MAX], seen[TXT_MAX];
	size_t len = 0, n, i, k;
	int first = decide_has_txt(z, v, 0), rc;

	if (first) {
		len = decide_txt(z, v, subject, txt, sizeof(txt));
		if ((rc = fn(arg, txt, len)) != 0)
			return rc;
	}
	for (i = 0; i < v->nmore; i++) {
		if (!decide_has_txt(z, v, i + 1))
			continue;
		n = decide_txt_more(z, v, i, subject, more, sizeof(more));
		if (first && n == len && memcmp(more, txt, n) == 0)
			continue;
		for (k = 0; k < i; k++)
			if (decide_has_txt(z, v, k + 1) &&
			    decide_txt_more(z, v, k, subject, seen,
			    sizeof(seen)) == n && memcmp(seen, more, n) == 0)
				break;
		if (k == i && (rc = fn(arg, more, n)) != 0)
			return rc;
	}
	return 0;
}
