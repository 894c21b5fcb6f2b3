/* SPDX-License-Identifier: ISC */
/*
 * watch.h -- the data files of lists (list: clause, file:), watched.
 *
 * Each file is looked at twice a second (its device, inode, size and
 * modification time, so that a file replaced by rename, as rsync does,
 * counts as changed). A file that has changed and then stayed the same
 * for one look is loaded into its list with the replace semantics of
 * `rdnsblctl import --replace': that command runs in a child process,
 * so the daemon answers from the old list until the switch and never
 * pauses, and a bad file changes nothing. Its output and its result
 * are logged, a bad line as FILE:LINE. Every file is loaded once when
 * the daemon starts. One load a list at a time; a file that changes
 * while its list loads is loaded again after it.
 */
#ifndef RDNSBL_WATCH_H
#define RDNSBL_WATCH_H

#include <sys/types.h>

struct conf;
struct event_base;
struct watch;

/*
 * A watcher of the files of conf's lists on base, which runs ctl (the
 * rdnsblctl program) with the configuration file conf_path (absolute).
 * Nothing is watched until watch_start.
 */
struct watch	*watch_new(struct event_base *base, const char *ctl,
		    const char *conf_path);

/*
 * Watch the files of conf's lists from now on (again after a reload of
 * the configuration): a list whose file is the same keeps its state and
 * any load under way. Returns 0, or -1 with errbuf.
 */
int		 watch_start(struct watch *, const struct conf *conf,
		    char *errbuf, size_t errlen);

/*
 * A child process that ended: 1 if it was one of w's loads (its result
 * logged), else 0.
 */
int		 watch_child_exited(struct watch *, pid_t pid, int status);

/* Stop watching; a load under way runs on to its end. NULL is fine. */
void		 watch_free(struct watch *);

/*
 * The rdnsblctl program a daemon runs: the one beside its own binary
 * when there is one (a build tree), else the installed one.
 */
const char	*watch_ctl_path(char *buf, size_t len);

#endif /* RDNSBL_WATCH_H */
