/* SPDX-License-Identifier: ISC */
/*
 * httpconn.h -- the connections of the pages, counted and capped.
 *
 * libevent 2.1's evhttp cannot bound its connections and shows a
 * connection to us only once a request has arrived, so an idle client
 * holds a descriptor unseen until its timeout. Every connection evhttp
 * accepts gets its buffer from here (evhttp_set_bevcb), which counts
 * it; on the next turn of the loop its descriptor and peer are noted,
 * and a connection over the cap of its client address is shut down
 * before it can send anything. evhttp says nothing when it closes one,
 * so the closed ones are found by their descriptor no longer having
 * that peer (at each new connection and twice a second). The listeners
 * are held paused while the total is at its cap, which is never above
 * a quarter of the descriptor limit: the pages can never take the
 * descriptors that DNS and the checks need.
 */
#ifndef HTTPCONN_H
#define HTTPCONN_H

#include <stddef.h>
#include <stdint.h>

struct evhttp;
struct evhttp_bound_socket;
struct event_base;
struct fdlimit;
struct httpconn;
struct httpconn_listener;

/* What the connections met, for /metrics. */
struct httpconn_stats {
	uint64_t	 accepted;
	uint64_t	 refused_address; /* over the per-address cap */
	uint64_t	 full;		/* times the total cap held */
	uint32_t	 open;		/* open now */
	uint32_t	 max;		/* the total cap in force */
};

/*
 * Count eh's connections on base; fl (may be NULL) watches its listeners
 * for want of descriptors (fdlimit.h). The caps start at 1 until
 * httpconn_limits.
 */
struct httpconn	*httpconn_new(struct event_base *base, struct evhttp *eh,
		    struct fdlimit *fl);

/* Free hc, after evhttp_free of its evhttp. NULL is ignored. */
void		 httpconn_free(struct httpconn *hc);

/*
 * At most max open connections (cut to a quarter of the descriptor
 * limit) and per_address from one client address (IPv6 by its /64).
 * Returns the total cap in force.
 */
uint32_t	 httpconn_limits(struct httpconn *hc, uint32_t max,
		    uint32_t per_address);

/*
 * Watch bs, evhttp's socket named what ("127.0.0.1@8080"), for the caps
 * and for want of descriptors. Returns the handle to give back with
 * httpconn_unlisten before bs is deleted.
 */
struct httpconn_listener *httpconn_listen(struct httpconn *hc,
		    struct evhttp_bound_socket *bs, const char *what);

/* Stop watching l (and free it); NULL is ignored. */
void		 httpconn_unlisten(struct httpconn_listener *l);

/* hc's counts. */
void		 httpconn_get_stats(const struct httpconn *hc,
		    struct httpconn_stats *st);

#endif /* HTTPCONN_H */
