/* SPDX-License-Identifier: ISC */
/*
 * resolve.c -- an asynchronous stub resolver on libevent and ldns.
 *
 * A query lives from resolver_query() until its callback has run (or it
 * is cancelled) and is on the resolver's list all that time, so that
 * resolver_free() can find it. Each try has its own connected UDP socket
 * (a fresh random source port; ICMP port unreachable comes back as
 * ECONNREFUSED), a persistent read event and the query's one timer. The
 * timer also delivers the result: the outcome is stored, everything is
 * closed and a zero timeout runs the callback from the event loop, so the
 * callback is never called from inside resolver_query().
 *
 * Time: the whole query, CNAME follow-ups included, has timeout_ms; each
 * question (the first and each follow-up) gets `tries' tries, each try
 * an even share of what is left, so that a fast failure (SERVFAIL,
 * REFUSED, ECONNREFUSED) leaves more time for the next server. When the
 * tries run out, the outcome of the last try is the result.
 *
 * Stats: sent counts packets sent; answered, responses that matched a
 * try (any rcode); timeouts, tries that timed out; limited, queries
 * refused with RES_LIMITED; errors, everything else that went wrong:
 * ignored packets (unparsable, wrong ID or question, which also catches
 * 0x20 mismatches), socket failures, TC answers, malformed records, the
 * CNAME bound, bad names and a missing server list.
 *
 * Never logs; the caller sees the outcome in struct res_answer.
 */
#include "config.h"

#include "resolve.h"

#include <sys/random.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <ldns/ldns.h>

#include "util.h"

#define RES_MAXSERVERS		8
#define RES_MAXLINKS		8	/* CNAMEs followed in all */
#define RES_EDNS_SIZE		1232
#define RES_RESOLV_CONF		"/etc/resolv.conf"

#define RES_DEF_TIMEOUT_MS	2000
#define RES_DEF_TRIES		2
#define RES_DEF_INFLIGHT	1000
#define RES_DEF_RATE		2000

struct res_server {
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	char			 name[64];	/* "192.0.2.1@53" */
};

struct res_query {
	struct res_query	*prev, *next;	/* resolver's list */
	struct resolver		*res;
	res_cb			*cb;
	void			*arg;
	struct res_answer	 ans;

	ldns_rdf		*cur;	/* this question, lower case */
	ldns_rdf		*sent;	/* as sent, 0x20 mixed case */
	uint16_t		 id;
	int			 fd;
	struct event		*ev_read;	/* assigned if fd != -1 */
	struct event		*ev_timer;
	unsigned		 tries_done;	/* of this question */
	const struct res_server	*server;	/* of this try */
	enum res_status		 fail;	/* of the last try */
	uint64_t		 deadline;	/* monotonic ms */
	int			 inflight;	/* in the stats */
	int			 done;	/* ev_timer delivers */
};

struct resolver {
	struct event_base	*base;
	struct res_server	 servers[RES_MAXSERVERS];
	size_t			 nservers;
	unsigned		 timeout_ms, tries, max_inflight, max_rate;
	double			 tokens;
	uint64_t		 refilled;	/* monotonic ms */
	struct res_query	*queries;	/* open, or to deliver */
	struct resolver_stats	 stats;
	uint8_t			 rnd[64];
	size_t			 rndpos;	/* sizeof(rnd): empty */
	uint8_t			 rbuf[LDNS_MAX_PACKETLEN];
};

static void	query_try_next(struct res_query *);
static void	query_finish(struct res_query *, enum res_status);

