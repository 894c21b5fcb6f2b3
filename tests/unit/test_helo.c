/* SPDX-License-Identifier: ISC */
/*
 * test_helo.c -- the bad-HELO list (loader, names and wildcards, the
 * shipped zones/bad-helo.txt), HELO normalisation and the judgement of
 * the reasons that need no lookup.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "helo.h"
#include "pattern.h"
#include "reason.h"
#include "../tap.h"

static char errs[4096];

static void
collect(void *arg, const char *msg)
{
	(void)arg;
	strncat(errs, msg, sizeof(errs) - strlen(errs) - 2);
	strcat(errs, "\n");
}

static void
noerr(void *arg, const char *file, int line, const char *msg)
{
	(void)arg;
	printf("# %s:%d: %s\n", file, line, msg);
}

#define B(r)	(1U << (r))

/* The reasons that hold for name under every helo check. */
static unsigned
judge(const struct helo_env *env, const char *in, int *lookup)
{
	struct helo_result r;
	char name[HELO_NAMELEN];

	if (helo_normalize(in, strlen(in), name, sizeof(name)) == -1)
		return ~0U;
	helo_judge(env, name, reason_mask(ZONE_HELO), &r);
	if (lookup != NULL)
		*lookup = r.lookup;
	return r.reasons;
}

static void
test_normalize(void)
{
	char out[HELO_NAMELEN];

	ok(helo_normalize("Mail.Example.COM.", 17, out, sizeof(out)) == 0 &&
	    strcmp(out, "mail.example.com") == 0,
	    "normalize: lower case, final dot dropped");
	ok(helo_normalize("[IPv6:2001:DB8::1]", 18, out, sizeof(out)) == 0 &&
	    strcmp(out, "[ipv6:2001:db8::1]") == 0, "normalize: a literal");
	ok(helo_normalize("a b", 3, out, sizeof(out)) == -1,
	    "normalize: a space is refused");
	ok(helo_normalize("a\tb", 3, out, sizeof(out)) == -1,
	    "normalize: a control byte is refused");
	ok(helo_normalize("caf\xc3\xa9.example", 13, out, sizeof(out)) == -1,
	    "normalize: non-ASCII is refused");
	ok(helo_normalize(".", 1, out, sizeof(out)) == -1,
	    "normalize: the root alone is refused");
	ok(helo_normalize("x", 1, out, 1) == -1, "normalize: no room");
}

static void
test_list(void)
{
	struct helo_list *l;
	int n = 0;

	l = helo_list_load_string("t.txt",
	    "# comment\n"
	    "LocalHost\n"
	    "  localhost.localdomain.   # trailing comment\n"
	    "*.LocalDomain\n"
	    "\n", collect, NULL, &n);
	ok(l != NULL && n == 0, "list: loads");
	if (l == NULL)
		return;
	is_int(helo_list_count(l), 3, "list: three entries");
	is_str(helo_list_match(l, "localhost"), "localhost",
	    "list: a name, folded at load");
	is_str(helo_list_match(l, "localhost.localdomain"),
	    "localhost.localdomain", "list: the final dot dropped at load");
	is_str(helo_list_match(l, "pc.localdomain"), "*.localdomain",
	    "list: a wildcard lists a name below");
	is_str(helo_list_match(l, "a.b.localdomain"), "*.localdomain",
	    "list: ... and deeper");
	is_str(helo_list_match(l, "localdomain"), NULL,
	    "list: a wildcard does not list the domain itself");
	is_str(helo_list_match(l, "xlocaldomain"), NULL,
	    "list: nor a name that only ends the same");
	is_str(helo_list_match(l, "localhost.example.com"), NULL,
	    "list: nor a name above a listed one");
	helo_list_free(l);

	errs[0] = '\0';
	l = helo_list_load_string("t.txt", "ok.example\nfoo bar\n*.\n"
	    "b@d.example\n*x.example\n", collect, NULL, &n);
	ok(l == NULL && n == 4, "list: four bad lines refuse the file");
	ok(strstr(errs, "t.txt:2: one name a line, not \"foo bar\"\n") !=
	    NULL, "list: two words, with file:line");
	ok(strstr(errs, "t.txt:3: \"*.\" is not a name or a wildcard") !=
	    NULL, "list: an empty wildcard");
	ok(strstr(errs, "t.txt:4: \"b@d.example\" is not a name") != NULL,
	    "list: a bad character");
	ok(strstr(errs, "t.txt:5: \"*x.example\" is not a name") != NULL,
	    "list: a wildcard not followed by a dot");

	errs[0] = '\0';
	l = helo_list_load("/nonexistent/bad-helo.txt", collect, NULL, &n);
	ok(l == NULL && n == 1 && strstr(errs,
	    "/nonexistent/bad-helo.txt: No such file or directory") != NULL,
	    "list: a missing file is one error, named");
}

