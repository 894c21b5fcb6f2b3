/* SPDX-License-Identifier: ISC */
/*
 * http.c -- the delisting pages and the metrics on evhttp.
 *
 * Every handler answers at once from the store, except a lookup that
 * needs a computed verdict and a delisting request (which re-runs the
 * checks with fresh lookups): those wait for the checker and answer from
 * its callback. A request whose client went away is still answered
 * (evhttp then only frees it). Input is checked before anything is
 * stored: body size, form syntax, a browser's word that another site's
 * page sent it, honeypot, address, e-mail, text, rate limits per client
 * and per address, one pending request per address,
 * and only a listed address may be the subject of a request.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "http.h"
#include "addr.h"
#include "check.h"
#include "conf.h"
#include "decide.h"
#include "delist.h"
#include "form.h"
#include "httpconn.h"
#include "log.h"
#include "mail.h"
#include "metrics.h"
#include "notify.h"
#include "page.h"
#include "rulestats.h"
#include "statpage.h"
#include "store.h"
#include "store_list.h"
#include "store_queue.h"
#include "util.h"
#include "zone.h"

#define HTTP_MAX_HEADERS	8192	/* bytes of request headers */
#define RL_SLOTS		4096	/* remembered clients / addresses */
#define RL_CLIENT_WINDOW	3600
#define RL_ADDR_WINDOW		86400
#define RL_LOOKUP_WINDOW	60

/* The one key of the limits in total. */
static const struct addr everyone = { ADDR_V4, 0, { 0 } };

/* What became of a POST /delist. */
enum outcome {
	OUT_PENDING, OUT_RESOLVED, OUT_SELF, OUT_CONFLICT, OUT_NOT_LISTED,
	OUT_INVALID, OUT_HONEYPOT, OUT_LIMITED, OUT_TOO_LARGE, OUT_UNKNOWN,
	OUT_ERROR, OUT_CROSS_SITE, OUT_UNCONFIRMED, OUT_MAX
};

static const char *const outcome_names[OUT_MAX] = {
	"pending", "resolved", "self_delisted", "duplicate", "not_listed",
	"invalid", "honeypot", "rate_limited", "too_large", "check_failed",
	"error", "cross_site", "unconfirmed"
};

struct binding {
	char				*text;
	struct evhttp_bound_socket	*bs;
	struct httpconn_listener	*hl;
};

/* A request waiting for the checker. */
/* Recorded in a request's "listed for" when its checks could not run. */
#define REQ_UNCHECKED_TEXT	"the checks could not run: "

struct pending {
	struct http		*h;
	struct evhttp_request	*req;
	struct check_wait	*wait;
	int			 delist;	/* POST /delist, else lookup */
	int64_t			 self;		/* last self-delisting */
	char			 unchecked[64];	/* why no checks, or "" */
	struct store_request	 r;
	struct pending		*next, *prev;
};

/* One request as a handler sees it. */
struct hreq {
	struct evhttp_request	*req;
	const char		*path;
	const char		*query;		/* after "?", or NULL */
	struct addr		 client;	/* client_addr() */
};

typedef void route_fn(struct http *, const struct hreq *);

static route_fn	do_index, do_lookup, do_delist, do_request, do_verify,
		do_healthz, do_metrics, do_stats;

#define ROUTE_GET	0x01	/* GET and HEAD, else POST only */
#define ROUTE_PREFIX	0x02	/* path is a prefix: "/request/TOKEN" */
#define ROUTE_METRICS	0x04	/* allow-metrics: clients only */
#define ROUTE_POST	0x08	/* with ROUTE_GET: POST too */

/* The pages: path, flags, name in the metrics, handler. */
static const struct route {
	const char	*path;
	unsigned	 flags;
	const char	*name;
	route_fn	*fn;
} routes[] = {
	{ "/", ROUTE_GET, "index", do_index },
	{ "/lookup", ROUTE_GET, "lookup", do_lookup },
	{ "/delist", 0, "delist", do_delist },
	{ "/request/", ROUTE_GET | ROUTE_PREFIX, "request", do_request },
	{ "/verify/", ROUTE_GET | ROUTE_POST | ROUTE_PREFIX, "verify",
	    do_verify },
	{ "/healthz", ROUTE_GET, "healthz", do_healthz },
	{ "/metrics", ROUTE_GET | ROUTE_METRICS, "metrics", do_metrics },
	{ "/stats", ROUTE_GET | ROUTE_METRICS, "stats", do_stats },
};
#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

struct http {
	struct http_env	 env;
	struct evhttp	*eh;
	struct httpconn	*conns;
	struct binding	*b;
	size_t		 nb;
	struct ratelimit *rl_client, *rl_addr;
	struct ratelimit *rl_total;		/* requests from everyone */
	struct ratelimit *rl_lookup, *rl_lookup_total;
	struct ratelimit *rl_email, *rl_mail_total;	/* confirmation mails */
	struct pending	*pending;
	uint64_t	 pages[NROUTES + 1];	/* by route; last: no page */
	uint64_t	 codes[6];		/* by class: 1xx .. 5xx */
	uint64_t	 outcomes[OUT_MAX];
	struct notify_queue *notify;		/* notify-command runs */
	struct notify_queue *mailq;		/* mail-command runs */
};

static void	lookup_page(struct http *, struct evhttp_request *,
		    const struct addr *, const struct check_result *);
static void	delist_finish(struct http *, struct pending *,
		    const struct check_result *);

/*
 * The client's address; IPv4-mapped IPv6 as IPv4. From a trusted-proxy:
 * peer, the last address of X-Forwarded-For (the one that proxy added),
 * when there is one that parses.
 */
static void
client_addr(struct http *h, struct evhttp_request *req, struct addr *a)
{
	const char *xff, *last;
	char errbuf[64], buf[64];
	struct addr fwd;
	size_t n;

	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	const struct sockaddr *sa = evcon ? evhttp_connection_get_addr(evcon) :
	    NULL;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

	memset(a, 0, sizeof(*a));
	if (sa != NULL && sa->sa_family == AF_INET)
		addr_from_bytes(a, ADDR_V4, (const uint8_t *)&sin->sin_addr);
	else if (sa != NULL && sa->sa_family == AF_INET6) {
		if (memcmp(sin6->sin6_addr.s6_addr, mapped, 12) == 0)
			addr_from_bytes(a, ADDR_V4,
			    sin6->sin6_addr.s6_addr + 12);
		else
			addr_from_bytes(a, ADDR_V6, sin6->sin6_addr.s6_addr);
	}
	if (a->af == 0 || !addrlist_match(&h->env.conf->http.trusted_proxy, a))
		return;
	xff = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "X-Forwarded-For");
	if (xff == NULL)
		return;
	last = strrchr(xff, ',');
	last = last != NULL ? last + 1 : xff;
	last += strspn(last, " \t");
	n = strcspn(last, " \t");
	if (n == 0 || n >= sizeof(buf))
		return;
	memcpy(buf, last, n);
	buf[n] = '\0';
	if (addr_parse(buf, 0, &fwd, errbuf, sizeof(errbuf)) == 0 &&
	    fwd.len == ADDR_BITS(&fwd))
		*a = fwd;
}

