/* SPDX-License-Identifier: ISC */
/*
 * rulestats.c -- the statistics per rule and reason: counts in memory,
 * written to the store now and then, and viewed with the store's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rulestats.h"
#include "reason.h"
#include "store.h"
#include "util.h"

struct slot {
	int		 used;
	struct store_stat s;
};

struct rulestats {
	unsigned	 keep;		/* hours */
	size_t		 used;
	uint64_t	 dropped;
	struct slot	 slot[RULESTATS_SLOTS];
};

struct rulestats *
rulestats_new(unsigned keep_hours)
{
	struct rulestats *rs = xcalloc(1, sizeof(*rs));

	rulestats_set_keep(rs, keep_hours);
	return rs;
}

void
rulestats_free(struct rulestats *rs)
{
	free(rs);
}

void
rulestats_set_keep(struct rulestats *rs, unsigned keep_hours)
{
	rs->keep = keep_hours > 0 ? keep_hours : 1;
}

unsigned
rulestats_keep_hours(uint32_t seconds)
{
	return seconds > 3600 ? (unsigned)((seconds + 3599ULL) / 3600) : 1;
}

uint32_t
rulestats_hour(time_t t)
{
	return t > 0 ? (uint32_t)(t / 3600) : 0;
}

/* FNV-1a of the key of a count. */
static uint32_t
slot_hash(enum store_stat_kind kind, uint32_t hour, const char *reason,
    const char *rule)
{
	uint32_t h = 2166136261U ^ (uint32_t)kind;
	const char *p;

	h = (h ^ hour) * 16777619U;
	for (p = reason; *p != '\0'; p++)
		h = (h ^ (uint8_t)*p) * 16777619U;
	h = (h ^ 0xff) * 16777619U;
	for (p = rule; *p != '\0'; p++)
		h = (h ^ (uint8_t)*p) * 16777619U;
	return h;
}

/* Add n to the count of kind, hour, reason and rule (open addressing). */
static void
count(struct rulestats *rs, enum store_stat_kind kind, uint32_t hour,
    const char *reason, const char *rule, uint64_t n)
{
	struct slot *sl;
	size_t i, k;

	if (rule == NULL)
		rule = "";
	i = slot_hash(kind, hour, reason, rule) % RULESTATS_SLOTS;
	for (k = 0; k < RULESTATS_SLOTS; k++, i = (i + 1) % RULESTATS_SLOTS) {
		sl = &rs->slot[i];
		if (!sl->used)
			break;
		if (sl->s.kind == kind && sl->s.hour == hour &&
		    strcmp(sl->s.reason, reason) == 0 &&
		    strncmp(sl->s.rule, rule, STORE_STAT_RULEMAX) == 0 &&
		    strlen(rule) <= STORE_STAT_RULEMAX) {
			sl->s.count += n;
			return;
		}
	}
	/* a quarter free, so that a probe stays short */
	if (k == RULESTATS_SLOTS || rs->used >= RULESTATS_SLOTS * 3 / 4) {
		rs->dropped += n;
		return;
	}
	sl->used = 1;
	rs->used++;
	sl->s.kind = kind;
	sl->s.hour = hour;
	str_copy(sl->s.reason, reason, sizeof(sl->s.reason));
	str_copy(sl->s.rule, rule, sizeof(sl->s.rule));
	sl->s.count = n;
}

int
rulestats_has_rule(int r)
{
	return r == REASON_BLACKLIST || r == REASON_DYNAMIC ||
	    r == REASON_WHITELIST || r == REASON_HELO_DYNAMIC ||
	    r == REASON_DOMAIN;
}

