/*
 * http.h -- the delisting pages and the metrics, served by evhttp on the
 * daemon's event base (DESIGN "Manual lists, the delisting queue").
 *
 *   GET  /, /lookup?ip=ADDR   the address in each zone, why, what to do,
 *                             and the request form when it is listed
 *   POST /delist              ip, email, description (website: the
 *                             honeypot): re-check, resolve or queue
 *   GET  /request/TOKEN       the status of a request
 *   GET  /healthz             "ok"
 *   GET  /metrics             Prometheus text, allow-metrics: only
 *
 * Nothing here blocks: a page that needs a computed verdict waits for
 * the checker (bounded by check-timeout:) and answers from its callback,
 * while the loop goes on answering DNS.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>

struct conf;
struct daemon;
struct http;

/*
 * An HTTP server on d->base that reads d's configuration, zones, store,
 * checker and server statistics at each request (so a reload needs no
 * call here but http_configure). Listens on nothing yet.
 */
struct http	*http_new(struct daemon *d);

/*
 * Listen where conf's http: clause says (keeping sockets still listed,
 * closing the others) and take its limits. Either every new socket opens
 * or nothing changes: -1 with errbuf. Logs the new listeners.
 */
int		 http_configure(struct http *, const struct conf *conf,
		    char *errbuf, size_t errlen);

/* Answer 503 to requests still waiting for a check, then free. */
void		 http_free(struct http *);

#endif /* HTTP_H */
