/* SPDX-License-Identifier: ISC */
/*
 * main.c -- rdnsbld: load the configuration, open the store, listen,
 * answer; SIGHUP re-reads the configuration, SIGTERM ends cleanly.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "check.h"
#include "conf.h"
#include "daemon.h"
#include "decide.h"
#include "dnstap.h"
#include "fdlimit.h"
#include "helo.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "pattern.h"
#include "rulestats.h"
#include "server.h"
#include "service.h"
#include "store.h"
#include "store_cache.h"
#include "util.h"
#include "watch.h"
#include "xfr.h"
#include "zone.h"

/*
 * Expired entries stop counting at once; purging them is housekeeping,
 * done in passes PURGE_INTERVAL seconds apart, each in steps that look at
 * PURGE_STEP entries (about a millisecond) PURGE_PAUSE_US apart, so that
 * neither the answers nor rdnsblctl's writes wait for a walk of a large
 * list. The first pass starts PURGE_FIRST seconds after the start, not
 * before the first answer.
 */
#define PURGE_INTERVAL	60
#define PURGE_FIRST	1
#define PURGE_STEP	20000
#define PURGE_PAUSE_US	10000
/*
 * The compact copy of the lists (store.h) is built and kept in step in
 * steps that read (or sort) at most INDEX_STEP entries (about 3 ms),
 * INDEX_PAUSE_US apart so that queries are answered in between (from the
 * database meanwhile). A batch of queries that saw a newer snapshot than
 * the copy's starts the catching up; an error retries after a second.
 * A rebuild (after an import, or too many changes) starts once the
 * database has not changed for INDEX_WAIT seconds.
 */
#define INDEX_STEP	10000
#define INDEX_PAUSE_US	1000
#define INDEX_WAIT	2	/* s: a rebuild waits for the writers to stop */
/*
 * A step that fails again waits twice as long as the last time, up to
 * INDEX_BACKOFF_MAX seconds (a corrupt database fails every time), and
 * is logged at the 1st, 2nd, 4th, 8th... failure in a row.
 */
#define INDEX_BACKOFF_MAX	300
/*
 * The zones' SOA serials follow the database's changes (store.h,
 * store_serial): the daemon looks for a change every SERIAL_POLL_MS.
 */
#define SERIAL_POLL_MS	250

/* The synopsis, and with all the option descriptions (-h). */
static void
print_usage(FILE *fp, int all)
{
	fprintf(fp, "usage: rdnsbld [-dhnVv] [-c file] [-P pidfile] "
	    "[-u user]\n");
	if (!all)
		return;
	fprintf(fp,
	    "  -c file    read this configuration (default: %s)\n"
	    "  -d         stay in the foreground and log to standard error\n"
	    "  -P file    write the process ID to this file (pidfile:)\n"
	    "  -u user    run as this user after binding (user:)\n"
	    "  -n         check the configuration and its data files, then "
	    "exit\n"
	    "  -v         one more log level than verbosity:; with -n, print "
	    "the\n"
	    "             effective configuration too\n"
	    "  -V         print the version and exit (also --version)\n"
	    "  -h         print this help and exit (also --help)\n"
	    "To start, copy the sample configuration\n"
	    "  %s.sample\n"
	    "to the default path and edit it, or from the source tree run\n"
	    "  src/rdnsbld -d -c zones/example.conf\n"
	    "See rdnsbld(8) and rdnsbld.conf(5).\n", CONF_DEFAULT_PATH,
	    CONF_DEFAULT_PATH);
}

static __dead void
usage(void)
{
	print_usage(stderr, 0);
	fprintf(stderr, "rdnsbld -h describes the options\n");
	exit(2);
}

static void
conf_error(void *arg, const char *file, int line, const char *msg)
{
	(void)arg;
	if (line > 0)
		log_error("%s:%d: %s", file, line, msg);
	else
		log_error("%s: %s", file, msg);
}

static struct conf *
load_conf(const char *path)
{
	struct conf *conf;
	int nerrors = 0;

	conf = conf_load(path, conf_error, NULL, &nerrors);
	if (conf == NULL)
		log_error("conf: %d error%s in %s", nerrors,
		    nerrors == 1 ? "" : "s", path);
	return conf;
}

static void	index_kick(void *);
static void	purge_schedule(struct daemon *);

/*
 * Everything the configuration decides, built aside so that a reload
 * either takes all of it or none.
 */
