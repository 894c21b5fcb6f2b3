/* SPDX-License-Identifier: ISC */
/*
 * test_resolve.c -- the stub resolver against a real fake upstream.
 *
 * ldns-testns serves canned answers from a data file written into a
 * temporary directory; a UDP socket the test binds and never reads plays
 * a dead server, and a port bound and closed again a refusing one.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <ldns/ldns.h>

#include "addr.h"
#include "resolve.h"
#include "util.h"
#include "../tap.h"

/*
 * Every entry that should match says "ADJUST copy_id copy_query": the
 * answer's question is then the query's own, with its 0x20 case. The
 * entry for mismatch.example.com leaves copy_query out, so its answer
 * carries the lower-case question of the file and must be ignored.
 */
static const char testns_data[] =
"; ready probe\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA NOERROR\n"
"SECTION QUESTION\n"
"ready.test. IN A\n"
"SECTION ANSWER\n"
"ready.test. 60 IN A 127.0.0.1\n"
"ENTRY_END\n"
"\n"
"; two PTR names\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA NOERROR\n"
"SECTION QUESTION\n"
"1.2.0.192.in-addr.arpa. IN PTR\n"
"SECTION ANSWER\n"
"1.2.0.192.in-addr.arpa. 300 IN PTR mail.example.com.\n"
"1.2.0.192.in-addr.arpa. 60 IN PTR Other.Example.NET.\n"
"ENTRY_END\n"
"\n"
"; NXDOMAIN, SOA minimum 120\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA NXDOMAIN\n"
"SECTION QUESTION\n"
"2.2.0.192.in-addr.arpa. IN PTR\n"
"SECTION AUTHORITY\n"
"2.0.192.in-addr.arpa. 3600 IN SOA ns.example.com. host.example.com. "
    "1 3600 600 86400 120\n"
"ENTRY_END\n"
"\n"
"; NODATA\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA NOERROR\n"
"SECTION QUESTION\n"
"3.2.0.192.in-addr.arpa. IN PTR\n"
"SECTION AUTHORITY\n"
"2.0.192.in-addr.arpa. 3600 IN SOA ns.example.com. host.example.com. "
    "1 3600 600 86400 90\n"
"ENTRY_END\n"
"\n"
"; RFC 2317: CNAME and PTR in one answer\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA NOERROR\n"
"SECTION QUESTION\n"
"1.100.51.198.in-addr.arpa. IN PTR\n"
"SECTION ANSWER\n"
"1.100.51.198.in-addr.arpa. 3600 IN CNAME 1.0/25.100.51.198.in-addr.arpa.\n"
"1.0/25.100.51.198.in-addr.arpa. 3600 IN PTR host1.customer.example.\n"
"ENTRY_END\n"
"\n"
"; a CNAME alone: the target needs a second query\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA NOERROR\n"
"SECTION QUESTION\n"
"5.2.0.192.in-addr.arpa. IN PTR\n"
"SECTION ANSWER\n"
"5.2.0.192.in-addr.arpa. 3600 IN CNAME 5.sub.example.net.\n"
"ENTRY_END\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA NOERROR\n"
"SECTION QUESTION\n"
"5.sub.example.net. IN PTR\n"
"SECTION ANSWER\n"
"5.sub.example.net. 100 IN PTR host5.example.org.\n"
"ENTRY_END\n"
"\n"
"; a PTR that is no hostname: returned as text all the same\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA NOERROR\n"
"SECTION QUESTION\n"
"6.2.0.192.in-addr.arpa. IN PTR\n"
"SECTION ANSWER\n"
"6.2.0.192.in-addr.arpa. 3600 IN PTR Under_Score\\032sp.example.\n"
"ENTRY_END\n"
"\n"
"; a CNAME loop\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA NOERROR\n"
"SECTION QUESTION\n"
"loop.example.com. IN A\n"
"SECTION ANSWER\n"
"loop.example.com. 60 IN CNAME loop.example.com.\n"
"ENTRY_END\n"
"\n"
"; forward lookups\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA NOERROR\n"
"SECTION QUESTION\n"
"host.example.com. IN A\n"
"SECTION ANSWER\n"
"host.example.com. 300 IN A 192.0.2.10\n"
"host.example.com. 300 IN A 192.0.2.11\n"
"ENTRY_END\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA NOERROR\n"
"SECTION QUESTION\n"
"host.example.com. IN AAAA\n"
"SECTION ANSWER\n"
"host.example.com. 300 IN AAAA 2001:db8::10\n"
"ENTRY_END\n"
"\n"
"; failures\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA SERVFAIL\n"
"SECTION QUESTION\n"
"servfail.example.com. IN A\n"
"ENTRY_END\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA REFUSED\n"
"SECTION QUESTION\n"
"refused.example.com. IN A\n"
"ENTRY_END\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id copy_query\n"
"REPLY QR RD RA TC NOERROR\n"
"SECTION QUESTION\n"
"truncated.example.com. IN A\n"
"ENTRY_END\n"
"\n"
"; no copy_query: the question goes back in lower case\n"
"ENTRY_BEGIN\n"
"MATCH opcode qtype qname\n"
"ADJUST copy_id\n"
"REPLY QR RD RA NOERROR\n"
"SECTION QUESTION\n"
"mismatch.casecheck.example.com. IN A\n"
"SECTION ANSWER\n"
"mismatch.casecheck.example.com. 60 IN A 192.0.2.99\n"
"ENTRY_END\n";

