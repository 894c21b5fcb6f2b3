/* SPDX-License-Identifier: ISC */
/*
 * mail.h -- the decision mail to a delisting requester, sent through a
 * sendmail-compatible mail-command.
 */
#ifndef MAIL_H
#define MAIL_H

#include <stddef.h>
#include <stdint.h>

struct store_request;

/*
 * The message (headers and body, lines ending in "\n") telling the
 * requester of R, which is decided, the decision, its note or reason,
 * the listing reason, when every MX sees it and until when an approval
 * holds, and the status page under PUBLIC_URL (or none when NULL). FROM
 * (or NULL) becomes the From: header, NOW the Date:. Returns a new
 * string, or NULL with errbuf when the request's e-mail address or FROM
 * is not a plain address (so that no header can be injected). Pure.
 */
char	*mail_decision(const struct store_request *r, const char *from,
	    const char *public_url, int64_t now, char *errbuf, size_t errlen);

/*
 * Run PROGRAM as "PROGRAM -i [-f FROM] -- RCPT" (no shell, a fixed PATH,
 * no other descriptors), write MSG to its standard input and wait for
 * it. Returns 0 when it exits 0, -1 with errbuf otherwise. Blocks: for
 * rdnsblctl, not the event loop. Never logs.
 */
int	 mail_send(const char *program, const char *from, const char *rcpt,
	    const char *msg, char *errbuf, size_t errlen);

#endif /* MAIL_H */