static uint64_t
now_ms(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail on Linux with a valid pointer. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Refill the random buffer from getrandom(2). Returns 0 or -1. */
static int
rnd_fill(struct resolver *res)
{
	size_t got = 0;
	ssize_t r;

	while (got < sizeof(res->rnd)) {
		r = getrandom(res->rnd + got, sizeof(res->rnd) - got, 0);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	res->rndpos = 0;
	return 0;
}

/* N random bytes from the buffer, refilled as needed. */
static int
rnd_bytes(struct resolver *res, void *out, size_t n)
{
	uint8_t *p = out;

	while (n-- > 0) {
		if (res->rndpos >= sizeof(res->rnd) && rnd_fill(res) == -1)
			return -1;
		*p++ = res->rnd[res->rndpos++];
	}
	return 0;
}

const char *
res_status_name(enum res_status st)
{
	switch (st) {
	case RES_OK:
		return "ok";
	case RES_NXDOMAIN:
		return "nxdomain";
	case RES_NODATA:
		return "nodata";
	case RES_SERVFAIL:
		return "servfail";
	case RES_REFUSED:
		return "refused";
	case RES_TIMEOUT:
		return "timeout";
	case RES_LIMITED:
		return "limited";
	case RES_ERROR:
		return "error";
	case RES_NORES:
		return "no resources";
	}
	return "unknown";
}

const char *
res_answer_status(const struct res_answer *ans)
{
	if (ans->status == RES_ERROR && ans->why[0] != '\0')
		return ans->why;
	return res_status_name(ans->status);
}

void
resolver_ptr_name(const struct addr *a, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[80], *p = tmp;
	int i;

	if (a->af == ADDR_V4) {
		(void)snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u.in-addr.arpa",
		    a->a[3], a->a[2], a->a[1], a->a[0]);
	} else {
		for (i = 15; i >= 0; i--) {
			*p++ = hex[a->a[i] & 0x0f];
			*p++ = '.';
			*p++ = hex[a->a[i] >> 4];
			*p++ = '.';
		}
		(void)str_copy(p, "ip6.arpa", sizeof(tmp) - (size_t)(p - tmp));
	}
	(void)str_copy(buf, tmp, len);
}

struct resolver *
resolver_new(struct event_base *base)
{
	struct resolver *res;

	res = xcalloc(1, sizeof(*res));
	res->base = base;
	res->rndpos = sizeof(res->rnd);
	resolver_set_limits(res, RES_DEF_TIMEOUT_MS, RES_DEF_TRIES,
	    RES_DEF_INFLIGHT, RES_DEF_RATE);
	return res;
}

void
resolver_set_limits(struct resolver *res, unsigned timeout_ms,
    unsigned tries, unsigned max_inflight, unsigned max_rate)
{
	res->timeout_ms = timeout_ms ? timeout_ms : RES_DEF_TIMEOUT_MS;
	res->tries = tries ? tries : 1;
	res->max_inflight = max_inflight;
	res->max_rate = max_rate;
	res->tokens = max_rate;
	res->refilled = now_ms();
}

const struct resolver_stats *
resolver_stats(const struct resolver *res)
{
	return &res->stats;
}

/*
 * Parse an address with an optional "%scope" (IPv6) and a port into SRV.
 * Returns 0, or -1 with errbuf.
 */
static int
server_parse(const char *addr, uint16_t port, struct res_server *srv,
    char *errbuf, size_t errlen)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&srv->ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&srv->ss;
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2], *scope;
	char text[INET6_ADDRSTRLEN];
	const char *errstr;
	uint64_t v;

	memset(srv, 0, sizeof(*srv));
	if (str_copy(buf, addr, sizeof(buf)) >= sizeof(buf)) {
		(void)snprintf(errbuf, errlen, "bad resolver address \"%.64s\"",
		    addr);
		return -1;
	}
	if ((scope = strchr(buf, '%')) != NULL)
		*scope++ = '\0';
	if (scope == NULL && inet_pton(AF_INET, buf, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		srv->sslen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, buf, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		if (scope != NULL) {
			sin6->sin6_scope_id = if_nametoindex(scope);
			if (sin6->sin6_scope_id == 0 && parse_uint(scope, 1,
			    UINT32_MAX, &v, &errstr) == 0)
				sin6->sin6_scope_id = (uint32_t)v;
			if (sin6->sin6_scope_id == 0) {
				(void)snprintf(errbuf, errlen,
				    "bad scope in resolver address \"%s\"",
				    addr);
				return -1;
			}
		}
		srv->sslen = sizeof(*sin6);
	} else {
		(void)snprintf(errbuf, errlen, "bad resolver address \"%s\"",
		    addr);
		return -1;
	}
	/* The canonical text form, which always fits: "ADDR@PORT". */
	if (inet_ntop(srv->ss.ss_family, srv->ss.ss_family == AF_INET ?
	    (void *)&sin->sin_addr : (void *)&sin6->sin6_addr, text,
	    sizeof(text)) == NULL)
		(void)str_copy(text, "?", sizeof(text));
	(void)snprintf(srv->name, sizeof(srv->name), "%s@%u", text,
	    (unsigned)port);
	return 0;
}

