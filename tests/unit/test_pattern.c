/* SPDX-License-Identifier: ISC */
/*
 * test_pattern.c -- the dynamic-host pattern loader and matcher, and the
 * shipped zones/s25r.rules.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "../tap.h"

static char errs[8192];		/* every error reported, one a line */

static void
collect(void *arg, const char *msg)
{
	int *n = arg;

	(*n)++;
	strncat(errs, msg, sizeof(errs) - strlen(errs) - 2);
	strcat(errs, "\n");
}

/* Is LINE (a whole line) among the errors? */
static int
has_err(const char *line)
{
	const char *p = errs;
	size_t len = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == errs || p[-1] == '\n') && p[len] == '\n')
			return 1;
		p++;
	}
	return 0;
}

/* Is there an error line starting with PREFIX? */
static int
has_err_prefix(const char *prefix)
{
	const char *p = errs;

	while ((p = strstr(p, prefix)) != NULL) {
		if (p == errs || p[-1] == '\n')
			return 1;
		p++;
	}
	return 0;
}

/* NAME is listed by RULE (and no exception applies). */
static void
listed(const struct patterns *p, const char *name, const char *rule)
{
	struct pattern_match m;
	int r;

	r = patterns_match(p, name, &m);
	ok(r == 1 && m.rule != NULL && strcmp(m.rule, rule) == 0 &&
	    m.exception == NULL, "%s listed by %s", name, rule);
	if (r != 1 || m.rule == NULL || strcmp(m.rule, rule) != 0)
		printf("# got %d rule=%s exception=%s\n", r,
		    m.rule ? m.rule : "(null)",
		    m.exception ? m.exception : "(null)");
}

/* NAME is not listed, and EXC (or no exception, if NULL) applied. */
static void
not_listed(const struct patterns *p, const char *name, const char *exc)
{
	struct pattern_match m;
	int r;

	r = patterns_match(p, name, &m);
	ok(r == 0 && m.rule == NULL && ((exc == NULL && m.exception == NULL) ||
	    (exc != NULL && m.exception != NULL &&
	    strcmp(m.exception, exc) == 0)), "%s not listed (exception %s)",
	    name, exc ? exc : "none");
	if (r != 0 || m.rule != NULL || (exc == NULL) != (m.exception == NULL))
		printf("# got %d rule=%s exception=%s\n", r,
		    m.rule ? m.rule : "(null)",
		    m.exception ? m.exception : "(null)");
}

