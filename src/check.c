/* SPDX-License-Identifier: ISC */
/*
 * check.c -- the asynchronous engine of the computed checks: PTR, forward
 * confirmation, dynamic-host patterns, coalescing and bounds.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "check.h"
#include "addr.h"
#include "conf.h"
#include "log.h"
#include "pattern.h"
#include "resolve.h"
#include "store.h"
#include "util.h"
#include "wire.h"

#define NBUCKETS	4096
#define MAX_WAITERS	64
#define MAX_NAMES	16

struct check;

struct fwd_arg {
	struct check	*c;
	size_t		 i;
};

struct check_wait {
	struct check_wait	*next, *prev;
	struct check		*check;
	struct event		*timer;
	check_cb		*cb;
	void			*arg;
};

struct check {
	struct check		*hnext;
	struct checker		*ck;
	struct check_subject	 s;
	unsigned		 hash;
	struct check_wait	*waiters;
	unsigned		 nwait;
	char			 ptrname[80];
	struct res_query	*ptrq;
	/* forward lookups, one per PTR name */
	char			 names[MAX_NAMES][256];
	size_t			 nnames;
	struct res_query	*fwdq[MAX_NAMES];
	struct fwd_arg		 fa[MAX_NAMES];
	enum res_status		 fwd_status[MAX_NAMES];
	int			 fwd_confirms[MAX_NAMES];
	char			 fwd_found[MAX_NAMES][96];	/* for people */
	size_t			 fwd_pending;
	int			 literal_names;	/* PTR names that were addresses */
	int			 nores;		/* a lookup had no socket */
	char			 addrs[CHECK_NAMESLEN];	/* a name's addresses */
};

struct checker {
	struct event_base	*base;
	struct resolver		*res;
	struct store		*store;
	const struct patterns	*pat;
	unsigned		 max_checks, max_ptr, timeout_ms;
	uint32_t		 cache_ttl, failure_ttl;
	struct check		*table[NBUCKETS];
	check_trace_fn		*trace;
	void			*trace_arg;
	struct checker_stats	 stats;
	uint64_t		 nores_unlogged;
	time_t			 nores_log_next;
};

