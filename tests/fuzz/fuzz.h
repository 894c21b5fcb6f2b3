/* SPDX-License-Identifier: ISC */
/*
 * fuzz.h -- what the libFuzzer targets share: the entry point's
 * prototype, the input as a C string, a counting error callback, and a
 * socket bound to a free loopback port. Header-only, like
 * tests/unit/fixture.h.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (the parsers' argument); free it. */
static inline char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

/* A line_err_fn: counts the messages in the int that ARG points to. */
static inline void
fuzz_count(void *arg, const char *msg)
{
	(void)msg;
	(*(int *)arg)++;
}

/*
 * A socket of TYPE bound to a free port of 127.0.0.1, its address in
 * *SIN; aborts on failure.
 */
static inline int
fuzz_loopback(int type, struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int s;

	if ((s = socket(AF_INET, type, 0)) == -1)
		abort();
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)sin, sizeof(*sin)) == -1 ||
	    getsockname(s, (struct sockaddr *)sin, &len) == -1)
		abort();
	return s;
}

#endif /* FUZZ_H */
