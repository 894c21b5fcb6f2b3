/* SPDX-License-Identifier: ISC */
/*
 * httpconn.c -- the pages' connections, counted by client and capped.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "httpconn.h"
#include "addr.h"
#include "fdlimit.h"
#include "log.h"
#include "util.h"

#define LOG_EVERY	60	/* s between two lines about refusals */
#define PRUNE_MS	500	/* how often closed connections are found */

/* One connection evhttp holds (or held: found out by prune). */
struct hconn {
	struct hconn		*next, *prev;
	struct bufferevent	*bev;		/* until admitted, then NULL */
	int			 fd;		/* once admitted */
	struct sockaddr_storage	 ss;		/* its peer, to know it again */
	socklen_t		 sslen;
	struct addr		 key;		/* the client; af 0: not counted */
	int			 doomed;	/* shut down, evhttp to close it */
};

struct httpconn_listener {
	struct httpconn_listener *next, *prev;
	struct httpconn		*hc;
	struct fdlimit_watch	*watch;
};

struct httpconn {
	struct event_base	*base;
	struct fdlimit		*fl;
	struct event		*admit;		/* new connections to look at */
	struct event		*prune;		/* the closed ones to forget */
	struct hconn		*conns;
	struct httpconn_listener *listeners;
	uint32_t		 max, per_address;
	uint32_t		 doomed;	/* shut down, not closed yet */
	int			 held;		/* at the cap */
	struct httpconn_stats	 st;
	uint64_t		 unlogged;
	time_t			 log_next;
};

static void
hold_all(struct httpconn *hc, int hold)
{
	struct httpconn_listener *l;

	if (hold && !hc->held)
		hc->st.full++;
	hc->held = hold;
	for (l = hc->listeners; l != NULL; l = l->next)
		if (l->watch != NULL)
			fdlimit_hold(l->watch, hold);
}

static void
conn_unlink(struct httpconn *hc, struct hconn *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		hc->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	hc->st.open--;
	if (c->doomed)
		hc->doomed--;
	free(c);
}

/* At the cap? The doomed ones are about to go: they do not count. */
static int
full(const struct httpconn *hc)
{
	return hc->st.open - hc->doomed >= hc->max;
}

/*
 * Forget the connections evhttp has closed. evhttp says nothing when
 * it frees one, so a connection is known by its descriptor and its
 * peer: a descriptor that is closed, or open again for another socket,
 * no longer has that peer.
 */
static void
prune(struct httpconn *hc)
{
	struct sockaddr_storage ss;
	struct hconn *c, *next;
	socklen_t len;

	for (c = hc->conns; c != NULL; c = next) {
		next = c->next;
		if (c->bev != NULL)
			continue;	/* not admitted yet */
		len = sizeof(ss);
		if (getpeername(c->fd, (struct sockaddr *)&ss, &len) == 0 &&
		    len == c->sslen && memcmp(&ss, &c->ss, len) == 0)
			continue;
		conn_unlink(hc, c);
	}
	if (hc->held && !full(hc))
		hold_all(hc, 0);
}

static void
prune_arm(struct httpconn *hc)
{
	struct timeval tv = { 0, PRUNE_MS * 1000 };

	if (!evtimer_pending(hc->prune, NULL))
		(void)evtimer_add(hc->prune, &tv);
}

static void
prune_cb(evutil_socket_t unused, short what, void *arg)
{
	struct httpconn *hc = arg;

	(void)unused;
	(void)what;
	prune(hc);
	if (hc->conns != NULL)
		prune_arm(hc);
}