static struct event_base *base;
static char dir[256], datafile[300], logfile[300];
static pid_t testns_pid = -1;
static int testns_port;
static int pending;

struct result {
	int			called;
	int			in_query;	/* in resolver_query() */
	int			sync;		/* called from there */
	struct res_answer	ans;
};

static void
on_answer(void *arg, const struct res_answer *a)
{
	struct result *r = arg;

	r->called++;
	if (r->in_query)
		r->sync = 1;
	r->ans = *a;
	if (--pending == 0)
		(void)event_base_loopbreak(base);
}

static void
on_safety(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	printf("# safety timeout: %d callbacks missing\n", pending);
	(void)event_base_loopbreak(base);
}

/* Run the loop until N callbacks came in (at most 10 s). */
static void
run(int n)
{
	struct timeval tv = { 10, 0 };
	struct event *safety;

	pending = n;
	safety = evtimer_new(base, on_safety, NULL);
	evtimer_add(safety, &tv);
	(void)event_base_dispatch(base);
	event_free(safety);
}

static struct res_query *
ask(struct resolver *res, const char *name, uint16_t type, struct result *r)
{
	struct res_query *q;

	memset(r, 0, sizeof(*r));
	r->in_query = 1;
	q = resolver_query(res, name, type, on_answer, r);
	r->in_query = 0;
	return q;
}

/* One query, run to completion. */
static void
ask_wait(struct resolver *res, const char *name, uint16_t type,
    struct result *r)
{
	(void)ask(res, name, type, r);
	run(1);
}

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static const char *
find_in_path(const char *prog, char *buf, size_t len)
{
	const char *path = getenv("PATH"), *p, *e;

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; *p; p = *e ? e + 1 : e) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		snprintf(buf, len, "%.*s/%s", (int)(e - p), p, prog);
		if (e > p && access(buf, X_OK) == 0)
			return buf;
	}
	return NULL;
}

/* A UDP socket bound to 127.0.0.1 on a free port. */
static int
udp_bound(int *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd;

	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

/* 1 if the ldns-testns on PORT answers a query for ready.test. */
static int
testns_answers(int port)
{
	struct sockaddr_in sin;
	struct pollfd pfd;
	ldns_pkt *pkt;
	uint8_t *wire = NULL, buf[512];
	size_t wlen;
	int fd, answered = 0;

	pkt = ldns_pkt_query_new(ldns_dname_new_frm_str("ready.test."),
	    LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, LDNS_RD);
	ldns_pkt_set_id(pkt, 4242);
	if (ldns_pkt2wire(&wire, pkt, &wlen) != LDNS_STATUS_OK) {
		ldns_pkt_free(pkt);
		return 0;
	}
	ldns_pkt_free(pkt);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) != -1 &&
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    send(fd, wire, wlen, 0) == (ssize_t)wlen) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 100) == 1 &&
		    recv(fd, buf, sizeof(buf), 0) > 2)
			answered = 1;
	}
	if (fd != -1)
		close(fd);
	free(wire);
	return answered;
}

