/* SPDX-License-Identifier: ISC */
/*
 * ipfile_write.c -- the writer of rbldnsd ip4trie / ip6trie data files
 * for "rdnsblctl export": one line an entry, with the "#@" metadata line
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
ipfile_write_header(FILE *fp, const char *list, time_t now)
{
	char t[64];

	format_time(now, t, sizeof(t));
	fprintf(fp, "# rdnsbl export of the %s list, %s\n", list, t);
	fprintf(fp, "# format: rbldnsd ip4trie/ip6trie data, one prefix a "
	    "line; \"#@\" lines carry rdnsbl metadata\n");
}

/* Write text with control characters turned into spaces. */
static void
put_text(FILE *fp, const char *s, size_t n, int word)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || (word && c == ' '))
			c = word ? '_' : ' ';
		putc(c, fp);
	}
}

void
ipfile_write_entry(FILE *fp, const struct store_entry *e)
{
	char pbuf[ADDR_STRLEN + 8];
	size_t rlen = e->reason_len;
	size_t i;
	int special = 0;

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
	if (e->added != 0 || e->expires != 0 || e->actor_len > 0 ||
	    special) {
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
		putc('\n', fp);
	}
	addr_format_hex(&e->prefix, pbuf, sizeof(pbuf));
	if (e->flags & ENTRY_EXCLUDE) {
		fprintf(fp, "!%s\n", pbuf);
		return;
	}
	fputs(pbuf, fp);
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