/* A new buffer; out of memory is fatal, as for the x* allocators. */
static struct evbuffer *
xbuf(void)
{
	struct evbuffer *b = evbuffer_new();

	if (b == NULL)
		fatalx("http: out of memory");
	return b;
}

/* Send BODY with security headers; counts the status class. */
static void
send_reply(struct http *h, struct evhttp_request *req, int code,
    const char *why, struct evbuffer *body, const char *ctype)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);

	(void)evhttp_add_header(out, "Content-Type", ctype);
	(void)evhttp_add_header(out, "Cache-Control", "no-store");
	(void)evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	(void)evhttp_add_header(out, "Referrer-Policy", "no-referrer");
	(void)evhttp_add_header(out, "Content-Security-Policy",
	    "default-src 'none'; style-src 'unsafe-inline'; "
	    "form-action 'self'; frame-ancestors 'none'");
	if (code >= 100 && code < 600)
		h->codes[code / 100]++;
	evhttp_send_reply(req, code, why, body);
	evbuffer_free(body);
}

static void
send_page(struct http *h, struct evhttp_request *req, int code,
    const char *why, struct evbuffer *body)
{
	send_reply(h, req, code, why, body, "text/html; charset=utf-8");
}

/* An error or notice page: one title, one paragraph. */
static void
send_message(struct http *h, struct evhttp_request *req, int code,
    const char *why, const char *title, const char *text)
{
	struct evbuffer *b = xbuf();

	page_message(b, title, text);
	send_page(h, req, code, why, b);
}

/* 409: the address has a pending request already. */
static void
send_conflict(struct http *h, struct evhttp_request *req)
{
	h->outcomes[OUT_CONFLICT]++;
	send_message(h, req, 409, "Conflict", "Already requested",
	    "A delisting request for this address is already waiting for "
	    "review; its requester has the link to its status page.");
}

static void
store_failed(struct http *h, struct evhttp_request *req, const char *errbuf)
{
	log_warnx("http: store: %s", errbuf);
	send_message(h, req, 500, "Internal Server Error", "Server error",
	    "The database could not be read; please try again later.");
}

/* Parse a full-length address from a form or query value. */
static int
parse_ip(const char *s, struct addr *a)
{
	char errbuf[128];

	if (s == NULL || strlen(s) > 45 || addr_parse(s, 0, a, errbuf,
	    sizeof(errbuf)) == -1 || a->len != ADDR_BITS(a))
		return -1;
	return 0;
}

/* A new unguessable token: 128 random bits in hex. */
static int
new_token(char *buf)
{
	uint8_t rnd[STORE_TOKEN_LEN / 2];
	size_t i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -1;
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(buf + 2 * i, 3, "%02x", rnd[i]);
	return 0;
}

static void
pending_free(struct pending *p)
{
	struct http *h = p->h;

	if (p->prev != NULL)
		p->prev->next = p->next;
	else
		h->pending = p->next;
	if (p->next != NULL)
		p->next->prev = p->prev;
	free(p);
}

static void
check_done(void *arg, const struct check_result *res)
{
	struct pending *p = arg;
	struct http *h = p->h;

	p->wait = NULL;
	if (p->delist)
		delist_finish(h, p, res);
	else
		lookup_page(h, p->req, &p->r.addr, res);
	pending_free(p);
}

/* Wait for a check of p->r.addr; answers 503 when the checker is full. */
static void
pending_start(struct http *h, struct pending *p)
{
	struct check_subject s;

	p->h = h;
	check_subject_host(&s, &p->r.addr);
	p->wait = checker_wait(h->env.checker, &s,
	    h->env.conf->check_timeout * 1000,
	    check_done, p);
	if (p->wait == NULL && p->delist) {
		/* stored all the same, with the fact recorded */
		str_copy(p->unchecked, "too many checks were running",
		    sizeof(p->unchecked));
		delist_finish(h, p, NULL);
		free(p);
		return;
	}
	if (p->wait == NULL) {
		send_message(h, p->req, 503, "Service Unavailable",
		    "Busy", "Too many checks are running just now; please "
		    "try again in a minute.");
		free(p);
		return;
	}
	p->next = h->pending;
	if (p->next != NULL)
		p->next->prev = p;
	h->pending = p;
}

/* What decide_all gathers from each zone's verdict. */
struct all_zones {
	struct evbuffer	*b;		/* render each zone here, or NULL */
	const struct addr *a;
	time_t		 now;
	int		 need;		/* some zone needs a computed verdict */
	int		 listed;	/* dnsbl zones that list */
	int		 detail;	/* what DNS said, in b */
	int		 manual;	/* ... of them by a list, not checks */
	char		*reasons;	/* "zone: reason; ...", or NULL */
	size_t		 rlen;
};

static int
all_zones_one(void *arg, const struct zone *z, const struct verdict *v)
{
	struct all_zones *az = arg;
	const char *rule;
	size_t o;

	if (v->need_check) {
		az->need = 1;
		return 0;
	}
	if (az->b != NULL)
		(void)page_zone(az->b, z, v, az->a, az->detail);
	if (z->conf->type != ZONE_DNSBL || !v->listed || v->test_point)
		return 0;
	az->listed++;
	if (v->nmore > 0 || !((1U << v->reason) & COMPUTED_CHECKS))
		az->manual++;
	if (az->reasons != NULL) {
		/* "zone: reason (rule)", which the statistics read back */
		rule = decide_rule(z, v);
		o = strlen(az->reasons);
		snprintf(az->reasons + o, az->rlen - o, "%s%s: %s%s%s%s",
		    o ? "; " : "", z->conf->name, reason_get(v->reason)->key,
		    rule[0] ? " (" : "", rule, rule[0] ? ")" : "");
	}
	return 0;
}

/*
 * The verdict of every dnsbl and dnswl zone for a, inside one read
 * snapshot, rendered into b when b is not NULL. *need: some zone needs a
 * computed verdict (not rendered then). Returns the number of dnsbl
 * zones that list a, or -1 on a store error (errbuf). reasons, if not
 * NULL, gets "zone: reason" of each listing zone.
 */