struct state {
	struct conf	*conf;
	struct zoneset	*zones;
	struct store	*store;		/* NULL: keep the current one */
	struct patterns	*patterns;	/* NULL: no zone checks dynamic */
	struct helo_list *bad_helo;	/* NULL: no zone checks bad-name */
};

static void
data_error(void *arg, const char *msg)
{
	log_error("%s: %s", (const char *)arg, msg);
}

/* The pattern and bad-HELO files conf names. Returns -1 after errors. */
static int
load_data(const struct conf *conf, struct patterns **pat,
    struct helo_list **bad)
{
	int nerrors = 0;

	*bad = NULL;
	*pat = patterns_for(conf, data_error, "patterns", &nerrors);
	if (nerrors > 0) {
		log_error("patterns: %d error%s in %s", nerrors,
		    nerrors == 1 ? "" : "s", conf->dynamic_patterns);
		return -1;
	}
	*bad = helo_list_for(conf, data_error, "bad-helo-names", &nerrors);
	if (nerrors > 0) {
		log_error("bad-helo-names: %d error%s in %s", nerrors,
		    nerrors == 1 ? "" : "s", conf->bad_helo_names);
		patterns_free(*pat);
		*pat = NULL;
		return -1;
	}
	return 0;
}

/* The user to run as: -u, else user:, else none (NULL). */
static const char *
user_name(const struct daemon *d, const struct conf *conf)
{
	return d->user_arg != NULL ? d->user_arg : conf->user;
}

/*
 * At startup, before the database is opened: find the user to run as
 * and, as root, make a missing database directory that user's.
 */
static int
user_prepare(struct daemon *d, const struct conf *conf)
{
	const char *name = user_name(d, conf);
	char errbuf[512];

	if (name == NULL)
		return 0;
	if (service_user_find(name, &d->user, errbuf, sizeof(errbuf)) == -1) {
		log_error("%s", errbuf);
		return -1;
	}
	if (geteuid() == 0 && service_dir_prepare(conf->database, &d->user,
	    errbuf, sizeof(errbuf)) == -1) {
		log_error("store: %s", errbuf);
		return -1;
	}
	return 0;
}

static int
state_build(struct daemon *d, const char *path, struct state *st)
{
	char errbuf[512];
	size_t converted;

	memset(st, 0, sizeof(*st));
	if ((st->conf = load_conf(path)) == NULL)
		return -1;
	if (load_data(st->conf, &st->patterns, &st->bad_helo) == -1) {
		conf_free(st->conf);
		return -1;
	}
	st->zones = zoneset_new(st->conf, (uint32_t)time(NULL), errbuf,
	    sizeof(errbuf));
	if (st->zones == NULL) {
		log_error("conf: %s", errbuf);
		goto fail;
	}
	if (d->conf == NULL && user_prepare(d, st->conf) == -1)
		goto fail;
	if (d->conf == NULL || strcmp(d->conf->database,
	    st->conf->database) != 0 || d->conf->map_size !=
	    st->conf->map_size) {
		if (store_verify(st->conf->database, errbuf,
		    sizeof(errbuf)) == -1) {
			log_error("store: %s", errbuf);
			goto fail;
		}
		st->store = store_open(st->conf->database, st->conf->map_size,
		    0, errbuf, sizeof(errbuf));
		if (st->store == NULL) {
			log_error("store: %s", errbuf);
			goto fail;
		}
	}
	/* the lists the configuration names: created if new */
	if (decide_bind(st->zones, st->conf, st->store != NULL ? st->store :
	    d->store, 1, &converted, errbuf, sizeof(errbuf)) == -1) {
		log_error("store: %s", errbuf);
		store_close(st->store);
		st->store = NULL;
		goto fail;
	}
	if (converted > 0)
		log_info("store: %zu white list entr%s of approved delisting "
		    "requests converted to exemptions", converted,
		    converted == 1 ? "y" : "ies");
	return 0;
fail:
	zoneset_free(st->zones);
	patterns_free(st->patterns);
	helo_list_free(st->bad_helo);
	conf_free(st->conf);
	return -1;
}

static void
state_discard(struct state *st)
{
	store_close(st->store);
	zoneset_free(st->zones);
	patterns_free(st->patterns);
	helo_list_free(st->bad_helo);
	conf_free(st->conf);
}

/*
 * Record each zone's configuration with its serial (a new zone, or one
 * whose configuration changed, moves it on) and set the zones' serials.
 */
