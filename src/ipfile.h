/* SPDX-License-Identifier: ISC */
/*
 * ipfile.h -- rbldnsd ip4set / ip4trie / ip6trie and dnset data files:
 * the reader for "rdnsblctl import" and the writer for "rdnsblctl
 * export".
 *
 * Accepted entry forms (one per line; "#" and ";" start comment lines):
 *   192.0.2.1            a single address
 *   192.0.2.0/24         a CIDR range (host bits set: warning, skipped)
 *   192.0.2              an abbreviated prefix: 192.0.2.0/24 (also
 *                        "10.1": /16, "10/8"; a bare "10" is an error,
 *                        as in rbldnsd)
 *   192.0.2.1-192.0.2.9  an address range (split into CIDRs)
 *   192.0.2.1-9          a range in the last octet
 *   2001:db8::/32        IPv6 (ip6trie; "2001:db8:1:2" is a /64, and a
 *                        line starting with "::" is an IPv6 address)
 *   !192.0.2.5           an exclusion: not listed, beats wider entries
 * followed by an optional value: ":A:TXT" (":127.0.0.3:text", ":3:text",
 * "::text" keeps the default A), or plain text after whitespace (TXT).
 * A line ":A:TXT" alone sets the default value for the entries after it.
 * A dnset file (IPFILE_DOMAINS) has names instead of addresses: "name",
 * "*.name" (the names below it), ".name" (both: two entries), "!" before
 * any of them for an exclusion, the value after a blank.
 * TXT is read with rbldnsd's substitutions: "$1 text" ... "$9 text" and
 * "$= text" (the base template) lines anywhere in the file, a leading "="
 * (no base template), "$$"; see txtsub.h. "$MAXRANGE4" and "$TIMESTAMP"
 * are honoured as rbldnsd honours them; "$SOA", "$NS", "$TTL" and the
 * other "$" lines are zone settings that come from rdnsbld.conf: each is
 * reported as a warning with file:line.
 *
 * rdnsbl metadata, written by the exporter so that export-import
 * round-trips, rides in comment lines that rbldnsd ignores:
 *   #@ added=1700000000 expires=1700003600 actor=alice
 * applies to the next entry line ("code=0" there: the A value on that
 * line is only for rbldnsd; "txt=default": the entry has no TXT of its
 * own, and rdnsbl answers the zone's default reason, where rbldnsd
 * answers no TXT; "scope=self": a self-service delisting's exemption,
 * which exempts from the computed checks only). doc/rbldnsd-format.md
 * has the details.
 *
 * The module is pure: no LMDB, no logging. Errors and warnings carry
 * "file:line: " prefixes.
 */
#ifndef IPFILE_H
#define IPFILE_H

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "addr.h"
#include "store_list.h"

#define IPFILE_TXT_MAX		1024	/* bytes of TXT (store.c REASON_MAX) */
#define IPFILE_ACTOR_MAX	64	/* bytes of an actor (store.c ACTOR_MAX) */

struct ipfile_entry {
	struct addr	 prefix;
	const char	*dname;		/* IPFILE_DOMAINS: the name, lower case,
					   no final dot; valid until the next
					   call */
	int		 wild;		/* IPFILE_DOMAINS: "*.name" */
	int		 exclude;	/* "!" entry */
	int		 notxt;		/* no TXT: none given, none by default,
					   and no "#@ txt=default" */
	uint32_t	 code;		/* A value, host order; 0: none given */
	const char	*txt;		/* TXT in the stored form (txtsub.h), "" if
					   none; valid until the next call */
	int64_t		 added;		/* from "#@" metadata, 0 if none */
	int64_t		 expires;	/* from "#@" metadata or the file's
					   "$TIMESTAMP", the earlier; 0 if none */
	const char	*actor;		/* from "#@" metadata, NULL if none */
	int		 self;		/* "#@ scope=self": an exemption of a
					   self-service delisting (ENTRY_SELF) */
	int		 line;
};

struct ipfile;

typedef void ipfile_warn_fn(void *arg, const char *msg);

/* ipfile_open() flags */
#define IPFILE_HOST_BITS	0x01	/* a CIDR with host bits set: masked */
#define IPFILE_DOMAINS		0x02	/* a dnset file: names */
#define IPFILE_NODUPS		0x04	/* no duplicate check: the caller's */

/*
 * Start reading file descriptor FD from its current offset; the file may
 * be compressed with gzip, which is read transparently (as rbldnsd reads
 * it). FD is duplicated (the caller still closes its own) and must be
 * seekable: the first ipfile_next() reads the file for its substitution
 * variables and starts again. NAME is used in messages. FLAGS are
 * IPFILE_* bits; NOW is the time "$TIMESTAMP" lines are checked against.
 * Entries are skipped with a warning where rbldnsd skips them: a prefix
 * of length 0 (every address), host bits set (unless IPFILE_HOST_BITS:
 * then masked, with a warning), more IPv4 addresses than "$MAXRANGE4"
 * allows. warn (may be NULL) gets each warning, already prefixed with
 * "name:line: ". Returns NULL with errno set when FD cannot be read.
 */
struct ipfile	*ipfile_open(int fd, const char *name, unsigned flags,
		    time_t now, ipfile_warn_fn *warn, void *arg);
void		 ipfile_close(struct ipfile *);

/*
 * Hand out only the entries of the lines that start in [start, end) of
 * the file (end 0: to its end), for a file read in parts by readers that
 * run at once. The lines before start are read for what they set for the
 * lines after them (the default value, the "$" lines, the "#@" metadata
 * of the range's first entry, the line numbers, the A values warned
 * about), with no warning or error: an entry line among them is parsed
 * only when it has a ":" (a value), else passed over. For an uncompressed
 * file (the offsets are the file's); duplicates are looked for within
 * the range only (IPFILE_NODUPS for a whole file). Call it before the
 * first ipfile_next().
 */
void		 ipfile_range(struct ipfile *, off_t start, off_t end);

/*
 * The next entry: returns 1 and fills *e, 0 at the end of the file, or -1
 * on a bad line (message with "name:line: " in errbuf; reading can go on
 * with the next call, so a caller can report every bad line).
 * A range line yields several entries, one CIDR each. A read error (a
 * corrupt or truncated gzip file) is an error too, after which the end
 * of the file comes.
 */
int		 ipfile_next(struct ipfile *, struct ipfile_entry *e,
		    char *errbuf, size_t errlen);

/*
 * Write the export header (comment lines naming the list, the time and
 * the format, which KIND, the list's, decides).
 */
void		 ipfile_write_header(FILE *, const char *list,
		    enum list_kind kind, time_t now);

/*
 * Write one store entry as an ipfile line (plus its "#@" line): a
 * prefix, or a name ("name", "*.name") when the entry has one.
 */
void		 ipfile_write_entry(FILE *, const struct store_entry *);

#endif /* IPFILE_H */