static int
decide_all(struct http *h, const struct addr *a,
    const struct check_result *fresh, struct evbuffer *b, int *need,
    int *manual, char *reasons, size_t rlen, char *errbuf, size_t errlen)
{
	struct all_zones az;
	struct check_subject s;

	memset(&az, 0, sizeof(az));
	az.b = b;
	az.a = a;
	az.now = time(NULL);
	az.reasons = reasons;
	az.rlen = rlen;
	/* nothing of internal hosts for the public */
	az.detail = h->env.conf->http.lookup_detail && !addr_is_internal(a);
	if (reasons != NULL)
		reasons[0] = '\0';
	check_subject_addr(&s, a);
	if (decide_zones(h->env.zones, h->env.store, NULL, &s, az.now, fresh,
	    all_zones_one, &az, errbuf, errlen) == -1)
		return -1;
	*need = az.need;
	if (manual != NULL)
		*manual = az.manual;
	return az.listed;
}

static void
lookup_page(struct http *h, struct evhttp_request *req, const struct addr *a,
    const struct check_result *fresh)
{
	struct evbuffer *b;
	struct pending *p;
	char errbuf[256], ip[ADDR_STRLEN], title[ADDR_STRLEN + 16];
	uint64_t pid;
	int64_t self;
	int listed, need;

	/* First pass: does a zone need a check before anything is shown? */
	if (fresh == NULL) {
		if (decide_all(h, a, NULL, NULL, &need, NULL, NULL, 0, errbuf,
		    sizeof(errbuf)) == -1) {
			store_failed(h, req, errbuf);
			return;
		}
		if (need) {
			p = xcalloc(1, sizeof(*p));
			p->req = req;
			p->r.addr = *a;
			pending_start(h, p);
			return;
		}
	}
	b = xbuf();
	addr_format(a, ip, sizeof(ip));
	snprintf(title, sizeof(title), "%s", ip);
	page_begin(b, title);
	listed = decide_all(h, a, fresh, b, &need, NULL, NULL, 0, errbuf,
	    sizeof(errbuf));
	if (listed == -1) {
		evbuffer_free(b);
		store_failed(h, req, errbuf);
		return;
	}
	if (listed > 0) {
		if (store_request_state(h->env.store, a, &pid, &self, errbuf,
		    sizeof(errbuf)) == STORE_OK)
			page_raw(b, "<p id=\"queued\">Request %llu for this "
			    "address is waiting for review; its requester "
			    "has the link to its status page.</p>\n",
			    (unsigned long long)pid);
		else
			page_delist_form(b, a,
			    h->env.conf->http.verify_email);
	}
	page_lookup_form(b, NULL);
	page_end(b);
	send_page(h, req, 200, "OK", b);
}

/* The key of a client in the limits: an IPv6 client by its /64. */
static void
client_key(const struct addr *client, struct addr *key)
{
	*key = *client;
	if (key->af == ADDR_V6) {
		key->len = 64;
		addr_mask(key);
	}
}

/*
 * A lookup of an address runs the checks and caches a verdict for one
 * not seen before: limited by client and in total (429, returns 1).
 */
static int
lookup_limited(struct http *h, struct evhttp_request *req)
{
	const struct conf_http *c = &h->env.conf->http;
	struct addr client, key;
	time_t now = time(NULL);
	int all = 0;

	client_addr(h, req, &client);
	client_key(&client, &key);
	if (!ratelimit_hit(h->rl_lookup, &key, c->lookup_rate_limit,
	    RL_LOOKUP_WINDOW, now)) {
		if (!ratelimit_hit(h->rl_lookup_total, &everyone,
		    c->lookup_total_limit, RL_LOOKUP_WINDOW, now))
			return 0;
		all = 1;
	}
	send_message(h, req, 429, "Too Many Requests", "Too many lookups",
	    all ? "The server takes no more lookups just now; please try "
	    "again in a minute." : "Too many lookups from your address; "
	    "please try again in a minute.");
	return 1;
}

/* GET / and /lookup: index, the form alone when no address is given. */
static void
lookup_query(struct http *h, struct evhttp_request *req, const char *query,
    int index)
{
	struct evkeyvalq kv;
	struct evbuffer *b;
	struct addr a;
	const char *ip = NULL;

	TAILQ_INIT(&kv);
	if (query != NULL && evhttp_parse_query_str(query, &kv) == 0)
		ip = evhttp_find_header(&kv, "ip");
	if ((ip == NULL && index) || parse_ip(ip, &a) == -1) {
		b = xbuf();
		page_begin(b, ip == NULL && index ?
		    "Is your mail server listed?" : "Not an address");
		page_raw(b, "<p id=\"message\">%s</p>\n", ip == NULL && index ?
		    "Enter the address of the mail server whose mail was "
		    "refused; the refusal message names it." :
		    "Give one IPv4 or IPv6 address, such as 192.0.2.1 or "
		    "2001:db8::1.");
		page_lookup_form(b, ip);
		page_end(b);
		send_page(h, req, ip == NULL && index ? 200 : 400,
		    ip == NULL && index ? "OK" : "Bad Request", b);
		evhttp_clear_headers(&kv);
		return;
	}
	evhttp_clear_headers(&kv);
	if (lookup_limited(h, req))
		return;
	lookup_page(h, req, &a, NULL);
}

static void
do_index(struct http *h, const struct hreq *hr)
{
	lookup_query(h, hr->req, hr->query, 1);
}

static void
do_lookup(struct http *h, const struct hreq *hr)
{
	lookup_query(h, hr->req, hr->query, 0);
}

/* The link to a request's status page. */
static void
status_link(struct http *h, struct evbuffer *b, const char *token)
{
	const char *base = h->env.conf->http.public_url;

	page_raw(b, "<p>The status of your request is at <a id=\"statuslink\" "
	    "href=\"/request/%s\">", token);
	if (base != NULL)
		page_esc(b, base);
	else
		page_raw(b, "/");
	page_raw(b, "request/%s</a>; keep the link, it is the only way to "
	    "the request.</p>\n", token);
}

static void
run_notify(struct http *h, const char *event, const struct store_request *r)
{
	const struct conf *c = h->env.conf;
	char errbuf[256];

	if (c->http.notify_command == NULL)
		return;
	if (notify_queue_add(h->notify, c->http.notify_command, event, r,
	    c->http.public_url, errbuf, sizeof(errbuf)) == -1)
		log_warnx("http: notify-command: %s", errbuf);
	else
		verbose(VERB_DETAIL, "http: notify-command %s for request "
		    "%llu queued", event, (unsigned long long)r->id);
}

