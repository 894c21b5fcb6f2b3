/* SPDX-License-Identifier: ISC */
/*
 * mail.h -- the mails to a delisting requester, the link that confirms
 * a request (verify-email:) and the decision, sent through a
 * sendmail-compatible mail-command.
 */
#ifndef MAIL_H
#define MAIL_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

struct store_request;

/*
 * The message (headers and body, lines ending in "\n") telling the
 * requester of R, which is decided, the decision, its note or reason,
 * the listing reason, when every MX sees it and until when an approval
 * holds (and for a self-service approval, that it was one), and the
 * status page under PUBLIC_URL (or none when NULL). FROM (or NULL)
 * becomes the From: header, NOW the Date:. Returns a new
 * string, or NULL with errbuf when the request's e-mail address or FROM
 * is not a plain address (so that no header can be injected). Pure.
 */
char	*mail_decision(const struct store_request *r, const char *from,
	    const char *public_url, int64_t now, char *errbuf, size_t errlen);

/*
 * The message asking the requester of unconfirmed request R to confirm
 * it at PUBLIC_URL "verify/" R->token (the link's token) before
 * DEADLINE. It names the address and nothing of the requester's text,
 * so that the form cannot send a stranger a message of someone else's
 * words. FROM and NOW as for mail_decision. Returns a new string, or
 * NULL with errbuf (an address that is not plain, no PUBLIC_URL). Pure.
 */
char	*mail_verify(const struct store_request *r, const char *from,
	    const char *public_url, int64_t deadline, int64_t now,
	    char *errbuf, size_t errlen);

/*
 * Start PROGRAM as "PROGRAM -i [-f FROM] -- RCPT" (no shell, a fixed
 * PATH, no other descriptors) with MSG on its standard input, written
 * into a pipe before the fork, so that nothing waits on the program.
 * Returns its pid for the caller to reap, or -1 with errbuf. The child
 * makes async-signal-safe calls only (a threaded caller may fork).
 * Never logs.
 */
pid_t	 mail_start(const char *program, const char *from, const char *rcpt,
	    const char *msg, char *errbuf, size_t errlen);

/* 0 if STATUS (of waitpid) says PROGRAM exited 0, else -1 with errbuf. */
int	 mail_status(const char *program, int status, char *errbuf,
	    size_t errlen);

/*
 * mail_start, then wait for the program. Returns 0 when it exits 0, -1
 * with errbuf otherwise. Blocks: for rdnsblctl, not the event loop.
 * Never logs.
 */
int	 mail_send(const char *program, const char *from, const char *rcpt,
	    const char *msg, char *errbuf, size_t errlen);

#endif /* MAIL_H */