static char *
slurp(const char *path)
{
	FILE *fp;
	char *s;
	long n;

	if ((fp = fopen(path, "r")) == NULL)
		return xstrdup("");
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	s = xmalloc((size_t)n + 1);
	n = (long)fread(s, 1, (size_t)n, fp);
	s[n] = '\0';
	fclose(fp);
	return s;
}

/*
 * A port below the kernel's ephemeral range (where dig, curl and the
 * daemons under test get theirs) that is free for UDP and TCP on every
 * address now, as ldns-testns binds it; 0 if none was found.
 */
static int
free_port(void)
{
	struct sockaddr_in sin;
	int i, port, u, t, on = 1, ok;

	for (i = 0; i < 100; i++) {
		port = 20000 + (int)(random() % 12000);
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)port);
		u = socket(AF_INET, SOCK_DGRAM, 0);
		t = socket(AF_INET, SOCK_STREAM, 0);
		ok = u != -1 && t != -1 &&
		    setsockopt(t, SOL_SOCKET, SO_REUSEADDR, &on,
		    sizeof(on)) == 0 &&
		    bind(u, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
		    bind(t, (struct sockaddr *)&sin, sizeof(sin)) == 0;
		if (u != -1)
			close(u);
		if (t != -1)
			close(t);
		if (ok)
			return port;
	}
	return 0;
}

/*
 * Start ldns-testns on a free port (free_port), with its output in
 * logfile, and wait until it answers. Another process may take the port
 * in between: then ldns-testns exits and another port is tried, five
 * times at most. (Its own -r picks any port and exits when the TCP one is
 * taken.)
 */
static int
testns_start(const char *prog)
{
	char port[16];
	int tries, i, fd, status;

	for (tries = 0; tries < 5; tries++) {
		if ((testns_port = free_port()) == 0)
			return -1;
		snprintf(port, sizeof(port), "%d", testns_port);
		testns_pid = fork();
		if (testns_pid == -1)
			return -1;
		if (testns_pid == 0) {
			if ((fd = open(logfile, O_WRONLY | O_CREAT | O_TRUNC,
			    0644)) == -1)
				_exit(127);
			dup2(fd, 1);
			dup2(fd, 2);
			execl(prog, "ldns-testns", "-v", "-p", port, datafile,
			    (char *)NULL);
			_exit(127);
		}
		for (i = 0; i < 250; i++) {
			if (waitpid(testns_pid, &status, WNOHANG) ==
			    testns_pid) {
				testns_pid = -1;
				break;
			}
			if (testns_answers(testns_port))
				return 0;
			usleep(20000);
		}
		if (testns_pid != -1) {
			kill(testns_pid, SIGTERM);
			(void)waitpid(testns_pid, NULL, 0);
			testns_pid = -1;
		}
		printf("# ldns-testns -p %d did not answer, another port\n",
		    testns_port);
	}
	return -1;
}

static void
testns_stop(void)
{
	if (testns_pid > 0) {
		kill(testns_pid, SIGTERM);
		(void)waitpid(testns_pid, NULL, 0);
		testns_pid = -1;
	}
	unlink(datafile);
	unlink(logfile);
	rmdir(dir);
}

/* 1 if the ldns-testns log shows a query for NAME (any case). */
static int
testns_saw(const char *name)
{
	char *log = slurp(logfile);
	int found = strcasestr(log, name) != NULL;

	free(log);
	return found;
}

/* 1 if the log has NAME in a case other than lower case (0x20). */
static int
testns_saw_mixed(const char *name)
{
	char *log = slurp(logfile), *p;
	size_t n = strlen(name);
	int mixed = 0;

	for (p = log; (p = strcasestr(p, name)) != NULL; p += n)
		if (strncmp(p, name, n) != 0)
			mixed = 1;
	free(log);
	return mixed;
}