static int
server_add(struct resolver *res, const struct res_server *srv, char *errbuf,
    size_t errlen)
{
	if (res->nservers >= RES_MAXSERVERS) {
		(void)snprintf(errbuf, errlen,
		    "too many resolvers (at most %d)", RES_MAXSERVERS);
		return -1;
	}
	res->servers[res->nservers++] = *srv;
	return 0;
}

/*
 * The nameserver lines of resolv.conf, as the C library reads them:
 * lines it could not use are skipped, and with none, 127.0.0.1@53.
 */
static int
server_add_system(struct resolver *res, char *errbuf, size_t errlen)
{
	struct res_server srv;
	char line[512], err[128], *p, *tok;
	FILE *fp;
	int n = 0;

	if ((fp = fopen(RES_RESOLV_CONF, "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL) {
			p = line + strspn(line, " \t");
			if (strncmp(p, "nameserver", 10) != 0 ||
			    (p[10] != ' ' && p[10] != '\t'))
				continue;
			p += 10;
			p += strspn(p, " \t");
			tok = p;
			p += strcspn(p, " \t\r\n#;");
			*p = '\0';
			if (server_parse(tok, 53, &srv, err, sizeof(err)) == -1)
				continue;
			if (server_add(res, &srv, errbuf, errlen) == -1) {
				(void)fclose(fp);
				return n > 0 ? 0 : -1;
			}
			n++;
		}
		(void)fclose(fp);
	}
	if (n > 0)
		return 0;
	if (server_parse("127.0.0.1", 53, &srv, errbuf, errlen) == -1)
		return -1;
	return server_add(res, &srv, errbuf, errlen);
}

int
resolver_add_server(struct resolver *res, const char *spec, char *errbuf,
    size_t errlen)
{
	struct res_server srv;
	char addr[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	const char *at, *errstr;
	uint64_t port = 53;
	size_t n;

	if (strcmp(spec, "system") == 0)
		return server_add_system(res, errbuf, errlen);
	if ((at = strrchr(spec, '@')) != NULL) {
		if (parse_uint(at + 1, 1, 65535, &port, &errstr) == -1) {
			(void)snprintf(errbuf, errlen,
			    "bad port in resolver \"%.100s\": %s", spec,
			    errstr);
			return -1;
		}
		n = (size_t)(at - spec);
	} else
		n = strlen(spec);
	if (n == 0 || n >= sizeof(addr)) {
		(void)snprintf(errbuf, errlen,
		    "bad resolver address \"%.100s\"", spec);
		return -1;
	}
	memcpy(addr, spec, n);
	addr[n] = '\0';
	if (server_parse(addr, (uint16_t)port, &srv, errbuf, errlen) == -1)
		return -1;
	return server_add(res, &srv, errbuf, errlen);
}

/* A dname as text: lower case, ldns's escapes, no final dot ("." stays). */
static void
dname_text(const ldns_rdf *dname, char *buf, size_t len)
{
	ldns_rdf *lc;
	char *s;
	size_t n;

	buf[0] = '\0';
	lc = ldns_rdf_clone(dname);
	if (lc == NULL)
		return;
	ldns_dname2canonical(lc);
	s = ldns_rdf2str(lc);
	ldns_rdf_deep_free(lc);
	if (s == NULL)
		return;
	/* ldns prints an absolute name with its final dot, always. */
	n = strlen(s);
	if (n > 1 && s[n - 1] == '.')
		s[n - 1] = '\0';
	(void)str_copy(buf, s, len);
	free(s);
}

/* Close the socket of the current try, if any. */
static void
query_close_try(struct res_query *q)
{
	if (q->fd != -1) {
		(void)event_del(q->ev_read);
		(void)close(q->fd);
		q->fd = -1;
	}
	ldns_rdf_deep_free(q->sent);
	q->sent = NULL;
}

static void
query_unlink(struct res_query *q)
{
	if (q->prev != NULL)
		q->prev->next = q->next;
	else
		q->res->queries = q->next;
	if (q->next != NULL)
		q->next->prev = q->prev;
	q->prev = q->next = NULL;
}

/* Free the memory of a query whose events are not pending. */
static void
query_release(struct res_query *q)
{
	free(q->ev_timer);
	free(q->ev_read);
	ldns_rdf_deep_free(q->cur);
	free(q);
}

static void
query_free(struct res_query *q)
{
	query_close_try(q);
	(void)event_del(q->ev_timer);
	query_release(q);
}

/* The timer: a try timed out, or the result is ready to deliver. */
static void
query_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct res_query *q = arg;

	(void)fd;
	(void)what;
	if (q->done) {
		/*
		 * The socket is closed and the timer has fired: nothing here
		 * touches the event base after the callback, which may even
		 * free the resolver.
		 */
		query_unlink(q);
		q->cb(q->arg, &q->ans);
		query_release(q);
		return;
	}
	q->res->stats.timeouts++;
	q->fail = RES_TIMEOUT;
	query_try_next(q);
}

/*
 * Store the outcome and schedule the callback. Safe to call from inside
 * resolver_query(): the callback runs from the event loop.
 */
static void
query_finish(struct res_query *q, enum res_status st)
{
	static const struct timeval zero = { 0, 0 };

	query_close_try(q);
	if (q->inflight) {
		q->res->stats.inflight--;
		q->inflight = 0;
	}
	q->ans.status = st;
	if (q->ans.ttl == UINT32_MAX)
		q->ans.ttl = 0;
	if (st != RES_OK) {
		q->ans.nnames = 0;
		q->ans.naddrs = 0;
	}
	q->done = 1;
	(void)event_del(q->ev_timer);
	(void)event_add(q->ev_timer, &zero);
}

static void	query_read_cb(evutil_socket_t, short, void *);

/* Mix the case of the letters of a wire-format name at random (0x20). */
static int
dname_mix_case(struct resolver *res, ldns_rdf *dname)
{
	uint8_t *d = ldns_rdf_data(dname), bits = 0;
	size_t len = ldns_rdf_size(dname), i, j, lab, nbits = 0;

	for (i = 0; i < len && d[i] != 0; i += lab + 1) {
		lab = d[i];
		for (j = i + 1; j <= i + lab && j < len; j++) {
			/* The name is in canonical (lower) case. */
			if (d[j] < 'a' || d[j] > 'z')
				continue;
			if (nbits == 0) {
				if (rnd_bytes(res, &bits, 1) == -1)
					return -1;
				nbits = 8;
			}
			if (bits & 1)
				d[j] = (uint8_t)(d[j] - 'a' + 'A');
			bits >>= 1;
			nbits--;
		}
	}
	return 0;
}

/*
 * Send one try of the current question to SRV. Returns 0, or -1 (counted
 * in errors) when nothing could be sent.
 */
static int
query_send(struct res_query *q, const struct res_server *srv)
{
	struct resolver *res = q->res;
	ldns_pkt *pkt;
	ldns_rdf *name;
	uint8_t *wire = NULL;
	size_t wlen;
	ssize_t n;
	int fd, e;

	errno = 0;
	q->server = srv;
	if ((q->sent = ldns_rdf_clone(q->cur)) == NULL ||
	    dname_mix_case(res, q->sent) == -1 ||
	    rnd_bytes(res, &q->id, sizeof(q->id)) == -1 ||
	    (name = ldns_rdf_clone(q->sent)) == NULL)
		return -1;
	pkt = ldns_pkt_query_new(name, q->ans.type, LDNS_RR_CLASS_IN, LDNS_RD);
	if (pkt == NULL) {
		ldns_rdf_deep_free(name);
		return -1;
	}
	ldns_pkt_set_id(pkt, q->id);
	ldns_pkt_set_edns_udp_size(pkt, RES_EDNS_SIZE);
	ldns_pkt_set_edns_version(pkt, 0);
	if (ldns_pkt2wire(&wire, pkt, &wlen) != LDNS_STATUS_OK) {
		ldns_pkt_free(pkt);
		free(wire);
		return -1;
	}
	ldns_pkt_free(pkt);

	fd = socket(srv->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1) {
		e = errno;	/* for query_try_next: RES_NORES? */
		free(wire);
		errno = e;
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)&srv->ss, srv->sslen) == -1 ||
	    (n = send(fd, wire, wlen, 0)) == -1 || (size_t)n != wlen) {
		(void)close(fd);
		free(wire);
		return -1;
	}
	free(wire);
	q->fd = fd;
	(void)event_assign(q->ev_read, res->base, fd, EV_READ | EV_PERSIST,
	    query_read_cb, q);
	if (event_add(q->ev_read, NULL) == -1) {
		(void)close(fd);
		q->fd = -1;
		return -1;
	}
	res->stats.sent++;
	return 0;
}

