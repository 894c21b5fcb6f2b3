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
#include <stdint.h>

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

/*
 * The daemon's runs (of notify-command, or of mail-command with a
 * message): at most MAX_RUNNING at once, the others waiting in
 * order, at most MAX_WAITING of them (a flood of requests cannot start
 * a process each). Counts for /metrics.
 */
struct notify_queue;

struct notify_stats {
	uint64_t	queued;		/* runs asked for */
	uint64_t	started;	/* processes started */
	uint64_t	failed;		/* could not start (fork, exec access) */
	uint64_t	dropped;	/* refused: the queue was full */
	size_t		running;	/* processes running now */
	size_t		waiting;	/* runs waiting for a free slot */
};

/* A queue (MAX_RUNNING 0 means 1); notify_queue_free frees it. */
struct notify_queue	*notify_queue_new(unsigned max_running,
			    size_t max_waiting);
void			 notify_queue_free(struct notify_queue *);

/*
 * Run PROGRAM for the request as notify_run does, now if fewer than
 * max_running of the queue's runs are alive, else when one ends (the
 * environment is copied now). Returns 0, or -1 with errbuf when the
 * queue is full (the run is dropped and counted) or a run could not be
 * started. Never logs.
 */
int	notify_queue_add(struct notify_queue *, const char *program,
	    const char *event, const struct store_request *r,
	    const char *public_url, char *errbuf, size_t errlen);

/*
 * Send MSG to RCPT through PROGRAM as mail_start (mail.h) does, in the
 * queue's turn (what is given is copied now). Returns as
 * notify_queue_add.
 */
int	notify_queue_add_mail(struct notify_queue *, const char *program,
	    const char *from, const char *rcpt, const char *msg,
	    char *errbuf, size_t errlen);

/*
 * The child PID was reaped: if it is one of the queue's runs, its slot
 * is free and the next waiting run starts. Returns 1 if PID was the
 * queue's, 0 if not, -1 (with errbuf) if it was but a waiting run could
 * not be started. Never logs.
 */
int	notify_queue_exited(struct notify_queue *, pid_t pid, char *errbuf,
	    size_t errlen);

/* The counts so far. */
void	notify_queue_stats(const struct notify_queue *,
	    struct notify_stats *st);

#endif /* NOTIFY_H */
