/* SPDX-License-Identifier: ISC */
/*
 * verdict.h -- the verdicts of the computed checks: what a check is
 * about (an address or a HELO name), what it found, and how a verdict
 * is kept in the store's cache, which every zone, the pages and
 * rdnsblctl read. No event loop here: the checks themselves are in
 * check.h.
 *
 * The cache (store_cache.h owns its bytes) holds a verdict as a struct
 * store_verdict; verdict_cached() and verdict_store() are the only
 * translation between the two, so the cache key of a subject and the
 * packing of its names are written once.
 */
#ifndef VERDICT_H
#define VERDICT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
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

/* Set s to the full-length address a. */
void		 check_subject_addr(struct check_subject *s,
		    const struct addr *a);

/*
 * Set s to the subject whose computed verdict stands for the full-length
 * address a: a itself, or for an IPv4-mapped IPv6 address its IPv4
 * address, the host behind it, whose reverse DNS is in in-addr.arpa.
 */
void		 check_subject_host(struct check_subject *s,
		    const struct addr *a);

/*
 * Set s to a normalised HELO name (helo_normalize). Returns -1 if the
 * name is too long, else 0.
 */
int		 check_subject_name(struct check_subject *s, const char *name);

/* 1 if x and y are the same subject, else 0. */
int		 check_subject_equal(const struct check_subject *x,
		    const struct check_subject *y);

/* The address or the name as text in buf (len bytes); returns buf. */
const char	*check_subject_text(const struct check_subject *s, char *buf,
		    size_t len);

#define CHECK_NAMESLEN	1024

/* What a check found, or what the cache remembers of it. */
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

/* The verdict's key word ("no-ptr"), as logs, pages and scripts show. */
const char	*cverdict_name(enum cverdict);

/* The enum reason a verdict lists under, or -1 (pass, unknown). */
int		 cverdict_reason(enum cverdict);

/*
 * Inside a read snapshot of st: the cached verdict for s, unless it has
 * expired at now. Returns STORE_OK with *r filled (r->cached set),
 * STORE_NOTFOUND, or STORE_ERROR with a message in errbuf. Never logs.
 */
enum store_rc	 verdict_cached(struct store *st,
		    const struct check_subject *s, time_t now,
		    struct check_result *r, char *errbuf, size_t errlen);

/*
 * Keep r, the verdict on s, in the cache of st until r->expires (its own
 * write transaction, not synced: a lost verdict is only work to redo).
 * Returns STORE_OK, or STORE_ERROR with a message in errbuf.
 */
enum store_rc	 verdict_store(struct store *st,
		    const struct check_subject *s,
		    const struct check_result *r, char *errbuf,
		    size_t errlen);

/*
 * Forget the cached verdict on s (rdnsblctl flush). Returns STORE_OK,
 * STORE_NOTFOUND when there was none, or STORE_ERROR.
 */
enum store_rc	 verdict_forget(struct store *st,
		    const struct check_subject *s, char *errbuf,
		    size_t errlen);

#endif /* VERDICT_H */
