/* SPDX-License-Identifier: ISC */
/*
 * log.h -- logging for rdnsbld and rdnsblctl.
 *
 * Messages go to stderr after log_init(1, ...), to syslog with the given
 * facility after log_init(0, ...); a later call switches. On stderr a
 * line is "IDENT: error: MESSAGE" (log_error, fatal, fatalx), "IDENT:
 * warning: MESSAGE" (log_warn, log_warnx) or "IDENT: MESSAGE" (the
 * rest); syslog gets the same severities as priorities (LOG_CRIT,
 * LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG above VERB_OPS). Shape: lower
 * case, no trailing period, "subject: what: why". Every function
 * preserves errno. Core modules never log; their callers do.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

enum verb_level {
	VERB_NONE = 0,
	VERB_OPS = 1,		/* startup, reloads, counts */
	VERB_DETAIL = 2,	/* per-operation detail */
	VERB_QUERY = 3,		/* one line per query */
	VERB_ALGO = 4		/* algorithm steps */
};

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif

void	log_init(int foreground, int facility, const char *ident);
/* 1 while messages go to stderr, 0 while they go to syslog. */
int	log_to_stderr(void);
void	log_setverbose(int level);
/*
 * For the running daemon: each line on stderr gets what the reader lacks.
 * To the systemd journal (stderr is the stream of $JOURNAL_STREAM): a
 * "<N>" syslog priority prefix, the journal adds the time. To a terminal:
 * the time (UTC, ISO 8601) and the severity ("info", "warning", ...).
 * To anything else (a file, a pipe): the plain lines, as before.
 */
void	log_stamp(void);
int	log_getverbose(void);
/* A failure that does not end the run (LOG_ERR). */
void	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	verbose(enum verb_level, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
__dead void fatal(const char *, ...) __attribute__((format(printf, 1, 2)));
__dead void fatalx(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif /* LOG_H */
