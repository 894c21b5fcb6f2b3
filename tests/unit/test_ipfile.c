/* SPDX-License-Identifier: ISC */
/*
 * test_ipfile.c -- the rbldnsd data file reader and the export writer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "addr.h"
#include "ipfile.h"
#include "store_list.h"
#include "util.h"
#include "../tap.h"

/* Everything one read of a file produced, as text lines. */
static char out[16384];		/* entries and errors, one a line */
static char warns[4096];	/* warnings, one a line */
static int nentries, nerrors;
static unsigned rflags;		/* ipfile_open() flags of readall() */
static time_t rnow;		/* its time, 0 for the real one */
static int show_notxt;		/* show() marks entries without TXT */

static void
collect_warn(void *arg, const char *msg)
{
	(void)arg;
	strncat(warns, msg, sizeof(warns) - strlen(warns) - 2);
	strcat(warns, "\n");
}

static void
append(const char *s)
{
	strncat(out, s, sizeof(out) - strlen(out) - 2);
	strcat(out, "\n");
}

/* One entry as "LINE PREFIX[!] code=A txt=TXT[ meta]". */
static void
show(const struct ipfile_entry *e)
{
	char line[2048], pfx[ADDR_STRLEN + 300];

	if (e->dname != NULL)
		snprintf(pfx, sizeof(pfx), "%s%s", e->wild ? "*." : "",
		    e->dname);
	else
		addr_format(&e->prefix, pfx, sizeof(pfx));
	snprintf(line, sizeof(line), "%d %s%s code=%u.%u.%u.%u txt=%s", e->line,
	    e->exclude ? "!" : "", pfx, e->code >> 24, (e->code >> 16) & 255,
	    (e->code >> 8) & 255, e->code & 255, e->txt);
	if (e->added || e->expires || e->actor) {
		size_t n = strlen(line);

		snprintf(line + n, sizeof(line) - n, " [%lld %lld %s]",
		    (long long)e->added, (long long)e->expires,
		    e->actor ? e->actor : "-");
	}
	if (show_notxt && e->notxt)
		strcat(line, " notxt");
	append(line);
}

/* A temporary file holding the N bytes of S, at offset 0; -1 on failure. */
static int
tmpfd(const void *s, size_t n)
{
	FILE *fp;
	int fd;

	if ((fp = tmpfile()) == NULL)
		return -1;
	if (fwrite(s, 1, n, fp) != n || fflush(fp) != 0 ||
	    (fd = dup(fileno(fp))) == -1) {
		fclose(fp);
		return -1;
	}
	fclose(fp);
	if (lseek(fd, 0, SEEK_SET) == -1) {
		(void)close(fd);
		return -1;
	}
	return fd;
}

/*
 * Read the entries of the lines of the N bytes of S that start in
 * [start, end) (ipfile_range(); 0 and 0: all); entries and errors go on
 * at the end of out, warnings of warns.
 */
static const char *
readrange(const void *s, size_t n, off_t start, off_t end)
{
	struct ipfile_entry e;
	struct ipfile *f;
	char err[512];
	int fd, r;

	if ((fd = tmpfd(s, n)) == -1)
		return "cannot make a temporary file";
	f = ipfile_open(fd, "t.txt", rflags, rnow ? rnow : time(NULL),
	    collect_warn, NULL);
	(void)close(fd);
	if (f == NULL)
		return "ipfile_open failed";
	ipfile_range(f, start, end);
	while ((r = ipfile_next(f, &e, err, sizeof(err))) != 0) {
		if (r == 1) {
			nentries++;
			show(&e);
		} else {
			nerrors++;
			append(err);
		}
	}
	ipfile_close(f);
	return out;
}

/* Read the N bytes of S; entries and errors go to out, warnings to warns. */
static const char *
readbytes(const void *s, size_t n)
{
	out[0] = warns[0] = '\0';
	nentries = nerrors = 0;
	return readrange(s, n, 0, 0);
}

/* Read the text s. */
static const char *
readall(const char *s)
{
	return readbytes(s, strlen(s));
}

static void
test_forms(void)
{
	is_str(readall("192.0.2.1\n"),
	    "1 192.0.2.1 code=0.0.0.0 txt=\n", "single address");
	is_str(readall("192.0.2.0/24\n10.0.0.0/8\n128.0.0.0/1\n"),
	    "1 192.0.2.0/24 code=0.0.0.0 txt=\n"
	    "2 10.0.0.0/8 code=0.0.0.0 txt=\n"
	    "3 128.0.0.0/1 code=0.0.0.0 txt=\n", "CIDR");
	is_str(readall("10/8\n10.1\n10.1.2\n127.16/12\n"),
	    "1 10.0.0.0/8 code=0.0.0.0 txt=\n"
	    "2 10.1.0.0/16 code=0.0.0.0 txt=\n"
	    "3 10.1.2.0/24 code=0.0.0.0 txt=\n"
	    "4 127.16.0.0/12 code=0.0.0.0 txt=\n",
	    "abbreviated prefixes: /8 /16 /24, with a length");
	is_str(readall("10.1.2.3-9\n"),
	    "1 10.1.2.3 code=0.0.0.0 txt=\n"
	    "1 10.1.2.4/30 code=0.0.0.0 txt=\n"
	    "1 10.1.2.8/31 code=0.0.0.0 txt=\n",
	    "last-octet range");
	is_str(readall("10.1.2.0-10.1.3.255 :3:r\n"),
	    "1 10.1.2.0/23 code=127.0.0.3 txt=r\n", "range that is one CIDR");
	is_str(readall("192.0.2.5-192.0.2.20\n"),
	    "1 192.0.2.5 code=0.0.0.0 txt=\n"
	    "1 192.0.2.6/31 code=0.0.0.0 txt=\n"
	    "1 192.0.2.8/29 code=0.0.0.0 txt=\n"
	    "1 192.0.2.16/30 code=0.0.0.0 txt=\n"
	    "1 192.0.2.20 code=0.0.0.0 txt=\n", "full range split");
	is_str(readall("127.16-31\n10-11\n"),
	    "1 127.16.0.0/12 code=0.0.0.0 txt=\n"
	    "2 10.0.0.0/7 code=0.0.0.0 txt=\n",
	    "prefix ranges (rbldnsd: last boundary filled with 255)");
	is_str(readall("!192.0.2.5\n! 192.0.2.0/28\n"),
	    "1 !192.0.2.5 code=0.0.0.0 txt=\n"
	    "2 !192.0.2.0/28 code=0.0.0.0 txt=\n", "exclusions");
	is_str(readall("2001:db8::/32\n2001:db8::1\n!2001:db8::bead\n::1\n"
	    "2001:db8:1:2\n2001:db8:c000/36 :5:six\n2001:DB8::2/127\n"),
	    "1 2001:db8::/32 code=0.0.0.0 txt=\n"
	    "2 2001:db8::1 code=0.0.0.0 txt=\n"
	    "3 !2001:db8::bead code=0.0.0.0 txt=\n"
	    "4 ::1 code=0.0.0.0 txt=\n"
	    "5 2001:db8:1:2::/64 code=0.0.0.0 txt=\n"
	    "6 2001:db8:c000::/36 code=127.0.0.5 txt=six\n"
	    "7 2001:db8::2/127 code=0.0.0.0 txt=\n",
	    "IPv6: CIDR, single, exclusion, ::1, short prefixes");
	is_str(readall("  192.0.2.1   # comment\n192.0.2.2;c\n# x\n; y\n\n"
	    "\t\n"),
	    "1 192.0.2.1 code=0.0.0.0 txt=\n"
	    "2 192.0.2.2 code=0.0.0.0 txt=\n", "comments and blank lines");
	is_int(strlen(warns), 0, "no warnings so far");
}

