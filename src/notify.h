/* SPDX-License-Identifier: ISC */
/*
 * notify.h -- notify-command: run the operator's program with a
 * delisting request in its environment, when a request arrives and when
 * it is decided.
 */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <sys/types.h>

#include <stddef.h>

struct store_request;

/*
 * Start PROGRAM (no arguments, stdin from /dev/null, stdout and stderr
 * inherited, no other descriptors) with PATH and the request in RDNSBL_*
 * variables: RDNSBL_EVENT (event: "new", "approved", "denied",
 * "resolved"), RDNSBL_ID, RDNSBL_STATUS, RDNSBL_ADDRESS, RDNSBL_EMAIL,
 * RDNSBL_DESCRIPTION, RDNSBL_REASON, RDNSBL_NOTE, RDNSBL_CLIENT,
 * RDNSBL_ACTOR and RDNSBL_URL (the status page under public_url, or
 * empty). Does not wait: the caller reaps the child. Returns its pid, or
 * -1 with errbuf. Never logs.
 */
pid_t	notify_run(const char *program, const char *event,
	    const struct store_request *r, const char *public_url,
	    char *errbuf, size_t errlen);

#endif /* NOTIFY_H */