/*
 * Close the current try and start the next one, or finish with the last
 * try's outcome when the tries or the time have run out.
 */
static void
query_try_next(struct res_query *q)
{
	struct resolver *res = q->res;
	struct timeval tv;
	uint64_t now, left, slice;
	unsigned remain;

	for (;;) {
		query_close_try(q);
		now = now_ms();
		if (q->tries_done >= res->tries || now >= q->deadline) {
			query_finish(q, q->fail);
			return;
		}
		remain = res->tries - q->tries_done;
		left = q->deadline - now;
		slice = left / remain;
		if (slice == 0)
			slice = left;
		q->tries_done++;
		if (query_send(q, &res->servers[(q->tries_done - 1) %
		    res->nservers]) == 0) {
			tv.tv_sec = (time_t)(slice / 1000);
			tv.tv_usec = (suseconds_t)((slice % 1000) * 1000);
			(void)event_del(q->ev_timer);
			(void)event_add(q->ev_timer, &tv);
			return;
		}
		res->stats.errors++;
		q->fail = errno == EMFILE || errno == ENFILE ||
		    errno == ENOBUFS || errno == ENOMEM ? RES_NORES : RES_ERROR;
	}
}

/* Start the tries of the question q->cur. */
static void
query_start_question(struct res_query *q)
{
	q->tries_done = 0;
	q->fail = RES_TIMEOUT;
	query_try_next(q);
}