static void
test_pure(void)
{
	struct resolver *res;
	struct addr a;
	char buf[128], err[128];
	int i, rc;

	addr_parse("192.0.2.1", 0, &a, err, sizeof(err));
	resolver_ptr_name(&a, buf, sizeof(buf));
	is_str(buf, "1.2.0.192.in-addr.arpa", "ptr name of 192.0.2.1");
	addr_parse("2001:db8::1", 0, &a, err, sizeof(err));
	resolver_ptr_name(&a, buf, sizeof(buf));
	is_str(buf, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0."
	    "1.0.0.2.ip6.arpa", "ptr name of 2001:db8::1 (32 nibbles)");
	addr_parse("2001:DB8:ABCD::fe", 0, &a, err, sizeof(err));
	resolver_ptr_name(&a, buf, sizeof(buf));
	is_str(buf, "e.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.b.d.0."
	    "1.0.0.2.ip6.arpa", "ptr name in lower-case hex");

	is_str(res_status_name(RES_NXDOMAIN), "nxdomain", "status name");

	res = resolver_new(base);
	is_int(resolver_add_server(res, "127.0.0.1", err, sizeof(err)), 0,
	    "server 127.0.0.1");
	is_int(resolver_add_server(res, "::1@5300", err, sizeof(err)), 0,
	    "server ::1@5300");
	is_int(resolver_add_server(res, "system", err, sizeof(err)), 0,
	    "server system");
	is_int(resolver_add_server(res, "bogus", err, sizeof(err)), -1,
	    "server bogus: error");
	is_str(err, "bad resolver address \"bogus\"", "... with a message");
	is_int(resolver_add_server(res, "127.0.0.1@0", err, sizeof(err)), -1,
	    "server 127.0.0.1@0: error");
	is_int(resolver_add_server(res, "127.0.0.1@70000", err, sizeof(err)),
	    -1, "server 127.0.0.1@70000: error");
	is_int(resolver_add_server(res, "@53", err, sizeof(err)), -1,
	    "server @53: error");
	for (i = 0, rc = 0; i < 8 && rc == 0; i++)
		rc = resolver_add_server(res, "192.0.2.1@53", err, sizeof(err));
	is_int(rc, -1, "at most 8 servers");
	is_str(err, "too many resolvers (at most 8)", "... with a message");
	resolver_free(res);
}

