/* SPDX-License-Identifier: ISC */
/*
 * notify.c -- run notify-command with a request in its environment, a
 * few at a time.
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
#include "mail.h"
#include "store_queue.h"
#include "util.h"

#define NOTIFY_NVARS	13
#define NOTIFY_MAXFD	1024	/* descriptors closed in the child */

/* The environment of one run: NOTIFY_NVARS strings and NULL, allocated. */
static void
env_build(char **env, const char *event, const struct store_request *r,
    const char *public_url)
{
	char a[ADDR_STRLEN], cl[ADDR_STRLEN];
	int n = 0;

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
}

static void
env_free(char **env)
{
	int i;

	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
}

/* fork and exec program with env; the pid, or -1 with errbuf. */
static pid_t
spawn(const char *program, char **env, char *errbuf, size_t errlen)
{
	char *const argv[] = { (char *)program, NULL };
	pid_t pid;
	int fd;

	if (access(program, X_OK) == -1) {
		snprintf(errbuf, errlen, "cannot run %s: %s", program,
		    strerror(errno));
		return -1;
	}
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
	return pid;
}

pid_t
notify_run(const char *program, const char *event,
    const struct store_request *r, const char *public_url, char *errbuf,
    size_t errlen)
{
	char *env[NOTIFY_NVARS + 1];
	pid_t pid;

	env_build(env, event, r, public_url);
	pid = spawn(program, env, errbuf, errlen);
	env_free(env);
	return pid;
}

/* A run waiting for its turn: notify-command, or a mail with msg. */
struct notify_job {
	struct notify_job	*next;
	char			*program;
	char			*env[NOTIFY_NVARS + 1];
	char			*from, *rcpt, *msg;	/* a mail */
};

struct notify_queue {
	unsigned		 max_running;
	size_t			 max_waiting;
	pid_t			*running;	/* max_running slots, 0: free */
	struct notify_job	*head, *tail;
	struct notify_stats	 st;
};

struct notify_queue *
notify_queue_new(unsigned max_running, size_t max_waiting)
{
	struct notify_queue *q = xcalloc(1, sizeof(*q));

	q->max_running = max_running ? max_running : 1;
	q->max_waiting = max_waiting;
	q->running = xcalloc(q->max_running, sizeof(*q->running));
	return q;
}

static void
job_free(struct notify_job *j)
{
	env_free(j->env);
	free(j->program);
	free(j->from);
	free(j->rcpt);
	free(j->msg);
	free(j);
}

void
notify_queue_free(struct notify_queue *q)
{
	struct notify_job *j;

	if (q == NULL)
		return;
	while ((j = q->head) != NULL) {
		q->head = j->next;
		job_free(j);
	}
	free(q->running);
	free(q);
}

/*
 * Start waiting jobs while a slot is free. A job that cannot start is
 * counted as failed, and its error is kept for the caller (the last one).
 * Returns 0, or -1 when some job failed (errbuf).
 */
static int
queue_drain(struct notify_queue *q, char *errbuf, size_t errlen)
{
	struct notify_job *j;
	unsigned i;
	pid_t pid;
	int rc = 0;

	for (;;) {
		for (i = 0; i < q->max_running && q->running[i] != 0; i++)
			continue;
		if (i == q->max_running || (j = q->head) == NULL)
			return rc;
		if ((q->head = j->next) == NULL)
			q->tail = NULL;
		q->st.waiting--;
		pid = j->msg != NULL ? mail_start(j->program, j->from,
		    j->rcpt, j->msg, errbuf, errlen) :
		    spawn(j->program, j->env, errbuf, errlen);
		if (pid == -1) {
			q->st.failed++;
			rc = -1;
		} else {
			q->running[i] = pid;
			q->st.running++;
			q->st.started++;
		}
		job_free(j);
	}
}

/* Queue j (allocated) and start what may start; -1 if full or failed. */
static int
queue_add(struct notify_queue *q, struct notify_job *j, const char *what,
    char *errbuf, size_t errlen)
{
	if (q->st.waiting >= q->max_waiting) {
		q->st.dropped++;
		snprintf(errbuf, errlen, "%zu runs already waiting: %s "
		    "dropped", q->st.waiting, what);
		job_free(j);
		return -1;
	}
	if (q->tail != NULL)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	q->st.waiting++;
	q->st.queued++;
	return queue_drain(q, errbuf, errlen);
}

int
notify_queue_add(struct notify_queue *q, const char *program,
    const char *event, const struct store_request *r, const char *public_url,
    char *errbuf, size_t errlen)
{
	struct notify_job *j;
	char what[64];

	snprintf(what, sizeof(what), "run for request %" PRIu64 " (%s)",
	    r->id, event);
	j = xcalloc(1, sizeof(*j));
	j->program = xstrdup(program);
	env_build(j->env, event, r, public_url);
	return queue_add(q, j, what, errbuf, errlen);
}

int
notify_queue_add_mail(struct notify_queue *q, const char *program,
    const char *from, const char *rcpt, const char *msg, char *errbuf,
    size_t errlen)
{
	struct notify_job *j;

	j = xcalloc(1, sizeof(*j));
	j->program = xstrdup(program);
	j->from = from != NULL ? xstrdup(from) : NULL;
	j->rcpt = xstrdup(rcpt);
	j->msg = xstrdup(msg);
	return queue_add(q, j, "mail", errbuf, errlen);
}

int
notify_queue_exited(struct notify_queue *q, pid_t pid, char *errbuf,
    size_t errlen)
{
	unsigned i;

	for (i = 0; i < q->max_running; i++)
		if (q->running[i] == pid)
			break;
	if (i == q->max_running)
		return 0;
	q->running[i] = 0;
	q->st.running--;
	return queue_drain(q, errbuf, errlen) == -1 ? -1 : 1;
}

void
notify_queue_stats(const struct notify_queue *q, struct notify_stats *st)
{
	*st = q->st;
}