const char *
rulestats_reason(int r)
{
	static const char *const names[REASON_MAX] = {
		[REASON_BAD_NAME] = "helo-bad-name",
		[REASON_NO_DOT] = "helo-no-dot",
		[REASON_OWN_NAME] = "helo-own-name",
		[REASON_NO_DNS] = "helo-no-dns",
		[REASON_HELO_DYNAMIC] = "helo-dynamic",
		[REASON_BARE_IP] = "helo-bare-ip",
		[REASON_DOMAIN] = "rhsbl-blacklist"
	};

	if (r < 0 || r >= REASON_MAX)
		return "?";
	return names[r] != NULL ? names[r] : reason_get(r)->key;
}

void
rulestats_listing(struct rulestats *rs, unsigned reasons, const char *rule,
    time_t now)
{
	uint32_t hour = rulestats_hour(now);
	int k;

	for (k = 0; k < REASON_MAX; k++)
		if (reasons & (1U << k))
			count(rs, STAT_LISTING, hour, rulestats_reason(k),
			    rulestats_has_rule(k) ? rule : "", 1);
}

/* The reason key that starts p (len bytes), or NULL. */
static const char *
reason_key(const char *p, size_t len)
{
	const char *key;
	int k;

	for (k = 0; k < REASON_MAX; k++) {
		key = reason_get(k)->key;
		if (strlen(key) == len && memcmp(key, p, len) == 0)
			return key;
	}
	return NULL;
}

size_t
rulestats_why(const char *why, enum store_stat_kind kind, uint32_t hour,
    struct store_stat *out, size_t max)
{
	const char *p = why, *end, *colon, *key, *paren, *close;
	size_t n = 0, i, len, rlen;

	while (p != NULL && *p != '\0' && n < max) {
		if ((end = strstr(p, "; ")) == NULL)
			end = p + strlen(p);
		/* "ZONE: KEY" or "ZONE: KEY (RULE)" */
		colon = memchr(p, ':', (size_t)(end - p));
		if (colon == NULL || colon + 2 > end || colon[1] != ' ')
			goto next;
		key = colon + 2;
		paren = memchr(key, ' ', (size_t)(end - key));
		len = (size_t)((paren != NULL ? paren : end) - key);
		if ((key = reason_key(key, len)) == NULL)
			goto next;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].kind = kind;
		out[n].hour = hour;
		out[n].count = 1;
		str_copy(out[n].reason, key, sizeof(out[n].reason));
		if (paren != NULL && paren + 2 < end && paren[1] == '(' &&
		    (close = memchr(paren, ')', (size_t)(end - paren))) !=
		    NULL) {
			rlen = (size_t)(close - paren - 2);
			if (rlen > STORE_STAT_RULEMAX)
				rlen = STORE_STAT_RULEMAX;
			memcpy(out[n].rule, paren + 2, rlen);
			out[n].rule[rlen] = '\0';
		}
		for (i = 0; i < n; i++)
			if (strcmp(out[i].reason, out[n].reason) == 0 &&
			    strcmp(out[i].rule, out[n].rule) == 0)
				break;
		if (i == n)
			n++;
next:
		p = *end != '\0' ? end + 2 : end;
	}
	if (n == 0 && max > 0) {
		memset(&out[0], 0, sizeof(out[0]));
		out[0].kind = kind;
		out[0].hour = hour;
		out[0].count = 1;
		str_copy(out[0].reason, "none", sizeof(out[0].reason));
		n = 1;
	}
	return n;
}

void
rulestats_request(struct rulestats *rs, enum store_stat_kind kind,
    const char *why, time_t now)
{
	struct store_stat s[REASON_MAX * 4];
	size_t n, i;

	n = rulestats_why(why, kind, rulestats_hour(now), s,
	    sizeof(s) / sizeof(s[0]));
	for (i = 0; i < n; i++)
		count(rs, kind, s[i].hour, s[i].reason, s[i].rule, 1);
}