static void
test_answers(void)
{
	struct resolver *res;
	struct result r;
	char err[128], buf[ADDR_STRLEN], server[64];

	res = resolver_new(base);
	snprintf(server, sizeof(server), "127.0.0.1@%d", testns_port);
	is_int(resolver_add_server(res, server, err, sizeof(err)), 0,
	    "server %s", server);

	ask_wait(res, "1.2.0.192.in-addr.arpa", LDNS_RR_TYPE_PTR, &r);
	is_str(res_status_name(r.ans.status), "ok", "two PTR: ok");
	is_int(r.ans.nnames, 2, "two PTR: both names");
	is_str(r.ans.names[0], "mail.example.com", "two PTR: first name");
	is_str(r.ans.names[1], "other.example.net",
	    "two PTR: second name, lower case, no dot");
	is_int(r.ans.ttl, 60, "two PTR: smallest TTL");
	is_str(r.ans.qname, "1.2.0.192.in-addr.arpa", "qname as asked");
	is_str(r.ans.final, "1.2.0.192.in-addr.arpa", "final == qname");
	is_int(r.ans.ncname, 0, "no CNAME");
	is_str(r.ans.server, server, "the server that answered");
	ok(r.called == 1 && !r.sync, "callback once, not from resolver_query");
	ok(testns_saw_mixed("1.2.0.192.in-addr.arpa"),
	    "the upstream saw a 0x20 mixed-case name");

	ask_wait(res, "1.2.0.192.IN-ADDR.ARPA.", LDNS_RR_TYPE_PTR, &r);
	is_str(r.ans.qname, "1.2.0.192.in-addr.arpa",
	    "qname lower-cased, final dot dropped");

	ask_wait(res, "2.2.0.192.in-addr.arpa", LDNS_RR_TYPE_PTR, &r);
	is_str(res_status_name(r.ans.status), "nxdomain", "NXDOMAIN");
	is_int(r.ans.ttl, 120, "NXDOMAIN: TTL from the SOA minimum");

	ask_wait(res, "3.2.0.192.in-addr.arpa", LDNS_RR_TYPE_PTR, &r);
	is_str(res_status_name(r.ans.status), "nodata", "NOERROR, no answer: "
	    "NODATA");
	is_int(r.ans.nnames, 0, "NODATA: no names");

	ask_wait(res, "1.100.51.198.in-addr.arpa", LDNS_RR_TYPE_PTR, &r);
	is_str(res_status_name(r.ans.status), "ok", "RFC 2317 CNAME + PTR");
	is_int(r.ans.ncname, 1, "RFC 2317: one CNAME link");
	is_str(r.ans.final, "1.0/25.100.51.198.in-addr.arpa",
	    "RFC 2317: final name");
	is_str(r.ans.names[0], "host1.customer.example", "RFC 2317: name");

	ask_wait(res, "5.2.0.192.in-addr.arpa", LDNS_RR_TYPE_PTR, &r);
	is_str(res_status_name(r.ans.status), "ok",
	    "CNAME alone: second query for the target");
	is_str(r.ans.final, "5.sub.example.net", "CNAME alone: final name");
	is_int(r.ans.nnames, 1, "CNAME alone: one name");
	is_str(r.ans.names[0], "host5.example.org", "CNAME alone: the name");
	is_int(r.ans.ttl, 100, "CNAME alone: smallest TTL over both answers");
	ok(testns_saw("5.sub.example.net"), "the upstream saw the follow-up");

	ask_wait(res, "6.2.0.192.in-addr.arpa", LDNS_RR_TYPE_PTR, &r);
	is_str(r.ans.names[0], "under_score\\032sp.example",
	    "PTR that is no hostname: escaped text");

	ask_wait(res, "loop.example.com", LDNS_RR_TYPE_A, &r);
	is_str(res_status_name(r.ans.status), "error", "CNAME loop: error");
	is_int(r.ans.ncname, 8, "CNAME loop: stopped after 8 links");

	ask_wait(res, "host.example.com", LDNS_RR_TYPE_A, &r);
	is_str(res_status_name(r.ans.status), "ok", "A: ok");
	is_int(r.ans.naddrs, 2, "A: two addresses");
	is_str(addr_format(&r.ans.addrs[0], buf, sizeof(buf)), "192.0.2.10",
	    "A: first");
	is_str(addr_format(&r.ans.addrs[1], buf, sizeof(buf)), "192.0.2.11",
	    "A: second");

	ask_wait(res, "host.example.com", LDNS_RR_TYPE_AAAA, &r);
	is_str(res_status_name(r.ans.status), "ok", "AAAA: ok");
	is_int(r.ans.naddrs, 1, "AAAA: one address");
	is_str(addr_format(&r.ans.addrs[0], buf, sizeof(buf)), "2001:db8::10",
	    "AAAA: the address");

	ask_wait(res, "servfail.example.com", LDNS_RR_TYPE_A, &r);
	is_str(res_status_name(r.ans.status), "servfail", "SERVFAIL");
	ask_wait(res, "refused.example.com", LDNS_RR_TYPE_A, &r);
	is_str(res_status_name(r.ans.status), "refused", "REFUSED");
	ask_wait(res, "truncated.example.com", LDNS_RR_TYPE_A, &r);
	is_str(res_status_name(r.ans.status), "error", "TC: error");

	ask_wait(res, "bad..name", LDNS_RR_TYPE_A, &r);
	ok(r.ans.status == RES_ERROR && r.called == 1 && !r.sync,
	    "a bad name: error, from the loop");
	ask_wait(res, "host.example.com", LDNS_RR_TYPE_MX, &r);
	is_str(res_status_name(r.ans.status), "error", "type MX: error");

	is_int(resolver_stats(res)->inflight, 0, "nothing in flight");
	ok(resolver_stats(res)->sent >= 15 && resolver_stats(res)->answered >=
	    15, "sent and answered counted");
	resolver_free(res);
}

