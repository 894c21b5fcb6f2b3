/* SPDX-License-Identifier: ISC */
/*
 * daemon.h -- the one context object of rdnsbld, passed explicitly.
 */
#ifndef DAEMON_H
#define DAEMON_H

#include <time.h>

#include "answer.h"
#include "helo.h"
#include "service.h"
#include "store.h"

struct checker;
struct conf;
struct event;
struct event_base;
struct fdlimit;
struct http;
struct patterns;
struct rulestats;
struct server;
struct watch;
struct xfr;
struct zoneset;

struct daemon {
	const char		*conf_path;
	int			 extra_verbose;	/* -v count */
	int			 foreground;	/* -d: no fork, log to stderr */
	const char		*user_arg;	/* -u, or NULL */
	const char		*pidfile_arg;	/* -P, or NULL */
	const char		*pidfile;	/* written, or NULL */
	struct service_user	 user;
	int			 dropped;	/* was root, runs as user now */
	struct conf		*conf;
	struct zoneset		*zones;
	struct store		*store;
	struct event_base	*base;
	struct fdlimit		*fdlimit;	/* the descriptor budget */
	struct server		*server;
	struct checker		*checker;
	struct http		*http;		/* the delisting pages */
	struct xfr		*xfr;		/* zone transfers */
	struct dnstap		*dnstap;	/* dnstap output, or NULL */
	struct watch		*watch;		/* the lists' files */
	struct patterns		*patterns;
	struct helo_list	*bad_helo;
	struct helo_env		 helo;
	struct answer_conf	 ac;		/* what the answers read */
	struct event		*ev_term, *ev_int, *ev_hup, *ev_purge;
	struct event		*ev_index;	/* the copy of the lists */
	struct event		*ev_serial;	/* the zones' serials */
	uint64_t		 serial_seq;	/* the change they follow */
	int			 serial_seq_seen;	/* serial_seq is set */
	int			 purging;	/* a purge pass is under way */
	int			 index_logged;	/* its size was logged */
	unsigned		 index_fails;	/* failed steps in a row */
	struct timespec		 index_t0;	/* its build started */
	struct event		*ev_chld;	/* notify-command children */
	struct rulestats	*rules;		/* listings etc. by rule */
	struct event		*ev_stats;	/* writes them to the store */
	struct store_purge_pos	 purge_pos;	/* the purge pass under way */
	size_t			 purged;	/* entries purged in this pass */
};

#endif /* DAEMON_H */
