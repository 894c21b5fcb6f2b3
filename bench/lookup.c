/* SPDX-License-Identifier: ISC */
/*
 * lookup.c -- the time the daemon's compact copy of the lists
 * (src/ipindex.h) takes per lookup, with and without the prefetches of a
 * UDP batch, away from the network and the rest of the query path.
 *
 * Usage: lookup DATA QUERIES [ROUNDS]
 *
 * DATA is a list file as bench/gen-ip4set.sh or bench/gen-ip6set.sh
 * prints it (an address or prefix a line, "!" for an exclusion; comment
 * and value lines are skipped), put in the black list of a copy as the
 * daemon builds it; QUERIES are dnsperf lines as bench/gen-queries.sh or
 * gen-ip6set.sh -q prints them (a reversed address, then the zone). The
 * queries are looked up as the daemon does for a batch of 32: in the
 * white list (empty here) and the black list, after the two prefetch
 * stages for the whole batch ("prefetch") or without them ("plain"),
 * the two kinds in turn, ROUNDS times (default 20) over all the queries.
 * Prints the size of the copy and how long its sorting took (in the
 * daemon's steps, ipx_finish_step(..., 10000): how many and the longest),
 * then for each kind the fastest round in nanoseconds per query and the
 * median round, and the number of queries found (the same for both
 * kinds, or the program fails).
 *
 * Built against a built tree (bench/lookup.sh does it):
 *   cc -O2 -I src -I BUILD bench/lookup.c BUILD/src/libcore.a
 */
#include "config.h"

#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipindex.h"

#define BATCH	32

struct q {
	int		 v6;
	uint32_t	 a4;
	struct ipx6	 a6;
};

static uint64_t
be64(const unsigned char *p)
{
	uint64_t x = 0;
	int i;

	for (i = 0; i < 8; i++)
		x = x << 8 | p[i];
	return x;
}

/*
 * A data line into the copy; 0, or -1 when it is no entry. With count
 * set, only count the entries of each family and length in count[af ==
 * 6][len], as the database's counts do, for ipx_reserve().
 */
static int
load_line(struct ipindex *ix, char *s, uint16_t info, uint16_t excl,
    size_t (*count)[129])
{
	unsigned char b[16];
	char *slash;
	int len, ex = 0;

	s[strcspn(s, " \t\r\n")] = '\0';
	if (*s == '!') {
		ex = 1;
		s++;
	}
	if (*s == '\0' || *s == '#' || *s == ':')
		return -1;
	len = -1;
	if ((slash = strchr(s, '/')) != NULL) {
		*slash = '\0';
		len = atoi(slash + 1);
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		struct ipx6 a = { be64(b), be64(b + 8) };

		len = len < 0 || len > 128 ? 128 : len;
		if (count != NULL)
			count[1][len]++;
		else
			ipx_append6(ix, 0, len, a, ex ? excl : info);
		return 0;
	}
	if (inet_pton(AF_INET, s, b) == 1) {
		len = len < 0 || len > 32 ? 32 : len;
		if (count != NULL) {
			count[0][len]++;
			return 0;
		}
		ipx_append(ix, 0, len, (uint32_t)b[0] << 24 |
		    (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3],
		    ex ? excl : info);
		return 0;
	}
	return -1;
}