static void
test_failures(void)
{
	struct resolver *res;
	struct result r, r2, many[20];
	struct res_query *q, *qs[20];
	struct timeval tv = { 0, 300000 };
	char err[128], spec[64], good[64];
	uint64_t t0, el;
	int dead, port, closed, i, n;

	snprintf(good, sizeof(good), "127.0.0.1@%d", testns_port);

	/* A server that never answers. */
	dead = udp_bound(&port);
	res = resolver_new(base);
	resolver_set_limits(res, 300, 2, 0, 0);
	snprintf(spec, sizeof(spec), "127.0.0.1@%d", port);
	resolver_add_server(res, spec, err, sizeof(err));
	t0 = mono_ms();
	ask_wait(res, "1.2.0.192.in-addr.arpa", LDNS_RR_TYPE_PTR, &r);
	el = mono_ms() - t0;
	is_str(res_status_name(r.ans.status), "timeout", "silent server: "
	    "timeout");
	ok(el >= 250 && el < 1000, "silent server: within the 300 ms budget "
	    "(%llu ms)", (unsigned long long)el);
	is_int(resolver_stats(res)->timeouts, 2, "silent server: two tries "
	    "timed out");
	resolver_free(res);
	close(dead);

	/* An answer whose question has the wrong case is ignored. */
	res = resolver_new(base);
	resolver_set_limits(res, 300, 1, 0, 0);
	resolver_add_server(res, good, err, sizeof(err));
	ask_wait(res, "mismatch.casecheck.example.com", LDNS_RR_TYPE_A, &r);
	is_str(res_status_name(r.ans.status), "timeout",
	    "0x20: a lower-case question in the answer is ignored");
	ok(resolver_stats(res)->errors >= 1 && resolver_stats(res)->answered ==
	    0, "0x20: the mismatch counted in errors");
	ok(testns_saw("mismatch.casecheck.example.com"),
	    "0x20: the upstream did answer");
	resolver_free(res);

	/* A closed port first, then a good server. */
	closed = udp_bound(&port);
	close(closed);
	res = resolver_new(base);
	resolver_set_limits(res, 2000, 2, 0, 0);
	snprintf(spec, sizeof(spec), "127.0.0.1@%d", port);
	resolver_add_server(res, spec, err, sizeof(err));
	resolver_add_server(res, good, err, sizeof(err));
	t0 = mono_ms();
	ask_wait(res, "1.2.0.192.in-addr.arpa", LDNS_RR_TYPE_PTR, &r);
	el = mono_ms() - t0;
	is_str(res_status_name(r.ans.status), "ok",
	    "closed port, then a good server: ok");
	ok(el < 500, "closed port: no wait for the timeout (%llu ms)",
	    (unsigned long long)el);
	is_int(resolver_stats(res)->errors, 1, "closed port: one error");
	resolver_free(res);

	/* SERVFAIL is tried again, as many times as there are tries. */
	res = resolver_new(base);
	resolver_add_server(res, good, err, sizeof(err));
	resolver_set_limits(res, 2000, 3, 0, 0);
	ask_wait(res, "servfail.example.com", LDNS_RR_TYPE_A, &r);
	ok(r.ans.status == RES_SERVFAIL && resolver_stats(res)->sent == 3,
	    "SERVFAIL, 3 tries: 3 packets, then servfail");
	resolver_free(res);

	/* max_inflight 1. */
	res = resolver_new(base);
	resolver_set_limits(res, 2000, 2, 1, 0);
	resolver_add_server(res, good, err, sizeof(err));
	(void)ask(res, "1.2.0.192.in-addr.arpa", LDNS_RR_TYPE_PTR, &r);
	(void)ask(res, "host.example.com", LDNS_RR_TYPE_A, &r2);
	ok(r2.called == 0, "limited: no callback from resolver_query");
	run(2);
	is_str(res_status_name(r.ans.status), "ok", "inflight 1: first ok");
	is_str(res_status_name(r2.ans.status), "limited",
	    "inflight 1: second limited");
	is_int(resolver_stats(res)->limited, 1, "limited counted");
	resolver_free(res);

	/* max_rate 1 a second. */
	res = resolver_new(base);
	resolver_set_limits(res, 2000, 2, 0, 1);
	resolver_add_server(res, good, err, sizeof(err));
	(void)ask(res, "1.2.0.192.in-addr.arpa", LDNS_RR_TYPE_PTR, &r);
	(void)ask(res, "host.example.com", LDNS_RR_TYPE_A, &r2);
	run(2);
	ok(r.ans.status == RES_OK && r2.ans.status == RES_LIMITED,
	    "rate 1/s: first ok, second limited");
	resolver_free(res);

	/* Cancel: no callback. */
	res = resolver_new(base);
	resolver_add_server(res, good, err, sizeof(err));
	q = ask(res, "1.2.0.192.in-addr.arpa", LDNS_RR_TYPE_PTR, &r);
	resolver_cancel(q);
	resolver_set_limits(res, 2000, 2, 0, 0);
	q = ask(res, "host.example.com", LDNS_RR_TYPE_MX, &r2);
	resolver_cancel(q);
	event_base_loopexit(base, &tv);
	(void)event_base_dispatch(base);
	ok(r.called == 0 && r2.called == 0, "cancelled: no callback");
	is_int(resolver_stats(res)->inflight, 0, "cancelled: not in flight");

	/* resolver_free with queries open: no callback, no leak. */
	(void)ask(res, "1.2.0.192.in-addr.arpa", LDNS_RR_TYPE_PTR, &r);
	(void)ask(res, "bad..name", LDNS_RR_TYPE_A, &r2);
	resolver_free(res);
	event_base_loopexit(base, &tv);
	(void)event_base_dispatch(base);
	ok(r.called == 0 && r2.called == 0, "resolver_free: no callback");

	/* Twenty at once, every other one cancelled. */
	res = resolver_new(base);
	resolver_add_server(res, good, err, sizeof(err));
	for (i = 0; i < 20; i++)
		qs[i] = ask(res, i % 2 ? "host.example.com" :
		    "1.2.0.192.in-addr.arpa", i % 2 ? LDNS_RR_TYPE_A :
		    LDNS_RR_TYPE_PTR, &many[i]);
	for (i = 1; i < 20; i += 2)
		resolver_cancel(qs[i]);
	run(10);
	for (i = 0, n = 0; i < 20; i++)
		if (i % 2 ? many[i].called == 0 : many[i].called == 1 &&
		    many[i].ans.status == RES_OK && many[i].ans.nnames == 2)
			n++;
	is_int(n, 20, "20 at once, 10 cancelled: 10 answers, 10 silent");
	resolver_free(res);

	/* No server. */
	res = resolver_new(base);
	ask_wait(res, "host.example.com", LDNS_RR_TYPE_A, &r);
	is_str(res_status_name(r.ans.status), "error", "no server: error");
	resolver_free(res);
}