int
http_child_exited(struct http *h, pid_t pid, int status)
{
	const char *prog = h->env.conf != NULL ?
	    h->env.conf->http.mail_command : NULL;
	char errbuf[256];
	int rc;

	if ((rc = notify_queue_exited(h->notify, pid, errbuf,
	    sizeof(errbuf))) == -1)
		log_warnx("http: notify-command: %s", errbuf);
	if (rc != 0)
		return 1;
	if ((rc = notify_queue_exited(h->mailq, pid, errbuf,
	    sizeof(errbuf))) == -1)
		log_warnx("http: mail-command: %s", errbuf);
	if (rc == 0)
		return 0;
	if (mail_status(prog ? prog : "mail-command", status, errbuf,
	    sizeof(errbuf)) == -1)
		log_warnx("http: mail-command (pid %ld): %s", (long)pid,
		    errbuf);
	else
		verbose(VERB_DETAIL, "http: mail-command (pid %ld) exited 0",
		    (long)pid);
	return 2;
}

/* Hand msg for rcpt to mail-command; what failed is logged. 0 or -1. */
static int
queue_mail(struct http *h, const char *what, const char *rcpt,
    const char *msg)
{
	const struct conf_http *c = &h->env.conf->http;
	char errbuf[256];

	if (notify_queue_add_mail(h->mailq, c->mail_command, c->mail_from,
	    rcpt, msg, errbuf, sizeof(errbuf)) == -1) {
		log_warnx("http: %s not sent: %s", what, errbuf);
		return -1;
	}
	return 0;
}

/* The decision mail of a request the pages decided (self-service). */
static void
mail_decided(struct http *h, const struct store_request *r)
{
	const struct conf_http *c = &h->env.conf->http;
	char errbuf[256], *msg;

	if (c->mail_command == NULL)
		return;
	if ((msg = mail_decision(r, c->mail_from, c->public_url, time(NULL),
	    errbuf, sizeof(errbuf))) == NULL) {
		log_warnx("http: no decision mail for request %llu: %s",
		    (unsigned long long)r->id, errbuf);
		return;
	}
	if (queue_mail(h, "decision mail", r->email, msg) == 0)
		verbose(VERB_DETAIL, "http: decision mail for request %llu "
		    "queued", (unsigned long long)r->id);
	free(msg);
}

/* The fresh verdict is in (or not needed): resolve, self-delist, queue. */
static void
delist_finish(struct http *h, struct pending *p,
    const struct check_result *fresh)
{
	const struct conf *c = h->env.conf;
	struct store_request *r = &p->r;
	struct delist_grant grant;
	struct evbuffer *b;
	char errbuf[256], actor[ADDR_STRLEN + 8], ip[ADDR_STRLEN];
	enum outcome out;
	enum store_rc rc;
	time_t now = time(NULL);
	uint64_t other = 0;
	size_t n;
	int listed, need, manual;

	addr_format(&r->addr, ip, sizeof(ip));
	if (fresh != NULL && fresh->verdict == CV_UNKNOWN)
		str_copy(p->unchecked, "a DNS lookup failed or took too long",
		    sizeof(p->unchecked));
	if (p->unchecked[0] != '\0') {
		/* what is known without the checks: the lists, the cache */
		fresh = NULL;
		r->flags |= REQ_UNCHECKED;
	}
	listed = decide_all(h, &r->addr, fresh, NULL, &need, &manual,
	    r->reason, sizeof(r->reason), errbuf, sizeof(errbuf));
	if (listed == -1) {
		h->outcomes[OUT_ERROR]++;
		store_failed(h, p->req, errbuf);
		return;
	}
	if (manual > 0)
		r->flags |= REQ_MANUAL;
	if (new_token(r->token) == -1) {
		h->outcomes[OUT_ERROR]++;
		log_warn("http: getrandom");
		send_message(h, p->req, 500, "Internal Server Error",
		    "Server error", "Please try again later.");
		return;
	}
	if (r->flags & REQ_UNCHECKED) {
		n = strlen(r->reason);
		snprintf(r->reason + n, sizeof(r->reason) - n, "%s%s%s",
		    n > 0 ? "; " : "", REQ_UNCHECKED_TEXT, p->unchecked);
	}
	switch (delist_submit(c, r, listed > 0 || need, p->self, now)) {
	case REQ_RESOLVED:
		out = OUT_RESOLVED;
		break;
	case REQ_APPROVED:
		out = OUT_SELF;
		break;
	default:
		out = OUT_PENDING;
		break;
	}
	snprintf(actor, sizeof(actor), "web:%s",
	    addr_format(&r->client, errbuf, sizeof(errbuf)));
	rc = store_request_add(h->env.store, r, r->status == REQ_APPROVED ?
	    delist_grant : NULL, &grant, actor, &other, errbuf,
	    sizeof(errbuf));
	if (rc == STORE_EXISTS) {
		send_conflict(h, p->req);
		return;
	}
	if (rc != STORE_OK) {
		h->outcomes[OUT_ERROR]++;
		store_failed(h, p->req, errbuf);
		return;
	}
	h->outcomes[(r->flags & REQ_UNCHECKED) ? OUT_UNKNOWN : out]++;
	if (h->env.rules != NULL) {
		rulestats_request(h->env.rules, STAT_REQUEST, r->reason, now);
		if (r->status == REQ_APPROVED)
			rulestats_request(h->env.rules, STAT_APPROVAL,
			    r->reason, now);
	}
	verbose(VERB_OPS, "http: request %llu for %s from %s: %s%s",
	    (unsigned long long)r->id, ip, actor,
	    store_req_status_name(r->status), (r->flags & REQ_UNCHECKED) ?
	    " (the checks could not run)" : "");
	run_notify(h, r->status == REQ_PENDING ? "new" :
	    r->status == REQ_RESOLVED ? "resolved" : "approved", r);
	if (r->status == REQ_APPROVED)
		mail_decided(h, r);
	b = xbuf();
	page_begin(b, r->status == REQ_PENDING ? "Request received" :
	    "Delisted");
	page_request(b, r);
	status_link(h, b, r->token);
	page_end(b);
	send_page(h, p->req, r->status == REQ_PENDING ? 202 : 200,
	    r->status == REQ_PENDING ? "Accepted" : "OK", b);
}

/* The form's fields, validated; answers itself and returns -1 if bad. */
static int
delist_fields(struct http *h, struct evhttp_request *req,
    struct evkeyvalq *kv, struct store_request *r)
{
	const char *ip = evhttp_find_header(kv, "ip");
	const char *email = evhttp_find_header(kv, "email");
	const char *text = evhttp_find_header(kv, "description");
	const char *hp = evhttp_find_header(kv, "website");
	const char *what = NULL;

