/* SPDX-License-Identifier: ISC */
/*
 * watch.c -- the data files of lists, watched, and loaded by
 * `rdnsblctl import --replace' in a child process when they change.
 *
 * The child is the same command an operator runs from cron, so a watched
 * file and an import read the file alike and switch the list alike (one
 * transaction; the daemon's compact copy and the zones' serials follow
 * the change as they follow any other). Its standard output and error
 * come back through a pipe, line by line, into the daemon's log.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "watch.h"
#include "conf.h"
#include "log.h"
#include "util.h"

#define WATCH_POLL_MS	500	/* between two looks at the files */
#define WATCH_LINEMAX	1024	/* bytes of a line of the child's output */
#define WATCH_MAXFD	1024	/* descriptors closed in the child */

/* What a look at a file sees of it: it changed if any of these did. */
struct fileid {
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime;
	int		 err;		/* errno of stat(2), 0: it is there */
};

/* One watched file. */
struct watched {
	char		*list;
	char		*file;
	struct fileid	 seen;		/* at the last look */
	struct fileid	 loaded;	/* the last one loaded (or tried) */
	int		 looked;	/* seen is set */
	int		 tried;		/* loaded is set */
	pid_t		 pid;		/* its load under way, or 0 */
	int		 fd;		/* the load's output, or -1 */
	struct event	*out;
	char		 buf[WATCH_LINEMAX];
	size_t		 len;
};

struct watch {
	struct event_base *base;
	char		*ctl;
	char		*conf_path;
	struct event	*timer;
	struct watched	**v;
	size_t		 n;
	struct watched	**gone;		/* dropped by a reload, still loading */
	size_t		 ngone;
};

const char *
watch_ctl_path(char *buf, size_t len)
{
	char self[PATH_MAX], *slash;
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			if ((size_t)snprintf(buf, len, "%s/rdnsblctl", self) <
			    len && access(buf, X_OK) == 0)
				return buf;
		}
	}
	(void)snprintf(buf, len, "%s/rdnsblctl", BINDIR);
	return buf;
}

struct watch *
watch_new(struct event_base *base, const char *ctl, const char *conf_path)
{
	struct watch *w = xcalloc(1, sizeof(*w));

	w->base = base;
	w->ctl = xstrdup(ctl);
	w->conf_path = xstrdup(conf_path);
	return w;
}

static int
fileid_same(const struct fileid *a, const struct fileid *b)
{
	return a->err == b->err && a->dev == b->dev && a->ino == b->ino &&
	    a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
	    a->mtime.tv_nsec == b->mtime.tv_nsec;
}

static void
fileid_get(const char *path, struct fileid *id)
{
	struct stat sb;

	memset(id, 0, sizeof(*id));
	if (stat(path, &sb) == -1) {
		id->err = errno;
		return;
	}
	id->dev = sb.st_dev;
	id->ino = sb.st_ino;
	id->size = sb.st_size;
	id->mtime = sb.st_mtim;
}

/* One line of a load's output: rdnsblctl's errors and warnings warn. */
static void
output_line(struct watched *f, char *line)
{
	static const char *const tags[] = { "rdnsblctl: error: ",
	    "rdnsblctl: warning: " };
	size_t i, n;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		n = strlen(tags[i]);
		if (strncmp(line, tags[i], n) == 0) {
			log_warnx("list %s: %s", f->list, line + n);
			return;
		}
	}
	if (*line != '\0')
		log_info("list %s: %s", f->list, line);
}

/* Read what there is of a load's output; at its end, close it. */
static void
output_read(struct watched *f)
{
	char *nl;
	ssize_t n;

	while (f->fd != -1) {
		n = read(f->fd, f->buf + f->len, sizeof(f->buf) - 1 - f->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n > 0) {
			f->len += (size_t)n;
			f->buf[f->len] = '\0';
			while ((nl = strchr(f->buf, '\n')) != NULL) {
				*nl = '\0';
				output_line(f, f->buf);
				f->len -= (size_t)(nl + 1 - f->buf);
				memmove(f->buf, nl + 1, f->len + 1);
			}
			if (f->len == sizeof(f->buf) - 1) {
				output_line(f, f->buf);	/* a long line, cut */
				f->len = 0;
			}
			continue;
		}
		/* the end, or an error: what is left is the last line */
		f->buf[f->len] = '\0';
		output_line(f, f->buf);
		f->len = 0;
		event_free(f->out);
		f->out = NULL;
		(void)close(f->fd);
		f->fd = -1;
	}
}

static void
on_output(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	output_read(arg);
}

