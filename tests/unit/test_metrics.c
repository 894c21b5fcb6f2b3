/* SPDX-License-Identifier: ISC */
/*
 * test_metrics.c -- the Prometheus text of /metrics (metrics.h), written
 * from plain numbers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "metrics.h"
#include "answer.h"
#include "check.h"
#include "server.h"
#include "../tap.h"

/* The text of m, NUL-terminated, for free(). */
static char *
text(const struct metrics *m)
{
	struct evbuffer *b = evbuffer_new();
	size_t n;
	char *s;

	metrics_write(b, m);
	n = evbuffer_get_length(b);
	s = malloc(n + 1);
	evbuffer_copyout(b, s, n);
	s[n] = '\0';
	evbuffer_free(b);
	return s;
}

/* 1 if line is a whole line of s. */
static int
has_line(const char *s, const char *line)
{
	size_t n = strlen(line);
	const char *p;

	for (p = s; (p = strstr(p, line)) != NULL; p++)
		if ((p == s || p[-1] == '\n') && p[n] == '\n')
			return 1;
	return 0;
}

int
main(void)
{
	uint64_t zone_answers[2][ANS_KIND_MAX], codes[6] = { 0, 0, 7, 0, 2, 1 };
	static const char *const names[] = { "bl.test", "wl.test" };
	struct metrics_count outcomes[] = { { "pending", 3 }, { "error", 1 } };
	struct metrics_count pages[] = { { "index", 5 }, { "other", 2 } };
	struct server_stats ss;
	struct checker_stats cs;
	struct metrics m;
	char *s;

	plan(15);
	memset(&ss, 0, sizeof(ss));
	memset(&cs, 0, sizeof(cs));
	memset(zone_answers, 0, sizeof(zone_answers));
	memset(&m, 0, sizeof(m));
	s = text(&m);
	ok(strstr(s, "rdnsbl_dns_") == NULL && strstr(s, "rdnsbl_checks_") ==
	    NULL, "without their numbers, no DNS or check metrics");
	ok(has_line(s, "rdnsbl_lists_in_memory_entries 0"),
	    "the copy's entries, 0");
	free(s);

	zone_answers[1][ANS_LISTED] = 9;
	ss.zone_answers = zone_answers;
	ss.nzones = 2;
	ss.answers[ANS_NXDOMAIN] = 4;
	ss.udp = 11;
	ss.tcp = 2;
	ss.cache_hits = 6;
	cs.started = 8;
	cs.verdicts[CV_NO_PTR] = 5;
	cs.inflight = 1;
	m.dns = &ss;
	m.zone_names = names;
	m.nzone_names = 2;
	m.checks = &cs;
	m.copy_entries = 1000;
	m.copy_bytes = 4096;
	m.copy_stale = 1;
	m.cache_evictions = 12;
	m.outcomes = outcomes;
	m.noutcomes = 2;
	m.pages = pages;
	m.npages = 2;
	m.codes = codes;
	s = text(&m);
	ok(has_line(s, "rdnsbl_dns_answers_total{zone=\"wl.test\","
	    "result=\"listed\"} 9"), "answers by zone and result");
	ok(strstr(s, "result=\"check\"") == NULL,
	    "a held query is no answer kind of its own");
	ok(has_line(s, "rdnsbl_dns_results_total{result=\"nxdomain\"} 4"),
	    "answers by result");
	ok(has_line(s, "rdnsbl_dns_queries_total{transport=\"udp\"} 11"),
	    "queries by transport");
	ok(has_line(s, "rdnsbl_cache_hits_total 6"), "cache hits");
	ok(has_line(s, "rdnsbl_checks_total{event=\"started\"} 8"),
	    "checks started");
	ok(has_line(s, "rdnsbl_check_verdicts_total{verdict=\"no-ptr\"} 5"),
	    "verdicts by name");
	ok(has_line(s, "rdnsbl_lists_in_memory_stale 1"), "the copy is stale");
	ok(has_line(s, "rdnsbl_cache_evictions_total 12"),
	    "verdicts evicted from the cache");
	ok(has_line(s, "rdnsbl_delist_requests_total{outcome=\"pending\"} 3"),
	    "form outcomes");
	ok(has_line(s, "rdnsbl_http_requests_total{page=\"other\"} 2"),
	    "requests by page");
	ok(has_line(s, "rdnsbl_http_responses_total{code=\"2xx\"} 7"),
	    "responses by class");
	ok(has_line(s, "# TYPE rdnsbl_checks_in_flight gauge"),
	    "a gauge says so");
	free(s);
	return done();
}