/* The client of c as a key of the per-address cap: v6 by its /64. */
static void
peer_key(struct hconn *c)
{
	const struct sockaddr_in *sin = (const void *)&c->ss;
	const struct sockaddr_in6 *sin6 = (const void *)&c->ss;
	struct addr *a = &c->key;

	memset(a, 0, sizeof(*a));
	if (c->ss.ss_family == AF_INET)
		addr_from_bytes(a, ADDR_V4, (const uint8_t *)&sin->sin_addr);
	else if (c->ss.ss_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
		addr_from_bytes(a, ADDR_V4, sin6->sin6_addr.s6_addr + 12);
	else if (c->ss.ss_family == AF_INET6) {
		addr_from_bytes(a, ADDR_V6, sin6->sin6_addr.s6_addr);
		a->len = 64;
		addr_mask(a);
	}
}

/* Log a refusal, at most once a minute with the count since. */
static void
log_refusal(struct httpconn *hc, const struct addr *a)
{
	char ip[ADDR_STRLEN];
	time_t now = time(NULL);

	hc->unlogged++;
	if (now < hc->log_next)
		return;
	log_warnx("http: %llu connection%s closed since the last such line, "
	    "the last from %s (max-clients-per-address: %u)",
	    (unsigned long long)hc->unlogged, hc->unlogged == 1 ? "" : "s",
	    addr_format(a, ip, sizeof(ip)), hc->per_address);
	hc->unlogged = 0;
	hc->log_next = now + LOG_EVERY;
}

/*
 * The new connections, their descriptors set by now: learn their peers,
 * and shut down those over the cap of their client address; evhttp then
 * reads the end and frees them.
 */
static void
admit_cb(evutil_socket_t unused, short what, void *arg)
{
	struct httpconn *hc = arg;
	struct hconn *c, *o, *next;
	uint32_t same;

	(void)unused;
	(void)what;
	for (c = hc->conns; c != NULL; c = next) {
		next = c->next;
		if (c->bev == NULL)
			continue;
		c->fd = bufferevent_getfd(c->bev);
		c->bev = NULL;
		c->sslen = sizeof(c->ss);
		if (c->fd == -1 || getpeername(c->fd,
		    (struct sockaddr *)&c->ss, &c->sslen) == -1) {
			conn_unlink(hc, c);	/* gone already */
			continue;
		}
		peer_key(c);
		same = 0;
		for (o = hc->conns; o != NULL; o = o->next)
			if (o != c && o->bev == NULL && o->key.af != 0 &&
			    addr_equal(&o->key, &c->key))
				same++;
		if (c->key.af == 0 || same < hc->per_address)
			continue;
		(void)shutdown(c->fd, SHUT_RDWR);
		hc->st.refused_address++;
		log_refusal(hc, &c->key);
		c->key.af = 0;	/* counts for its client no more */
		c->doomed = 1;
		hc->doomed++;
	}
	if (hc->held && !full(hc))
		hold_all(hc, 0);
	prune_arm(hc);
}

/*
 * evhttp's buffer for a connection it just accepted, before it sets the
 * descriptor: a socket buffer without BEV_OPT_CLOSE_ON_FREE, so that
 * evhttp closes the descriptor itself when it frees the connection.
 */
static struct bufferevent *
conn_new(struct event_base *base, void *arg)
{
	struct httpconn *hc = arg;
	struct bufferevent *bev;
	struct hconn *c;

	if ((bev = bufferevent_socket_new(base, -1, 0)) == NULL)
		return NULL;	/* evhttp makes its own: not counted */
	prune(hc);
	c = xcalloc(1, sizeof(*c));
	c->bev = bev;
	c->fd = -1;
	c->next = hc->conns;
	if (c->next != NULL)
		c->next->prev = c;
	hc->conns = c;
	hc->st.open++;
	hc->st.accepted++;
	if (full(hc))
		hold_all(hc, 1);
	event_active(hc->admit, EV_TIMEOUT, 0);
	return bev;
}

struct httpconn *
httpconn_new(struct event_base *base, struct evhttp *eh, struct fdlimit *fl)
{
	struct httpconn *hc = xcalloc(1, sizeof(*hc));

	hc->base = base;
	hc->fl = fl;
	hc->max = hc->per_address = 1;
	if ((hc->admit = event_new(base, -1, 0, admit_cb, hc)) == NULL ||
	    (hc->prune = evtimer_new(base, prune_cb, hc)) == NULL)
		fatalx("http: cannot create an event");
	evhttp_set_bevcb(eh, conn_new, hc);
	return hc;
}

void
httpconn_free(struct httpconn *hc)
{
	struct hconn *c;

	if (hc == NULL)
		return;
	while ((c = hc->conns) != NULL) {
		hc->conns = c->next;
		free(c);
	}
	event_free(hc->admit);
	event_free(hc->prune);
	free(hc);
}

uint32_t
httpconn_limits(struct httpconn *hc, uint32_t max, uint32_t per_address)
{
	long quarter = fdlimit_current() / 4;

	if (quarter < 1)
		quarter = 1;
	hc->max = (long)max > quarter ? (uint32_t)quarter : max;
	hc->per_address = per_address;
	hc->st.max = hc->max;
	hold_all(hc, full(hc));
	return hc->max;
}

struct httpconn_listener *
httpconn_listen(struct httpconn *hc, struct evhttp_bound_socket *bs,
    const char *what)
{
	struct httpconn_listener *l = xcalloc(1, sizeof(*l));
	char name[80];

	l->hc = hc;
	if (hc->fl != NULL) {
		snprintf(name, sizeof(name), "http %s", what);
		l->watch = fdlimit_watch(hc->fl,
		    evhttp_bound_socket_get_listener(bs), name);
		fdlimit_hold(l->watch, hc->held);
	}
	l->next = hc->listeners;
	if (l->next != NULL)
		l->next->prev = l;
	hc->listeners = l;
	return l;
}

void
httpconn_unlisten(struct httpconn_listener *l)
{
	if (l == NULL)
		return;
	if (l->prev != NULL)
		l->prev->next = l->next;
	else
		l->hc->listeners = l->next;
	if (l->next != NULL)
		l->next->prev = l->prev;
	fdlimit_unwatch(l->watch);
	free(l);
}

void
httpconn_get_stats(const struct httpconn *hc, struct httpconn_stats *st)
{
	*st = hc->st;
}