static void trace(struct checker *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
trace(struct checker *ck, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (ck->trace == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ck->trace(ck->trace_arg, line);
}

static unsigned
subject_hash(const struct check_subject *s)
{
	unsigned h = 2166136261U;
	const char *p;
	int i;

	if (s->is_name) {
		for (p = s->name; *p != '\0'; p++)
			h = (h ^ (unsigned char)*p) * 16777619U;
		return h % NBUCKETS;
	}
	for (i = 0; i < 16; i++)
		h = (h ^ s->a.a[i]) * 16777619U;
	return (h ^ s->a.af) % NBUCKETS;
}

static struct check *
find(struct checker *ck, const struct check_subject *s, unsigned h)
{
	struct check *c;

	for (c = ck->table[h]; c != NULL; c = c->hnext)
		if (check_subject_equal(&c->s, s))
			return c;
	return NULL;
}

static void
unlink_check(struct check *c)
{
	struct check **pp;

	for (pp = &c->ck->table[c->hash]; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == c) {
			*pp = c->hnext;
			break;
		}
	c->ck->stats.inflight--;
}

static void
wait_free(struct check_wait *w)
{
	struct check *c = w->check;

	if (c != NULL) {
		if (w->prev != NULL)
			w->prev->next = w->next;
		else
			c->waiters = w->next;
		if (w->next != NULL)
			w->next->prev = w->prev;
		c->nwait--;
	}
	if (w->timer != NULL)
		event_free(w->timer);
	free(w);
}

/* Keep the verdict in the cache for cache-ttl (failure-ttl if unknown). */
static void
store_result(struct checker *ck, struct check *c, struct check_result *r)
{
	char errbuf[256], t[32];
	uint32_t ttl = r->verdict == CV_UNKNOWN ? ck->failure_ttl :
	    ck->cache_ttl;

	if (r->verdict == CV_UNKNOWN && c->nores) {
		/*
		 * Not a verdict about the address but about us: cached, it
		 * would pass every new address for failure-ttl while the
		 * process is full. Asked again, it is checked again.
		 */
		r->expires = r->checked;
		ck->stats.nores++;
		ck->nores_unlogged++;
		if (r->checked >= ck->nores_log_next) {
			log_warnx("check: %llu check%s could not run since the "
			    "last such line, for want of descriptors or "
			    "memory; answered as on-lookup-failure: says, "
			    "not cached", (unsigned long long)
			    ck->nores_unlogged, ck->nores_unlogged == 1 ?
			    "" : "s");
			ck->nores_unlogged = 0;
			ck->nores_log_next = r->checked + 60;
		}
		trace(ck, "cache: not stored, the lookups had no socket");
		return;
	}
	r->expires = r->checked + ttl;
	if (ttl == 0 || ck->store == NULL)
		return;
	if (verdict_store(ck->store, &c->s, r, errbuf,
	    sizeof(errbuf)) != STORE_OK) {
		ck->stats.cache_errors++;
		trace(ck, "cache: not stored: %s", errbuf);
		return;
	}
	format_time(r->expires, t, sizeof(t));
	trace(ck, "cached until %s", t);
}

/* End a check: cache the verdict, answer every waiter, free. */
static void
finish(struct check *c, enum cverdict verdict, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
finish(struct check *c, enum cverdict verdict, const char *fmt, ...)
{
	struct checker *ck = c->ck;
	struct check_result r;
	struct check_wait *w;
	va_list ap;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.verdict = verdict;
	r.checked = time(NULL);
	va_start(ap, fmt);
	vsnprintf(r.detail, sizeof(r.detail), fmt, ap);
	va_end(ap);
	if (c->s.is_name)
		str_copy(r.names, c->addrs, sizeof(r.names));
	for (i = 0; i < c->nnames; i++) {
		size_t o = strlen(r.names);

		snprintf(r.names + o, sizeof(r.names) - o, "%s%s",
		    i ? ", " : "", c->names[i]);
		if (verdict == CV_PASS || verdict == CV_DYNAMIC)
			if (r.confirmed[0] == '\0' && c->fwd_confirms[i])
				str_copy(r.confirmed, c->names[i],
				    sizeof(r.confirmed));
	}
	if (verdict == CV_DYNAMIC && ck->pat != NULL) {
		struct pattern_match m;

		if (patterns_match(ck->pat, r.confirmed, &m) && m.rule)
			str_copy(r.rule, m.rule, sizeof(r.rule));
	}
	ck->stats.verdicts[verdict]++;
	trace(ck, "verdict: %s: %s", cverdict_name(verdict), r.detail);
	unlink_check(c);
	store_result(ck, c, &r);

	/* Detach the waiters first: a callback may start new checks. */
	while ((w = c->waiters) != NULL) {
		check_cb *cb = w->cb;
		void *arg = w->arg;

		wait_free(w);
		cb(arg, &r);
	}
	free(c);
}

static int
is_literal(const char *name)
{
	uint8_t b[16];

	return inet_pton(AF_INET, name, b) == 1 ||
	    inet_pton(AF_INET6, name, b) == 1;
}

static int
temporary(enum res_status s)
{
	return s != RES_OK && s != RES_NXDOMAIN && s != RES_NODATA;
}

/*
 * What each PTR name resolves to, for the unconfirmed detail:
 * "a.example: 192.0.2.9; b.example: no address".
 */
static const char *
found_text(const struct check *c, char *buf, size_t len)
{
	size_t i, o;

	buf[0] = '\0';
	for (i = 0; i < c->nnames; i++) {
		o = strlen(buf);
		snprintf(buf + o, len - o, "%s%s%s%s", i ? "; " : "",
		    c->nnames > 1 ? c->names[i] : "",
		    c->nnames > 1 ? ": " : "", c->fwd_found[i]);
	}
	return buf;
}

/* Every forward lookup is in: decide. */
static void
decide(struct check *c)
{
	struct checker *ck = c->ck;
	char ip[ADDR_STRLEN], list[400];
	size_t i;
	int temp = 0;

	addr_format(&c->s.a, ip, sizeof(ip));
	for (i = 0; i < c->nnames; i++)
		if (c->fwd_confirms[i])
			break;
	if (i == c->nnames) {
		for (i = 0; i < c->nnames; i++)
			if (temporary(c->fwd_status[i]))
				temp = 1;
		if (temp)
			finish(c, CV_UNKNOWN, "temporary DNS failure while "
			    "confirming the PTR name%s of %s",
			    c->nnames > 1 ? "s" : "", ip);
		else
			finish(c, CV_UNCONFIRMED, "the PTR name%s %s do%s not "
			    "resolve back to %s (%s)", c->nnames > 1 ? "s" : "",
			    c->names[0][0] ? c->names[0] : "?",
			    c->nnames > 1 ? "" : "es", ip, found_text(c, list,
			    sizeof(list)));
		return;
	}
	if (ck->pat != NULL) {
		struct pattern_match m;

		memset(&m, 0, sizeof(m));
		if (patterns_match(ck->pat, c->names[i], &m)) {
			trace(ck, "dynamic: %s matches rule %s", c->names[i],
			    m.rule);
			finish(c, CV_DYNAMIC, "the PTR name %s looks dynamic "
			    "(rule %s)", c->names[i], m.rule);
			return;
		}
		if (m.exception != NULL)
			trace(ck, "dynamic: %s is exempt (exception %s)",
			    c->names[i], m.exception);
		else
			trace(ck, "dynamic: %s matches no rule", c->names[i]);
	}
	finish(c, CV_PASS, "%s is forward-confirmed by %s", ip, c->names[i]);
}

static void
fwd_done(void *arg, const struct res_answer *ans)
{
	struct fwd_arg *fa = arg;
	struct check *c = fa->c;
	struct checker *ck = c->ck;
	size_t i = fa->i, j, n;
	char buf[ADDR_STRLEN], list[512];

	c->fwdq[i] = NULL;
	c->fwd_status[i] = ans->status;
	c->nores |= ans->status == RES_NORES;
	list[0] = '\0';
	for (j = 0; j < ans->naddrs; j++) {
		size_t o = strlen(list);

		if (addr_equal(&ans->addrs[j], &c->s.a))
			c->fwd_confirms[i] = 1;
		snprintf(list + o, sizeof(list) - o, "%s%s", j ? ", " : "",
		    addr_format(&ans->addrs[j], buf, sizeof(buf)));
	}
	if (ans->status == RES_OK && ans->naddrs > 0) {
		/* truncated if need be: it is for people */
		n = str_copy(c->fwd_found[i], "it resolves to ",
		    sizeof(c->fwd_found[i]));
		str_copy(c->fwd_found[i] + n, list,
		    sizeof(c->fwd_found[i]) - n);
	} else
		snprintf(c->fwd_found[i], sizeof(c->fwd_found[i]), "%s",
		    ans->status == RES_NXDOMAIN ? "it does not exist" :
		    "it has no address");
	if (ans->status == RES_OK)
		trace(ck, "%s %s: %s%s%s%s", c->s.a.af == ADDR_V4 ? "A" : "AAAA",
		    c->names[i], list, ans->ncname ? " (via CNAME to " : "",
		    ans->ncname ? ans->final : "", ans->ncname ? ")" : "");
	else
		trace(ck, "%s %s: %s", c->s.a.af == ADDR_V4 ? "A" : "AAAA",
		    c->names[i], res_answer_status(ans));
	trace(ck, "%s %s the address", c->names[i], c->fwd_confirms[i] ?
	    "confirms" : "does not confirm");
	if (--c->fwd_pending == 0)
		decide(c);
}

static void
ptr_done(void *arg, const struct res_answer *ans)
{
	struct check *c = arg;
	struct checker *ck = c->ck;
	char ip[ADDR_STRLEN];
	size_t i, n;

	c->ptrq = NULL;
	c->nores |= ans->status == RES_NORES;
	addr_format(&c->s.a, ip, sizeof(ip));
	switch (ans->status) {
	case RES_OK:
		break;
	case RES_NXDOMAIN:
		trace(ck, "PTR %s: NXDOMAIN", c->ptrname);
		finish(c, CV_NO_PTR, "%s has no reverse DNS (%s does not "
		    "exist)", ip, ans->final);
		return;
	case RES_NODATA:
		trace(ck, "PTR %s: no PTR data", c->ptrname);
		finish(c, CV_NO_PTR, "%s has no reverse DNS (no PTR record "
		    "at %s)", ip, ans->final);
		return;
	default:
		trace(ck, "PTR %s: %s", c->ptrname,
		    res_answer_status(ans));
		finish(c, CV_UNKNOWN, "temporary DNS failure looking up the "
		    "PTR of %s (%s)", ip, res_status_name(ans->status));
		return;
	}
	for (i = 0; i < ans->nnames; i++) {
		trace(ck, "PTR %s: %s%s%s%s", c->ptrname, ans->names[i],
		    ans->ncname ? " (via CNAME to " : "",
		    ans->ncname ? ans->final : "", ans->ncname ? ")" : "");
		if (is_literal(ans->names[i])) {
			c->literal_names++;
			trace(ck, "PTR name %s is an address: ignored",
			    ans->names[i]);
			continue;
		}
		if (c->nnames >= ck->max_ptr || c->nnames >= MAX_NAMES) {
			trace(ck, "PTR name %s: over max-ptr-names, not tried",
			    ans->names[i]);
			continue;
		}
		str_copy(c->names[c->nnames++], ans->names[i],
		    sizeof(c->names[0]));
	}
	if (c->nnames == 0) {
		finish(c, CV_NO_PTR, "%s has no usable reverse DNS (the PTR "
		    "record is an address)", ip);
		return;
	}
	n = c->nnames;
	c->fwd_pending = n;
	for (i = 0; i < n; i++) {
		struct fwd_arg *fa = &c->fa[i];

		fa->c = c;
		fa->i = i;
		c->fwd_status[i] = RES_ERROR;
		c->fwdq[i] = resolver_query(ck->res, c->names[i],
		    c->s.a.af == ADDR_V4 ? TYPE_A : TYPE_AAAA, fwd_done, fa);
	}
}

static void
wait_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct check_wait *w = arg;
	struct check_result r;
	check_cb *cb = w->cb;
	void *cbarg = w->arg;

	(void)fd;
	(void)what;
	if (w->check != NULL)
		w->check->ck->stats.waits_timed_out++;
	memset(&r, 0, sizeof(r));
	r.verdict = CV_UNKNOWN;
	r.checked = time(NULL);
	snprintf(r.detail, sizeof(r.detail), "the check did not finish "
	    "within check-timeout");
	wait_free(w);
	cb(cbarg, &r);
}

/* A HELO name's A or AAAA answer. */
static void
name_done(void *arg, const struct res_answer *ans)
{
	struct fwd_arg *fa = arg;
	struct check *c = fa->c;
	struct checker *ck = c->ck;
	const char *type = fa->i == 0 ? "A" : "AAAA";
	char buf[ADDR_STRLEN];
	size_t j, o;
	int i, temp = 0, nx = 0;

	c->fwdq[fa->i] = NULL;
	c->fwd_status[fa->i] = ans->status;
	c->nores |= ans->status == RES_NORES;
	for (j = 0; j < ans->naddrs; j++) {
		o = strlen(c->addrs);
		snprintf(c->addrs + o, sizeof(c->addrs) - o, "%s%s",
		    o ? ", " : "", addr_format(&ans->addrs[j], buf,
		    sizeof(buf)));
	}
	if (ans->status == RES_OK)
		trace(ck, "%s %s: %s%s%s%s", type, c->s.name, c->addrs,
		    ans->ncname ? " (via CNAME to " : "",
		    ans->ncname ? ans->final : "", ans->ncname ? ")" : "");
	else
		trace(ck, "%s %s: %s", type, c->s.name,
		    res_answer_status(ans));
	if (--c->fwd_pending > 0)
		return;
	for (i = 0; i < 2; i++) {
		if (c->fwd_status[i] == RES_OK)
			break;
		if (c->fwd_status[i] == RES_NXDOMAIN)
			nx++;
		else if (temporary(c->fwd_status[i]))
			temp = 1;
	}
	if (i < 2)
		finish(c, CV_PASS, "%s resolves to %s", c->s.name, c->addrs);
	else if (temp)
		finish(c, CV_UNKNOWN, "temporary DNS failure looking up the "
		    "addresses of %s", c->s.name);
	else if (nx == 2)
		finish(c, CV_NO_DNS, "%s does not exist in the DNS (NXDOMAIN "
		    "for A and AAAA)", c->s.name);
	else
		finish(c, CV_PASS, "%s exists in the DNS, without an address "
		    "record", c->s.name);
}

/* Start the lookups of a new check. */
static void
start(struct checker *ck, struct check *c)
{
	size_t i;

	if (!c->s.is_name) {
		resolver_ptr_name(&c->s.a, c->ptrname, sizeof(c->ptrname));
		c->ptrq = resolver_query(ck->res, c->ptrname, TYPE_PTR,
		    ptr_done, c);
		return;
	}
	/* A in fwdq[0], AAAA in fwdq[1] */
	c->fwd_pending = 2;
	for (i = 0; i < 2; i++) {
		c->fa[i].c = c;
		c->fa[i].i = i;
		c->fwd_status[i] = RES_ERROR;
		c->fwdq[i] = resolver_query(ck->res, c->s.name,
		    i == 0 ? TYPE_A : TYPE_AAAA, name_done, &c->fa[i]);
	}
}

struct check_wait *
checker_wait(struct checker *ck, const struct check_subject *s,
    unsigned timeout_ms, check_cb *cb, void *arg)
{
	struct check_wait *w;
	struct check *c;
	unsigned h = subject_hash(s);
	struct timeval tv;

	if ((c = find(ck, s, h)) != NULL) {
		if (c->nwait >= MAX_WAITERS) {
			ck->stats.refused++;
			return NULL;
		}
		ck->stats.coalesced++;
	} else {
		if (ck->stats.inflight >= ck->max_checks) {
			ck->stats.refused++;
			return NULL;
		}
		c = xcalloc(1, sizeof(*c));
		c->ck = ck;
		c->s = *s;
		c->hash = h;
		c->hnext = ck->table[h];
		ck->table[h] = c;
		ck->stats.inflight++;
		ck->stats.started++;
		start(ck, c);
	}
	w = xcalloc(1, sizeof(*w));
	w->check = c;
	w->cb = cb;
	w->arg = arg;
	w->next = c->waiters;
	if (w->next != NULL)
		w->next->prev = w;
	c->waiters = w;
	c->nwait++;
	if (timeout_ms > 0) {
		w->timer = evtimer_new(ck->base, wait_timeout, w);
		tv.tv_sec = timeout_ms / 1000;
		tv.tv_usec = (timeout_ms % 1000) * 1000;
		if (w->timer == NULL || evtimer_add(w->timer, &tv) == -1)
			fatalx("checker: cannot add a timer");
	}
	return w;
}

void
checker_unwait(struct check_wait *w)
{
	wait_free(w);
}

/* End every check in flight with CV_UNKNOWN (reload, shutdown). */
static void
abort_all(struct checker *ck)
{
	struct check *c;
	size_t b, i, n;

	for (b = 0; b < NBUCKETS; b++)
		while ((c = ck->table[b]) != NULL) {
			if (c->ptrq != NULL)
				resolver_cancel(c->ptrq);
			c->ptrq = NULL;
			n = c->s.is_name ? 2 : c->nnames;
			for (i = 0; i < n; i++)
				if (c->fwdq[i] != NULL) {
					resolver_cancel(c->fwdq[i]);
					c->fwdq[i] = NULL;
				}
			finish(c, CV_UNKNOWN, "the check was interrupted by a "
			    "reconfiguration");
		}
}

static int
configure(struct checker *ck, const struct conf *conf, struct store *st,
    const struct patterns *pat, char *errbuf, size_t errlen)
{
	struct resolver *res;
	size_t i;

	res = resolver_new(ck->base);
	for (i = 0; i < conf->nresolvers; i++)
		if (resolver_add_server(res, conf->resolvers[i], errbuf,
		    errlen) == -1) {
			resolver_free(res);
			return -1;
		}
	/* try every configured server once, at least two tries */
	resolver_set_limits(res, conf->check_timeout * 1000,
	    conf->nresolvers > 2 ? (unsigned)conf->nresolvers : 2,
	    conf->max_checks * 2, conf->lookup_rate);
	if (ck->res != NULL) {
		abort_all(ck);
		resolver_free(ck->res);
	}
	ck->res = res;
	ck->store = st;
	ck->pat = pat;
	ck->max_checks = conf->max_checks;
	ck->max_ptr = conf->max_ptr_names;
	ck->timeout_ms = conf->check_timeout * 1000;
	ck->cache_ttl = conf->cache_ttl;
	ck->failure_ttl = conf->failure_ttl;
	return 0;
}

struct checker *
checker_new(struct event_base *base, const struct conf *conf,
    struct store *st, const struct patterns *pat, char *errbuf,
    size_t errlen)
{
	struct checker *ck;

	ck = xcalloc(1, sizeof(*ck));
	ck->base = base;
	if (configure(ck, conf, st, pat, errbuf, errlen) == -1) {
		free(ck);
		return NULL;
	}
	return ck;
}

int
checker_reconfigure(struct checker *ck, const struct conf *conf,
    struct store *st, const struct patterns *pat, char *errbuf,
    size_t errlen)
{
	return configure(ck, conf, st, pat, errbuf, errlen);
}

void
checker_set_trace(struct checker *ck, check_trace_fn *fn, void *arg)
{
	ck->trace = fn;
	ck->trace_arg = arg;
}

const struct checker_stats *
checker_stats(const struct checker *ck)
{
	return &ck->stats;
}

void
checker_free(struct checker *ck)
{
	if (ck == NULL)
		return;
	abort_all(ck);
	resolver_free(ck->res);
	free(ck);
}