static void
serials_conf(struct daemon *d)
{
	char errbuf[512];
	uint32_t serial;
	size_t i;

	(void)store_change_seq(d->store, &d->serial_seq, errbuf,
	    sizeof(errbuf));
	for (i = 0; i < d->zones->n; i++) {
		struct zone *z = &d->zones->v[i];

		if (store_serial_conf(d->store, z->conf->name,
		    zone_conf_hash(z), z->serial, &serial, errbuf,
		    sizeof(errbuf)) != STORE_OK) {
			log_warnx("store: the serial of zone %s: %s; it is "
			    "%u until the next change", z->conf->name, errbuf,
			    z->serial);
			continue;
		}
		zone_set_serial(z, serial);
	}
}

/* The zones' serials after a change of the lists. */
static void
on_serial(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;
	struct timeval tv = { 0, SERIAL_POLL_MS * 1000 };
	char errbuf[512];
	uint64_t seq;
	uint32_t serial;
	size_t i;

	(void)fd;
	(void)what;
	if (store_change_seq(d->store, &seq, errbuf, sizeof(errbuf)) ==
	    STORE_OK && seq != d->serial_seq) {
		d->serial_seq = seq;
		if (d->ev_purge != NULL && d->serial_seq_seen)
			purge_schedule(d);	/* an entry may expire soon */
		d->serial_seq_seen = 1;
		for (i = 0; i < d->zones->n; i++) {
			struct zone *z = &d->zones->v[i];

			if (store_serial(d->store, z->conf->name, &serial,
			    errbuf, sizeof(errbuf)) != STORE_OK)
				serials_conf(d);
			else if (serial != z->serial) {
				verbose(VERB_DETAIL, "zone %s: serial %u",
				    z->conf->name, serial);
				zone_set_serial(z, serial);
			}
		}
	}
	if (d->xfr != NULL)
		xfr_notify(d->xfr, d->zones, d->conf->notify_interval);
	if (event_add(d->ev_serial, &tv) == -1)
		log_warnx("cannot schedule the serial timer");
}

/*
 * Add the statistics per rule counted since the last time to the store;
 * a failure is logged, and they stay for the next try.
 */
static void
stats_flush(struct daemon *d)
{
	char errbuf[512];
	uint64_t dropped = 0;

	if (d->rules == NULL)
		return;
	if (rulestats_flush(d->rules, d->store, time(NULL), &dropped, errbuf,
	    sizeof(errbuf)) == -1)
		log_warnx("stats: cannot write the statistics per rule: %s",
		    errbuf);
	if (dropped > 0)
		log_warnx("stats: %llu counts dropped: more than %d distinct "
		    "ones in %d s", (unsigned long long)dropped,
		    RULESTATS_SLOTS * 3 / 4, RULESTATS_FLUSH);
}

static void
on_stats(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	stats_flush(arg);
}

static void
state_apply(struct daemon *d, struct state *st)
{
	if (d->xfr != NULL)
		xfr_stop(d->xfr);	/* they read the zones and the store */
	zoneset_free(d->zones);
	patterns_free(d->patterns);
	helo_list_free(d->bad_helo);
	conf_free(d->conf);
	d->conf = st->conf;
	d->zones = st->zones;
	d->patterns = st->patterns;
	d->bad_helo = st->bad_helo;
	d->helo.bad = d->bad_helo;
	d->helo.pat = d->patterns;
	d->helo.conf = d->conf;
	/* the counts so far, into the store they were counted for */
	stats_flush(d);
	if (d->rules != NULL)
		rulestats_set_keep(d->rules,
		    rulestats_keep_hours(d->conf->stats_keep));
	if (st->store != NULL) {
		store_close(d->store);
		d->store = st->store;
		store_index_enable(d->store);
		d->index_logged = 0;
		d->index_t0.tv_sec = 0;
		if (d->ev_index != NULL)
			index_kick(d);
		memset(&d->purge_pos, 0, sizeof(d->purge_pos));
		d->purged = 0;
	}
	serials_conf(d);
	if (d->xfr != NULL)
		xfr_configure(d->xfr, d->store);
	d->ac.zones = d->zones;
	d->ac.store = d->store;
	d->ac.allow = &d->conf->allow_query;
	d->ac.helo = &d->helo;
	d->ac.edns_size = (uint16_t)d->conf->udp_size;
	d->ac.failure_ttl = d->conf->failure_ttl;
	log_setverbose(d->conf->verbosity + d->extra_verbose);
	d->ac.log_queries = d->conf->log_queries ||
	    log_getverbose() >= VERB_QUERY;
}

