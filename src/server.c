/* SPDX-License-Identifier: ISC */
/*
 * server.c -- UDP and TCP DNS listeners on libevent.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#ifdef __linux__
#include <linux/filter.h>
#endif
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "server.h"
#include "check.h"
#include "conf.h"
#include "dnstap.h"
#include "fdlimit.h"
#include "log.h"
#include "querylog.h"
#include "rrl.h"
#include "rulestats.h"
#include "store.h"
#include "tsig.h"
#include "util.h"
#include "wire.h"
#include "xfr.h"
#include "zone.h"

#define UDP_BATCH	32
#define UDP_BUFSIZE	4096
#define TCP_MSGMAX	65535
/*
 * The UDP receive buffer: room for the queries of a burst while the loop
 * is busy (a query takes about 0.7 kB of buffer, headers included). The
 * kernel's default, net.core.rmem_default (about 200 kB), drops queries
 * from a few hundred outstanding on; as root SO_RCVBUFFORCE passes over
 * net.core.rmem_max, otherwise SO_RCVBUF gets what rmem_max allows.
 */
#define UDP_RCVBUF	(4 * 1024 * 1024)

struct listener {
	struct listener		*next;
	struct server		*srv;
	char			*text;		/* "127.0.0.1@53" */
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	int			 udp_fd;	/* the queries come in here */
	int			 out_fd;	/* the answers go out here */
	struct event		*udp_ev;
	struct evconnlistener	*tcp;
	struct fdlimit_watch	*watch;		/* of tcp, or NULL */
};

struct held;

struct tcp_conn {
	struct tcp_conn		*prev, *next;	/* open connections */
	struct server		*srv;
	struct bufferevent	*bev;
	struct addr		 peer;
	struct sockaddr_storage	 from;		/* the peer, with its port */
	struct sockaddr_storage	 local;		/* our end (dnstap) */
	struct held		*held;		/* queries waiting for checks */
	time_t			 opened;	/* accepted at */
	uint64_t		 last;		/* srv->tcp_tick at its last query */
};

/* A query held until a computed check ends. */
struct held {
	struct held		*prev, *next;	/* on the conn, or srv->udp_held */
	struct server		*srv;
	struct check_wait	*wait;
	struct tcp_conn		*conn;		/* TCP, or NULL for UDP */
	int			 fd;		/* UDP socket */
	struct sockaddr_storage	 from;
	struct sockaddr_storage	 local;		/* the listener's address */
	socklen_t		 fromlen;
	struct addr		 peer;
	struct check_subject	 subj;		/* what is checked */
	struct timespec		 qtime;		/* when it came (dnstap) */
	size_t			 len;
	uint8_t			 pkt[];		/* the query */
};

struct server {
	struct event_base	*base;
	struct fdlimit		*fdlimit;	/* or NULL */
	const struct answer_conf *ac;
	struct listener		*listeners;
	struct tcp_conn		*conns;
	struct held		*udp_held;
	struct checker		*checker;
	unsigned		 check_timeout_ms;
	void			(*batch_hook)(void *);
	void			*batch_arg;
	struct xfr		*xfr;		/* zone transfers, or NULL */
	struct rrl		*rrl;		/* UDP rate limit, or NULL */
	struct dnstap		*dnstap;	/* or NULL */
	int			 tap_queries;	/* dnstap AUTH_QUERY frames */
	int			 tap_responses;	/* and AUTH_RESPONSE */
	const struct conf_key	*keys;		/* TSIG keys of the conf */
	size_t			 nkeys;
	struct rulestats	*rules;		/* listings by rule, or NULL */
	struct server_stats	 stats;
	uint32_t		 rrl_rate;	/* for the log */
	uint32_t		 tcp_timeout;
	uint32_t		 tcp_clients;
	uint32_t		 tcp_per_address;
	uint32_t		 tcp_max_time;	/* s */
	uint32_t		 tcp_open;
	uint64_t		 tcp_tick;	/* counts accepts and TCP queries */
	uint64_t		 tcp_unlogged;	/* refusals not logged yet */
	time_t			 tcp_log_next;	/* log refusals from then */
	/* UDP batch buffers, reused for every batch */
	uint8_t			 in[UDP_BATCH][UDP_BUFSIZE];
	struct answer_query	 aq[UDP_BATCH];	/* in[], parsed */
	uint8_t			 out[UDP_BATCH][UDP_BUFSIZE];
	uint8_t			 tcp_out[TCP_MSGMAX + 2];
	uint8_t			 tcp_in[TCP_MSGMAX];
	/* store-error log limiting */
	time_t			 err_window;
	unsigned		 err_logged, err_suppressed;
};

static void
sockaddr_to_addr(const struct sockaddr *sa, struct addr *a)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)sa;

		addr_from_bytes(a, ADDR_V4, (const uint8_t *)&sin->sin_addr);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		addr_from_bytes(a, ADDR_V6, sin6->sin6_addr.s6_addr);
		/* a v4-mapped peer (dual-stack socket) is an IPv4 peer */
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
			addr_from_bytes(a, ADDR_V4,
			    sin6->sin6_addr.s6_addr + 12);
	} else
		memset(a, 0, sizeof(*a));
}