static void
test_judge(const char *src)
{
	struct helo_env env;
	struct helo_list *bad;
	struct patterns *pat;
	struct conf *c;
	char *path;
	int n = 0, lookup;

	(void)xasprintf(&path, "%s/zones/bad-helo.txt", src);
	bad = helo_list_load(path, collect, NULL, &n);
	ok(bad != NULL && n == 0, "the shipped zones/bad-helo.txt loads");
	free(path);
	(void)xasprintf(&path, "%s/zones/s25r.rules", src);
	pat = patterns_load(path, collect, NULL, &n);
	free(path);
	c = conf_load_string("t.conf", "server:\n"
	    " own-names: MX1.Example.NET., 192.0.2.25, 2001:db8::/64\n"
	    "zone:\n name: helo.test\n type: helo\n", noerr, NULL, &n);
	if (bad == NULL || pat == NULL || c == NULL) {
		ok(0, "judge: fixtures");
		return;
	}
	env.bad = bad;
	env.pat = pat;
	env.conf = c;

	is_int(judge(&env, "mail.example.com", &lookup), 0,
	    "judge: a proper name: no static reason");
	ok(lookup, "judge: a proper name is looked up (no-dns)");
	is_int(judge(&env, "localhost", &lookup),
	    B(REASON_BAD_NAME) | B(REASON_NO_DOT), "judge: localhost");
	ok(!lookup, "judge: a single label is not looked up");
	is_int(judge(&env, "LOCALHOST.LOCALDOMAIN.", NULL),
	    B(REASON_BAD_NAME), "judge: localhost.localdomain, any case");
	is_int(judge(&env, "printer.localdomain", NULL), B(REASON_BAD_NAME),
	    "judge: *.localdomain");
	is_int(judge(&env, "www.localhost", NULL), B(REASON_BAD_NAME),
	    "judge: *.localhost (RFC 6761)");
	is_int(judge(&env, "server.corp.local", NULL), 0,
	    "judge: *.local is not shipped active");
	is_int(judge(&env, "mx1.example.net", NULL), B(REASON_OWN_NAME),
	    "judge: own name");
	is_int(judge(&env, "mx1.example.net.evil.example", NULL), 0,
	    "judge: a name below an own name is not own");
	is_int(judge(&env, "192.0.2.25", &lookup),
	    B(REASON_OWN_NAME) | B(REASON_BARE_IP), "judge: own bare address");
	ok(!lookup, "judge: an address is not looked up");
	is_int(judge(&env, "[192.0.2.25]", NULL), B(REASON_OWN_NAME),
	    "judge: own literal");
	is_int(judge(&env, "25.2.0.192", NULL),
	    B(REASON_OWN_NAME) | B(REASON_BARE_IP),
	    "judge: own bare address as Exim asks it (reversed)");
	is_int(judge(&env, "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "8.b.d.0.1.0.0.2", &lookup), B(REASON_OWN_NAME) | B(REASON_BARE_IP),
	    "judge: IPv6 as 32 reversed nibbles (Exim): bare, own");
	ok(!lookup, "judge: ... and not looked up");
	is_int(judge(&env, "[IPv6:2001:db8::99]", NULL), B(REASON_OWN_NAME),
	    "judge: own IPv6 prefix, literal");
	is_int(judge(&env, "[192.0.2.26]", NULL), 0,
	    "judge: another address literal is fine");
	is_int(judge(&env, "[192.0.2]", &lookup), 0,
	    "judge: a malformed literal: nothing");
	ok(!lookup, "judge: ... and no lookup");
	is_int(judge(&env, "10.1.2.3", NULL), B(REASON_BARE_IP),
	    "judge: bare IPv4");
	is_int(judge(&env, "fe80::1", NULL), B(REASON_BARE_IP),
	    "judge: bare IPv6");
	is_int(judge(&env, "host12345.example.com", NULL),
	    B(REASON_HELO_DYNAMIC), "judge: dynamic (s25r-2)");
	is_int(judge(&env, "ANNA", NULL), B(REASON_NO_DOT),
	    "judge: a desktop's name");
	is_int(judge(&env, "under_score.example", &lookup), 0,
	    "judge: underscores are tolerated");
	ok(lookup, "judge: ... and looked up");
	is_int(judge(&env, "exa!mple.com", &lookup), 0,
	    "judge: not a host name: nothing");
	ok(!lookup, "judge: ... and not looked up");

	{
		struct helo_result r;

		helo_judge(&env, "localhost", B(REASON_NO_DOT), &r);
		is_int(r.reasons, B(REASON_NO_DOT),
		    "judge: only the checks asked for");
		helo_judge(&env, "a.example", B(REASON_NO_DOT), &r);
		ok(!r.lookup, "judge: no lookup unless no-dns is checked");
		env.bad = NULL;
		env.pat = NULL;
		env.conf = NULL;
		helo_judge(&env, "localhost", reason_mask(ZONE_HELO), &r);
		is_int(r.reasons, B(REASON_NO_DOT),
		    "judge: without lists, only syntax");
	}
	helo_list_free(bad);
	patterns_free(pat);
	conf_free(c);
}

int
main(void)
{
	const char *src = getenv("top_srcdir");

	plan(54);
	test_normalize();
	test_list();
	test_judge(src != NULL ? src : ".");
	return done();
}
