/* SPDX-License-Identifier: ISC */
/*
 * mail.c -- compose the decision mail and hand it to mail-command.
 *
 * Header fields take only the request number, the address and e-mail
 * addresses that form_email_ok() accepts (no blank, no control
 * character); the free text of a note or reason goes in the body, which
 * the program reads with -i so that a lone "." ends nothing.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mail.h"
#include "addr.h"
#include "form.h"
#include "store_queue.h"
#include "util.h"

#define MAIL_MAXFD	1024	/* descriptors closed in the child */

/* RFC 5322 date of T in UTC. */
static void
format_date(int64_t t, char *buf, size_t len)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%a, %d %b %Y %H:%M:%S +0000", &tm) == 0)
		str_copy(buf, "Thu, 01 Jan 1970 00:00:00 +0000", len);
}

/*
 * The header of a message to RCPT (checked by the caller) from FROM (or
 * none) at NOW, with SUBJECT, ending in its blank line; a new string.
 */
static char *
mail_header(const char *from, const char *rcpt, const char *subject,
    int64_t now)
{
	char date[64], *hdr;

	format_date(now, date, sizeof(date));
	(void)xasprintf(&hdr, "%s%s%sTo: <%s>\nSubject: %s\nDate: %s\n"
	    "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\nAuto-Submitted: auto-replied\n"
	    "\n", from ? "From: <" : "", from ? from : "", from ? ">\n" : "",
	    rcpt, subject, date);
	return hdr;
}

/* Whether R's e-mail address and FROM may go in a header; errbuf if not. */
static int
mail_addrs_ok(const struct store_request *r, const char *from, char *errbuf,
    size_t errlen)
{
	if (!form_email_ok(r->email)) {
		snprintf(errbuf, errlen, "request %llu has no usable e-mail "
		    "address", (unsigned long long)r->id);
		return 0;
	}
	if (from != NULL && !form_email_ok(from)) {
		snprintf(errbuf, errlen, "mail-from is not an e-mail address");
		return 0;
	}
	return 1;
}

char *
mail_decision(const struct store_request *r, const char *from,
    const char *public_url, int64_t now, char *errbuf, size_t errlen)
{
	char a[ADDR_STRLEN], vis[32], exp[32], subj[128], *hdr, *body, *msg;
	int approved = r->status == REQ_APPROVED;
	int self = approved && (r->flags & REQ_SELF);

	if (!mail_addrs_ok(r, from, errbuf, errlen))
		return NULL;
	addr_format(&r->addr, a, sizeof(a));
	format_time((time_t)r->visible, vis, sizeof(vis));
	if (r->expires != 0)
		format_time((time_t)r->expires, exp, sizeof(exp));
	snprintf(subj, sizeof(subj), "Delisting request %llu for %s: %s",
	    (unsigned long long)r->id, a, approved ? "approved" : "denied");
	hdr = mail_header(from, r->email, subj, now);
	if (approved)
		(void)xasprintf(&body, "Your request %llu to delist %s was "
		    "approved%s.\n\n%s%s%s%s%s is no longer listed in our "
		    "dnsbl zones%s%s.\nEvery mail server that asks us sees "
		    "it by %s at the latest\n(DNS caches and the mail "
		    "servers' own caching included).\n",
		    (unsigned long long)r->id, a,
		    self ? " by self-service" : "",
		    self ? "The automatic checks alone listed it, so it was "
		    "removed at once.\n\n" : "",
		    r->note[0] ? "Note: " : "", r->note,
		    r->note[0] ? "\n\n" : "", a,
		    r->expires ? " until " : "", r->expires ? exp : "", vis);
	else
		(void)xasprintf(&body, "Your request %llu to delist %s was "
		    "denied.\n\nReason: %s\n\n%s stays listed. You may ask "
		    "again once the reason is\ndealt with.\n",
		    (unsigned long long)r->id, a, r->note, a);
	(void)xasprintf(&msg, "%s%s%s%s\n%s%s%s%s%s", hdr, body,
	    r->reason[0] ? "\nIt was listed for: " : "", r->reason,
	    public_url ? "\nStatus: " : "", public_url ? public_url : "",
	    public_url ? "request/" : "", public_url ? r->token : "",
	    public_url ? "\n" : "");
	free(hdr);
	free(body);
	return msg;
}

