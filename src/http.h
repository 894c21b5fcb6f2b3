/* SPDX-License-Identifier: ISC */
/*
 * http.h -- the delisting pages and the metrics, served by evhttp on the
 * daemon's event base (doc/delisting.md).
 *
 *   GET  /, /lookup?ip=ADDR   the address in each zone, why, what to do,
 *                             and the request form when it is listed
 *   POST /delist              ip, email, description (website: the
 *                             honeypot): re-check, resolve or queue
 *   GET  /request/TOKEN       the status of a request
 *   GET  /verify/TOKEN        what the mailed link confirms (verify-email:)
 *   POST /verify/TOKEN        confirm: re-check, resolve or queue
 *   GET  /healthz             "ok"
 *   GET  /metrics             Prometheus text, allow-metrics: only
 *                             (metrics.h)
 *   GET  /stats               the statistics per rule as SVG charts and
 *                             a table, allow-metrics: only (statpage.h)
 *
 * Nothing here blocks: a page that needs a computed verdict waits for
 * the checker (bounded by check-timeout:) and answers from its callback,
 * while the loop goes on answering DNS.
 */
#ifndef HTTP_H
#define HTTP_H

#include <sys/types.h>

#include <stddef.h>

struct checker;
struct conf;
struct event_base;
struct fdlimit;
struct http;
struct metrics;
struct rulestats;
struct store;
struct zoneset;

/* What the pages read; the daemon hands a new one over on each reload. */
struct http_env {
	const struct conf	*conf;		/* http:, check-timeout:, zones */
	const struct zoneset	*zones;
	struct store		*store;
	struct checker		*checker;
	/*
	 * Fills the daemon's numbers into *m for /metrics (dns, checks,
	 * the compact copy); NULL: none.
	 */
	void			(*metrics)(void *arg, struct metrics *m);
	void			*metrics_arg;
	/*
	 * The statistics per rule (rulestats.h): requests and self-service
	 * approvals are counted here; /metrics and /stats show them with
	 * the store's. NULL: none counted, the store's shown.
	 */
	struct rulestats	*rules;
};

/*
 * An HTTP server on base; it listens on nothing until http_configure.
 * fl, if not NULL, watches its listeners (fdlimit.h) and must outlive
 * it.
 */
struct http	*http_new(struct event_base *base, struct fdlimit *fl);

/*
 * Take env (copied; what it points to must outlive the next call), and
 * listen where env->conf's http: clause says, keeping sockets still
 * listed and closing the others, with its limits. Either every new
 * socket opens or the listeners stay as they were: -1 with errbuf (env
 * is taken all the same). Logs the new listeners.
 */
int		 http_configure(struct http *, const struct http_env *env,
		    char *errbuf, size_t errlen);

/*
 * The child PID was reaped with STATUS: if it was a notify-command or a
 * mail-command run, the next waiting run of its kind may start (at most
 * HTTP_NOTIFY_RUNNING at once, at most HTTP_NOTIFY_WAITING waiting).
 * Returns 1 if PID was a notify-command run, 2 if a mail-command run
 * (whose failure it logs), else 0. Logs a run that could not start.
 */
#define HTTP_NOTIFY_RUNNING	2
#define HTTP_NOTIFY_WAITING	1000
int		 http_child_exited(struct http *, pid_t pid, int status);

/* Answer 503 to requests still waiting for a check, then free. */
void		 http_free(struct http *);

#endif /* HTTP_H */
