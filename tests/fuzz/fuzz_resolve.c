/* SPDX-License-Identifier: ISC */
/*
 * fuzz_resolve.c -- libFuzzer target: the stub resolver's response
 * parser (resolve.c: matching, rcodes, CNAME chains, PTR, A and AAAA
 * records, negative TTLs). The resolver asks a UDP socket on loopback
 * that this target serves: each question it sends is answered with a
 * packet made from the input, whose header (but for the ID, which is
 * the question's unless the first input byte says otherwise) and whose
 * records after the question come from the input, while the question is
 * copied from the query (or, as the first byte says, taken from the
 * input too), so that the fuzzer reaches the record parsing.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "resolve.h"
#include "fuzz.h"

#define ROUNDS	12	/* questions answered per input (CNAME chains) */

static struct event_base	*base;
static struct resolver		*res;
static int			 srv = -1;

static void
cleanup(void)
{
	resolver_free(res);
	event_base_free(base);
	close(srv);
}

static void
setup(void)
{
	struct sockaddr_in sin;
	char spec[64], err[256];

	srv = fuzz_loopback(SOCK_DGRAM, &sin);
	if ((base = event_base_new()) == NULL ||
	    (res = resolver_new(base)) == NULL)
		abort();
	(void)snprintf(spec, sizeof(spec), "127.0.0.1@%u", ntohs(sin.sin_port));
	if (resolver_add_server(res, spec, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	resolver_set_limits(res, 2000, 1, 0, 0);
	atexit(cleanup);
}

static void
done_cb(void *arg, const struct res_answer *ans)
{
	/* What an answer may hold. */
	if (ans->nnames > RES_MAXNAMES || ans->naddrs > RES_MAXNAMES ||
	    memchr(ans->final, '\0', sizeof(ans->final)) == NULL ||
	    (ans->status != RES_OK && (ans->nnames | ans->naddrs) != 0))
		abort();
	(void)res_answer_status(ans);
	*(int *)arg = 1;
}

/* Answer the question waiting on srv, if any: 1 if one was answered. */
static int
answer_one(const uint8_t *data, size_t size)
{
	static uint8_t q[4096], r[65535];
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	struct pollfd pfd = { srv, POLLIN, 0 };
	ssize_t n;
	size_t qend, rlen;

	if (poll(&pfd, 1, 0) != 1)
		return 0;
	if ((n = recvfrom(srv, q, sizeof(q), 0, (struct sockaddr *)&from,
	    &fromlen)) < 12)
		return 0;
	/* The end of the question: the name, type and class. */
	for (qend = 12; qend < (size_t)n && q[qend] != 0; qend += q[qend] + 1)
		;
	qend += 5;
	if (qend > (size_t)n)
		abort();
	rlen = size < 12 ? size : 12;
	memcpy(r, data, rlen);
	memset(r + rlen, 0, 12 - rlen);
	if (!(data[0] & 0x01))
		memcpy(r, q, 2);		/* the ID */
	rlen = 12;
	if (!(data[0] & 0x02)) {
		r[4] = 0;
		r[5] = 1;			/* one question, the one asked */
		memcpy(r + rlen, q + 12, qend - 12);
		rlen += qend - 12;
	}
	if (size > 12) {
		if (size - 12 > sizeof(r) - rlen)
			size = sizeof(r) - rlen + 12;
		memcpy(r + rlen, data + 12, size - 12);
		rlen += size - 12;
	}
	(void)sendto(srv, r, rlen, 0, (struct sockaddr *)&from, fromlen);
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *names[] = { "1.2.0.192.in-addr.arpa",
	    "mail.example.org", "mail.example.org" };
	static const uint16_t types[] = { 12, 1, 28 };
	struct res_query *rq;
	int done = 0, i, idle = 0, t;

	if (size < 1)
		return 0;
	if (base == NULL)
		setup();
	t = (data[0] >> 2) % 3;
	rq = resolver_query(res, names[t], types[t], done_cb, &done);
	for (i = 0; !done && i < ROUNDS * 4 && idle < 4; i++) {
		(void)event_base_loop(base, EVLOOP_NONBLOCK);
		if (answer_one(data, size))
			idle = 0;
		else
			idle++;
	}
	/* Still waiting (an answer it did not take): give up on it. */
	if (!done)
		resolver_cancel(rq);
	return 0;
}