	if (hp != NULL && hp[0] != '\0') {
		h->outcomes[OUT_HONEYPOT]++;
		verbose(VERB_DETAIL, "http: delisting request with the "
		    "honeypot field filled: refused");
		send_message(h, req, 400, "Bad Request", "Request refused",
		    "The request was refused.");
		return -1;
	}
	if (parse_ip(ip, &r->addr) == -1)
		what = "The address is not one IPv4 or IPv6 address.";
	else if (email == NULL || !form_email_ok(email))
		what = "The e-mail address is not valid (at most 254 "
		    "characters, such as postmaster@example.com; before "
		    "the @ only letters, digits and + = _ . -).";
	else if (text == NULL || text[strspn(text, " \t\r\n")] == '\0')
		what = "Please say what the host is and does.";
	else if (strlen(text) > STORE_TEXT_MAX)
		what = "The description is too long (at most 2000 bytes).";
	else if (!form_text_ok(text))
		what = "The description contains control characters or is "
		    "not valid UTF-8.";
	if (what != NULL) {
		h->outcomes[OUT_INVALID]++;
		send_message(h, req, 400, "Bad Request", "Please correct the "
		    "request", what);
		return -1;
	}
	str_copy(r->email, email, sizeof(r->email));
	str_copy(r->text, text, sizeof(r->text));
	form_crlf_to_lf(r->text);
	return 0;
}

/*
 * 1 if a form post comes from our own pages, or from no browser page at
 * all (a script); 0 if a browser says that another site made it. Without
 * the check any page could make its visitors' browsers send requests,
 * past the rate limit of one client. Sec-Fetch-Site, when sent, decides:
 * same-origin or none. Without it (browsers before about 2021), an
 * Origin must be public-url's or the one of the Host asked for. Origin
 * alone cannot decide for every browser: under our Referrer-Policy
 * no-referrer a browser sends "Origin: null" even for our own form.
 */
static int
same_site(struct http *h, struct evhttp_request *req)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	const char *site = evhttp_find_header(in, "Sec-Fetch-Site");
	const char *origin = evhttp_find_header(in, "Origin");
	const char *host = evhttp_find_header(in, "Host");
	const char *pub = h->env.conf->http.public_url, *o;
	size_t n;

	if (site != NULL)
		return strcmp(site, "same-origin") == 0 ||
		    strcmp(site, "none") == 0;
	if (origin == NULL)
		return 1;
	/* public-url's origin: scheme and authority, without the path */
	if (pub != NULL && (o = strstr(pub, "://")) != NULL) {
		n = (size_t)(o + 3 - pub) + strcspn(o + 3, "/");
		if (strlen(origin) == n && strncasecmp(origin, pub, n) == 0)
			return 1;
	}
	if (host == NULL || (o = strstr(origin, "://")) == NULL ||
	    (strncasecmp(origin, "http://", 7) != 0 &&
	    strncasecmp(origin, "https://", 8) != 0))
		return 0;
	return strcasecmp(o + 3, host) == 0;
}

/*
 * A form post must be small, a form, and not sent by another site's
 * page: answers itself and returns 1 if not (WHAT names it in the log).
 */
static int
form_post_refused(struct http *h, struct evhttp_request *req,
    const char *what)
{
	const struct conf *c = h->env.conf;
	const char *ctype = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Content-Type");
	char msg[160];

	if (evbuffer_get_length(evhttp_request_get_input_buffer(req)) >
	    c->http.max_body) {
		h->outcomes[OUT_TOO_LARGE]++;
		snprintf(msg, sizeof(msg), "The request is larger than %llu "
		    "bytes.", (unsigned long long)c->http.max_body);
		send_message(h, req, 413, "Payload Too Large",
		    "Request too large", msg);
		return 1;
	}
	if (ctype == NULL || strncasecmp(ctype,
	    "application/x-www-form-urlencoded", 33) != 0) {
		h->outcomes[OUT_INVALID]++;
		send_message(h, req, 415, "Unsupported Media Type",
		    "Not a form", "Send the form from the lookup page.");
		return 1;
	}
	if (!same_site(h, req)) {
		h->outcomes[OUT_CROSS_SITE]++;
		verbose(VERB_DETAIL, "http: %s from another site's page: "
		    "refused", what);
		send_message(h, req, 403, "Forbidden", "Request refused",
		    "Send the form from the lookup page of this site.");
		return 1;
	}
	return 0;
}

/*
 * verify-email: keep the request unconfirmed and mail its requester the
 * link that confirms it; "check your mail". Limited per e-mail address
 * and in total (mails an hour), and per client (unconfirmed requests).
 */
static void
verify_submit(struct http *h, struct pending *p, time_t now)
{
	const struct conf_http *c = &h->env.conf->http;
	struct store_request *r = &p->r;
	struct evhttp_request *req = p->req;
	struct evbuffer *b;
	struct addr key;
	char errbuf[256], ip[ADDR_STRLEN], cl[ADDR_STRLEN], until[32], *msg;
	int64_t deadline = (int64_t)now + c->verify_expire;
	enum store_rc rc;

	form_email_key(r->email, &key);
	if (ratelimit_hit(h->rl_email, &key, c->verify_rate_limit,
	    RL_CLIENT_WINDOW, now) ||
	    ratelimit_hit(h->rl_mail_total, &everyone, c->verify_total_limit,
	    RL_CLIENT_WINDOW, now)) {
		h->outcomes[OUT_LIMITED]++;
		send_message(h, req, 429, "Too Many Requests", "Too many "
		    "requests", "Too many confirmation mails have gone to "
		    "this e-mail address, or from this server, in the last "
		    "hour; please try again in an hour.");
		return;
	}
	if (new_token(r->token) == -1) {
		h->outcomes[OUT_ERROR]++;
		log_warn("http: getrandom");
		send_message(h, req, 500, "Internal Server Error",
		    "Server error", "Please try again later.");
		return;
	}
	r->created = (int64_t)now;
	msg = mail_verify(r, c->mail_from, c->public_url, deadline,
	    (int64_t)now, errbuf, sizeof(errbuf));
	if (msg == NULL) {
		h->outcomes[OUT_ERROR]++;
		log_warnx("http: no confirmation mail: %s", errbuf);
		send_message(h, req, 500, "Internal Server Error",
		    "Server error", "Please try again later.");
		return;
	}
	rc = store_unconfirmed_add(h->env.store, r, deadline, (int64_t)now,
	    c->verify_pending, STORE_UNCONFIRMED_MAX, errbuf,
	    sizeof(errbuf));
	if (rc == STORE_LIMIT) {
		h->outcomes[OUT_LIMITED]++;
		verbose(VERB_DETAIL, "http: delisting request refused: %s",
		    errbuf);
		send_message(h, req, 429, "Too Many Requests", "Too many "
		    "requests", "Too many requests from your address wait "
		    "for their confirmation; follow the links mailed for "
		    "them, or try again once they expire.");
	} else if (rc != STORE_OK) {
		h->outcomes[OUT_ERROR]++;
		store_failed(h, req, errbuf);
	} else if (queue_mail(h, "confirmation mail", r->email, msg) == -1) {
		h->outcomes[OUT_ERROR]++;
		/* nobody can confirm it: the link goes at once */
		(void)store_unconfirmed_get(h->env.store, r->token,
		    (int64_t)now, 1, r, &(int){ 0 }, errbuf, sizeof(errbuf));
		send_message(h, req, 503, "Service Unavailable", "Mail not "
		    "sent", "The confirmation mail could not be sent just "
		    "now; please try again later.");
	} else {
		h->outcomes[OUT_UNCONFIRMED]++;
		addr_format(&r->addr, ip, sizeof(ip));
		verbose(VERB_OPS, "http: delisting request for %s from web:%s: "
		    "confirmation mailed", ip, addr_format(&r->client, cl,
		    sizeof(cl)));
		format_time((time_t)deadline, until, sizeof(until));
		b = xbuf();
		page_begin(b, "Check your mail");
		page_raw(b, "<p id=\"message\">A link to confirm the request "
		    "to delist ");
		page_esc(b, ip);
		page_raw(b, " went by mail to <span id=\"email\">");
		page_esc(b, r->email);
		page_raw(b, "</span>. The request goes ahead only once you "
		    "open the link and confirm it, by <time>%s</time>; until "
		    "then nothing is queued. The link works once.</p>\n",
		    until);
		page_end(b);
		send_page(h, req, 202, "Accepted", b);
	}
	free(msg);
}

