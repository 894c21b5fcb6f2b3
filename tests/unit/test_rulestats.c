/* SPDX-License-Identifier: ISC */
/*
 * test_rulestats.c -- the statistics per rule (rulestats.h) against a
 * temporary store: the "listed for" text of a request read back, counts
 * in memory written to hourly buckets and all-time totals, the hours
 * kept, a view of the store with the counts not yet written; and their
 * label text escaped in /metrics (metrics.h) and on the /stats page
 * (statpage.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "rulestats.h"
#include "metrics.h"
#include "reason.h"
#include "statpage.h"
#include "store.h"
#include "store_stats.h"
#include "../tap.h"

/* The text of b, NUL-terminated, for free(); b is freed. */
static char *
drain(struct evbuffer *b)
{
	size_t n = evbuffer_get_length(b);
	char *s = malloc(n + 1);

	evbuffer_copyout(b, s, n);
	s[n] = '\0';
	evbuffer_free(b);
	return s;
}

/* The series of v for kind, reason and rule, or NULL. */
static const struct rulestats_series *
find(const struct rulestats_view *v, enum store_stat_kind k,
    const char *reason, const char *rule)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->v[i].kind == k && strcmp(v->v[i].reason, reason) == 0 &&
		    strcmp(v->v[i].rule, rule) == 0)
			return &v->v[i];
	return NULL;
}

static uint64_t
total(const struct rulestats_view *v, enum store_stat_kind k,
    const char *reason, const char *rule)
{
	const struct rulestats_series *x = find(v, k, reason, rule);

	return x != NULL ? x->total : 0;
}

static void
test_why(void)
{
	struct store_stat s[8];
	size_t n;

	n = rulestats_why("bl.test: dynamic (s25r-2); strict.test: dynamic "
	    "(s25r-2); list.test: blacklist (spam)", STAT_REQUEST, 7, s, 8);
	is_int(n, 2, "why: two zones of one rule count once, a list once");
	is_str(s[0].reason, "dynamic", "why: the reason key");
	is_str(s[0].rule, "s25r-2", "why: the rule in parentheses");
	is_str(s[1].rule, "spam", "why: the list that listed");
	ok(s[0].kind == STAT_REQUEST && s[0].hour == 7 && s[0].count == 1,
	    "why: kind, hour and count 1");
	n = rulestats_why("bl.test: no-ptr; the checks could not run: a DNS "
	    "lookup failed", STAT_APPROVAL, 7, s, 8);
	is_int(n, 1, "why: a note that is no listing is skipped");
	ok(strcmp(s[0].reason, "no-ptr") == 0 && s[0].rule[0] == '\0',
	    "why: a reason without a rule");
	n = rulestats_why("", STAT_REQUEST, 7, s, 8);
	ok(n == 1 && strcmp(s[0].reason, "none") == 0,
	    "why: nothing listed counts as none");
	n = rulestats_why("bl.test: bogus (x)", STAT_REQUEST, 7, s, 8);
	ok(n == 1 && strcmp(s[0].reason, "none") == 0,
	    "why: an unknown reason key is not counted as one");
}

