/*
 * check.h -- the computed checks (DESIGN "The computed checks"): for an
 * address, look up its PTR names, forward-confirm them, match the
 * confirmed name against the dynamic-host patterns, and cache the verdict
 * in the store; for a HELO name, look up its A and AAAA records (the
 * helo zone's no-dns reason). Concurrent requests for one subject share
 * one check; the number of checks in flight is bounded; a temporary DNS
 * failure gives CV_UNKNOWN, which never lists anybody.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <event2/event.h>

#include "addr.h"
#include "conf.h"
#include "pattern.h"
#include "store.h"

enum cverdict {
	CV_PASS = 0,		/* forward-confirmed, not dynamic */
	CV_NO_PTR = 1,		/* NXDOMAIN / no PTR data / PTR is an address */
	CV_UNCONFIRMED = 2,	/* no PTR name resolves back */
	CV_DYNAMIC = 3,		/* confirmed name matches a rule */
	CV_UNKNOWN = 4,		/* a temporary failure: never a listing */
	CV_NO_DNS = 5,		/* a name: NXDOMAIN for A and AAAA */
	CV_MAX
};

/* What a check is about: an address, or a HELO name. */
struct check_subject {
	int		 is_name;
	struct addr	 a;		/* !is_name: a full-length address */
	char		 name[256];	/* is_name: lower case, no final dot */
};

void		 check_subject_addr(struct check_subject *, const struct addr *);
/* Returns -1 if the name is too long. */
int		 check_subject_name(struct check_subject *, const char *name);
int		 check_subject_equal(const struct check_subject *,
		    const struct check_subject *);
/* The address or the name, as text. */
const char	*check_subject_text(const struct check_subject *, char *buf,
		    size_t len);

#define CHECK_NAMESLEN	1024

struct check_result {
	enum cverdict	 verdict;
	time_t		 checked;
	time_t		 expires;
	char		 names[CHECK_NAMESLEN];	/* PTR names, ", "-joined;
						   a name: its addresses */
	char		 confirmed[256];	/* the confirming name, or "" */
	char		 rule[64];		/* dynamic: the rule */
	char		 detail[512];		/* one line, plain words */
	int		 cached;		/* from the cache, not looked up */
};

const char	*cverdict_name(enum cverdict);
/* The enum reason a verdict lists under, or -1 (pass, unknown). */
int		 cverdict_reason(enum cverdict);

/*
 * Read a cached verdict for s (inside a store read snapshot). Returns
 * STORE_OK and fills r, STORE_NOTFOUND, or STORE_ERROR.
 */
enum store_rc	 check_cached(struct store *, const struct check_subject *s,
		    time_t now, struct check_result *r, char *errbuf,
		    size_t errlen);

/*
 * The dynamic-host patterns of conf (dynamic-patterns:), if a dnsbl or
 * helo zone checks dynamic; otherwise NULL with *nerrors 0. Errors go to
 * err with file:line; NULL with *nerrors > 0 then.
 */
struct patterns	*check_load_patterns(const struct conf *, pattern_err_fn *err,
		    void *arg, int *nerrors);

typedef void check_cb(void *arg, const struct check_result *);
typedef void check_trace_fn(void *arg, const char *line);

struct checker;
struct check_wait;

struct checker_stats {
	uint64_t	started, coalesced, refused, waits_timed_out;
	uint64_t	cache_errors;
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