int
rulestats_flush(struct rulestats *rs, struct store *st, time_t now,
    uint64_t *dropped, char *errbuf, size_t errlen)
{
	struct store_stat *v;
	uint32_t hour = rulestats_hour(now);
	size_t n = 0, i;
	enum store_rc rc;

	if (dropped != NULL) {
		*dropped = rs->dropped;
		rs->dropped = 0;
	}
	if (rs->used == 0)
		return 0;
	v = xcalloc(rs->used, sizeof(*v));
	for (i = 0; i < RULESTATS_SLOTS; i++)
		if (rs->slot[i].used)
			v[n++] = rs->slot[i].s;
	rc = store_stats_add(st, v, n, hour >= rs->keep ?
	    hour - rs->keep + 1 : 0, errbuf, errlen);
	free(v);
	if (rc == STORE_ERROR)
		return -1;
	/* STORE_NOTFOUND: a store opened to read; nothing to keep them in */
	memset(rs->slot, 0, sizeof(rs->slot));
	rs->used = 0;
	return 0;
}

/* The series of v for kind, reason and rule, added if new. */
static struct rulestats_series *
series(struct rulestats_view *v, size_t *cap, const struct store_stat *s)
{
	struct rulestats_series *x;
	size_t i;

	for (i = 0; i < v->n; i++) {
		x = &v->v[i];
		if (x->kind == s->kind && strcmp(x->reason, s->reason) == 0 &&
		    strcmp(x->rule, s->rule) == 0)
			return x;
	}
	if (v->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		v->v = xreallocarray(v->v, *cap, sizeof(*v->v));
	}
	x = &v->v[v->n++];
	memset(x, 0, sizeof(*x));
	x->kind = s->kind;
	str_copy(x->reason, s->reason, sizeof(x->reason));
	str_copy(x->rule, s->rule, sizeof(x->rule));
	x->hours = xcalloc(v->nhours ? v->nhours : 1, sizeof(*x->hours));
	return x;
}

struct view_walk {
	struct rulestats_view	*v;
	size_t			 cap;
};

/* Add the count of s (an hourly or an all-time bucket) to the view. */
static void
view_add(struct view_walk *w, const struct store_stat *s, int pending)
{
	struct rulestats_view *v = w->v;
	struct rulestats_series *x = series(v, &w->cap, s);

	if (s->hour == STORE_STAT_TOTAL || pending)
		x->total += s->count;
	if (s->hour != STORE_STAT_TOTAL && s->hour >= v->first &&
	    s->hour - v->first < v->nhours) {
		x->hours[s->hour - v->first] += s->count;
		x->recent += s->count;
	}
}

static int
view_record(void *arg, const struct store_stat *s)
{
	view_add(arg, s, 0);
	return 0;
}

static int
series_cmp(const void *a, const void *b)
{
	const struct rulestats_series *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->recent != y->recent)
		return x->recent > y->recent ? -1 : 1;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	if ((c = strcmp(x->reason, y->reason)) != 0)
		return c;
	return strcmp(x->rule, y->rule);
}

int
rulestats_view(const struct rulestats *rs, struct store *st, time_t now,
    size_t nhours, struct rulestats_view *out, char *errbuf, size_t errlen)
{
	struct view_walk w;
	uint32_t hour = rulestats_hour(now);
	size_t i;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (nhours == 0)
		nhours = 1;
	if (nhours > (size_t)hour + 1)
		nhours = (size_t)hour + 1;
	out->nhours = nhours;
	out->first = hour + 1 - (uint32_t)nhours;
	w.v = out;
	w.cap = 0;
	if (st != NULL && store_stats_walk(st, out->first, view_record, &w,
	    errbuf, errlen) != STORE_OK)
		ret = -1;
	for (i = 0; rs != NULL && i < RULESTATS_SLOTS; i++)
		if (rs->slot[i].used)
			view_add(&w, &rs->slot[i].s, 1);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), series_cmp);
	return ret;
}

void
rulestats_view_clear(struct rulestats_view *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i].hours);
	free(v->v);
	memset(v, 0, sizeof(*v));
}