/* The daemon's numbers for /metrics (http.h). */
static void
fill_metrics(void *arg, struct metrics *m)
{
	struct daemon *d = arg;

	m->dns = server_stats(d->server);
	m->checks = checker_stats(d->checker);
	if (d->fdlimit != NULL) {
		struct fdlimit_stats fs;

		fdlimit_get_stats(d->fdlimit, &fs);
		m->accept_errors = fs.accept_errors;
		m->accept_exhausted = fs.exhausted;
		m->accept_shed = fs.shed;
		m->accept_pauses = fs.pauses;
	}
	m->copy_entries = store_index_count(d->store, &m->copy_bytes);
	m->copy_stale = store_index_stale(d->store);
	m->cache_evictions = store_cache_evictions(d->store);
}

/* Hand the pages what they read now; -1 if a listener failed. */
static int
http_update(struct daemon *d, char *errbuf, size_t errlen)
{
	struct http_env env;

	env.conf = d->conf;
	env.zones = d->zones;
	env.store = d->store;
	env.checker = d->checker;
	env.metrics = fill_metrics;
	env.metrics_arg = d;
	env.rules = d->rules;
	return http_configure(d->http, &env, errbuf, errlen);
}

static void
check_trace(void *arg, const char *line)
{
	char buf[1024];

	(void)arg;
	verbose(VERB_ALGO, "check: %s", str_escape(buf, sizeof(buf), line,
	    strlen(line)));
}

/* Checker steps go to the log at verbosity 4 only (they cost a format). */
static void
set_trace(struct daemon *d)
{
	checker_set_trace(d->checker, log_getverbose() >= VERB_ALGO ?
	    check_trace : NULL, NULL);
}

/* Whether two listen: lists name the same addresses, in any order. */
static int
listen_same(const struct conf_listen *a, size_t na,
    const struct conf_listen *b, size_t nb)
{
	size_t i, j;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (strcmp(a[i].text, b[j].text) == 0)
				break;
		if (j == nb)
			return 0;
	}
	return 1;
}

/* Replace the listen: list *V, *N with a copy of FROM, NFROM. */
static void
listen_copy(struct conf_listen **v, size_t *n, const struct conf_listen *from,
    size_t nfrom)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		free((*v)[i].text);
		free((*v)[i].where);
	}
	free(*v);
	*v = nfrom ? xcalloc(nfrom, sizeof(**v)) : NULL;
	for (i = 0; i < nfrom; i++) {
		(*v)[i] = from[i];
		(*v)[i].text = xstrdup(from[i].text);
		(*v)[i].where = from[i].where != NULL ?
		    xstrdup(from[i].where) : NULL;
	}
	*n = nfrom;
}

/* Replace the string *S with a copy of FROM (NULL: none). */
static void
str_keep(char **s, const char *from)
{
	free(*s);
	*s = from != NULL ? xstrdup(from) : NULL;
}

static int
str_differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

/*
 * What a reload cannot change stays as it is, with a warning that a
 * restart applies it: the user, the log and the pid file are set up
 * once at startup; and once rdnsbld runs as its user, the DNS and HTTP
 * listeners (binding a port below 1024 needs root, and a socket closed
 * could not be opened again). The running values go into the new
 * configuration, so that it says what is in force.
 */
static void
keep_fixed(struct daemon *d, struct conf *new)
{
	const struct conf *old = d->conf;

	if (d->dropped && !listen_same(old->listen, old->nlisten, new->listen,
	    new->nlisten)) {
		log_warnx("listen: changed in %s, but rdnsbld runs as user %s "
		    "and keeps its sockets: restart it to listen on the new "
		    "addresses", d->conf_path, d->user.name);
		listen_copy(&new->listen, &new->nlisten, old->listen,
		    old->nlisten);
	}
	if (d->dropped && !listen_same(old->http.listen, old->http.nlisten,
	    new->http.listen, new->http.nlisten)) {
		log_warnx("http: listen: changed in %s, but rdnsbld runs as "
		    "user %s and keeps its sockets: restart it to listen on "
		    "the new addresses", d->conf_path, d->user.name);
		listen_copy(&new->http.listen, &new->http.nlisten,
		    old->http.listen, old->http.nlisten);
	}
	if (str_differ(old->user, new->user)) {
		log_warnx("user: changed in %s: a restart applies it",
		    d->conf_path);
		str_keep(&new->user, old->user);
	}
	if (old->log != new->log) {
		log_warnx("log: changed in %s: a restart applies it",
		    d->conf_path);
		new->log = old->log;
	}
	if (str_differ(old->pidfile, new->pidfile)) {
		log_warnx("pidfile: changed in %s: a restart applies it",
		    d->conf_path);
		str_keep(&new->pidfile, old->pidfile);
	}
	if (str_differ(old->dnstap_socket_path, new->dnstap_socket_path) ||
	    str_differ(old->dnstap_identity, new->dnstap_identity)) {
		log_warnx("dnstap-socket-path, dnstap-identity: changed in %s: "
		    "a restart applies them", d->conf_path);
		str_keep(&new->dnstap_socket_path, old->dnstap_socket_path);
		str_keep(&new->dnstap_identity, old->dnstap_identity);
	}
}

