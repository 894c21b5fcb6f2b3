/* SPDX-License-Identifier: ISC */
/*
 * fdlimit.h -- the process's descriptors as a budget: the limit raised
 * at start, and listeners that never spin when the process runs out.
 *
 * When accept() fails for want of descriptors (EMFILE, ENFILE) the
 * connection stays in the kernel's queue and the listener is woken
 * again at once: without care a loop of failed accepts and log lines.
 * A watched listener instead closes the one spare descriptor kept for
 * this, accepts the waiting connection and closes it at once (the client
 * sees a close, not a hang), opens the spare again, and pauses every
 * watched listener until a descriptor is free again (probed four times
 * a second). Errors are counted and logged at most once a minute, with
 * the counts since the last line.
 */
#ifndef FDLIMIT_H
#define FDLIMIT_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct evconnlistener;

/*
 * Raise the soft RLIMIT_NOFILE to the hard limit. Returns the soft limit
 * in force afterwards, or -1 with the reason in errbuf (errlen bytes).
 * Never logs.
 */
long		 fdlimit_raise(char *errbuf, size_t errlen);

/* The soft RLIMIT_NOFILE now, or 1024 if it cannot be read. */
long		 fdlimit_current(void);

/* What the watched listeners met, for /metrics and the logs. */
struct fdlimit_stats {
	uint64_t	 accept_errors;	/* every failed accept */
	uint64_t	 exhausted;	/* ... for want of descriptors */
	uint64_t	 shed;		/* clients accepted and closed */
	uint64_t	 pauses;	/* the listeners paused */
};

struct fdlimit;
struct fdlimit_watch;

/*
 * A new budget on base, with its spare descriptor (/dev/null) open.
 * Fatal if the spare cannot be opened.
 */
struct fdlimit	*fdlimit_new(struct event_base *base);

/* Free fl; every watch must be gone first. NULL is ignored. */
void		 fdlimit_free(struct fdlimit *fl);

/*
 * Watch lev, named what in the logs ("tcp 127.0.0.1@53"; copied): set
 * its error callback as above. A listener that another part pauses
 * for its own reasons is not resumed by fl (fdlimit_hold). Returns the
 * watch, to be freed with fdlimit_unwatch before lev is freed.
 */
struct fdlimit_watch *fdlimit_watch(struct fdlimit *fl,
		    struct evconnlistener *lev, const char *what);

/* Stop watching (and free w); NULL is ignored. */
void		 fdlimit_unwatch(struct fdlimit_watch *w);

/*
 * Hold w's listener paused (hold 1) or let it go (hold 0) for a reason
 * of the caller's (a connection cap), apart from the pauses of fl: the
 * listener accepts only when neither holds it.
 */
void		 fdlimit_hold(struct fdlimit_watch *w, int hold);

/* fl's counts so far. */
void		 fdlimit_get_stats(const struct fdlimit *fl,
		    struct fdlimit_stats *st);

#endif /* FDLIMIT_H */
