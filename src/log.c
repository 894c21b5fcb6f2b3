/* SPDX-License-Identifier: ISC */
/*
 * log.c -- logging to stderr or syslog, with severities.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int log_foreground = 1;
static enum { STAMP_NONE, STAMP_TTY, STAMP_JOURNAL } log_stamped;
static int log_verbose = VERB_OPS;
static const char *log_ident = "rdnsbl";

void
log_init(int foreground, int facility, const char *ident)
{
	if (ident != NULL)
		log_ident = ident;
	if (!foreground)
		openlog(log_ident, LOG_PID | LOG_NDELAY, facility);
	else if (!log_foreground)
		closelog();
	log_foreground = foreground;
}

int
log_to_stderr(void)
{
	return log_foreground;
}

void
log_setverbose(int level)
{
	log_verbose = level;
}

void
log_stamp(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat sb;

	if (js != NULL && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
	    fstat(STDERR_FILENO, &sb) == 0 &&
	    (unsigned long long)sb.st_dev == dev &&
	    (unsigned long long)sb.st_ino == ino)
		log_stamped = STAMP_JOURNAL;
	else if (isatty(STDERR_FILENO))
		log_stamped = STAMP_TTY;
}

/* The severity word of a syslog priority. */
static const char *
pri_name(int pri)
{
	switch (pri) {
	case LOG_CRIT:
		return "fatal";
	case LOG_ERR:
		return "error";
	case LOG_WARNING:
		return "warning";
	case LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

int
log_getverbose(void)
{
	return log_verbose;
}

/* The word before a message on stderr: syslog has the severity itself. */
static const char *
severity(int pri)
{
	if (pri <= LOG_ERR)
		return "error: ";
	if (pri == LOG_WARNING)
		return "warning: ";
	return "";
}

static void
vlog(int pri, const char *fmt, va_list ap, const char *suffix)
{
	char msg[2048], when[32] = "";
	int saved = errno;
	time_t now;
	struct tm tm;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_foreground) {
		if (log_stamped == STAMP_JOURNAL)
			fprintf(stderr, "<%d>", pri);
		else if (log_stamped == STAMP_TTY) {
			now = time(NULL);
			if (gmtime_r(&now, &tm) != NULL)
				strftime(when, sizeof(when),
				    "%Y-%m-%dT%H:%M:%SZ ", &tm);
			fprintf(stderr, "%s", when);
		}
		/* a terminal gets every severity, a file the grave ones */
		fprintf(stderr, "%s: %s%s%s%s%s\n", log_ident,
		    log_stamped == STAMP_TTY ? pri_name(pri) : severity(pri),
		    log_stamped == STAMP_TTY ? ": " : "", msg,
		    suffix ? ": " : "", suffix ? suffix : "");
		fflush(stderr);
	} else if (suffix != NULL)
		syslog(pri, "%s: %s", msg, suffix);
	else
		syslog(pri, "%s", msg);
	errno = saved;
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap, NULL);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
verbose(enum verb_level level, const char *fmt, ...)
{
	va_list ap;

	if ((int)level > log_verbose)
		return;
	va_start(ap, fmt);
	vlog(level <= VERB_OPS ? LOG_INFO : LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, strerror(saved));
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
