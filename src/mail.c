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
#include <signal.h>
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

char *
mail_decision(const struct store_request *r, const char *from,
    const char *public_url, int64_t now, char *errbuf, size_t errlen)
{
	char a[ADDR_STRLEN], date[64], vis[32], exp[32], *hdr, *body, *msg;
	int approved = r->status == REQ_APPROVED;

	if (!form_email_ok(r->email)) {
		snprintf(errbuf, errlen, "request %llu has no usable e-mail "
		    "address", (unsigned long long)r->id);
		return NULL;
	}
	if (from != NULL && !form_email_ok(from)) {
		snprintf(errbuf, errlen, "mail-from is not an e-mail address");
		return NULL;
	}
	addr_format(&r->addr, a, sizeof(a));
	format_date(now, date, sizeof(date));
	format_time((time_t)r->visible, vis, sizeof(vis));
	if (r->expires != 0)
		format_time((time_t)r->expires, exp, sizeof(exp));
	(void)xasprintf(&hdr, "%s%s%sTo: <%s>\nSubject: Delisting request "
	    "%llu for %s: %s\nDate: %s\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\nAuto-Submitted: auto-replied\n"
	    "\n", from ? "From: <" : "", from ? from : "", from ? ">\n" : "",
	    r->email, (unsigned long long)r->id, a,
	    approved ? "approved" : "denied", date);
	if (approved)
		(void)xasprintf(&body, "Your request %llu to delist %s was "
		    "approved.\n\n%s%s%s%s is no longer listed in our dnsbl "
		    "zones%s%s.\nEvery mail server that asks us sees it by "
		    "%s at the latest\n(DNS caches and the mail servers' own "
		    "caching included).\n",
		    (unsigned long long)r->id, a,
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

int
mail_send(const char *program, const char *from, const char *rcpt,
    const char *msg, char *errbuf, size_t errlen)
{
	char *env[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
	    "/usr/bin:/sbin:/bin", NULL };
	char *argv[7];
	size_t len = strlen(msg), off = 0;
	ssize_t n;
	pid_t pid;
	int p[2], fd, status, argc = 0, werr = 0;
	void (*opipe)(int);

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
	if (pipe(p) == -1) {
		snprintf(errbuf, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		(void)close(p[1]);
		if (p[0] != 0) {
			(void)dup2(p[0], 0);
			(void)close(p[0]);
		}
		for (fd = 3; fd < MAIL_MAXFD; fd++)
			(void)close(fd);	/* EBADF for most: fine */
		execve(program, argv, env);
		_exit(127);
	}
	(void)close(p[0]);
	if (pid == -1) {
		snprintf(errbuf, errlen, "fork: %s", strerror(errno));
		(void)close(p[1]);
		return -1;
	}
	opipe = signal(SIGPIPE, SIG_IGN);
	while (off < len) {
		n = write(p[1], msg + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			werr = errno;
			break;
		}
		off += (size_t)n;
	}
	(void)close(p[1]);
	(void)signal(SIGPIPE, opipe);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			snprintf(errbuf, errlen, "waitpid: %s",
			    strerror(errno));
			return -1;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(errbuf, errlen, "%s failed (%s %d)", program,
		    WIFEXITED(status) ? "status" : "signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) :
		    WTERMSIG(status));
		return -1;
	}
	if (werr != 0) {
		snprintf(errbuf, errlen, "writing to %s: %s", program,
		    strerror(werr));
		return -1;
	}
	return 0;
}