/* The negative TTL of an answer: the SOA's TTL capped by its minimum. */
static void
answer_negative_ttl(struct res_query *q, const ldns_pkt *pkt)
{
	ldns_rr_list *auth = ldns_pkt_authority(pkt);
	ldns_rr *rr;
	uint32_t ttl;
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(auth); i++) {
		rr = ldns_rr_list_rr(auth, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA ||
		    ldns_rr_rd_count(rr) < 7)
			continue;
		ttl = ldns_rr_ttl(rr);
		if (ldns_rdf2native_int32(ldns_rr_rdf(rr, 6)) < ttl)
			ttl = ldns_rdf2native_int32(ldns_rr_rdf(rr, 6));
		if (ttl < q->ans.ttl)
			q->ans.ttl = ttl;
		return;
	}
}

/* Keep one record of the asked type. Returns 1 if usable, else 0. */
static int
answer_keep(struct res_query *q, const ldns_rr *rr)
{
	struct res_answer *ans = &q->ans;
	const ldns_rdf *rd;

	if (ldns_rr_rd_count(rr) < 1)
		return 0;
	rd = ldns_rr_rdf(rr, 0);
	switch (ans->type) {
	case LDNS_RR_TYPE_PTR:
		if (ldns_rdf_get_type(rd) != LDNS_RDF_TYPE_DNAME)
			return 0;
		if (ans->nnames < RES_MAXNAMES)
			dname_text(rd, ans->names[ans->nnames++],
			    sizeof(ans->names[0]));
		return 1;
	case LDNS_RR_TYPE_A:
		if (ldns_rdf_size(rd) != 4)
			return 0;
		if (ans->naddrs < RES_MAXNAMES)
			addr_from_bytes(&ans->addrs[ans->naddrs++], ADDR_V4,
			    ldns_rdf_data(rd));
		return 1;
	case LDNS_RR_TYPE_AAAA:
		if (ldns_rdf_size(rd) != 16)
			return 0;
		if (ans->naddrs < RES_MAXNAMES)
			addr_from_bytes(&ans->addrs[ans->naddrs++], ADDR_V6,
			    ldns_rdf_data(rd));
		return 1;
	default:
		return 0;
	}
}

