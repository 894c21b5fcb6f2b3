/* SPDX-License-Identifier: ISC */
/*
 * metrics.c -- the Prometheus text of GET /metrics.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include <event2/buffer.h>

#include "metrics.h"
#include "answer.h"
#include "check.h"
#include "log.h"
#include "notify.h"
#include "rulestats.h"
#include "server.h"
#include "verdict.h"

static void	put(struct evbuffer *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* printf into b; out of memory is fatal, as for the x* allocators. */
static void
put(struct evbuffer *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = evbuffer_add_vprintf(b, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("metrics: out of memory");
}

static void
metric(struct evbuffer *b, const char *name, const char *type,
    const char *help)
{
	put(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A metric with one value and no labels. */
static void
metric1(struct evbuffer *b, const char *name, const char *type,
    const char *help, uint64_t value)
{
	metric(b, name, type, help);
	put(b, "%s %llu\n", name, (unsigned long long)value);
}

/* A counter with one label, a value for each of n counts. */
static void
metricn(struct evbuffer *b, const char *name, const char *help,
    const char *label, const struct metrics_count *c, size_t n)
{
	size_t i;

	metric(b, name, "counter", help);
	for (i = 0; i < n; i++)
		put(b, "%s{%s=\"%s\"} %llu\n", name, label, c[i].label,
		    (unsigned long long)c[i].value);
}

static void
write_dns(struct evbuffer *b, const struct metrics *m)
{
	const struct server_stats *ss = m->dns;
	struct metrics_count closed[2] = { { "idle_evicted", 0 },
	    { "max_time", 0 } };
	struct metrics_count limited[2] = { { "dropped", 0 },
	    { "slipped", 0 } };
	struct metrics_count tapped[2] = { { "queued", 0 },
	    { "dropped", 0 } };
	size_t i, k;

	metric(b, "rdnsbl_dns_answers_total", "counter",
	    "DNS answers by zone and result (since start or reload).");
	for (i = 0; i < ss->nzones && i < m->nzone_names; i++)
		for (k = 0; k < ANS_KIND_MAX; k++)
			if (k != ANS_NEED_CHECK)
				put(b, "rdnsbl_dns_answers_total{zone=\"%s\","
				    "result=\"%s\"} %llu\n", m->zone_names[i],
				    answer_kind_name(k),
				    (unsigned long long)ss->zone_answers[i][k]);
	metric(b, "rdnsbl_dns_results_total", "counter",
	    "DNS answers by result, every zone and none.");
	for (k = 0; k < ANS_KIND_MAX; k++)
		if (k != ANS_NEED_CHECK)
			put(b, "rdnsbl_dns_results_total{result=\"%s\"} %llu\n",
			    answer_kind_name(k),
			    (unsigned long long)ss->answers[k]);
	metric(b, "rdnsbl_dns_queries_total", "counter",
	    "DNS queries by transport.");
	put(b, "rdnsbl_dns_queries_total{transport=\"udp\"} %llu\n"
	    "rdnsbl_dns_queries_total{transport=\"tcp\"} %llu\n",
	    (unsigned long long)ss->udp, (unsigned long long)ss->tcp);
	metric(b, "rdnsbl_tcp_refused_total", "counter",
	    "TCP connections closed as soon as accepted, by the limit.");
	put(b, "rdnsbl_tcp_refused_total{limit=\"tcp-clients\"} %llu\n"
	    "rdnsbl_tcp_refused_total{limit=\"tcp-clients-per-address\"} "
	    "%llu\n", (unsigned long long)ss->tcp_refused,
	    (unsigned long long)ss->tcp_refused_address);
	closed[0].value = ss->tcp_evicted;
	closed[1].value = ss->tcp_expired;
	metricn(b, "rdnsbl_tcp_closed_total",
	    "TCP connections the server closed early, by reason.", "reason",
	    closed, 2);
	limited[0].value = ss->rrl_dropped;
	limited[1].value = ss->rrl_slipped;
	metricn(b, "rdnsbl_rate_limited_total",
	    "UDP answers over rate-limit: dropped, or sent truncated.",
	    "action", limited, 2);
	tapped[0].value = ss->dnstap_sent;
	tapped[1].value = ss->dnstap_dropped;
	metricn(b, "rdnsbl_dnstap_frames_total",
	    "dnstap frames: queued for the collector, or dropped (queue full).",
	    "result", tapped, 2);
	metric1(b, "rdnsbl_cache_hits_total", "counter",
	    "Answers decided by a cached computed verdict.", ss->cache_hits);
	metric1(b, "rdnsbl_held_queries_total", "counter",
	    "DNS queries that waited for a computed check.", ss->held);
}

static void
write_checks(struct evbuffer *b, const struct metrics *m)
{
	const struct checker_stats *cs = m->checks;
	size_t k;

	metric(b, "rdnsbl_checks_total", "counter",
	    "Computed checks by what became of them.");
	put(b, "rdnsbl_checks_total{event=\"started\"} %llu\n"
	    "rdnsbl_checks_total{event=\"coalesced\"} %llu\n"
	    "rdnsbl_checks_total{event=\"refused\"} %llu\n"
	    "rdnsbl_checks_total{event=\"wait_timed_out\"} %llu\n"
	    "rdnsbl_checks_total{event=\"no_resources\"} %llu\n",
	    (unsigned long long)cs->started, (unsigned long long)cs->coalesced,
	    (unsigned long long)cs->refused,
	    (unsigned long long)cs->waits_timed_out,
	    (unsigned long long)cs->nores);
	metric(b, "rdnsbl_check_verdicts_total", "counter",
	    "Computed checks by verdict.");
	for (k = 0; k < CV_MAX; k++)
		put(b, "rdnsbl_check_verdicts_total{verdict=\"%s\"} %llu\n",
		    cverdict_name(k), (unsigned long long)cs->verdicts[k]);
	metric1(b, "rdnsbl_checks_in_flight", "gauge",
	    "Computed checks running now.", cs->inflight);
}

static void
write_notify(struct evbuffer *b, const struct notify_stats *ns)
{
	metric(b, "rdnsbl_notify_runs_total", "counter",
	    "notify-command runs by what became of them.");
	put(b, "rdnsbl_notify_runs_total{event=\"queued\"} %llu\n"
	    "rdnsbl_notify_runs_total{event=\"started\"} %llu\n"
	    "rdnsbl_notify_runs_total{event=\"failed\"} %llu\n"
	    "rdnsbl_notify_runs_total{event=\"dropped\"} %llu\n",
	    (unsigned long long)ns->queued, (unsigned long long)ns->started,
	    (unsigned long long)ns->failed, (unsigned long long)ns->dropped);
	metric1(b, "rdnsbl_notify_running", "gauge",
	    "notify-command processes running now.", ns->running);
	metric1(b, "rdnsbl_notify_waiting", "gauge",
	    "notify-command runs waiting for a free slot.", ns->waiting);
}

/*
 * A label value as the text format 0.0.4 wants it: backslash, double
 * quote and line feed escaped.
 */
static void
put_label(struct evbuffer *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			put(b, "\\\\");
		else if (*s == '"')
			put(b, "\\\"");
		else if (*s == '\n')
			put(b, "\\n");
		else
			put(b, "%c", *s);
	}
}

static void
write_rules(struct evbuffer *b, const struct rulestats_view *v)
{
	static const char *const names[STAT_KIND_MAX] = {
		"rdnsbl_listings_total",
		"rdnsbl_delist_requests_by_rule_total",
		"rdnsbl_delist_approvals_total"
	};
	static const char *const help[STAT_KIND_MAX] = {
		"DNS answers that listed, by reason and rule or list "
		    "(kept in the database).",
		"Delisting requests by what listed the address "
		    "(kept in the database).",
		"Approved delisting requests by what had listed the address "
		    "(kept in the database)."
	};
	size_t i;
	int k;

	for (k = 0; k < STAT_KIND_MAX; k++) {
		metric(b, names[k], "counter", help[k]);
		for (i = 0; i < v->n; i++) {
			if ((int)v->v[i].kind != k)
				continue;
			put(b, "%s{reason=\"", names[k]);
			put_label(b, v->v[i].reason);
			put(b, "\",rule=\"");
			put_label(b, v->v[i].rule);
			put(b, "\"} %llu\n",
			    (unsigned long long)v->v[i].total);
		}
	}
}

void
metrics_write(struct evbuffer *b, const struct metrics *m)
{
	size_t k;

	if (m->dns != NULL)
		write_dns(b, m);
	if (m->checks != NULL)
		write_checks(b, m);
	metric1(b, "rdnsbl_lists_in_memory_entries", "gauge",
	    "List entries (IPv4 and IPv6) in the compact copy for queries.",
	    m->copy_entries);
	metric1(b, "rdnsbl_lists_in_memory_bytes", "gauge",
	    "Memory the compact copy of the lists takes.",
	    m->copy_bytes);
	metric1(b, "rdnsbl_lists_in_memory_stale", "gauge",
	    "1 while the copy is behind the lists (queries read the "
	    "database meanwhile).", m->copy_stale != 0);
	metric1(b, "rdnsbl_cache_evictions_total", "counter",
	    "Cached computed verdicts dropped to keep the cache within its "
	    "share of the map.", m->cache_evictions);
	metricn(b, "rdnsbl_delist_requests_total",
	    "Delisting form submissions by outcome.", "outcome", m->outcomes,
	    m->noutcomes);
	metricn(b, "rdnsbl_http_requests_total", "HTTP requests by page.",
	    "page", m->pages, m->npages);
	metric(b, "rdnsbl_http_responses_total", "counter",
	    "HTTP responses by status class.");
	for (k = 1; k < 6 && m->codes != NULL; k++)
		put(b, "rdnsbl_http_responses_total{code=\"%zuxx\"} %llu\n", k,
		    (unsigned long long)m->codes[k]);
	if (m->notify != NULL)
		write_notify(b, m->notify);
	if (m->rules != NULL)
		write_rules(b, m->rules);
	metric1(b, "rdnsbl_http_connections", "gauge",
	    "HTTP connections open now.", m->http_open);
	metric1(b, "rdnsbl_http_connections_max", "gauge",
	    "The cap on open HTTP connections in force.", m->http_max);
	metric(b, "rdnsbl_http_connections_refused_total", "counter",
	    "HTTP connections closed at once, or times the cap was reached.");
	put(b, "rdnsbl_http_connections_refused_total{limit=\"max-clients-"
	    "per-address\"} %llu\n"
	    "rdnsbl_http_connections_refused_total{limit=\"max-clients\"} "
	    "%llu\n", (unsigned long long)m->http_refused_address,
	    (unsigned long long)m->http_full);
	metric(b, "rdnsbl_accept_errors_total", "counter",
	    "Failed accept() calls of every listener, and what followed.");
	put(b, "rdnsbl_accept_errors_total{event=\"error\"} %llu\n"
	    "rdnsbl_accept_errors_total{event=\"no_descriptors\"} %llu\n"
	    "rdnsbl_accept_errors_total{event=\"closed_at_once\"} %llu\n"
	    "rdnsbl_accept_errors_total{event=\"paused\"} %llu\n",
	    (unsigned long long)m->accept_errors,
	    (unsigned long long)m->accept_exhausted,
	    (unsigned long long)m->accept_shed,
	    (unsigned long long)m->accept_pauses);
}
