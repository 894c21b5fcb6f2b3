/* SPDX-License-Identifier: ISC */
/*
 * test_mail.c -- the decision mail: its headers and body, and the
 * addresses it refuses so that no header can be injected.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	is_str(h, "From: <bl@example.org>\nTo: <postmaster@example.net>\n"
	    "Subject: Delisting request 42 for 192.0.2.1: approved\n"
	    "Date: Tue, 01 Dec 2026 00:00:00 +0000\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\nAuto-Submitted: auto-replied\n",
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

int
main(void)
{
	plan(18);
	test_approved();
	test_denied();
	test_refused();
	return done();
}
