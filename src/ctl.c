/* SPDX-License-Identifier: ISC */
/*
 * ctl.c -- rdnsblctl, the admin CLI: the manual lists, lookups,
 * import/export and the audit trail, straight on the LMDB store (which
 * allows many processes, so it works whether or not rdnsbld runs).
 *
 * Every command is one row of the table "cmds"; usage() is generated
 * from it. Exit status: 0 success, 1 error (a message on stderr), 2 usage
 * error. Output is line-oriented and stable; --json gives one JSON array.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include <event2/event.h>

#include "check.h"
#include "conf.h"
#include "decide.h"
#include "delist.h"
#include "helo.h"
#include "ipfile.h"
#include "ipmerge.h"
#include "log.h"
#include "mail.h"
#include "notify.h"
#include "pattern.h"
#include "qname.h"
#include "reason.h"
#include "rulestats.h"
#include "store.h"
#include "store_audit.h"
#include "store_cache.h"
#include "store_list.h"
#include "store_queue.h"
#include "store_stats.h"
#include "txtsub.h"
#include "util.h"
#include "verdict.h"
#include "zone.h"

#define PROGNAME	"rdnsblctl"
#define REASON_MAXLEN	1024		/* bytes of --reason */
#define IMPORT_BATCH	100000		/* entries per write transaction */
#define SPLIT_MIN	(4 << 20)	/* bytes of a file that two threads read
					   for import --replace */
#define SPLIT_AT	53		/* % of it the first one reads: the
					   second passes over those lines too */

#define EXIT_OK		0
#define EXIT_ERR	1
#define EXIT_USAGE	2

/* Options after the command word; a row says which ones it takes. */
#define OPT_REASON	0x01
#define OPT_EXPIRES	0x02
#define OPT_JSON	0x04
#define OPT_FRESH	0x08
#define OPT_NOTE	0x10
#define OPT_HOSTBITS	0x20
#define OPT_NOWHITE	0x40
#define OPT_REPLACE	0x80
#define OPT_WHITELIST	0x100
#define OPT_UNDO	0x200

/* Row flags. */
#define CMD_WRITE	0x01	/* changes the store: purge afterwards */

struct ctl {
	const char	*conffile;
	struct conf	*conf;
	struct store	*store;
	const struct cmd *cmd;
	char		 actor[256];
	time_t		 now;
	const char	*reason;	/* --reason, or NULL */
	const char	*expires;	/* --expires, or NULL */
	const char	*note;		/* --note, or NULL */
	int		 json;		/* --json */
	int		 fresh;		/* --fresh */
	int		 host_bits;	/* --accept-host-bits */
	int		 without_white;	/* --without-white */
	int		 replace;	/* --replace */
	int		 undo;		/* --undo */
	int		 whitelist;	/* --whitelist */
};

struct cmd {
	const char	*name;
	const char	*args;		/* the rest of the synopsis line */
	int		 minargs;
	int		 maxargs;
	unsigned	 opts;		/* OPT_* accepted */
	unsigned	 flags;		/* CMD_* */
	int		(*fn)(struct ctl *, int, char **);
};

static int	cmd_add(struct ctl *, int, char **);
static int	cmd_del(struct ctl *, int, char **);
static int	cmd_list(struct ctl *, int, char **);
static int	cmd_lookup(struct ctl *, int, char **);
static int	cmd_import(struct ctl *, int, char **);
static int	cmd_export(struct ctl *, int, char **);
static int	cmd_log(struct ctl *, int, char **);
static int	cmd_check(struct ctl *, int, char **);
static int	cmd_flush(struct ctl *, int, char **);
static int	cmd_queue(struct ctl *, int, char **);
static int	cmd_helo(struct ctl *, int, char **);
static int	cmd_stats(struct ctl *, int, char **);

static const struct cmd cmds[] = {
	{ "add", "LIST ADDR[/LEN] [--reason TEXT] "
	    "[--expires DURATION]", 2, 2, OPT_REASON | OPT_EXPIRES,
	    CMD_WRITE, cmd_add },
	{ "del", "LIST ENTRY", 2, 2, 0, CMD_WRITE, cmd_del },
	{ "list", "[LIST] [--json]", 0, 1, OPT_JSON, 0, cmd_list },
	{ "lookup", "ADDR|NAME [--json]", 1, 1, OPT_JSON, 0, cmd_lookup },
	{ "import", "LIST FILE [--replace | --undo] [--accept-host-bits]",
	    2, 2, OPT_REPLACE | OPT_UNDO | OPT_HOSTBITS, CMD_WRITE,
	    cmd_import },
	{ "export", "LIST [--without-white]", 1, 1, OPT_NOWHITE, 0,
	    cmd_export },
	{ "log", "[--json]", 0, 0, OPT_JSON, 0, cmd_log },
	{ "check", "ADDR [--fresh]", 1, 1, OPT_FRESH, CMD_WRITE, cmd_check },
	{ "helo", "NAME [--fresh]", 1, 1, OPT_FRESH, CMD_WRITE, cmd_helo },
	{ "flush", "ADDR|NAME|all", 1, 1, 0, CMD_WRITE, cmd_flush },
	{ "queue", "[list | show ID | approve ID [--expires DURATION] "
	    "[--note TEXT] [--whitelist] | deny ID --reason TEXT]", 0, 2,
	    OPT_REASON | OPT_EXPIRES | OPT_NOTE | OPT_WHITELIST, CMD_WRITE,
	    cmd_queue },
	{ "stats", "[--json]", 0, 0, OPT_JSON, 0, cmd_stats },
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

static const struct {
	const char	*name;
	unsigned	 bit;
	int		 value;		/* takes a value */
} opts[] = {
	{ "reason", OPT_REASON, 1 },
	{ "expires", OPT_EXPIRES, 1 },
	{ "json", OPT_JSON, 0 },
	{ "fresh", OPT_FRESH, 0 },
	{ "note", OPT_NOTE, 1 },
	{ "accept-host-bits", OPT_HOSTBITS, 0 },
	{ "without-white", OPT_NOWHITE, 0 },
	{ "replace", OPT_REPLACE, 0 },
	{ "whitelist", OPT_WHITELIST, 0 },
	{ "undo", OPT_UNDO, 0 },
};
#define NOPTS	(sizeof(opts) / sizeof(opts[0]))

/* One JSON array written item by item. */
struct jarr {
	FILE	*fp;
	size_t	 n;
};

static void
usage(FILE *fp)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		fprintf(fp, "%s %s [-c FILE] %s %s\n", i ? "      " : "usage:",
		    PROGNAME, cmds[i].name, cmds[i].args);
	fprintf(fp, "       %s -h | -V\n", PROGNAME);
	fprintf(fp, "FILE defaults to %s; DURATION is 30, 30s, 5m, 1h, 2d "
	    "or 1w\n", CONF_DEFAULT_PATH);
}

/* After a usage error in a command: its synopsis alone. */
static void
usage_cmd(FILE *fp, const struct cmd *cmd)
{
	fprintf(fp, "usage: %s [-c FILE] %s %s\n", PROGNAME, cmd->name,
	    cmd->args);
	fprintf(fp, "%s -h lists every command\n", PROGNAME);
}