static void
test_store(void)
{
	char dir[] = "/tmp/test_rulestats.XXXXXX", errbuf[256], cmd[64];
	struct rulestats *rs;
	struct rulestats_view v;
	struct store *st;
	const struct rulestats_series *x;
	time_t now = 1000 * 3600 + 60;	/* hour 1000 */
	uint64_t dropped = 99;
	int rc;

	if (mkdtemp(dir) == NULL) {
		ok(0, "store: mkdtemp");
		return;
	}
	st = store_open(dir, 0, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "store: opened (%s)", st ? "" : errbuf);
	if (st == NULL)
		return;
	rs = rulestats_new(4);
	rulestats_listing(rs, 1U << REASON_DYNAMIC, "s25r-2", now);
	rulestats_listing(rs, 1U << REASON_DYNAMIC, "s25r-2", now);
	rulestats_listing(rs, 1U << REASON_NO_PTR, "ignored", now);
	rulestats_listing(rs, (1U << REASON_NO_DOT) |
	    (1U << REASON_HELO_DYNAMIC), "s25r-6", now);
	rulestats_request(rs, STAT_REQUEST, "bl.test: dynamic (s25r-2)", now);

	rc = rulestats_view(rs, st, now, 3, &v, errbuf, sizeof(errbuf));
	ok(rc == 0, "view: before a write, the counts in memory");
	is_int(total(&v, STAT_LISTING, "dynamic", "s25r-2"), 2,
	    "view: two dynamic s25r-2 listings");
	is_int(total(&v, STAT_LISTING, "no-ptr", ""), 1,
	    "view: no-ptr has no rule, whatever is given");
	is_int(total(&v, STAT_LISTING, "helo-no-dot", ""), 1,
	    "view: a helo answer counts each reason, no-dot without a rule");
	is_int(total(&v, STAT_LISTING, "helo-dynamic", "s25r-6"), 1,
	    "view: ... and helo-dynamic with its rule");
	x = find(&v, STAT_LISTING, "dynamic", "s25r-2");
	ok(x != NULL && v.nhours == 3 && x->hours[2] == 2 && x->recent == 2,
	    "view: the current hour is the last of 3");
	ok(v.n > 0 && v.v[0].kind == STAT_LISTING &&
	    strcmp(v.v[0].reason, "dynamic") == 0,
	    "view: the most counted listing first");
	rulestats_view_clear(&v);

	ok(rulestats_flush(rs, st, now, &dropped, errbuf, sizeof(errbuf)) ==
	    0 && dropped == 0, "flush: written, none dropped");
	rulestats_listing(rs, 1U << REASON_DYNAMIC, "s25r-2", now + 3600);
	ok(rulestats_flush(rs, st, now + 3600, NULL, errbuf,
	    sizeof(errbuf)) == 0, "flush: an hour later");
	rulestats_view(NULL, st, now + 3600, 3, &v, errbuf, sizeof(errbuf));
	x = find(&v, STAT_LISTING, "dynamic", "s25r-2");
	ok(x != NULL && x->total == 3 && x->hours[1] == 2 && x->hours[2] == 1,
	    "store: hourly buckets and the total, without the memory");
	is_int(total(&v, STAT_REQUEST, "dynamic", "s25r-2"), 1,
	    "store: the request by its rule");
	rulestats_view_clear(&v);

	/* 4 hours kept: a write 4 hours on deletes hour 1000's buckets */
	rulestats_listing(rs, 1U << REASON_UNCONFIRMED, NULL, now + 4 * 3600);
	ok(rulestats_flush(rs, st, now + 4 * 3600, NULL, errbuf,
	    sizeof(errbuf)) == 0, "flush: four hours later");
	rulestats_view(NULL, st, now + 4 * 3600, 6, &v, errbuf,
	    sizeof(errbuf));
	x = find(&v, STAT_LISTING, "dynamic", "s25r-2");
	ok(x != NULL && x->hours[1] == 0 && x->hours[2] == 1 &&
	    x->recent == 1, "keep: the bucket older than 4 hours is gone");
	ok(x != NULL && x->total == 3, "keep: the all-time total stays");
	rulestats_view_clear(&v);
	rulestats_view(NULL, st, now + 4 * 3600, 1, &v, errbuf,
	    sizeof(errbuf));
	x = find(&v, STAT_LISTING, "dynamic", "s25r-2");
	ok(x != NULL && x->recent == 0 && x->total == 3 && v.nhours == 1,
	    "view of the last hour: no older bucket in it, the total is");
	rulestats_view_clear(&v);
	store_close(st);

	/* reopened read-only: the counts survive */
	st = store_open(dir, 0, 1, errbuf, sizeof(errbuf));
	ok(st != NULL, "reopen: read-only");
	if (st != NULL) {
		rulestats_view(NULL, st, now + 4 * 3600, 6, &v, errbuf,
		    sizeof(errbuf));
		is_int(total(&v, STAT_LISTING, "unconfirmed", ""), 1,
		    "reopen: the counts are there");
		rulestats_view_clear(&v);
		store_close(st);
	}
	rulestats_free(rs);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# cannot remove %s\n", dir);
}

static void
test_escape(void)
{
	struct rulestats_series sv[1];
	uint64_t hours[2] = { 1, 2 };
	struct rulestats_view v;
	struct metrics m;
	struct evbuffer *b;
	char *s;

	memset(sv, 0, sizeof(sv));
	sv[0].kind = STAT_LISTING;
	strcpy(sv[0].reason, "dynamic");
	strcpy(sv[0].rule, "a\"b\\c\nd<e>&");
	sv[0].total = 5;
	sv[0].recent = 3;
	sv[0].hours = hours;
	v.first = 1000;
	v.nhours = 2;
	v.v = sv;
	v.n = 1;

	memset(&m, 0, sizeof(m));
	m.rules = &v;
	b = evbuffer_new();
	metrics_write(b, &m);
	s = drain(b);
	ok(strstr(s, "rdnsbl_listings_total{reason=\"dynamic\","
	    "rule=\"a\\\"b\\\\c\\nd<e>&\"} 5\n") != NULL,
	    "metrics: the rule label escaped (\\\" \\\\ \\n)");
	ok(strstr(s, "# TYPE rdnsbl_delist_approvals_total counter\n") !=
	    NULL, "metrics: the approvals counter, even when none");
	free(s);

	b = evbuffer_new();
	statpage_write(b, &v);
	s = drain(b);
	ok(strstr(s, "data-rule=\"a&quot;b\\c\nd&lt;e&gt;&amp;\"") != NULL,
	    "page: the rule escaped in the chart");
	ok(strstr(s, "<e>") == NULL, "page: no markup from a label");
	ok(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\"") != NULL &&
	    strstr(s, "<polyline") != NULL, "page: an SVG line chart");
	ok(strstr(s, "<td class=\"n\">3</td><td class=\"n\">5</td>") != NULL,
	    "page: the table's counts");
	ok(strstr(s, "<script") == NULL, "page: no script");
	free(s);
}

int
main(void)
{
	plan(34);
	test_why();
	test_store();
	test_escape();
	return done();
}
