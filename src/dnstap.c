/* SPDX-License-Identifier: ISC */
/*
 * dnstap.c -- dnstap frames on a Frame Streams unix socket (dnstap.h).
 * The protobuf code comes from dnstap.proto through protoc-c at build
 * time (Makefile.am).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_DNSTAP
#include <fstrm.h>
#endif

#include "dnstap.h"
#ifdef HAVE_DNSTAP
#include "dnstap.pb-c.h"
#endif
#include "util.h"

#define DNSTAP_CONTENT_TYPE	"protobuf:dnstap.Dnstap"
/* frames waiting for the I/O thread: a burst of some 8000 queries and
   their answers while the collector reads (a power of 2) */
#define DNSTAP_QUEUE		16384

#ifdef HAVE_DNSTAP

struct dnstap {
	struct fstrm_iothr	*iothr;
	struct fstrm_iothr_queue *q;
	char			*identity;
};

struct dnstap *
dnstap_new(const char *path, const char *identity, char *errbuf,
    size_t errlen)
{
	struct fstrm_unix_writer_options *uwopt = NULL;
	struct fstrm_writer_options *wopt = NULL;
	struct fstrm_iothr_options *iopt = NULL;
	struct fstrm_writer *w = NULL;
	struct dnstap *dt = NULL;
	char host[256];

	if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		snprintf(errbuf, errlen, "dnstap-socket-path: %s: longer than "
		    "a unix socket's path may be", path);
		return NULL;
	}
	if (identity == NULL) {
		if (gethostname(host, sizeof(host)) == -1)
			snprintf(host, sizeof(host), "rdnsbld");
		host[sizeof(host) - 1] = '\0';
		identity = host;
	}
	uwopt = fstrm_unix_writer_options_init();
	fstrm_unix_writer_options_set_socket_path(uwopt, path);
	wopt = fstrm_writer_options_init();
	if (fstrm_writer_options_add_content_type(wopt, DNSTAP_CONTENT_TYPE,
	    strlen(DNSTAP_CONTENT_TYPE)) != fstrm_res_success ||
	    (w = fstrm_unix_writer_init(uwopt, wopt)) == NULL) {
		snprintf(errbuf, errlen, "dnstap: cannot set up a writer to "
		    "%s", path);
		goto out;
	}
	iopt = fstrm_iothr_options_init();
	if (fstrm_iothr_options_set_input_queue_size(iopt, DNSTAP_QUEUE) !=
	    fstrm_res_success ||
	    fstrm_iothr_options_set_queue_model(iopt,
	    FSTRM_IOTHR_QUEUE_MODEL_SPSC) != fstrm_res_success) {
		snprintf(errbuf, errlen, "dnstap: cannot set the queue");
		goto out;
	}
	dt = xcalloc(1, sizeof(*dt));
	/* takes the writer, and frees it with itself */
	if ((dt->iothr = fstrm_iothr_init(iopt, &w)) == NULL ||
	    (dt->q = fstrm_iothr_get_input_queue(dt->iothr)) == NULL) {
		snprintf(errbuf, errlen, "dnstap: cannot start the I/O thread");
		if (dt->iothr != NULL)
			fstrm_iothr_destroy(&dt->iothr);
		free(dt);
		dt = NULL;
		goto out;
	}
	dt->identity = xstrdup(identity);
out:
	if (w != NULL)
		fstrm_writer_destroy(&w);
	if (iopt != NULL)
		fstrm_iothr_options_destroy(&iopt);
	fstrm_writer_options_destroy(&wopt);
	fstrm_unix_writer_options_destroy(&uwopt);
	return dt;
}

/*
 * Our address and port as the message's response_address and _port,
 * when local is of the client's family and a real address: a listener
 * of 0.0.0.0 or :: does not know which of its addresses a UDP query
 * came to, and then leaves them out.
 */
static void
local_address(Dnstap__Message *m, int family, const struct sockaddr *local)
{
	static const uint8_t any[16];
	const struct sockaddr_in *sin = (const void *)local;
	const struct sockaddr_in6 *sin6 = (const void *)local;

	if (local->sa_family != family)
		return;
	if (family == AF_INET && sin->sin_addr.s_addr != htonl(INADDR_ANY)) {
		m->response_address.data = (uint8_t *)(uintptr_t)&sin->sin_addr;
		m->response_address.len = 4;
		m->response_port = ntohs(sin->sin_port);
	} else if (family == AF_INET6 &&
	    memcmp(&sin6->sin6_addr, any, sizeof(any)) != 0) {
		m->response_address.data =
		    (uint8_t *)(uintptr_t)&sin6->sin6_addr;
		m->response_address.len = 16;
		m->response_port = ntohs(sin6->sin6_port);
	} else
		return;
	m->has_response_address = m->has_response_port = 1;
}

