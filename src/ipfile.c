/* SPDX-License-Identifier: ISC */
/*
 * ipfile.c -- rbldnsd ip4set / ip4trie / ip6trie and dnset data files:
 * the reader for "rdnsblctl import" (the writer is ipfile_write.c).
 *
 * The reader follows rbldnsd's own parser (ip4parse.c, ip6addr.c,
 * parse_a_txt()) so that a file means the same to both programs, with
 * these differences: a line rbldnsd cannot read is an error here, which
 * refuses the file (nothing is dropped quietly); the entries rbldnsd
 * skips on purpose (host bits set, over $MAXRANGE4) are skipped with a
 * warning, as is 0/0; "$" lines other than the TXT substitution
 * variables, $MAXRANGE4 and $TIMESTAMP are reported as ignored.
 * doc/rbldnsd-format.md has the user's view.
 *
 * Input goes through zlib, which reads gzip-compressed files and plain
 * ones alike (as rbldnsd does). Speed: one read buffer and one line
 * buffer are reused for every line; the only other allocations are the
 * default-TXT buffer (grown on default lines), the substitution
 * variables and the duplicate table (doubled as it fills).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "ipfile.h"
#include "addr.h"
#include "reason.h"
#include "store_list.h"
#include "txtsub.h"
#include "util.h"

#define RANGE_MAX	64	/* CIDRs of one IPv4 range: at most 62 */
#define RBUF_SIZE	65536	/* bytes read at a time */
#define A_LOOPBACK	0x7f000000u
#define CODES_WARNED	16	/* unusual A values reported once each */
#define DUP_PRESIZE_MAX	(1 << 25)	/* slots of the duplicate table */

#define ISSPACE(c)	((c) == ' ' || (c) == '\t')
#define ISCOMMENT(c)	((c) == '#' || (c) == ';')
#define ISDIGIT(c)	((c) >= '0' && (c) <= '9')
#define SKIPSPACE(s)	while (ISSPACE(*(s))) (s)++

/*
 * One slot of the duplicate table, 0 when free: an IPv4 prefix is its
 * own key (DUP_V4 | len << 32 | address); an IPv6 prefix has a hash for
 * key and its place in the table of IPv6 prefixes, to compare them whole;
 * a domain name (IPFILE_DOMAINS) a hash and its place in the table of
 * names.
 */
struct dupslot {
	uint64_t	 key;
	int		 line;
	uint32_t	 ix;	/* in dup6 or dupname */
};
#define DUP_V4		(1ULL << 63)

struct ipfile {
	gzFile		 gz;		/* plain or gzip, read the same */
	char		*rbuf;		/* what gzread() gave, rcap bytes */
	size_t		 rcap;
	size_t		 rpos;		/* the next line's start */
	size_t		 rlen;
	size_t		 nul;		/* the first NUL byte from rpos on, or
					   SIZE_MAX: none in rbuf (skip_to) */
	int		 eof;		/* gzread() has given all */
	int		 done;		/* a read error: no more lines */
	char		*name;
	ipfile_warn_fn	*warn;
	void		*arg;

	char		*line;		/* the current line, in rbuf */
	int		 line_nul;	/* it holds a NUL byte */
	int		 lineno;
	off_t		 roff;		/* the file's offset of rbuf[0] */
	off_t		 line_off;	/* of the current line */
	off_t		 start, end;	/* ipfile_range(); end 0: none */
	int		 skipping;	/* a line before start */

	uint32_t	 dcode;		/* default value from ":A:TXT" */
	char		*dtxt;
	size_t		 dtxtsz;
	unsigned	 dgen;		/* counts the ":A:TXT" lines */

	unsigned	 flags;		/* IPFILE_* */
	time_t		 now;
	uint64_t	 maxrange;	/* $MAXRANGE4 in addresses, 0: none */
	int64_t		 expires;	/* earliest $TIMESTAMP expiry, 0: none */

	int		 scanned;	/* the variables were read */
	char		*vars[TXTSUB_NVARS];	/* "$0"-"$9", "$=" */
	int		 varline[TXTSUB_NVARS];
	char		 txt[IPFILE_TXT_MAX + 1];	/* an entry's resolved TXT */
	/*
	 * The TXT that txt was resolved from, and whether it put the address
	 * before a digit: a feed's lines mostly have the same (the default),
	 * and the variables do not change once scanned.
	 */
	char		 txt_in[IPFILE_TXT_MAX + 1];
	size_t		 txt_inlen;
	int		 txt_memo;	/* txt_in holds it */
	int		 txt_adjacent;
	unsigned	 txt_dgen;	/* it is the default of dgen, or 0 */

	uint32_t	 warned[CODES_WARNED];	/* unusual A values reported */
	size_t		 nwarned;

	int		 meta_line;	/* pending "#@" line, 0 if none */
	int64_t		 meta_added;
	int64_t		 meta_expires;
	int		 meta_code0;
	int		 meta_txtdefault;
	int		 meta_self;
	int		 meta_has_actor;
	char		 meta_actor[IPFILE_ACTOR_MAX + 1];

	struct ipfile_entry cur;	/* the line, when it has more CIDRs */
	int		 fresh;		/* the caller's entry holds the line */
	struct addr	 cidr[RANGE_MAX];
	size_t		 ncidr;		/* CIDRs, or names: 1, 2 for ".name" */
	size_t		 icidr;
	char		 dname[STORE_DNAME_MAX + 1];	/* a name entry's */
	int		 dwild;		/* "*.name" */

	struct dupslot	*dup;		/* open addressing, power of 2 */
	size_t		 dupsz;
	size_t		 dupn;
	struct addr	*dup6;		/* the IPv6 prefixes seen */
	size_t		 dup6n;
	size_t		 dup6sz;
	char		**dupname;	/* the names seen, '=' or '*' first */
	size_t		 dupnamen;
	size_t		 dupnamesz;
};

static void ipf_warn(struct ipfile *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static int ipf_err(struct ipfile *, char *, size_t, const char *, ...)
    __attribute__((format(printf, 4, 5)));

struct ipfile *
ipfile_open(int fd, const char *name, unsigned flags, time_t now,
    ipfile_warn_fn *warn, void *arg)
{
	struct ipfile *f;
	struct stat st;
	gzFile gz;
	int dfd;

	if ((dfd = dup(fd)) == -1)
		return NULL;
	if ((gz = gzdopen(dfd, "rb")) == NULL) {
		(void)close(dfd);
		errno = ENOMEM;
		return NULL;
	}
	(void)gzbuffer(gz, RBUF_SIZE);	/* fails only after a read */
	f = xcalloc(1, sizeof(*f));
	/*
	 * The duplicate table at its final size for a file of short lines
	 * (about 10 bytes or more each: one entry, at most half the table), so that it is
	 * not grown and rehashed over and over on the way.
	 */
	if (!(flags & IPFILE_NODUPS) && fstat(fd, &st) == 0 &&
	    st.st_size > 0) {
		f->dupsz = 1024;
		while (f->dupsz < DUP_PRESIZE_MAX &&
		    (off_t)f->dupsz < st.st_size / 5)
			f->dupsz *= 2;
		f->dup = xcalloc(f->dupsz, sizeof(*f->dup));
	}
	f->gz = gz;
	f->rcap = 2 * RBUF_SIZE;
	f->rbuf = xmalloc(f->rcap);
	f->nul = SIZE_MAX;
	f->flags = flags;
	f->now = now;
	f->name = xstrdup(name);
	f->warn = warn;
	f->arg = arg;
	f->dtxtsz = 64;
	f->dtxt = xcalloc(1, f->dtxtsz);
	f->dgen = 1;
	return f;
}

void
ipfile_range(struct ipfile *f, off_t start, off_t end)
{
	f->start = start;
	f->end = end;
}

void
ipfile_close(struct ipfile *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < TXTSUB_NVARS; i++)
		free(f->vars[i]);
	(void)gzclose(f->gz);	/* reading: nothing to flush */
	free(f->rbuf);
	free(f->name);
	free(f->dtxt);
	free(f->dup);
	free(f->dup6);
	for (i = 0; i < f->dupnamen; i++)
		free(f->dupname[i]);
	free(f->dupname);
	free(f);
}