static void
test_values(void)
{
	is_str(readall("192.0.2.1 :127.0.0.3:Listed: see $\n"
	    "192.0.2.2 :4:four\n"
	    "192.0.2.3:5:five\n"
	    "192.0.2.4 :127.6:six\n"
	    "192.0.2.5 :7:\n"
	    "192.0.2.6 ::no A here\n"
	    "192.0.2.7 plain text # kept\n"
	    "192.0.2.8 :9 :  spaced\n"),
	    "1 192.0.2.1 code=127.0.0.3 txt=Listed: see $\n"
	    "2 192.0.2.2 code=127.0.0.4 txt=four\n"
	    "3 192.0.2.3 code=127.0.0.5 txt=five\n"
	    "4 192.0.2.4 code=127.0.0.6 txt=six\n"
	    "5 192.0.2.5 code=127.0.0.7 txt=\n"
	    "6 192.0.2.6 code=0.0.0.0 txt=no A here\n"
	    "7 192.0.2.7 code=0.0.0.0 txt=plain text # kept\n"
	    "8 192.0.2.8 code=127.0.0.9 txt=spaced\n", "value forms");
	is_str(readall("192.0.2.1\n:3:default text\n192.0.2.2\n"
	    "192.0.2.3 own\n192.0.2.4 :5\n192.0.2.5 :6:\n::7:x\n"
	    ":8\n192.0.2.6\n!192.0.2.7\n"),
	    "1 192.0.2.1 code=0.0.0.0 txt=\n"
	    "3 192.0.2.2 code=127.0.0.3 txt=default text\n"
	    "4 192.0.2.3 code=127.0.0.3 txt=own\n"
	    "5 192.0.2.4 code=127.0.0.5 txt=default text\n"
	    "6 192.0.2.5 code=127.0.0.6 txt=\n"
	    "t.txt:7: bad A value \"x\"\n"
	    "9 192.0.2.6 code=127.0.0.8 txt=\n"
	    "10 !192.0.2.7 code=0.0.0.0 txt=\n",
	    "default value lines; \"::\" starts an IPv6 address");
	is_str(readall("!192.0.2.1 :3:x\n"),
	    "1 !192.0.2.1 code=0.0.0.0 txt=\n", "exclusion value dropped");
	is_str(warns, "t.txt:1: value of an exclusion ignored: \":3:x\"\n",
	    "... with a warning");
}

static void
test_warnings(void)
{
	is_str(readall("192.0.2.1\n10.1.2.3/24\n$SOA 1h a b 0 1 2 3 4\n"
	    "$TTL 300\n#$NS 1h ns\n$1\n192.0.2.1 :3:again\n"),
	    "1 192.0.2.1 code=0.0.0.0 txt=\n",
	    "entries around warnings");
	is_str(warns,
	    "t.txt:2: entry skipped: host bits set in \"10.1.2.3/24\", as "
	    "rbldnsd skips it (--accept-host-bits: list 10.1.2.0/24)\n"
	    "t.txt:3: $SOA ignored: zone settings come from rdnsbld.conf\n"
	    "t.txt:4: $TTL ignored: zone settings come from rdnsbld.conf\n"
	    "t.txt:5: $NS ignored: zone settings come from rdnsbld.conf\n"
	    "t.txt:6: $1 ignored: a substitution variable is \"$1 text\"\n"
	    "t.txt:7: duplicate entry 192.0.2.1 (first at line 1): skipped, "
	    "the first line counts, as in rbldnsd\n",
	    "warnings with line numbers");
}

