/* SPDX-License-Identifier: ISC */
/*
 * check.h -- the asynchronous engine of the computed checks (doc/design.md):
 * for an address, look up its PTR names, forward-confirm them, match the
 * confirmed name against the dynamic-host patterns, and cache the verdict
 * in the store (verdict.h); for a HELO name, look up its A and AAAA
 * records (the helo zone's no-dns reason). Concurrent requests for one
 * subject share one check; the number of checks in flight is bounded; a
 * temporary DNS failure gives CV_UNKNOWN, which never lists anybody.
 * Deciding what a zone answers with a verdict is decide.h's job.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdint.h>

#include "verdict.h"

struct conf;
struct event_base;
struct patterns;
struct store;

typedef void check_cb(void *arg, const struct check_result *);
typedef void check_trace_fn(void *arg, const char *line);

struct checker;
struct check_wait;

struct checker_stats {
	uint64_t	started, coalesced, refused, waits_timed_out;
	uint64_t	cache_errors;
	uint64_t	nores;		/* no socket: not run, not cached */
	uint64_t	verdicts[CV_MAX];
	uint64_t	inflight;
};

/*
 * A checker using the resolvers, limits and TTLs of conf, the store for
 * the cache, and patterns (may be NULL: nothing is dynamic). Returns NULL
 * with errbuf on a bad resolver.
 */
struct checker	*checker_new(struct event_base *, const struct conf *,
		    struct store *, const struct patterns *, char *errbuf,
		    size_t errlen);

/*
 * Take a new configuration (reload): checks in flight end at once with
 * CV_UNKNOWN for their waiters. Returns -1 with errbuf (and keeps the old
 * settings) on a bad resolver.
 */
int		 checker_reconfigure(struct checker *, const struct conf *,
		    struct store *, const struct patterns *, char *errbuf,
		    size_t errlen);

void		 checker_free(struct checker *);

/* Every step of every check, as lines (rdnsblctl check). */
void		 checker_set_trace(struct checker *, check_trace_fn *, void *);

/*
 * Wait for the verdict on s: joins a check in flight for s, or starts
 * one. cb is called once, asynchronously: with the verdict, or with
 * CV_UNKNOWN after timeout_ms (the check goes on and caches its result).
 * Returns NULL when the checker is at max-checks (nothing started; the
 * caller answers at once as for CV_UNKNOWN).
 */
struct check_wait *checker_wait(struct checker *,
		    const struct check_subject *s, unsigned timeout_ms,
		    check_cb *cb, void *arg);

/* Stop waiting; cb will not be called. */
void		 checker_unwait(struct check_wait *);

const struct checker_stats *checker_stats(const struct checker *);

#endif /* CHECK_H */