/* A NOERROR or NXDOMAIN answer: follow CNAMEs, collect the data. */
static void
query_answer(struct res_query *q, const ldns_pkt *pkt, ldns_pkt_rcode rcode)
{
	struct resolver *res = q->res;
	ldns_rr_list *an = ldns_pkt_answer(pkt);
	const ldns_rdf *name = q->cur;
	ldns_rdf *next;
	ldns_rr *rr;
	size_t i, n = ldns_rr_list_rr_count(an), found = 0;
	int followed = 0, moved;

	do {
		moved = 0;
		for (i = 0; i < n; i++) {
			rr = ldns_rr_list_rr(an, i);
			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_CNAME ||
			    ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN ||
			    ldns_rr_rd_count(rr) < 1 ||
			    ldns_dname_compare(ldns_rr_owner(rr), name) != 0)
				continue;
			if (q->ans.ncname >= RES_MAXLINKS) {
				res->stats.errors++;
				query_finish(q, RES_ERROR);
				return;
			}
			q->ans.ncname++;
			if (ldns_rr_ttl(rr) < q->ans.ttl)
				q->ans.ttl = ldns_rr_ttl(rr);
			name = ldns_rr_rdf(rr, 0);
			followed = moved = 1;
			break;
		}
	} while (moved);
	dname_text(name, q->ans.final, sizeof(q->ans.final));

	if (rcode == LDNS_RCODE_NXDOMAIN) {
		answer_negative_ttl(q, pkt);
		query_finish(q, RES_NXDOMAIN);
		return;
	}
	for (i = 0; i < n; i++) {
		rr = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_type(rr) != q->ans.type ||
		    ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN ||
		    ldns_dname_compare(ldns_rr_owner(rr), name) != 0)
			continue;
		if (!answer_keep(q, rr)) {
			res->stats.errors++;
			continue;
		}
		found++;
		if (ldns_rr_ttl(rr) < q->ans.ttl)
			q->ans.ttl = ldns_rr_ttl(rr);
	}
	if (found > 0) {
		query_finish(q, RES_OK);
		return;
	}
	if (followed) {
		/* The chain ends here without data: ask for its target. */
		if ((next = ldns_rdf_clone(name)) == NULL) {
			res->stats.errors++;
			query_finish(q, RES_ERROR);
			return;
		}
		ldns_dname2canonical(next);
		ldns_rdf_deep_free(q->cur);
		q->cur = next;
		query_start_question(q);
		return;
	}
	answer_negative_ttl(q, pkt);
	query_finish(q, RES_NODATA);
}

/*
 * 1 if PKT answers the current try: a response with our ID and our
 * question, name compared byte for byte (0x20).
 */
static int
query_matches(const struct res_query *q, const ldns_pkt *pkt)
{
	const ldns_rr *qr;
	const ldns_rdf *owner;

	if (!ldns_pkt_qr(pkt) || ldns_pkt_id(pkt) != q->id ||
	    ldns_pkt_get_opcode(pkt) != LDNS_PACKET_QUERY ||
	    ldns_rr_list_rr_count(ldns_pkt_question(pkt)) != 1)
		return 0;
	qr = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);
	owner = ldns_rr_owner(qr);
	return ldns_rr_get_type(qr) == q->ans.type &&
	    ldns_rr_get_class(qr) == LDNS_RR_CLASS_IN &&
	    ldns_rdf_size(owner) == ldns_rdf_size(q->sent) &&
	    memcmp(ldns_rdf_data(owner), ldns_rdf_data(q->sent),
	    ldns_rdf_size(owner)) == 0;
}