static void
test_subst(void)
{
	char big[1100];

	/* rbldnsd: a variable is the dataset's, wherever it is defined */
	is_str(readall("192.0.2.1 see $1/$\n$1 http://bl.example\n"
	    "#$1 http://other.example\n:3:default $2 $\n192.0.2.2\n"
	    ";$2 two $ dollars $$\n192.0.2.3 :4:\n192.0.2.4 =no $1\n"
	    "192.0.2.5 costs $5 and $$1\n"),
	    "1 192.0.2.1 code=0.0.0.0 txt=see http://bl.example/$\n"
	    "5 192.0.2.2 code=127.0.0.3 txt=default two $$ dollars $$$$ $\n"
	    "7 192.0.2.3 code=127.0.0.4 txt=\n"
	    "8 192.0.2.4 code=127.0.0.3 txt=no http://bl.example\n"
	    "9 192.0.2.5 code=127.0.0.3 txt=costs $$5 and $$1\n",
	    "variables resolved, also those defined below; $ and $$ stay");
	is_str(warns, "t.txt:3: $1 ignored: defined before, at line 2 (the "
	    "first definition counts, as in rbldnsd)\n",
	    "a second definition is a warning; the first counts");
	is_str(readall(":$= [$=] see http://bl.example/?$\n"
	    ":3:listed\n192.0.2.1\n192.0.2.2 :4:\n192.0.2.3 own $ text\n"
	    "192.0.2.4 =plain $\n!192.0.2.5\n"),
	    "3 192.0.2.1 code=127.0.0.3 txt=[listed] see http://bl.example/?$\n"
	    "4 192.0.2.2 code=127.0.0.4 txt=[$] see http://bl.example/?$\n"
	    "5 192.0.2.3 code=127.0.0.3 txt=[own $$ text] see "
	    "http://bl.example/?$\n"
	    "6 192.0.2.4 code=127.0.0.3 txt=plain $\n"
	    "7 !192.0.2.5 code=0.0.0.0 txt=\n",
	    "the base template: the entry's text (or default, or the address) "
	    "in $=, = opts out, none on an exclusion");
	is_str(warns, "", "... without a warning");
	is_str(readall("$= $=$1\n$1 9\n192.0.2.1\n192.0.2.2 x\n"),
	    "3 192.0.2.1 code=0.0.0.0 txt=$ 9\n"
	    "4 192.0.2.2 code=0.0.0.0 txt=x9\n",
	    "the address before a digit: a blank between");
	is_str(warns, "t.txt:3: TXT puts the listed address right before "
	    "\"$\", a digit or \"=\", which the stored text cannot hold: a "
	    "blank goes between\n", "... with a warning");
	memset(big, 'x', 1000);
	memcpy(big, "$1 ", 3);
	memcpy(big + 1000, "\n192.0.2.1 $1$1\n", 17);
	is_str(readall(big), "t.txt:2: TXT longer than 1024 bytes after its $ "
	    "substitutions\n", "TXT over 1024 bytes after substitution");
}

static void
test_guards(void)
{
	/* what rbldnsd skips is skipped, with a warning naming the line */
	is_str(readall("0/0\n!0.0.0.0/0 :3:x\n0.0.0.0-255.255.255.255\n"
	    "::/0\n#@ actor=bob\n11.1.2.3/24 :3:x\n2001:db8::1/32\n"
	    "192.0.2.1\n"),
	    "8 192.0.2.1 code=0.0.0.0 txt=\n", "0/0 and host bits: skipped");
	is_str(warns,
	    "t.txt:1: entry skipped: \"0/0\" lists every IPv4 address\n"
	    "t.txt:2: entry skipped: \"0.0.0.0/0\" lists every IPv4 address\n"
	    "t.txt:3: entry skipped: \"0.0.0.0-255.255.255.255\" lists every "
	    "IPv4 address\n"
	    "t.txt:4: entry skipped: \"::/0\" lists every IPv6 address\n"
	    "t.txt:6: entry skipped: host bits set in \"11.1.2.3/24\", as "
	    "rbldnsd skips it (--accept-host-bits: list 11.1.2.0/24)\n"
	    "t.txt:7: entry skipped: host bits set in \"2001:db8::1/32\", as "
	    "rbldnsd skips it (--accept-host-bits: list 2001:db8::/32)\n",
	    "... each with its line; the #@ line goes with its entry");
	rflags = IPFILE_HOST_BITS;
	is_str(readall("0/0\n11.1.2.3/24 :3:x\n!2001:db8::1/32\n"),
	    "2 11.1.2.0/24 code=127.0.0.3 txt=x\n"
	    "3 !2001:db8::/32 code=0.0.0.0 txt=\n",
	    "IPFILE_HOST_BITS: host bits masked, 0/0 still skipped");
	is_str(warns,
	    "t.txt:1: entry skipped: \"0/0\" lists every IPv4 address\n"
	    "t.txt:2: host bits set in \"11.1.2.3/24\", using 11.1.2.0/24\n"
	    "t.txt:3: host bits set in \"2001:db8::1/32\", using "
	    "2001:db8::/32\n", "... with a warning");
	rflags = 0;

	/* $MAXRANGE4: from its line on, lowered but never raised */
	is_str(readall("10.0.0.0/8\n$MAXRANGE4 /24\n10.1.0.0/23\n"
	    "10.2.0.0/24\n10.3.0.0-10.3.1.0\n10.3.0.0-10.3.0.255\n"
	    "!10.4.0.0/16\n2001:db8::/32\n$MAXRANGE4 512\n10.5.0.0/23\n"
	    "$maxrange4 2\n10.6.0.0/31\n10.6.0.4/30\n$MAXRANGE4 x\n"
	    "$MAXRANGE4 /33\n10.7.0.0/30\n"),
	    "1 10.0.0.0/8 code=0.0.0.0 txt=\n"
	    "4 10.2.0.0/24 code=0.0.0.0 txt=\n"
	    "6 10.3.0.0/24 code=0.0.0.0 txt=\n"
	    "8 2001:db8::/32 code=0.0.0.0 txt=\n"
	    "12 10.6.0.0/31 code=0.0.0.0 txt=\n",
	    "$MAXRANGE4: entries over the limit skipped");
	is_str(warns,
	    "t.txt:3: entry skipped: \"10.1.0.0/23\" covers 512 addresses, "
	    "more than $MAXRANGE4 256\n"
	    "t.txt:5: entry skipped: \"10.3.0.0-10.3.1.0\" covers 257 "
	    "addresses, more than $MAXRANGE4 256\n"
	    "t.txt:7: entry skipped: \"10.4.0.0/16\" covers 65536 addresses, "
	    "more than $MAXRANGE4 256\n"
	    "t.txt:9: $MAXRANGE4 ignored: it may only be lowered, from 256 to "
	    "512 (as in rbldnsd)\n"
	    "t.txt:10: entry skipped: \"10.5.0.0/23\" covers 512 addresses, "
	    "more than $MAXRANGE4 256\n"
	    "t.txt:13: entry skipped: \"10.6.0.4/30\" covers 4 addresses, more "
	    "than $MAXRANGE4 2\n"
	    "t.txt:14: $MAXRANGE4 ignored: expected a number of addresses "
	    "(1-4294967296) or /LEN (1-32)\n"
	    "t.txt:15: $MAXRANGE4 ignored: expected a number of addresses "
	    "(1-4294967296) or /LEN (1-32)\n"
	    "t.txt:16: entry skipped: \"10.7.0.0/30\" covers 4 addresses, more "
	    "than $MAXRANGE4 2\n", "... with their lines");

	/* $TIMESTAMP, at 2026-01-01T00:00:00Z */
	rnow = 1767225600;
	is_str(readall("192.0.2.1\n$TIMESTAMP 2025:12:31 +2d\n"
	    "#@ expires=1767200000\n192.0.2.2\n#@ expires=1800000000\n"
	    "192.0.2.3\n#$TIMESTAMP 20251231 2026-03-01-12-30-15\n"),
	    "1 192.0.2.1 code=0.0.0.0 txt= [0 1767312000 -]\n"
	    "4 192.0.2.2 code=0.0.0.0 txt= [0 1767200000 -]\n"
	    "6 192.0.2.3 code=0.0.0.0 txt= [0 1767312000 -]\n",
	    "$TIMESTAMP: every entry expires at the earliest expiry, or its "
	    "own earlier one");
	is_str(warns, "", "... without a warning");
	is_str(readall("$TIMESTAMP 2024:02:29 2026:03:01:12:30:15\n"
	    "192.0.2.1\n$TIMESTAMP 0 -\n$TIMESTAMP - +1d\n"
	    "$TIMESTAMP 2025:02:29\n$TIMESTAMP 2025:01:01 soon\n"),
	    "2 192.0.2.1 code=0.0.0.0 txt= [0 1772368215 -]\n",
	    "$TIMESTAMP: an absolute expiry; no date, no expiry");
	is_str(warns,
	    "t.txt:4: $TIMESTAMP ignored: expected \"$TIMESTAMP "
	    "yyyy:mm:dd[:hh[:mi[:ss]]] [expires or +duration]\"\n"
	    "t.txt:5: $TIMESTAMP ignored: expected \"$TIMESTAMP "
	    "yyyy:mm:dd[:hh[:mi[:ss]]] [expires or +duration]\"\n"
	    "t.txt:6: $TIMESTAMP ignored: expected \"$TIMESTAMP "
	    "yyyy:mm:dd[:hh[:mi[:ss]]] [expires or +duration]\"\n",
	    "a bad $TIMESTAMP is a warning, as in rbldnsd");
	is_str(readall("192.0.2.1\n$TIMESTAMP 2026:01:02\n"
	    "$TIMESTAMP 2025:01:01 2025:12:31:23:59:59\n"
	    "$TIMESTAMP 2025:12:01 +1m\n"),
	    "1 192.0.2.1 code=0.0.0.0 txt= [0 1764547260 -]\n"
	    "t.txt:2: $TIMESTAMP: the data is dated 2026-01-02T00:00:00Z, in the "
	    "future (now 2026-01-01T00:00:00Z): the file is refused, as rbldnsd "
	    "refuses it\n"
	    "t.txt:3: $TIMESTAMP: the data expired at 2025-12-31T23:59:59Z: the "
	    "file is refused\n"
	    "t.txt:4: $TIMESTAMP: the data expired at 2025-12-01T00:01:00Z: the "
	    "file is refused\n",
	    "$TIMESTAMP in the future, or expired: errors");
	rnow = 0;
}