/* POST /delist. */
static void
do_delist(struct http *h, const struct hreq *hr)
{
	struct evhttp_request *req = hr->req;
	const struct addr *client = &hr->client;
	const struct conf *c = h->env.conf;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	struct evkeyvalq kv;
	struct pending *p;
	struct addr key;
	char *body, errbuf[256];
	size_t len = evbuffer_get_length(in);
	time_t now = time(NULL);
	uint64_t pid;
	int need, listed;

	if (form_post_refused(h, req, "delisting request"))
		return;
	client_key(client, &key);
	if (ratelimit_hit(h->rl_client, &key, c->http.rate_limit, RL_CLIENT_WINDOW,
	    now)) {
		h->outcomes[OUT_LIMITED]++;
		send_message(h, req, 429, "Too Many Requests", "Too many "
		    "requests", "Too many requests from your address; please "
		    "try again in an hour.");
		return;
	}
	if (ratelimit_hit(h->rl_total, &everyone, c->http.total_rate_limit,
	    RL_CLIENT_WINDOW, now)) {
		h->outcomes[OUT_LIMITED]++;
		send_message(h, req, 429, "Too Many Requests", "Too many "
		    "requests", "The server takes no more requests just now; "
		    "please try again in an hour.");
		return;
	}
	body = xmalloc(len + 1);
	evbuffer_copyout(in, body, len);
	body[len] = '\0';
	TAILQ_INIT(&kv);
	/* a NUL, raw or encoded, would cut a field short unseen */
	if (memchr(body, '\0', len) != NULL || strstr(body, "%00") != NULL ||
	    evhttp_parse_query_str(body, &kv) == -1) {
		free(body);
		evhttp_clear_headers(&kv);
		h->outcomes[OUT_INVALID]++;
		send_message(h, req, 400, "Bad Request", "Not a form",
		    "The request could not be read as a form.");
		return;
	}
	free(body);
	p = xcalloc(1, sizeof(*p));
	p->req = req;
	p->delist = 1;
	p->r.client = *client;
	if (delist_fields(h, req, &kv, &p->r) == -1) {
		evhttp_clear_headers(&kv);
		free(p);
		return;
	}
	evhttp_clear_headers(&kv);
	if (ratelimit_hit(h->rl_addr, &p->r.addr, c->http.address_rate_limit,
	    RL_ADDR_WINDOW, now)) {
		h->outcomes[OUT_LIMITED]++;
		send_message(h, req, 429, "Too Many Requests", "Too many "
		    "requests", "Too many requests for this address today; "
		    "please try again tomorrow.");
		free(p);
		return;
	}
	if (store_request_state(h->env.store, &p->r.addr, &pid, &p->self,
	    errbuf, sizeof(errbuf)) == STORE_OK) {
		send_conflict(h, req);
		free(p);
		return;
	}
	listed = decide_all(h, &p->r.addr, NULL, NULL, &need, NULL, NULL, 0,
	    errbuf, sizeof(errbuf));
	if (listed == -1) {
		h->outcomes[OUT_ERROR]++;
		free(p);
		store_failed(h, req, errbuf);
		return;
	}
	if (listed == 0 && !need) {
		h->outcomes[OUT_NOT_LISTED]++;
		send_message(h, req, 200, "OK", "Not listed", "This address "
		    "is not listed, so there is nothing to remove. If mail "
		    "is still refused, the refusal comes from another list "
		    "or from a cached answer that expires within minutes.");
		free(p);
		return;
	}
	if (c->http.verify_email) {
		verify_submit(h, p, now);
		free(p);
		return;
	}
	/* Fresh lookups, whatever is cached: the owner may have fixed it. */
	pending_start(h, p);
}

/* A link that confirms nothing: expired, used or never made. */
static void
verify_gone(struct http *h, struct evhttp_request *req, int expired)
{
	if (expired)
		send_message(h, req, 410, "Gone", "Link expired", "This "
		    "confirmation link has expired, and its request is "
		    "deleted. Send the request again from the lookup page.");
	else
		send_message(h, req, 404, "Not Found", "No request to confirm",
		    "This confirmation link was used already, or has "
		    "expired, or never was; a link confirms its request "
		    "once. A confirmed request has its own status page.");
}

/*
 * GET /verify/TOKEN: what the link confirms, and a button (a mail
 * reader that fetches links to scan them confirms nothing); POST: the
 * request goes on as without verify-email:, the checks run again.
 */
