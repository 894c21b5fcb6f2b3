/* SPDX-License-Identifier: ISC */
/*
 * service.c -- the user rdnsbld runs as, the drop to it, the database
 * directory, the pid file, going to the background.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "service.h"
#include "util.h"

int
service_user_find(const char *name, struct service_user *u, char *errbuf,
    size_t errlen)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		snprintf(errbuf, errlen, "user %s: %s", name, errno != 0 ?
		    strerror(errno) : "no such user");
		return -1;
	}
	if (str_copy(u->name, name, sizeof(u->name)) >= sizeof(u->name)) {
		snprintf(errbuf, errlen, "user %s: name too long", name);
		return -1;
	}
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	return 0;
}

int
service_dir_prepare(const char *path, const struct service_user *u,
    char *errbuf, size_t errlen)
{
	struct stat sb;

	if (stat(path, &sb) == 0 || errno != ENOENT)
		return 0;	/* there (or unreachable: store_open says) */
	if (mkdir_parents(path, 02770) == -1) {
		snprintf(errbuf, errlen, "cannot create %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (chown(path, u->uid, u->gid) == -1) {
		snprintf(errbuf, errlen, "cannot give %s to user %s: %s", path,
		    u->name, strerror(errno));
		return -1;
	}
	/* chown(2) may clear the set-group-ID bit */
	if (chmod(path, 02770) == -1) {
		snprintf(errbuf, errlen, "chmod %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Whether every ID of the process is U's and no other group is left. */
static int
verify(const struct service_user *u, int groups, char *errbuf,
    size_t errlen)
{
	uid_t ru, eu, su, fu;
	gid_t rg, eg, sg, fg;
	int n;

	if (getresuid(&ru, &eu, &su) == -1 || getresgid(&rg, &eg,
	    &sg) == -1) {
		snprintf(errbuf, errlen, "getresuid: %s", strerror(errno));
		return -1;
	}
	/* an invalid ID changes nothing and returns the current one */
	fu = (uid_t)setfsuid((uid_t)-1);
	fg = (gid_t)setfsgid((gid_t)-1);
	if (ru != u->uid || eu != u->uid || su != u->uid || fu != u->uid ||
	    rg != u->gid || eg != u->gid || sg != u->gid || fg != u->gid) {
		snprintf(errbuf, errlen, "still uid %ld/%ld/%ld/%ld gid "
		    "%ld/%ld/%ld/%ld, not %s (%ld:%ld)", (long)ru, (long)eu,
		    (long)su, (long)fu, (long)rg, (long)eg, (long)sg, (long)fg,
		    u->name, (long)u->uid, (long)u->gid);
		return -1;
	}
	if (groups && (n = getgroups(0, NULL)) != 0) {
		snprintf(errbuf, errlen, "%d supplementary group%s left", n,
		    n == 1 ? "" : "s");
		return -1;
	}
	if (u->uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		snprintf(errbuf, errlen, "root could be taken back after "
		    "becoming %s", u->name);
		return -1;
	}
	return 0;
}

int
service_drop(const struct service_user *u, char *errbuf, size_t errlen)
{
	if (geteuid() != 0) {
		if (getuid() == u->uid && geteuid() == u->uid)
			return verify(u, 0, errbuf, errlen);
		snprintf(errbuf, errlen, "cannot become user %s: not started "
		    "as root", u->name);
		return -1;
	}
	if (setgroups(0, NULL) == -1) {
		snprintf(errbuf, errlen, "setgroups: %s", strerror(errno));
		return -1;
	}
	if (setresgid(u->gid, u->gid, u->gid) == -1) {
		snprintf(errbuf, errlen, "setresgid %ld: %s", (long)u->gid,
		    strerror(errno));
		return -1;
	}
	if (setresuid(u->uid, u->uid, u->uid) == -1) {
		snprintf(errbuf, errlen, "setresuid %ld: %s", (long)u->uid,
		    strerror(errno));
		return -1;
	}
	return verify(u, 1, errbuf, errlen);
}

int
service_dir_check(const char *path, const struct service_user *u,
    char *errbuf, size_t errlen)
{
	static const char *const files[] = { "data.mdb", "lock.mdb" };
	char file[4096];
	size_t i;

	if (access(path, X_OK) == -1) {
		snprintf(errbuf, errlen, "user %s cannot enter %s: %s; give "
		    "the directory to its group (chgrp %ld, chmod 2770)",
		    u->name, path, strerror(errno), (long)u->gid);
		return -1;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(file, sizeof(file), "%s/%s", path, files[i]);
		if (access(file, R_OK | W_OK) == 0)
			continue;
		snprintf(errbuf, errlen, "user %s cannot write %s: %s; give "
		    "the database to its group (chgrp %ld %s/*.mdb, chmod "
		    "0660)", u->name, file, strerror(errno), (long)u->gid,
		    path);
		return -1;
	}
	return 0;
}

int
service_pidfile_write(const char *path, pid_t pid, char *errbuf,
    size_t errlen)
{
	char buf[32];
	int fd, n;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd == -1) {
		snprintf(errbuf, errlen, "pid file %s: %s", path,
		    strerror(errno));
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)pid);
	if (write(fd, buf, (size_t)n) != n) {
		snprintf(errbuf, errlen, "pid file %s: %s", path,
		    strerror(errno));
		(void)close(fd);	/* the write error is the one to tell */
		return -1;
	}
	if (close(fd) == -1) {
		snprintf(errbuf, errlen, "pid file %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
service_fork(char *errbuf, size_t errlen)
{
	int p[2], status;
	pid_t pid;
	char c;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) == -1) {
		snprintf(errbuf, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		snprintf(errbuf, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		(void)close(p[0]);	/* the parent's end: nothing to lose */
		return p[1];
	}
	(void)close(p[1]);		/* the child's end: nothing to lose */
	do
		n = read(p[0], &c, 1);
	while (n == -1 && errno == EINTR);
	if (n == 1)
		_exit(0);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			_exit(1);
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		_exit(WEXITSTATUS(status));
	_exit(1);
}

int
service_ready(int fd, int keep_stderr, char *errbuf, size_t errlen)
{
	int null;

	if (setsid() == -1) {
		snprintf(errbuf, errlen, "setsid: %s", strerror(errno));
		return -1;
	}
	if (chdir("/") == -1) {
		snprintf(errbuf, errlen, "chdir /: %s", strerror(errno));
		return -1;
	}
	if ((null = open("/dev/null", O_RDWR)) == -1) {
		snprintf(errbuf, errlen, "/dev/null: %s", strerror(errno));
		return -1;
	}
	if (dup2(null, STDIN_FILENO) == -1 || dup2(null,
	    STDOUT_FILENO) == -1 || (!keep_stderr && dup2(null,
	    STDERR_FILENO) == -1)) {
		snprintf(errbuf, errlen, "dup2: %s", strerror(errno));
		(void)close(null);	/* the dup2 error is the one to tell */
		return -1;
	}
	if (null > STDERR_FILENO)
		(void)close(null);	/* a spare copy */
	if (write(fd, "", 1) != 1) {
		snprintf(errbuf, errlen, "telling the parent: %s",
		    strerror(errno));
		return -1;
	}
	(void)close(fd);		/* written: the parent has exited */
	return 0;
}