/*
 * A file read in two parts split at any line, by two readers that each
 * read their range (ipfile_range()), gives what one reader of the whole
 * gives: the entries, errors and warnings in order, with their lines,
 * the defaults, "$" lines and "#@" metadata from before the split, and
 * an unusual A value warned about once.
 */
static void
test_range(void)
{
	static const char text[] =
	    "# a feed\n"
	    "$1 one\n"
	    ":127.0.0.2:Listed $ ($1)\n"
	    "10.0.0.1\n"
	    "10.0.0.2 :3:value of $1\n"
	    "#@ added=1700000000 actor=alice\n"
	    "10.0.0.3\n"
	    "\n"
	    "  :127.0.0.5:second default\n"
	    "10.0.0.0-10.0.0.9\n"
	    "10.3.0.1 :127.0.1.2:unusual\n"
	    "$MAXRANGE4 /16\n"
	    "10.0.0.0/8\n"
	    "11.1.2.3/24\n"
	    "not an entry\n"
	    "10.3.0.2:127.0.1.2:again\n"
	    "!10.0.0.5\n"
	    "#@ expires=1800000000\n"
	    "10.4.0.1\n"
	    "2001:db8::/32 :4:six\n"
	    "#@ actor=bob\n";
	char full[sizeof(out)], fullw[sizeof(warns)], why[64] = "";
	size_t n = sizeof(text) - 1, i;
	int splits = 0, bad = 0;

	rnow = 1750000000;
	readall(text);
	str_copy(full, out, sizeof(full));
	str_copy(fullw, warns, sizeof(fullw));
	for (i = 0; i <= n; i++) {
		if (i == 0 || text[i - 1] != '\n')
			continue;	/* on a line's start; end 0 is none */
		out[0] = warns[0] = '\0';
		readrange(text, n, 0, (off_t)i);
		readrange(text, n, (off_t)i, 0);
		splits++;
		if ((strcmp(out, full) != 0 || strcmp(warns, fullw) != 0) &&
		    bad++ == 0)
			snprintf(why, sizeof(why), " (first at byte %zu)", i);
	}
	rnow = 0;
	ok(bad == 0 && splits == 21 && strstr(full, "bad entry") != NULL &&
	    strstr(fullw, "127.0.1.2 is outside") != NULL &&
	    strstr(fullw, "than $MAXRANGE4") != NULL &&
	    strstr(fullw, "not followed") != NULL, "a file split at each of its "
	    "%d line starts reads as the whole: %d differ%s", splits, bad,
	    why);
}

static void
test_duplicates(void)
{
	is_str(readall("192.0.2.9 :3:first\n!192.0.2.9\n192.0.2.9 :4:third\n"
	    "10.0.0.2/31 :5:\n10.0.0.1-10.0.0.4 :6:\n2001:db8::/48 six\n"
	    "2001:db8::/47\n2001:db8::/48 again\n2001:db8:1::/48\n"),
	    "1 192.0.2.9 code=127.0.0.3 txt=first\n"
	    "4 10.0.0.2/31 code=127.0.0.5 txt=\n"
	    "5 10.0.0.1 code=127.0.0.6 txt=\n"
	    "5 10.0.0.4 code=127.0.0.6 txt=\n"
	    "6 2001:db8::/48 code=0.0.0.0 txt=six\n"
	    "7 2001:db8::/47 code=0.0.0.0 txt=\n"
	    "9 2001:db8:1::/48 code=0.0.0.0 txt=\n",
	    "duplicates: the first line counts (rbldnsd's ip4trie/ip6trie)");
	is_str(warns,
	    "t.txt:2: duplicate entry 192.0.2.9 (first at line 1): skipped, "
	    "the first line counts, as in rbldnsd\n"
	    "t.txt:3: duplicate entry 192.0.2.9 (first at line 1): skipped, "
	    "the first line counts, as in rbldnsd\n"
	    "t.txt:5: duplicate entry 10.0.0.2/31 (first at line 4): skipped, "
	    "the first line counts, as in rbldnsd\n"
	    "t.txt:8: duplicate entry 2001:db8::/48 (first at line 6): "
	    "skipped, the first line counts, as in rbldnsd\n",
	    "... each with both lines; one CIDR of a range alone");
}