static void
do_verify(struct http *h, const struct hreq *hr)
{
	struct evhttp_request *req = hr->req;
	const char *token = hr->path + strlen("/verify/");
	int post = evhttp_request_get_command(req) == EVHTTP_REQ_POST;
	struct pending *p;
	struct evbuffer *b;
	char errbuf[256], ip[ADDR_STRLEN];
	enum store_rc rc;
	uint64_t pid;
	int expired;

	if (strlen(token) != STORE_TOKEN_LEN ||
	    strspn(token, "0123456789abcdef") != STORE_TOKEN_LEN) {
		verify_gone(h, req, 0);
		return;
	}
	if (post && form_post_refused(h, req, "confirmation"))
		return;
	p = xcalloc(1, sizeof(*p));
	rc = store_unconfirmed_get(h->env.store, token, (int64_t)time(NULL),
	    post, &p->r, &expired, errbuf, sizeof(errbuf));
	if (rc != STORE_OK) {
		if (rc == STORE_ERROR)
			store_failed(h, req, errbuf);
		else
			verify_gone(h, req, expired);
		free(p);
		return;
	}
	addr_format(&p->r.addr, ip, sizeof(ip));
	if (!post) {
		b = xbuf();
		page_begin(b, "Confirm the delisting request");
		page_raw(b, "<dl><dt>Address</dt><dd id=\"address\">");
		page_esc(b, ip);
		page_raw(b, "</dd><dt>E-mail</dt><dd>");
		page_esc(b, p->r.email);
		page_raw(b, "</dd><dt>Description</dt><dd class=\"desc\">");
		page_esc(b, p->r.text);
		page_raw(b, "</dd></dl>\n<form method=\"post\" "
		    "action=\"/verify/%s\"><button id=\"confirm\" "
		    "type=\"submit\">Confirm the request</button></form>\n"
		    "<p>The checks run again when you confirm.</p>\n", token);
		page_end(b);
		send_page(h, req, 200, "OK", b);
		free(p);
		return;
	}
	verbose(VERB_DETAIL, "http: delisting request for %s confirmed", ip);
	p->req = req;
	p->delist = 1;
	p->r.token[0] = '\0';		/* its status page gets its own */
	rc = store_request_state(h->env.store, &p->r.addr, &pid, &p->self,
	    errbuf, sizeof(errbuf));
	if (rc == STORE_OK)
		send_conflict(h, req);
	else if (rc == STORE_ERROR) {
		h->outcomes[OUT_ERROR]++;
		store_failed(h, req, errbuf);
	}
	if (rc != STORE_NOTFOUND) {
		free(p);
		return;
	}
	pending_start(h, p);
}

/* GET /request/TOKEN. */
static void
do_request(struct http *h, const struct hreq *hr)
{
	struct evhttp_request *req = hr->req;
	const char *token = hr->path + strlen("/request/");
	struct store_request *r;
	struct evbuffer *b;
	char errbuf[256];
	enum store_rc rc;

	if (strlen(token) != STORE_TOKEN_LEN ||
	    strspn(token, "0123456789abcdef") != STORE_TOKEN_LEN) {
		send_message(h, req, 404, "Not Found", "No such request",
		    "There is no request at this address; check the link.");
		return;
	}
	r = xmalloc(sizeof(*r));
	rc = store_request_by_token(h->env.store, token, r, errbuf,
	    sizeof(errbuf));
	if (rc == STORE_ERROR)
		store_failed(h, req, errbuf);
	else if (rc == STORE_NOTFOUND)
		send_message(h, req, 404, "Not Found", "No such request",
		    "There is no request at this address; check the link.");
	else {
		b = xbuf();
		page_begin(b, "Delisting request");
		page_request(b, r);
		page_end(b);
		send_page(h, req, 200, "OK", b);
	}
	free(r);
}

static void
do_healthz(struct http *h, const struct hreq *hr)
{
	struct evbuffer *b = xbuf();

	page_raw(b, "ok\n");
	send_reply(h, hr->req, 200, "OK", b, "text/plain; charset=utf-8");
}

/* GET /metrics: the daemon's numbers and the pages' own. */
static void
do_metrics(struct http *h, const struct hreq *hr)
{
	struct metrics_count outcomes[OUT_MAX], pages[NROUTES + 1];
	struct httpconn_stats cs;
	const char *names[64];
	struct notify_stats ns;
	struct metrics m;
	struct rulestats_view rv;
	struct evbuffer *b = xbuf();
	char errbuf[256];
	size_t i;

	memset(&m, 0, sizeof(m));
	if (rulestats_view(h->env.rules, h->env.store, time(NULL), 1, &rv,
	    errbuf, sizeof(errbuf)) == -1)
		log_warnx("http: store: statistics per rule: %s", errbuf);
	m.rules = &rv;
	notify_queue_stats(h->notify, &ns);
	m.notify = &ns;
	if (h->env.metrics != NULL)
		h->env.metrics(h->env.metrics_arg, &m);
	for (i = 0; i < h->env.zones->n && i < 64; i++)
		names[i] = h->env.zones->v[i].conf->name;
	m.zone_names = names;
	m.nzone_names = i;
	for (i = 0; i < OUT_MAX; i++) {
		outcomes[i].label = outcome_names[i];
		outcomes[i].value = h->outcomes[i];
	}
	for (i = 0; i <= NROUTES; i++) {
		pages[i].label = i < NROUTES ? routes[i].name : "other";
		pages[i].value = h->pages[i];
	}
	m.outcomes = outcomes;
	m.noutcomes = OUT_MAX;
	m.pages = pages;
	m.npages = NROUTES + 1;
	m.codes = h->codes;
	httpconn_get_stats(h->conns, &cs);
	m.http_open = cs.open;
	m.http_max = cs.max;
	m.http_refused_address = cs.refused_address;
	m.http_full = cs.full;
	metrics_write(b, &m);
	rulestats_view_clear(&rv);
	send_reply(h, hr->req, 200, "OK", b, "text/plain; version=0.0.4");
}

/* GET /stats: the statistics per rule of the last week, as charts. */
static void
do_stats(struct http *h, const struct hreq *hr)
{
	struct rulestats_view rv;
	struct evbuffer *b;
	char errbuf[256];
	size_t hours = rulestats_keep_hours(h->env.conf->stats_keep);

	if (rulestats_view(h->env.rules, h->env.store, time(NULL),
	    hours < 7 * 24 ? hours : 7 * 24, &rv, errbuf,
	    sizeof(errbuf)) == -1) {
		rulestats_view_clear(&rv);
		store_failed(h, hr->req, errbuf);
		return;
	}
	b = xbuf();
	statpage_write(b, &rv);
	rulestats_view_clear(&rv);
	send_page(h, hr->req, 200, "OK", b);
}