/* Log a store error, at most 10 a minute, counting the rest. */
static void
store_error(struct server *srv, time_t now, const char *errbuf)
{
	if (now - srv->err_window >= 60) {
		if (srv->err_suppressed)
			log_warnx("store: %u more errors suppressed",
			    srv->err_suppressed);
		srv->err_window = now;
		srv->err_logged = 0;
		srv->err_suppressed = 0;
	}
	if (srv->err_logged++ < 10)
		log_warnx("store: %s (answered SERVFAIL)", errbuf);
	else
		srv->err_suppressed++;
}

/*
 * A dnstap frame of a query (resp 0) that came at qt from the peer at
 * from, or of the answer to it (resp 1) that goes now, if dnstap is on
 * and the configuration asks for it; queued, or counted as dropped.
 */
static void
tap(struct server *srv, int resp, int tcp, const struct sockaddr_storage *from,
    const struct sockaddr_storage *local, const struct timespec *qt,
    const uint8_t *msg, size_t len)
{
	struct dnstap_event ev;

	if (srv->dnstap == NULL || !(resp ? srv->tap_responses :
	    srv->tap_queries))
		return;
	memset(&ev, 0, sizeof(ev));
	ev.response = resp;
	ev.tcp = tcp;
	ev.peer = (const struct sockaddr *)from;
	ev.local = (const struct sockaddr *)local;
	ev.qtime = *qt;
	if (resp)
		(void)clock_gettime(CLOCK_REALTIME, &ev.rtime);
	ev.msg = msg;
	ev.len = len;
	if (dnstap_send(srv->dnstap, &ev) == 0)
		srv->stats.dnstap_sent++;
	else
		srv->stats.dnstap_dropped++;
}

/* The time a query came, for dnstap (only when it is on). */
static void
tap_time(const struct server *srv, struct timespec *qt)
{
	if (srv->dnstap != NULL)
		(void)clock_gettime(CLOCK_REALTIME, qt);
	else
		memset(qt, 0, sizeof(*qt));
}

/* The query log's line of an answer (buf, len bytes) of kind, when on. */
static void
query_logged(struct server *srv, const struct answer_query *aq,
    const struct answer_in *in, enum answer_kind kind, const uint8_t *buf,
    size_t len)
{
	char line[QUERYLOG_MAX];

	if (srv->ac->log_queries)
		log_info("%s", querylog_format(line, sizeof(line), in->now,
		    in->peer, in->tcp, &aq->q, aq->z != NULL ?
		    aq->z->conf->name : NULL, kind, buf, len));
}

/*
 * Answer the parsed query aq with in into buf (cap bytes), counted and
 * logged; returns the answer's length (0: nothing to send). out->kind
 * ANS_NEED_CHECK: hold the query for a check of out->need.
 */
static size_t
answer(struct server *srv, const struct answer_query *aq,
    const struct answer_in *in, uint8_t *buf, size_t cap,
    struct answer_out *out)
{
	enum answer_kind kind;

	answer_query(srv->ac, aq, in, buf, cap, out);
	if ((kind = out->kind) == ANS_NEED_CHECK)
		return 0;		/* counted when answered */
	srv->stats.answers[kind]++;
	if (out->zone_index >= 0 &&
	    (size_t)out->zone_index < srv->stats.nzones)
		srv->stats.zone_answers[out->zone_index][kind]++;
	srv->stats.cache_hits += out->cache_hit != 0;
	if (out->reasons != 0 && srv->rules != NULL)
		rulestats_listing(srv->rules, out->reasons, out->rule,
		    in->now);
	if (kind == ANS_SERVFAIL && out->errbuf[0])
		store_error(srv, in->now, out->errbuf);
	query_logged(srv, aq, in, kind, buf, out->len);
	return out->len;
}

/*
 * The TSIG of a parsed query (pkt, len bytes, from in->peer): TSIG_NONE,
 * or TSIG_OK with t ready to sign the answer, or -1 with an answer of its
 * own in buf (cap bytes; out->len, counted and logged at verbosity 2):
 * NOTAUTH for an unknown key or a bad MAC (unsigned) or time (signed),
 * FORMERR for a malformed record.
 */
static int
query_tsig(struct server *srv, const struct answer_query *aq,
    const uint8_t *pkt, size_t len, const struct answer_in *in,
    struct tsig *t, uint8_t *buf, size_t cap, struct answer_out *out)
{
	char ip[ADDR_STRLEN], name[WIRE_MAXNAME * 4];
	struct resp r;
	int rc;

	if (aq->rc != WIRE_OK || aq->q.tsig_off == 0)
		return TSIG_NONE;
	rc = tsig_verify(srv->keys, srv->nkeys, pkt, len, aq->q.tsig_off,
	    in->now, t);
	if (rc == TSIG_OK)
		return rc;
	out->zone_index = -1;
	out->cache_hit = 0;
	out->errbuf[0] = '\0';
	resp_init(&r, buf, cap, 65535, &aq->q, rc == TSIG_MALFORMED ?
	    RCODE_FORMERR : RCODE_NOTAUTH, 0, 0);
	if (rc == TSIG_MALFORMED) {
		out->kind = ANS_FORMERR;
		out->len = resp_finish(&r);
	} else {
		out->kind = ANS_NOTAUTH;
		out->len = tsig_error_answer(t, buf, r.qend, cap, in->now);
	}
	srv->stats.answers[out->kind]++;
	query_logged(srv, aq, in, out->kind, buf, out->len);
	verbose(VERB_DETAIL, "tsig: query from %s%s%s: %s",
	    addr_format(in->peer, ip, sizeof(ip)),
	    rc == TSIG_MALFORMED ? "" : " with key ",
	    rc == TSIG_MALFORMED ? "" : wire_name_str(t->keyname,
	    t->keyname_len, name, sizeof(name)), rc == TSIG_MALFORMED ?
	    "malformed TSIG record (FORMERR)" : tsig_error_name(t->error));
	return -1;
}