/* dnset files: names, their forms, bad names, duplicates. */
static void
test_dnset(void)
{
	char longlabel[200], want[300];

	rflags = IPFILE_DOMAINS;
	is_str(readall("Example.COM\n*.wild.test :4:w $\n.both.test. :5:\n"
	    "! x.wild.test :6:dropped\n:3:dflt\nplain.test some text\n"
	    "bad:2:x\n\n$MAXRANGE4 /8\n"),
	    "1 example.com code=0.0.0.0 txt=\n"
	    "2 *.wild.test code=127.0.0.4 txt=w $\n"
	    "3 both.test code=127.0.0.5 txt=\n"
	    "3 *.both.test code=127.0.0.5 txt=\n"
	    "4 !x.wild.test code=0.0.0.0 txt=\n"
	    "6 plain.test code=127.0.0.3 txt=some text\n"
	    "t.txt:7: bad domain name \"bad:2:x\": a value goes after a "
	    "blank (name :A:TXT)\n",
	    "dnset: name, *.name, .name (both), !name, lower case, no final "
	    "dot, values after a blank");
	is_str(warns, "t.txt:4: value of an exclusion ignored: "
	    "\":6:dropped\"\n", "... an exclusion's value dropped with a "
	    "warning");
	memset(longlabel, 'a', 64);
	strcpy(longlabel + 64, ".test\n");
	is_str(readall("a..b\n.\n*.\nx\\065.test\n"),
	    "t.txt:1: bad domain name \"a..b\": an empty label\n"
	    "t.txt:2: bad domain name \"\": no name\n"
	    "t.txt:3: bad domain name \"\": no name\n"
	    "t.txt:4: bad domain name \"x\\134065.test\": escapes are not "
	    "read\n", "dnset: bad names are errors");
	snprintf(want, sizeof(want), "t.txt:1: bad domain name \"%.69s\": a "
	    "label longer than 63 bytes\n", longlabel);
	is_str(readall(longlabel), want, "dnset: a label of 64 bytes");
	is_str(readall("a.test :2:x\nA.test :3:y\n.a.test\n!*.a.test\n"),
	    "1 a.test code=127.0.0.2 txt=x\n"
	    "3 *.a.test code=0.0.0.0 txt=\n",
	    "dnset: of two lines for one name the first counts");
	is_str(warns,
	    "t.txt:2: duplicate entry a.test (first at line 1): skipped, the "
	    "first line counts, as in rbldnsd\n"
	    "t.txt:3: duplicate entry a.test (first at line 1): skipped, the "
	    "first line counts, as in rbldnsd\n"
	    "t.txt:4: duplicate entry *.a.test (first at line 3): skipped, "
	    "the first line counts, as in rbldnsd\n", "... with a warning each");
	rflags = 0;
}

/* Which entries have no TXT, as rbldnsd answers them. */
static void
test_notxt(void)
{
	show_notxt = 1;
	is_str(readall("192.0.2.1\n192.0.2.2 :2:\n192.0.2.3 :2\n"
	    "192.0.2.4 text\n!192.0.2.5\n:3:dflt\n192.0.2.6\n192.0.2.7 :4:\n"
	    "#@ txt=default\n192.0.2.8 :5:\n"),
	    "1 192.0.2.1 code=0.0.0.0 txt= notxt\n"
	    "2 192.0.2.2 code=127.0.0.2 txt= notxt\n"
	    "3 192.0.2.3 code=127.0.0.2 txt= notxt\n"
	    "4 192.0.2.4 code=0.0.0.0 txt=text\n"
	    "5 !192.0.2.5 code=0.0.0.0 txt=\n"
	    "7 192.0.2.6 code=127.0.0.3 txt=dflt\n"
	    "8 192.0.2.7 code=127.0.0.4 txt= notxt\n"
	    "10 192.0.2.8 code=127.0.0.5 txt=\n",
	    "no TXT: none given and no default, unless \"#@ txt=default\"");
	is_str(readall("192.0.2.1\n192.0.2.2 :2:\n$= base $=\n"),
	    "1 192.0.2.1 code=0.0.0.0 txt=base $\n"
	    "2 192.0.2.2 code=127.0.0.2 txt=base $\n",
	    "a base template gives every entry a TXT (\"$=\" of none: the "
	    "address)");
	is_str(readall("192.0.2.1\n#@ txt=default\n192.0.2.2\n"
	    "#@ txt=zone\n192.0.2.3\n"),
	    "1 192.0.2.1 code=0.0.0.0 txt= notxt\n"
	    "3 192.0.2.2 code=0.0.0.0 txt=\n"
	    "t.txt:4: bad #@ line: txt can only be \"default\" (the TXT goes "
	    "on the entry line)\n"
	    "5 192.0.2.3 code=0.0.0.0 txt= notxt\n",
	    "\"#@ txt=default\": the zone's default reason, as added by hand");
	show_notxt = 0;
}

/* S compressed with gzip into BUF (LEN bytes); returns the size or 0. */
static size_t
gzip(const char *s, unsigned char *buf, size_t len)
{
	z_stream z;
	size_t n;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	z.next_in = (unsigned char *)(uintptr_t)s;
	z.avail_in = (uInt)strlen(s);
	z.next_out = buf;
	z.avail_out = (uInt)len;
	n = deflate(&z, Z_FINISH) == Z_STREAM_END ? len - z.avail_out : 0;
	(void)deflateEnd(&z);
	return n;
}

