/* SPDX-License-Identifier: ISC */
/*
 * test_verdict.c -- the verdicts of the computed checks (verdict.h):
 * subjects, names and reasons of verdicts, and a verdict kept in the
 * store's cache, read back, expired and forgotten.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verdict.h"
#include "reason.h"
#include "store.h"
#include "fixture.h"
#include "../tap.h"

static const char conftext[] =
    "server:\n"
    "  database: /nonexistent\n"
    "zone:\n"
    "  name: bl.test\n"
    "  type: dnsbl\n";

static struct fixture f;

/* verdict_cached for s at now: "verdict detail|confirmed|names". */
static const char *
cached(const struct check_subject *s, time_t now)
{
	static char out[2048];
	struct check_result r;
	char err[256];
	enum store_rc rc;

	store_read_begin(f.st, err, sizeof(err));
	rc = verdict_cached(f.st, s, now, &r, err, sizeof(err));
	store_read_end(f.st);
	if (rc == STORE_NOTFOUND)
		return "none";
	if (rc != STORE_OK) {
		snprintf(out, sizeof(out), "error %s", err);
		return out;
	}
	snprintf(out, sizeof(out), "%s %s|%s|%s%s", cverdict_name(r.verdict),
	    r.detail, r.confirmed, r.names, r.cached ? "" : " (not cached?)");
	return out;
}

int
main(void)
{
	struct check_subject a1, a1b, a2, n1, n1b;
	struct check_result r;
	struct addr a;
	char err[256], text[300];
	time_t now = time(NULL);

	plan(25);
	ok(fixture_open(&f, conftext) == 0, "configuration and store");
	if (f.st == NULL)
		return done();

	addr_parse("192.0.2.1", 0, &a, err, sizeof(err));
	check_subject_addr(&a1, &a);
	check_subject_addr(&a1b, &a);
	addr_parse("2001:db8::1", 0, &a, err, sizeof(err));
	check_subject_addr(&a2, &a);
	is_int(check_subject_name(&n1, "mail.example.com"), 0, "a name fits");
	(void)check_subject_name(&n1b, "mail.example.com");
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	is_int(check_subject_name(&n1b, text), -1, "a name too long");
	(void)check_subject_name(&n1b, "mail.example.com");
	ok(check_subject_equal(&a1, &a1b), "the same address");
	ok(!check_subject_equal(&a1, &a2), "another address");
	ok(check_subject_equal(&n1, &n1b), "the same name");
	ok(!check_subject_equal(&a1, &n1), "an address is not a name");
	is_str(check_subject_text(&a2, text, sizeof(text)), "2001:db8::1",
	    "an address as text");
	is_str(check_subject_text(&n1, text, sizeof(text)),
	    "mail.example.com", "a name as text");

	is_str(cverdict_name(CV_UNCONFIRMED), "unconfirmed", "a verdict's name");
	is_int(cverdict_reason(CV_DYNAMIC), REASON_DYNAMIC,
	    "dynamic lists under the dynamic reason");
	is_int(cverdict_reason(CV_NO_DNS), REASON_NO_DNS,
	    "no-dns lists under the no-dns reason");
	is_int(cverdict_reason(CV_PASS), -1, "pass lists nothing");
	is_int(cverdict_reason(CV_UNKNOWN), -1, "unknown lists nothing");

	is_str(cached(&a1, now), "none", "nothing cached yet");
	memset(&r, 0, sizeof(r));
	r.verdict = CV_DYNAMIC;
	r.checked = now;
	r.expires = now + 60;
	snprintf(r.names, sizeof(r.names), "a.example, b.example");
	snprintf(r.confirmed, sizeof(r.confirmed), "b.example");
	snprintf(r.rule, sizeof(r.rule), "rule3");
	snprintf(r.detail, sizeof(r.detail), "looks dynamic");
	ok(verdict_store(f.st, &a1, &r, err, sizeof(err)) == STORE_OK,
	    "a verdict is stored");
	is_str(cached(&a1, now), "dynamic looks dynamic|b.example|"
	    "a.example, b.example", "and read back with its names");
	is_str(cached(&a2, now), "none", "another address has none");
	is_str(cached(&a1, now + 60), "none", "expired at its expiry time");
	r.verdict = CV_NO_DNS;
	r.confirmed[0] = '\0';
	r.names[0] = '\0';
	snprintf(r.detail, sizeof(r.detail), "no such name");
	ok(verdict_store(f.st, &n1, &r, err, sizeof(err)) == STORE_OK,
	    "a name's verdict is stored");
	(void)check_subject_name(&n1b, "MAIL.example.com");
	is_str(cached(&n1b, now), "no-dns no such name||",
	    "and found whatever the name's case");
	is_int(verdict_forget(f.st, &a1, err, sizeof(err)), STORE_OK,
	    "forget a cached verdict");
	is_str(cached(&a1, now), "none", "it is gone");
	is_int(verdict_forget(f.st, &a1, err, sizeof(err)), STORE_NOTFOUND,
	    "forget it again: there was none");
	is_str(cached(&n1, now), "no-dns no such name||",
	    "the other verdict stays");

	fixture_close(&f);
	return done();
}
