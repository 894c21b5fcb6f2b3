/* SPDX-License-Identifier: ISC */
/*
 * fdlimit.c -- the descriptor budget: the raised limit, the spare
 * descriptor and the listeners paused when the process is full.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "fdlimit.h"
#include "log.h"
#include "util.h"

#define FDLIMIT_PROBE_MS	250	/* ms between probes while paused */
#define FDLIMIT_LOG_EVERY	60	/* s between two lines of counts */

struct fdlimit_watch {
	struct fdlimit_watch	*next, *prev;	/* in watches */
	struct fdlimit		*fl;
	struct evconnlistener	*lev;
	char			*what;
	int			 held;		/* by the caller */
	int			 off;		/* disabled just now */
};

/*
 * Every watch of the process, found by its listener: libevent gives a
 * listener's error callback only the argument of its accept callback,
 * which evhttp owns for the pages' listeners. The one global here.
 */
static struct fdlimit_watch *watches;

struct fdlimit {
	struct event_base	*base;
	struct event		*probe;
	int			 spare;		/* /dev/null, or -1 */
	int			 paused;	/* out of descriptors */
	struct fdlimit_stats	 st;
	/* counts since the last line, and when the next may come */
	uint64_t		 unlogged, unlogged_full, unlogged_shed;
	time_t			 log_next;
	char			 last_what[64];
	int			 last_errno;
};

long
fdlimit_raise(char *errbuf, size_t errlen)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		snprintf(errbuf, errlen, "getrlimit(RLIMIT_NOFILE): %s",
		    strerror(errno));
		return -1;
	}
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
			snprintf(errbuf, errlen, "setrlimit(RLIMIT_NOFILE, "
			    "%llu): %s", (unsigned long long)rl.rlim_max,
			    strerror(errno));
			return -1;
		}
	}
	return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 0x7fffffffUL ?
	    0x7fffffffL : (long)rl.rlim_cur;
}

long
fdlimit_current(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return 1024;
	return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 0x7fffffffUL ?
	    0x7fffffffL : (long)rl.rlim_cur;
}

static int
spare_open(void)
{
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/* Enable or disable w's listener as the pause and its hold say. */
static void
watch_apply(struct fdlimit_watch *w)
{
	int off = w->held || w->fl->paused;

	if (off == w->off)
		return;
	if (off)
		(void)evconnlistener_disable(w->lev);
	else
		(void)evconnlistener_enable(w->lev);
	w->off = off;
}

static void
apply_all(struct fdlimit *fl)
{
	struct fdlimit_watch *w;

	for (w = watches; w != NULL; w = w->next)
		if (w->fl == fl)
			watch_apply(w);
}

/* The line of counts, at most once a minute. */
static void
log_counts(struct fdlimit *fl, int force)
{
	time_t now = time(NULL);

	if (fl->unlogged == 0 || (!force && now < fl->log_next))
		return;
	log_warnx("accept: %llu failed since the last such line (%llu for "
	    "want of descriptors, %llu connections closed at once), the "
	    "last on %s: %s", (unsigned long long)fl->unlogged,
	    (unsigned long long)fl->unlogged_full,
	    (unsigned long long)fl->unlogged_shed, fl->last_what,
	    strerror(fl->last_errno));
	fl->unlogged = fl->unlogged_full = fl->unlogged_shed = 0;
	fl->log_next = now + FDLIMIT_LOG_EVERY;
}

static void
probe_arm(struct fdlimit *fl)
{
	struct timeval tv = { 0, FDLIMIT_PROBE_MS * 1000 };

	(void)event_add(fl->probe, &tv);
}

/* Paused: is a descriptor free again? Then resume, else look later. */
static void
probe_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fdlimit *fl = arg;
	int t;

	(void)fd;
	(void)what;
	if (fl->spare == -1)
		fl->spare = spare_open();
	if (fl->spare == -1 ||
	    (t = fcntl(fl->spare, F_DUPFD_CLOEXEC, 0)) == -1) {
		probe_arm(fl);
		return;
	}
	(void)close(t);
	fl->paused = 0;
	apply_all(fl);
	verbose(VERB_DETAIL, "accept: descriptors free again, listening");
	log_counts(fl, 0);
}

static void
watch_error(struct evconnlistener *lev, void *arg)
{
	struct fdlimit_watch *w;
	struct fdlimit *fl;
	int e = errno, fd;

	(void)arg;
	for (w = watches; w != NULL && w->lev != lev; w = w->next)
		;
	if (w == NULL)
		return;		/* not watched: cannot be */
	fl = w->fl;
	fl->st.accept_errors++;
	fl->unlogged++;
	fl->last_errno = e;
	str_copy(fl->last_what, w->what, sizeof(fl->last_what));
	if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
		fl->st.exhausted++;
		fl->unlogged_full++;
		/* the spare makes room to take the client off the queue */
		if (fl->spare != -1) {
			(void)close(fl->spare);
			fl->spare = -1;
		}
		fd = accept(evconnlistener_get_fd(lev), NULL, NULL);
		if (fd != -1) {
			(void)close(fd);
			fl->st.shed++;
			fl->unlogged_shed++;
		}
		fl->spare = spare_open();
		if (!fl->paused) {
			fl->paused = 1;
			fl->st.pauses++;
			apply_all(fl);
			probe_arm(fl);
		}
	}
	log_counts(fl, 0);
}

struct fdlimit *
fdlimit_new(struct event_base *base)
{
	struct fdlimit *fl = xcalloc(1, sizeof(*fl));

	fl->base = base;
	if ((fl->spare = spare_open()) == -1)
		fatal("fdlimit: cannot open /dev/null");
	if ((fl->probe = evtimer_new(base, probe_cb, fl)) == NULL)
		fatalx("fdlimit: cannot create a timer");
	return fl;
}

void
fdlimit_free(struct fdlimit *fl)
{
	if (fl == NULL)
		return;
	log_counts(fl, 1);
	event_free(fl->probe);
	if (fl->spare != -1)
		(void)close(fl->spare);
	free(fl);
}

struct fdlimit_watch *
fdlimit_watch(struct fdlimit *fl, struct evconnlistener *lev,
    const char *what)
{
	struct fdlimit_watch *w = xcalloc(1, sizeof(*w));

	w->fl = fl;
	w->lev = lev;
	w->what = xstrdup(what);
	w->next = watches;
	if (w->next != NULL)
		w->next->prev = w;
	watches = w;
	evconnlistener_set_error_cb(lev, watch_error);
	watch_apply(w);
	return w;
}

void
fdlimit_unwatch(struct fdlimit_watch *w)
{
	if (w == NULL)
		return;
	if (w->prev != NULL)
		w->prev->next = w->next;
	else
		watches = w->next;
	if (w->next != NULL)
		w->next->prev = w->prev;
	free(w->what);
	free(w);
}

void
fdlimit_hold(struct fdlimit_watch *w, int hold)
{
	w->held = hold;
	watch_apply(w);
}

void
fdlimit_get_stats(const struct fdlimit *fl, struct fdlimit_stats *st)
{
	*st = fl->st;
}