static void
test_shipped(void)
{
	struct patterns *p;
	const char *top;
	char path[4096];
	size_t nrules, nexc;
	int nerr = 0, n = 0;

	if ((top = getenv("top_srcdir")) == NULL || *top == '\0')
		top = ".";
	snprintf(path, sizeof(path), "%s/zones/s25r.rules", top);
	errs[0] = '\0';
	p = patterns_load(path, collect, &n, &nerr);
	ok(p != NULL && nerr == 0 && n == 0, "load %s", path);
	if (p == NULL) {
		printf("# %s", errs);
		return;
	}
	nrules = patterns_count(p, &nexc);
	is_int(nrules, 6, "shipped file: 6 rules");
	ok(nexc >= 7, "shipped file: %zu exceptions (>= 7)", nexc);

	/* Every rule: a name it lists, and a similar name nothing lists. */
	listed(p, "p1234-ipngn100.example.ne.jp", "s25r-1");
	listed(p, "m15-78.example.com", "s25r-1");
	not_listed(p, "mail.example.com", NULL);
	not_listed(p, "mail1.example.com", NULL);
	not_listed(p, "p1234-ipngn100", NULL);	/* rule 1 needs a dot */
	listed(p, "host12345.example.com", "s25r-2");
	not_listed(p, "host1234.example.com", NULL);
	listed(p, "123.45.67.89.isp.example.com", "s25r-3");
	listed(p, "static.71.8.9.5.clients.example.com", "s25r-3");
	not_listed(p, "123.example.com", NULL);
	not_listed(p, "www.isp.example.com", NULL);
	listed(p, "pc7.12-34.example.net", "s25r-4");
	listed(p, "host1.10-20.example.com", "s25r-4");
	not_listed(p, "host1.10x20.example.com", NULL);
	listed(p, "host1.pool2.isp.example.com", "s25r-5");
	not_listed(p, "host1.pool2.example.com", NULL);
	not_listed(p, "host1.pool.isp.example.com", NULL);
	listed(p, "dhcp123.example.com", "s25r-6");
	listed(p, "adsl4.example.org", "s25r-6");
	listed(p, "ppp12.example.net", "s25r-6");
	listed(p, "dialup7.example.net", "s25r-6");
	listed(p, "xdsl-line9.example.net", "s25r-6");
	/* Two digit runs: rule 1 comes first in file order. */
	listed(p, "ppp-1-2.example.net", "s25r-1");
	not_listed(p, "dhcpserver.example.com", NULL);
	not_listed(p, "dhcp.example.com", NULL);
	not_listed(p, "mydsl1.example.com", NULL);

	/* REFERENCE 1.4: the big senders the rules hit, and the exceptions. */
	not_listed(p, "mail-ua0-f172.google.com", "google.com");
	not_listed(p, "a8-41.smtp-out.amazonses.com", "amazonses.com");
	not_listed(p, "m15-78.126.com", "126.com");
	not_listed(p, "mail2-209.sinamail.sina.com.cn", "sina.com.cn");
	not_listed(p, "exprod5mo104.obsmtp.com", "obsmtp.com");
	not_listed(p, "web12345.mail.yahoo.co.jp", "yahoo.co.jp");
	not_listed(p, "static.71.8.9.5.clients.your-server.de",
	    "your-server.de");
	not_listed(p, "mail-db5eur03on2100.outbound.protection.outlook.com",
	    "outlook.com");
	not_listed(p, "out162-62-57-49.mail.qq.com", "qq.com");
	not_listed(p, "m43-7.mailgun.net", "mailgun.net");
	not_listed(p, "mail136-64.atl31.rsgsv.net", "rsgsv.net");
	/* The same shapes elsewhere are listed. */
	listed(p, "mail-ua0-f172.example.com", "s25r-1");
	listed(p, "a8-41.smtp-out.example.com", "s25r-1");
	listed(p, "m15-78.example.cn", "s25r-1");
	listed(p, "mail2-209.sinamail.example.com.cn", "s25r-1");
	listed(p, "exprod5mo104.example.com", "s25r-1");
	listed(p, "web12345.mail.example.co.jp", "s25r-2");
	listed(p, "static.71.8.9.5.clients.example.de", "s25r-3");
	/* Names no rule lists. */
	not_listed(p, "mail.example.co.jp", NULL);
	not_listed(p, "mx1.example.com", NULL);
	not_listed(p, "smtp-out-123.example.com", NULL);
	not_listed(p, "mta-17.mailchannels.net", NULL);

	/* Case, the final dot, label boundaries. */
	listed(p, "P1234-IPNGN100.EXAMPLE.NE.JP", "s25r-1");
	listed(p, "p1234-ipngn100.example.ne.jp.", "s25r-1");
	listed(p, "DHCP123.Example.COM.", "s25r-6");
	not_listed(p, "MAIL-UA0-F172.Google.COM.", "google.com");
	not_listed(p, "google.com", "google.com");
	not_listed(p, "Google.Com.", "google.com");
	listed(p, "mail-ua0-f172.notgoogle.com", "s25r-1");
	not_listed(p, "notgoogle.com", NULL);
	listed(p, "mail-ua0-f172.google.com.example.net", "s25r-1");
	not_listed(p, "", NULL);
	not_listed(p, ".", NULL);
	/* Longer than any domain name: never matched (nor overflowed). */
	memset(path, 'a', 300);
	memcpy(path, "dhcp123.", 8);
	path[300] = '\0';
	not_listed(p, path, NULL);

	patterns_free(p);
}