static void
query_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct res_query *q = arg;
	struct resolver *res = q->res;
	ldns_pkt *pkt;
	ldns_pkt_rcode rcode;
	ssize_t n;

	(void)what;
	for (;;) {
		n = recv(fd, res->rbuf, sizeof(res->rbuf), 0);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			/* ECONNREFUSED and the like: this server is out. */
			if (errno == ECONNREFUSED)
				(void)snprintf(q->ans.why, sizeof(q->ans.why),
				    "error (connection refused by %s: is a "
				    "resolver running there?)",
				    q->server->name);
			res->stats.errors++;
			q->fail = RES_ERROR;
			query_try_next(q);
			return;
		}
		pkt = NULL;
		if (ldns_wire2pkt(&pkt, res->rbuf, (size_t)n) !=
		    LDNS_STATUS_OK || !query_matches(q, pkt)) {
			res->stats.errors++;
			ldns_pkt_free(pkt);
			continue;
		}
		break;
	}
	res->stats.answered++;
	(void)str_copy(q->ans.server, q->server->name, sizeof(q->ans.server));
	if (ldns_pkt_tc(pkt)) {
		res->stats.errors++;
		query_finish(q, RES_ERROR);
		ldns_pkt_free(pkt);
		return;
	}
	switch ((rcode = ldns_pkt_get_rcode(pkt))) {
	case LDNS_RCODE_NOERROR:
	case LDNS_RCODE_NXDOMAIN:
		query_answer(q, pkt, rcode);
		break;
	case LDNS_RCODE_SERVFAIL:
		q->fail = RES_SERVFAIL;
		query_try_next(q);
		break;
	case LDNS_RCODE_REFUSED:
	case LDNS_RCODE_NOTIMPL:
	case LDNS_RCODE_FORMERR:
		q->fail = RES_REFUSED;
		query_try_next(q);
		break;
	default:
		q->fail = RES_ERROR;
		query_try_next(q);
		break;
	}
	ldns_pkt_free(pkt);
}

/* A bucket of max_rate tokens, refilled at max_rate a second. */
static int
rate_take(struct resolver *res)
{
	uint64_t now;

	if (res->max_rate == 0)
		return 1;
	now = now_ms();
	res->tokens += (double)(now - res->refilled) * res->max_rate / 1000.0;
	if (res->tokens > res->max_rate)
		res->tokens = res->max_rate;
	res->refilled = now;
	if (res->tokens < 1.0)
		return 0;
	res->tokens -= 1.0;
	return 1;
}

struct res_query *
resolver_query(struct resolver *res, const char *name, uint16_t type,
    res_cb *cb, void *arg)
{
	struct res_query *q;

	q = xcalloc(1, sizeof(*q));
	q->res = res;
	q->cb = cb;
	q->arg = arg;
	q->fd = -1;
	q->ans.type = type;
	q->ans.ttl = UINT32_MAX;
	q->ev_timer = xmalloc(event_get_struct_event_size());
	q->ev_read = xmalloc(event_get_struct_event_size());
	(void)event_assign(q->ev_timer, res->base, -1, 0, query_timer_cb, q);
	if ((q->next = res->queries) != NULL)
		q->next->prev = q;
	res->queries = q;

	if ((q->cur = ldns_dname_new_frm_str(name)) == NULL) {
		(void)str_copy(q->ans.qname, name, sizeof(q->ans.qname));
		(void)str_copy(q->ans.final, name, sizeof(q->ans.final));
		res->stats.errors++;
		query_finish(q, RES_ERROR);
		return q;
	}
	ldns_dname2canonical(q->cur);
	dname_text(q->cur, q->ans.qname, sizeof(q->ans.qname));
	(void)str_copy(q->ans.final, q->ans.qname, sizeof(q->ans.final));

	if ((type != LDNS_RR_TYPE_PTR && type != LDNS_RR_TYPE_A &&
	    type != LDNS_RR_TYPE_AAAA) || res->nservers == 0) {
		res->stats.errors++;
		query_finish(q, RES_ERROR);
		return q;
	}
	if ((res->max_inflight && res->stats.inflight >= res->max_inflight) ||
	    !rate_take(res)) {
		res->stats.limited++;
		query_finish(q, RES_LIMITED);
		return q;
	}
	res->stats.inflight++;
	q->inflight = 1;
	q->deadline = now_ms() + res->timeout_ms;
	query_start_question(q);
	return q;
}

void
resolver_cancel(struct res_query *q)
{
	if (q == NULL)
		return;
	query_unlink(q);
	if (q->inflight)
		q->res->stats.inflight--;
	query_free(q);
}

void
resolver_free(struct resolver *res)
{
	struct res_query *q;

	if (res == NULL)
		return;
	while ((q = res->queries) != NULL)
		resolver_cancel(q);
	free(res);
}