/* The address of a query line: 32 nibbles or 4 octets, reversed. */
static int
query_line(const char *s, struct q *q)
{
	unsigned nib[32], oct[4];
	int n = 0;

	memset(q, 0, sizeof(*q));
	if (sscanf(s, "%u.%u.%u.%u.", &oct[0], &oct[1], &oct[2], &oct[3]) ==
	    4 && strlen(s) < 60) {
		q->a4 = oct[3] << 24 | oct[2] << 16 | oct[1] << 8 | oct[0];
		return 0;
	}
	for (n = 0; n < 32; n++, s += 2) {
		if (sscanf(s, "%1x.", &nib[n]) != 1 || s[1] != '.')
			return -1;
	}
	q->v6 = 1;
	for (n = 0; n < 32; n++) {	/* nib[31] is the top nibble */
		if (n < 16)
			q->a6.hi |= (uint64_t)nib[31 - n] << (60 - 4 * n);
		else
			q->a6.lo |= (uint64_t)nib[31 - n] <<
			    (60 - 4 * (n - 16));
	}
	return 0;
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One round over the queries; the queries found in the black list. */
static size_t
round_(const struct ipindex *ix, const struct q *q, size_t n, int prefetch)
{
	size_t i, j, end, found = 0;
	uint16_t info;
	int len, l;

	for (i = 0; i < n; i = end) {
		end = i + BATCH < n ? i + BATCH : n;
		if (prefetch) {
			for (j = i; j < end; j++)
				if (q[j].v6)
					ipx_prefetch6(ix, q[j].a6, 0);
				else
					ipx_prefetch(ix, q[j].a4, 0);
			for (j = i; j < end; j++)
				if (q[j].v6)
					ipx_prefetch6(ix, q[j].a6, 1);
				else
					ipx_prefetch(ix, q[j].a4, 1);
		}
		for (j = i; j < end; j++)
			for (l = 1; l >= 0; l--)	/* white, then black */
				if (q[j].v6 ?
				    ipx_lookup6(ix, l, q[j].a6, 128, &len,
				    &info) :
				    ipx_lookup(ix, l, q[j].a4, 32, &len, &info))
					found += l == 0;
	}
	return found;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char *argv[])
{
	struct ipindex *ix;
	struct q *q = NULL;
	double *t[2], t0, t1, longest = 0;
	size_t nq = 0, cap = 0, entries = 0, found[2] = { 0, 0 }, f;
	static size_t count[2][129];
	char line[512];
	FILE *fp;
	int rounds, r, k, more, steps = 0;
	uint16_t info, excl;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: lookup DATA QUERIES [ROUNDS]\n");
		return 2;
	}
	rounds = argc == 4 ? atoi(argv[3]) : 20;
	if (rounds < 1)
		rounds = 1;
	ix = ipx_new();
	info = ipx_info(ix, 0, 0x7f000002, 0);
	excl = ipx_info(ix, 1, 0, 0);
	/* as the daemon does: arrays sized from the counts, then filled */
	for (k = 0; k < 2; k++) {
		if ((fp = fopen(argv[1], "r")) == NULL) {
			perror(argv[1]);
			return 1;
		}
		while (fgets(line, sizeof(line), fp) != NULL)
			if (load_line(ix, line, info, excl, k ? NULL : count) ==
			    0 && k)
				entries++;
		fclose(fp);
		for (r = 0; k == 0 && r < 129; r++) {
			ipx_reserve(ix, 0, r, count[0][r]);
			ipx_reserve6(ix, 0, r, count[1][r]);
		}
	}
	/* in the daemon's steps (INDEX_STEP in main.c) */
	t0 = now_ns();
	do {
		t1 = now_ns();
		more = ipx_finish_step(ix, 10000);
		if (now_ns() - t1 > longest)
			longest = now_ns() - t1;
		steps++;
	} while (more);
	printf("copy: %zu entries (%zu distinct), %zu bytes, %.1f bytes an "
	    "entry, finished in %.1f ms, in %d steps of 10000 units, the "
	    "longest %.2f ms\n", entries, ipx_count(ix), ipx_bytes(ix),
	    (double)ipx_bytes(ix) / (double)ipx_count(ix),
	    (now_ns() - t0) / 1e6, steps, longest / 1e6);
	if ((fp = fopen(argv[2], "r")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (nq == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((q = realloc(q, cap * sizeof(*q))) == NULL) {
				perror("realloc");
				return 1;
			}
		}
		if (query_line(line, &q[nq]) == 0)
			nq++;
	}
	fclose(fp);
	if (nq == 0) {
		fprintf(stderr, "lookup: no queries in %s\n", argv[2]);
		return 1;
	}
	t[0] = calloc((size_t)rounds, sizeof(double));
	t[1] = calloc((size_t)rounds, sizeof(double));
	if (t[0] == NULL || t[1] == NULL) {
		perror("calloc");
		return 1;
	}
	for (r = 0; r < rounds; r++)
		for (k = 0; k < 2; k++) {
			t0 = now_ns();
			f = round_(ix, q, nq, k);
			t[k][r] = (now_ns() - t0) / (double)nq;
			if (r > 0 && f != found[k]) {
				fprintf(stderr, "lookup: rounds differ\n");
				return 1;
			}
			found[k] = f;
		}
	if (found[0] != found[1]) {
		fprintf(stderr, "lookup: %zu found plain, %zu with the "
		    "prefetches\n", found[0], found[1]);
		return 1;
	}
	for (k = 0; k < 2; k++) {
		qsort(t[k], (size_t)rounds, sizeof(double), dbl_cmp);
		printf("%s: %zu queries, %zu found, ns per query: fastest "
		    "%.1f, median %.1f\n", k ? "prefetch" : "plain", nq,
		    found[k], t[k][0], t[k][rounds / 2]);
	}
	ipx_free(ix);
	free(q);
	free(t[0]);
	free(t[1]);
	return 0;
}
