/* SPDX-License-Identifier: ISC */
/*
 * store_stats.h -- the statistics per rule and reason in the store (the
 * "stats" table): counts in hourly buckets, kept for a bounded number of
 * hours, so that they survive a restart. The daemon counts in memory and
 * adds its counts here now and then (rulestats.h); rdnsblctl adds the
 * approvals it makes, and reads them all.
 *
 * A record is kind (1 byte), hour (4 bytes, big-endian: hours since the
 * epoch), reason, NUL, rule -> count (8 bytes, host order). The table
 * sorts by kind, then hour, so that the oldest hours go first.
 */
#ifndef STORE_STATS_H
#define STORE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define STORE_STAT_REASONMAX	31	/* bytes of a reason key */
#define STORE_STAT_RULEMAX	63	/* bytes of a rule name */
/*
 * The hour of the all-time bucket of each kind, reason and rule, which
 * store_stats_add keeps beside the hourly ones and never deletes (they
 * are as many as the rules ever counted), so that a count since the
 * database was made never goes down.
 */
#define STORE_STAT_TOTAL	0xffffffffU

/* What a count counts. */
enum store_stat_kind {
	STAT_LISTING = 0,	/* answers that listed, by reason and rule */
	STAT_REQUEST,		/* delisting requests, by what listed */
	STAT_APPROVAL,		/* approved requests, by what had listed */
	STAT_KIND_MAX
};

struct store_stat {
	enum store_stat_kind	 kind;
	uint32_t		 hour;		/* hours since the epoch */
	char			 reason[STORE_STAT_REASONMAX + 1];
	char			 rule[STORE_STAT_RULEMAX + 1];	/* or "" */
	uint64_t		 count;
};

/*
 * Add the counts of v[0..n-1] to their hourly buckets and to their
 * all-time ones, and delete every hourly bucket of an hour before
 * oldest, in one write transaction. Returns STORE_OK,
 * STORE_NOTFOUND (a database opened to read that has no stats table
 * yet: nothing done) or STORE_ERROR with errbuf. Never logs.
 */
enum store_rc	 store_stats_add(struct store *, const struct store_stat *v,
		    size_t n, uint32_t oldest, char *errbuf, size_t errlen);

/*
 * Call fn with every bucket of an hour from oldest on, by kind then
 * hour (the all-time ones last of their kind), in a read transaction of
 * its own; fn returns 0 to go on,
 * non-zero to stop. Returns STORE_OK (also when the table is not there
 * yet: no bucket) or STORE_ERROR (a corrupt record).
 */
typedef int store_stat_fn(void *arg, const struct store_stat *s);
enum store_rc	 store_stats_walk(struct store *, uint32_t oldest,
		    store_stat_fn *fn, void *arg, char *errbuf,
		    size_t errlen);

/* The key word of a kind ("listing", "request", "approval"). */
const char	*store_stat_kind_name(enum store_stat_kind);

#endif /* STORE_STATS_H */