/* Start the load of f's file into its list: 0, or -1 (logged). */
static int
load_start(struct watch *w, struct watched *f)
{
	char *argv[] = { w->ctl, "-c", w->conf_path, "import", f->list,
	    f->file, "--replace", NULL };
	pid_t pid;
	int p[2], fd;

	if (pipe(p) == -1) {
		log_warn("list %s: cannot load %s: pipe", f->list, f->file);
		return -1;
	}
	if ((pid = fork()) == -1) {
		log_warn("list %s: cannot load %s: fork", f->list, f->file);
		(void)close(p[0]);
		(void)close(p[1]);
		return -1;
	}
	if (pid == 0) {
		/* only async-signal-safe calls from here on */
		if ((fd = open("/dev/null", O_RDONLY)) != -1 && fd != 0) {
			(void)dup2(fd, 0);
			(void)close(fd);
		}
		(void)dup2(p[1], 1);
		(void)dup2(p[1], 2);
		for (fd = 3; fd < WATCH_MAXFD; fd++)
			(void)close(fd);	/* EBADF for most: fine */
		execv(w->ctl, argv);
		_exit(127);
	}
	(void)close(p[1]);
	f->pid = pid;
	f->fd = p[0];
	f->len = 0;
	if (fcntl(p[0], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(p[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    (f->out = event_new(w->base, p[0], EV_READ | EV_PERSIST,
	    on_output, f)) == NULL || event_add(f->out, NULL) == -1) {
		/* the load goes on; its output is lost */
		log_warnx("list %s: cannot read the output of loading %s",
		    f->list, f->file);
		if (f->out != NULL)
			event_free(f->out);
		f->out = NULL;
		(void)close(p[0]);
		f->fd = -1;
	}
	verbose(VERB_DETAIL, "list %s: loading %s (pid %ld)", f->list,
	    f->file, (long)pid);
	return 0;
}

/* A look at f's file: start its load when it changed and has settled. */
static void
look(struct watch *w, struct watched *f)
{
	struct fileid id;

	fileid_get(f->file, &id);
	if (!f->looked || !fileid_same(&id, &f->seen)) {
		if (id.err != 0 && (!f->looked || id.err != f->seen.err))
			log_warnx("list %s: cannot read %s: %s; the list is "
			    "unchanged", f->list, f->file, strerror(id.err));
		f->seen = id;
		f->looked = 1;
		return;		/* changed: wait for it to settle */
	}
	if (id.err != 0 || f->pid != 0 ||
	    (f->tried && fileid_same(&id, &f->loaded)))
		return;
	if (load_start(w, f) == 0) {
		f->loaded = id;
		f->tried = 1;
	}
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct watch *w = arg;
	size_t i;

	(void)fd;
	(void)what;
	for (i = 0; i < w->n; i++)
		look(w, w->v[i]);
}

static void
watched_free(struct watched *f)
{
	if (f == NULL)
		return;
	if (f->out != NULL)
		event_free(f->out);
	if (f->fd != -1)
		(void)close(f->fd);
	free(f->list);
	free(f->file);
	free(f);
}

int
watch_child_exited(struct watch *w, pid_t pid, int status)
{
	struct watched *f = NULL;
	size_t i;
	int gone = 0;

	if (w == NULL || pid <= 0)
		return 0;
	for (i = 0; i < w->n && f == NULL; i++)
		if (w->v[i]->pid == pid)
			f = w->v[i];
	for (i = 0; i < w->ngone && f == NULL; i++)
		if (w->gone[i]->pid == pid) {
			f = w->gone[i];
			w->gone[i] = w->gone[--w->ngone];
			gone = 1;
		}
	if (f == NULL)
		return 0;
	output_read(f);		/* the rest of its output */
	f->pid = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		verbose(VERB_DETAIL, "list %s: %s loaded", f->list, f->file);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		log_warnx("list %s: %s not loaded (cannot run %s): the list "
		    "is unchanged", f->list, f->file, w->ctl);
	else if (WIFEXITED(status))
		log_warnx("list %s: %s not loaded (rdnsblctl exited with "
		    "status %d): the list is unchanged", f->list, f->file,
		    WEXITSTATUS(status));
	else
		log_warnx("list %s: %s not loaded (rdnsblctl killed by "
		    "signal %d): the list is unchanged", f->list, f->file,
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	if (gone)
		watched_free(f);
	return 1;
}

int
watch_start(struct watch *w, const struct conf *conf, char *errbuf,
    size_t errlen)
{
	struct timeval tv = { 0, WATCH_POLL_MS * 1000 };
	struct watched **v = NULL, *f;
	size_t i, j, n = 0;

	for (i = 0; i < conf->nlists; i++) {
		if (conf->lists[i].file == NULL)
			continue;
		f = NULL;
		for (j = 0; j < w->n; j++)
			if (w->v[j] != NULL &&
			    strcmp(w->v[j]->list, conf->lists[i].name) == 0 &&
			    strcmp(w->v[j]->file, conf->lists[i].file) == 0) {
				f = w->v[j];	/* the same: kept */
				w->v[j] = NULL;
			}
		if (f == NULL) {
			f = xcalloc(1, sizeof(*f));
			f->list = xstrdup(conf->lists[i].name);
			f->file = xstrdup(conf->lists[i].file);
			f->fd = -1;
		}
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = f;
	}
	/* the others go; one still loading is freed when it ends */
	for (j = 0; j < w->n; j++) {
		if (w->v[j] == NULL)
			continue;
		if (w->v[j]->pid != 0) {
			w->gone = xreallocarray(w->gone, w->ngone + 1,
			    sizeof(*w->gone));
			w->gone[w->ngone++] = w->v[j];
		} else
			watched_free(w->v[j]);
	}
	free(w->v);
	w->v = v;
	w->n = n;
	if (w->timer == NULL && n > 0) {
		if ((w->timer = event_new(w->base, -1, EV_PERSIST, on_timer,
		    w)) == NULL || event_add(w->timer, &tv) == -1) {
			snprintf(errbuf, errlen, "cannot start watching the "
			    "lists' files");
			return -1;
		}
	}
	if (w->timer != NULL)
		on_timer(-1, 0, w);	/* the first look now */
	for (i = 0; i < n; i++)
		verbose(VERB_OPS, "list %s: watching %s", v[i]->list,
		    v[i]->file);
	return 0;
}

void
watch_free(struct watch *w)
{
	size_t i;

	if (w == NULL)
		return;
	if (w->timer != NULL)
		event_free(w->timer);
	for (i = 0; i < w->n; i++)
		watched_free(w->v[i]);
	for (i = 0; i < w->ngone; i++)
		watched_free(w->gone[i]);
	free(w->v);
	free(w->gone);
	free(w->ctl);
	free(w->conf_path);
	free(w);
}