static void
reload(struct daemon *d)
{
	struct state st;
	char errbuf[512];

	log_info("reloading %s", d->conf_path);
	if (state_build(d, d->conf_path, &st) == -1) {
		log_error("reload failed, keeping the running configuration");
		return;
	}
	keep_fixed(d, st.conf);
	if (checker_reconfigure(d->checker, st.conf, st.store ? st.store :
	    d->store, st.patterns, errbuf, sizeof(errbuf)) == -1) {
		log_error("reload failed: resolver: %s; keeping the running "
		    "configuration", errbuf);
		state_discard(&st);
		return;
	}
	if (server_configure(d->server, st.conf, errbuf,
	    sizeof(errbuf)) == -1) {
		log_error("reload failed: %s; keeping the running "
		    "configuration", errbuf);
		/* the checker must not keep pointers into st */
		if (checker_reconfigure(d->checker, d->conf, d->store,
		    d->patterns, errbuf, sizeof(errbuf)) == -1)
			log_warnx("resolver: %s", errbuf);
		state_discard(&st);
		return;
	}
	state_apply(d, &st);
	server_set_checker(d->server, d->checker,
	    d->conf->check_timeout * 1000);
	set_trace(d);
	if (http_update(d, errbuf, sizeof(errbuf)) == -1)
		log_warnx("%s; keeping the previous HTTP listeners", errbuf);
	if (watch_start(d->watch, d->conf, errbuf, sizeof(errbuf)) == -1)
		log_warnx("%s", errbuf);
	log_info("reloaded %s: %zu zone%s", d->conf_path, d->zones->n,
	    d->zones->n == 1 ? "" : "s");
}

/* Collect finished children (notify-command runs and list loads). */
static void
reap_children(struct daemon *d)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (watch_child_exited(d->watch, pid, status))
			continue;	/* a list's load, logged */
		/* the next may start; a mail-command run is logged there */
		if (http_child_exited(d->http, pid, status) == 2)
			continue;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			verbose(VERB_DETAIL, "notify: pid %ld exited 0",
			    (long)pid);
		else if (WIFEXITED(status))
			log_warnx("notify: notify-command (pid %ld) exited "
			    "with status %d", (long)pid, WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			log_warnx("notify: notify-command (pid %ld) killed by "
			    "signal %d", (long)pid, WTERMSIG(status));
	}
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;

	(void)what;
	if (sig == SIGHUP) {
		reload(d);
		return;
	}
	if (sig == SIGCHLD) {
		reap_children(d);
		return;
	}
	log_info("signal %d received, exiting", (int)sig);
	event_base_loopexit(d->base, NULL);
}

static void
on_index(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;
	struct timeval tv = { 0, INDEX_PAUSE_US };
	struct timespec now;
	char errbuf[512];
	size_t n, bytes;
	int r;

	(void)fd;
	(void)what;
	if (!d->index_logged && d->index_t0.tv_sec == 0)
		clock_gettime(CLOCK_MONOTONIC, &d->index_t0);
	r = store_index_step(d->store, INDEX_STEP, errbuf, sizeof(errbuf));
	if (r == -1) {
		d->index_fails++;
		tv.tv_sec = d->index_fails > 9 ? INDEX_BACKOFF_MAX :
		    1L << (d->index_fails - 1);
		if (tv.tv_sec > INDEX_BACKOFF_MAX)
			tv.tv_sec = INDEX_BACKOFF_MAX;
		tv.tv_usec = 0;
		if ((d->index_fails & (d->index_fails - 1)) == 0)
			log_warnx("store: the copy of the lists: %s (failed "
			    "%u time%s in a row, next try in %lds; queries "
			    "are answered from the database meanwhile)",
			    errbuf, d->index_fails,
			    d->index_fails == 1 ? "" : "s", (long)tv.tv_sec);
	} else
		d->index_fails = 0;
	if (r == STORE_INDEX_WAIT) {
		tv.tv_sec = INDEX_WAIT;
		tv.tv_usec = 0;
		d->index_logged = 0;		/* log the rebuild */
		d->index_t0.tv_sec = 0;
	}
	if (r == 0) {
		if (!d->index_logged) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			n = store_index_count(d->store, &bytes);
			verbose(VERB_OPS, "store: lists in memory: %zu "
			    "entr%s, %zu kB, built in %lld ms", n,
			    n == 1 ? "y" : "ies", bytes / 1024,
			    (long long)(now.tv_sec - d->index_t0.tv_sec) *
			    1000 + (now.tv_nsec - d->index_t0.tv_nsec) /
			    1000000);
			d->index_logged = 1;
		}
		return;
	}
	if (event_add(d->ev_index, &tv) == -1)
		log_warnx("store: cannot schedule the copy of the lists");
}

