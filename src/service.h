/* SPDX-License-Identifier: ISC */
/*
 * service.h -- rdnsbld as a system service: the user it runs as and the
 * drop to it, the database directory made for that user, the pid file,
 * and going to the background once started. Linux (getresuid, setfsuid).
 *
 * Nothing here logs: errors come back as text in errbuf (errlen bytes),
 * which rdnsbld logs. The order of use is in main.c and doc/design.md:
 * fork (unless -d), bind and open everything as root, write the pid
 * file, drop, check the database as the user, then detach.
 */
#ifndef SERVICE_H
#define SERVICE_H

#include <sys/types.h>

#include <stddef.h>

struct service_user {
	char	name[64];
	uid_t	uid;
	gid_t	gid;		/* the user's primary group */
};

/*
 * Look up the user called NAME (getpwnam) into *U. Returns 0, or -1 with
 * a message in errbuf.
 */
int	service_user_find(const char *name, struct service_user *u,
	    char *errbuf, size_t errlen);

/*
 * As root, before the database is opened: when the directory PATH does
 * not exist, create it (and its parents) owned by U's user and group,
 * mode 2770, so that the files created in it are U's group's. An
 * existing directory is left alone. Returns 0, or -1 with errbuf.
 */
int	service_dir_prepare(const char *path, const struct service_user *u,
	    char *errbuf, size_t errlen);

/*
 * Become U for good: clear the supplementary groups, set the real,
 * effective and saved group IDs, then the user IDs, and verify it (every
 * ID and the file system IDs are U's, no supplementary group is left,
 * and root cannot be taken back). A process that is not root and is
 * already U's user is only verified, its groups as they are. Returns 0,
 * or -1 with errbuf: the caller must not go on.
 */
int	service_drop(const struct service_user *u, char *errbuf,
	    size_t errlen);

/*
 * After the drop: whether the user can still use the database in the
 * directory PATH (enter it, read and write data.mdb and lock.mdb), so
 * that a restart and rdnsblctl's group work. Returns 0, or -1 with
 * errbuf naming the file and what to do.
 */
int	service_dir_check(const char *path, const struct service_user *u,
	    char *errbuf, size_t errlen);

/*
 * Create (or truncate) the pid file PATH, mode 0644, and write PID in
 * it. Returns 0, or -1 with errbuf.
 */
int	service_pidfile_write(const char *path, pid_t pid, char *errbuf,
	    size_t errlen);

/*
 * Go to the background in two halves. service_fork() forks: the parent
 * waits until the child says it is ready and exits 0, or exits with the
 * child's status (1) if the child ends first, so that a failed start is
 * seen by whoever started it, errors included on its stderr. In the
 * child it returns the descriptor for service_ready(), or -1 with errbuf
 * (in the parent, when fork fails).
 */
int	service_fork(char *errbuf, size_t errlen);

/*
 * In the child, once started: a new session, the working directory /,
 * standard input and output (and standard error unless KEEP_STDERR) on
 * /dev/null, then the parent told to exit 0. Returns 0, or -1 with
 * errbuf.
 */
int	service_ready(int fd, int keep_stderr, char *errbuf, size_t errlen);

#endif /* SERVICE_H */
