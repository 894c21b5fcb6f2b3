/* SPDX-License-Identifier: ISC */
/*
 * ipfile_write.c -- the writer of rbldnsd ip4trie / ip6trie and dnset
 * data files for "rdnsblctl export": one line an entry, with the "#@" metadata line
 * that import reads back. doc/rbldnsd-format.md, "Export", has the rules.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "addr.h"
#include "ipfile.h"
#include "store_list.h"
#include "util.h"

#define ISCOMMENT(c)	((c) == '#' || (c) == ';')

void
ipfile_write_header(FILE *fp, const char *list, enum list_kind kind,
    time_t now)
{
	char t[64];

	format_time(now, t, sizeof(t));
	fprintf(fp, "# rdnsbl export of the %s list, %s\n", list, t);
	fprintf(fp, "# format: rbldnsd %s data, one %s a line; \"#@\" lines "
	    "carry rdnsbl metadata\n", kind == LIST_KIND_DOMAIN ? "dnset" :
	    "ip4trie/ip6trie", kind == LIST_KIND_DOMAIN ? "name" : "prefix");
}

/*
 * Write text that stays on its line: a line end becomes a space. WORD:
 * one word, in which blanks and control characters become '_'. A tab or
 * another control character is kept in a TXT, as rbldnsd reads it.
 */
static void
put_text(FILE *fp, const char *s, size_t n, int word)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (word && (c <= 0x20 || c == 0x7f))
			c = '_';
		else if (c == '\n' || c == '\r' || c == '\0')
			c = ' ';
		putc(c, fp);
	}
}

void
ipfile_write_entry(FILE *fp, const struct store_entry *e)
{
	char pbuf[ADDR_STRLEN + 8];
	size_t rlen = e->reason_len;
	size_t i;
	int special = 0, txtdefault;

	if (e->reason == NULL || rlen == 0)
		rlen = 0;
	if (rlen > IPFILE_TXT_MAX)
		rlen = IPFILE_TXT_MAX;
	/*
	 * rbldnsd has no form for "default A, TXT starting with : # or ;"
	 * (plain TXT would read as a value or a comment, "::TXT" is an
	 * error): write 127.0.0.2, rbldnsd's default, and tell our reader
	 * with "code=0".
	 */
	for (i = 0; i < rlen && ((unsigned char)e->reason[i] <= ' ' ||
	    e->reason[i] == 0x7f); i++)
		;
	if (!(e->flags & ENTRY_EXCLUDE) && e->code == 0 && i < rlen &&
	    (e->reason[i] == ':' || ISCOMMENT(e->reason[i])))
		special = 1;
	/* no TXT of its own, yet not "no TXT" as a file says it */
	txtdefault = !(e->flags & (ENTRY_EXCLUDE | ENTRY_NOTXT)) && rlen == 0;
	if (e->added != 0 || e->expires != 0 || e->actor_len > 0 ||
	    special || txtdefault || (e->flags & ENTRY_SELF)) {
		fputs("#@", fp);
		if (e->added != 0)
			fprintf(fp, " added=%lld", (long long)e->added);
		if (e->expires != 0)
			fprintf(fp, " expires=%lld", (long long)e->expires);
		if (e->actor_len > 0 && e->actor != NULL) {
			fputs(" actor=", fp);
			put_text(fp, e->actor, e->actor_len > IPFILE_ACTOR_MAX ?
			    IPFILE_ACTOR_MAX : e->actor_len, 1);
		}
		if (special)
			fputs(" code=0", fp);
		if (txtdefault)
			fputs(" txt=default", fp);
		if (e->flags & ENTRY_SELF)
			fputs(" scope=self", fp);
		putc('\n', fp);
	}
	if (e->flags & ENTRY_EXCLUDE)
		putc('!', fp);
	if (e->dname != NULL) {
		if (e->flags & ENTRY_WILD)
			fputs("*.", fp);
		put_text(fp, e->dname, e->dname_len, 1);
	} else {
		addr_format_hex(&e->prefix, pbuf, sizeof(pbuf));
		fputs(pbuf, fp);
	}
	if (e->flags & ENTRY_EXCLUDE) {
		putc('\n', fp);
		return;
	}
	if (e->code != 0)
		fprintf(fp, " :%u.%u.%u.%u:", e->code >> 24,
		    (e->code >> 16) & 0xff, (e->code >> 8) & 0xff,
		    e->code & 0xff);
	else if (special)
		fputs(" :127.0.0.2:", fp);
	else if (rlen > 0)
		putc(' ', fp);
	/* a leading "=" opts out of a base template and is dropped */
	if (i < rlen && e->reason[i] == '=')
		putc('=', fp);
	put_text(fp, e->reason, rlen, 0);
	putc('\n', fp);
}