/*
 * answer() for a query that may be signed (pkt, len bytes): its TSIG is
 * checked first, and the answer to a signed query is signed, cut to its
 * question with TC set when the signature would not fit over UDP. With
 * slip (a slip of the rate limit), the answer is cut to its question
 * with TC set in any case, before it is signed, so that a client with
 * the key can trust the TC and ask again over TCP.
 */
static size_t
answer_signed(struct server *srv, const struct answer_query *aq,
    const uint8_t *pkt, size_t len, const struct answer_in *in,
    uint8_t *buf, size_t cap, struct answer_out *out, int slip)
{
	struct tsig t;
	size_t n, room;

	switch (query_tsig(srv, aq, pkt, len, in, &t, buf, cap, out)) {
	case TSIG_NONE:
		n = answer(srv, aq, in, buf, cap, out);
		return slip && n > 0 ? wire_truncate(buf, n) : n;
	case TSIG_OK:
		break;
	default:
		return out->len;
	}
	n = answer(srv, aq, in, buf, cap, out);
	if (n == 0)
		return 0;
	room = t.keyname_len + t.alg_len + 26 + t.mac_len;
	if (slip || n + room > answer_limit(srv->ac, &aq->q, in->tcp)) {
		n = wire_truncate(buf, n);
		if (n + room > answer_limit(srv->ac, &aq->q, in->tcp))
			n = 0;
	}
	if (n > 0)
		n = tsig_sign(&t, buf, n, cap, in->now);
	out->len = n;
	return n;
}

/*
 * Send one UDP answer. The sockets set DF and never fragment
 * (udp_dontfrag): an answer larger than the interface takes fails with
 * EMSGSIZE and goes out truncated instead, TC set, so that the client
 * asks again over TCP.
 */
static ssize_t
udp_send(int fd, uint8_t *buf, size_t len, const struct sockaddr *to,
    socklen_t tolen)
{
	ssize_t n;
	size_t cut;

	n = sendto(fd, buf, len, 0, to, tolen);
	if (n == -1 && errno == EMSGSIZE &&
	    (cut = wire_truncate(buf, len)) > 0 && cut < len) {
		verbose(VERB_DETAIL, "udp: a %zu-byte answer is larger than "
		    "the interface takes: sent truncated", len);
		n = sendto(fd, buf, cut, 0, to, tolen);
	}
	return n;
}

/*
 * The rate limit's word on an answer to peer over UDP, counted; a prefix
 * that goes over the rate is logged (verbosity 2) once a second at most.
 */
static enum rrl_action
rate_limit(struct server *srv, const struct addr *peer, time_t now)
{
	enum rrl_action act;
	struct addr prefix;
	char buf[ADDR_STRLEN];
	int started;

	act = rrl_check(srv->rrl, peer, now, &started, &prefix);
	if (started)
		verbose(VERB_DETAIL, "rrl: %s over %u answers a second: "
		    "limited", addr_format(&prefix, buf, sizeof(buf)),
		    (unsigned)srv->rrl_rate);
	if (act == RRL_DROP)
		srv->stats.rrl_dropped++;
	return act;
}

/*
 * Count a slip of the rate limit whose answer (answer_signed, slip set)
 * is len bytes: as slipped, or as dropped when there is nothing to send.
 */
static void
rate_slip(struct server *srv, size_t len)
{
	if (len > 0)
		srv->stats.rrl_slipped++;
	else
		srv->stats.rrl_dropped++;
}

static void
held_free(struct held *h)
{
	struct held **head = h->conn != NULL ? &h->conn->held :
	    &h->srv->udp_held;

	if (h->wait != NULL)
		checker_unwait(h->wait);
	if (h->prev != NULL)
		h->prev->next = h->next;
	else
		*head = h->next;
	if (h->next != NULL)
		h->next->prev = h->prev;
	h->srv->stats.held_now--;
	free(h);
}

/*
 * Answer a held query again, with the check's result for its subject,
 * then forget it.
 */
static void
held_answer(struct held *h, const struct check_result *r)
{
	struct server *srv = h->srv;
	struct answer_query aq;
	struct answer_out out;
	struct answer_in in;
	enum rrl_action act = RRL_PASS;
	size_t n;

	in.peer = &h->peer;
	in.tcp = h->conn != NULL;
	in.now = time(NULL);
	in.fresh_subj = &h->subj;
	in.fresh = r;
	/* over UDP the answer is counted now, as it goes out: the answers
	 * of a check that ends release together, maybe many a second */
	if (h->conn == NULL && srv->rrl != NULL &&
	    (act = rate_limit(srv, &h->peer, in.now)) == RRL_DROP) {
		held_free(h);
		return;
	}
	answer_parse(srv->ac, h->pkt, h->len, &aq);
	n = answer_signed(srv, &aq, h->pkt, h->len, &in, srv->tcp_out + 2,
	    TCP_MSGMAX, &out, act == RRL_SLIP);
	if (act == RRL_SLIP)
		rate_slip(srv, n);
	if (n > 0)
		tap(srv, 1, h->conn != NULL, h->conn != NULL ? &h->conn->from :
		    &h->from, h->conn != NULL ? &h->conn->local : &h->local,
		    &h->qtime, srv->tcp_out + 2, n);
	if (n > 0 && h->conn != NULL) {
		srv->tcp_out[0] = (uint8_t)(n >> 8);
		srv->tcp_out[1] = (uint8_t)n;
		if (bufferevent_write(h->conn->bev, srv->tcp_out,
		    n + 2) == -1)
			verbose(VERB_DETAIL, "tcp: cannot queue an answer");
	} else if (n > 0 && udp_send(h->fd, srv->tcp_out + 2, n,
	    (struct sockaddr *)&h->from, h->fromlen) < 0)
		verbose(VERB_DETAIL, "udp: sendto: %s", strerror(errno));
	held_free(h);
}

