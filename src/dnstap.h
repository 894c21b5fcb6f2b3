/* SPDX-License-Identifier: ISC */
/*
 * dnstap.h -- dnstap output (https://dnstap.info): each DNS query as
 * received (AUTH_QUERY) and each answer as sent (AUTH_RESPONSE), with the
 * client's address and port, the transport, the times and the wire
 * message, as protobuf frames ("protobuf:dnstap.Dnstap") on a Frame
 * Streams unix socket (libfstrm), the collector's: fstrm_capture, or the
 * dnstap input of a log pipeline.
 *
 * The frames go through libfstrm's I/O thread: dnstap_send only puts a
 * frame on its queue and never waits. A full queue (a slow or absent
 * collector) drops the frame, and the caller counts it. The thread
 * connects, and connects again every few seconds when the collector is
 * gone; what comes meanwhile is lost. Built without libfstrm and
 * protobuf-c (configure --disable-dnstap), dnstap_new says so and
 * returns NULL.
 */
#ifndef DNSTAP_H
#define DNSTAP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct dnstap;			/* opaque */
struct sockaddr;

/* One message. */
struct dnstap_event {
	int			 response;	/* 0: AUTH_QUERY, 1: AUTH_RESPONSE */
	int			 tcp;		/* 0: UDP, 1: TCP */
	const struct sockaddr	*peer;		/* the client, v4 or v6 */
	const struct sockaddr	*local;		/* our address, or NULL */
	struct timespec		 qtime;		/* when the query came */
	struct timespec		 rtime;		/* when the answer went */
	const uint8_t		*msg;		/* the query or the answer */
	size_t			 len;
};

/*
 * Start writing to the unix socket PATH, with IDENTITY in every frame
 * (NULL: the host name). Returns the writer, or NULL with a message in
 * ERRBUF (ERRLEN bytes). A collector not listening yet is no error: the
 * writer connects when it comes. Never logs. Free with dnstap_free().
 */
struct dnstap	*dnstap_new(const char *path, const char *identity,
		    char *errbuf, size_t errlen);

/*
 * Queue the frame of EV for the collector. Returns 0, or -1 when the
 * queue is full and the frame was dropped. Never blocks, never logs.
 */
int		 dnstap_send(struct dnstap *, const struct dnstap_event *ev);

/* Stop the I/O thread (it writes what is queued first) and free. */
void		 dnstap_free(struct dnstap *);

#endif /* DNSTAP_H */
