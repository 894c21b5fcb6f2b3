/* SPDX-License-Identifier: ISC */
/*
 * rulestats.h -- the statistics per rule and reason (doc/design.md,
 * "Statistics per rule"): the listings answered, by reason and by the
 * rule or list behind it; the delisting requests and the approvals, by
 * what had listed the address. The daemon counts in memory (no store
 * write on the query path) and adds its counts to the store's hourly
 * buckets (store_stats.h) every RULESTATS_FLUSH seconds, at a reload
 * and when it stops; a view puts the store's buckets and the counts not yet written
 * together for rdnsblctl stats, /metrics and the /stats page. Never
 * logs.
 */
#ifndef RULESTATS_H
#define RULESTATS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store_stats.h"

struct store;
struct rulestats;

#define RULESTATS_FLUSH		60	/* s between writes to the store */
#define RULESTATS_SLOTS		1024	/* distinct counts between writes */

/* A counter of the hours kept (at least 1). */
struct rulestats *rulestats_new(unsigned keep_hours);
void		 rulestats_free(struct rulestats *);
/* Keep keep_hours hours of buckets from the next write on (a reload). */
void		 rulestats_set_keep(struct rulestats *, unsigned keep_hours);

/* The hours of stats-keep: seconds (at least 1). */
unsigned	 rulestats_keep_hours(uint32_t seconds);

/* The hour of the time t (hours since the epoch). */
uint32_t	 rulestats_hour(time_t t);

/*
 * Count one answer that listed at now: once for each reason of the
 * mask reasons (1 << enum reason, named by rulestats_reason), with rule
 * (NULL or "": none) for the reasons that have one (rulestats_has_rule). A count that finds the
 * table full (RULESTATS_SLOTS) is counted as dropped instead.
 */
void		 rulestats_listing(struct rulestats *, unsigned reasons,
		    const char *rule, time_t now);

/*
 * The name of enum reason r in the statistics: its key (reason.h), with
 * "helo-" in front for a helo zone's reasons ("helo-dynamic") and
 * "rhsbl-" for an rhsbl zone's, whose keys the dnsbl zones' share.
 */
const char	*rulestats_reason(int r);

/* 1 if a listing for reason r names a rule or list, else 0. */
int		 rulestats_has_rule(int r);

/*
 * Count a delisting request (kind STAT_REQUEST) or an approval
 * (STAT_APPROVAL) at now, once for each distinct reason and rule that
 * why (the request's "listed for" text, rulestats_why) names, or once
 * under "none" when it names none.
 */
void		 rulestats_request(struct rulestats *,
		    enum store_stat_kind kind, const char *why, time_t now);

/*
 * Parse why, a request's "listed for" text ("ZONE: REASON (RULE); ...",
 * the rule optional, as the pages write it), into up to max counts of
 * kind at hour (count 1 each, distinct reason and rule; "none" when it
 * names no reason). Returns their number.
 */
size_t		 rulestats_why(const char *why, enum store_stat_kind kind,
		    uint32_t hour, struct store_stat *out, size_t max);

/*
 * Add the counts to the store (store_stats_add, keeping the hours) and
 * clear them. Returns 0, or -1 with errbuf: the counts stay for the
 * next try. *dropped (if not NULL) gets the counts dropped since the
 * last call, for the caller to log.
 */
int		 rulestats_flush(struct rulestats *, struct store *,
		    time_t now, uint64_t *dropped, char *errbuf,
		    size_t errlen);

/* One series of a view: a kind, reason and rule. */
struct rulestats_series {
	enum store_stat_kind	 kind;
	char			 reason[STORE_STAT_REASONMAX + 1];
	char			 rule[STORE_STAT_RULEMAX + 1];
	uint64_t		 total;		/* since the database began */
	uint64_t		 recent;	/* in the hours of the view */
	uint64_t		*hours;		/* nhours counts, oldest 1st */
};

struct rulestats_view {
	uint32_t		 first;		/* the hour of hours[0] */
	size_t			 nhours;
	struct rulestats_series	*v;		/* by kind, then recent and
						   total, most first */
	size_t			 n;
};

/*
 * The view of the nhours hours up to now (the current hour last): the
 * store's buckets (st may be NULL), plus the counts of rs not written
 * yet (rs may be NULL). Returns 0, or -1 with errbuf; free it with
 * rulestats_view_clear either way.
 */
int		 rulestats_view(const struct rulestats *rs, struct store *st,
		    time_t now, size_t nhours, struct rulestats_view *out,
		    char *errbuf, size_t errlen);
void		 rulestats_view_clear(struct rulestats_view *);

#endif /* RULESTATS_H */