char *
mail_verify(const struct store_request *r, const char *from,
    const char *public_url, int64_t deadline, int64_t now, char *errbuf,
    size_t errlen)
{
	char a[ADDR_STRLEN], until[32], subj[96], *hdr, *msg;

	if (!mail_addrs_ok(r, from, errbuf, errlen))
		return NULL;
	if (public_url == NULL) {
		snprintf(errbuf, errlen, "no public-url for the link");
		return NULL;
	}
	addr_format(&r->addr, a, sizeof(a));
	format_time((time_t)deadline, until, sizeof(until));
	snprintf(subj, sizeof(subj), "Confirm the delisting request for %s",
	    a);
	hdr = mail_header(from, r->email, subj, now);
	(void)xasprintf(&msg, "%sSomeone asked on our lookup pages to delist "
	    "%s from our dnsbl zones\nand gave this e-mail address. The "
	    "request goes to review only once\nyou confirm it: open this "
	    "link and press the button on its page.\n\n%sverify/%s\n\n"
	    "The link works once, until %s. If you did not ask,\nignore "
	    "this mail: nothing happens without the confirmation.\n",
	    hdr, a, public_url, r->token, until);
	free(hdr);
	return msg;
}

pid_t
mail_start(const char *program, const char *from, const char *rcpt,
    const char *msg, char *errbuf, size_t errlen)
{
	char *env[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
	    "/usr/bin:/sbin:/bin", NULL };
	char *argv[7];
	size_t len = strlen(msg);
	ssize_t n;
	pid_t pid;
	int p[2], fd, argc = 0, size;

	if (access(program, X_OK) == -1) {
		snprintf(errbuf, errlen, "cannot run %s: %s", program,
		    strerror(errno));
		return -1;
	}
	argv[argc++] = (char *)program;
	argv[argc++] = "-i";
	if (from != NULL) {
		argv[argc++] = "-f";
		argv[argc++] = (char *)from;
	}
	argv[argc++] = "--";
	argv[argc++] = (char *)rcpt;
	argv[argc] = NULL;
	if (pipe2(p, O_CLOEXEC) == -1) {
		snprintf(errbuf, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	/* the whole message waits in the pipe: nobody writes after fork */
	size = fcntl(p[1], F_GETPIPE_SZ);
	if (size >= 0 && (size_t)size < len)
		/* a failure shows as a short write below */
		(void)fcntl(p[1], F_SETPIPE_SZ, (int)len);
	if (fcntl(p[1], F_SETFL, O_NONBLOCK) == -1 ||
	    (n = write(p[1], msg, len)) != (ssize_t)len) {
		snprintf(errbuf, errlen, "the message of %zu bytes does not "
		    "fit in a pipe", len);
		(void)close(p[0]);
		(void)close(p[1]);
		return -1;
	}
	(void)close(p[1]);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		/* async-signal-safe calls only: the daemon has threads */
		if ((p[0] == 0 ? fcntl(0, F_SETFD, 0) : dup2(p[0], 0)) == -1)
			_exit(127);
		for (fd = 3; fd < MAIL_MAXFD; fd++)
			(void)close(fd);	/* EBADF for most: fine */
		execve(program, argv, env);
		_exit(127);
	}
	(void)close(p[0]);
	if (pid == -1)
		snprintf(errbuf, errlen, "fork: %s", strerror(errno));
	return pid;
}

int
mail_status(const char *program, int status, char *errbuf, size_t errlen)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	snprintf(errbuf, errlen, "%s failed (%s %d)", program,
	    WIFEXITED(status) ? "status" : "signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return -1;
}

int
mail_send(const char *program, const char *from, const char *rcpt,
    const char *msg, char *errbuf, size_t errlen)
{
	pid_t pid;
	int status;

	if ((pid = mail_start(program, from, rcpt, msg, errbuf,
	    errlen)) == -1)
		return -1;
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			snprintf(errbuf, errlen, "waitpid: %s",
			    strerror(errno));
			return -1;
		}
	return mail_status(program, status, errbuf, errlen);
}
