/* SPDX-License-Identifier: ISC */
/*
 * test_txtsub.c -- rbldnsd's TXT "$" substitutions: resolved at import,
 * expanded at answer time. The expected texts are what rbldnsd 1.0pre
 * (snapshot 20210120) answered for the same data ("rbldnsd -d" dumps).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "txtsub.h"
#include "../tap.h"

static char *vars[TXTSUB_NVARS];
static int adjacent;

/* Resolve, then expand for SUBJECT: what a client gets. */
static const char *
answer(const char *txt, const char *subject)
{
	static char out[512];
	char stored[256];
	size_t o = 0;

	adjacent = 0;
	if (txtsub_resolve(txt, vars, stored, sizeof(stored), &adjacent) < 0)
		return "(too long)";
	txtsub_expand(stored, strlen(stored), subject, out, sizeof(out), &o);
	out[o] = '\0';
	return out;
}

/* The stored form. */
static const char *
stored(const char *txt)
{
	static char out[256];

	adjacent = 0;
	if (txtsub_resolve(txt, vars, out, sizeof(out), &adjacent) < 0)
		return "(too long)";
	return out;
}

int
main(void)
{
	char small[8], buf[16];
	size_t o;

	plan(27);

	/* no variables */
	is_str(stored("plain text"), "plain text", "plain text unchanged");
	is_str(stored("see http://x/?ip=$"), "see http://x/?ip=$",
	    "$ stays: the address");
	is_str(stored("wants some $$$$."), "wants some $$$$.",
	    "$$ stays: a dollar");
	is_str(answer("wants some $$$$. $", "192.0.2.4"),
	    "wants some $$. 192.0.2.4", "answered: $$ a dollar, $ the address");
	is_str(stored("costs $5"), "costs $$5",
	    "an undefined $5 stays \"$5\": escaped in the stored form");
	is_str(answer("costs $5", "192.0.2.4"), "costs $5",
	    "answered: an undefined variable as written");
	is_str(stored("=opt out $"), "opt out $",
	    "a leading = is dropped without a base template too");
	is_str(stored("x$"), "x$", "a final $ is the address");
	is_str(answer("$x$", "10.0.0.1"), "10.0.0.1x10.0.0.1",
	    "$ before a letter and at the end");

	/* variables: rbldnsd's man page example */
	vars[1] = "See http://www.example.com/bl";
	vars[2] = "for details";
	is_str(answer("$1/spammer/$ $2", "127.0.0.2"),
	    "See http://www.example.com/bl/spammer/127.0.0.2 for details",
	    "$1 and $2 substituted, $ the address");
	vars[3] = "costs $5 and $";
	is_str(stored("[$3]"), "[costs $$5 and $$]",
	    "a variable's text is literal: its $ escaped");
	is_str(answer("[$3]", "192.0.2.1"), "[costs $5 and $]",
	    "answered: a variable's $ stays a dollar (as in rbldnsd)");

	/* the base template, the dump seen from rbldnsd */
	vars[TXTSUB_BASE] = "base[$=]($) $1 $$";
	is_str(answer("zero", "10.0.0.6"),
	    "base[zero](10.0.0.6) See http://www.example.com/bl $",
	    "$= is the entry's text inside the base template");
	is_str(answer("first $", "10.0.0.1"),
	    "base[first $](10.0.0.1) See http://www.example.com/bl $",
	    "the entry's text is literal inside the base template");
	is_str(answer("", "10.0.0.3"),
	    "base[10.0.0.3](10.0.0.3) See http://www.example.com/bl $",
	    "an entry without text: $= is the address");
	is_str(answer("r$1z", "10.0.0.5"),
	    "base[r$1z](10.0.0.5) See http://www.example.com/bl $",
	    "a variable inside the entry's text is not expanded in $=");
	is_str(answer("=optout $ $= $1 x$$", "10.0.0.2"),
	    "optout 10.0.0.2 optout $ $= $1 x$$ See http://www.example.com/bl "
	    "x$", "= opts out; $= is then the text itself, literal");
	ok(!adjacent, "no blank needed so far");

	/* the address right before "$", a digit or "=" */
	vars[TXTSUB_BASE] = "[$=$1]";
	vars[1] = "$x";
	is_str(stored(""), "[$ $$x]", "a blank between the address and $$");
	ok(adjacent, "... reported");
	vars[TXTSUB_BASE] = "[$=9]";
	is_str(stored(""), "[$ 9]", "a blank between the address and a digit");
	vars[TXTSUB_BASE] = "[$=$=]";
	is_str(answer("", "192.0.2.1"), "[192.0.2.1 192.0.2.1]",
	    "a blank between the address twice");

	/* limits */
	vars[TXTSUB_BASE] = NULL;
	ok(txtsub_resolve("12345678", NULL, small, sizeof(small), NULL) == -1,
	    "too long for the buffer: -1");
	ok(txtsub_resolve("1234567", NULL, small, sizeof(small), NULL) == 7 &&
	    strcmp(small, "1234567") == 0, "just fits");
	o = 0;
	txtsub_expand("a$b", 3, "192.0.2.100", buf, sizeof(buf), &o);
	buf[o] = '\0';
	is_str(buf, "a192.0.2.100b", "expand into a buffer");
	o = 0;
	txtsub_expand("a$b$c", 5, "192.0.2.100", buf, sizeof(buf), &o);
	buf[o] = '\0';
	ok(o == sizeof(buf) - 1 && strncmp(buf, "a192.0.2.100b19", 15) == 0,
	    "expand cuts at the buffer's end");
	o = 0;
	txtsub_expand("$$", 1, "S", buf, sizeof(buf), &o);
	buf[o] = '\0';
	is_str(buf, "S", "expand stops at N: a lone $ is the address");
	return done();
}