static void
test_gzip(void)
{
	static const char text[] = "$1 see http://bl.example/\n"
	    "192.0.2.0/24 :3:$1$\n!192.0.2.7\n2001:db8::/32 six\n"
	    "$TIMESTAMP 2025:12:31 +2d\n";
	unsigned char gz[1024];
	char plain[sizeof(out)];
	size_t n;

	rnow = 1767225600;	/* 2026-01-01 */
	str_copy(plain, readall(text), sizeof(plain));
	ok((n = gzip(text, gz, sizeof(gz))) > 20 && gz[0] == 0x1f &&
	    gz[1] == 0x8b, "a gzip file to read");
	is_str(readbytes(gz, n), plain, "a gzip file reads as the plain one");
	ok(nentries == 3 && strstr(out, "txt=see http://bl.example/$ "
	    "[0 1767312000 -]") != NULL,
	    "... variables and $TIMESTAMP included (read twice)");
	is_str(readbytes(gz, n - 12), "t.txt:4: cannot read on: the gzip "
	    "data ends too early\n", "a truncated gzip file is an error");
	memset(gz + 12, 0xff, 8);
	ok(strncmp(readbytes(gz, n), "t.txt: cannot read on: ", 23) == 0 &&
	    nerrors == 1 && nentries == 0 && strchr(out + 23, '<') == NULL,
	    "a corrupt gzip file is an error, before its first line");
	printf("# %s", out);
	rnow = 0;
	is_str(readbytes("192.0.2.1\n192.0.2.2\0x\n192.0.2.3\n", 32),
	    "1 192.0.2.1 code=0.0.0.0 txt=\n"
	    "t.txt:2: NUL byte in line\n"
	    "3 192.0.2.3 code=0.0.0.0 txt=\n",
	    "a NUL byte in a plain file is still an error");
}

/* Append to b (at *n) a comment line that ends the line at offset end. */
static void
filler(char *b, size_t *n, size_t end)
{
	b[(*n)++] = '#';
	while (*n < end - 1)
		b[(*n)++] = 'x';
	b[(*n)++] = '\n';
}

/*
 * Lines read across the reader's 64 kB reads: one that a read cuts, a
 * comment line longer than the buffer, a NUL byte just after a cut, a
 * last line without its newline, in a plain and a gzip file.
 */
static void
test_buffer(void)
{
	static const char want[] =
	    "2 192.0.2.1 code=0.0.0.0 txt=\n"
	    "4 192.0.2.2 code=127.0.0.3 txt=a\n"
	    "t.txt:6: NUL byte in line\n"
	    "7 192.0.2.3 code=0.0.0.0 txt=\n"
	    "8 192.0.2.4 code=0.0.0.0 txt=\n";
	const size_t cut = 65536;
	char *b = xmalloc(8 * cut);
	unsigned char *gz = xmalloc(8 * cut);
	char wline[256];
	size_t n = 0, zn, i;

	filler(b, &n, cut - 4);
	n += (size_t)sprintf(b + n, "192.0.2.1\n");		/* over the cut */
	filler(b, &n, n + 3 * cut);			/* longer than a read */
	n += (size_t)sprintf(b + n, "192.0.2.2 :127.0.0.3:a\n");
	filler(b, &n, 6 * cut - 5);
	memcpy(b + n, "10.\0x\n", 6);		/* its NUL before the cut */
	n += 6;
	n += (size_t)sprintf(b + n, "192.0.2.3\n192.0.2.4");	/* no newline */
	is_str(readbytes(b, n), want, "lines across reads of the buffer");
	n += (size_t)sprintf(b + n, "\n  \t");	/* blanks, no newline */
	is_str(readbytes(b, n), want, "a last line of blanks");

	/* a line inside the long one; "10.0", no NUL: gzip() takes a string */
	memcpy(b + 3 * cut, "\n192.0.2.5\n#", 12);
	memcpy(b + 6 * cut - 2, "0 ", 2);
	ok((zn = gzip(b, gz, 8 * cut)) > 0, "a long gzip file");
	is_str(readbytes(gz, zn),
	    "2 192.0.2.1 code=0.0.0.0 txt=\n"
	    "4 192.0.2.5 code=0.0.0.0 txt=\n"
	    "6 192.0.2.2 code=127.0.0.3 txt=a\n"
	    "8 10.0.0.0/16 code=0.0.0.0 txt=\n"
	    "9 192.0.2.3 code=0.0.0.0 txt=\n"
	    "10 192.0.2.4 code=0.0.0.0 txt=\n",
	    "the same lines through gzip");

	/* the first pass counts the lines it passes over whole */
	n = 0;
	filler(b, &n, cut - 4);
	n += (size_t)sprintf(b + n, "192.0.2.1\n");
	filler(b, &n, n + 2 * cut);
	n += (size_t)sprintf(b + n, "$1 one\n");
	filler(b, &n, n + cut);
	n += (size_t)sprintf(b + n, "$1 two\n192.0.2.2 :127.0.0.2:$1\n");
	is_str(readbytes(b, n), "2 192.0.2.1 code=0.0.0.0 txt=\n"
	    "7 192.0.2.2 code=127.0.0.2 txt=one\n",
	    "a variable defined past the first read");
	is_str(warns, "t.txt:6: $1 ignored: defined before, at line 4 (the "
	    "first definition counts, as in rbldnsd)\n",
	    "... and the line of its first definition");
	/* comment lines of 2 to 17 bytes: a newline at every offset mod 8 */
	for (n = 0, i = 0; n < 2 * cut; i++) {
		b[n++] = '#';
		memset(b + n, 'x', i % 16);
		n += i % 16;
		b[n++] = '\n';
	}
	n += (size_t)sprintf(b + n, "$1 one\n$1 two\n");
	snprintf(wline, sizeof(wline), "t.txt:%zu: $1 ignored: defined before, "
	    "at line %zu (the first definition counts, as in rbldnsd)\n",
	    i + 2, i + 1);
	(void)readbytes(b, n);
	is_str(warns, wline, "the lines passed over are all counted");
	free(b);
	free(gz);
}

