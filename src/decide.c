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
decide_addr(const struct zone *z, struct store *store, const struct addr *a,
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
		if ((z->conf->type == ZONE_HELO) != (s->is_name != 0))
			continue;
		if (s->is_name)
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

size_t
decide_txt(const struct zone *z, const struct verdict *v, const char *ip,
    char *buf, size_t len)
{
	const struct conf_zone *cz = z->conf;
	const char *t, *reason;
	char reasons[TXT_MAX];
	size_t o = 0, reason_len;

	if (len == 0)
		return 0;
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
	} else if (v->have_entry && v->entry.reason_len > 0) {
		reason_len = decide_entry_text(&v->entry, ip, reasons,
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