static void
held_done(void *arg, const struct check_result *r)
{
	struct held *h = arg;

	h->wait = NULL;		/* the checker has forgotten it */
	held_answer(h, r);
}

/*
 * Hold a query whose answer needs a check of subj; if the checker is at
 * its bounds (or absent), answer at once as for an unknown verdict.
 */
static void
hold(struct server *srv, const struct check_subject *subj,
    struct tcp_conn *conn, int fd, const struct sockaddr_storage *from,
    socklen_t fromlen, const struct sockaddr_storage *local,
    const struct addr *peer, const struct timespec *qt, const uint8_t *pkt,
    size_t len)
{
	struct held *h, **head;
	struct check_result unknown;

	h = xmalloc(sizeof(*h) + len);
	memset(h, 0, sizeof(*h));
	h->srv = srv;
	h->conn = conn;
	h->fd = fd;
	if (from != NULL) {
		memcpy(&h->from, from, fromlen);
		h->fromlen = fromlen;
	}
	if (local != NULL)
		h->local = *local;
	h->peer = *peer;
	h->subj = *subj;
	h->qtime = *qt;
	h->len = len;
	memcpy(h->pkt, pkt, len);
	head = conn != NULL ? &conn->held : &srv->udp_held;
	h->next = *head;
	if (h->next != NULL)
		h->next->prev = h;
	*head = h;
	srv->stats.held++;
	srv->stats.held_now++;
	if (srv->checker != NULL)
		h->wait = checker_wait(srv->checker, &h->subj,
		    srv->check_timeout_ms, held_done, h);
	if (h->wait == NULL) {
		memset(&unknown, 0, sizeof(unknown));
		unknown.verdict = CV_UNKNOWN;
		unknown.checked = time(NULL);
		snprintf(unknown.detail, sizeof(unknown.detail),
		    "too many checks in flight (max-checks)");
		held_answer(h, &unknown);
	}
}

/*
 * Parse the batch's queries, and warm the cache lines of the copy that
 * their lookups will read: the directory slots of every address, then
 * the words they point to. The loads of a whole batch overlap instead of
 * each lookup waiting for its own, one after another.
 */
static void
udp_parse(struct server *srv, const struct mmsghdr *in, int n)
{
	struct addr a[UDP_BATCH];
	int i, na = 0;

	for (i = 0; i < n; i++) {
		answer_parse(srv->ac, srv->in[i], in[i].msg_len, &srv->aq[i]);
		if (answer_query_addr(&srv->aq[i], &a[na]))
			store_prefetch(srv->ac->store, &a[na++], 0);
	}
	for (i = 0; i < na; i++)
		store_prefetch(srv->ac->store, &a[i], 1);
}

