/* SPDX-License-Identifier: ISC */
/*
 * udp-nx.c -- the bare UDP responder: the machine's limit for the benchmark.
 *
 * Usage: udp-nx PORT
 *
 * Binds 127.0.0.1:PORT and answers every datagram of at least a DNS header
 * with itself turned into a reply: QR and AA set, RCODE NXDOMAIN, the
 * question (and whatever follows it) echoed. No parsing, no lookup, no
 * allocation: recvmmsg and sendmmsg in batches of 32, blocking, DF set as
 * rdnsbld sets it (which spares the kernel an IP ID per datagram). What a
 * DNS server spends per query above this is its own work.
 *
 * Built by bench/vs-rbldnsd.sh (cc -O2); not part of the project's build.
 */
#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH	32
#define BUFSIZE	4096

int
main(int argc, char *argv[])
{
	static unsigned char buf[BATCH][BUFSIZE];
	struct mmsghdr in[BATCH], out[BATCH];
	struct iovec iov[BATCH], oiov[BATCH];
	struct sockaddr_in from[BATCH], sin;
	int fd, n, i, nout, sent, df = IP_PMTUDISC_PROBE;

	if (argc != 2) {
		fprintf(stderr, "usage: udp-nx PORT\n");
		return 2;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &df, sizeof(df)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		perror("udp-nx: socket/bind");
		return 1;
	}
	for (;;) {
		memset(in, 0, sizeof(in));
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = BUFSIZE;
			in[i].msg_hdr.msg_iov = &iov[i];
			in[i].msg_hdr.msg_iovlen = 1;
			in[i].msg_hdr.msg_name = &from[i];
			in[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
		n = recvmmsg(fd, in, BATCH, MSG_WAITFORONE, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("udp-nx: recvmmsg");
			return 1;
		}
		memset(out, 0, sizeof(out));
		for (i = 0, nout = 0; i < n; i++) {
			unsigned char *p = buf[i];

			if (in[i].msg_len < 12 || (p[2] & 0x80))
				continue;	/* not a query */
			p[2] = (unsigned char)((p[2] & 0x79) | 0x84); /* QR AA */
			p[3] = 3;		/* NXDOMAIN */
			oiov[nout].iov_base = p;
			oiov[nout].iov_len = in[i].msg_len;
			out[nout].msg_hdr.msg_iov = &oiov[nout];
			out[nout].msg_hdr.msg_iovlen = 1;
			out[nout].msg_hdr.msg_name = &from[i];
			out[nout].msg_hdr.msg_namelen =
			    in[i].msg_hdr.msg_namelen;
			nout++;
		}
		for (i = 0; i < nout; i += sent)
			if ((sent = sendmmsg(fd, out + i,
			    (unsigned)(nout - i), 0)) <= 0)
				break;	/* a full buffer drops the rest */
	}
}
