/* SPDX-License-Identifier: ISC */
/*
 * notify.c -- run notify-command with a request in its environment.
 *
 * The environment is built before fork(), so that the child only calls
 * async-signal-safe functions (the daemon is one process with an event
 * loop; nothing may run in the child that could take a lock).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "notify.h"
#include "addr.h"
#include "store_queue.h"
#include "util.h"

#define NOTIFY_NVARS	13
#define NOTIFY_MAXFD	1024	/* descriptors closed in the child */

pid_t
notify_run(const char *program, const char *event,
    const struct store_request *r, const char *public_url, char *errbuf,
    size_t errlen)
{
	char *env[NOTIFY_NVARS + 1], a[ADDR_STRLEN], cl[ADDR_STRLEN];
	char *const argv[] = { (char *)program, NULL };
	pid_t pid;
	int i, n = 0, fd;

	if (access(program, X_OK) == -1) {
		snprintf(errbuf, errlen, "cannot run %s: %s", program,
		    strerror(errno));
		return -1;
	}
	addr_format(&r->addr, a, sizeof(a));
	addr_format(&r->client, cl, sizeof(cl));
	(void)xasprintf(&env[n++], "PATH=/usr/local/bin:/usr/bin:/bin");
	(void)xasprintf(&env[n++], "RDNSBL_EVENT=%s", event);
	(void)xasprintf(&env[n++], "RDNSBL_ID=%" PRIu64, r->id);
	(void)xasprintf(&env[n++], "RDNSBL_STATUS=%s",
	    store_req_status_name(r->status));
	(void)xasprintf(&env[n++], "RDNSBL_ADDRESS=%s", a);
	(void)xasprintf(&env[n++], "RDNSBL_EMAIL=%s", r->email);
	(void)xasprintf(&env[n++], "RDNSBL_DESCRIPTION=%s", r->text);
	(void)xasprintf(&env[n++], "RDNSBL_REASON=%s", r->reason);
	(void)xasprintf(&env[n++], "RDNSBL_NOTE=%s", r->note);
	(void)xasprintf(&env[n++], "RDNSBL_CLIENT=%s", r->client.af ? cl :
	    "");
	(void)xasprintf(&env[n++], "RDNSBL_ACTOR=%s", r->actor);
	(void)xasprintf(&env[n++], "RDNSBL_URL=%s%s%s", public_url ?
	    public_url : "", public_url ? "request/" : "", public_url ?
	    r->token : "");
	env[n] = NULL;

	pid = fork();
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDONLY)) != -1 && fd != 0) {
			(void)dup2(fd, 0);
			(void)close(fd);
		}
		for (fd = 3; fd < NOTIFY_MAXFD; fd++)
			(void)close(fd);	/* EBADF for most: fine */
		execve(program, argv, env);
		_exit(127);
	}
	if (pid == -1)
		snprintf(errbuf, errlen, "fork: %s", strerror(errno));
	for (i = 0; i < n; i++)
		free(env[i]);
	return pid;
}