static void
test_errors(void)
{
	char big[1200 + 64];

	is_str(readall("192.0.2.256\n192.0.2.1/33\n192.0.2.9-3\n"
	    "192.0.2.1 :127.0.0.1:x\n192.0.2.1 :0.2:x\nhello world\n"
	    "10\n192.0.2.1 :3 junk\n2001:db8::1::2\n2001::/129\n"
	    "192.0.2.1x\n10.1.2-10.1.2.3\n192.0.2.200\n"),
	    "t.txt:1: bad entry \"192.0.2.256\"\n"
	    "t.txt:2: bad prefix length in \"192.0.2.1/33\" (0-32)\n"
	    "t.txt:3: bad range \"192.0.2.9-3\": start after end\n"
	    "t.txt:4: A value 127.0.0.1 not allowed: it is the RFC 5782 test "
	    "address, which is never listed\n"
	    "t.txt:5: A value 0.0.0.2 out of range: not in 127.0.0.0/8\n"
	    "t.txt:6: bad entry \"hello world\"\n"
	    "t.txt:7: bad entry \"10\": a bare number is not an address "
	    "(write N.0.0.0/8)\n"
	    "t.txt:8: bad value \"junk\": expected :A:TXT\n"
	    "t.txt:9: bad entry \"2001:db8::1::2\": two \"::\"\n"
	    "t.txt:10: bad prefix length in \"2001::/129\" (0-128)\n"
	    "t.txt:11: bad entry \"192.0.2.1x\"\n"
	    "t.txt:12: bad entry \"10.1.2-10.1.2.3\": the two ends of a range "
	    "have different numbers of octets\n"
	    "13 192.0.2.200 code=0.0.0.0 txt=\n",
	    "errors with line numbers; reading goes on");
	is_int(nerrors, 12, "12 errors");
	is_int(nentries, 1, "then the good line");
	is_str(readall(":127.0.1.2:d\n192.0.2.1\n192.0.2.2 :127.0.1.2:x\n"
	    "192.0.2.3 :127.255.255.254:y\n192.0.2.4 :127.0.0.0:z\n"
	    "192.0.2.5 :127.0.0.255:\n192.0.2.6 :254:\n"),
	    "2 192.0.2.1 code=127.0.1.2 txt=d\n"
	    "3 192.0.2.2 code=127.0.1.2 txt=x\n"
	    "4 192.0.2.3 code=127.255.255.254 txt=y\n"
	    "5 192.0.2.4 code=127.0.0.0 txt=z\n"
	    "6 192.0.2.5 code=127.0.0.255 txt=\n"
	    "7 192.0.2.6 code=127.0.0.254 txt=\n",
	    "any A value in 127.0.0.0/8 but 127.0.0.1 is accepted");
	is_str(warns,
	    "t.txt:1: A value 127.0.1.2 is outside 127.0.0.2-127.0.0.254: "
	    "clients may read it as a list's error code (later lines with it "
	    "are not reported)\n"
	    "t.txt:4: A value 127.255.255.254 is outside 127.0.0.2-127.0.0.254: "
	    "clients may read it as a list's error code (later lines with it "
	    "are not reported)\n"
	    "t.txt:5: A value 127.0.0.0 is outside 127.0.0.2-127.0.0.254: "
	    "clients may read it as a list's error code (later lines with it "
	    "are not reported)\n"
	    "t.txt:6: A value 127.0.0.255 is outside 127.0.0.2-127.0.0.254: "
	    "clients may read it as a list's error code (later lines with it "
	    "are not reported)\n",
	    "an unusual A value: a warning with its line, once a value");
	is_str(readall("192.0.2.1 : 9:x\n"),
	    "t.txt:1: bad A value: expected a number after \":\"\n",
	    "a blank before the A value is an error (as in rbldnsd)");
	is_str(readall("bad\001\"line\n"),
	    "t.txt:1: bad entry \"bad\\001\"line\"\n",
	    "untrusted text is escaped");

	memset(big, 'x', sizeof(big));
	memcpy(big, "192.0.2.1 :2:", 13);
	big[13 + 1025] = '\n';
	big[13 + 1026] = '\0';
	is_str(readall(big), "t.txt:1: TXT longer than 1024 bytes\n",
	    "TXT over 1024 bytes");
	big[13 + 1024] = '\n';
	big[13 + 1025] = '\0';
	readall(big);
	is_int(nentries, 1, "TXT of 1024 bytes is fine");
}

static void
test_crlf_meta(void)
{
	is_str(readall("192.0.2.1 :3:dos\r\n192.0.2.2\r\n\r\n# c\r\n"),
	    "1 192.0.2.1 code=127.0.0.3 txt=dos\n"
	    "2 192.0.2.2 code=0.0.0.0 txt=\n", "CRLF line ends");
	is_str(readall("#@ added=1700000000 expires=1700003600 actor=alice\n"
	    "192.0.2.1 :3:x\n192.0.2.2\n"
	    "#@ actor=bob\n# comment between\n10.0.0.1-2\n"
	    "#@ added=5\n"),
	    "2 192.0.2.1 code=127.0.0.3 txt=x [1700000000 1700003600 alice]\n"
	    "3 192.0.2.2 code=0.0.0.0 txt=\n"
	    "6 10.0.0.1 code=0.0.0.0 txt= [0 0 bob]\n"
	    "6 10.0.0.2 code=0.0.0.0 txt= [0 0 bob]\n",
	    "#@ metadata applies to the next entry only");
	is_str(warns, "t.txt:7: #@ metadata not followed by an entry, "
	    "ignored\n", "unused #@ is a warning");
	is_str(readall("#@ added=x\n192.0.2.1\n#@ who=me\n#@ actor\n"
	    "#@ added=1 added=2\n#@\n#@ code=3\n"),
	    "t.txt:1: bad #@ line: added \"x\": not a number\n"
	    "2 192.0.2.1 code=0.0.0.0 txt=\n"
	    "t.txt:3: bad #@ line: unknown key \"who\"\n"
	    "t.txt:4: bad #@ line: \"actor\" is not key=value\n"
	    "t.txt:5: bad #@ line: \"added\" given twice\n"
	    "t.txt:6: bad #@ line: no key=value\n"
	    "t.txt:7: bad #@ line: code can only be 0 (the A value goes on "
	    "the entry line)\n", "bad #@ lines are errors");
	is_str(readall("#@ scope=all\n192.0.2.2\n"),
	    "t.txt:1: bad #@ line: scope can only be self (a self-service "
	    "delisting's exemption)\n"
	    "2 192.0.2.2 code=0.0.0.0 txt=\n",
	    "scope other than self: an error");
}