int
main(void)
{
	char prog[1024];
	const char *tmp;

	signal(SIGPIPE, SIG_IGN);
	if (find_in_path("ldns-testns", prog, sizeof(prog)) == NULL) {
		/*
		 * tap-driver.sh counts any non-zero exit status, 77 too, as
		 * an ERROR: the SKIP plan with status 0 is the TAP skip.
		 */
		printf("1..0 # SKIP ldns-testns not installed\n");
		return 0;
	}
	plan(78);
	base = event_base_new();
	test_pure();

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(dir, sizeof(dir), "%s/test_resolve.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 99;
	}
	snprintf(datafile, sizeof(datafile), "%s/testns.data", dir);
	snprintf(logfile, sizeof(logfile), "%s/testns.log", dir);
	{
		FILE *fp = fopen(datafile, "w");

		if (fp == NULL || fputs(testns_data, fp) == EOF ||
		    fclose(fp) == EOF) {
			printf("Bail out! cannot write %s\n", datafile);
			return 99;
		}
	}
	srandom((unsigned)getpid() ^ (unsigned)time(NULL));
	if (testns_start(prog) == -1) {
		char *log = slurp(logfile);

		printf("Bail out! ldns-testns did not start\n# %s\n", log);
		free(log);
		testns_stop();
		return 99;
	}
	test_answers();
	test_failures();
	testns_stop();
	event_base_free(base);
	return done();
}