static void
udp_read(evutil_socket_t fd, short what, void *arg)
{
	struct listener *l = arg;
	struct server *srv = l->srv;
	struct mmsghdr in[UDP_BATCH], out[UDP_BATCH];
	struct iovec iin[UDP_BATCH], iout[UDP_BATCH];
	struct sockaddr_storage from[UDP_BATCH];
	struct answer_out res;
	struct answer_in ain;
	struct addr peer;
	struct timespec qt;
	enum rrl_action act;
	int n, i, nout, rounds;

	(void)what;
	ain.peer = &peer;
	ain.tcp = 0;
	ain.fresh_subj = NULL;
	ain.fresh = NULL;
	for (rounds = 0; rounds < 8; rounds++) {
		memset(in, 0, sizeof(in));
		for (i = 0; i < UDP_BATCH; i++) {
			iin[i].iov_base = srv->in[i];
			iin[i].iov_len = UDP_BUFSIZE;
			in[i].msg_hdr.msg_iov = &iin[i];
			in[i].msg_hdr.msg_iovlen = 1;
			in[i].msg_hdr.msg_name = &from[i];
			in[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
		n = recvmmsg(fd, in, UDP_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_warn("udp: recvmmsg on %s", l->text);
			return;
		}
		ain.now = time(NULL);
		tap_time(srv, &qt);
		memset(out, 0, sizeof(out));
		/* one read snapshot for the batch */
		store_read_hold(srv->ac->store);
		udp_parse(srv, in, n);
		for (i = 0, nout = 0; i < n; i++) {
			size_t len;

			srv->stats.udp++;
			if (in[i].msg_hdr.msg_flags & MSG_TRUNC)
				continue;	/* larger than any query */
			sockaddr_to_addr((struct sockaddr *)&from[i], &peer);
			tap(srv, 0, 0, &from[i], &l->ss, &qt, srv->in[i],
			    in[i].msg_len);
			act = srv->rrl != NULL ? rate_limit(srv, &peer,
			    ain.now) : RRL_PASS;
			if (act == RRL_DROP)
				continue;
			len = answer_signed(srv, &srv->aq[i], srv->in[i],
			    in[i].msg_len, &ain, srv->out[nout], UDP_BUFSIZE,
			    &res, act == RRL_SLIP);
			if (act == RRL_SLIP) {
				/* the answer cut to its question, TC set;
				 * a check is not started for it */
				rate_slip(srv, len);
				if (res.kind == ANS_NEED_CHECK)
					continue;
			}
			if (res.kind == ANS_NEED_CHECK) {
				/* its answer is counted when it goes out */
				if (srv->rrl != NULL)
					rrl_uncount(srv->rrl, &peer, ain.now);
				hold(srv, &res.need, NULL, l->out_fd, &from[i],
				    in[i].msg_hdr.msg_namelen, &l->ss, &peer, &qt,
				    srv->in[i], in[i].msg_len);
			}
			if (len == 0)
				continue;
			tap(srv, 1, 0, &from[i], &l->ss, &qt, srv->out[nout],
			    len);
			iout[nout].iov_base = srv->out[nout];
			iout[nout].iov_len = len;
			out[nout].msg_hdr.msg_iov = &iout[nout];
			out[nout].msg_hdr.msg_iovlen = 1;
			out[nout].msg_hdr.msg_name = &from[i];
			out[nout].msg_hdr.msg_namelen =
			    in[i].msg_hdr.msg_namelen;
			nout++;
		}
		store_read_release(srv->ac->store);
		for (i = 0; i < nout; ) {
			int sent = sendmmsg(l->out_fd, out + i,
			    (unsigned)(nout - i), 0);

			if (sent <= 0) {
				if (sent < 0 && errno == EINTR)
					continue;
				if (sent < 0 && errno == EMSGSIZE) {
					(void)udp_send(l->out_fd,
					    iout[i].iov_base, iout[i].iov_len,
					    out[i].msg_hdr.msg_name,
					    out[i].msg_hdr.msg_namelen);
					i++;
					continue;
				}
				/* a full send buffer drops the rest, as
				 * a congested network would */
				if (sent < 0)
					verbose(VERB_DETAIL, "udp: sendmmsg "
					    "on %s: %s", l->text,
					    strerror(errno));
				break;
			}
			i += sent;
		}
		if (srv->batch_hook != NULL)
			srv->batch_hook(srv->batch_arg);
		if (n < UDP_BATCH)
			return;
	}
}

static void
tcp_close(struct tcp_conn *c)
{
	while (c->held != NULL)
		held_free(c->held);
	c->srv->tcp_open--;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		c->srv->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	bufferevent_free(c->bev);
	free(c);
}

static void
tcp_read(struct bufferevent *bev, void *arg)
{
	struct tcp_conn *c = arg;
	struct server *srv = c->srv;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct answer_query aq;
	struct answer_out res;
	struct answer_in ain;
	struct timespec qt;
	struct tsig t;
	uint8_t lenbuf[2];
	size_t len, n;

	ain.peer = &c->peer;
	ain.tcp = 1;
	ain.fresh_subj = NULL;
	ain.fresh = NULL;
	if (time(NULL) - c->opened >= (time_t)srv->tcp_max_time) {
		/* tcp-max-time: a byte now and then keeps no slot forever */
		srv->stats.tcp_expired++;
		tcp_close(c);
		return;
	}
	while (evbuffer_get_length(in) >= 2) {
		if (evbuffer_copyout(in, lenbuf, 2) != 2)
			break;
		len = (size_t)lenbuf[0] << 8 | lenbuf[1];
		if (evbuffer_get_length(in) < 2 + len)
			break;
		evbuffer_drain(in, 2);
		if (evbuffer_remove(in, srv->tcp_in, len) != (int)len) {
			tcp_close(c);
			return;
		}
		srv->stats.tcp++;
		ain.now = time(NULL);
		tap_time(srv, &qt);
		tap(srv, 0, 1, &c->from, &c->local, &qt, srv->tcp_in, len);
		c->last = ++srv->tcp_tick;
		answer_parse(srv->ac, srv->tcp_in, len, &aq);
		if (srv->xfr != NULL && aq.rc == WIRE_OK && aq.z != NULL &&
		    aq.apex_off == WIRE_HDRLEN &&
		    (aq.q.qtype == 252 || aq.q.qtype == 251)) {
			/* a transfer takes the connection, or refuses */
			int rc = query_tsig(srv, &aq, srv->tcp_in, len, &ain,
			    &t, srv->tcp_out + 2, TCP_MSGMAX, &res);

			if (rc == -1)
				n = res.len;
			else if (xfr_start(srv->xfr, &aq, rc == TSIG_OK ? &t :
			    NULL, &c->peer, bufferevent_getfd(bev),
			    srv->tcp_out + 2, TCP_MSGMAX, &n) == 1) {
				tcp_close(c);
				return;
			}
			res.kind = ANS_REFUSED;
		} else
			n = answer_signed(srv, &aq, srv->tcp_in, len, &ain,
			    srv->tcp_out + 2, TCP_MSGMAX, &res, 0);
		if (srv->batch_hook != NULL)
			srv->batch_hook(srv->batch_arg);
		if (res.kind == ANS_NEED_CHECK) {
			hold(srv, &res.need, c, -1, NULL, 0, NULL, &c->peer, &qt,
			    srv->tcp_in, len);
			continue;
		}
		if (n == 0) {
			/* nothing worth answering: end the connection */
			tcp_close(c);
			return;
		}
		tap(srv, 1, 1, &c->from, &c->local, &qt, srv->tcp_out + 2, n);
		srv->tcp_out[0] = (uint8_t)(n >> 8);
		srv->tcp_out[1] = (uint8_t)n;
		if (bufferevent_write(bev, srv->tcp_out, n + 2) == -1) {
			tcp_close(c);
			return;
		}
	}
}

static void
tcp_event(struct bufferevent *bev, short what, void *arg)
{
	struct tcp_conn *c = arg;

	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		tcp_close(c);
}

/* Whether a and b count as one client: one address, or one IPv6 /64. */
static int
tcp_same_client(const struct addr *a, const struct addr *b)
{
	struct addr p = *a;

	if (p.af != ADDR_V6)
		return addr_equal(a, b);
	p.len = 64;
	addr_mask(&p);
	return addr_contains(&p, b);
}

/*
 * Room for a connection from peer on l: at most tcp-clients-per-address
 * from one client, and with tcp-clients open the one idle longest
 * (nothing to read, held or written) makes room. Returns 0, or -1 with
 * the refusal counted and logged at most once a minute, with the count.
 */
static int
tcp_admit(struct server *srv, const struct listener *l,
    const struct addr *peer)
{
	struct tcp_conn *c, *idle = NULL;
	char ip[ADDR_STRLEN];
	const char *limit;
	uint32_t same = 0, max;
	time_t now = time(NULL);

	for (c = srv->conns; c != NULL; c = c->next) {
		if (tcp_same_client(peer, &c->peer))
			same++;
		if (c->held == NULL && (idle == NULL || c->last < idle->last) &&
		    evbuffer_get_length(bufferevent_get_input(c->bev)) == 0 &&
		    evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
			idle = c;
	}
	if (same >= srv->tcp_per_address) {
		srv->stats.tcp_refused_address++;
		limit = "tcp-clients-per-address";
		max = srv->tcp_per_address;
	} else if (srv->tcp_open < srv->tcp_clients)
		return 0;
	else if (idle != NULL) {
		srv->stats.tcp_evicted++;
		tcp_close(idle);
		return 0;
	} else {
		srv->stats.tcp_refused++;
		limit = "tcp-clients";
		max = srv->tcp_clients;
	}
	srv->tcp_unlogged++;
	if (now >= srv->tcp_log_next) {
		log_warnx("tcp: %llu connection%s refused since the last such "
		    "line, the last from %s on %s (%s: %u)",
		    (unsigned long long)srv->tcp_unlogged,
		    srv->tcp_unlogged == 1 ? "" : "s",
		    addr_format(peer, ip, sizeof(ip)), l->text, limit, max);
		srv->tcp_unlogged = 0;
		srv->tcp_log_next = now + 60;
	}
	return -1;
}

static void
tcp_accept(struct evconnlistener *el, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct listener *l = arg;
	struct server *srv = l->srv;
	struct tcp_conn *c;
	struct timeval tv;
	struct addr peer;
	socklen_t sslen;

	(void)el;
	sockaddr_to_addr(sa, &peer);
	if (tcp_admit(srv, l, &peer) == -1) {
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->srv = srv;
	c->peer = peer;
	if (salen > 0 && (size_t)salen <= sizeof(c->from))
		memcpy(&c->from, sa, (size_t)salen);
	/* our address on a listener of 0.0.0.0 or :: too */
	sslen = sizeof(c->local);
	if (getsockname(fd, (struct sockaddr *)&c->local, &sslen) == -1)
		c->local = l->ss;
	c->opened = time(NULL);
	c->last = ++srv->tcp_tick;
	c->bev = bufferevent_socket_new(srv->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		log_warnx("tcp: cannot create a buffer for a connection on %s",
		    l->text);
		close(fd);
		free(c);
		return;
	}
	srv->tcp_open++;
	c->next = srv->conns;
	if (c->next != NULL)
		c->next->prev = c;
	srv->conns = c;
	tv.tv_sec = srv->tcp_timeout;
	tv.tv_usec = 0;
	bufferevent_set_timeouts(c->bev, &tv, &tv);
	bufferevent_setcb(c->bev, tcp_read, NULL, tcp_event, c);
	if (bufferevent_enable(c->bev, EV_READ | EV_WRITE) == -1)
		tcp_close(c);
}

static void
listener_free(struct listener *l)
{
	if (l->udp_ev != NULL)
		event_free(l->udp_ev);
	if (l->out_fd != -1 && l->out_fd != l->udp_fd)
		close(l->out_fd);
	if (l->udp_fd != -1)
		close(l->udp_fd);
	fdlimit_unwatch(l->watch);
	if (l->tcp != NULL)
		evconnlistener_free(l->tcp);
	free(l->text);
	free(l);
}

/* Ask for a UDP_RCVBUF receive buffer; say what the kernel gave. */
static void
udp_rcvbuf(int fd, const char *text)
{
	int size = UDP_RCVBUF;
	socklen_t len = sizeof(size);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
	    sizeof(size)) == -1 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) == -1)
		log_warn("udp %s: SO_RCVBUF", text);
	else if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &len) == 0)
		verbose(VERB_DETAIL, "udp %s: receive buffer %d bytes", text,
		    size);
}