/* Report a warning for line LINE through the caller's callback. */
static void
ipf_warn(struct ipfile *f, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	if (f->warn == NULL || f->skipping)
		return;
	n = snprintf(msg, sizeof(msg), "%s:%d: ", f->name, line);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	(void)vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	f->warn(f->arg, msg);
}

/* Put "name:line: message" for the current line in errbuf; returns -1. */
static int
ipf_err(struct ipfile *f, char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (errlen == 0)
		return -1;
	/* line 0: a read error before the first line */
	if (f->lineno == 0)
		n = snprintf(errbuf, errlen, "%s: ", f->name);
	else
		n = snprintf(errbuf, errlen, "%s:%d: ", f->name, f->lineno);
	if (n < 0 || (size_t)n >= errlen)
		return -1;
	va_start(ap, fmt);
	(void)vsnprintf(errbuf + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Escape untrusted text for a message, cut at 80 bytes. */
static const char *
esc(char *dst, size_t dstlen, const char *s)
{
	size_t n = strlen(s);

	return str_escape(dst, dstlen, s, n > 80 ? 80 : n);
}

/* The reader's error text: zlib's, or the system's for an I/O error. */
static const char *
read_error(struct ipfile *f)
{
	const char *s, *p;
	int errnum;

	s = gzerror(f->gz, &errnum);
	if (errnum == Z_ERRNO)
		return strerror(errno);
	if (errnum == Z_BUF_ERROR)
		return "the gzip data ends too early";
	/* "<fd:5>: invalid block type": the file is named already */
	if (s[0] == '<' && (p = strstr(s, ": ")) != NULL)
		s = p + 2;
	return s;
}

/*
 * Read on into the buffer, keeping what it holds from rpos on (the start
 * of a line) at its front: 0, or -2 on a read error (read_error). At the
 * end of the file, f->eof is set. A NUL byte read is noted in f->nul.
 */
static int
fill(struct ipfile *f)
{
	const char *z;
	size_t have = f->rlen - f->rpos;
	int r, errnum;

	if (f->rpos > 0) {
		memmove(f->rbuf, f->rbuf + f->rpos, have);
		if (f->nul != SIZE_MAX)
			f->nul -= f->rpos;
		f->roff += (off_t)f->rpos;
		f->rpos = 0;
		f->rlen = have;
	}
	if (f->rlen + RBUF_SIZE + 1 > f->rcap) {
		f->rcap *= 2;
		f->rbuf = xreallocarray(f->rbuf, f->rcap, 1);
	}
	if ((r = gzread(f->gz, f->rbuf + f->rlen, RBUF_SIZE)) < 0)
		return -2;
	if (r == 0) {
		(void)gzerror(f->gz, &errnum);
		if (errnum != Z_OK)
			return -2;
		f->eof = 1;
		return 0;
	}
	if (f->nul == SIZE_MAX &&
	    (z = memchr(f->rbuf + f->rlen, '\0', (size_t)r)) != NULL)
		f->nul = (size_t)(z - f->rbuf);
	f->rlen += (size_t)r;
	f->rbuf[f->rlen] = '\0';	/* ends a last line's blanks */
	return 0;
}

/* Move rpos on to pos, a line's start, past lines not read one by one. */
static void
skip_to(struct ipfile *f, size_t pos)
{
	const char *z;

	f->rpos = pos;
	if (f->nul < pos) {
		z = memchr(f->rbuf + pos, '\0', f->rlen - pos);
		f->nul = z != NULL ? (size_t)(z - f->rbuf) : SIZE_MAX;
	}
}

/*
 * The next line: f->line, in the read buffer (no copy), with its "\n" if
 * it has one, and room for a NUL byte after it in place of the "\n" or
 * at the end; f->line_nul tells whether it holds a NUL byte (refused by
 * the caller), which one search of each read finds. Returns its length,
 * -1 at the end of the file, or -2 on a read error (read_error).
 */
static ssize_t
read_line(struct ipfile *f)
{
	char *p, *nl;
	size_t have, n;

	for (;;) {
		p = f->rbuf + f->rpos;
		have = f->rlen - f->rpos;
		if ((nl = memchr(p, '\n', have)) != NULL ||
		    (f->eof && have > 0))
			break;
		if (f->eof)
			return -1;
		if (fill(f) == -2)
			return -2;
	}
	n = nl != NULL ? (size_t)(nl - p) + 1 : have;
	f->line = p;
	f->line_off = f->roff + (off_t)f->rpos;
	f->line_nul = f->nul < f->rpos + n;
	skip_to(f, f->rpos + n);
	return (ssize_t)n;
}

/*
 * Parse an IPv4 prefix of 1-4 decimal octets (rbldnsd ip4prefix()):
 * "10" is 10.0.0.0 with 8 bits, "10.1.2.3" has 32. Returns the bits, or
 * -1. *sp is left after the prefix.
 */
static int
v4_prefix(const char **sp, uint32_t *ap)
{
	const char *s = *sp;
	uint32_t a = 0, o;
	int n;

	for (n = 0; n < 4; n++) {
		if (n > 0) {
			if (*s != '.' || !ISDIGIT(s[1]))
				break;
			s++;
		}
		if (!ISDIGIT(*s))
			return -1;
		o = 0;
		while (ISDIGIT(*s)) {
			o = o * 10 + (uint32_t)(*s++ - '0');
			if (o > 255)
				return -1;
		}
		a |= o << (24 - 8 * n);
	}
	*sp = s;
	*ap = a;
	return n * 8;
}

/* *x: the IPv4 prefix a/bits. */
static void
v4_addr(struct addr *x, uint32_t a, int bits)
{
	memset(x, 0, sizeof(*x));
	x->af = ADDR_V4;
	x->a[0] = (uint8_t)(a >> 24);
	x->a[1] = (uint8_t)(a >> 16);
	x->a[2] = (uint8_t)(a >> 8);
	x->a[3] = (uint8_t)a;
	x->len = (uint8_t)bits;
}

/* A prefix length "/N" at *sp, 0-max; returns it or -1. */
static int
parse_len(const char **sp, int max)
{
	const char *s = *sp + 1;
	int len = 0;

	if (!ISDIGIT(*s))
		return -1;
	while (ISDIGIT(*s)) {
		len = len * 10 + (*s++ - '0');
		if (len > max)
			return -1;
	}
	*sp = s;
	return len;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parse an IPv6 prefix the way rbldnsd's ip6prefix() does: "::" stands
 * for the missing groups (128 bits); without "::", N groups are a prefix
 * of N*16 bits ("2001:db8:1:2" is 2001:db8:1:2::/64). A single group is
 * not an address. Returns the bits, or -1 with a reason in *why.
 */
static int
v6_prefix(const char **sp, uint8_t out[16], const char **why)
{
	const char *s = *sp;
	uint16_t g[8];
	int n = 0, z = -1, i, d;

	*why = NULL;
	memset(out, 0, 16);
	if (s[0] == ':' && s[1] == ':') {
		z = 0;
		s += 2;
		if (hexval((unsigned char)*s) < 0)
			goto done;
	}
	for (;;) {
		unsigned v = 0;

		for (d = 0; hexval((unsigned char)*s) >= 0; d++, s++) {
			if (d == 4) {
				*why = "more than 4 hex digits in a group";
				return -1;
			}
			v = v << 4 | (unsigned)hexval((unsigned char)*s);
		}
		g[n++] = (uint16_t)v;
		if (*s != ':' || n == 8)
			break;
		if (s[1] == ':') {
			if (z >= 0) {
				*why = "two \"::\"";
				return -1;
			}
			z = n;
			s += 2;
			if (hexval((unsigned char)*s) < 0)
				break;
		} else if (hexval((unsigned char)s[1]) >= 0)
			s++;
		else
			break;	/* a ":" that starts the value */
	}
done:
	if (z >= 0) {
		if (n > 7) {
			*why = "\"::\" with 8 groups";
			return -1;
		}
		for (i = 0; i < z; i++) {
			out[2 * i] = (uint8_t)(g[i] >> 8);
			out[2 * i + 1] = (uint8_t)g[i];
		}
		for (i = z; i < n; i++) {
			int j = 8 - (n - i);

			out[2 * j] = (uint8_t)(g[i] >> 8);
			out[2 * j + 1] = (uint8_t)g[i];
		}
		*sp = s;
		return 128;
	}
	for (i = 0; i < n; i++) {
		out[2 * i] = (uint8_t)(g[i] >> 8);
		out[2 * i + 1] = (uint8_t)g[i];
	}
	*sp = s;
	return n * 16;
}

/*
 * Warn about an A value outside the usual range, once for each value (a
 * feed writes the same value on thousands of lines); past CODES_WARNED
 * values every line is reported.
 */
static void
warn_code(struct ipfile *f, uint32_t a)
{
	size_t i;
	int once = f->nwarned < CODES_WARNED;

	for (i = 0; i < f->nwarned; i++)
		if (f->warned[i] == a)
			return;
	if (once)
		f->warned[f->nwarned++] = a;
	ipf_warn(f, f->lineno, "A value %u.%u.%u.%u is outside %s: clients "
	    "may read it as a list's error code%s", a >> 24,
	    (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff, REASON_CODE_USUAL,
	    once ? " (later lines with it are not reported)" : "");
}

/*
 * An A value as rbldnsd reads it (inet_aton style, ip4addr()): "2" is
 * 127.0.0.2, "127.2" is 127.0.0.2, "0.2" is 0.0.0.2. Any value in
 * 127.0.0.0/8 but 127.0.0.1 (the RFC 5782 test address, never listed);
 * one outside 127.0.0.2-127.0.0.254 gets a warning.
 */
static int
parse_a(struct ipfile *f, const char **sp, uint32_t *out, char *errbuf,
    size_t errlen)
{
	const char *s = *sp;
	char shown[128], tok[32];
	uint32_t a;
	size_t n;
	int bits;

	if ((bits = v4_prefix(&s, &a)) < 0 ||
	    (*s != '\0' && *s != ':' && !ISSPACE(*s))) {
		n = strcspn(*sp, ": \t");
		if (n > sizeof(tok) - 1)
			n = sizeof(tok) - 1;
		memcpy(tok, *sp, n);
		tok[n] = '\0';
		if (n == 0)
			return ipf_err(f, errbuf, errlen, "bad A value: "
			    "expected a number after \":\"");
		return ipf_err(f, errbuf, errlen, "bad A value \"%s\"",
		    esc(shown, sizeof(shown), tok));
	}
	switch (bits) {
	case 8:
		a = (a >> 24) | A_LOOPBACK;
		break;
	case 16:
		a = (a & 0xff000000u) | ((a >> 16) & 0xff);
		break;
	case 24:
		a = (a & 0xffff0000u) | ((a >> 8) & 0xff);
		break;
	}
	switch (reason_code_class(a)) {
	case CODE_BAD:
		if (a == (A_LOOPBACK | 1))
			return ipf_err(f, errbuf, errlen, "A value 127.0.0.1 "
			    "not allowed: it is the RFC 5782 test address, "
			    "which is never listed");
		return ipf_err(f, errbuf, errlen, "A value %u.%u.%u.%u out "
		    "of range: not in 127.0.0.0/8", a >> 24,
		    (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	case CODE_UNUSUAL:
		warn_code(f, a);
		break;
	case CODE_OK:
		break;
	}
	*sp = s;
	*out = a;
	return 0;
}

/*
 * The value after an entry (or after the ":" of a default line), as
 * rbldnsd's parse_a_txt(): ":A:TXT", ":A:" (no TXT), ":A" (default TXT),
 * or plain TXT with the default A. Also "::TXT" (default A), which
 * rbldnsd rejects. S is at the first character of the value.
 */
static int
parse_value(struct ipfile *f, const char *s, int deflt, uint32_t *code,
    const char **txt, char *errbuf, size_t errlen)
{
	char shown[128];

	SKIPSPACE(s);
	*code = f->dcode;
	*txt = f->dtxt;
	if (*s == '\0' || (!deflt && ISCOMMENT(*s)))
		return 0;
	if (*s == ':') {
		s++;
		if (*s == ':' && !deflt)
			s++;
		else {
			if (parse_a(f, &s, code, errbuf, errlen) == -1)
				return -1;
			SKIPSPACE(s);
			if (*s == '\0') {
				if (deflt)
					*txt = "";
				return 0;
			}
			if (*s != ':')
				return ipf_err(f, errbuf, errlen, "bad value "
				    "\"%s\": expected :A:TXT",
				    esc(shown, sizeof(shown), s));
			s++;
		}
		SKIPSPACE(s);
	}
	if (strlen(s) > IPFILE_TXT_MAX)
		return ipf_err(f, errbuf, errlen, "TXT longer than %d bytes",
		    IPFILE_TXT_MAX);
	*txt = s;
	return 0;
}

/* A default-value line ":A:TXT". */
static int
parse_default(struct ipfile *f, const char *s, char *errbuf, size_t errlen)
{
	const char *txt;
	uint32_t code;
	size_t n;

	if (parse_value(f, s, 1, &code, &txt, errbuf, errlen) == -1)
		return -1;
	n = strlen(txt) + 1;
	if (n > f->dtxtsz) {
		f->dtxt = xreallocarray(f->dtxt, n, 1);
		f->dtxtsz = n;
	}
	memmove(f->dtxt, txt, n);
	f->dcode = code;
	f->dgen++;
	return 0;
}

/* A "#@ key=value ..." line: metadata for the next entry. */
static int
parse_meta(struct ipfile *f, char *s, char *errbuf, size_t errlen)
{
	char shown[128];
	const char *errstr;
	uint64_t v;
	int seen = 0, bit;

	if (f->meta_line != 0)
		ipf_warn(f, f->meta_line, "#@ metadata not followed by an "
		    "entry, ignored");
	f->meta_line = 0;
	f->meta_added = f->meta_expires = 0;
	f->meta_code0 = f->meta_has_actor = f->meta_txtdefault = 0;
	f->meta_self = 0;
	for (;;) {
		char *key, *val;

		SKIPSPACE(s);
		if (*s == '\0')
			break;
		key = s;
		while (*s != '\0' && *s != '=' && !ISSPACE(*s))
			s++;
		if (*s != '=') {
			*s = '\0';
			return ipf_err(f, errbuf, errlen, "bad #@ line: "
			    "\"%s\" is not key=value",
			    esc(shown, sizeof(shown), key));
		}
		*s++ = '\0';
		val = s;
		while (*s != '\0' && !ISSPACE(*s))
			s++;
		if (*s != '\0')
			*s++ = '\0';
		if (strcmp(key, "added") == 0)
			bit = 1;
		else if (strcmp(key, "expires") == 0)
			bit = 2;
		else if (strcmp(key, "actor") == 0)
			bit = 4;
		else if (strcmp(key, "code") == 0)
			bit = 8;
		else if (strcmp(key, "txt") == 0)
			bit = 16;
		else if (strcmp(key, "scope") == 0)
			bit = 32;
		else
			return ipf_err(f, errbuf, errlen, "bad #@ line: "
			    "unknown key \"%s\"",
			    esc(shown, sizeof(shown), key));
		if (seen & bit)
			return ipf_err(f, errbuf, errlen, "bad #@ line: "
			    "\"%s\" given twice", key);
		seen |= bit;
		switch (bit) {
		case 1:
		case 2:
			if (parse_uint(val, 0, INT64_MAX, &v, &errstr) == -1)
				return ipf_err(f, errbuf, errlen, "bad #@ "
				    "line: %s \"%s\": %s", key,
				    esc(shown, sizeof(shown), val), errstr);
			if (bit == 1)
				f->meta_added = (int64_t)v;
			else
				f->meta_expires = (int64_t)v;
			break;
		case 4:
			if (*val == '\0' || strlen(val) > IPFILE_ACTOR_MAX)
				return ipf_err(f, errbuf, errlen, "bad #@ "
				    "line: actor must be 1-%d bytes",
				    IPFILE_ACTOR_MAX);
			memcpy(f->meta_actor, val, strlen(val) + 1);
			f->meta_has_actor = 1;
			break;
		case 8:		/* code=0 */
		case 16:	/* txt=default */
			if (strcmp(val, bit == 8 ? "0" : "default") != 0)
				return ipf_err(f, errbuf, errlen, "bad #@ "
				    "line: %s can only be %s (the %s goes on "
				    "the entry line)", key, bit == 8 ? "0" :
				    "\"default\"", bit == 8 ? "A value" : "TXT");
			*(bit == 8 ? &f->meta_code0 : &f->meta_txtdefault) = 1;
			break;
		case 32:	/* scope=self */
			if (strcmp(val, "self") != 0)
				return ipf_err(f, errbuf, errlen, "bad #@ "
				    "line: scope can only be self (a "
				    "self-service delisting's exemption)");
			f->meta_self = 1;
			break;
		}
	}
	if (seen == 0)
		return ipf_err(f, errbuf, errlen, "bad #@ line: no key=value");
	f->meta_line = f->lineno;
	return 0;
}

/* Range splitting: collect the CIDRs in f->cidr. */
static int
add_cidr(const struct addr *a, void *arg)
{
	struct ipfile *f = arg;

	if (f->ncidr == RANGE_MAX)
		return -1;
	f->cidr[f->ncidr++] = *a;
	return 0;
}

/* The key of a prefix in the duplicate table (struct dupslot). */
static uint64_t
prefix_key(const struct addr *a)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	int i;

	if (a->af == ADDR_V4)
		return DUP_V4 | (uint64_t)a->len << 32 |
		    (uint64_t)a->a[0] << 24 | (uint64_t)a->a[1] << 16 |
		    (uint64_t)a->a[2] << 8 | a->a[3];
	h = (h ^ a->len) * 0x100000001b3ULL;
	for (i = 0; i < 16; i++)
		h = (h ^ a->a[i]) * 0x100000001b3ULL;
	h &= ~DUP_V4;
	return h == 0 ? 1 : h;
}

/* Grow the duplicate table when it is half full. */
static void
dup_grow(struct ipfile *f)
{
	struct dupslot *old = f->dup;
	size_t oldsz = f->dupsz, i, j;

	f->dupsz = oldsz ? oldsz * 2 : 1024;
	f->dup = xcalloc(f->dupsz, sizeof(*f->dup));
	for (j = 0; j < oldsz; j++) {
		if (old[j].key == 0)
			continue;
		i = old[j].key & (f->dupsz - 1);
		while (f->dup[i].key != 0)
			i = (i + 1) & (f->dupsz - 1);
		f->dup[i] = old[j];
	}
	free(old);
}

/* The key of a name entry in the duplicate table: KEY is '=' or '*'. */
static uint64_t
name_key(const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 0x100000001b3ULL;
	h &= ~DUP_V4;
	return h == 0 ? 1 : h;
}

/*
 * Whether an entry was already in the file: prefix A, or (A NULL) the
 * name entry KEY ('=' or '*' and the name), of line LINE. rbldnsd's
 * ip4trie and ip6trie keep the first of two equal prefixes ("duplicated
 * entry"), so the later one is skipped, with a warning naming both
 * lines. (An ip4set or a dnset answers both values; the store holds
 * one.)
 */
static int
dup_check(struct ipfile *f, const struct addr *a, const char *key, int line)
{
	char shown[ADDR_STRLEN + STORE_DNAME_MAX];
	uint64_t k = a != NULL ? prefix_key(a) : name_key(key);
	size_t i, mask;

	if (f->dupn * 2 >= f->dupsz)
		dup_grow(f);
	mask = f->dupsz - 1;
	for (i = k & mask; f->dup[i].key != 0; i = (i + 1) & mask) {
		if (f->dup[i].key != k || (a == NULL &&
		    strcmp(f->dupname[f->dup[i].ix], key) != 0) ||
		    (a != NULL && a->af == ADDR_V6 &&
		    !addr_equal(&f->dup6[f->dup[i].ix], a)))
			continue;
		if (a != NULL)
			addr_format(a, shown, sizeof(shown));
		else
			snprintf(shown, sizeof(shown), "%s%s", *key == '*' ?
			    "*." : "", key + 1);
		ipf_warn(f, line, "duplicate entry %s (first at line %d): "
		    "skipped, the first line counts, as in rbldnsd",
		    shown, f->dup[i].line);
		return 1;
	}
	if (a == NULL) {
		if (f->dupnamen == f->dupnamesz) {
			f->dupnamesz = f->dupnamesz ? f->dupnamesz * 2 : 256;
			f->dupname = xreallocarray(f->dupname, f->dupnamesz,
			    sizeof(*f->dupname));
		}
		f->dup[i].ix = (uint32_t)f->dupnamen;
		f->dupname[f->dupnamen++] = xstrdup(key);
	} else if (a->af == ADDR_V6) {
		if (f->dup6n == f->dup6sz) {
			f->dup6sz = f->dup6sz ? f->dup6sz * 2 : 256;
			f->dup6 = xreallocarray(f->dup6, f->dup6sz,
			    sizeof(*f->dup6));
		}
		f->dup[i].ix = (uint32_t)f->dup6n;
		f->dup6[f->dup6n++] = *a;
	}
	f->dup[i].key = k;
	f->dup[i].line = line;
	f->dupn++;
	return 0;
}

/*
 * Hand out the next CIDR of the current line that is not a duplicate,
 * or its next name entry (the name, then "*.name" for ".name"): 1, or 0
 * when the line has none left. The line's entry is in *e already when
 * parse_line() has just put it there (f->fresh), else in f->cur.
 */
static int
next_cidr(struct ipfile *f, struct ipfile_entry *e)
{
	char key[STORE_DNAME_MAX + 2];
	const struct addr *a = NULL;
	int wild = 0;

	while (f->icidr < f->ncidr) {
		if (f->flags & IPFILE_DOMAINS) {
			wild = f->dwild || f->icidr == 1;
			f->icidr++;
			key[0] = wild ? '*' : '=';
			str_copy(key + 1, f->dname, sizeof(key) - 1);
		} else
			a = &f->cidr[f->icidr++];
		if (!(f->flags & IPFILE_NODUPS) &&
		    dup_check(f, a, key, f->lineno))
			continue;
		if (!f->fresh)		/* a later CIDR of the line */
			*e = f->cur;
		f->fresh = 0;
		if (a != NULL)
			e->prefix = *a;
		else {
			e->dname = f->dname;
			e->wild = wild;
		}
		if (f->expires != 0 &&
		    (e->expires == 0 || e->expires > f->expires))
			e->expires = f->expires;
		return 1;
	}
	return 0;
}

/*
 * The stored form of an entry's TXT *TXT (txtsub.h), in f->txt; *TXT
 * then points there.
 */
static int
resolve_txt(struct ipfile *f, const char **txt, char *errbuf, size_t errlen)
{
	size_t n;
	int adjacent = 0;

	if (f->txt_memo && *txt == f->dtxt && f->txt_dgen == f->dgen) {
		adjacent = f->txt_adjacent;	/* the default, unchanged */
		goto done;
	}
	n = strlen(*txt);
	if (f->txt_memo && n == f->txt_inlen &&
	    memcmp(*txt, f->txt_in, n) == 0)
		adjacent = f->txt_adjacent;
	else {
		f->txt_memo = 0;
		if (txtsub_resolve(*txt, f->vars, f->txt, sizeof(f->txt),
		    &adjacent) == -1)
			return ipf_err(f, errbuf, errlen, "TXT longer than %d "
			    "bytes after its $ substitutions", IPFILE_TXT_MAX);
		if (f->scanned && n < sizeof(f->txt_in)) {
			memcpy(f->txt_in, *txt, n);
			f->txt_inlen = n;
			f->txt_adjacent = adjacent;
			f->txt_memo = 1;
		}
	}
	f->txt_dgen = *txt == f->dtxt ? f->dgen : 0;
done:
	if (adjacent)
		ipf_warn(f, f->lineno, "TXT puts the listed address right "
		    "before \"$\", a digit or \"=\", which the stored text "
		    "cannot hold: a blank goes between");
	*txt = f->txt;
	return 0;
}

/* The address or prefix at the start of an entry, for a message. */
static const char *
entry_token(char *dst, size_t dstlen, const char *s)
{
	char tok[128];
	size_t n;

	SKIPSPACE(s);
	n = strcspn(s, " \t#;:");

	/* an IPv6 prefix has colons: up to the first blank or value */
	if (s[n] == ':')
		n = strcspn(s, " \t#;");
	if (n >= sizeof(tok))
		n = sizeof(tok) - 1;
	memcpy(tok, s, n);
	tok[n] = '\0';
	return esc(dst, dstlen, tok);
}

/*
 * Whether the entry at S (after the "!"), prefix LO (M masked, HOSTBITS
 * if they differ), must be skipped as rbldnsd skips it, with a warning:
 * a prefix of length 0 (every address), host bits set (unless
 * IPFILE_HOST_BITS: then masked, with a warning), more IPv4 addresses
 * than $MAXRANGE4 allows (RANGE: the size of a range line, 0 for a
 * prefix). Its "#@" metadata goes with it.
 */
static int
skip_entry(struct ipfile *f, const char *s, const struct addr *lo,
    const struct addr *m, int hostbits, uint64_t range)
{
	char shown[160], pbuf[ADDR_STRLEN];
	uint64_t size;

	if ((range == 0 && lo->len == 0) || range == 1ULL << 32) {
		ipf_warn(f, f->lineno, "entry skipped: \"%s\" lists every "
		    "%s address", entry_token(shown, sizeof(shown), s),
		    lo->af == ADDR_V4 ? "IPv4" : "IPv6");
		goto skip;
	}
	if (range == 0 && hostbits) {
		addr_format(m, pbuf, sizeof(pbuf));
		if (f->flags & IPFILE_HOST_BITS) {
			ipf_warn(f, f->lineno, "host bits set in \"%s\", using "
			    "%s", entry_token(shown, sizeof(shown), s), pbuf);
			return 0;
		}
		ipf_warn(f, f->lineno, "entry skipped: host bits set in "
		    "\"%s\", as rbldnsd skips it (--accept-host-bits: list "
		    "%s)", entry_token(shown, sizeof(shown), s), pbuf);
		goto skip;
	}
	if (lo->af != ADDR_V4 || f->maxrange == 0)
		return 0;
	size = range != 0 ? range : 1ULL << (32 - lo->len);
	if (size > f->maxrange) {
		ipf_warn(f, f->lineno, "entry skipped: \"%s\" covers %llu "
		    "addresses, more than $MAXRANGE4 %llu",
		    entry_token(shown, sizeof(shown), s),
		    (unsigned long long)size, (unsigned long long)f->maxrange);
		goto skip;
	}
	return 0;
skip:
	f->meta_line = 0;
	return 1;
}

/*
 * The value after an entry at S: none for an exclusion (one written is
 * dropped with a warning), else parse_value's, in the stored form.
 */
static int
entry_value(struct ipfile *f, const char *s, int exclude, uint32_t *code,
    const char **txt, char *errbuf, size_t errlen)
{
	char shown[128];

	*code = 0;
	*txt = "";
	if (exclude) {
		SKIPSPACE(s);
		if (*s != '\0' && !ISCOMMENT(*s))
			ipf_warn(f, f->lineno, "value of an exclusion "
			    "ignored: \"%s\"", esc(shown, sizeof(shown), s));
		return 0;
	}
	if (parse_value(f, s, 0, code, txt, errbuf, errlen) == -1)
		return -1;
	return resolve_txt(f, txt, errbuf, errlen);
}

/*
 * The entry of the current line, with its "#@" metadata, into *e (each
 * field on its own: a copy of the whole, read right after these writes,
 * would wait for them).
 */
static void
entry_start(struct ipfile *f, struct ipfile_entry *e, int exclude,
    uint32_t code, const char *txt)
{
	memset(e, 0, sizeof(*e));
	e->exclude = exclude;
	e->code = exclude ? 0 : code;
	e->txt = exclude ? "" : txt;
	e->notxt = !exclude && *txt == '\0';
	e->line = f->lineno;
	if (f->meta_line != 0) {
		if (f->meta_txtdefault)
			e->notxt = 0;
		e->added = f->meta_added;
		e->expires = f->meta_expires;
		if (f->meta_has_actor)
			e->actor = f->meta_actor;
		if (f->meta_code0)
			e->code = 0;
		e->self = f->meta_self;
		f->meta_line = 0;
	}
	f->fresh = 1;
}

/*
 * A dnset entry at S (after the "!" of an exclusion): "name", "*.name"
 * (the names below it) or ".name" (both), and a value after a blank. As
 * in rbldnsd, the name ends at the first blank and is read in any case;
 * a final dot is dropped. Unlike rbldnsd, a name with a ":" or a "\"
 * is an error: it is a value written without the blank before it, or an
 * escape, which rbldnsd would read as part of the name.
 */
static int
parse_name_entry(struct ipfile *f, struct ipfile_entry *e, const char *s,
    int exclude, char *errbuf, size_t errlen)
{
	char shown[128];
	const char *why = NULL, *txt;
	uint32_t code;
	size_t n, i, label = 0;
	int both = 0;

	f->dwild = 0;
	if (s[0] == '*' && s[1] == '.') {
		f->dwild = 1;
		s += 2;
	} else if (s[0] == '.') {
		both = 1;
		s++;
	}
	n = strcspn(s, " \t");
	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0)
		why = "no name";
	else if (n > STORE_DNAME_MAX)
		why = "longer than 253 bytes";
	for (i = 0; i < n && why == NULL; i++) {
		if (s[i] == ':')
			why = "a value goes after a blank (name :A:TXT)";
		else if (s[i] == '\\')
			why = "escapes are not read";
		else if (s[i] == '.' && label == 0)
			why = "an empty label";
		else if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			why = "a control character";
		else if (s[i] != '.' && ++label > 63)
			why = "a label longer than 63 bytes";
		if (s[i] == '.')
			label = 0;
		f->dname[i] = (char)tolower((unsigned char)s[i]);
	}
	if (why != NULL)
		return ipf_err(f, errbuf, errlen, "bad domain name \"%s\": %s",
		    entry_token(shown, sizeof(shown), s), why);
	f->dname[n] = '\0';
	if (entry_value(f, s + strcspn(s, " \t"), exclude, &code, &txt,
	    errbuf, errlen) == -1)
		return -1;
	entry_start(f, e, exclude, code, txt);
	f->ncidr = both ? 2 : 1;
	f->icidr = 0;
	return 1;
}

/* An entry line (after the optional "!"), into *e and f->cidr. */
static int
parse_entry(struct ipfile *f, struct ipfile_entry *e, const char *line,
    char *errbuf, size_t errlen)
{
	char shown[128];
	const char *s = line, *why = NULL, *txt = "";
	struct addr lo, hi, m;
	uint32_t a, am, b, code = 0;
	int exclude = 0, bits, bbits, isrange = 0, len, v6, hostbits;
	size_t i;

	if (*s == '!') {
		exclude = 1;
		s++;
		SKIPSPACE(s);
	}
	if (f->flags & IPFILE_DOMAINS)
		return parse_name_entry(f, e, s, exclude, errbuf, errlen);
	for (i = 0; hexval((unsigned char)s[i]) >= 0; i++)
		;
	v6 = s[i] == ':';
	if (v6) {
		memset(&lo, 0, sizeof(lo));
		lo.af = ADDR_V6;
		if ((bits = v6_prefix(&s, lo.a, &why)) < 0)
			goto bad;
		if (*s == '/') {
			if ((len = parse_len(&s, 128)) < 0)
				return ipf_err(f, errbuf, errlen, "bad prefix "
				    "length in \"%s\" (0-128)",
				    esc(shown, sizeof(shown), line));
			bits = len;
		} else if (bits == 16) {
			why = "a single group is not an address";
			goto bad;
		}
		lo.len = (uint8_t)bits;
	} else {
		lo.af = ADDR_V4;
		if ((bits = v4_prefix(&s, &a)) < 0)
			goto bad;
		if (*s == '-') {
			s++;
			if ((bbits = v4_prefix(&s, &b)) < 0)
				goto bad;
			if (bbits == 8 && bits > 8) {
				/* "10.1.2.3-9": the last given octet */
				b = (b >> (bits - 8)) |
				    (a & ~(0xffffffffu >> (bits - 8)));
				bbits = bits;
			} else if (bbits != bits) {
				why = "the two ends of a range have different "
				    "numbers of octets";
				goto bad;
			}
			if (bbits < 32)
				b |= 0xffffffffu >> bbits;
			if (a > b)
				return ipf_err(f, errbuf, errlen, "bad range "
				    "\"%s\": start after end",
				    esc(shown, sizeof(shown), line));
			isrange = 1;
			bits = 32;
		} else if (*s == '/') {
			if ((len = parse_len(&s, 32)) < 0)
				return ipf_err(f, errbuf, errlen, "bad prefix "
				    "length in \"%s\" (0-32)",
				    esc(shown, sizeof(shown), line));
			bits = len;
		} else if (bits == 8) {
			why = "a bare number is not an address (write "
			    "N.0.0.0/8)";
			goto bad;
		}
		/*
		 * masked on the number, and each built a field at a time:
		 * a copy of the whole, or a memcmp(), read right after such
		 * byte writes waits for them
		 */
		am = bits == 0 ? 0 : a & 0xffffffffu << (32 - bits);
		hostbits = am != a;
		v4_addr(&lo, a, bits);
		v4_addr(&m, am, bits);
	}
	if (v6) {
		m = lo;
		addr_mask(&m);
		hostbits = memcmp(m.a, lo.a, sizeof(m.a)) != 0;
	}
	if (*s != '\0' && !ISSPACE(*s) && !ISCOMMENT(*s) && *s != ':')
		goto bad;
	if (skip_entry(f, line + exclude, &lo, &m, hostbits,
	    isrange ? (uint64_t)b - a + 1 : 0))
		return 0;

	if (entry_value(f, s, exclude, &code, &txt, errbuf, errlen) == -1)
		return -1;

	f->ncidr = f->icidr = 0;
	if (isrange) {
		v4_addr(&hi, b, 32);
		if (addr_range_to_cidrs(&lo, &hi, add_cidr, f) != 0)
			return ipf_err(f, errbuf, errlen, "range \"%s\" "
			    "splits into too many prefixes",
			    esc(shown, sizeof(shown), line));
	} else
		f->cidr[f->ncidr++] = m;	/* IPFILE_HOST_BITS: skip_entry */

	entry_start(f, e, exclude, code, txt);
	return 1;

bad:
	if (why != NULL)
		return ipf_err(f, errbuf, errlen, "bad entry \"%s\": %s",
		    esc(shown, sizeof(shown), line), why);
	return ipf_err(f, errbuf, errlen, "bad entry \"%s\"",
	    esc(shown, sizeof(shown), line));
}

/*
 * Cut the current line, of N bytes, down to its content: no line end, no
 * blanks at either end, NUL-terminated in place. Returns its start, or
 * NULL when it holds a NUL byte.
 */
static char *
trim_line(struct ipfile *f, size_t n)
{
	char *s = f->line, *e;

	if (f->line_nul)
		return NULL;
	e = s + n;
	if (e > s && e[-1] == '\n')
		e--;
	if (e > s && e[-1] == '\r')
		e--;
	while (e > s && ISSPACE(e[-1]))
		e--;
	*e = '\0';
	SKIPSPACE(s);
	return s;
}

/*
 * The "$" of a special line (rbldnsd reads "$", "#$", ";$" and ":$"),
 * or NULL when S is no special line.
 */
static char *
special(char *s)
{
	if (s[0] == '$')
		return s;
	if ((ISCOMMENT(s[0]) || s[0] == ':') && s[1] == '$')
		return s + 1;
	return NULL;
}

/*
 * A substitution variable line "$N text" or "$= text" (D at its "$"):
 * returns the variable's index and sets *TEXT, or -1 when D is not one.
 */
static int
var_line(const char *d, const char **text)
{
	const char *t;

	if (!(ISDIGIT(d[1]) || d[1] == '=') || !ISSPACE(d[2]))
		return -1;
	t = d + 2;
	SKIPSPACE(t);
	if (*t == '\0')
		return -1;
	*text = t;
	return d[1] == '=' ? TXTSUB_BASE : d[1] - '0';
}

/*
 * The arguments of special line D ("$WORD args", WORD any case, as
 * rbldnsd's firstword_lc()), or NULL when its word is another.
 */
static const char *
keyword(const char *d, const char *word)
{
	size_t n = strlen(word);

	if (strncasecmp(d + 1, word, n) != 0 || !ISSPACE(d[1 + n]))
		return NULL;
	d += 1 + n;
	SKIPSPACE(d);
	return d;
}

/*
 * One field of a $TIMESTAMP time: 1 to W digits within [MIN, MAX], then
 * an optional ":" or "-". Returns the rest, or NULL.
 */
static const char *
stamp_field(const char *s, int w, int min, int max, int *out)
{
	int n = 0, d;

	if (!ISDIGIT(*s))
		return NULL;
	for (d = 0; d < w && ISDIGIT(*s); d++)
		n = n * 10 + (*s++ - '0');
	if (n < min || n > max)
		return NULL;
	if (*s == ':' || *s == '-')
		s++;
	*out = n;
	return s;
}

/*
 * A $TIMESTAMP time as rbldnsd's parse_timestamp() reads it,
 * yyyy:mm:dd[:hh[:mi[:ss]]] in UTC, the delimiters (":" or "-")
 * optional; "0", "-" or ":" alone mean none (0). Returns the rest after
 * the blanks that follow, or NULL.
 */
static const char *
parse_stamp(const char *s, int64_t *out)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int v[6] = { 0, 0, 0, 0, 0, 0 }, i, y, m;
	int64_t days;

	if ((*s == '0' || *s == '-' || *s == ':') &&
	    (s[1] == '\0' || ISSPACE(s[1]))) {
		s++;
		SKIPSPACE(s);
		*out = 0;
		return s;
	}
	if ((s = stamp_field(s, 4, 1970, 9999, &v[0])) == NULL ||
	    (s = stamp_field(s, 2, 1, 12, &v[1])) == NULL ||
	    (s = stamp_field(s, 2, 1, mdays[v[1] - 1], &v[2])) == NULL)
		return NULL;
	for (i = 3; i < 6 && *s != '\0' && !ISSPACE(*s); i++)
		if ((s = stamp_field(s, 2, 0, i == 3 ? 23 : 59, &v[i])) ==
		    NULL)
			return NULL;
	if (*s != '\0' && !ISSPACE(*s))
		return NULL;
	y = v[0];
	m = v[1];
	if (m == 2 && v[2] == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return NULL;
	/* days since 1970-01-01 of a proleptic Gregorian date */
	y -= m <= 2;
	days = (int64_t)365 * y + y / 4 - y / 100 + y / 400 +
	    (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + v[2] - 1 - 719468;
	*out = ((days * 24 + v[3]) * 60 + v[4]) * 60 + v[5];
	SKIPSPACE(s);
	return s;
}

/*
 * "$TIMESTAMP dstamp [expires]" arguments A, where expires is a time or
 * "+duration" after dstamp (s, m, h, d or w, any case). Returns 0 and
 * fills *STAMP and *EXPIRES (0: none), or -1.
 */
static int
parse_timestamp(const char *a, int64_t *stamp, int64_t *expires)
{
	static const char units[] = "smhdw";
	static const int64_t mult[] = { 1, 60, 3600, 86400, 604800 };
	const char *u;
	int64_t n = 0;

	if ((a = parse_stamp(a, stamp)) == NULL)
		return -1;
	*expires = 0;
	if (*a == '\0')
		return 0;
	if (*a != '+') {
		if ((a = parse_stamp(a, expires)) == NULL || *a != '\0')
			return -1;
		return 0;
	}
	a++;
	if (*stamp == 0 || !ISDIGIT(*a))
		return -1;
	while (ISDIGIT(*a) && n < INT64_MAX / 700000)
		n = n * 10 + (*a++ - '0');
	if (*a != '\0' && (u = strchr(units, tolower((unsigned char)*a))) !=
	    NULL) {
		n *= mult[u - units];
		a++;
	}
	if (*a != '\0' || n == 0)
		return -1;
	*expires = *stamp + n;
	return 0;
}

/*
 * A "$TIMESTAMP" line: a data time in the future refuses the file, as
 * rbldnsd refuses to load it, and so does an expiry already past (rbldnsd
 * would load the file and never answer from it); the earliest expiry of
 * the file (read before its first entry) becomes every entry's.
 */
static int
parse_ts_line(struct ipfile *f, const char *a, char *errbuf, size_t errlen)
{
	char t1[64], t2[64];
	int64_t stamp, expires;

	if (parse_timestamp(a, &stamp, &expires) == -1) {
		ipf_warn(f, f->lineno, "$TIMESTAMP ignored: expected "
		    "\"$TIMESTAMP yyyy:mm:dd[:hh[:mi[:ss]]] [expires or "
		    "+duration]\"");
		return 0;
	}
	if (stamp > (int64_t)f->now) {
		format_time((time_t)stamp, t1, sizeof(t1));
		format_time(f->now, t2, sizeof(t2));
		return ipf_err(f, errbuf, errlen, "$TIMESTAMP: the data is "
		    "dated %s, in the future (now %s): the file is refused, as "
		    "rbldnsd refuses it", t1, t2);
	}
	if (expires != 0 && expires <= (int64_t)f->now) {
		format_time((time_t)expires, t1, sizeof(t1));
		return ipf_err(f, errbuf, errlen, "$TIMESTAMP: the data expired "
		    "at %s: the file is refused", t1);
	}
	return 0;
}

/* A "$MAXRANGE4 N" or "$MAXRANGE4 /LEN" line: it may only go down. */
static void
parse_maxrange(struct ipfile *f, const char *a)
{
	uint64_t r = 0;
	int cidr = 0;

	if (*a == '/') {
		cidr = 1;
		a++;
	}
	if (!ISDIGIT(*a))
		goto bad;
	while (ISDIGIT(*a) && r <= 1ULL << 32)
		r = r * 10 + (uint64_t)(*a++ - '0');
	if (*a != '\0' || r == 0 || r > 1ULL << 32 || (cidr && r > 32))
		goto bad;
	if (cidr)
		r = 1ULL << (32 - r);
	if (f->maxrange != 0 && r > f->maxrange) {
		ipf_warn(f, f->lineno, "$MAXRANGE4 ignored: it may only be "
		    "lowered, from %llu to %llu (as in rbldnsd)",
		    (unsigned long long)f->maxrange, (unsigned long long)r);
		return;
	}
	f->maxrange = r;
	return;
bad:
	ipf_warn(f, f->lineno, "$MAXRANGE4 ignored: expected a number of "
	    "addresses (1-4294967296) or /LEN (1-32)");
}

/* The newlines among the n bytes at p, 8 at a time. */
static size_t
count_nl(const char *p, size_t n)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
	const uint64_t nls = 0x0a0a0a0a0a0a0a0aULL;
	uint64_t x;
	size_t i = 0, c = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&x, p + i, 8);
		x ^= nls;	/* a zero byte for each '\n' */
		x = ~(((x & low7) + low7) | x | low7) >> 7;	/* 1 each */
		c += (size_t)((x * 0x0101010101010101ULL) >> 56);
	}
	for (; i < n; i++)
		c += p[i] == '\n';
	return c;
}

/*
 * Read the whole file for its substitution variables and $TIMESTAMP
 * expiries, then rewind: in rbldnsd both belong to the whole dataset, so
 * a "$1" line also serves the entries above it. The first definition of
 * a variable counts, and the earliest expiry. Only the lines that hold a
 * "$" are looked at (found a read at a time); the others are passed over
 * whole, their newlines counted.
 */
static int
scan_vars(struct ipfile *f, char *errbuf, size_t errlen)
{
	const char *text, *q, *p;
	char *s, *d;
	int64_t stamp, expires;
	ssize_t n = 0;
	int i, line = 0;

	f->scanned = 1;
	for (;;) {
		p = f->rbuf + f->rpos;
		if ((q = memchr(p, '$', f->rlen - f->rpos)) == NULL) {
			if (f->eof)
				break;
			/* none in the lines read whole: on past them */
			if ((q = memrchr(p, '\n', f->rlen - f->rpos)) != NULL) {
				line += (int)count_nl(p, (size_t)(q - p) + 1);
				skip_to(f, (size_t)(q + 1 - f->rbuf));
			}
			if ((n = fill(f)) == -2)
				break;
			continue;
		}
		/* the line of that "$", from its start */
		if ((q = memrchr(p, '\n', (size_t)(q - p))) != NULL) {
			line += (int)count_nl(p, (size_t)(q - p) + 1);
			skip_to(f, (size_t)(q + 1 - f->rbuf));
		}
		if ((n = read_line(f)) < 0)
			break;
		line++;
		/* the quick test: a special line starts with '$' or "#$" */
		for (s = f->line; ISSPACE(*s); s++)
			;
		if (*s != '$' && *s != ':' && !ISCOMMENT(*s))
			continue;
		if ((s = trim_line(f, (size_t)n)) == NULL ||
		    (d = special(s)) == NULL)
			continue;
		if ((text = keyword(d, "timestamp")) != NULL &&
		    parse_timestamp(text, &stamp, &expires) == 0 &&
		    expires != 0 && (f->expires == 0 || expires < f->expires))
			f->expires = expires;
		if ((i = var_line(d, &text)) < 0 || f->vars[i] != NULL)
			continue;
		f->vars[i] = xstrdup(text);
		f->varline[i] = line;
	}
	if (n == -2) {
		f->done = 1;
		f->lineno = line;
		return ipf_err(f, errbuf, errlen, "cannot read on: %s",
		    read_error(f));
	}
	f->rpos = f->rlen = 0;
	f->roff = 0;
	f->eof = 0;
	f->nul = SIZE_MAX;
	if (gzrewind(f->gz) == -1) {
		f->done = 1;
		return ipf_err(f, errbuf, errlen, "cannot read the file again "
		    "after its $ variables: %s", read_error(f));
	}
	return 0;
}

/* A "$" line, D at its "$"; -1 on an error (a refused $TIMESTAMP). */
static int
parse_special(struct ipfile *f, const char *d, char *errbuf, size_t errlen)
{
	char shown[128], word[16];
	const char *text;
	size_t w;
	int i;

	if ((i = var_line(d, &text)) >= 0) {
		if (f->varline[i] != f->lineno)
			ipf_warn(f, f->lineno, "$%c ignored: defined before, "
			    "at line %d (the first definition counts, as in "
			    "rbldnsd)", d[1], f->varline[i]);
		return 0;
	}
	if ((text = keyword(d, "maxrange4")) != NULL) {
		parse_maxrange(f, text);
		return 0;
	}
	if ((text = keyword(d, "timestamp")) != NULL)
		return parse_ts_line(f, text, errbuf, errlen);
	w = strcspn(d, " \t");
	if (w >= sizeof(word))
		w = sizeof(word) - 1;
	memcpy(word, d, w);
	word[w] = '\0';
	esc(shown, sizeof(shown), word);
	if (ISDIGIT(d[1]) || d[1] == '=')
		ipf_warn(f, f->lineno, "%s ignored: a substitution variable "
		    "is \"$%c text\"", shown, d[1]);
	else
		ipf_warn(f, f->lineno, "%s ignored: zone settings come from "
		    "rdnsbld.conf", shown);
	return 0;
}

/*
 * One line: returns 1 when it holds entries (in *e and f->cidr, and in
 * f->cur when it has more than one), 0 when there is nothing to hand
 * out, or -1 on an error.
 */
static int
parse_line(struct ipfile *f, struct ipfile_entry *e, size_t n, char *errbuf,
    size_t errlen)
{
	char *s, *d;
	int r;

	if ((s = trim_line(f, n)) == NULL) {
		f->meta_line = 0;
		return ipf_err(f, errbuf, errlen, "NUL byte in line");
	}
	if (*s == '\0')
		return 0;
	if (s[0] == '#' && s[1] == '@')
		return parse_meta(f, s + 2, errbuf, errlen) == -1 ? -1 : 0;
	if ((d = special(s)) != NULL)
		return parse_special(f, d, errbuf, errlen);
	if (ISCOMMENT(s[0]))
		return 0;
	if (s[0] == ':' && s[1] != ':')
		return parse_default(f, s, errbuf, errlen);
	if (f->skipping && strchr(s, ':') == NULL) {
		f->meta_line = 0;	/* it would have taken the metadata */
		return 0;
	}
	if ((r = parse_entry(f, e, s, errbuf, errlen)) == -1) {
		/* the metadata belonged to the bad line */
		f->meta_line = 0;
		return -1;
	}
	if (f->skipping && r == 1) {	/* read for its value's warnings */
		f->ncidr = f->icidr = 0;
		f->fresh = 0;
		return 0;
	}
	if (r == 1 && f->ncidr > 1)
		f->cur = *e;	/* for the calls that hand out the others */
	return r;
}

int
ipfile_next(struct ipfile *f, struct ipfile_entry *e, char *errbuf,
    size_t errlen)
{
	ssize_t n;

	if (f->done)
		return 0;
	if (!f->scanned && scan_vars(f, errbuf, errlen) == -1)
		return -1;
	for (;;) {
		if (next_cidr(f, e))
			return 1;
		if ((n = read_line(f)) == -2) {
			f->done = 1;
			return ipf_err(f, errbuf, errlen, "cannot read on: %s",
			    read_error(f));
		}
		if (n >= 0 && f->end > 0 && f->line_off >= f->end) {
			/* the range's end: its "#@" goes with the next part */
			f->meta_line = 0;
			f->done = 1;
			return 0;
		}
		if (n == -1) {
			if (f->meta_line != 0)
				ipf_warn(f, f->meta_line, "#@ metadata not "
				    "followed by an entry, ignored");
			f->meta_line = 0;
			f->done = 1;
			return 0;
		}
		f->lineno++;
		f->skipping = f->line_off < f->start;
		/* an error before the range is the other reader's */
		if (parse_line(f, e, (size_t)n, errbuf, errlen) == -1 &&
		    !f->skipping)
			return -1;
	}
}
