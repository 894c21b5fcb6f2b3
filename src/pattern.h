/* SPDX-License-Identifier: ISC */
/*
 * pattern.h -- dynamic-host patterns (the S25R rules and local ones) and
 * their exceptions, read from a file such as zones/s25r.rules. Pure: no
 * logging; errors carry "file:line: ".
 *
 * File format, one item a line, "#" comments:
 *   rule NAME REGEX      a named POSIX extended regular expression,
 *                        matched case-insensitively against a PTR or HELO
 *                        name (lower case, no final dot)
 *   except SUFFIX        a name or domain exempt from every rule:
 *                        "google.com" exempts google.com and every name
 *                        ending in ".google.com"
 * An exception beats a rule. Rules are tried in file order; the first
 * that matches is the one reported.
 */
#ifndef PATTERN_H
#define PATTERN_H

#include <stddef.h>

#include "util.h"

struct conf;
struct patterns;

typedef line_err_fn pattern_err_fn;

/*
 * Load a pattern file. Every bad line is passed to err (with
 * "file:line: "); returns NULL if there was any (count in *nerrors), or
 * if the file cannot be read.
 */
struct patterns	*patterns_load(const char *path, pattern_err_fn *err,
		    void *arg, int *nerrors);
/* The same from a string (for tests); name is used in messages. */
struct patterns	*patterns_load_string(const char *name, const char *text,
		    pattern_err_fn *err, void *arg, int *nerrors);
void		 patterns_free(struct patterns *);

/*
 * The patterns of conf's dynamic-patterns: file, if a dnsbl or helo zone
 * checks dynamic; otherwise NULL with *nerrors 0. Errors go to err with
 * file:line; NULL with *nerrors > 0 then.
 */
struct patterns	*patterns_for(const struct conf *conf, pattern_err_fn *err,
		    void *arg, int *nerrors);

struct pattern_match {
	const char	*rule;		/* the matching rule's name, or NULL */
	const char	*exception;	/* the exception that applied, or NULL */
};

/*
 * Match a name (any case, final dot optional). Returns 1 if a rule
 * matched and no exception applies (m->rule set), else 0 (m->exception
 * set when an exception stopped a match or covers the name).
 */
int		 patterns_match(const struct patterns *, const char *name,
		    struct pattern_match *m);

size_t		 patterns_count(const struct patterns *, size_t *nexceptions);

#endif /* PATTERN_H */