static struct store_entry
mk(const char *pfx, uint32_t flags, uint32_t code, int64_t added,
    int64_t expires, const char *actor, const char *reason)
{
	struct store_entry e;
	char err[128];

	memset(&e, 0, sizeof(e));
	if (addr_parse(pfx, 0, &e.prefix, err, sizeof(err)) == -1)
		fprintf(stderr, "mk: %s\n", err);
	e.flags = flags;
	e.code = code;
	e.added = added;
	e.expires = expires;
	e.actor = actor;
	e.actor_len = strlen(actor);
	e.reason = reason;
	e.reason_len = strlen(reason);
	return e;
}

static void
test_roundtrip(void)
{
	struct store_entry in[9];
	struct ipfile_entry e;
	struct ipfile *f;
	char *buf = NULL, err[512];
	size_t len = 0, i, n = sizeof(in) / sizeof(in[0]);
	FILE *fp;
	int fd, r, same = 0, got = 0;

	in[0] = mk("192.0.2.1", 0, 0x7f000002, 1700000000, 0, "alice", "");
	in[1] = mk("192.0.2.0/24", 0, 0x7f000003, 1700000001, 1700009999,
	    "bob", "spam: see https://example.org/?$");
	in[2] = mk("10.0.0.0/8", ENTRY_SELF, 0, 1700000002, 0, "carol",
	    "plain words");
	in[3] = mk("192.0.2.7", ENTRY_EXCLUDE, 0, 1700000003, 0, "dave", "");
	in[4] = mk("2001:db8::/32", 0, 0x7f000004, 1700000004, 1800000000,
	    "eve", "six");
	in[5] = mk("2001:db8::1", ENTRY_EXCLUDE, 0, 1700000005, 0, "fay", "");
	in[6] = mk("::ffff:192.0.2.1", 0, 0, 1700000006, 0, "gus", "#42 tkt");
	in[7] = mk("198.51.100.0/25", 0, 0, 1700000007, 0, "hal", ";semi");
	in[8] = mk("203.0.113.9", 0, 0x7f00000a, 1700000008, 0, "ivy",
	    "line\none\ttab");

	fp = open_memstream(&buf, &len);
	ipfile_write_header(fp, "black", LIST_KIND_IP, 1700000000);
	for (i = 0; i < n; i++)
		ipfile_write_entry(fp, &in[i]);
	fclose(fp);
	ok(strncmp(buf, "# rdnsbl export of the black list, "
	    "2023-11-14T22:13:20Z\n# format: ", 64) == 0, "export header");
	ok(strstr(buf, "#@ added=1700000001 expires=1700009999 actor=bob\n"
	    "192.0.2.0/24 :127.0.0.3:spam: see https://example.org/?$\n")
	    != NULL, "entry with metadata and value");
	ok(strstr(buf, "\n10.0.0.0/8 plain words\n") != NULL,
	    "code 0 with a reason: plain TXT");
	ok(strstr(buf, "actor=carol scope=self\n10.0.0.0/8 ") != NULL,
	    "a self-service exemption: scope=self");
	ok(strstr(buf, "actor=gus code=0\n::ffff:c000:201 :127.0.0.2:#42 tkt\n")
	    != NULL, "code 0, TXT starting with #: code=0 marker");
	ok(strstr(buf, "\n!192.0.2.7\n") != NULL &&
	    strstr(buf, "\n192.0.2.1 :127.0.0.2:\n") != NULL,
	    "exclusion; full-length prefix without /32");
	ok(strstr(buf, "203.0.113.9 :127.0.0.10:line one\ttab\n") != NULL,
	    "a line end becomes a space; a tab stays, as rbldnsd reads it");

	fd = tmpfd(buf, len);
	f = fd != -1 ? ipfile_open(fd, "rt", 0, time(NULL), collect_warn,
	    NULL) : NULL;
	if (fd != -1)
		(void)close(fd);
	warns[0] = '\0';
	while ((r = ipfile_next(f, &e, err, sizeof(err))) != 0) {
		const char *want;

		if (r == -1) {
			printf("# %s\n", err);
			continue;
		}
		if ((size_t)got >= n)
			break;
		want = in[got].reason;
		if (got == 8)
			want = "line one\ttab";
		if (in[got].flags & ENTRY_EXCLUDE)
			want = "";
		if (addr_equal(&e.prefix, &in[got].prefix) &&
		    e.exclude == !!(in[got].flags & ENTRY_EXCLUDE) &&
		    e.code == in[got].code && e.added == in[got].added &&
		    e.expires == in[got].expires && e.actor != NULL &&
		    e.self == !!(in[got].flags & ENTRY_SELF) &&
		    strcmp(e.actor, in[got].actor) == 0 &&
		    strcmp(e.txt, want) == 0)
			same++;
		else
			printf("# entry %d differs (line %d, txt \"%s\")\n",
			    got, e.line, e.txt);
		got++;
	}
	ipfile_close(f);
	is_int(got, (int)n, "round trip: as many entries");
	is_int(same, (int)n, "round trip: every field equal");
	is_str(warns, "", "round trip: no warnings");
	free(buf);
}

/* A million lines read (the time is printed, not asserted: bench/ measures). */
static void
test_speed(void)
{
	struct ipfile_entry e;
	struct ipfile *f;
	struct timespec t0, t1;
	char err[256];
	FILE *fp;
	double secs;
	long i, n = 0;

	fp = tmpfile();
	for (i = 0; i < 1000000; i++)
		fprintf(fp, "10.%ld.%ld.%ld :3:spam source\n", (i >> 16) & 255,
		    (i >> 8) & 255, i & 255);
	fflush(fp);
	rewind(fp);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	f = ipfile_open(fileno(fp), "big", 0, time(NULL), NULL, NULL);
	while (f != NULL && ipfile_next(f, &e, err, sizeof(err)) == 1)
		n++;
	ipfile_close(f);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fclose(fp);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("# 1000000 lines in %.3f s\n", secs);
	is_int(n, 1000000, "a million lines read");
}

int
main(void)
{
	plan(85);
	test_forms();
	test_values();
	test_warnings();
	test_subst();
	test_guards();
	test_gzip();
	test_buffer();
	test_range();
	test_duplicates();
	test_dnset();
	test_notxt();
	test_errors();
	test_crlf_meta();
	test_roundtrip();
	test_speed();
	return done();
}
