/* SPDX-License-Identifier: ISC */
/*
 * verdict.c -- the verdicts of the computed checks, their subjects, and
 * their translation to and from the store's cache.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "verdict.h"
#include "reason.h"
#include "store.h"
#include "store_cache.h"
#include "util.h"

static const char *const verdict_names[CV_MAX] = {
	"pass", "no-ptr", "unconfirmed", "dynamic", "unknown", "no-dns"
};

const char *
cverdict_name(enum cverdict v)
{
	return v < CV_MAX ? verdict_names[v] : "?";
}

int
cverdict_reason(enum cverdict v)
{
	switch (v) {
	case CV_NO_PTR:
		return REASON_NO_PTR;
	case CV_UNCONFIRMED:
		return REASON_UNCONFIRMED;
	case CV_DYNAMIC:
		return REASON_DYNAMIC;
	case CV_NO_DNS:
		return REASON_NO_DNS;
	default:
		return -1;
	}
}

void
check_subject_addr(struct check_subject *s, const struct addr *a)
{
	s->is_name = 0;
	s->a = *a;
	s->name[0] = '\0';
}

void
check_subject_host(struct check_subject *s, const struct addr *a)
{
	struct addr v4;

	check_subject_addr(s, addr_unmap(a, &v4) ? &v4 : a);
}

int
check_subject_name(struct check_subject *s, const char *name)
{
	memset(&s->a, 0, sizeof(s->a));
	s->is_name = 1;
	return str_copy(s->name, name, sizeof(s->name)) < sizeof(s->name) ?
	    0 : -1;
}

int
check_subject_equal(const struct check_subject *x,
    const struct check_subject *y)
{
	if (x->is_name != y->is_name)
		return 0;
	return x->is_name ? strcmp(x->name, y->name) == 0 :
	    addr_equal(&x->a, &y->a);
}

const char *
check_subject_text(const struct check_subject *s, char *buf, size_t len)
{
	if (s->is_name) {
		str_copy(buf, s->name, len);
		return buf;
	}
	return addr_format(&s->a, buf, len);
}

/* The cache key of s into key (STORE_CACHE_KEYMAX bytes); 0 if none. */
static size_t
subject_key(const struct check_subject *s, uint8_t *key)
{
	return s->is_name ? store_cache_key_name(s->name, key) :
	    store_cache_key_addr(&s->a, key);
}

/* Copy n bytes of src into the string dst (len bytes), cut if need be. */
static void
copy_field(char *dst, size_t len, const char *src, size_t n)
{
	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * The cached names field holds the confirming name, a NUL, then the PTR
 * names (or a name's addresses) as shown: one field for both.
 */
enum store_rc
verdict_cached(struct store *st, const struct check_subject *s, time_t now,
    struct check_result *r, char *errbuf, size_t errlen)
{
	uint8_t key[STORE_CACHE_KEYMAX];
	struct store_verdict v;
	enum store_rc rc;
	size_t klen, n;

	if ((klen = subject_key(s, key)) == 0)
		return STORE_NOTFOUND;
	rc = store_cache_get(st, key, klen, now, &v, errbuf, errlen);
	if (rc != STORE_OK)
		return rc;
	memset(r, 0, sizeof(*r));
	r->verdict = v.verdict < CV_MAX ? (enum cverdict)v.verdict :
	    CV_UNKNOWN;
	r->checked = (time_t)v.checked;
	r->expires = (time_t)v.expires;
	r->cached = 1;
	copy_field(r->rule, sizeof(r->rule), v.rule, v.rule_len);
	copy_field(r->detail, sizeof(r->detail), v.detail, v.detail_len);
	n = strnlen(v.names, v.names_len);
	copy_field(r->confirmed, sizeof(r->confirmed), v.names, n);
	if (n + 1 < v.names_len)
		copy_field(r->names, sizeof(r->names), v.names + n + 1,
		    v.names_len - n - 1);
	return STORE_OK;
}

enum store_rc
verdict_store(struct store *st, const struct check_subject *s,
    const struct check_result *r, char *errbuf, size_t errlen)
{
	uint8_t key[STORE_CACHE_KEYMAX];
	struct store_verdict v;
	char names[sizeof(r->confirmed) + sizeof(r->names)];
	size_t klen, n, m;

	if ((klen = subject_key(s, key)) == 0) {
		snprintf(errbuf, errlen, "no cache key for the subject");
		return STORE_ERROR;
	}
	n = strnlen(r->confirmed, sizeof(r->confirmed) - 1);
	memcpy(names, r->confirmed, n);
	names[n++] = '\0';
	m = strnlen(r->names, sizeof(r->names) - 1);
	memcpy(names + n, r->names, m);
	memset(&v, 0, sizeof(v));
	v.verdict = r->verdict;
	v.checked = r->checked;
	v.expires = r->expires;
	v.rule = r->rule;
	v.rule_len = strlen(r->rule);
	v.names = names;
	v.names_len = n + m;
	v.detail = r->detail;
	v.detail_len = strlen(r->detail);
	return store_cache_put(st, key, klen, &v, errbuf, errlen);
}

enum store_rc
verdict_forget(struct store *st, const struct check_subject *s,
    char *errbuf, size_t errlen)
{
	uint8_t key[STORE_CACHE_KEYMAX];
	size_t klen;

	if ((klen = subject_key(s, key)) == 0)
		return STORE_NOTFOUND;
	return store_cache_del(st, key, klen, NULL, errbuf, errlen);
}
