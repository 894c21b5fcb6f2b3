/* SPDX-License-Identifier: ISC */
/*
 * tap.h -- a tiny TAP producer for the unit tests.
 *
 * plan(n) prints "1..n"; ok(), is_int() and is_str() print one
 * "ok N - name" or "not ok N - name" line each; done() prints the closing
 * "N passed, N failed" line and returns the exit status (0 when every
 * test passed and the count matches the plan).
 *
 * tap_rnd() is a xorshift64 generator with a fixed seed, for the tests
 * that check random cases: the same run every time.
 */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int tap_planned, tap_run, tap_failed;
static uint64_t tap_seed = 0x9e3779b97f4a7c15ULL;

static inline uint64_t
tap_rnd(void)
{
	tap_seed ^= tap_seed << 13;
	tap_seed ^= tap_seed >> 7;
	tap_seed ^= tap_seed << 17;
	return tap_seed;
}

static inline void
plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
}

static inline int
tap_result(int pass, const char *fmt, va_list ap)
{
	tap_run++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_run);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	return pass;
}

static inline int __attribute__((format(printf, 2, 3)))
ok(int pass, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_result(pass, fmt, ap);
	va_end(ap);
	return r;
}

static inline int __attribute__((format(printf, 3, 4)))
is_int_(long long got, long long want, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_result(got == want, fmt, ap);
	va_end(ap);
	if (!r)
		printf("# got %lld, want %lld\n", got, want);
	return r;
}
#define is_int(got, want, ...) is_int_((long long)(got), (long long)(want), __VA_ARGS__)

static inline int __attribute__((format(printf, 3, 4)))
is_str(const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;
	int r, same;

	same = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);
	va_start(ap, fmt);
	r = tap_result(same, fmt, ap);
	va_end(ap);
	if (!r)
		printf("# got \"%s\", want \"%s\"\n", got ? got : "(null)",
		    want ? want : "(null)");
	return r;
}

static inline int
done(void)
{
	if (tap_planned && tap_planned != tap_run) {
		printf("# planned %d tests, ran %d\n", tap_planned, tap_run);
		tap_failed += tap_planned > tap_run ? tap_planned - tap_run : 0;
	}
	printf("%d passed, %d failed\n", tap_run - tap_failed, tap_failed);
	return tap_failed ? 1 : 0;
}

#endif /* TAP_H */