/* After a batch of queries: catch up if they saw a newer snapshot. */
static void
index_kick(void *arg)
{
	struct daemon *d = arg;
	struct timeval tv = { 0, INDEX_PAUSE_US };

	if (store_index_stale(d->store) &&
	    !evtimer_pending(d->ev_index, NULL) &&
	    event_add(d->ev_index, &tv) == -1)
		log_warnx("store: cannot schedule the copy of the lists");
}

/*
 * Between passes: the next one PURGE_INTERVAL seconds on, or when the
 * soonest entry expires if that is earlier, so that an expiry reaches
 * the serial (and the secondaries) at once.
 */
static void
purge_schedule(struct daemon *d)
{
	struct timeval tv = { PURGE_INTERVAL, 0 };
	char errbuf[512];
	int64_t when, now = (int64_t)time(NULL);

	if (d->purging)
		return;
	if (store_next_expiry(d->store, &when, errbuf, sizeof(errbuf)) ==
	    STORE_OK && when - now < PURGE_INTERVAL)
		tv.tv_sec = when <= now ? 0 : (time_t)(when - now);
	if (event_add(d->ev_purge, &tv) == -1)
		log_warnx("store: cannot schedule the next purge");
}

static void
on_purge(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;
	struct timeval tv = { 0, PURGE_PAUSE_US };
	char errbuf[512];

	(void)fd;
	(void)what;
	if (store_purge_step(d->store, time(NULL), "rdnsbld", &d->purge_pos,
	    PURGE_STEP, &d->purged, errbuf, sizeof(errbuf)) == STORE_ERROR) {
		log_warnx("store: purging expired entries: %s", errbuf);
		d->purge_pos.stage = PURGE_DONE;
	}
	if (d->purge_pos.stage == PURGE_DONE) {
		if (d->purged > 0)
			verbose(VERB_OPS, "store: purged %zu expired entr%s",
			    d->purged, d->purged == 1 ? "y" : "ies");
		memset(&d->purge_pos, 0, sizeof(d->purge_pos));
		d->purged = 0;
		d->purging = 0;
		purge_schedule(d);
		return;
	}
	d->purging = 1;
	if (event_add(d->ev_purge, &tv) == -1)
		log_warnx("store: cannot schedule the next purge");
}

/*
 * PATH, absolute, before the working directory becomes /: PATH itself,
 * or a copy in *MADE, which the caller frees.
 */
static const char *
path_absolute(const char *path, char **made)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return path;
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		fatal("getcwd");
	(void)xasprintf(made, "%s/%s", cwd, path);
	return *made;
}

/*
 * Once every socket is bound and the database open, as root: write the
 * pid file, then become the user for good, and check that the user can
 * still use the database. Any failure ends the run: rdnsbld never goes
 * on as root when it was told to run as a user.
 */
static void
service_start(struct daemon *d)
{
	const char *name = user_name(d, d->conf);
	char errbuf[512];
	int was_root;

	d->pidfile = d->pidfile_arg != NULL ? d->pidfile_arg :
	    d->conf->pidfile;
	if (d->pidfile != NULL && service_pidfile_write(d->pidfile, getpid(),
	    errbuf, sizeof(errbuf)) == -1) {
		d->pidfile = NULL;
		fatalx("%s", errbuf);
	}
	if (name == NULL)
		return;
	was_root = geteuid() == 0;
	if (service_drop(&d->user, errbuf, sizeof(errbuf)) == -1)
		fatalx("cannot run as user %s: %s; not going on as %s", name,
		    errbuf, geteuid() == 0 ? "root" : "another user");
	d->dropped = was_root;	/* root no more: the sockets stay */
	if (service_dir_check(d->conf->database, &d->user, errbuf,
	    sizeof(errbuf)) == -1)
		fatalx("store: %s", errbuf);
	if (was_root)
		log_info("running as user %s (uid %ld, gid %ld), no "
		    "supplementary group", name, (long)d->user.uid,
		    (long)d->user.gid);
	else
		log_info("running as user %s already", name);
}

