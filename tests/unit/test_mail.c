/* SPDX-License-Identifier: ISC */
/*
 * test_mail.c -- the decision mail and the confirmation mail: their
 * headers and body, the addresses they refuse so that no header can be
 * injected, and the run of a mail-command with the message on its stdin.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "mail.h"
#include "store_queue.h"
#include "util.h"
#include "../tap.h"

#define NOW	1796083200	/* 2026-12-01T00:00:00Z */

/* A decided request for 192.0.2.1 from postmaster@example.net. */
static void
request_init(struct store_request *r, enum store_req_status st,
    const char *note)
{
	memset(r, 0, sizeof(*r));
	r->id = 42;
	r->status = st;
	addr_from_v4(&r->addr, 0xc0000201U);
	r->decided = NOW;
	r->visible = NOW + 3900;
	r->expires = st == REQ_APPROVED ? NOW + 86400 : 0;
	str_copy(r->token, "0123456789abcdef", sizeof(r->token));
	str_copy(r->email, "postmaster@example.net", sizeof(r->email));
	str_copy(r->reason, "bl.example: dynamic", sizeof(r->reason));
	str_copy(r->note, note, sizeof(r->note));
}

/* The header part of MSG (up to its first empty line), as a new string. */
static char *
headers(const char *msg)
{
	const char *end = strstr(msg, "\n\n");
	size_t n = end != NULL ? (size_t)(end - msg) + 1 : strlen(msg);
	char *h = malloc(n + 1);

	if (h == NULL)
		return NULL;
	memcpy(h, msg, n);
	h[n] = '\0';
	return h;
}

/* H: the headers from bl@example.org to the requester at NOW. */
static void
is_headers(const char *h, const char *subject, const char *name)
{
	char want[512];

	snprintf(want, sizeof(want), "From: <bl@example.org>\n"
	    "To: <postmaster@example.net>\nSubject: %s\n"
	    "Date: Tue, 01 Dec 2026 00:00:00 +0000\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\nAuto-Submitted: auto-replied\n",
	    subject);
	is_str(h, want, "%s", name);
}

static void
test_approved(void)
{
	struct store_request r;
	char errbuf[256], *m, *h;

	request_init(&r, REQ_APPROVED, "fixed, thanks");
	m = mail_decision(&r, "bl@example.org", "https://bl.example.org/",
	    NOW, errbuf, sizeof(errbuf));
	ok(m != NULL, "approved: a message");
	if (m == NULL)
		return;
	h = headers(m);
	is_headers(h, "Delisting request 42 for 192.0.2.1: approved",
	    "approved: the headers");
	ok(strstr(m, "\n\nYour request 42 to delist 192.0.2.1 was approved."
	    "\n\nNote: fixed, thanks\n\n") != NULL, "approved: decision, note");
	ok(strstr(m, "\n192.0.2.1 is no longer listed in our dnsbl zones "
	    "until 2026-12-02T00:00:00Z.\n") != NULL, "approved: until");
	ok(strstr(m, "sees it by 2026-12-01T01:05:00Z at the latest") != NULL,
	    "approved: when every MX sees it");
	ok(strstr(m, "\nIt was listed for: bl.example: dynamic\n") != NULL,
	    "approved: the listing reason");
	ok(strstr(m, "\nStatus: https://bl.example.org/request/"
	    "0123456789abcdef\n") != NULL, "approved: the status page");
	free(h);
	free(m);
}

static void
test_denied(void)
{
	struct store_request r;
	char errbuf[256], *m, *h;

	request_init(&r, REQ_DENIED, "Bcc: victim@example.com");
	m = mail_decision(&r, NULL, NULL, NOW, errbuf, sizeof(errbuf));
	ok(m != NULL, "denied: a message");
	if (m == NULL)
		return;
	h = headers(m);
	ok(strncmp(h, "To: <postmaster@example.net>\nSubject: Delisting "
	    "request 42 for 192.0.2.1: denied\n", 70) == 0,
	    "denied: no From: without mail-from, Subject: denied");
	ok(strstr(h, "Bcc") == NULL, "denied: the reason is no header");
	ok(strstr(m, "\n\nReason: Bcc: victim@example.com\n") != NULL,
	    "denied: the reason, in the body");
	ok(strstr(m, "Status:") == NULL, "denied: no status page without "
	    "public-url");
	free(h);
	free(m);
}

static void
test_refused(void)
{
	static const char *const bad[] = {
		"a@example.net\nBcc: x@example.com", "a@example.net\r",
		"a b@example.net", "<a@example.net>", "", NULL
	};
	struct store_request r;
	char errbuf[256], *m;
	size_t i;

	request_init(&r, REQ_APPROVED, "");
	for (i = 0; bad[i] != NULL; i++) {
		str_copy(r.email, bad[i], sizeof(r.email));
		m = mail_decision(&r, NULL, NULL, NOW, errbuf,
		    sizeof(errbuf));
		ok(m == NULL && strstr(errbuf, "request 42") != NULL,
		    "refused recipient %zu", i);
		free(m);
	}
	request_init(&r, REQ_APPROVED, "");
	m = mail_decision(&r, "x@example.org\nBcc: y@example.com", NULL, NOW,
	    errbuf, sizeof(errbuf));
	ok(m == NULL && strstr(errbuf, "mail-from") != NULL,
	    "refused sender with a newline");
	free(m);
}

