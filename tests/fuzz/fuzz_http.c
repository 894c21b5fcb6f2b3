/* SPDX-License-Identifier: ISC */
/*
 * fuzz_http.c -- libFuzzer target: the delisting pages' HTTP request
 * and form handling (http.c on evhttp: request line, headers, routes,
 * query strings, the POST form of /delist, its fields' checks, the
 * trusted-proxy header). The input is written as it is to a connection
 * to the real listener on loopback, the writing side is shut, and the
 * event loop runs until the server has answered and closed.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "check.h"
#include "http.h"
#include "util.h"
#include "fuzz.h"
#include "../unit/fixture.h"

static struct fixture		 f;
static struct event_base	*base;
static struct checker		*checker;
static struct http		*http;
static struct sockaddr_in	 hsin;

/* A loopback port free now: bound, read and closed. */
static unsigned
free_port(int type)
{
	struct sockaddr_in sin;

	close(fuzz_loopback(type, &sin));
	return ntohs(sin.sin_port);
}

static void
cleanup(void)
{
	http_free(http);
	checker_free(checker);
	event_base_free(base);
	fixture_close(&f);
}

static void
setup(void)
{
	struct http_env env;
	char conftext[2048], err[256];
	unsigned hport = free_port(SOCK_STREAM);

	/* The resolver: a port nobody answers on, refused at once. */
	(void)snprintf(conftext, sizeof(conftext),
	    "server:\n"
	    "  database: /nonexistent\n"
	    "  resolver: 127.0.0.1@%u\n"
	    "  check-timeout: 1s\n"
	    "http:\n"
	    "  listen: 127.0.0.1@%u\n"
	    "  public-url: http://127.0.0.1:%u\n"
	    "  allow-metrics: 127.0.0.1\n"
	    "  self-delist: 1h\n"
	    "  max-body: 4k\n"
	    "  rate-limit: 100000\n"
	    "  address-rate-limit: 100000\n"
	    "  timeout: 1s\n"
	    "  trusted-proxy: 127.0.0.1\n"
	    "zone:\n"
	    "  name: bl.test\n"
	    "  type: dnsbl\n"
	    "  checks: blacklist, no-ptr\n"
	    "zone:\n"
	    "  name: wl.test\n"
	    "  type: dnswl\n",
	    free_port(SOCK_DGRAM), hport, hport);
	if (fixture_open(&f, conftext) == -1 ||
	    fixture_add(&f, LIST_BLACK, "192.0.2.0/24", 0, 0, 0, "spam") == -1 ||
	    fixture_add(&f, LIST_WHITE, "198.51.100.1/32", 0, 0, 0, "ok") == -1)
		abort();
	/* As rdnsbld: a peer gone while it is answered is no signal. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR ||
	    (base = event_base_new()) == NULL)
		abort();
	if ((checker = checker_new(base, f.conf, f.st, NULL, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "checker: %s\n", err);
		abort();
	}
	http = http_new(base, NULL);
	env.conf = f.conf;
	env.zones = f.zs;
	env.store = f.st;
	env.checker = checker;
	env.metrics = NULL;
	env.metrics_arg = NULL;
	env.rules = NULL;
	if (http_configure(http, &env, err, sizeof(err)) == -1) {
		fprintf(stderr, "http: %s\n", err);
		abort();
	}
	memset(&hsin, 0, sizeof(hsin));
	hsin.sin_family = AF_INET;
	hsin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	hsin.sin_port = htons(hport);
	atexit(cleanup);
}

struct client {
	int	fd;
	int	closed;
};

static void
client_read(evutil_socket_t fd, short what, void *arg)
{
	struct client *c = arg;
	char buf[8192];
	ssize_t n;

	if (what & EV_TIMEOUT) {
		c->closed = 1;		/* no answer in time: not a crash */
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n == 0 || (errno != EAGAIN && errno != EINTR))
		c->closed = 1;
}

/*
 * Connect FD to the listener: 0, or -1 with errno. A connect that a
 * signal interrupts (libFuzzer's timer) goes on; wait for its end.
 */
static int
connect_done(int fd)
{
	struct pollfd pfd;
	socklen_t len = sizeof(int);
	int err;

	if (connect(fd, (struct sockaddr *)&hsin, sizeof(hsin)) == 0)
		return 0;
	if (errno != EINTR)
		return -1;
	pfd.fd = fd;
	pfd.events = POLLOUT;
	while (poll(&pfd, 1, -1) == -1)
		if (errno != EINTR)
			return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		return -1;
	errno = err;
	return err == 0 ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct timeval limit = { 5, 0 };
	static uint32_t nconn;
	struct sockaddr_in src;
	struct client c;
	struct event *ev;
	size_t off = 0;
	ssize_t n;

	if (base == NULL)
		setup();
	/*
	 * Each connection from another address of 127.1/16: the closed
	 * ones wait in TIME_WAIT, and one source address has only the
	 * ephemeral ports for them.
	 */
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(0x7f010001 + (nconn++ % 65000));
	if ((c.fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(c.fd, (struct sockaddr *)&src, sizeof(src)) == -1 ||
	    connect_done(c.fd) == -1) {
		perror("fuzz_http: connect");
		abort();
	}
	c.closed = 0;
	/* The input goes out while the server reads it. */
	if (fcntl(c.fd, F_SETFL, O_NONBLOCK) == -1)
		abort();
	while (off < size) {
		n = write(c.fd, data + off, size - off);
		if (n > 0)
			off += (size_t)n;
		else if (n == -1 && errno != EAGAIN && errno != EINTR)
			break;
		(void)event_base_loop(base, EVLOOP_NONBLOCK);
	}
	(void)shutdown(c.fd, SHUT_WR);
	if ((ev = event_new(base, c.fd, EV_READ | EV_PERSIST, client_read,
	    &c)) == NULL || event_add(ev, &limit) == -1)
		abort();
	while (!c.closed)
		(void)event_base_loop(base, EVLOOP_ONCE);
	event_free(ev);
	close(c.fd);
	/* Let the server see the close and free the connection. */
	(void)event_base_loop(base, EVLOOP_NONBLOCK);
	return 0;
}