int
main(int argc, char *argv[])
{
	struct daemon d;
	struct state st;
	struct timeval tv = { PURGE_FIRST, 0 }, stats_tv = { 0, 0 };
	char errbuf[512], dbpath[PATH_MAX], ctlpath[PATH_MAX];
	char *abs_conf = NULL, *abs_pid = NULL;
	long nofile;
	int ch, check_only = 0, ready = -1;

	memset(&d, 0, sizeof(d));
	d.conf_path = CONF_DEFAULT_PATH;
	log_init(1, LOG_DAEMON, "rdnsbld");
	args_long_forms(argc, argv);
	while ((ch = getopt(argc, argv, "c:dhnP:u:Vv")) != -1) {
		switch (ch) {
		case 'c':
			d.conf_path = optarg;
			break;
		case 'h':
			print_usage(stdout, 1);
			return 0;
		case 'd':
			d.foreground = 1;
			break;
		case 'n':
			check_only = 1;
			break;
		case 'P':
			d.pidfile_arg = optarg;
			break;
		case 'u':
			d.user_arg = optarg;
			break;
		case 'V':
			printf("rdnsbld %s\n", PACKAGE_VERSION);
			return 0;
		case 'v':
			d.extra_verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	if (check_only) {
		struct conf *conf = load_conf(d.conf_path);
		struct patterns *pat;
		struct helo_list *bad;

		if (conf == NULL)
			return 1;
		if (load_data(conf, &pat, &bad) == -1) {
			conf_free(conf);
			return 1;
		}
		if (user_name(&d, conf) != NULL && service_user_find(
		    user_name(&d, conf), &d.user, errbuf,
		    sizeof(errbuf)) == -1) {
			log_error("%s", errbuf);
			patterns_free(pat);
			helo_list_free(bad);
			conf_free(conf);
			return 1;
		}
		patterns_free(pat);
		helo_list_free(bad);
		if (d.extra_verbose)
			conf_dump(conf, stdout);
		printf("%s: configuration ok\n", d.conf_path);
		conf_free(conf);
		return 0;
	}

	log_stamp();
	/* the child goes on; the parent exits when it is ready, or failed */
	if (!d.foreground) {
		d.conf_path = path_absolute(d.conf_path, &abs_conf);
		if (d.pidfile_arg != NULL)
			d.pidfile_arg = path_absolute(d.pidfile_arg, &abs_pid);
		if ((ready = service_fork(errbuf, sizeof(errbuf))) == -1)
			fatalx("%s", errbuf);
	}
	if (state_build(&d, d.conf_path, &st) == -1)
		fatalx("cannot start with %s", d.conf_path);
	state_apply(&d, &st);

	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		fatal("signal");
	/* a full process fails DNS open: take all the hard limit allows */
	if ((nofile = fdlimit_raise(errbuf, sizeof(errbuf))) == -1)
		log_warnx("descriptors: %s", errbuf);
	else
		verbose(VERB_OPS, "descriptors: at most %ld open", nofile);
	if ((d.base = event_base_new()) == NULL)
		fatalx("cannot create the event base");
	d.fdlimit = fdlimit_new(d.base);
	d.server = server_new(d.base, &d.ac, d.fdlimit);
	d.rules = rulestats_new(rulestats_keep_hours(d.conf->stats_keep));
	server_set_rulestats(d.server, d.rules);
	d.xfr = xfr_new(d.base);
	xfr_configure(d.xfr, d.store);
	server_set_xfr(d.server, d.xfr);
	if (server_configure(d.server, d.conf, errbuf, sizeof(errbuf)) == -1)
		fatalx("%s", errbuf);
	d.checker = checker_new(d.base, d.conf, d.store, d.patterns, errbuf,
	    sizeof(errbuf));
	if (d.checker == NULL)
		fatalx("resolver: %s", errbuf);
	server_set_checker(d.server, d.checker, d.conf->check_timeout * 1000);
	set_trace(&d);
	d.http = http_new(d.base, d.fdlimit);
	if (http_update(&d, errbuf, sizeof(errbuf)) == -1)
		fatalx("%s", errbuf);

	d.ev_term = evsignal_new(d.base, SIGTERM, on_signal, &d);
	d.ev_int = evsignal_new(d.base, SIGINT, on_signal, &d);
	d.ev_hup = evsignal_new(d.base, SIGHUP, on_signal, &d);
	d.ev_chld = evsignal_new(d.base, SIGCHLD, on_signal, &d);
	d.ev_purge = evtimer_new(d.base, on_purge, &d);
	d.ev_index = evtimer_new(d.base, on_index, &d);
	d.ev_serial = evtimer_new(d.base, on_serial, &d);
	d.ev_stats = event_new(d.base, -1, EV_PERSIST, on_stats, &d);
	stats_tv.tv_sec = RULESTATS_FLUSH;
	if (d.ev_index == NULL || d.ev_serial == NULL || d.ev_stats == NULL ||
	    event_add(d.ev_stats, &stats_tv) == -1)
		fatalx("cannot set up timer events");
	server_set_batch_hook(d.server, index_kick, &d);
	index_kick(&d);
	if (d.ev_term == NULL || d.ev_int == NULL || d.ev_hup == NULL ||
	    d.ev_chld == NULL || evsignal_add(d.ev_chld, NULL) == -1 ||
	    d.ev_purge == NULL || evsignal_add(d.ev_term, NULL) == -1 ||
	    evsignal_add(d.ev_int, NULL) == -1 ||
	    evsignal_add(d.ev_hup, NULL) == -1 ||
	    event_add(d.ev_purge, &tv) == -1)
		fatalx("cannot set up signal and timer events");
	on_serial(-1, 0, &d);
	d.watch = watch_new(d.base, watch_ctl_path(ctlpath, sizeof(ctlpath)),
	    d.conf_path);
	if (watch_start(d.watch, d.conf, errbuf, sizeof(errbuf)) == -1)
		fatalx("%s", errbuf);

	service_start(&d);
	if (!d.foreground && d.conf->log == CONF_LOG_SYSLOG)
		log_init(0, LOG_DAEMON, "rdnsbld");
	/* after the fork and the drop: the I/O thread is the daemon's, and
	   connects to the collector as the user, the first time as later */
	if (d.conf->dnstap_socket_path != NULL) {
		d.dnstap = dnstap_new(d.conf->dnstap_socket_path,
		    d.conf->dnstap_identity, errbuf, sizeof(errbuf));
		if (d.dnstap == NULL) {
			if (d.pidfile != NULL)
				(void)unlink(d.pidfile); /* not started */
			fatalx("%s", errbuf);
		}
		server_set_dnstap(d.server, d.dnstap);
		log_info("dnstap: frames to %s", d.conf->dnstap_socket_path);
	}
	/* "zones/../var/rdnsbl" as the directory it is */
	log_info("rdnsbld %s started: %zu zone%s, database %s",
	    PACKAGE_VERSION, d.zones->n, d.zones->n == 1 ? "" : "s",
	    realpath(d.conf->database, dbpath) != NULL ? dbpath :
	    d.conf->database);
	if (ready != -1 && service_ready(ready, d.conf->log ==
	    CONF_LOG_STDERR, errbuf, sizeof(errbuf)) == -1)
		fatalx("%s", errbuf);
	if (event_base_dispatch(d.base) == -1)
		fatalx("event loop failed");

	watch_free(d.watch);
	http_free(d.http);
	xfr_free(d.xfr);
	server_free(d.server);
	dnstap_free(d.dnstap);
	stats_flush(&d);	/* what was counted since the last write */
	rulestats_free(d.rules);
	event_free(d.ev_stats);
	checker_free(d.checker);
	event_free(d.ev_term);
	event_free(d.ev_int);
	event_free(d.ev_hup);
	event_free(d.ev_purge);
	event_free(d.ev_index);
	event_free(d.ev_serial);
	event_free(d.ev_chld);
	fdlimit_free(d.fdlimit);
	event_base_free(d.base);
	zoneset_free(d.zones);
	patterns_free(d.patterns);
	helo_list_free(d.bad_helo);
	store_close(d.store);
	conf_free(d.conf);
	if (d.pidfile != NULL && unlink(d.pidfile) == -1)
		verbose(VERB_DETAIL, "cannot remove the pid file %s: %s",
		    d.pidfile, strerror(errno));
	log_info("exited");
	free(abs_conf);
	free(abs_pid);
	return 0;
}
