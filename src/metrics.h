/* SPDX-License-Identifier: ISC */
/*
 * metrics.h -- the Prometheus text of GET /metrics, written from plain
 * numbers: the DNS answers (server.h), the computed checks (check.h),
 * the compact copy of the lists (store.h) and the pages' own counts.
 * Whoever has the numbers fills a struct metrics; nothing here reaches
 * into the daemon.
 */
#ifndef METRICS_H
#define METRICS_H

#include <stddef.h>
#include <stdint.h>

struct checker_stats;
struct evbuffer;
struct notify_stats;
struct rulestats_view;
struct server_stats;

/* One labelled count ("pending" 3). */
struct metrics_count {
	const char	*label;
	uint64_t	 value;
};

struct metrics {
	const struct server_stats *dns;		/* NULL: no DNS numbers */
	const char *const *zone_names;		/* dns->nzones of them */
	size_t			 nzone_names;
	const struct checker_stats *checks;	/* NULL: no check numbers */
	size_t			 copy_entries;	/* the compact copy */
	size_t			 copy_bytes;
	int			 copy_stale;
	const struct metrics_count *outcomes;	/* delisting form outcomes */
	size_t			 noutcomes;
	const struct metrics_count *pages;	/* HTTP requests by page */
	size_t			 npages;
	const uint64_t		*codes;		/* responses by class, [6] */
	const struct notify_stats *notify;	/* NULL: no notify numbers */
	/* the statistics per rule (rulestats.h): their totals; or NULL */
	const struct rulestats_view *rules;
	/* the pages' connections (httpconn.h) */
	uint64_t		 http_open, http_max;
	uint64_t		 http_refused_address, http_full;
	/* accept() on every listener (fdlimit.h) */
	uint64_t		 accept_errors, accept_exhausted;
	uint64_t		 accept_shed, accept_pauses;
	/* verdicts dropped to keep the cache within its share of the map */
	uint64_t		 cache_evictions;
};

/* Write every metric of m to b in the Prometheus text format 0.0.4. */
void	metrics_write(struct evbuffer *b, const struct metrics *m);

#endif /* METRICS_H */