static void
test_loader(void)
{
	struct patterns *p;
	struct pattern_match m;
	size_t nexc;
	int nerr, n;

	/* A good file: CRLF, blank lines, a regex with a space, no final
	 * newline. */
	errs[0] = '\0';
	nerr = -1;
	n = 0;
	p = patterns_load_string("good.rules",
	    "# comment\r\n"
	    "\n"
	    "   \t\n"
	    "  # indented comment\n"
	    "except Example.COM.\r\n"
	    "except\tsub.example.org\n"
	    "rule first ^a b$\n"
	    "rule second_2 [0-9]{3}\r\n"
	    "  rule   third-3   x  ", collect, &n, &nerr);
	ok(p != NULL, "good file loads");
	is_int(nerr, 0, "good file: no errors");
	is_int(n, 0, "good file: no callback");
	if (p == NULL)
		return;
	is_int(patterns_count(p, &nexc), 3, "good file: 3 rules");
	is_int(nexc, 2, "good file: 2 exceptions");
	is_int(patterns_count(p, NULL), 3, "patterns_count with NULL");
	listed(p, "a b", "first");
	listed(p, "A B.", "first");
	listed(p, "host123.test", "second_2");
	listed(p, "box.test", "third-3");
	not_listed(p, "ab", NULL);
	not_listed(p, "host123.example.com", "example.com");
	not_listed(p, "EXAMPLE.com", "example.com");
	not_listed(p, "x123.sub.example.org", "sub.example.org");
	listed(p, "x123.example.org", "second_2");
	/* An exception beats an earlier rule, and the match is reset. */
	m.rule = "stale";
	m.exception = "stale";
	is_int(patterns_match(p, "a b.example.com", &m), 0,
	    "exception beats rule");
	ok(m.rule == NULL && m.exception != NULL &&
	    strcmp(m.exception, "example.com") == 0, "match fields reset");
	is_int(patterns_match(p, "host123.test", NULL), 1, "NULL match ok");
	patterns_free(p);

	/* Empty file: valid, nothing matches. */
	p = patterns_load_string("empty", "", collect, &n, &nerr);
	ok(p != NULL && nerr == 0, "empty file loads");
	if (p != NULL) {
		is_int(patterns_count(p, &nexc), 0, "empty: 0 rules");
		is_int(nexc, 0, "empty: 0 exceptions");
		not_listed(p, "dhcp123.example.com", NULL);
		patterns_free(p);
	}

	/* Every kind of error, all reported in one load. */
	errs[0] = '\0';
	nerr = 0;
	n = 0;
	p = patterns_load_string("t.rules",
	    "# errors\n"				/* 1 */
	    "rule ok-1 ^a\n"				/* 2 */
	    "rule bad ^(a\n"				/* 3 */
	    "frobnicate x\n"				/* 4 */
	    "rule ok-1 ^b\n"				/* 5 */
	    "rule lonely\n"				/* 6 */
	    "rule lonely2   \t\n"			/* 7 */
	    "rule\n"					/* 8 */
	    "except\n"					/* 9 */
	    "except Example.COM.\n"			/* 10 */
	    "except example.com\n"			/* 11 */
	    "rule BadName x\n"				/* 12 */
	    "except bad..name\n"			/* 13 */
	    "except -bad.example\n"			/* 14 */
	    "except two names\n"			/* 15 */
	    "Rule upper x\n"				/* 16 */
	    "rule ok-2 ^c\n",				/* 17 */
	    collect, &n, &nerr);
	ok(p == NULL, "bad file: not loaded");
	is_int(nerr, 13, "bad file: 13 errors");
	is_int(n, 13, "bad file: 13 callbacks");
	ok(has_err_prefix("t.rules:3: rule \"bad\": bad regex: "),
	    "bad regex with line and regerror text");
	ok(has_err("t.rules:4: unknown directive \"frobnicate\""),
	    "unknown directive");
	ok(has_err("t.rules:5: duplicate rule \"ok-1\" (first at line 2)"),
	    "duplicate rule");
	ok(has_err("t.rules:6: rule \"lonely\": missing regex"),
	    "missing regex");
	ok(has_err("t.rules:7: rule \"lonely2\": missing regex"),
	    "missing regex (trailing blanks)");
	ok(has_err("t.rules:8: rule: missing name"), "missing rule name");
	ok(has_err("t.rules:9: except: missing name"),
	    "missing exception name");
	ok(has_err("t.rules:11: duplicate exception \"example.com\" "
	    "(first at line 10)"), "duplicate exception (case, dot)");
	ok(has_err_prefix("t.rules:12: bad rule name \"BadName\""),
	    "bad rule name");
	ok(has_err("t.rules:13: except: bad name \"bad..name\""),
	    "bad exception name");
	ok(has_err("t.rules:14: except: bad name \"-bad.example\""),
	    "exception label starting with a hyphen");
	ok(has_err("t.rules:15: except: one name a line"),
	    "two exception names");
	ok(has_err("t.rules:16: unknown directive \"Rule\""),
	    "directives are lower case");
	if (nerr != 13)
		printf("# errors:\n%s", errs);

	/* Rules too costly to compile are refused before regcomp. */
	errs[0] = '\0';
	nerr = 0;
	n = 0;
	p = patterns_load_string("cost.rules",
	    "rule plus22 a++++++++++++++++++++++\n"		/* 1 */
	    "rule nested (a{1,255}){1,255}\n"			/* 2 */
	    "rule deep (((((((((((((((x+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+\n"
	    "rule cheap ((((x+)+)+)+)+((((x+)+)+)+)+((((y+)+)+)+)*\n"
	    "rule wide a{0,255}b{0,255}c{0,255}d{0,255}\n"
	    "rule seq ^[a-z]+-[a-z]+-[a-z]+-[a-z]+-[a-z]+-[0-9]+-[0-9]+\n"
	    "rule s25r-3 ^([^.]+\\.)?[0-9][^.]*\\.[^.]+\\..+\\.[a-z]\n"
	    "rule brackets [[:digit:]]+[]x]+[^]x]*\\(+\n",
	    collect, &n, &nerr);
	ok(p == NULL, "costly rules: not loaded");
	is_int(nerr, 3, "costly rules: 3 errors");
	ok(has_err_prefix("cost.rules:1: rule \"plus22\": a repetition "
	    "right after another"), "22 stacked + refused, with file:line");
	ok(has_err_prefix("cost.rules:2: rule \"nested\": regex too costly"),
	    "nested {1,255} refused");
	ok(has_err_prefix("cost.rules:3: rule \"deep\": regex too costly"),
	    "15 nested + refused");
	if (nerr != 3)
		printf("# errors:\n%s", errs);

	/*
	 * A bound past 255 is refused, as are rules each under the limit
	 * that cost too much together: 27 of cost 1792 load, the 28th
	 * would take the file past 50000.
	 */
	errs[0] = '\0';
	nerr = 0;
	n = 0;
	p = patterns_load_string("bound.rules",
	    "rule ok a{0,255}\nrule big a{0,256}\nrule big2 a{1999}\n"
	    "rule stack a*+\nrule empty (a*)+\nrule anchor ^*\n"
	    "rule alt (x|)?\nrule fine ([0-9]+\\.)?(-[a-z]+)*$\n",
	    collect, &n, &nerr);
	ok(p == NULL && nerr == 6, "bounds past 255, stacked and empty "
	    "repetitions: 6 errors");
	ok(has_err_prefix("bound.rules:4: rule \"stack\": a repetition "
	    "right after another"), "a*+ refused");
	ok(has_err_prefix("bound.rules:5: rule \"empty\": a repetition of "
	    "what can match the empty string"), "(a*)+ refused");
	ok(has_err_prefix("bound.rules:6: rule \"anchor\": a repetition "
	    "of what"), "^* refused");
	ok(has_err_prefix("bound.rules:7: rule \"alt\": a repetition of "
	    "what"), "(x|)? refused");
	ok(has_err_prefix("bound.rules:2: rule \"big\": a repetition bound "
	    "past 255"), "{0,256} refused, with file:line");
	ok(has_err_prefix("bound.rules:3: rule \"big2\": a repetition "
	    "bound"), "{1999} refused");
	{
		char text[28 * 32], *t = text;
		int i;

		for (i = 1; i <= 28; i++)
			t += snprintf(t, sizeof(text) - (size_t)(t - text),
			    "rule r%d (a{255}){6}\n", i);
		errs[0] = '\0';
		nerr = 0;
		n = 0;
		p = patterns_load_string("sum.rules", text, collect, &n,
		    &nerr);
		ok(p == NULL && nerr == 1, "rules past the file's cost: "
		    "1 error");
		ok(has_err_prefix("sum.rules:28: rule \"r28\": the rules so "
		    "far cost 48384 to compile, this one 1792, past 50000"),
		    "the rule past the file's cost is named");
		text[(size_t)(strstr(text, "rule r28") - text)] = '\0';
		p = patterns_load_string("sum.rules", text, NULL, NULL,
		    &nerr);
		ok(p != NULL && nerr == 0, "27 of them load");
		patterns_free(p);
	}
	if (nerr != 0)
		printf("# errors:\n%s", errs);

	/* Errors without a callback or a count pointer. */
	p = patterns_load_string("t.rules", "bogus\n", NULL, NULL, NULL);
	ok(p == NULL, "error without callback");

	/* A missing file. */
	errs[0] = '\0';
	nerr = 0;
	n = 0;
	p = patterns_load("/nonexistent/s25r.rules", collect, &n, &nerr);
	ok(p == NULL && nerr == 1 && n == 1, "missing file: one error");
	ok(has_err_prefix("/nonexistent/s25r.rules: "),
	    "missing file: message names the file");

	patterns_free(NULL);
	ok(1, "patterns_free(NULL)");
}

int
main(void)
{
	plan(120);
	test_shipped();
	test_loader();
	return done();
}