/* The frame of ev, in a buffer of its own; *len its length. */
static uint8_t *
encode(const char *identity, const struct dnstap_event *ev, size_t *len)
{
	Dnstap__Dnstap d = DNSTAP__DNSTAP__INIT;
	Dnstap__Message m = DNSTAP__MESSAGE__INIT;
	const struct sockaddr_in *sin = (const void *)ev->peer;
	const struct sockaddr_in6 *sin6 = (const void *)ev->peer;
	static const char version[] = PACKAGE_NAME " " PACKAGE_VERSION;
	const void *addr = NULL;
	uint8_t *buf;

	d.type = DNSTAP__DNSTAP__TYPE__MESSAGE;
	d.has_identity = 1;
	d.identity.data = (uint8_t *)(uintptr_t)identity;
	d.identity.len = strlen(identity);
	d.has_version = 1;
	d.version.data = (uint8_t *)(uintptr_t)version;
	d.version.len = sizeof(version) - 1;
	d.message = &m;
	m.has_socket_protocol = 1;
	m.socket_protocol = ev->tcp ? DNSTAP__SOCKET_PROTOCOL__TCP :
	    DNSTAP__SOCKET_PROTOCOL__UDP;
	if (ev->peer->sa_family == AF_INET) {
		m.socket_family = DNSTAP__SOCKET_FAMILY__INET;
		addr = &sin->sin_addr;
		m.query_address.len = 4;
		m.query_port = ntohs(sin->sin_port);
	} else if (ev->peer->sa_family == AF_INET6) {
		m.socket_family = DNSTAP__SOCKET_FAMILY__INET6;
		addr = &sin6->sin6_addr;
		m.query_address.len = 16;
		m.query_port = ntohs(sin6->sin6_port);
	}
	if (addr != NULL) {
		m.has_socket_family = m.has_query_address = 1;
		m.has_query_port = 1;
		m.query_address.data = (uint8_t *)(uintptr_t)addr;
	}
	if (addr != NULL && ev->local != NULL)
		local_address(&m, ev->peer->sa_family, ev->local);
	m.has_query_time_sec = m.has_query_time_nsec = 1;
	m.query_time_sec = (uint64_t)ev->qtime.tv_sec;
	m.query_time_nsec = (uint32_t)ev->qtime.tv_nsec;
	if (ev->response) {
		m.type = DNSTAP__MESSAGE__TYPE__AUTH_RESPONSE;
		m.has_response_time_sec = m.has_response_time_nsec = 1;
		m.response_time_sec = (uint64_t)ev->rtime.tv_sec;
		m.response_time_nsec = (uint32_t)ev->rtime.tv_nsec;
		m.has_response_message = 1;
		m.response_message.data = (uint8_t *)(uintptr_t)ev->msg;
		m.response_message.len = ev->len;
	} else {
		m.type = DNSTAP__MESSAGE__TYPE__AUTH_QUERY;
		m.has_query_message = 1;
		m.query_message.data = (uint8_t *)(uintptr_t)ev->msg;
		m.query_message.len = ev->len;
	}
	*len = dnstap__dnstap__get_packed_size(&d);
	buf = xmalloc(*len);
	*len = dnstap__dnstap__pack(&d, buf);
	return buf;
}

int
dnstap_send(struct dnstap *dt, const struct dnstap_event *ev)
{
	uint8_t *buf;
	size_t len;

	buf = encode(dt->identity, ev, &len);
	if (fstrm_iothr_submit(dt->iothr, dt->q, buf, len, fstrm_free_wrapper,
	    NULL) != fstrm_res_success) {
		/* still ours: the queue is full */
		free(buf);
		return -1;
	}
	return 0;
}

void
dnstap_free(struct dnstap *dt)
{
	if (dt == NULL)
		return;
	fstrm_iothr_destroy(&dt->iothr);
	free(dt->identity);
	free(dt);
}

#else /* !HAVE_DNSTAP */

struct dnstap {
	int			 unused;
};

struct dnstap *
dnstap_new(const char *path, const char *identity, char *errbuf,
    size_t errlen)
{
	(void)identity;
	snprintf(errbuf, errlen, "dnstap-socket-path: %s: rdnsbld was built "
	    "without dnstap; build it again with libfstrm and protobuf-c (on "
	    "Debian: apt-get install libfstrm-dev libprotobuf-c-dev "
	    "protobuf-c-compiler; configure --enable-dnstap)", path);
	return NULL;
}

int
dnstap_send(struct dnstap *dt, const struct dnstap_event *ev)
{
	(void)dt;
	(void)ev;
	return -1;
}

void
dnstap_free(struct dnstap *dt)
{
	free(dt);
}

#endif /* HAVE_DNSTAP */
