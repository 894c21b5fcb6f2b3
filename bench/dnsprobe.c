/* SPDX-License-Identifier: ISC */
/*
 * dnsprobe.c -- how long until a DNS server gives an expected answer.
 *
 * Usage: dnsprobe [-s START_NS] [-t SECONDS] PORT NAME listed|nxdomain
 *            [COMMAND [ARG...]]
 *
 * Asks 127.0.0.1:PORT for NAME A every 0.25 ms (a new query each time,
 * whatever came back before) until an answer arrives that is "listed"
 * (NOERROR with at least one answer record) or "nxdomain" (RCODE 3), and
 * prints the time from the start to that answer in milliseconds, then the
 * number of queries sent, on one line.
 *
 * The start is START_NS (CLOCK_REALTIME nanoseconds, as `date +%s%N'
 * prints) when given; else, with a COMMAND, the moment that command (run
 * first, without a shell, its output thrown away) has exited with status
 * 0; else the start of dnsprobe. Gives up after SECONDS (default 120), exit status 1.
 *
 * Built by bench/vs-rbldnsd.sh (cc -O2); not part of the project's build.
 */
#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A query for NAME A in wire format into q; its length, or 0. */
static size_t
mkquery(const char *name, unsigned char *q, size_t cap)
{
	size_t o = 12, l;
	const char *p = name, *dot;

	memset(q, 0, 12);
	q[5] = 1;			/* QDCOUNT 1, RD 0 */
	while (*p != '\0') {
		dot = strchr(p, '.');
		l = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (l == 0 || l > 63 || o + l + 6 > cap)
			return 0;
		q[o++] = (unsigned char)l;
		memcpy(q + o, p, l);
		o += l;
		p += l;
		if (*p == '.')
			p++;
	}
	q[o++] = 0;
	q[o++] = 0; q[o++] = 1;		/* A */
	q[o++] = 0; q[o++] = 1;		/* IN */
	return o;
}

int
main(int argc, char *argv[])
{
	unsigned char q[512], a[4096];
	struct sockaddr_in sin;
	struct pollfd pfd;
	int64_t start = 0, deadline, next;
	double timeout = 120;
	unsigned long sent = 0;
	uint16_t id = 1;
	size_t qlen;
	ssize_t n;
	int c, fd, want_nx, status;
	pid_t pid;

	while ((c = getopt(argc, argv, "+s:t:")) != -1) {
		switch (c) {
		case 's':
			start = strtoll(optarg, NULL, 10);
			break;
		case 't':
			timeout = atof(optarg);
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 3)
		goto usage;
	if (strcmp(argv[2], "listed") == 0)
		want_nx = 0;
	else if (strcmp(argv[2], "nxdomain") == 0)
		want_nx = 1;
	else
		goto usage;
	if ((qlen = mkquery(argv[1], q, sizeof(q))) == 0) {
		fprintf(stderr, "dnsprobe: bad name %s\n", argv[1]);
		return 2;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(argv[0]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		perror("dnsprobe: socket");
		return 1;
	}
	if (argc > 3) {
		if ((pid = fork()) == -1) {
			perror("dnsprobe: fork");
			return 1;
		}
		if (pid == 0) {
			/* its output is not ours to print */
			if ((c = open("/dev/null", O_WRONLY)) != -1)
				(void)dup2(c, STDOUT_FILENO);
			execvp(argv[3], argv + 3);
			perror("dnsprobe: exec");
			_exit(127);
		}
		if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "dnsprobe: %s failed\n", argv[3]);
			return 1;
		}
		if (start == 0)
			start = now_ns();
	}
	if (start == 0)
		start = now_ns();
	deadline = now_ns() + (int64_t)(timeout * 1e9);
	pfd.fd = fd;
	pfd.events = POLLIN;
	next = 0;
	for (;;) {
		int64_t t = now_ns();

		if (t > deadline) {
			fprintf(stderr, "dnsprobe: no %s answer for %s in %g s\n",
			    argv[2], argv[1], timeout);
			return 1;
		}
		if (t >= next) {
			id++;
			q[0] = (unsigned char)(id >> 8);
			q[1] = (unsigned char)id;
			if (send(fd, q, qlen, 0) == (ssize_t)qlen)
				sent++;
			next = t + 250000;
		}
		/* poll in ms; spin below that, the probe has its own core */
		(void)poll(&pfd, 1, 0);
		while ((n = recv(fd, a, sizeof(a), 0)) >= 12) {
			int rcode = a[3] & 0x0f;
			int an = a[6] << 8 | a[7];

			if ((want_nx && rcode == 3) ||
			    (!want_nx && rcode == 0 && an > 0)) {
				printf("%.3f %lu\n",
				    (double)(now_ns() - start) / 1e6, sent);
				return 0;
			}
		}
	}
usage:
	fprintf(stderr, "usage: dnsprobe [-s START_NS] [-t SECONDS] PORT NAME "
	    "listed|nxdomain [COMMAND [ARG...]]\n");
	return 2;
}