static void
test_self(void)
{
	struct store_request r;
	char errbuf[256], *m;

	request_init(&r, REQ_APPROVED, "");
	r.flags |= REQ_SELF;
	m = mail_decision(&r, NULL, NULL, NOW, errbuf, sizeof(errbuf));
	ok(m != NULL && strstr(m, "\n\nYour request 42 to delist 192.0.2.1 "
	    "was approved by self-service.\n\nThe automatic checks alone "
	    "listed it") != NULL, "self-service: said so");
	ok(m != NULL && strstr(m, "sees it by 2026-12-01T01:05:00Z") != NULL,
	    "self-service: when every MX sees it");
	free(m);
}

static void
test_verify(void)
{
	struct store_request r;
	char errbuf[256], *m, *h;

	request_init(&r, REQ_PENDING, "");
	r.id = 0;
	str_copy(r.token, "00112233445566778899aabbccddeeff", sizeof(r.token));
	str_copy(r.text, "Buy cheap pills at spam.example", sizeof(r.text));
	m = mail_verify(&r, "bl@example.org", "https://bl.example.org/",
	    NOW + 86400, NOW, errbuf, sizeof(errbuf));
	ok(m != NULL, "verify: a message");
	if (m == NULL)
		return;
	h = headers(m);
	is_headers(h, "Confirm the delisting request for 192.0.2.1",
	    "verify: the headers");
	ok(strstr(m, "\n\nhttps://bl.example.org/verify/"
	    "00112233445566778899aabbccddeeff\n\n") != NULL,
	    "verify: the link under public-url");
	ok(strstr(m, "until 2026-12-02T00:00:00Z") != NULL,
	    "verify: until when it works");
	ok(strstr(m, "pills") == NULL,
	    "verify: nothing of the requester's text");
	free(h);
	free(m);
	m = mail_verify(&r, NULL, NULL, NOW + 60, NOW, errbuf,
	    sizeof(errbuf));
	ok(m == NULL && strstr(errbuf, "public-url") != NULL,
	    "verify: no link without public-url");
	free(m);
	str_copy(r.email, "a@example.net\nBcc: x@example.com",
	    sizeof(r.email));
	m = mail_verify(&r, NULL, "https://bl.example.org/", NOW + 60, NOW,
	    errbuf, sizeof(errbuf));
	ok(m == NULL, "verify: a recipient with a newline refused");
	free(m);
}

/* Read FILE whole into a new string, or NULL. */
static char *
slurp(const char *file)
{
	FILE *f = fopen(file, "r");
	char *buf;
	size_t n;

	if (f == NULL)
		return NULL;
	buf = calloc(1, 256 * 1024);
	n = buf != NULL ? fread(buf, 1, 256 * 1024 - 1, f) : 0;
	(void)n;
	fclose(f);
	return buf;
}

/* mail_send: the arguments, a message larger than a default pipe, exit. */
static void
test_send(void)
{
	char dir[] = "/tmp/test_mail.XXXXXX", prog[64], out[64], args[64];
	char errbuf[256], *msg, *got;
	FILE *f;

	if (mkdtemp(dir) == NULL) {
		ok(0, "send: a temporary directory");
		return;
	}
	snprintf(prog, sizeof(prog), "%s/sendmail", dir);
	snprintf(out, sizeof(out), "%s/msg", dir);
	snprintf(args, sizeof(args), "%s/args", dir);
	f = fopen(prog, "w");
	if (f != NULL) {
		fprintf(f, "#!/bin/sh\nprintf '%%s\\n' \"$@\" >%s\n"
		    "cat >%s\nexit ${MAILEXIT:-0}\n", args, out);
		fclose(f);
	}
	ok(f != NULL && chmod(prog, 0755) == 0, "send: a keeping program");
	msg = malloc(200 * 1024);
	if (msg == NULL)
		return;
	memset(msg, 'x', 200 * 1024 - 2);
	msg[200 * 1024 - 2] = '\n';
	msg[200 * 1024 - 1] = '\0';
	is_int(mail_send(prog, "bl@example.org", "a@example.net", msg,
	    errbuf, sizeof(errbuf)), 0, "send: a 200 KB message sent");
	got = slurp(out);
	ok(got != NULL && strcmp(got, msg) == 0,
	    "send: the program read it whole");
	free(got);
	got = slurp(args);
	is_str(got, "-i\n-f\nbl@example.org\n--\na@example.net\n",
	    "send: -i, -f FROM, --, the recipient");
	free(got);
	is_int(mail_send("/nonexistent/sendmail", NULL, "a@example.net",
	    "x\n", errbuf, sizeof(errbuf)), -1, "send: no such program");
	ok(strstr(errbuf, "cannot run /nonexistent/sendmail") != NULL,
	    "send: ... says so");
	f = fopen(prog, "w");
	if (f != NULL) {
		fprintf(f, "#!/bin/sh\ncat >/dev/null\nexit 75\n");
		fclose(f);
	}
	is_int(mail_send(prog, NULL, "a@example.net", "x\n", errbuf,
	    sizeof(errbuf)), -1, "send: a failing program");
	ok(strstr(errbuf, "failed (status 75)") != NULL,
	    "send: ... its status said");
	(void)unlink(prog);
	(void)unlink(out);
	(void)unlink(args);
	(void)rmdir(dir);
	free(msg);
}

int
main(void)
{
	plan(35);
	test_approved();
	test_denied();
	test_refused();
	test_self();
	test_verify();
	test_send();
	return done();
}