/* Every request: find its route, check the method and the client. */
static void
route(struct evhttp_request *req, void *arg)
{
	struct http *h = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	int get = cmd == EVHTTP_REQ_GET || cmd == EVHTTP_REQ_HEAD;
	const struct route *rt;
	struct hreq hr;
	size_t i;

	hr.req = req;
	hr.path = uri ? evhttp_uri_get_path(uri) : NULL;
	hr.query = uri ? evhttp_uri_get_query(uri) : NULL;
	client_addr(h, req, &hr.client);
	if (hr.path == NULL || *hr.path == '\0')
		hr.path = "/";
	for (i = 0; i < NROUTES; i++) {
		rt = &routes[i];
		if ((rt->flags & ROUTE_PREFIX) ? strncmp(hr.path, rt->path,
		    strlen(rt->path)) == 0 : strcmp(hr.path, rt->path) == 0)
			break;
	}
	h->pages[i]++;
	if (i == NROUTES) {
		send_message(h, req, 404, "Not Found", "Not found",
		    "There is no such page here.");
		return;
	}
	if (((rt->flags & ROUTE_GET) != 0) != get &&
	    !(rt->flags & ROUTE_POST)) {
		(void)evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", (rt->flags & ROUTE_GET) ? "GET, HEAD" : "POST");
		send_message(h, req, 405, "Method Not Allowed", "Not allowed",
		    (rt->flags & ROUTE_GET) ? "This page is only read." :
		    "Send the form from the lookup page.");
		return;
	}
	if ((rt->flags & ROUTE_METRICS) &&
	    !addrlist_match(&h->env.conf->http.allow_metrics, &hr.client)) {
		send_message(h, req, 403, "Forbidden", "Forbidden",
		    "The metrics are not open to your address.");
		return;
	}
	rt->fn(h, &hr);
}

struct http *
http_new(struct event_base *base, struct fdlimit *fl)
{
	struct http *h = xcalloc(1, sizeof(*h));

	if ((h->eh = evhttp_new(base)) == NULL)
		fatalx("http: cannot create the HTTP server");
	h->conns = httpconn_new(base, h->eh, fl);
	evhttp_set_allowed_methods(h->eh, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_POST);
	evhttp_set_max_headers_size(h->eh, HTTP_MAX_HEADERS);
	evhttp_set_gencb(h->eh, route, h);
	h->rl_client = ratelimit_new(RL_SLOTS);
	h->rl_addr = ratelimit_new(RL_SLOTS);
	h->rl_total = ratelimit_new(1);
	h->rl_lookup = ratelimit_new(RL_SLOTS);
	h->rl_lookup_total = ratelimit_new(1);
	h->rl_email = ratelimit_new(RL_SLOTS);
	h->rl_mail_total = ratelimit_new(1);
	h->notify = notify_queue_new(HTTP_NOTIFY_RUNNING, HTTP_NOTIFY_WAITING);
	h->mailq = notify_queue_new(HTTP_NOTIFY_RUNNING, HTTP_NOTIFY_WAITING);
	return h;
}

/* Bind text ("ADDR@PORT") of l. */
static struct evhttp_bound_socket *
bind_one(struct http *h, const struct conf_listen *l, char *errbuf,
    size_t errlen)
{
	struct evhttp_bound_socket *bs;
	char host[64];
	const char *at = strrchr(l->text, '@');
	size_t n = (size_t)(at - l->text);

	if (n >= sizeof(host))
		n = sizeof(host) - 1;
	memcpy(host, l->text, n);
	host[n] = '\0';
	bs = evhttp_bind_socket_with_handle(h->eh, host,
	    (uint16_t)atoi(at + 1));
	if (bs == NULL) {
		conf_listen_error(l, errno, errbuf, errlen);
		/* "FILE:LINE: listen: ..." names the http: clause's line */
	}
	return bs;
}

int
http_configure(struct http *h, const struct http_env *env, char *errbuf,
    size_t errlen)
{
	const struct conf_http *c = &env->conf->http;
	struct binding *nb;
	size_t i, j, n = c->nlisten;
	uint32_t max;

	h->env = *env;

	nb = xcalloc(n ? n : 1, sizeof(*nb));
	for (i = 0; i < n; i++) {
		nb[i].text = xstrdup(c->listen[i].text);
		for (j = 0; j < h->nb; j++)
			if (h->b[j].bs != NULL &&
			    strcmp(h->b[j].text, nb[i].text) == 0) {
				nb[i].bs = h->b[j].bs;
				nb[i].hl = h->b[j].hl;
				h->b[j].bs = NULL;	/* kept */
				h->b[j].hl = NULL;
				break;
			}
		if (j < h->nb)
			continue;
		if ((nb[i].bs = bind_one(h, &c->listen[i], errbuf,
		    errlen)) == NULL)
			goto fail;
		nb[i].hl = httpconn_listen(h->conns, nb[i].bs, nb[i].text);
		log_info("http: listening on %s", nb[i].text);
	}
	/* close what is no longer listed */
	for (j = 0; j < h->nb; j++) {
		httpconn_unlisten(h->b[j].hl);
		if (h->b[j].bs != NULL)
			evhttp_del_accept_socket(h->eh, h->b[j].bs);
		free(h->b[j].text);
	}
	free(h->b);
	h->b = nb;
	h->nb = n;
	evhttp_set_timeout(h->eh, (int)c->timeout);
	max = httpconn_limits(h->conns, c->max_clients,
	    c->max_clients_per_address);
	if (max < c->max_clients)
		log_info("http: at most %u connections, a quarter of the "
		    "descriptor limit (max-clients: %u)", max, c->max_clients);
	/* evhttp refuses far larger bodies itself; ours get a clear page */
	evhttp_set_max_body_size(h->eh, (ev_ssize_t)(c->max_body * 2));
	return 0;
fail:
	/* give back the kept sockets, close the new ones */
	for (i = 0; i < n; i++) {
		for (j = 0; j < h->nb && nb[i].bs != NULL; j++)
			if (h->b[j].bs == NULL &&
			    strcmp(h->b[j].text, nb[i].text) == 0) {
				h->b[j].bs = nb[i].bs;
				h->b[j].hl = nb[i].hl;
				nb[i].bs = NULL;
				nb[i].hl = NULL;
			}
		httpconn_unlisten(nb[i].hl);
		if (nb[i].bs != NULL)
			evhttp_del_accept_socket(h->eh, nb[i].bs);
		free(nb[i].text);
	}
	free(nb);
	return -1;
}

void
http_free(struct http *h)
{
	size_t i;

	if (h == NULL)
		return;
	while (h->pending != NULL) {
		struct pending *p = h->pending;

		checker_unwait(p->wait);
		send_message(h, p->req, 503, "Service Unavailable",
		    "Shutting down", "The server is shutting down.");
		pending_free(p);
	}
	for (i = 0; i < h->nb; i++) {
		httpconn_unlisten(h->b[i].hl);
		free(h->b[i].text);
	}
	free(h->b);
	evhttp_free(h->eh);
	httpconn_free(h->conns);
	ratelimit_free(h->rl_client);
	ratelimit_free(h->rl_addr);
	ratelimit_free(h->rl_total);
	ratelimit_free(h->rl_lookup);
	ratelimit_free(h->rl_lookup_total);
	ratelimit_free(h->rl_email);
	ratelimit_free(h->rl_mail_total);
	notify_queue_free(h->notify);
	notify_queue_free(h->mailq);
	free(h);
}