/* Print a one-line hint for a usage error; returns EXIT_USAGE. */
static int
usage_hint(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static int
usage_hint(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PROGNAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* "rdnsblctl: KIND: message" on stderr. */
static void
ctl_vmsg(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s: ", PROGNAME, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void
ctl_err(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static void
ctl_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_vmsg("error", fmt, ap);
	va_end(ap);
}

static void
ctl_warn(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static void
ctl_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_vmsg("warning", fmt, ap);
	va_end(ap);
}

/* The configuration parser's error callback: "file:line: msg". */
static void
conf_err(void *arg, const char *file, int line, const char *msg)
{
	(void)arg;
	if (file == NULL)
		fprintf(stderr, "%s\n", msg);
	else if (line > 0)
		fprintf(stderr, "%s:%d: %s\n", file, line, msg);
	else
		fprintf(stderr, "%s: %s\n", file, msg);
}

/*
 * Who is acting, for the audit trail: the invoking user under sudo,
 * else the login name of the real uid.
 */
static void
get_actor(char *buf, size_t len)
{
	const struct passwd *pw;
	const char *s;

	if (getuid() == 0 && (s = getenv("SUDO_USER")) != NULL &&
	    *s != '\0') {
		str_copy(buf, s, len);
		return;
	}
	if ((pw = getpwuid(getuid())) != NULL && pw->pw_name != NULL &&
	    pw->pw_name[0] != '\0') {
		str_copy(buf, pw->pw_name, len);
		return;
	}
	snprintf(buf, len, "uid %lu", (unsigned long)getuid());
}

/* Load the configuration and open the store. Returns 0 or -1 (reported). */
static void
pattern_err(void *arg, const char *msg)
{
	(void)arg;
	ctl_err("%s", msg);
}

/* Load the configuration once; -1 after reporting its errors. */
static int
ctl_conf(struct ctl *c)
{
	int nerrors = 0;

	if (c->conf != NULL)
		return 0;
	c->conf = conf_load(c->conffile, conf_err, NULL, &nerrors);
	if (c->conf == NULL) {
		ctl_err("%d error%s in %s; fix the configuration or name "
		    "another with -c FILE", nerrors, nerrors == 1 ? "" : "s",
		    c->conffile);
		return -1;
	}
	return 0;
}

/*
 * The configuration, the store, and the lists the configuration
 * declares: created by a command that writes, only opened (when the
 * database has them) by one that reads.
 */
static int
ctl_open(struct ctl *c)
{
	char errbuf[1024];
	struct stat sb;
	unsigned id;
	size_t i, n;
	int readonly;

	if (ctl_conf(c) == -1)
		return -1;
	readonly = !(c->cmd->flags & CMD_WRITE);
	if (store_verify(c->conf->database, errbuf, sizeof(errbuf)) == -1) {
		ctl_err("store: %s", errbuf);
		return -1;
	}
	c->store = store_open(c->conf->database, c->conf->map_size,
	    readonly, errbuf, sizeof(errbuf));
	if (c->store == NULL) {
		if (readonly && stat(c->conf->database, &sb) == -1 &&
		    errno == ENOENT)
			ctl_err("store: %s (the database is created by "
			    "rdnsbld or by the first %s add or import)",
			    errbuf, PROGNAME);
		else
			ctl_err("store: %s", errbuf);
		return -1;
	}
	for (i = 0; i < c->conf->nlists; i++)
		if (store_list_open(c->store, c->conf->lists[i].name,
		    c->conf->lists[i].kind, !readonly, &id, errbuf,
		    sizeof(errbuf)) == STORE_ERROR) {
			ctl_err("store: %s", errbuf);
			return -1;
		}
	if (store_exempt_open(c->store, !readonly, c->actor, &id, &n, errbuf,
	    sizeof(errbuf)) == STORE_ERROR) {
		ctl_err("store: %s", errbuf);
		return -1;
	}
	if (n > 0)
		ctl_warn("%zu white list entr%s of approved delisting requests "
		    "converted to exemptions (%s list exempt)", n, n == 1 ?
		    "y" : "ies", PROGNAME);
	return 0;
}

/*
 * A list of the configuration (black, white or a list: clause), or a
 * usage error naming the lists there are. Returns its kind, or -1 after
 * reporting.
 */
static int
parse_list(struct ctl *c, const char *s)
{
	char names[512];
	size_t i, o;
	int kind;

	if (ctl_conf(c) == -1)
		return -1;
	if ((kind = conf_list_kind(c->conf, s)) >= 0)
		return kind;
	o = (size_t)snprintf(names, sizeof(names), "black, white, "
	    LIST_EXEMPT_NAME);
	for (i = 0; i < c->conf->nlists && o < sizeof(names); i++)
		o += (size_t)snprintf(names + o, sizeof(names) - o, ", %s",
		    c->conf->lists[i].name);
	(void)usage_hint("unknown list \"%s\" (the lists of %s: %s)", s,
	    c->conffile, names);
	return -1;
}

/*
 * The id of list name once the store is open: 1 with *id, or 0 when a
 * store opened to read has no such list yet (it is empty).
 */
static int
list_id(struct ctl *c, const char *name, unsigned *id)
{
	int l;

	if ((l = store_list_lookup(c->store, name)) == -1)
		return 0;
	*id = (unsigned)l;
	return 1;
}

/* Text output helpers. */

/* A code as "127.0.0.N", or "-" for the zone default. */
static char *
fmt_code(uint32_t code, char *buf, size_t len)
{
	if (code == 0)
		str_copy(buf, "-", len);
	else
		snprintf(buf, len, "%u.%u.%u.%u", code >> 24,
		    (code >> 16) & 0xff, (code >> 8) & 0xff, code & 0xff);
	return buf;
}

/* A UNIX time as UTC text, or "-" for none (0). */
static char *
fmt_time(int64_t t, char *buf, size_t len)
{
	if (t == 0)
		str_copy(buf, "-", len);
	else
		format_time((time_t)t, buf, len);
	return buf;
}

/* A prefix, with "!" in front for an exclusion. */
#define ENTRY_SHOWMAX	(STORE_DNAME_MAX + 4)	/* "!*." and a name */

static char *
fmt_prefix(const struct store_entry *e, char *buf, size_t len)
{
	char p[ADDR_STRLEN];

	if (e->dname != NULL)
		snprintf(buf, len, "%s%s%.*s", (e->flags & ENTRY_EXCLUDE) ?
		    "!" : "", (e->flags & ENTRY_WILD) ? "*." : "",
		    (int)e->dname_len, e->dname);
	else
		snprintf(buf, len, "%s%s", (e->flags & ENTRY_EXCLUDE) ? "!" :
		    "", addr_format(&e->prefix, p, sizeof(p)));
	return buf;
}

/*
 * Free text in double quotes: \" and \\, other printable ASCII as is,
 * anything else as \ddd (as str_escape does).
 */
static void
put_quoted(FILE *fp, const char *s, size_t n)
{
	size_t i;

	fputc('"', fp);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\')
			fprintf(fp, "\\%c", ch);
		else if (ch >= 0x20 && ch < 0x7f)
			fputc(ch, fp);
		else
			fprintf(fp, "\\%03o", ch);
	}
	fputc('"', fp);
}

/*
 * A field that must stay one word (an actor, a file name): space,
 * backslash, '"' and non-printables as \ddd; empty as "-".
 */
static void
put_word(FILE *fp, const char *s, size_t n)
{
	size_t i;

	if (n == 0) {
		fputc('-', fp);
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch > 0x20 && ch < 0x7f && ch != '\\' && ch != '"')
			fputc(ch, fp);
		else
			fprintf(fp, "\\%03o", ch);
	}
}

/* JSON output helpers. */

/*
 * A JSON string. Valid UTF-8 passes through; a byte that is not part of
 * one is written as the code point of the same value (\u00XX, Latin-1),
 * so the output is always valid JSON and nothing is dropped.
 */
static void
put_jstr(FILE *fp, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, l;

	fputc('"', fp);
	for (i = 0; i < n; i++) {
		switch (u[i]) {
		case '"':
			fputs("\\\"", fp);
			continue;
		case '\\':
			fputs("\\\\", fp);
			continue;
		case '\n':
			fputs("\\n", fp);
			continue;
		case '\r':
			fputs("\\r", fp);
			continue;
		case '\t':
			fputs("\\t", fp);
			continue;
		}
		if (u[i] >= 0x20 && u[i] < 0x7f)
			fputc(u[i], fp);
		else if (u[i] >= 0x80 && (l = utf8_len(u + i, n - i)) > 0) {
			fwrite(u + i, 1, l, fp);
			i += l - 1;
		} else
			fprintf(fp, "\\u%04x", u[i]);
	}
	fputc('"', fp);
}

static void
put_jcstr(FILE *fp, const char *s)
{
	if (s == NULL)
		fputs("null", fp);
	else
		put_jstr(fp, s, strlen(s));
}

/* A time as a JSON string, or null for none. */
static void
put_jtime(FILE *fp, int64_t t)
{
	char buf[64];

	if (t == 0)
		fputs("null", fp);
	else
		put_jcstr(fp, fmt_time(t, buf, sizeof(buf)));
}

/* A code as a JSON string, or null for the zone default. */
static void
put_jcode(FILE *fp, uint32_t code)
{
	char buf[16];

	if (code == 0)
		fputs("null", fp);
	else
		put_jcstr(fp, fmt_code(code, buf, sizeof(buf)));
}

static void
jarr_item(struct jarr *j)
{
	fputs(j->n++ == 0 ? "[\n" : ",\n", j->fp);
}

static void
jarr_end(struct jarr *j)
{
	fputs(j->n == 0 ? "[]\n" : "\n]\n", j->fp);
}

/* An entry as a JSON object. */
static void
put_jentry(FILE *fp, const char *list, const struct store_entry *e)
{
	struct store_entry shown = *e;
	char p[ENTRY_SHOWMAX];

	fputs("{\"list\":", fp);
	put_jcstr(fp, list);
	fputs(",\"prefix\":", fp);
	shown.flags &= ~(uint32_t)ENTRY_EXCLUDE;	/* "exclude" says it */
	put_jcstr(fp, fmt_prefix(&shown, p, sizeof(p)));
	fprintf(fp, ",\"exclude\":%s,\"code\":",
	    (e->flags & ENTRY_EXCLUDE) ? "true" : "false");
	put_jcode(fp, e->code);
	fputs(",\"added\":", fp);
	put_jtime(fp, e->added);
	fputs(",\"expires\":", fp);
	put_jtime(fp, e->expires);
	fputs(",\"actor\":", fp);
	put_jstr(fp, e->actor != NULL ? e->actor : "", e->actor_len);
	fputs(",\"reason\":", fp);
	put_jstr(fp, e->reason != NULL ? e->reason : "", e->reason_len);
	fputc('}', fp);
}

/* After a write: drop what has expired. Returns 0 or -1 (reported). */
static int
ctl_purge(struct ctl *c)
{
	char errbuf[1024];
	size_t purged = 0;

	if (store_purge(c->store, c->now, PROGNAME, &purged, errbuf,
	    sizeof(errbuf)) == STORE_ERROR) {
		ctl_err("store: purging expired entries: %s", errbuf);
		return -1;
	}
	return 0;
}

/*
 * 1 if s holds a control character: a reason is one line of text (it
 * becomes a TXT record and an export line).
 */
static int
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* --expires DURATION into *secs (0: not given). -1 when reported. */
static int
parse_expires(struct ctl *c, uint64_t *secs)
{
	const char *errstr;

	*secs = 0;
	if (c->expires == NULL)
		return 0;
	if (parse_duration(c->expires, secs, &errstr) == -1) {
		ctl_err("--expires \"%s\": %s%s", c->expires, errstr,
		    strstr(errstr, "(use") != NULL ? "" :
		    " (use 30, 30s, 5m, 1h, 2d or 1w)");
		return -1;
	}
	if (*secs == 0) {
		ctl_err("--expires 0 would expire the entry at once; "
		    "leave out --expires for no expiry");
		return -1;
	}
	if (*secs > (uint64_t)INT64_MAX - (uint64_t)c->now) {
		ctl_err("--expires \"%s\": too long", c->expires);
		return -1;
	}
	return 0;
}

/*
 * A domain list's entry as written on the command line: "name",
 * "*.name" (below it), ".name" (both: *both set), "!" before any of them
 * for an exclusion. The name is lower-cased into buf, its final dot
 * dropped. Returns 0, or -1 after reporting a name that cannot be one.
 */
static int
parse_dentry(const char *arg, struct store_entry *e, int *both, char *buf,
    size_t len)
{
	const char *s = arg;
	size_t i, n;

	*both = 0;
	e->flags = 0;
	if (*s == '!') {
		e->flags |= ENTRY_EXCLUDE;
		s++;
	}
	if (s[0] == '*' && s[1] == '.') {
		e->flags |= ENTRY_WILD;
		s += 2;
	} else if (s[0] == '.') {
		*both = 1;
		s++;
	}
	n = strlen(s);
	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0 || n >= len || n > STORE_DNAME_MAX) {
		ctl_err("\"%s\" is no domain name (write name, .name, *.name "
		    "or !name)", arg);
		return -1;
	}
	for (i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	buf[n] = '\0';
	e->dname = buf;
	e->dname_len = n;
	return 0;
}

/*
 * An ip list's entry as written on the command line: an address or
 * range, "!" before it for an exclusion (as "list" prints one), into e.
 * Returns 0, or -1 after reporting what is wrong.
 */
static int
parse_aentry(const char *arg, struct store_entry *e)
{
	char errbuf[1024];

	e->flags = 0;
	if (*arg == '!') {
		e->flags |= ENTRY_EXCLUDE;
		arg++;
	}
	if (addr_parse(arg, 0, &e->prefix, errbuf, sizeof(errbuf)) == -1) {
		ctl_err("%s", errbuf);
		return -1;
	}
	return 0;
}

/*
 * The text of a reason option, into TEXT (REASON_MAXLEN + 1 bytes): one
 * line, blanks at both ends dropped, read as the TXT of a data file's
 * line, so that "$" is the queried address.
 */
static int
reason_arg(const struct ctl *c, char *text, const char **r, size_t *rlen)
{
	char raw[REASON_MAXLEN + 1];
	const char *s;
	size_t n;

	if (c->reason != NULL && strlen(c->reason) > REASON_MAXLEN) {
		ctl_err("reason is %zu bytes long; the limit is %d",
		    strlen(c->reason), REASON_MAXLEN);
		return -1;
	}
	if (c->reason != NULL && has_control(c->reason)) {
		ctl_err("the reason contains control characters (such as a "
		    "tab or a newline); give it as one line of text");
		return -1;
	}
	/* leading and trailing blanks are dropped, as import drops them */
	s = c->reason != NULL ? c->reason : "";
	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	memcpy(raw, s, n);
	raw[n] = '\0';
	if (txtsub_resolve(raw, NULL, text, REASON_MAXLEN + 1, NULL) == -1) {
		ctl_err("the reason is over %d bytes long once its \"$\" are "
		    "written as stored (\"$1\" as \"$$1\")", REASON_MAXLEN);
		return -1;
	}
	*r = text;
	*rlen = strlen(text);
	return 0;
}

/* add LIST ENTRY [--reason TEXT] [--expires DURATION] */
static int
cmd_add(struct ctl *c, int argc, char **argv)
{
	char errbuf[1024], shown[ENTRY_SHOWMAX], name[STORE_DNAME_MAX + 2];
	char text[REASON_MAXLEN + 1];
	struct store_entry e;
	uint64_t secs = 0;
	unsigned list;
	int kind, both = 0, k, replaced = 0;

	(void)argc;
	if ((kind = parse_list(c, argv[0])) == -1)
		return EXIT_USAGE;
	memset(&e, 0, sizeof(e));
	if (kind == LIST_KIND_DOMAIN ? parse_dentry(argv[1], &e, &both,
	    name, sizeof(name)) == -1 : parse_aentry(argv[1], &e) == -1)
		return EXIT_ERR;
	if (reason_arg(c, text, &e.reason, &e.reason_len) == -1 ||
	    parse_expires(c, &secs) == -1)
		return EXIT_ERR;
	if (ctl_open(c) == -1 || !list_id(c, argv[0], &list))
		return EXIT_ERR;
	e.added = (int64_t)c->now;
	e.expires = secs ? (int64_t)c->now + (int64_t)secs : 0;
	e.actor = c->actor;
	e.actor_len = strlen(c->actor);
	/* ".name" is two entries: the name, and the names below it */
	for (k = 0; k <= both; k++) {
		if (k == 1)
			e.flags |= ENTRY_WILD;
		if (store_add(c->store, list, &e, &replaced, errbuf,
		    sizeof(errbuf)) == STORE_ERROR) {
			ctl_err("store: %s", errbuf);
			return EXIT_ERR;
		}
		printf("%s %s %s\n", replaced ? "replaced" : "added", argv[0],
		    fmt_prefix(&e, shown, sizeof(shown)));
	}
	return EXIT_OK;
}

/* del LIST ENTRY */
/*
 * No entry p (shown) in list lname: say which entry covers it, if one
 * does, and how to remove it or make an exception.
 */
static void
del_cover(struct ctl *c, const char *lname, unsigned list,
    const struct addr *p, const char *shown)
{
	struct store_entry e;
	char errbuf[256], cover[ADDR_STRLEN], white[2 * ENTRY_SHOWMAX + 64];
	enum store_rc rc = STORE_NOTFOUND;

	if (store_read_begin(c->store, errbuf, sizeof(errbuf)) == STORE_OK) {
		rc = store_lookup(c->store, list, p, c->now, 1, &e, errbuf,
		    sizeof(errbuf));
		if (rc == STORE_OK)
			addr_format(&e.prefix, cover, sizeof(cover));
		store_read_end(c->store);
	}
	if (rc == STORE_OK && e.prefix.len < p->len) {
		white[0] = '\0';
		if (strcmp(lname, "black") == 0)
			snprintf(white, sizeof(white), "; \"%s add white %s\" "
			    "excepts %s alone", PROGNAME, shown, shown);
		ctl_err("no %s entry for %s: the %s entry %s covers it "
		    "(\"%s del %s %s\" removes the whole range%s)", lname,
		    shown, lname, cover, PROGNAME, lname, cover, white);
	}
	else
		ctl_err("no %s entry for %s (see %s list %s)", lname, shown,
		    PROGNAME, lname);
}

static int
cmd_del(struct ctl *c, int argc, char **argv)
{
	char errbuf[1024], shown[ENTRY_SHOWMAX], name[STORE_DNAME_MAX + 2];
	struct store_entry e;
	enum store_rc rc;
	unsigned list;
	int kind, both = 0, k, ret = EXIT_OK;

	(void)argc;
	if ((kind = parse_list(c, argv[0])) == -1)
		return EXIT_USAGE;
	memset(&e, 0, sizeof(e));
	if (kind == LIST_KIND_DOMAIN ? parse_dentry(argv[1], &e, &both,
	    name, sizeof(name)) == -1 : parse_aentry(argv[1], &e) == -1)
		return EXIT_ERR;
	e.flags &= ~(uint32_t)ENTRY_EXCLUDE;	/* not in the key */
	if (ctl_open(c) == -1 || !list_id(c, argv[0], &list))
		return EXIT_ERR;
	for (k = 0; k <= both; k++) {
		if (k == 1)
			e.flags |= ENTRY_WILD;
		rc = kind == LIST_KIND_DOMAIN ? store_del_name(c->store, list,
		    name, (e.flags & ENTRY_WILD) != 0, c->actor, errbuf,
		    sizeof(errbuf)) : store_del(c->store, list, &e.prefix,
		    c->actor, errbuf, sizeof(errbuf));
		fmt_prefix(&e, shown, sizeof(shown));
		if (rc == STORE_OK)
			printf("deleted %s %s\n", argv[0], shown);
		else if (rc == STORE_NOTFOUND) {
			if (kind != LIST_KIND_DOMAIN)
				del_cover(c, argv[0], list, &e.prefix, shown);
			else
				ctl_err("no %s entry for %s (see %s list %s)",
				    argv[0], shown, PROGNAME, argv[0]);
			ret = EXIT_ERR;
		} else {
			ctl_err("store: %s", errbuf);
			return EXIT_ERR;
		}
	}
	return ret;
}

struct list_ctx {
	FILE		*fp;
	const char	*list;
	time_t		 now;
	int		 json;
	struct jarr	 ja;
};

static int
list_cb(void *arg, const struct store_entry *e)
{
	struct list_ctx *lc = arg;
	char p[ENTRY_SHOWMAX], code[16], added[64], exp[64];

	if (store_entry_expired(e, lc->now))
		return 0;
	if (lc->json) {
		jarr_item(&lc->ja);
		put_jentry(lc->fp, lc->list, e);
		return 0;
	}
	fprintf(lc->fp, "%s %s %s %s %s ", lc->list,
	    fmt_prefix(e, p, sizeof(p)), fmt_code(e->code, code, sizeof(code)),
	    fmt_time(e->added, added, sizeof(added)),
	    fmt_time(e->expires, exp, sizeof(exp)));
	put_word(lc->fp, e->actor != NULL ? e->actor : "", e->actor_len);
	fputc(' ', lc->fp);
	put_quoted(lc->fp, e->reason != NULL ? e->reason : "", e->reason_len);
	fputc('\n', lc->fp);
	return 0;
}

/*
 * After a walk that passed over N unreadable entries: EXIT_OK when none,
 * else EXIT_ERR with the count (what was readable is out all the same).
 */
static int
skipped_report(const char *cmd, size_t n)
{
	if (n == 0)
		return EXIT_OK;
	ctl_err("store: %zu corrupt entr%s skipped: the %s lacks %s, the "
	    "rest is complete", n, n == 1 ? "y" : "ies", cmd,
	    n == 1 ? "it" : "them");
	return EXIT_ERR;
}

/* list [LIST] [--json]: one list, or every list of the configuration */
static int
cmd_list(struct ctl *c, int argc, char **argv)
{
	char errbuf[1024];
	struct list_ctx lc;
	const char *name;
	unsigned id;
	size_t i, n, skipped = 0;

	if (argc == 1 && parse_list(c, argv[0]) == -1)
		return EXIT_USAGE;
	if (ctl_open(c) == -1)
		return EXIT_ERR;
	memset(&lc, 0, sizeof(lc));
	lc.fp = stdout;
	lc.now = c->now;
	lc.json = c->json;
	lc.ja.fp = stdout;
	n = argc == 1 ? 1 : 3 + c->conf->nlists;
	for (i = 0; i < n; i++) {
		name = argc == 1 ? argv[0] : i == 0 ? "black" : i == 1 ?
		    "white" : i == 2 ? LIST_EXEMPT_NAME :
		    c->conf->lists[i - 3].name;
		if (!list_id(c, name, &id))
			continue;	/* not in the database yet: empty */
		lc.list = name;
		if (store_walk(c->store, id, list_cb, &lc, &skipped, errbuf,
		    sizeof(errbuf)) == STORE_ERROR) {
			ctl_err("store: %s", errbuf);
			return EXIT_ERR;
		}
	}
	if (c->json)
		jarr_end(&lc.ja);
	return skipped_report("list", skipped);
}

/* The "entry:" / "whitelisted:" detail line of lookup. */
static void
lookup_entry_line(FILE *fp, const char *label, const char *list,
    const struct store_entry *e)
{
	char p[ENTRY_SHOWMAX], added[64], exp[64];

	fprintf(fp, "  %s: %s %s", label, list, fmt_prefix(e, p, sizeof(p)));
	fprintf(fp, " added %s by ", fmt_time(e->added, added,
	    sizeof(added)));
	put_word(fp, e->actor != NULL ? e->actor : "", e->actor_len);
	fprintf(fp, " expires %s reason ", fmt_time(e->expires, exp,
	    sizeof(exp)));
	put_quoted(fp, e->reason != NULL ? e->reason : "", e->reason_len);
	fputc('\n', fp);
}

/* One line about a computed verdict. */
static void
print_check(FILE *fp, const char *prefix, const struct check_result *r,
    int is_name)
{
	char t1[32], t2[32];

	format_time(r->checked, t1, sizeof(t1));
	format_time(r->expires, t2, sizeof(t2));
	fprintf(fp, "%s%s checked %s cached until %s", prefix,
	    cverdict_name(r->verdict), t1, t2);
	if (r->names[0])
		fprintf(fp, " %s %s", is_name ? "addresses" : "ptr", r->names);
	if (r->confirmed[0])
		fprintf(fp, " confirmed %s", r->confirmed);
	if (r->rule[0])
		fprintf(fp, " rule %s", r->rule);
	fputs(" detail ", fp);
	put_quoted(fp, r->detail, strlen(r->detail));
	fputc('\n', fp);
}

static void
put_jcheck(FILE *fp, const struct check_result *r)
{
	char t[32];

	fputs("{\"verdict\":", fp);
	put_jcstr(fp, cverdict_name(r->verdict));
	format_time(r->checked, t, sizeof(t));
	fputs(",\"checked\":", fp);
	put_jcstr(fp, t);
	format_time(r->expires, t, sizeof(t));
	fputs(",\"expires\":", fp);
	put_jcstr(fp, t);
	fputs(",\"ptr\":", fp);
	put_jcstr(fp, r->names);
	fputs(",\"confirmed\":", fp);
	put_jcstr(fp, r->confirmed[0] ? r->confirmed : NULL);
	fputs(",\"rule\":", fp);
	put_jcstr(fp, r->rule[0] ? r->rule : NULL);
	fputs(",\"detail\":", fp);
	put_jcstr(fp, r->detail);
	fputc('}', fp);
}

/* check ADDR [--fresh]: run the computed checks and print the trace. */
struct check_run {
	struct event_base	*base;
	struct check_result	 r;
	int			 done;
};

static void
check_trace(void *arg, const char *line)
{
	(void)arg;
	printf("  %s\n", line);
}

static void
check_done(void *arg, const struct check_result *r)
{
	struct check_run *run = arg;

	run->r = *r;
	run->done = 1;
	event_base_loopexit(run->base, NULL);
}

/*
 * The verdict on s: from the cache unless --fresh (*cached set), else
 * looked up now with every step printed. Returns -1 after an error.
 */
static int
run_check(struct ctl *c, const struct check_subject *s,
    const struct patterns *pat, struct check_result *r, int *cached)
{
	char errbuf[1024], text[HELO_NAMELEN];
	struct check_run run;
	struct checker *ck = NULL;
	enum store_rc src;
	int rc = -1;

	*cached = 0;
	memset(&run, 0, sizeof(run));
	if (!c->fresh) {
		if (store_read_begin(c->store, errbuf, sizeof(errbuf)) !=
		    STORE_OK) {
			ctl_err("store: %s", errbuf);
			return -1;
		}
		src = verdict_cached(c->store, s, c->now, r, errbuf,
		    sizeof(errbuf));
		store_read_end(c->store);
		if (src == STORE_ERROR) {
			ctl_err("store: %s", errbuf);
			return -1;
		}
		if (src == STORE_OK) {
			*cached = 1;
			return 0;
		}
	}
	if ((run.base = event_base_new()) == NULL) {
		ctl_err("cannot create an event base");
		goto out;
	}
	ck = checker_new(run.base, c->conf, c->store, pat, errbuf,
	    sizeof(errbuf));
	if (ck == NULL) {
		ctl_err("resolver: %s", errbuf);
		goto out;
	}
	printf("%s: checking\n", check_subject_text(s, text, sizeof(text)));
	checker_set_trace(ck, check_trace, NULL);
	/* no wait timeout: the resolver's own timeouts end the check */
	if (checker_wait(ck, s, 0, check_done, &run) == NULL) {
		ctl_err("the checker refused the check");
		goto out;
	}
	if (event_base_dispatch(run.base) == -1 || !run.done) {
		ctl_err("the check did not finish");
		goto out;
	}
	*r = run.r;
	rc = 0;
out:
	checker_free(ck);
	if (run.base != NULL)
		event_base_free(run.base);
	return rc;
}

/* The dynamic-host patterns, or -1 after errors (reported). */
static int
load_patterns(struct ctl *c, struct patterns **pat)
{
	int nerrors = 0;

	*pat = patterns_for(c->conf, pattern_err, NULL, &nerrors);
	if (nerrors > 0) {
		ctl_err("%d error%s in %s", nerrors, nerrors == 1 ? "" : "s",
		    c->conf->dynamic_patterns);
		return -1;
	}
	return 0;
}

static int
cmd_check(struct ctl *c, int argc, char **argv)
{
	char errbuf[1024], ip[ADDR_STRLEN];
	struct check_result r;
	struct check_subject s;
	struct patterns *pat = NULL;
	struct addr a;
	int cached, rc = EXIT_ERR;

	(void)argc;
	if (addr_parse(argv[0], 0, &a, errbuf, sizeof(errbuf)) == -1) {
		if (strchr(argv[0], '.') != NULL && strchr(argv[0], '/') ==
		    NULL && !isdigit((unsigned char)argv[0][0]))
			ctl_err("check takes an IP address, not the name "
			    "\"%s\"; for a HELO name: %s helo %s", argv[0],
			    PROGNAME, argv[0]);
		else
			ctl_err("%s", errbuf);
		return EXIT_ERR;
	}
	if (a.len != ADDR_BITS(&a)) {
		ctl_err("check takes one address, not a range such as %s",
		    argv[0]);
		return EXIT_ERR;
	}
	if (ctl_open(c) == -1)
		return EXIT_ERR;
	addr_format(&a, ip, sizeof(ip));
	check_subject_host(&s, &a);
	if (load_patterns(c, &pat) == 0 &&
	    run_check(c, &s, pat, &r, &cached) == 0) {
		if (cached) {
			printf("%s %s (cached; --fresh looks it up again)\n",
			    ip, cverdict_name(r.verdict));
			print_check(stdout, "  ", &r, 0);
		} else
			printf("%s %s\n", ip, cverdict_name(r.verdict));
		rc = EXIT_OK;
	}
	patterns_free(pat);
	return rc;
}

/* The checks of every helo zone, or 0 when there is none. */
static unsigned
helo_checks(const struct conf *conf)
{
	unsigned checks = 0;
	size_t i;

	for (i = 0; i < conf->nzones; i++)
		if (conf->zones[i].type == ZONE_HELO)
			checks |= conf->zones[i].checks;
	return checks;
}

/* The static steps of the HELO judgement, one line each. */
static void
print_helo_steps(const struct ctl *c, const struct helo_env *env,
    unsigned checks, const struct helo_result *h)
{
	static const char *const forms[] = {
		"a domain name", "an address literal", "a bare IP address",
		"not a host name (nothing applies)"
	};
	char ip[ADDR_STRLEN];

	printf("  form: %s\n", forms[h->form]);
	if (checks & (1U << REASON_BAD_NAME)) {
		if (h->bad_entry != NULL)
			printf("  bad-name: yes, listed as %s in %s\n",
			    h->bad_entry, c->conf->bad_helo_names);
		else
			printf("  bad-name: no (%zu entries in %s)\n",
			    env->bad ? helo_list_count(env->bad) : 0,
			    c->conf->bad_helo_names);
	}
	if (checks & (1U << REASON_NO_DOT))
		printf("  no-dot: %s\n", h->reasons & (1U << REASON_NO_DOT) ?
		    "yes, a single label" : "no");
	if (checks & (1U << REASON_OWN_NAME)) {
		if (h->own != NULL)
			printf("  own-name: yes, %s%s%s\n", h->own,
			    h->form == HELO_NAME ? "" : " ",
			    h->form == HELO_NAME ? "" :
			    addr_format(&h->a, ip, sizeof(ip)));
		else
			printf("  own-name: no (%zu names, %zu addresses in "
			    "own-names)\n", c->conf->nown_names,
			    c->conf->own_addrs.n);
	}
	if (checks & (1U << REASON_HELO_DYNAMIC)) {
		if (h->rule != NULL)
			printf("  dynamic: yes, rule %s\n", h->rule);
		else if (h->exception != NULL)
			printf("  dynamic: no, exempt by exception %s\n",
			    h->exception);
		else
			printf("  dynamic: no%s\n", h->form == HELO_NAME ? "" :
			    " (not a name)");
	}
	if (checks & (1U << REASON_BARE_IP))
		printf("  bare-ip: %s\n", h->reasons & (1U << REASON_BARE_IP) ?
		    "yes, an address without brackets" : "no");
	if ((checks & (1U << REASON_NO_DNS)) && !h->lookup)
		printf("  no-dns: not looked up (%s)\n", h->form != HELO_NAME ?
		    "not a name" : "a single label");
}

/* One helo zone's verdict on the name arg, as cmd_helo prints it. */
static int
helo_zone(void *arg, const struct zone *z, const struct verdict *v)
{
	const char *name = arg;
	char txt[4096], code[16];
	int k;

	if (z->conf->type != ZONE_HELO)
		return 0;	/* an rhsbl zone: rdnsblctl lookup */

	if (!v->listed) {
		printf("%s helo not-listed%s\n", z->conf->name, v->unknown ?
		    " (lookup failed: the zone answers its on-lookup-failure)" :
		    v->test_point ? " (RFC 5782 test point)" : "");
		return 0;
	}
	printf("%s helo listed", z->conf->name);
	for (k = 0; k < REASON_MAX; k++)
		if (v->reasons & (1U << k))
			printf(" %s %s", fmt_code(z->conf->code[k], code,
			    sizeof(code)), reason_get(k)->key);
	putchar('\n');
	(void)decide_txt(z, v, name, txt, sizeof(txt));
	fputs("  txt: ", stdout);
	put_quoted(stdout, txt, strlen(txt));
	printf("\n  query: %s.%s\n", name, z->conf->name);
	return 0;
}

/* helo NAME [--fresh]: the helo zones' verdict on a HELO name, explained. */
static int
cmd_helo(struct ctl *c, int argc, char **argv)
{
	char errbuf[1024], name[HELO_NAMELEN];
	struct patterns *pat = NULL;
	struct helo_list *bad = NULL;
	struct helo_env env;
	struct helo_result h;
	struct check_result r;
	struct check_subject s;
	struct zoneset *zs = NULL;
	unsigned checks;
	int cached, nerrors = 0, have = 0, rc = EXIT_ERR;

	(void)argc;
	if (helo_normalize(argv[0], strlen(argv[0]), name,
	    sizeof(name)) == -1) {
		ctl_err("\"%s\" cannot be a HELO name: give it without "
		    "spaces or control characters, at most 253 bytes",
		    argv[0]);
		return EXIT_ERR;
	}
	if (ctl_open(c) == -1)
		return EXIT_ERR;
	if ((checks = helo_checks(c->conf)) == 0) {
		ctl_err("%s has no zone of type helo; add one (see "
		    "rdnsbld.conf(5))", c->conffile);
		return EXIT_ERR;
	}
	if (load_patterns(c, &pat) == -1)
		return EXIT_ERR;
	bad = helo_list_for(c->conf, pattern_err, NULL, &nerrors);
	if (nerrors > 0) {
		ctl_err("%d error%s in %s", nerrors, nerrors == 1 ? "" : "s",
		    c->conf->bad_helo_names);
		goto out;
	}
	env.bad = bad;
	env.pat = pat;
	env.conf = c->conf;
	printf("%s:\n", name);
	helo_judge(&env, name, checks, &h);
	print_helo_steps(c, &env, checks, &h);
	(void)check_subject_name(&s, name);	/* normalised: it fits */
	if (h.lookup) {
		if (run_check(c, &s, pat, &r, &cached) == -1)
			goto out;
		have = 1;
		printf("  no-dns: %s%s\n", r.verdict == CV_NO_DNS ? "yes" :
		    r.verdict == CV_UNKNOWN ? "unknown, a temporary failure "
		    "(never a listing)" : "no", cached ? " (cached; --fresh "
		    "looks it up again)" : "");
		print_check(stdout, "    ", &r, 1);
	}
	if ((zs = zoneset_new(c->conf, 0, errbuf, sizeof(errbuf))) == NULL) {
		ctl_err("zone: %s", errbuf);
		goto out;
	}
	if (decide_zones(zs, c->store, &env, &s, c->now, have ? &r : NULL,
	    helo_zone, name, errbuf, sizeof(errbuf)) == -1) {
		ctl_err("store: %s", errbuf);
		goto out;
	}
	rc = EXIT_OK;
out:
	zoneset_free(zs);
	helo_list_free(bad);
	patterns_free(pat);
	return rc;
}

/* flush ADDR|NAME|all: forget cached verdicts (NAME: a HELO name's). */
static int
cmd_flush(struct ctl *c, int argc, char **argv)
{
	char errbuf[1024], entry[64], name[HELO_NAMELEN];
	struct check_subject s;
	struct addr a;
	enum store_rc src;
	size_t n = 0;
	int all = strcmp(argv[0], "all") == 0, known = 0;

	(void)argc;
	if (all)
		;
	else if (addr_parse(argv[0], 0, &a, errbuf, sizeof(errbuf)) == 0) {
		if (a.len != ADDR_BITS(&a)) {
			ctl_err("flush takes one address, not a range");
			return EXIT_ERR;
		}
		check_subject_host(&s, &a);
		known = 1;
	} else if (helo_normalize(argv[0], strlen(argv[0]), name,
	    sizeof(name)) == 0 && strchr(name, ':') == NULL)
		known = check_subject_name(&s, name) == 0;
	if (!all && !known) {
		ctl_err("flush takes one address, a HELO name or \"all\"");
		return EXIT_ERR;
	}
	if (ctl_open(c) == -1)
		return EXIT_ERR;
	src = all ? store_cache_del(c->store, NULL, 0, &n, errbuf,
	    sizeof(errbuf)) : verdict_forget(c->store, &s, errbuf,
	    sizeof(errbuf));
	if (src == STORE_ERROR) {
		ctl_err("store: %s", errbuf);
		return EXIT_ERR;
	}
	if (all) {
		snprintf(entry, sizeof(entry), "%zu verdicts", n);
		if (store_audit_add(c->store, c->actor, "flush", "", "all",
		    entry, errbuf, sizeof(errbuf)) != STORE_OK) {
			ctl_err("store: %s", errbuf);
			return EXIT_ERR;
		}
		printf("flushed %zu cached verdict%s\n", n, n == 1 ? "" : "s");
	} else
		printf("%s %s\n", src == STORE_OK ? "flushed" :
		    "no cached verdict for", argv[0]);
	return EXIT_OK;
}

/* What cmd_lookup prints each zone's verdict with. */
struct lookup_out {
	struct ctl	*c;
	const char	*arg;		/* the address or name as given */
	char		 ip[HELO_NAMELEN];	/* it as text, or the name */
	char		 qn[HELO_NAMELEN];	/* the query name below the
						   zones */
	struct jarr	 ja;
};

/* The "txt:" line of a listing: its text, or none. */
static void
put_txt_line(FILE *fp, int has, const char *txt)
{
	if (!has) {
		fputs("  txt: none (the entry's data file gave it no TXT)\n",
		    fp);
		return;
	}
	fputs("  txt: ", fp);
	put_quoted(fp, txt, strlen(txt));
	fputc('\n', fp);
}

static int
lookup_zone(void *arg, const struct zone *z, const struct verdict *v)
{
	struct lookup_out *lo = arg;
	struct store *st = lo->c->store;
	char full[600], txt[4096], code[16];
	size_t i;

	if (z->conf->type == ZONE_HELO)
		return 0;	/* about HELO names: rdnsblctl helo */

	txt[0] = '\0';
	if (v->listed)
		(void)decide_txt(z, v, lo->ip, txt, sizeof(txt));
	if (lo->c->json) {
		jarr_item(&lo->ja);
		fputs("{\"zone\":", stdout);
		put_jcstr(stdout, z->conf->name);
		fputs(",\"type\":", stdout);
		put_jcstr(stdout, zone_type_name(z->conf->type));
		fprintf(stdout, ",\"listed\":%s,\"code\":",
		    v->listed ? "true" : "false");
		put_jcode(stdout, v->listed ? v->code : 0);
		fputs(",\"reason\":", stdout);
		put_jcstr(stdout, v->listed ? reason_get(v->reason)->key : NULL);
		fprintf(stdout, ",\"test_point\":%s,\"whitelisted\":%s,"
		    "\"exempted\":%s,\"entry\":", v->test_point ? "true" :
		    "false", v->white ? "true" : "false", v->exempt ? "true" :
		    "false");
		if (v->have_entry)
			put_jentry(stdout, store_list_name(st, v->entry_list),
			    &v->entry);
		else
			fputs("null", stdout);
		fputs(",\"also\":[", stdout);
		for (i = 0; i < v->nmore; i++) {
			fputs(i ? ",{\"code\":" : "{\"code\":", stdout);
			put_jcode(stdout, v->more[i].code);
			fputs(",\"entry\":", stdout);
			put_jentry(stdout, store_list_name(st, v->more[i].list),
			    &v->more[i].entry);
			(void)decide_txt_more(z, v, i, lo->ip, full,
			    sizeof(full));
			fputs(",\"txt\":", stdout);
			put_jcstr(stdout, decide_has_txt(z, v, i + 1) ? full :
			    NULL);
			fputc('}', stdout);
		}
		fputs("],\"computed\":", stdout);
		if (v->have_check)
			put_jcheck(stdout, &v->check);
		else
			fputs("null", stdout);
		fputs(",\"txt\":", stdout);
		put_jcstr(stdout, v->listed && decide_has_txt(z, v, 0) ? txt :
		    NULL);
		snprintf(full, sizeof(full), "%s.%s", lo->qn, z->conf->name);
		fputs(",\"query\":", stdout);
		put_jcstr(stdout, full);
		fputc('}', stdout);
		return 0;
	}
	if (v->listed)
		printf("%s %s listed %s %s\n", z->conf->name,
		    zone_type_name(z->conf->type),
		    fmt_code(v->code, code, sizeof(code)),
		    reason_get(v->reason)->key);
	else
		printf("%s %s not-listed\n", z->conf->name,
		    zone_type_name(z->conf->type));
	if (v->have_entry)
		lookup_entry_line(stdout, v->exempt ? "exempted" : v->white &&
		    z->conf->type == ZONE_DNSBL ? "whitelisted" : "entry",
		    store_list_name(st, v->entry_list), &v->entry);
	if (v->test_point)
		printf("  test-point: RFC 5782\n");
	if (v->need_check)
		printf("  computed: not checked yet (%s check %s runs the "
		    "checks)\n", PROGNAME, lo->arg);
	if (v->have_check)
		print_check(stdout, "  computed: ", &v->check, 0);
	if (v->listed)
		put_txt_line(stdout, decide_has_txt(z, v, 0), txt);
	for (i = 0; i < v->nmore; i++) {
		printf("  also: %s %s\n", store_list_name(st, v->more[i].list),
		    fmt_code(v->more[i].code, code, sizeof(code)));
		lookup_entry_line(stdout, "entry",
		    store_list_name(st, v->more[i].list), &v->more[i].entry);
		(void)decide_txt_more(z, v, i, lo->ip, txt, sizeof(txt));
		put_txt_line(stdout, decide_has_txt(z, v, i + 1), txt);
	}
	printf("  query: %s.%s\n", lo->qn, z->conf->name);
	return 0;
}

/* lookup ADDR [--json] */
static int
cmd_lookup(struct ctl *c, int argc, char **argv)
{
	char errbuf[1024];
	struct lookup_out lo;
	struct check_subject s;
	struct zoneset *zs;
	struct addr a;
	int is_name, rc = EXIT_OK;

	memset(&lo, 0, sizeof(lo));

	(void)argc;
	/* something like an address is one; anything else a domain name */
	is_name = strspn(argv[0], "0123456789abcdefABCDEF.:/") !=
	    strlen(argv[0]) || (strchr(argv[0], ':') == NULL &&
	    strspn(argv[0], "0123456789./") != strlen(argv[0]));
	if (is_name) {
		if (helo_normalize(argv[0], strlen(argv[0]), lo.ip,
		    sizeof(lo.ip)) == -1 || strchr(lo.ip, '/') != NULL) {
			ctl_err("\"%s\" is neither an address nor a domain "
			    "name", argv[0]);
			return EXIT_ERR;
		}
	} else if (addr_parse(argv[0], 0, &a, errbuf, sizeof(errbuf)) == -1) {
		ctl_err("%s", errbuf);
		return EXIT_ERR;
	} else if (a.len != ADDR_BITS(&a)) {
		ctl_err("lookup takes one address, not a range such as %s; "
		    "see %s list for the ranges", argv[0], PROGNAME);
		return EXIT_ERR;
	}
	if (ctl_open(c) == -1)
		return EXIT_ERR;
	if ((zs = zoneset_new(c->conf, 0, errbuf, sizeof(errbuf))) == NULL) {
		ctl_err("zone: %s", errbuf);
		return EXIT_ERR;
	}
	if (decide_bind(zs, c->conf, c->store, 0, NULL, errbuf,
	    sizeof(errbuf)) == -1) {
		ctl_err("store: %s", errbuf);
		zoneset_free(zs);
		return EXIT_ERR;
	}
	lo.c = c;
	lo.arg = argv[0];
	lo.ja.fp = stdout;
	if (is_name) {
		str_copy(lo.qn, lo.ip, sizeof(lo.qn));
		(void)check_subject_name(&s, lo.ip);
	} else {
		qname_from_addr(&a, lo.qn, sizeof(lo.qn));
		addr_format(&a, lo.ip, sizeof(lo.ip));
		check_subject_addr(&s, &a);
	}
	if (decide_zones(zs, c->store, NULL, &s, c->now, NULL, lookup_zone,
	    &lo, errbuf, sizeof(errbuf)) == -1) {
		ctl_err("store: %s", errbuf);
		rc = EXIT_ERR;
	}
	if (c->json && rc == EXIT_OK)
		jarr_end(&lo.ja);
	zoneset_free(zs);
	return rc;
}

/*
 * The file's line of each entry, for the messages about duplicates: from
 * the entry seq on, an entry's line is its number plus delta. A feed of
 * one entry a line needs a run or so; a range of several prefixes starts
 * a run for each of them.
 */
struct lineruns {
	size_t		 seq;
	ptrdiff_t	 delta;
};

struct import_ctx {
	struct ipfile	*ipf;
	const char	*path;
	const char	*actor;
	size_t		 actor_len;
	time_t		 now;
	int		 quiet;		/* second pass: warnings are known */
	int		 tolerant;	/* one pass: report bad lines, go on,
					   fail at the end */
	struct lineruns	*runs;		/* tolerant: the line of each entry */
	size_t		 nruns;
	size_t		 capruns;
	size_t		 nlines;	/* entries numbered */
	size_t		 nwarn;
	size_t		 nerr;
	size_t		 nexpired;
	struct import_ctx *part2;	/* the file's second part, or NULL */
	int		 holding;	/* the second part: its messages wait
					   until the first part's are out */
	char		*held;		/* 'E' or 'W', the message, NUL */
	size_t		 heldlen;
	size_t		 heldcap;
};

/*
 * An error (ERR) or warning of the import, said now, or held when it is
 * the file's second part, read at the same time as the first: the
 * messages keep the order of the file's lines.
 */
static void
import_say(struct import_ctx *ic, int err, const char *msg)
{
	size_t n = strlen(msg) + 2;

	if (!ic->holding) {
		if (err)
			ctl_err("%s", msg);
		else
			ctl_warn("%s", msg);
		return;
	}
	if (ic->heldlen + n > ic->heldcap) {
		ic->heldcap = (ic->heldlen + n) * 2;
		ic->held = xreallocarray(ic->held, ic->heldcap, 1);
	}
	ic->held[ic->heldlen] = err ? 'E' : 'W';
	memcpy(ic->held + ic->heldlen + 1, msg, n - 1);
	ic->heldlen += n;
}

/* Say what the second part held, once the first part's are out. */
static void
import_release(struct import_ctx *ic)
{
	size_t i;

	for (i = 0; i < ic->heldlen; i += strlen(ic->held + i) + 1)
		if (ic->held[i] == 'E')
			ctl_err("%s", ic->held + i + 1);
		else
			ctl_warn("%s", ic->held + i + 1);
	ic->heldlen = 0;
	ic->holding = 0;
}

static void
import_warn(void *arg, const char *msg)
{
	struct import_ctx *ic = arg;

	ic->nwarn++;
	if (!ic->quiet)
		import_say(ic, 0, msg);
}

/* The line of the next entry. */
static void
line_note(struct import_ctx *ic, int line)
{
	ptrdiff_t delta = (ptrdiff_t)line - (ptrdiff_t)ic->nlines;

	if (ic->nruns == 0 || ic->runs[ic->nruns - 1].delta != delta) {
		if (ic->nruns == ic->capruns) {
			ic->capruns = ic->capruns ? ic->capruns * 2 : 64;
			ic->runs = xreallocarray(ic->runs, ic->capruns,
			    sizeof(*ic->runs));
		}
		ic->runs[ic->nruns].seq = ic->nlines;
		ic->runs[ic->nruns++].delta = delta;
	}
	ic->nlines++;
}

/* The line of entry seq (below ic->nlines). */
static size_t
line_of(const struct import_ctx *ic, size_t seq)
{
	size_t lo = 0, hi = ic->nruns, mid;

	while (hi - lo > 1) {		/* the last run that starts by seq */
		mid = lo + (hi - lo) / 2;
		if (ic->runs[mid].seq <= seq)
			lo = mid;
		else
			hi = mid;
	}
	return (size_t)((ptrdiff_t)seq + ic->runs[lo].delta);
}

/* store_bulk_add's iterator: the next live entry of the file. */
static int
import_next(void *arg, struct store_entry *e)
{
	struct import_ctx *ic = arg;
	struct ipfile_entry ie;
	char errbuf[1024];
	int rc;

	for (;;) {
		rc = ipfile_next(ic->ipf, &ie, errbuf, sizeof(errbuf));
		if (rc == -1) {
			/* a bad line, or the file changed since the first pass */
			import_say(ic, 1, errbuf);
			ic->nerr++;
			if (!ic->tolerant)
				return -1;
			continue;
		}
		if (rc == 0)
			return ic->nerr > 0 ? -1 : 0;
		if (ie.expires != 0 && ie.expires <= (int64_t)ic->now) {
			ic->nexpired++;
			continue;
		}
		if (ic->tolerant) {
			line_note(ic, ie.line);
		}
		memset(e, 0, sizeof(*e));
		e->prefix = ie.prefix;
		e->flags = ie.exclude ? ENTRY_EXCLUDE : 0;
		e->flags |= ie.notxt ? ENTRY_NOTXT : 0;
		e->flags |= ie.self ? ENTRY_SELF : 0;
		if (ie.dname != NULL) {
			e->dname = ie.dname;
			e->dname_len = strlen(ie.dname);
			e->flags |= ie.wild ? ENTRY_WILD : 0;
		}
		e->code = ie.code;
		e->added = ie.added != 0 ? ie.added : (int64_t)ic->now;
		e->expires = ie.expires;
		e->actor = ie.actor != NULL ? ie.actor : ic->actor;
		e->actor_len = ie.actor != NULL ? strlen(ie.actor) :
		    ic->actor_len;
		e->reason = ie.txt != NULL ? ie.txt : "";
		e->reason_len = strlen(e->reason);
		return 1;
	}
}

/*
 * store_replace's duplicates: the later of two lines of the file for one
 * prefix or name, as the reader reports them on a merge (ipfile.c).
 */
/* The line of entry seq of the whole file (its first part's ic). */
static size_t
line_at(const struct import_ctx *ic, size_t seq)
{
	if (ic->part2 != NULL && seq >= ic->nlines)
		return line_of(ic->part2, seq - ic->nlines);
	return line_of(ic, seq);
}

static void
import_dup(void *arg, size_t seq, size_t first, const char *text)
{
	struct import_ctx *ic = arg;
	size_t n = ic->nlines + (ic->part2 != NULL ? ic->part2->nlines : 0);

	if (ic->part2 != NULL)
		import_release(ic->part2);	/* the reading's come first */
	if (seq >= n || first >= n)
		return;
	ic->nwarn++;
	ctl_warn("%s:%zu: duplicate entry %s (first at line %zu): skipped, "
	    "the first line counts, as in rbldnsd", ic->path,
	    line_at(ic, seq), text, line_at(ic, first));
}

/*
 * Where to cut a file of size bytes for two readers (ipfile_range()):
 * the start of the first line from SPLIT_AT % of it on; 0 for none (a
 * small file, a gzip one, no line start found).
 */
static off_t
split_point(int fd, off_t size)
{
	unsigned char b[4096];
	off_t at;
	ssize_t n, i;

	if (size < SPLIT_MIN || pread(fd, b, 2, 0) != 2 ||
	    (b[0] == 0x1f && b[1] == 0x8b))
		return 0;
	for (at = size / 100 * SPLIT_AT; at < size; at += n) {
		if ((n = pread(fd, b, sizeof(b), at)) <= 0)
			return 0;
		for (i = 0; i < n; i++)
			if (b[i] == '\n')
				return at + i + 1 < size ? at + i + 1 : 0;
	}
	return 0;
}

/*
 * Have the file's second part, from split on, read by ic2 at the same
 * time as ic reads the first: a reader of its own on the file opened
 * again (the same file: no rsync replaced it in between). 0, or -1 when
 * it cannot be had (one reader then reads it all).
 */
static int
import_split(struct import_ctx *ic, struct import_ctx *ic2, int fd,
    unsigned flags, off_t split)
{
	struct stat a, b;
	int fd2;

	if ((fd2 = open(ic->path, O_RDONLY)) == -1)
		return -1;
	if (fstat(fd, &a) == -1 || fstat(fd2, &b) == -1 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino ||
	    a.st_size != b.st_size) {
		(void)close(fd2);
		return -1;
	}
	*ic2 = *ic;
	ic2->holding = 1;
	ic2->ipf = ipfile_open(fd2, ic->path, flags, ic->now, import_warn,
	    ic2);
	(void)close(fd2);	/* ipfile_open() keeps a copy */
	if (ic2->ipf == NULL)
		return -1;
	ipfile_range(ic->ipf, 0, split);
	ipfile_range(ic2->ipf, split, 0);
	ic->part2 = ic2;
	return 0;
}

/* The end of an import that found bad lines. */
static void
import_failed(const struct import_ctx *ic)
{
	ctl_err("%zu error%s in %s, nothing imported", ic->nerr,
	    ic->nerr == 1 ? "" : "s", ic->path);
}

static void
import_expired(const struct import_ctx *ic)
{
	if (ic->nexpired > 0)
		ctl_warn("%s: %zu entr%s already expired, not imported",
		    ic->path, ic->nexpired, ic->nexpired == 1 ? "y has" :
		    "ies have");
}

/* import LIST FILE [--replace | --undo] [--accept-host-bits] */
static int
cmd_import(struct ctl *c, int argc, char **argv)
{
	char errbuf[1024];
	struct import_ctx ic, ic2;
	struct ipfile_entry ie;
	const char *path = argv[1];
	unsigned flags = c->host_bits ? IPFILE_HOST_BITS : 0;
	struct stat st;
	size_t count = 0, dups = 0;
	unsigned list;
	off_t split;
	int fd, kind, r, rc = EXIT_ERR;

	(void)argc;
	errbuf[0] = '\0';
	memset(&ic, 0, sizeof(ic));
	memset(&ic2, 0, sizeof(ic2));
	if ((kind = parse_list(c, argv[0])) == -1)
		return EXIT_USAGE;
	if (c->replace && c->undo)
		return usage_hint("--replace and --undo do not go together");
	if (kind == LIST_KIND_DOMAIN)
		flags |= IPFILE_DOMAINS;
	if ((fd = open(path, O_RDONLY)) == -1) {
		ctl_err("cannot open %s: %s", path, strerror(errno));
		return EXIT_ERR;
	}
	if (fstat(fd, &st) == -1) {
		ctl_err("cannot stat %s: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		ctl_err("%s is a directory; name a data file", path);
		goto out;
	}
	/* The file is read twice: for its "$" variables, then its lines. */
	if (!S_ISREG(st.st_mode) || lseek(fd, 0, SEEK_SET) == -1) {
		ctl_err("%s is not a regular file: import reads its input "
		    "twice, so save the data to a file and import that", path);
		goto out;
	}

	ic.path = path;
	ic.actor = c->actor;
	ic.actor_len = strlen(c->actor);
	ic.now = c->now;
	if (c->replace) {
		/*
		 * One pass, into memory, then one transaction: a bad line is
		 * reported as it comes, and any leaves the list as it was.
		 */
		if (ctl_open(c) == -1 || !list_id(c, argv[0], &list))
			goto out;
		ic.tolerant = 1;
		if ((ic.ipf = ipfile_open(fd, path, flags | IPFILE_NODUPS,
		    c->now, import_warn, &ic)) == NULL) {
			ctl_err("cannot read %s: %s", path, strerror(errno));
			goto out;
		}
		/* a large file: its second part read by a thread of its own */
		if ((split = split_point(fd, st.st_size)) > 0)
			(void)import_split(&ic, &ic2, fd, flags |
			    IPFILE_NODUPS, split);
		r = store_replace2(c->store, list, import_next, &ic,
		    ic.part2 != NULL ? import_next : NULL, ic.part2, import_dup,
		    c->actor, path, &count, &dups, errbuf, sizeof(errbuf));
		if (ic.part2 != NULL) {
			import_release(ic.part2);
			ic.nerr += ic2.nerr;
			ic.nwarn += ic2.nwarn;
			ic.nexpired += ic2.nexpired;
		}
		if (r != STORE_OK) {
			if (ic.nerr > 0)
				import_failed(&ic);
			else
				ctl_err("store: %s; %s is unchanged", errbuf,
				    argv[0]);
			goto out;
		}
		import_expired(&ic);
		printf("replaced %s with %zu entr%s from %s\n", argv[0],
		    count, count == 1 ? "y" : "ies", path);
		rc = EXIT_OK;
		goto out;
	}

	/* Merge: the file is checked whole, then loaded in batches. */
	if ((ic.ipf = ipfile_open(fd, path, flags, c->now, import_warn,
	    &ic)) == NULL) {
		ctl_err("cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	for (;;) {
		r = ipfile_next(ic.ipf, &ie, errbuf, sizeof(errbuf));
		if (r == 0)
			break;
		if (r == -1) {
			ctl_err("%s", errbuf);
			ic.nerr++;
		} else if (ie.expires != 0 && ie.expires <= (int64_t)c->now)
			ic.nexpired++;
	}
	ipfile_close(ic.ipf);
	ic.ipf = NULL;
	if (ic.nerr > 0) {
		import_failed(&ic);
		goto out;
	}
	import_expired(&ic);

	if (ctl_open(c) == -1 || !list_id(c, argv[0], &list))
		goto out;
	if (lseek(fd, 0, SEEK_SET) == -1) {
		ctl_err("cannot rewind %s: %s", path, strerror(errno));
		goto out;
	}
	ic.quiet = 1;
	ic.nexpired = 0;
	if ((ic.ipf = ipfile_open(fd, path, flags, c->now, import_warn,
	    &ic)) == NULL) {
		ctl_err("cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	if (c->undo) {
		/* take back what the file put (a partial import too) */
		if (store_bulk_undo(c->store, list, import_next, &ic,
		    c->actor, path, IMPORT_BATCH, &count, errbuf,
		    sizeof(errbuf)) != STORE_OK) {
			ctl_err("store: %s (%zu entries were deleted before "
			    "the error)", errbuf, count);
			goto out;
		}
		printf("deleted %zu entr%s of %s from %s\n", count,
		    count == 1 ? "y" : "ies", path, argv[0]);
		rc = EXIT_OK;
		goto out;
	}
	if (store_bulk_add(c->store, list, import_next, &ic, c->actor, path,
	    IMPORT_BATCH, &count, errbuf, sizeof(errbuf)) != STORE_OK) {
		if (ic.nerr > 0)
			ctl_err("%s changed while being imported; %zu entries "
			    "were imported before the error", path, count);
		else
			ctl_err("store: %s (%zu entries were imported before "
			    "the error)", errbuf, count);
		goto out;
	}
	printf("imported %zu entr%s into %s from %s\n", count,
	    count == 1 ? "y" : "ies", argv[0], path);
	rc = EXIT_OK;
out:
	if (ic.ipf != NULL)
		ipfile_close(ic.ipf);
	free(ic.runs);
	if (ic.part2 != NULL) {
		ipfile_close(ic2.ipf);
		free(ic2.runs);
		free(ic2.held);
	}
	(void)close(fd);	/* read only */
	return rc;
}

struct export_ctx {
	FILE			*fp;
	time_t			 now;
	struct ipmerge		*merge;	/* black with white, or NULL */
	struct store_entry	*white;	/* the white list, copied */
	size_t			 nwhite;
	size_t			 iwhite;	/* the next one to merge */
	struct store_entry	*exempt;	/* the exemptions, copied */
	size_t			 nexempt;
	int			 bad;	/* out of store order */
};

static int
export_write(void *arg, const struct store_entry *e)
{
	struct export_ctx *xc = arg;

	ipfile_write_entry(xc->fp, e);
	return 0;
}

/* store_walk of the white list: a copy of each live entry. */
static int
export_white_cb(void *arg, const struct store_entry *e)
{
	struct export_ctx *xc = arg;

	if (!store_entry_expired(e, xc->now))
		ipmerge_entry_push(&xc->white, &xc->nwhite, e);
	return 0;
}

/* store_walk of the exemptions: a copy of each live entry. */
static int
export_exempt_cb(void *arg, const struct store_entry *e)
{
	struct export_ctx *xc = arg;

	if (!store_entry_expired(e, xc->now))
		ipmerge_entry_push(&xc->exempt, &xc->nexempt, e);
	return 0;
}

static void
export_exceptions(struct export_ctx *xc)
{
	ipmerge_exceptions(&xc->white, &xc->nwhite, xc->exempt, xc->nexempt);
	xc->exempt = NULL;
	xc->nexempt = 0;
}

/* Merge the white entries that come before prefix P (all: P NULL). */
static int
export_white_upto(struct export_ctx *xc, const struct addr *p)
{
	const struct store_entry *w;
	int r;

	while (xc->iwhite < xc->nwhite) {
		w = &xc->white[xc->iwhite];
		if (p != NULL && ipmerge_cmp(&w->prefix, p) > 0)
			break;
		xc->iwhite++;
		if ((r = ipmerge_add(xc->merge, LIST_WHITE, w)) != 0) {
			xc->bad = r == -1;
			return 1;
		}
	}
	return 0;
}

static int
export_cb(void *arg, const struct store_entry *e)
{
	struct export_ctx *xc = arg;
	int r;

	if (store_entry_expired(e, xc->now))
		return 0;
	if (xc->merge == NULL)
		return export_write(xc, e);
	if (export_white_upto(xc, &e->prefix) != 0)
		return 1;
	if ((r = ipmerge_add(xc->merge, LIST_BLACK, e)) != 0)
		xc->bad = r == -1;
	return r != 0;
}

/* export LIST [--without-white] */
static int
cmd_export(struct ctl *c, int argc, char **argv)
{
	char errbuf[1024];
	struct export_ctx xc;
	unsigned list;
	size_t i, skipped = 0;
	int kind, rc = EXIT_ERR;

	(void)argc;
	if ((kind = parse_list(c, argv[0])) == -1)
		return EXIT_USAGE;
	if (c->without_white && strcmp(argv[0], "black") != 0)
		return usage_hint("--without-white is for the black list");
	if (ctl_open(c) == -1)
		return EXIT_ERR;
	memset(&xc, 0, sizeof(xc));
	xc.fp = stdout;
	xc.now = c->now;
	/*
	 * What a dnsbl zone answers comes from both lists: the white list's
	 * entries go into the black list's file as exceptions (ipmerge.h).
	 */
	if (strcmp(argv[0], "black") == 0 && !c->without_white) {
		if (store_walk(c->store, LIST_WHITE, export_white_cb, &xc,
		    &skipped, errbuf, sizeof(errbuf)) == STORE_ERROR ||
		    (list_id(c, LIST_EXEMPT_NAME, &list) &&
		    store_walk(c->store, list, export_exempt_cb, &xc, &skipped,
		    errbuf, sizeof(errbuf)) == STORE_ERROR)) {
			ctl_err("store: %s", errbuf);
			goto out;
		}
		export_exceptions(&xc);
		xc.merge = ipmerge_new(export_write, &xc);
	}
	ipfile_write_header(stdout, argv[0], (enum list_kind)kind, c->now);
	if (xc.merge != NULL)
		printf("# with the white list's entries and the delisting "
		    "exemptions as exceptions (\"!\" lines), as a dnsbl zone "
		    "answers; --without-white for the black list alone\n");
	if (list_id(c, argv[0], &list) && store_walk(c->store, list,
	    export_cb, &xc, &skipped, errbuf,
	    sizeof(errbuf)) == STORE_ERROR) {
		ctl_err("store: %s", errbuf);
		goto out;
	}
	if (xc.merge != NULL && !xc.bad && export_white_upto(&xc, NULL) == 0)
		(void)ipmerge_end(xc.merge);	/* export_write goes on */
	if (xc.bad) {
		ctl_err("store: the lists are not in key order");
		goto out;
	}
	rc = skipped_report("export", skipped);
out:
	ipmerge_free(xc.merge);
	for (i = 0; i < xc.nwhite; i++)
		free((char *)(uintptr_t)xc.white[i].reason);
	free(xc.white);
	for (i = 0; i < xc.nexempt; i++)
		free((char *)(uintptr_t)xc.exempt[i].reason);
	free(xc.exempt);
	return rc;
}

/* An import's start, and whether an end for it follows. */
struct log_import {
	uint64_t	 seq;
	char		*key;	/* "actor\nlist\nfile" */
	int		 ended;
};

/* The reason log shows for an import's start with no end after it. */
#define LOG_PARTIAL	"partial: started, no end recorded (stopped part " \
			"way, or still running); import the file again to " \
			"finish it, or with --undo to take it back"

struct log_ctx {
	FILE		*fp;
	int		 json;
	struct jarr	 ja;
	struct log_import *imp;		/* every import's start */
	size_t		 nimp;
};

static char *
import_key(const struct store_audit *a)
{
	char *k;

	(void)xasprintf(&k, "%s\n%s\n%s", a->actor ? a->actor : "",
	    a->list ? a->list : "", a->entry ? a->entry : "");
	return k;
}

/* First pass: every import's start, and which of them have an end. */
static int
log_imports(void *arg, const struct store_audit *a)
{
	struct log_ctx *lc = arg;
	struct log_import *im;
	char *k;
	size_t i;

	if (a->action == NULL)
		return 0;
	if (strcmp(a->action, STORE_AUDIT_IMPORT_START) == 0) {
		lc->imp = xreallocarray(lc->imp, lc->nimp + 1,
		    sizeof(*lc->imp));
		im = &lc->imp[lc->nimp++];
		im->seq = a->seq;
		im->key = import_key(a);
		im->ended = 0;
	} else if (strcmp(a->action, "import") == 0) {
		/* the end of the latest start of the same import */
		k = import_key(a);
		for (i = lc->nimp; i > 0; i--)
			if (!lc->imp[i - 1].ended &&
			    strcmp(lc->imp[i - 1].key, k) == 0) {
				lc->imp[i - 1].ended = 1;
				break;
			}
		free(k);
	}
	return 0;
}

/* An import start with no end after it. */
static int
log_partial(const struct log_ctx *lc, const struct store_audit *a)
{
	size_t i;

	if (a->action == NULL ||
	    strcmp(a->action, STORE_AUDIT_IMPORT_START) != 0)
		return 0;
	for (i = 0; i < lc->nimp; i++)
		if (lc->imp[i].seq == a->seq)
			return !lc->imp[i].ended;
	return 0;
}

static int
log_cb(void *arg, const struct store_audit *a)
{
	struct log_ctx *lc = arg;
	const char *list = a->list != NULL ? a->list : "";
	const char *actor = a->actor != NULL ? a->actor : "";
	const char *action = a->action != NULL ? a->action : "";
	const char *entry = a->entry != NULL ? a->entry : "";
	const char *reason = a->reason != NULL ? a->reason : "";
	char t[64];

	if (log_partial(lc, a))
		reason = LOG_PARTIAL;
	fmt_time(a->time, t, sizeof(t));
	if (lc->json) {
		jarr_item(&lc->ja);
		fprintf(lc->fp, "{\"seq\":%" PRIu64 ",\"time\":", a->seq);
		put_jtime(lc->fp, a->time);
		fputs(",\"actor\":", lc->fp);
		put_jcstr(lc->fp, actor);
		fputs(",\"action\":", lc->fp);
		put_jcstr(lc->fp, action);
		fputs(",\"list\":", lc->fp);
		put_jcstr(lc->fp, *list != '\0' ? list : NULL);
		fputs(",\"entry\":", lc->fp);
		put_jcstr(lc->fp, entry);
		fputs(",\"reason\":", lc->fp);
		put_jcstr(lc->fp, reason);
		fputc('}', lc->fp);
		return 0;
	}
	fprintf(lc->fp, "%s ", t);
	put_word(lc->fp, actor, strlen(actor));
	fputc(' ', lc->fp);
	put_word(lc->fp, action, strlen(action));
	fputc(' ', lc->fp);
	put_word(lc->fp, list, strlen(list));
	fputc(' ', lc->fp);
	put_word(lc->fp, entry, strlen(entry));
	fputc(' ', lc->fp);
	put_quoted(lc->fp, reason, strlen(reason));
	fputc('\n', lc->fp);
	return 0;
}

/* log [--json] */
static int
cmd_log(struct ctl *c, int argc, char **argv)
{
	char errbuf[1024];
	struct log_ctx lc;
	size_t i;
	int rc = EXIT_OK;

	(void)argc;
	(void)argv;
	if (ctl_open(c) == -1)
		return EXIT_ERR;
	memset(&lc, 0, sizeof(lc));
	lc.fp = stdout;
	lc.json = c->json;
	lc.ja.fp = stdout;
	if (store_audit_walk(c->store, log_imports, &lc, errbuf,
	    sizeof(errbuf)) == STORE_ERROR ||
	    store_audit_walk(c->store, log_cb, &lc, errbuf,
	    sizeof(errbuf)) == STORE_ERROR) {
		ctl_err("store: %s", errbuf);
		rc = EXIT_ERR;
		goto out;
	}
	if (c->json)
		jarr_end(&lc.ja);
out:
	for (i = 0; i < lc.nimp; i++)
		free(lc.imp[i].key);
	free(lc.imp);
	return rc;
}

/* queue: one request a line, oldest first. */
static int
queue_line(void *arg, const struct store_request *r)
{
	char a[ADDR_STRLEN], t[32];

	(void)arg;
	printf("%llu %s %s %s ", (unsigned long long)r->id,
	    store_req_status_name(r->status), addr_format(&r->addr, a,
	    sizeof(a)), fmt_time(r->created, t, sizeof(t)));
	put_word(stdout, r->email, strlen(r->email));
	fputc(' ', stdout);
	put_quoted(stdout, r->reason, strlen(r->reason));
	fputc('\n', stdout);
	return 0;
}

/* queue show ID: every field, one "key: value" a line. */
static void
queue_show(const struct store_request *r)
{
	char a[ADDR_STRLEN], t[32];

	printf("id: %llu\nstatus: %s%s\naddress: %s\n",
	    (unsigned long long)r->id, store_req_status_name(r->status),
	    (r->flags & REQ_SELF) ? " (self-service)" :
	    (r->flags & REQ_UNCHECKED) ? " (the checks could not run)" : "",
	    addr_format(&r->addr, a, sizeof(a)));
	printf("client: %s\n", r->client.af ? addr_format(&r->client, a,
	    sizeof(a)) : "-");
	if (r->status == REQ_APPROVED)
		printf("granted: %s%s\n", (r->flags & REQ_WHITE) ?
		    "white list entry" : "exemption",
		    (r->flags & REQ_UNBLOCKED) ? ", black entry deleted" : "");
	printf("created: %s\n", fmt_time(r->created, t, sizeof(t)));
	printf("decided: %s\n", fmt_time(r->decided, t, sizeof(t)));
	printf("visible: %s\n", fmt_time(r->visible, t, sizeof(t)));
	printf("expires: %s\n", fmt_time(r->expires, t, sizeof(t)));
	printf("actor: ");
	put_word(stdout, r->actor, strlen(r->actor));
	printf("\nemail: ");
	put_word(stdout, r->email, strlen(r->email));
	printf("\nlisted: ");
	put_quoted(stdout, r->reason, strlen(r->reason));
	printf("\ndescription: ");
	put_quoted(stdout, r->text, strlen(r->text));
	printf("\nnote: ");
	put_quoted(stdout, r->note, strlen(r->note));
	fputc('\n', stdout);
}

/* Run notify-command for a decision and wait for it. */
static void
queue_notify(struct ctl *c, const char *event, const struct store_request *r)
{
	char errbuf[512];
	pid_t pid;
	int status;

	if (c->conf->http.notify_command == NULL)
		return;
	fflush(stdout);
	pid = notify_run(c->conf->http.notify_command, event, r,
	    c->conf->http.public_url, errbuf, sizeof(errbuf));
	if (pid == -1) {
		ctl_warn("notify-command: %s", errbuf);
		return;
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			ctl_warn("notify-command: waitpid: %s",
			    strerror(errno));
			return;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		ctl_warn("notify-command %s failed (status %d)",
		    c->conf->http.notify_command, WIFEXITED(status) ?
		    WEXITSTATUS(status) : -1);
}

/* Mail the decision of R to its requester through mail-command, if set. */
static void
queue_mail(struct ctl *c, const struct store_request *r)
{
	char errbuf[512];
	char *msg;

	if (c->conf->http.mail_command == NULL)
		return;
	msg = mail_decision(r, c->conf->http.mail_from,
	    c->conf->http.public_url, c->now, errbuf, sizeof(errbuf));
	if (msg == NULL) {
		ctl_warn("no decision mail: %s", errbuf);
		return;
	}
	if (mail_send(c->conf->http.mail_command, c->conf->http.mail_from,
	    r->email, msg, errbuf, sizeof(errbuf)) == -1)
		ctl_warn("decision mail to %s not sent: %s", r->email, errbuf);
	else
		printf("decision mailed to %s\n", r->email);
	free(msg);
}

/* What an approval did, after "approved request N: ". */
static void
approval_line(const struct store_request *r)
{
	char a[ADDR_STRLEN], t[32];

	addr_format(&r->addr, a, sizeof(a));
	if (r->flags & REQ_WHITE)
		printf("%s whitelisted (white list: listed in the dnswl zones "
		    "too)", a);
	else
		printf("%s exempted from the dnsbl zones (not whitelisted)",
		    a);
	if (r->expires != 0)
		printf(" until %s", fmt_time(r->expires, t, sizeof(t)));
	if (r->flags & REQ_UNBLOCKED)
		printf("; black list entry %s deleted", a);
	printf("; every MX sees it by %s\n", fmt_time(r->visible, t,
	    sizeof(t)));
}

/*
 * Count an approval in the statistics per rule (rulestats.h) by what had
 * listed the address; a failure is a warning, the approval stands.
 */
static void
count_approval(struct ctl *c, const struct store_request *r)
{
	struct store_stat s[REASON_MAX * 4];
	char errbuf[1024];
	uint32_t hour = rulestats_hour(c->now);
	uint32_t keep = rulestats_keep_hours(c->conf->stats_keep);
	size_t n;

	n = rulestats_why(r->reason, STAT_APPROVAL, hour, s,
	    sizeof(s) / sizeof(s[0]));
	if (store_stats_add(c->store, s, n, hour >= keep ? hour - keep + 1 :
	    0, errbuf, sizeof(errbuf)) == STORE_ERROR)
		ctl_warn("store: the approval is not counted in the "
		    "statistics: %s", errbuf);
}

/* queue approve|deny ID: decide, exempting (or whitelisting) on approval. */
static int
queue_decide(struct ctl *c, enum store_req_status st, const char *idtext)
{
	struct store_request *r;
	struct delist_grant w;
	char errbuf[1024], a[ADDR_STRLEN];
	const char *errstr, *note = st == REQ_APPROVED ? c->note : c->reason;
	uint64_t id, secs;
	enum store_rc rc;
	int ret = EXIT_ERR;

	if (parse_uint(idtext, 1, UINT64_MAX, &id, &errstr) == -1)
		return usage_hint("queue: \"%s\" is not a request id", idtext);
	if (st == REQ_DENIED && c->reason == NULL)
		return usage_hint("queue deny needs --reason TEXT");
	if ((st == REQ_DENIED && (c->note || c->expires || c->whitelist)) ||
	    (st == REQ_APPROVED && c->reason))
		return usage_hint("queue %s takes %s", st == REQ_DENIED ?
		    "deny" : "approve", st == REQ_DENIED ? "--reason only" :
		    "--expires, --note and --whitelist only");
	if (note != NULL && (strlen(note) > STORE_NOTE_MAX ||
	    has_control(note))) {
		ctl_err("the %s must be one line of at most %d bytes",
		    st == REQ_DENIED ? "reason" : "note", STORE_NOTE_MAX);
		return EXIT_ERR;
	}
	if (parse_expires(c, &secs) == -1 || ctl_open(c) == -1)
		return EXIT_ERR;
	r = xcalloc(1, sizeof(*r));
	rc = store_request_get(c->store, id, r, errbuf, sizeof(errbuf));
	if (rc == STORE_OK && r->status == REQ_PENDING) {
		delist_review(c->conf, r, st, c->actor, note, secs,
		    c->whitelist, c->now);
		rc = store_request_decide(c->store, id, st, r,
		    st == REQ_APPROVED ? delist_grant : NULL, &w, errbuf,
		    sizeof(errbuf));
	}
	if (rc == STORE_ERROR)
		ctl_err("store: %s", errbuf);
	else if (rc == STORE_NOTFOUND)
		ctl_err("no request %llu", (unsigned long long)id);
	else if (rc == STORE_EXISTS || r->status != st)
		ctl_err("request %llu is already %s", (unsigned long long)id,
		    store_req_status_name(r->status));
	else {
		addr_format(&r->addr, a, sizeof(a));
		if (st == REQ_APPROVED) {
			printf("approved request %llu: ",
			    (unsigned long long)id);
			approval_line(r);
		} else
			printf("denied request %llu for %s\n",
			    (unsigned long long)id, a);
		if (st == REQ_APPROVED)
			count_approval(c, r);
		queue_notify(c, st == REQ_APPROVED ? "approved" : "denied", r);
		queue_mail(c, r);
		ret = EXIT_OK;
	}
	free(r);
	return ret;
}

/* queue [list | show ID | approve ID ... | deny ID --reason TEXT] */
static int
cmd_queue(struct ctl *c, int argc, char **argv)
{
	struct store_request *r;
	const char *sub = argc > 0 ? argv[0] : "list", *errstr;
	char errbuf[1024];
	enum store_rc rc;
	uint64_t id;
	int want = strcmp(sub, "list") == 0 ? 1 : 2;

	if (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0 &&
	    strcmp(sub, "approve") != 0 && strcmp(sub, "deny") != 0)
		return usage_hint("queue: unknown subcommand \"%s\" (list, "
		    "show, approve, deny)", sub);
	if (argc > want || (argc < want && want == 2))
		return usage_hint("queue %s: %s", sub, want == 2 ?
		    "give one request id" : "takes no argument");
	if (strcmp(sub, "approve") == 0)
		return queue_decide(c, REQ_APPROVED, argv[1]);
	if (strcmp(sub, "deny") == 0)
		return queue_decide(c, REQ_DENIED, argv[1]);
	if (c->reason || c->note || c->expires || c->whitelist)
		return usage_hint("queue %s takes no option", sub);
	if (want == 2 && parse_uint(argv[1], 1, UINT64_MAX, &id,
	    &errstr) == -1)
		return usage_hint("queue: \"%s\" is not a request id",
		    argv[1]);
	if (ctl_open(c) == -1)
		return EXIT_ERR;
	if (want == 1) {
		if (store_request_walk(c->store, queue_line, NULL, errbuf,
		    sizeof(errbuf)) == STORE_ERROR) {
			ctl_err("store: %s", errbuf);
			return EXIT_ERR;
		}
		return EXIT_OK;
	}
	r = xmalloc(sizeof(*r));
	rc = store_request_get(c->store, id, r, errbuf, sizeof(errbuf));
	if (rc == STORE_OK)
		queue_show(r);
	else if (rc == STORE_NOTFOUND)
		ctl_err("no request %llu", (unsigned long long)id);
	else
		ctl_err("store: %s", errbuf);
	free(r);
	return rc == STORE_OK ? EXIT_OK : EXIT_ERR;
}

/*
 * "--expires 1 hour": a number, then a unit as a word of its own. Says
 * how to write it and returns 1; else 0.
 */
static int
split_duration(const char *num, const char *unit)
{
	static const char *const units[] = { "s", "sec", "secs", "second",
	    "seconds", "min", "mins", "minute", "minutes", "h", "hour",
	    "hours", "d", "day", "days", "w", "week", "weeks" };
	size_t i;

	if (num[0] == '\0' || num[strspn(num, "0123456789")] != '\0')
		return 0;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(unit, units[i]) == 0) {
			(void)usage_hint("--expires %s %s: a duration is one "
			    "word: write --expires %s%c (30, 30s, 5m, 1h, "
			    "2d or 1w)", num, unit, num,
			    tolower((unsigned char)unit[0]));
			return 1;
		}
	return 0;
}

/*
 * Split the words after the command into options and arguments (options
 * may come anywhere; "--" ends them). Returns the argument count, -1 on
 * a usage error (reported) or -2 for -h/--help.
 */
static int
parse_args(struct ctl *c, int argc, char **argv, char **args)
{
	const char *name, *val, *eq;
	unsigned seen = 0;
	size_t i, nlen;
	int n = 0, k, dashdash = 0;

	for (k = 0; k < argc; k++) {
		if (dashdash || argv[k][0] != '-' || argv[k][1] == '\0') {
			args[n++] = argv[k];
			continue;
		}
		if (strcmp(argv[k], "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (strcmp(argv[k], "-h") == 0 ||
		    strcmp(argv[k], "--help") == 0)
			return -2;
		if (argv[k][1] != '-') {
			(void)usage_hint("unknown option \"%s\"", argv[k]);
			return -1;
		}
		name = argv[k] + 2;
		eq = strchr(name, '=');
		nlen = eq != NULL ? (size_t)(eq - name) : strlen(name);
		for (i = 0; i < NOPTS; i++)
			if (strlen(opts[i].name) == nlen &&
			    strncmp(opts[i].name, name, nlen) == 0)
				break;
		if (i == NOPTS) {
			for (i = 0; i < NOPTS; i++)
				if ((c->cmd->opts & opts[i].bit) &&
				    str_near(name, opts[i].name))
					break;
			if (i < NOPTS)
				(void)usage_hint("unknown option \"%s\" (did "
				    "you mean \"--%s\"?)", argv[k],
				    opts[i].name);
			else
				(void)usage_hint("unknown option \"%s\" (%s "
				    "takes: %s)", argv[k], c->cmd->name,
				    c->cmd->args);
			return -1;
		}
		if (!(c->cmd->opts & opts[i].bit)) {
			(void)usage_hint("%s does not take --%s",
			    c->cmd->name, opts[i].name);
			return -1;
		}
		if (seen & opts[i].bit) {
			(void)usage_hint("--%s given twice", opts[i].name);
			return -1;
		}
		seen |= opts[i].bit;
		val = NULL;
		if (opts[i].value) {
			if (eq != NULL)
				val = eq + 1;
			else if (k + 1 < argc)
				val = argv[++k];
			else {
				(void)usage_hint("--%s needs a value",
				    opts[i].name);
				return -1;
			}
		} else if (eq != NULL) {
			(void)usage_hint("--%s takes no value", opts[i].name);
			return -1;
		}
		switch (opts[i].bit) {
		case OPT_REASON:
			c->reason = val;
			break;
		case OPT_EXPIRES:
			c->expires = val;
			if (eq == NULL && k + 1 < argc &&
			    split_duration(val, argv[k + 1]))
				return -1;
			break;
		case OPT_JSON:
			c->json = 1;
			break;
		case OPT_FRESH:
			c->fresh = 1;
			break;
		case OPT_NOTE:
			c->note = val;
			break;
		case OPT_HOSTBITS:
			c->host_bits = 1;
			break;
		case OPT_NOWHITE:
			c->without_white = 1;
			break;
		case OPT_REPLACE:
			c->replace = 1;
			break;
		case OPT_WHITELIST:
			c->whitelist = 1;
			break;
		case OPT_UNDO:
			c->undo = 1;
			break;
		}
	}
	return n;
}

/* One series of stats --json: its counts by hour, the empty hours left out. */
static void
put_jseries(FILE *fp, const struct rulestats_view *v,
    const struct rulestats_series *x)
{
	char t[64];
	size_t h, n = 0;

	fputs("{\"kind\":", fp);
	put_jcstr(fp, store_stat_kind_name(x->kind));
	fputs(",\"reason\":", fp);
	put_jcstr(fp, x->reason);
	fputs(",\"rule\":", fp);
	put_jcstr(fp, x->rule);
	fprintf(fp, ",\"total\":%llu,\"recent\":%llu,\"hours\":[",
	    (unsigned long long)x->total, (unsigned long long)x->recent);
	for (h = 0; h < v->nhours; h++) {
		if (x->hours[h] == 0)
			continue;
		format_time((time_t)(v->first + h) * 3600, t, sizeof(t));
		fprintf(fp, "%s{\"hour\":", n++ ? "," : "");
		put_jcstr(fp, t);
		fprintf(fp, ",\"count\":%llu}",
		    (unsigned long long)x->hours[h]);
	}
	fputs("]}", fp);
}

/*
 * stats [--json]: the statistics per rule that rdnsbld has written (it
 * writes every RULESTATS_FLUSH seconds, at a reload and when it stops),
 * most first.
 */
static int
cmd_stats(struct ctl *c, int argc, char **argv)
{
	struct rulestats_view v;
	const struct rulestats_series *x;
	struct jarr ja = { stdout, 0 };
	char errbuf[1024], t[64];
	size_t i, hours;
	int rc = EXIT_OK;

	(void)argc;
	(void)argv;
	if (ctl_open(c) == -1)
		return EXIT_ERR;
	hours = rulestats_keep_hours(c->conf->stats_keep);
	if (rulestats_view(NULL, c->store, c->now, hours, &v, errbuf,
	    sizeof(errbuf)) == -1) {
		ctl_err("store: %s", errbuf);
		rc = EXIT_ERR;
		goto out;
	}
	format_time((time_t)v.first * 3600, t, sizeof(t));
	if (c->json) {
		printf("{\"since\":\"%s\",\"hours\":%zu,\"series\":", t,
		    v.nhours);
		for (i = 0; i < v.n; i++) {
			jarr_item(&ja);
			put_jseries(stdout, &v, &v.v[i]);
		}
		jarr_end(&ja);
		printf("}\n");
		goto out;
	}
	printf("%-9s %-12s %-24s %10s %10s\n", "KIND", "REASON", "RULE",
	    "KEPT", "TOTAL");
	for (i = 0; i < v.n; i++) {
		x = &v.v[i];
		printf("%-9s %-12s %-24s %10llu %10llu\n",
		    store_stat_kind_name(x->kind), x->reason,
		    x->rule[0] ? x->rule : "-", (unsigned long long)x->recent,
		    (unsigned long long)x->total);
	}
	printf("(KEPT: since %s, the last %zu h; TOTAL: since the database "
	    "was made)\n", t, v.nhours);
out:
	rulestats_view_clear(&v);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct ctl c;
	char **args;
	size_t i;
	int ch, n, rc;

	log_init(1, LOG_USER, PROGNAME);
	memset(&c, 0, sizeof(c));
	c.conffile = CONF_DEFAULT_PATH;

	args_long_forms(argc, argv);
	opterr = 0;
	while ((ch = getopt(argc, argv, "+:c:hV")) != -1) {
		switch (ch) {
		case 'c':
			c.conffile = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("%s %s\n", PROGNAME, PACKAGE_VERSION);
			return EXIT_OK;
		case ':':
			(void)usage_hint("-%c needs an argument", optopt);
			usage(stderr);
			return EXIT_USAGE;
		default:
			(void)usage_hint("unknown option \"-%c\"", optopt);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < NCMDS; i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			break;
	if (i == NCMDS) {
		for (i = 0; i < NCMDS; i++)
			if (str_near(argv[0], cmds[i].name))
				break;
		if (i < NCMDS)
			(void)usage_hint("unknown command \"%s\" (did you "
			    "mean \"%s\"?)", argv[0], cmds[i].name);
		else
			(void)usage_hint("unknown command \"%s\"", argv[0]);
		usage(stderr);
		return EXIT_USAGE;
	}
	c.cmd = &cmds[i];

	args = xcalloc((size_t)argc, sizeof(*args));
	n = parse_args(&c, argc - 1, argv + 1, args);
	if (n == -2) {
		usage(stdout);
		free(args);
		return EXIT_OK;
	}
	if (n >= 0 && (n < c.cmd->minargs || n > c.cmd->maxargs)) {
		(void)usage_hint("%s: wrong number of arguments: %d given, "
		    "%s%d (%s %s)%s", c.cmd->name, n, n < c.cmd->minargs ?
		    "at least " : "at most ", n < c.cmd->minargs ?
		    c.cmd->minargs : c.cmd->maxargs, c.cmd->name,
		    c.cmd->args, n > c.cmd->maxargs ? "; quote a value "
		    "that has spaces, such as --reason \"spam run\"" : "");
		n = -1;
	}
	if (n < 0) {
		usage_cmd(stderr, c.cmd);
		free(args);
		return EXIT_USAGE;
	}

	get_actor(c.actor, sizeof(c.actor));
	c.now = time(NULL);
	rc = c.cmd->fn(&c, n, args);
	if (rc == EXIT_OK && (c.cmd->flags & CMD_WRITE) && c.store != NULL &&
	    ctl_purge(&c) == -1)
		rc = EXIT_ERR;
	if (rc == EXIT_USAGE)
		usage_cmd(stderr, c.cmd);

	if (c.store != NULL)
		store_close(c.store);
	if (c.conf != NULL)
		conf_free(c.conf);
	free(args);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		ctl_err("writing the output: %s", strerror(errno));
		rc = EXIT_ERR;
	}
	return rc;
}