/*
 * UDP answers go out with DF set and are never fragmented here, as RFC
 * 9715 advises: IP_PMTUDISC_PROBE sends up to the interface's MTU and
 * ignores a path MTU, which a forged ICMP message could lower. An answer
 * larger than the interface takes is sent truncated (udp_send). With DF
 * the kernel also leaves the IP ID at 0 instead of drawing one from its
 * shared table for every answer.
 */
static void
udp_dontfrag(int fd, int family)
{
#if defined(IP_PMTUDISC_PROBE) && defined(IPV6_PMTUDISC_PROBE)
	int v = family == AF_INET ? IP_PMTUDISC_PROBE : IPV6_PMTUDISC_PROBE;

	if (family == AF_INET || family == AF_INET6)
		(void)setsockopt(fd, family == AF_INET ? IPPROTO_IP :
		    IPPROTO_IPV6, family == AF_INET ? IP_MTU_DISCOVER :
		    IPV6_MTU_DISCOVER, &v, sizeof(v));
#else
	(void)fd;
	(void)family;
#endif
}

/*
 * A UDP socket bound to cl's address, DF set; reuseport: in a
 * SO_REUSEPORT group. -1 with errno on failure.
 */
static int
udp_socket(const struct conf_listen *cl, int reuseport)
{
	int fd, on = 1, family = cl->ss.ss_family, e;

	if ((fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	if ((family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
	    &on, sizeof(on)) == -1) ||
#ifdef SO_REUSEPORT
	    (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on,
	    sizeof(on)) == -1) ||
#endif
	    bind(fd, (const struct sockaddr *)&cl->ss, cl->sslen) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	udp_dontfrag(fd, family);
	return fd;
}

/*
 * The answers of l go out through a socket of their own where the kernel
 * allows. The socket that epoll watches has epoll's entry on its wait
 * queue, and the kernel wakes that entry for every datagram sent through
 * it and freed, about 0.1 us an answer; nobody waits on the out socket.
 * Both sockets share the address in a SO_REUSEPORT group whose BPF
 * program gives every query to the first of the group, the query socket.
 * l's socket was bound alone first, so that an address in use is an
 * error as before; it is closed and the pair bound in its place. Returns
 * 0, or -1 with errno when not even a single socket could be bound again.
 */
static int
udp_pair(struct listener *l, const struct conf_listen *cl)
{
#if defined(SO_REUSEPORT) && defined(SO_ATTACH_REUSEPORT_CBPF)
	struct sock_filter first[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_fprog prog = { 1, first };
	int in, out, e;

	if (cl->ss.ss_family != AF_INET && cl->ss.ss_family != AF_INET6)
		return 0;
	/* sin_port and sin6_port are at the same offset */
	if (((const struct sockaddr_in *)&cl->ss)->sin_port == 0)
		return 0;	/* a port of the kernel's choice: keep it */
	close(l->udp_fd);
	l->udp_fd = l->out_fd = -1;
	if ((in = udp_socket(cl, 1)) != -1 &&
	    setsockopt(in, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog,
	    sizeof(prog)) == 0 && (out = udp_socket(cl, 1)) != -1) {
		l->udp_fd = in;
		l->out_fd = out;
		return 0;
	}
	e = errno;
	if (in != -1)
		close(in);
	verbose(VERB_DETAIL, "udp %s: one socket for queries and answers "
	    "(%s)", l->text, strerror(e));
	if ((in = udp_socket(cl, 0)) == -1)
		return -1;
	l->udp_fd = l->out_fd = in;
#else
	(void)l;
	(void)cl;
#endif
	return 0;
}

static struct listener *
listener_open(struct server *srv, const struct conf_listen *cl, char *errbuf,
    size_t errlen)
{
	struct listener *l;
	char name[80];
	int fd = -1, on = 1, family = cl->ss.ss_family;

	l = xcalloc(1, sizeof(*l));
	l->srv = srv;
	l->udp_fd = l->out_fd = -1;
	l->text = xstrdup(cl->text);
	l->ss = cl->ss;
	l->sslen = cl->sslen;

	/* alone first: an address in use is an error */
	if ((l->udp_fd = l->out_fd = udp_socket(cl, 0)) == -1 ||
	    udp_pair(l, cl) == -1)
		goto err;
	udp_rcvbuf(l->udp_fd, l->text);
	l->udp_ev = event_new(srv->base, l->udp_fd, EV_READ | EV_PERSIST,
	    udp_read, l);
	if (l->udp_ev == NULL || event_add(l->udp_ev, NULL) == -1) {
		snprintf(errbuf, errlen, "udp %s: cannot add event", l->text);
		listener_free(l);
		return NULL;
	}

	if ((fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		goto err;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    (family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
	    &on, sizeof(on)) == -1))
		goto err;
	if (bind(fd, (const struct sockaddr *)&cl->ss, cl->sslen) == -1)
		goto err;
	/* CLOSE_ON_EXEC makes libevent accept with SOCK_CLOEXEC: a
	 * notify-command never inherits a client's connection */
	l->tcp = evconnlistener_new(srv->base, tcp_accept, l,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 128, fd);
	if (l->tcp == NULL)
		goto err;
	if (srv->fdlimit != NULL) {
		snprintf(name, sizeof(name), "tcp %s", l->text);
		l->watch = fdlimit_watch(srv->fdlimit, l->tcp, name);
	}
	return l;
err:
	conf_listen_error(cl, errno, errbuf, errlen);
	if (fd != -1 && fd != l->udp_fd)
		close(fd);
	listener_free(l);
	return NULL;
}

struct server *
server_new(struct event_base *base, const struct answer_conf *ac,
    struct fdlimit *fl)
{
	struct server *srv;

	srv = xcalloc(1, sizeof(*srv));
	srv->base = base;
	srv->fdlimit = fl;
	srv->ac = ac;
	srv->tcp_timeout = 10;
	srv->tcp_clients = 100;
	srv->tcp_per_address = 10;
	srv->tcp_max_time = 120;
	return srv;
}

static int
same_addr(const struct listener *l, const struct conf_listen *cl)
{
	return l->sslen == cl->sslen && memcmp(&l->ss, &cl->ss, l->sslen) == 0;
}

int
server_configure(struct server *srv, const struct conf *conf, char *errbuf,
    size_t errlen)
{
	struct listener *keep = NULL, *fresh = NULL, *l, *next, **pp;
	struct rrl_conf rrl;
	size_t i;

	/* Move kept listeners aside, open the new ones. */
	for (i = 0; i < conf->nlisten; i++) {
		const struct conf_listen *cl = &conf->listen[i];

		for (pp = &srv->listeners; (l = *pp) != NULL; pp = &l->next)
			if (same_addr(l, cl))
				break;
		if (l != NULL) {
			*pp = l->next;
			l->next = keep;
			keep = l;
			continue;
		}
		if ((l = listener_open(srv, cl, errbuf, errlen)) == NULL) {
			/* undo: close what was opened, restore the rest */
			for (; fresh != NULL; fresh = next) {
				next = fresh->next;
				listener_free(fresh);
			}
			for (; keep != NULL; keep = next) {
				next = keep->next;
				keep->next = srv->listeners;
				srv->listeners = keep;
			}
			return -1;
		}
		l->next = fresh;
		fresh = l;
	}
	/* What is left in srv->listeners is no longer configured. */
	for (l = srv->listeners; l != NULL; l = next) {
		next = l->next;
		verbose(VERB_OPS, "no longer listening on %s", l->text);
		listener_free(l);
	}
	srv->listeners = keep;
	for (l = fresh; l != NULL; l = next) {
		next = l->next;
		log_info("listening on %s (udp, tcp)", l->text);
		l->next = srv->listeners;
		srv->listeners = l;
	}
	srv->tcp_timeout = conf->tcp_timeout;
	srv->tcp_clients = conf->tcp_clients;
	/* never more than a quarter of the descriptors: DNS over UDP, the
	   checks and the pages keep the rest */
	if (srv->fdlimit != NULL && fdlimit_current() / 4 <
	    (long)srv->tcp_clients) {
		srv->tcp_clients = fdlimit_current() / 4 > 0 ?
		    (uint32_t)(fdlimit_current() / 4) : 1;
		log_info("tcp: at most %u connections, a quarter of the "
		    "descriptor limit (tcp-clients: %u)", srv->tcp_clients,
		    conf->tcp_clients);
	}
	srv->tcp_per_address = conf->tcp_per_address;
	srv->tap_queries = conf->dnstap_log_queries;
	srv->tap_responses = conf->dnstap_log_responses;
	srv->tcp_max_time = conf->tcp_max_time;
	srv->keys = conf->keys;
	srv->nkeys = conf->nkeys;
	rrl.rate = conf->rate_limit;
	rrl.slip = conf->rate_limit_slip;
	rrl.v4len = conf->rate_limit_v4len;
	rrl.v6len = conf->rate_limit_v6len;
	rrl.size = conf->rate_limit_size;
	rrl.exempt = &conf->rate_limit_exempt;
	if (!rrl_conf_same(srv->rrl, &rrl)) {
		/* a new limit counts from nothing */
		rrl_free(srv->rrl);
		srv->rrl = rrl_new(&rrl);
		srv->rrl_rate = rrl.rate;
	}
	/* the zones may have changed order: their counts start again */
	free(srv->stats.zone_answers);
	srv->stats.nzones = conf->nzones;
	srv->stats.zone_answers = xcalloc(conf->nzones ? conf->nzones : 1,
	    sizeof(*srv->stats.zone_answers));
	return 0;
}

void
server_set_checker(struct server *srv, struct checker *ck,
    unsigned timeout_ms)
{
	srv->checker = ck;
	srv->check_timeout_ms = timeout_ms;
}

void
server_set_xfr(struct server *srv, struct xfr *x)
{
	srv->xfr = x;
}

void
server_set_dnstap(struct server *srv, struct dnstap *dt)
{
	srv->dnstap = dt;
}

void
server_set_batch_hook(struct server *srv, void (*fn)(void *), void *arg)
{
	srv->batch_hook = fn;
	srv->batch_arg = arg;
}

void
server_set_rulestats(struct server *srv, struct rulestats *rs)
{
	srv->rules = rs;
}

const struct server_stats *
server_stats(const struct server *srv)
{
	return &srv->stats;
}

void
server_free(struct server *srv)
{
	struct listener *l, *next;

	if (srv == NULL)
		return;
	for (l = srv->listeners; l != NULL; l = next) {
		next = l->next;
		listener_free(l);
	}
	while (srv->conns != NULL)
		tcp_close(srv->conns);
	while (srv->udp_held != NULL)
		held_free(srv->udp_held);
	rrl_free(srv->rrl);
	free(srv->stats.zone_answers);
	free(srv);
}
