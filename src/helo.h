/* SPDX-License-Identifier: ISC */
/*
 * helo.h -- the HELO-name checks (zone type "helo"): the bad-HELO list,
 * and the judgement of a HELO/EHLO argument on the reasons that need no
 * lookup: bad-name, no-dot, own-name, dynamic and bare-ip. The no-dns
 * reason needs A and AAAA lookups; the checker does them (check.h) and
 * decide.h puts both together.
 *
 * Bad-HELO list file (zones/bad-helo.txt), one item a line, "#" comments:
 *   localhost.localdomain   the name itself (any case, final dot optional)
 *   *.localdomain           every name below localdomain, not the name
 *                           itself
 */
#ifndef HELO_H
#define HELO_H

#include <stddef.h>

#include "addr.h"
#include "conf.h"
#include "pattern.h"

#define HELO_NAMELEN	256	/* a normalised name, with its NUL */

struct helo_list;

/*
 * Load a bad-HELO list. Every bad line is passed to err (with
 * "file:line: "); returns NULL if there was any (count in *nerrors), or if
 * the file cannot be read.
 */
struct helo_list *helo_list_load(const char *path, pattern_err_fn *err,
		    void *arg, int *nerrors);
/* The same from a string (for tests); name is used in messages. */
struct helo_list *helo_list_load_string(const char *name, const char *text,
		    pattern_err_fn *err, void *arg, int *nerrors);
void		 helo_list_free(struct helo_list *);
size_t		 helo_list_count(const struct helo_list *);

/*
 * The bad-HELO list of conf (bad-helo-names:), if a helo zone checks
 * bad-name; otherwise NULL with *nerrors 0. NULL with *nerrors > 0 after
 * errors, passed to err.
 */
struct helo_list *helo_list_for(const struct conf *, pattern_err_fn *err,
		    void *arg, int *nerrors);

/* The entry that lists a normalised name, as written, or NULL. */
const char	*helo_list_match(const struct helo_list *, const char *name);

/* What the judgement needs; any pointer may be NULL (that check passes). */
struct helo_env {
	const struct helo_list	*bad;		/* bad-helo-names: */
	const struct patterns	*pat;		/* dynamic-patterns: */
	const struct conf	*conf;		/* own-names: */
};

enum helo_form {
	HELO_NAME = 0,		/* a domain name (or a single label) */
	HELO_LITERAL,		/* "[192.0.2.1]", "[ipv6:2001:db8::1]" */
	HELO_BARE_IP,		/* "192.0.2.1", "2001:db8::1" */
	HELO_OTHER		/* not a host name: judged by nothing */
};

struct helo_result {
	enum helo_form	 form;
	unsigned	 reasons;	/* static reasons that hold, 1 << r */
	int		 lookup;	/* no-dns applies: look the name up */
	struct addr	 a;		/* HELO_LITERAL, HELO_BARE_IP */
	const char	*bad_entry;	/* bad-name: the list entry */
	const char	*own;		/* own-name: the own-names entry */
	const char	*rule;		/* dynamic: the rule */
	const char	*exception;	/* a pattern exception exempted it */
};

/*
 * Normalise a HELO argument (len bytes) into out: lower case, without
 * one final dot. Returns -1 if it is empty, longer than a domain name,
 * or holds a byte that is not printable ASCII (or is a space).
 */
int		 helo_normalize(const char *in, size_t len, char *out,
		    size_t outlen);

/*
 * Judge a normalised name on the reasons in checks (1 << enum reason):
 * the static reasons that hold, and whether the no-dns lookup applies
 * (a syntactically valid name with a dot; never an address, and never a
 * single label, which only the root would be asked about).
 */
void		 helo_judge(const struct helo_env *, const char *name,
		    unsigned checks, struct helo_result *);

#endif /* HELO_H */
