/* SPDX-License-Identifier: ISC */
/*
 * conf.c -- the configuration file: a small line parser driven by one
 * schema table, keys[], and one table of operations per value type,
 * ktypes[].
 *
 * Each line is a clause ("server:", "zone:") or a "key: value" item. Server
 * items are applied as they are read. Zone items are kept until the zone
 * ends, so that "type:" can be applied first whatever its place: checks,
 * txt and code depend on it. Errors are collected with their line numbers
 * and handed to the caller's callback, sorted by line, at the end.
 * conf_dump() prints and conf_free() frees key by key through ktypes[], so
 * that a new key needs no code of its own there.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "conf.h"
#include "addr.h"
#include "form.h"
#include "reason.h"
#include "util.h"

#define NAME_MAXLEN	253	/* presentation form, without the final dot */
#define LABEL_MAXLEN	63
#define TXT_MAXLEN	1024
#define URL_MAXLEN	512
#define MSG_MAXLEN	512

enum clause {
	CL_NONE = 0,		/* before the first clause */
	CL_SERVER,
	CL_ZONE,
	CL_HTTP,
	CL_LIST,
	CL_KEY,
	CL_UNKNOWN		/* after an unknown clause: items are skipped */
};

/*
 * The value types, and what a key of each type fills: its field (off)
 * and, for some, a second one (aux). "list of T" is an array of T in the
 * field and its size_t count in aux.
 */
enum ktype {
	KT_LISTEN,		/* ADDR[@PORT]: list of struct conf_listen */
	KT_PATH,		/* relative to the file's directory: char * */
	KT_STRING,		/* a string, at most max bytes: char * */
	KT_SIZE,		/* parse_size(): uint64_t */
	KT_UINT,		/* parse_uint(): uint32_t or int */
	KT_DURATION,		/* parse_duration(): uint32_t */
	KT_ADDRLIST,		/* addresses and prefixes: struct addrlist */
	KT_NAME,		/* a domain name: char * */
	KT_ZTYPE,		/* dnsbl, dnswl, helo: enum zone_type */
	KT_CHECKS,		/* reasons of the zone type: unsigned, bits */
	KT_SOA,			/* MNAME RNAME: char *, aux char * */
	KT_NSLIST,		/* domain names: list of char * */
	KT_TXT,			/* [REASON] "TEMPLATE": char *, aux char *[] */
	KT_CODE,		/* REASON 127.0.0.N: uint32_t [REASON_MAX] */
	KT_RESOLVER,		/* system or ADDR[@PORT]: list of char * */
	KT_FAILURE,		/* nxdomain or servfail: int */
	KT_OFFDURATION,		/* off or a duration: uint32_t */
	KT_URL,			/* an http:// or https:// URL: char * */
	KT_OWN,			/* names: list of char *; addresses go to
				   conf->own_addrs */
	KT_LNAME,		/* a list's name: char * */
	KT_LKIND,		/* ip or domain: enum list_kind */
	KT_ZLIST,		/* NAME [127.0.0.N]: list of struct conf_zlist */
	KT_LOG,			/* syslog or stderr: enum conf_log */
	KT_BOOL,		/* no or yes: int 0 or 1 */
	KT_ACL,			/* prefixes [key NAME]: list of struct
				   conf_acl */
	KT_KALG,		/* hmac-sha256 ...: enum conf_key_alg */
	KT_SECRET,		/* base64: char *, decoded to raw */
	KT_MAX
};

#define F_MULTI		0x01	/* may be given more than once */
#define F_REQUIRED	0x02	/* no default: must be given */
#define F_COMPUTED	0x04	/* the default depends on other keys */

struct key {
	const char	*name;		/* "server.listen" */
	enum clause	 clause;
	enum ktype	 type;
	uint64_t	 min, max;	/* value range, or maximum length */
	const char	*def;		/* default, written as a value */
	int		 flags;
	size_t		 off, size;	/* field of struct conf or conf_zone */
	size_t		 aux;		/* second field (enum ktype), or 0 */
};

#define FIELD(s, m)	offsetof(struct s, m), sizeof(((struct s *)0)->m)
#define SRV(m)		FIELD(conf, m), 0
#define ZON(m)		FIELD(conf_zone, m), 0
#define SRV2(m, a)	FIELD(conf, m), offsetof(struct conf, a)
#define ZON2(m, a)	FIELD(conf_zone, m), offsetof(struct conf_zone, a)
#define LST(m)		FIELD(conf_list, m), 0
#define KEY(m)		FIELD(conf_key, m), 0

/*
 * The schema. Adding a key: a row here, the struct field in conf.h, the
 * man page, doc/rdnsbld.conf.sample.in and a test; a new value type also
 * needs its KT_ value and its row in ktypes[]. Rows with F_COMPUTED or
 * F_REQUIRED have their def text for documentation only.
 */
static const struct key keys[] = {
	{ "server.listen", CL_SERVER, KT_LISTEN, 1, 65535,
	    "127.0.0.1@53, ::1@53", F_MULTI, SRV2(listen, nlisten) },
	{ "server.database", CL_SERVER, KT_PATH, 0, 4096,
	    LOCALSTATEDIR "/lib/rdnsbl", 0, SRV(database) },
	{ "server.map-size", CL_SERVER, KT_SIZE, 1ULL << 20, 1ULL << 40,
	    "1g", 0, SRV(map_size) },
	{ "server.allow-query", CL_SERVER, KT_ADDRLIST, 0, 0,
	    "127.0.0.0/8, ::1", F_MULTI, SRV(allow_query) },
	{ "server.verbosity", CL_SERVER, KT_UINT, 0, 4,
	    "1", 0, SRV(verbosity) },
	{ "server.user", CL_SERVER, KT_STRING, 1, 32,
	    NULL, 0, SRV(user) },
	{ "server.log", CL_SERVER, KT_LOG, 0, 0,
	    "syslog", 0, SRV(log) },
	{ "server.pidfile", CL_SERVER, KT_PATH, 0, 4096,
	    NULL, 0, SRV(pidfile) },
	{ "server.log-queries", CL_SERVER, KT_BOOL, 0, 0,
	    "no", 0, SRV(log_queries) },
	{ "server.dnstap-socket-path", CL_SERVER, KT_PATH, 0, 107,
	    NULL, 0, SRV(dnstap_socket_path) },
	{ "server.dnstap-identity", CL_SERVER, KT_STRING, 1, 255,
	    NULL, 0, SRV(dnstap_identity) },
	{ "server.dnstap-log-auth-query-messages", CL_SERVER, KT_BOOL, 0, 0,
	    "yes", 0, SRV(dnstap_log_queries) },
	{ "server.dnstap-log-auth-response-messages", CL_SERVER, KT_BOOL,
	    0, 0, "yes", 0, SRV(dnstap_log_responses) },
	{ "server.tcp-timeout", CL_SERVER, KT_DURATION, 1, 3600,
	    "10s", 0, SRV(tcp_timeout) },
	{ "server.tcp-clients", CL_SERVER, KT_UINT, 1, 65535,
	    "100", 0, SRV(tcp_clients) },
	{ "server.tcp-clients-per-address", CL_SERVER, KT_UINT, 1, 65535,
	    "10", 0, SRV(tcp_per_address) },
	{ "server.tcp-max-time", CL_SERVER, KT_DURATION, 1, 86400,
	    "2m", 0, SRV(tcp_max_time) },
	{ "server.udp-size", CL_SERVER, KT_UINT, 512, 4096,
	    "1232", 0, SRV(udp_size) },
	{ "server.rate-limit", CL_SERVER, KT_UINT, 0, 10000000,
	    "200", 0, SRV(rate_limit) },
	{ "server.rate-limit-slip", CL_SERVER, KT_UINT, 0, 100,
	    "2", 0, SRV(rate_limit_slip) },
	{ "server.rate-limit-ipv4-prefix", CL_SERVER, KT_UINT, 8, 32,
	    "24", 0, SRV(rate_limit_v4len) },
	{ "server.rate-limit-ipv6-prefix", CL_SERVER, KT_UINT, 16, 128,
	    "56", 0, SRV(rate_limit_v6len) },
	{ "server.rate-limit-size", CL_SERVER, KT_UINT, 1024, 16777216,
	    "100000", 0, SRV(rate_limit_size) },
	{ "server.rate-limit-exempt", CL_SERVER, KT_ADDRLIST, 0, 0,
	    "127.0.0.0/8, ::1", F_MULTI, SRV(rate_limit_exempt) },
	{ "server.resolver", CL_SERVER, KT_RESOLVER, 1, 65535,
	    "system", F_MULTI, SRV2(resolvers, nresolvers) },
	{ "server.check-timeout", CL_SERVER, KT_DURATION, 1, 60,
	    "2s", 0, SRV(check_timeout) },
	{ "server.cache-ttl", CL_SERVER, KT_DURATION, 1, 604800,
	    "1h", 0, SRV(cache_ttl) },
	{ "server.failure-ttl", CL_SERVER, KT_DURATION, 0, 3600,
	    "30s", 0, SRV(failure_ttl) },
	{ "server.max-checks", CL_SERVER, KT_UINT, 1, 1000000,
	    "1000", 0, SRV(max_checks) },
	{ "server.lookup-rate", CL_SERVER, KT_UINT, 1, 10000000,
	    "5000", 0, SRV(lookup_rate) },
	{ "server.max-ptr-names", CL_SERVER, KT_UINT, 1, 16,
	    "4", 0, SRV(max_ptr_names) },
	{ "server.dynamic-patterns", CL_SERVER, KT_PATH, 0, 4096,
	    SYSCONFDIR "/rdnsbl/s25r.rules", 0, SRV(dynamic_patterns) },
	{ "server.bad-helo-names", CL_SERVER, KT_PATH, 0, 4096,
	    SYSCONFDIR "/rdnsbl/bad-helo.txt", 0, SRV(bad_helo_names) },
	{ "server.own-names", CL_SERVER, KT_OWN, 0, 0,
	    NULL, F_MULTI, SRV2(own_names, nown_names) },
	{ "server.notify-interval", CL_SERVER, KT_DURATION, 0, 3600,
	    "1s", 0, SRV(notify_interval) },
	{ "server.stats-keep", CL_SERVER, KT_DURATION, 3600, 31622400,
	    "30d", 0, SRV(stats_keep) },
	{ "zone.name", CL_ZONE, KT_NAME, 0, 0,
	    NULL, F_REQUIRED, ZON(name) },
	{ "zone.type", CL_ZONE, KT_ZTYPE, 0, 0,
	    NULL, F_REQUIRED, ZON(type) },
	{ "zone.checks", CL_ZONE, KT_CHECKS, 0, 0,
	    "blacklist (dnsbl), whitelist (dnswl), every reason (helo)",
	    F_COMPUTED, ZON(checks) },
	{ "zone.ttl", CL_ZONE, KT_DURATION, 0, 604800,
	    "5m", 0, ZON(ttl) },
	{ "zone.negative-ttl", CL_ZONE, KT_DURATION, 0, 86400,
	    "2m", 0, ZON(negative_ttl) },
	{ "zone.soa", CL_ZONE, KT_SOA, 0, 0,
	    "first ns, hostmaster.ZONE", F_COMPUTED,
	    ZON2(soa_mname, soa_rname) },
	{ "zone.ns", CL_ZONE, KT_NSLIST, 0, 0,
	    "the soa mname", F_MULTI | F_COMPUTED, ZON2(ns, nns) },
	{ "zone.txt", CL_ZONE, KT_TXT, 0, TXT_MAXLEN,
	    NULL, F_MULTI, ZON2(txt, txt_reason) },
	{ "zone.code", CL_ZONE, KT_CODE, 0, 0,
	    "per reason", F_MULTI | F_COMPUTED, ZON(code) },
	{ "zone.url", CL_ZONE, KT_STRING, 0, URL_MAXLEN,
	    NULL, 0, ZON(url) },
	{ "zone.on-lookup-failure", CL_ZONE, KT_FAILURE, 0, 0,
	    "nxdomain", 0, ZON(servfail) },
	{ "zone.list", CL_ZONE, KT_ZLIST, 0, 0,
	    "black (dnsbl), white (dnswl)", F_MULTI | F_COMPUTED,
	    ZON2(lists, nlists) },
	{ "zone.allow-transfer", CL_ZONE, KT_ACL, 0, 0,
	    "none", F_MULTI | F_COMPUTED,
	    ZON2(allow_transfer, nallow_transfer) },
	{ "zone.notify", CL_ZONE, KT_LISTEN, 1, 65535,
	    "none", F_MULTI | F_COMPUTED, ZON2(notify, nnotify) },
	{ "list.name", CL_LIST, KT_LNAME, 1, 32,
	    NULL, F_REQUIRED, LST(name) },
	{ "list.type", CL_LIST, KT_LKIND, 0, 0,
	    "ip", 0, LST(kind) },
	{ "list.file", CL_LIST, KT_PATH, 0, 4096,
	    NULL, 0, LST(file) },
	{ "key.name", CL_KEY, KT_NAME, 0, 0,
	    NULL, F_REQUIRED, KEY(name) },
	{ "key.algorithm", CL_KEY, KT_KALG, 0, 0,
	    "hmac-sha256", 0, KEY(algorithm) },
	{ "key.secret", CL_KEY, KT_SECRET, 0, 0,
	    NULL, F_REQUIRED, KEY(secret) },
	{ "http.listen", CL_HTTP, KT_LISTEN, 1, 65535,
	    NULL, F_MULTI | F_REQUIRED, SRV2(http.listen, http.nlisten) },
	{ "http.public-url", CL_HTTP, KT_URL, 0, URL_MAXLEN,
	    NULL, 0, SRV(http.public_url) },
	{ "http.allow-metrics", CL_HTTP, KT_ADDRLIST, 0, 0,
	    "127.0.0.0/8, ::1", F_MULTI, SRV(http.allow_metrics) },
	{ "http.self-delist", CL_HTTP, KT_OFFDURATION, 60, 7776000,
	    "off", 0, SRV(http.self_delist) },
	{ "http.self-delist-cooldown", CL_HTTP, KT_DURATION, 0, 31536000,
	    "30d", 0, SRV(http.self_delist_cooldown) },
	{ "http.mta-cache", CL_HTTP, KT_DURATION, 0, 86400,
	    "0", 0, SRV(http.mta_cache) },
	{ "http.notify-command", CL_HTTP, KT_PATH, 0, 4096,
	    NULL, 0, SRV(http.notify_command) },
	{ "http.mail-command", CL_HTTP, KT_PATH, 0, 4096,
	    NULL, 0, SRV(http.mail_command) },
	{ "http.mail-from", CL_HTTP, KT_STRING, 0, 254,
	    NULL, 0, SRV(http.mail_from) },
	{ "http.verify-email", CL_HTTP, KT_BOOL, 0, 0,
	    "yes with mail-command:, else no", F_COMPUTED,
	    SRV(http.verify_email) },
	{ "http.verify-expire", CL_HTTP, KT_DURATION, 1, 604800,
	    "24h", 0, SRV(http.verify_expire) },
	{ "http.verify-rate-limit", CL_HTTP, KT_UINT, 1, 100000,
	    "3", 0, SRV(http.verify_rate_limit) },
	{ "http.verify-total-limit", CL_HTTP, KT_UINT, 1, 1000000,
	    "100", 0, SRV(http.verify_total_limit) },
	{ "http.verify-pending", CL_HTTP, KT_UINT, 1, 1000,
	    "3", 0, SRV(http.verify_pending) },
	{ "http.max-body", CL_HTTP, KT_SIZE, 1024, 1ULL << 20,
	    "16k", 0, SRV(http.max_body) },
	{ "http.rate-limit", CL_HTTP, KT_UINT, 1, 100000,
	    "5", 0, SRV(http.rate_limit) },
	{ "http.address-rate-limit", CL_HTTP, KT_UINT, 1, 100000,
	    "3", 0, SRV(http.address_rate_limit) },
	{ "http.timeout", CL_HTTP, KT_DURATION, 1, 3600,
	    "10s", 0, SRV(http.timeout) },
	{ "http.trusted-proxy", CL_HTTP, KT_ADDRLIST, 0, 0,
	    NULL, F_MULTI, SRV(http.trusted_proxy) },
	{ "http.lookup-detail", CL_HTTP, KT_BOOL, 0, 0,
	    "yes", 0, SRV(http.lookup_detail) },
	{ "http.total-rate-limit", CL_HTTP, KT_UINT, 1, 1000000,
	    "100", 0, SRV(http.total_rate_limit) },
	{ "http.lookup-rate-limit", CL_HTTP, KT_UINT, 1, 100000,
	    "30", 0, SRV(http.lookup_rate_limit) },
	{ "http.lookup-total-limit", CL_HTTP, KT_UINT, 1, 1000000,
	    "600", 0, SRV(http.lookup_total_limit) },
	{ "http.max-clients", CL_HTTP, KT_UINT, 1, 65535,
	    "200", 0, SRV(http.max_clients) },
	{ "http.max-clients-per-address", CL_HTTP, KT_UINT, 1, 65535,
	    "10", 0, SRV(http.max_clients_per_address) },
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

static const char *const clause_names[] = {
	[CL_NONE] = "", [CL_SERVER] = "server", [CL_ZONE] = "zone",
	[CL_HTTP] = "http", [CL_LIST] = "list", [CL_KEY] = "key",
	[CL_UNKNOWN] = "?",
};

static const char *const key_algs[] = {
	[KEY_HMAC_SHA1] = "hmac-sha1", [KEY_HMAC_SHA224] = "hmac-sha224",
	[KEY_HMAC_SHA256] = "hmac-sha256", [KEY_HMAC_SHA384] = "hmac-sha384",
	[KEY_HMAC_SHA512] = "hmac-sha512",
};

static const char *const list_kinds[] = {
	[LIST_KIND_IP] = "ip", [LIST_KIND_DOMAIN] = "domain",
};

/* One error, kept until the end so that they can be sorted by line. */
struct perr {
	int	 line;
	size_t	 seq;
	char	*msg;
};

/* A zone item, applied when the zone ends. */
struct item {
	size_t	 key;
	int	 line;
	char	*value;
};

/* A value split into words; quoted words are unescaped. */
struct words {
	char	*buf;
	char	**w;
	int	*quoted;
	size_t	 n;
};

struct parser {
	const char	*file;
	char		*basedir;	/* for relative paths */
	struct conf	*conf;
	struct perr	*errs;
	size_t		 nerrs;
	int		 line;		/* of the item being applied */
	enum clause	 clause;

	int		 server_seen[NKEYS];	/* line of first use, or 0 */
	int		 http_seen[NKEYS];
	int		 http_line;		/* the http: clause, or 0 */
	int		*listen_line;		/* server: listen */
	int		*http_listen_line;	/* http: listen */
	int		*notify_line;		/* zone: notify */

	/* The zone being read. */
	struct conf_zone *zone;
	struct item	*items;
	size_t		 nitems;
	int		 zone_seen[NKEYS];
	int		 ztype;			/* -1: not known (yet) */
	int		 txt_line[REASON_MAX + 1];	/* last: default */
	int		 code_line[REASON_MAX];

	/* The list being read. */
	struct conf_list *list;
	int		 list_seen[NKEYS];

	/* The key being read. */
	struct conf_key	*key;
	int		 key_seen[NKEYS];
};

/*
 * The operations of a value type, its row in ktypes[]. Every type has
 * parse and dump; free is NULL when its fields own no memory; scan and
 * format are for the numbers only.
 */
struct ktype_ops {
	/*
	 * Apply VALUE, of line p->line, to the key's fields in BASE (a
	 * struct conf or conf_zone). Returns 0, or -1 after perr().
	 */
	int	(*parse)(struct parser *p, const struct key *k, void *base,
		    const char *value);
	/* Print the key as lines of its clause in the dump. */
	void	(*dump)(FILE *f, const struct key *k, const void *base);
	/* Free what the key's fields in BASE own. */
	void	(*free)(const struct key *k, void *base);
	/* A number from text (0, or -1 with *errstr) and back. */
	int	(*scan)(const char *s, uint64_t *v, const char **errstr);
	void	(*format)(uint64_t v, char *buf, size_t len);
};

static const struct ktype_ops ktypes[KT_MAX];	/* below its functions */

static void	perr(struct parser *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static const char *
key_short(const struct key *k)
{
	return strchr(k->name, '.') + 1;
}

static void
perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[MSG_MAXLEN];

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);	/* truncation is fine */
	va_end(ap);
	p->errs = xreallocarray(p->errs, p->nerrs + 1, sizeof(*p->errs));
	p->errs[p->nerrs].line = line;
	p->errs[p->nerrs].seq = p->nerrs;
	p->errs[p->nerrs].msg = xstrdup(msg);
	p->nerrs++;
}

static int
perr_cmp(const void *a, const void *b)
{
	const struct perr *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Shorten untrusted text for an error message. */
static const char *
shown(const char *s, char *buf, size_t len)
{
	return str_escape(buf, len, s, strlen(s));
}

static void
words_free(struct words *w)
{
	free(w->buf);
	free(w->w);
	free(w->quoted);
	memset(w, 0, sizeof(*w));
}

/*
 * Split VALUE into words at white space (and at commas if COMMAS). A
 * double-quoted string is one word, with \" and \\ unescaped. Returns 0,
 * or -1 after reporting the error.
 */
static int
split_words(struct parser *p, const struct key *k, const char *value,
    int commas, struct words *w)
{
	size_t len = strlen(value);
	char *s, *o;

	memset(w, 0, sizeof(*w));
	w->buf = xstrdup(value);
	w->w = xcalloc(len + 1, sizeof(*w->w));
	w->quoted = xcalloc(len + 1, sizeof(*w->quoted));
	s = w->buf;
	for (;;) {
		while (isspace((unsigned char)*s) || (commas && *s == ','))
			s++;
		if (*s == '\0')
			break;
		if (*s == '"') {
			o = ++s;
			w->w[w->n] = o;
			w->quoted[w->n++] = 1;
			while (*s != '"') {
				if (*s == '\0') {
					perr(p, p->line, "%s: unterminated "
					    "quoted string", key_short(k));
					goto fail;
				}
				if (*s == '\\') {
					if (s[1] != '"' && s[1] != '\\')
						goto badescape;
					s++;
				}
				*o++ = *s++;
			}
			s++;
			if (*s != '\0' && !isspace((unsigned char)*s) &&
			    !(commas && *s == ',')) {
				perr(p, p->line, "%s: unexpected text after "
				    "quoted string", key_short(k));
				goto fail;
			}
			*o = '\0';
			continue;
		}
		w->w[w->n++] = s;
		while (*s != '\0' && !isspace((unsigned char)*s) &&
		    !(commas && *s == ',')) {
			if (*s == '"') {
				perr(p, p->line, "%s: stray quote in \"%s\"",
				    key_short(k), value);
				goto fail;
			}
			s++;
		}
		if (*s != '\0')
			*s++ = '\0';
	}
	return 0;
badescape:
	perr(p, p->line, "%s: bad escape \"\\%c\" in quoted string (only "
	    "\\\" and \\\\)", key_short(k), s[1] ? s[1] : ' ');
fail:
	words_free(w);
	return -1;
}

/*
 * A zone's allow-transfer: and notify: lines may end with "key NAME", the
 * TSIG key that every address of the line goes with: take it off *w,
 * into *name (NULL if none). Returns 0, or -1 after perr().
 */
static int
words_key(struct parser *p, const struct key *k, struct words *w,
    char **name)
{
	size_t i;

	*name = NULL;
	for (i = 0; i < w->n; i++) {
		if (w->quoted[i] || strcmp(w->w[i], "key") != 0)
			continue;
		if (k->clause != CL_ZONE || i + 2 != w->n || i == 0) {
			perr(p, p->line, "%s: \"key NAME\" %s", key_short(k),
			    k->clause != CL_ZONE ? "belongs on a zone's "
			    "allow-transfer: and notify: lines only" :
			    "comes last, after the addresses it is for");
			return -1;
		}
		*name = xstrdup(w->w[i + 1]);
		w->n = i;
		break;
	}
	return 0;
}

/* Split into exactly one word. */
static int
one_word(struct parser *p, const struct key *k, const char *value,
    struct words *w)
{
	if (split_words(p, k, value, 0, w) == -1)
		return -1;
	if (w->n != 1) {
		perr(p, p->line, "%s: expected one value, got \"%s\"",
		    key_short(k), value);
		words_free(w);
		return -1;
	}
	return 0;
}

static void *
field(void *base, const struct key *k)
{
	return (char *)base + k->off;
}

static const void *
cfield(const void *base, const struct key *k)
{
	return (const char *)base + k->off;
}

/* The second field of a key (enum ktype), or the count of its list. */
static void *
auxfield(void *base, const struct key *k)
{
	return (char *)base + k->aux;
}

static const void *
cauxfield(const void *base, const struct key *k)
{
	return (const char *)base + k->aux;
}

/* The length of a key's list: the count in its aux field. */
static size_t
list_len(const void *base, const struct key *k)
{
	return *(const size_t *)cauxfield(base, k);
}

/* The index of S in the N strings of V, or N. */
static size_t
strlist_find(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			break;
	return i;
}

/* Append S, which the list then owns. */
static void
strlist_add(char ***vp, size_t *np, char *s)
{
	*vp = xreallocarray(*vp, *np + 1, sizeof(**vp));
	(*vp)[(*np)++] = s;
}

static void
set_num(void *base, const struct key *k, uint64_t v)
{
	if (k->size == sizeof(uint64_t)) {
		uint64_t u = v;

		memcpy(field(base, k), &u, sizeof(u));
	} else {
		uint32_t u = (uint32_t)v;	/* int or uint32_t field */

		memcpy(field(base, k), &u, sizeof(u));
	}
}

static uint64_t
get_num(const void *base, const struct key *k)
{
	uint64_t u64;
	uint32_t u32;

	if (k->size == sizeof(uint64_t)) {
		memcpy(&u64, cfield(base, k), sizeof(u64));
		return u64;
	}
	memcpy(&u32, cfield(base, k), sizeof(u32));
	return u32;
}

/* The shortest exact size ("1g", "512k", "1000"). */
static void
format_size(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "tgmk";
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t m = 1ULL << (10 * (4 - i));

		if (v != 0 && v % m == 0) {
			snprintf(buf, len, "%llu%c",
			    (unsigned long long)(v / m), units[i]);
			return;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)v);
}

static int
scan_uint(const char *s, uint64_t *v, const char **errstr)
{
	return parse_uint(s, 0, UINT64_MAX, v, errstr);
}

static void
format_uint(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%llu", (unsigned long long)v);
}

/* A number in the unit of its type ("1g", "30s"). */
static void
format_num(const struct key *k, uint64_t v, char *buf, size_t len)
{
	ktypes[k->type].format(v, buf, len);
}

/* A number in the key's range (KT_SIZE, KT_UINT, KT_DURATION). */
static int
parse_num(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	struct words w;
	const char *errstr = NULL;
	char lo[32], hi[32], b[64];
	uint64_t v;

	if (split_words(p, k, value, 0, &w) == -1)
		return -1;
	if (w.n != 1) {
		/* "5 minutes": the type's own message shows its syntax */
		(void)ktypes[k->type].scan(value, &v, &errstr);
		perr(p, p->line, "%s: bad value \"%s\": %s", key_short(k),
		    shown(value, b, sizeof(b)), errstr != NULL ? errstr :
		    "expected one value");
		words_free(&w);
		return -1;
	}
	if (ktypes[k->type].scan(w.w[0], &v, &errstr) == -1) {
		perr(p, p->line, "%s: bad value \"%s\": %s", key_short(k),
		    shown(w.w[0], b, sizeof(b)), errstr);
		words_free(&w);
		return -1;
	}
	if (v < k->min || v > k->max) {
		format_num(k, k->min, lo, sizeof(lo));
		format_num(k, k->max, hi, sizeof(hi));
		perr(p, p->line, "%s: \"%s\" out of range (%s-%s)",
		    key_short(k), shown(w.w[0], b, sizeof(b)), lo, hi);
		words_free(&w);
		return -1;
	}
	words_free(&w);
	set_num(base, k, v);
	return 0;
}

static void
dump_num(FILE *f, const struct key *k, const void *base)
{
	char buf[32];

	format_num(k, get_num(base, k), buf, sizeof(buf));
	fprintf(f, "\t%s: %s\n", key_short(k), buf);
}

/*
 * One line "KEY: [WORD ]"S"" of the dump, with S quoted as split_words()
 * reads it.
 */
static void
dump_quoted(FILE *f, const struct key *k, const char *word, const char *s)
{
	fprintf(f, "\t%s: %s%s\"", key_short(k), word ? word : "",
	    word ? " " : "");
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputs("\"\n", f);
}

/* One word, quoted or not, stored as a new string in *out. */
static int
parse_string(struct parser *p, const struct key *k, const char *value,
    char **out)
{
	struct words w;

	if (one_word(p, k, value, &w) == -1)
		return -1;
	if (w.w[0][0] == '\0') {
		perr(p, p->line, "%s: empty value", key_short(k));
		words_free(&w);
		return -1;
	}
	if (k->max != 0 && strlen(w.w[0]) > k->max) {
		perr(p, p->line, "%s: value longer than %llu bytes",
		    key_short(k), (unsigned long long)k->max);
		words_free(&w);
		return -1;
	}
	*out = xstrdup(w.w[0]);
	words_free(&w);
	return 0;
}

static int
parse_str(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	char **dst = field(base, k), *s;

	if (parse_string(p, k, value, &s) == -1)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

static int
parse_path(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	char **dst = field(base, k), *s;

	if (parse_string(p, k, value, &s) == -1)
		return -1;
	free(*dst);
	if (s[0] == '/' || p->basedir == NULL)
		*dst = s;
	else {
		(void)xasprintf(dst, "%s/%s", p->basedir, s);
		free(s);
	}
	return 0;
}

/* A string: quoted, or a comment when not set. */
static void
dump_str(FILE *f, const struct key *k, const void *base)
{
	char *const *sp = cfield(base, k);

	if (*sp == NULL)
		fprintf(f, "\t# %s: (not set)\n", key_short(k));
	else
		dump_quoted(f, k, NULL, *sp);
}

static void
free_str(const struct key *k, void *base)
{
	free(*(char **)field(base, k));
}

static int
parse_listen(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	struct conf_listen *l, **vp = field(base, k);
	size_t *np = auxfield(base, k);
	int **linesp = &p->listen_line;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct words w;
	const char *errstr;
	char host[64], ntop[INET6_ADDRSTRLEN], b[80], *at, *text, *kname;
	uint64_t port;
	size_t i, j;
	int ret = 0;

	if (k->clause == CL_HTTP)
		linesp = &p->http_listen_line;
	else if (k->clause == CL_ZONE)
		linesp = &p->notify_line;	/* this zone's, from 0 */
	if (split_words(p, k, value, 1, &w) == -1)
		return -1;
	if (words_key(p, k, &w, &kname) == -1) {
		words_free(&w);
		return -1;
	}
	for (i = 0; i < w.n; i++) {
		port = k->clause == CL_HTTP ? 80 : 53;
		at = strrchr(w.w[i], '@');
		if (at != NULL && parse_uint(at + 1, k->min, k->max, &port,
		    &errstr) == -1) {
			perr(p, p->line, "%s: bad port in \"%s\" (1-65535)",
			    key_short(k), shown(w.w[i], b, sizeof(b)));
			ret = -1;
			continue;
		}
		j = at ? (size_t)(at - w.w[i]) : strlen(w.w[i]);
		if (j >= sizeof(host))
			j = sizeof(host) - 1;
		memcpy(host, w.w[i], j);
		host[j] = '\0';
		memset(&sin, 0, sizeof(sin));
		memset(&sin6, 0, sizeof(sin6));
		if (inet_pton(AF_INET, host, &sin.sin_addr) == 1) {
			sin.sin_family = AF_INET;
			sin.sin_port = htons((uint16_t)port);
			(void)inet_ntop(AF_INET, &sin.sin_addr, ntop,
			    sizeof(ntop));
		} else if (inet_pton(AF_INET6, host, &sin6.sin6_addr) == 1) {
			sin6.sin6_family = AF_INET6;
			sin6.sin6_port = htons((uint16_t)port);
			(void)inet_ntop(AF_INET6, &sin6.sin6_addr, ntop,
			    sizeof(ntop));
		} else {
			perr(p, p->line, "%s: bad address \"%s\" (use ADDR or "
			    "ADDR@PORT with an IPv4 or IPv6 address)",
			    key_short(k), shown(w.w[i], b, sizeof(b)));
			ret = -1;
			continue;
		}
		(void)xasprintf(&text, "%s@%llu", ntop,
		    (unsigned long long)port);
		for (j = 0; j < *np; j++)
			if (strcmp((*vp)[j].text, text) == 0)
				break;
		if (j < *np) {
			perr(p, p->line, "%s: duplicate address %s (first at "
			    "line %d)", key_short(k), text, (*linesp)[j]);
			free(text);
			ret = -1;
			continue;
		}
		*vp = xreallocarray(*vp, *np + 1, sizeof(**vp));
		*linesp = xreallocarray(*linesp, *np + 1, sizeof(**linesp));
		l = &(*vp)[*np];
		memset(l, 0, sizeof(*l));
		if (sin.sin_family == AF_INET) {
			memcpy(&l->ss, &sin, sizeof(sin));
			l->sslen = sizeof(sin);
		} else {
			memcpy(&l->ss, &sin6, sizeof(sin6));
			l->sslen = sizeof(sin6);
		}
		l->text = text;
		(void)xasprintf(&l->where, "%s:%d", p->file, p->line);
		l->line = p->line;
		l->key_name = kname != NULL ? xstrdup(kname) : NULL;
		(*linesp)[(*np)++] = p->line;
	}
	if (w.n == 0) {
		perr(p, p->line, "%s: missing value", key_short(k));
		ret = -1;
	}
	free(kname);
	words_free(&w);
	return ret;
}

static void
dump_listen(FILE *f, const struct key *k, const void *base)
{
	const struct conf_listen *v;
	size_t i;

	v = *(struct conf_listen *const *)cfield(base, k);
	for (i = 0; i < list_len(base, k); i++)
		fprintf(f, "\t%s: %s%s%s\n", key_short(k), v[i].text,
		    v[i].key_name != NULL ? " key " : "",
		    v[i].key_name != NULL ? v[i].key_name : "");
}

static void
free_listen(const struct key *k, void *base)
{
	struct conf_listen *v = *(struct conf_listen **)field(base, k);
	size_t i;

	for (i = 0; i < list_len(base, k); i++) {
		free(v[i].text);
		free(v[i].where);
		free(v[i].key_name);
	}
	free(v);
}

void
conf_listen_error(const struct conf_listen *l, int err, char *buf,
    size_t len)
{
	const char *hint = "";
	uint16_t port;

	/* sin_port and sin6_port are at the same offset */
	port = ntohs(((const struct sockaddr_in *)&l->ss)->sin_port);
	if (err == EADDRINUSE)
		hint = " (another program listens there: see \"ss -ltunp\", "
		    "or choose another port)";
	else if (err == EADDRNOTAVAIL)
		hint = " (no interface of this host has that address: see "
		    "\"ip addr\")";
	else if (err == EACCES && port < 1024)
		hint = " (a port below 1024 needs root or "
		    "CAP_NET_BIND_SERVICE)";
	(void)snprintf(buf, len, "%s: listen: cannot listen on %s: %s%s",
	    l->where != NULL ? l->where : "?", l->text, strerror(err), hint);
}

static int
parse_addrlist(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	struct addrlist *l = field(base, k);
	struct words w;
	struct addr a;
	char errbuf[160];
	size_t i;
	int ret = 0;

	if (split_words(p, k, value, 1, &w) == -1)
		return -1;
	for (i = 0; i < w.n; i++) {
		if (addr_parse(w.w[i], 0, &a, errbuf, sizeof(errbuf)) == -1) {
			perr(p, p->line, "%s: %s", key_short(k), errbuf);
			ret = -1;
			continue;
		}
		addrlist_add(l, &a);
	}
	if (w.n == 0) {
		perr(p, p->line, "%s: missing value", key_short(k));
		ret = -1;
	}
	words_free(&w);
	return ret;
}

static void
dump_addrlist(FILE *f, const struct key *k, const void *base)
{
	const struct addrlist *l = cfield(base, k);
	char buf[ADDR_STRLEN];
	size_t i;

	fprintf(f, "\t%s%s:", l->n ? "" : "# ", key_short(k));
	for (i = 0; i < l->n; i++)
		fprintf(f, "%s %s", i ? "," : "",
		    addr_format(&l->v[i], buf, sizeof(buf)));
	fputc('\n', f);
}

static void
free_addrlist(const struct key *k, void *base)
{
	free(((struct addrlist *)field(base, k))->v);
}

static int
parse_acl(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	struct conf_acl **vp = field(base, k);
	size_t *np = auxfield(base, k);
	struct words w;
	struct addr a;
	char errbuf[160], *kname;
	size_t i;
	int ret = 0;

	if (split_words(p, k, value, 1, &w) == -1)
		return -1;
	if (words_key(p, k, &w, &kname) == -1) {
		words_free(&w);
		return -1;
	}
	for (i = 0; i < w.n; i++) {
		if (addr_parse(w.w[i], 0, &a, errbuf, sizeof(errbuf)) == -1) {
			perr(p, p->line, "%s: %s", key_short(k), errbuf);
			ret = -1;
			continue;
		}
		*vp = xreallocarray(*vp, *np + 1, sizeof(**vp));
		memset(&(*vp)[*np], 0, sizeof(**vp));
		(*vp)[*np].prefix = a;
		(*vp)[*np].key_name = kname != NULL ? xstrdup(kname) : NULL;
		(*vp)[*np].line = p->line;
		(*np)++;
	}
	if (w.n == 0) {
		perr(p, p->line, "%s: missing value", key_short(k));
		ret = -1;
	}
	free(kname);
	words_free(&w);
	return ret;
}

static void
dump_acl(FILE *f, const struct key *k, const void *base)
{
	const struct conf_acl *v = *(struct conf_acl *const *)cfield(base, k);
	char buf[ADDR_STRLEN];
	size_t i, n = list_len(base, k);

	if (n == 0)
		fprintf(f, "\t# %s:\n", key_short(k));
	for (i = 0; i < n; i++)
		fprintf(f, "\t%s: %s%s%s\n", key_short(k),
		    addr_format(&v[i].prefix, buf, sizeof(buf)),
		    v[i].key_name != NULL ? " key " : "",
		    v[i].key_name != NULL ? v[i].key_name : "");
}

static void
free_acl(const struct key *k, void *base)
{
	struct conf_acl *v = *(struct conf_acl **)field(base, k);
	size_t i;

	for (i = 0; i < list_len(base, k); i++)
		free(v[i].key_name);
	free(v);
}

int
conf_acl_allows(const struct conf_acl *v, size_t n, const struct addr *a,
    const struct conf_key *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (addr_contains(&v[i].prefix, a) &&
		    (v[i].key == NULL || v[i].key == key))
			return 1;
	return 0;
}

const char *
conf_key_alg_name(enum conf_key_alg a)
{
	return a <= KEY_HMAC_SHA512 ? key_algs[a] : "?";
}

static int
parse_kalg(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	enum conf_key_alg *dst = field(base, k);
	struct words w;
	char b[64];
	size_t i;

	if (one_word(p, k, value, &w) == -1)
		return -1;
	for (i = 0; i < sizeof(key_algs) / sizeof(key_algs[0]); i++)
		if (strcasecmp(w.w[0], key_algs[i]) == 0) {
			*dst = (enum conf_key_alg)i;
			words_free(&w);
			return 0;
		}
	perr(p, p->line, "%s: unknown algorithm \"%s\" (hmac-sha256, "
	    "hmac-sha384, hmac-sha512, hmac-sha224 or hmac-sha1)",
	    key_short(k), shown(w.w[0], b, sizeof(b)));
	words_free(&w);
	return -1;
}

static void
dump_kalg(FILE *f, const struct key *k, const void *base)
{
	fprintf(f, "\t%s: %s\n", key_short(k), conf_key_alg_name(
	    *(const enum conf_key_alg *)cfield(base, k)));
}

/* The secret of a key: base64 (RFC 4648), as tsig-keygen writes it. */
static int
parse_secret(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	struct conf_key *key = base;
	struct words w;
	uint8_t *raw;
	size_t len;
	int n;

	(void)k;
	if (one_word(p, k, value, &w) == -1)
		return -1;
	len = strlen(w.w[0]);
	raw = xmalloc(len + 1);
	n = base64_decode(w.w[0], raw, len + 1);
	if (n < 8) {
		perr(p, p->line, "%s: %s (base64 of at least 8 random bytes; "
		    "make one with \"openssl rand -base64 32\")",
		    key_short(k), n < 0 ? "not base64" : "too short");
		free(raw);
		words_free(&w);
		return -1;
	}
	free(key->secret);
	free(key->raw);
	key->secret = xstrdup(w.w[0]);
	key->raw = raw;
	key->raw_len = (size_t)n;
	words_free(&w);
	return 0;
}

static void
free_secret(const struct key *k, void *base)
{
	struct conf_key *key = base;

	(void)k;
	free(key->secret);
	free(key->raw);
}

/*
 * Check a domain name: labels of 1-63 letters, digits, hyphens and
 * underscores, at most 253 bytes, final dot optional. Returns a new lower
 * case copy without the final dot, or NULL after reporting the error.
 */
static char *
norm_name(struct parser *p, const struct key *k, const char *s)
{
	char b[80], *out;
	size_t len = strlen(s), i, label = 0;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0) {
		perr(p, p->line, "%s: empty domain name", key_short(k));
		return NULL;
	}
	if (len > NAME_MAXLEN) {
		perr(p, p->line, "%s: domain name \"%.40s...\" longer than "
		    "%d bytes", key_short(k), shown(s, b, sizeof(b)),
		    NAME_MAXLEN);
		return NULL;
	}
	for (i = 0; i <= len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == len || c == '.') {
			if (label == 0 || label > LABEL_MAXLEN) {
				perr(p, p->line, "%s: bad domain name \"%s\": "
				    "%s label", key_short(k),
				    shown(s, b, sizeof(b)), label ? "too long"
				    " (over 63 bytes)" : "empty");
				return NULL;
			}
			label = 0;
		} else if (isalnum(c) || c == '-' || c == '_')
			label++;
		else {
			perr(p, p->line, "%s: bad domain name \"%s\": only "
			    "letters, digits, '-' and '_' are allowed",
			    key_short(k), shown(s, b, sizeof(b)));
			return NULL;
		}
	}
	out = xstrndup(s, len);
	for (i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return out;
}

/*
 * own-names: this site's host names (any case, final dot optional) and
 * addresses or prefixes; a HELO naming one of them is a lie.
 */
static int
parse_own(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	struct conf *c = base;
	struct words w;
	struct addr a;
	char errbuf[160], *name, ***vp = field(base, k);
	size_t i, *np = auxfield(base, k);
	int ret = 0;

	if (split_words(p, k, value, 1, &w) == -1)
		return -1;
	for (i = 0; i < w.n; i++) {
		if (addr_parse(w.w[i], 0, &a, errbuf, sizeof(errbuf)) == 0) {
			addrlist_add(&c->own_addrs, &a);
			continue;
		}
		if (strchr(w.w[i], ':') != NULL ||
		    strspn(w.w[i], "0123456789./") == strlen(w.w[i])) {
			perr(p, p->line, "%s: %s", key_short(k), errbuf);
			ret = -1;
			continue;
		}
		if ((name = norm_name(p, k, w.w[i])) == NULL) {
			ret = -1;
			continue;
		}
		if (strlist_find(*vp, *np, name) < *np)
			free(name);	/* harmless repetition */
		else
			strlist_add(vp, np, name);
	}
	if (w.n == 0) {
		perr(p, p->line, "%s: missing value", key_short(k));
		ret = -1;
	}
	words_free(&w);
	return ret;
}

/* The names, then the addresses, on one line. */
static void
dump_own(FILE *f, const struct key *k, const void *base)
{
	const struct conf *c = base;
	char *const *v = *(char *const *const *)cfield(base, k);
	char buf[ADDR_STRLEN];
	size_t i, j, n = list_len(base, k);

	fprintf(f, "\t%s%s:", n + c->own_addrs.n ? "" : "# ", key_short(k));
	for (i = 0; i < n; i++)
		fprintf(f, "%s %s", i ? "," : "", v[i]);
	for (j = 0; j < c->own_addrs.n; j++)
		fprintf(f, "%s %s", i + j ? "," : "",
		    addr_format(&c->own_addrs.v[j], buf, sizeof(buf)));
	fputc('\n', f);
}

static int
parse_name(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	char **dst = field(base, k), *s;
	struct words w;

	if (one_word(p, k, value, &w) == -1)
		return -1;
	s = norm_name(p, k, w.w[0]);
	words_free(&w);
	if (s == NULL)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

static void
dump_name(FILE *f, const struct key *k, const void *base)
{
	char *const *sp = cfield(base, k);

	fprintf(f, "\t%s: %s\n", key_short(k), *sp ? *sp : "");
}

static int
parse_ztype(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	enum zone_type *dst = field(base, k);
	struct words w;
	char b[64];
	int t;

	if (one_word(p, k, value, &w) == -1)
		return -1;
	t = zone_type_lookup(w.w[0]);
	if (t < 0)
		perr(p, p->line, "%s: unknown zone type \"%s\" (use dnsbl, "
		    "dnswl, rhsbl or helo)", key_short(k),
		    shown(w.w[0], b, sizeof(b)));
	else {
		*dst = (enum zone_type)t;
		p->ztype = t;
	}
	words_free(&w);
	return p->ztype < 0 ? -1 : 0;
}

static void
dump_ztype(FILE *f, const struct key *k, const void *base)
{
	fprintf(f, "\t%s: %s\n", key_short(k),
	    zone_type_name(*(const enum zone_type *)cfield(base, k)));
}

/* "blacklist, no-ptr, ..." for the zone type T. */
static void
reason_keys(int t, char *buf, size_t len)
{
	size_t n;
	int r;

	buf[0] = '\0';
	for (r = 0; r < REASON_MAX; r++) {
		if ((int)reason_get((enum reason)r)->type != t)
			continue;
		n = strlen(buf);
		(void)snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
		    reason_get((enum reason)r)->key);
	}
}

/* The reason KEY for the current zone type, or -1 after an error. */
static int
zone_reason(struct parser *p, const struct key *k, const char *key)
{
	char b[64], valid[128];
	int r;

	r = reason_lookup(key, (enum zone_type)p->ztype);
	if (r < 0) {
		reason_keys(p->ztype, valid, sizeof(valid));
		perr(p, p->line, "%s: unknown reason \"%s\" for a %s zone "
		    "(valid: %s)", key_short(k), shown(key, b, sizeof(b)),
		    zone_type_name((enum zone_type)p->ztype), valid);
	}
	return r;
}

static int
parse_checks(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	unsigned *dst = field(base, k);
	struct words w;
	size_t i;
	int r, ret = 0;

	if (p->ztype < 0)
		return 0;	/* the type error was reported */
	if (split_words(p, k, value, 1, &w) == -1)
		return -1;
	if (w.n == 0) {
		perr(p, p->line, "%s: missing value", key_short(k));
		ret = -1;
	}
	*dst = 0;
	for (i = 0; i < w.n; i++) {
		if ((r = zone_reason(p, k, w.w[i])) < 0) {
			ret = -1;
			continue;
		}
		*dst |= 1U << r;
	}
	words_free(&w);
	return ret;
}

static void
dump_checks(FILE *f, const struct key *k, const void *base)
{
	const unsigned *checks = cfield(base, k);
	int r, first = 1;

	fprintf(f, "\t%s%s:", *checks ? "" : "# ", key_short(k));
	for (r = 0; r < REASON_MAX; r++)
		if (*checks & (1U << r)) {
			fprintf(f, "%s %s", first ? "" : ",",
			    reason_get(r)->key);
			first = 0;
		}
	fputc('\n', f);
}

static int
parse_soa(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	char **mname = field(base, k), **rname = auxfield(base, k);
	struct words w;
	char *m, *r;

	if (split_words(p, k, value, 0, &w) == -1)
		return -1;
	if (w.n != 2) {
		perr(p, p->line, "%s: expected two names, MNAME RNAME "
		    "(\"ns.example.net hostmaster.example.net\")",
		    key_short(k));
		words_free(&w);
		return -1;
	}
	if (strchr(w.w[1], '@') != NULL) {
		perr(p, p->line, "%s: write the rname \"%s\" as a name, "
		    "with a dot in place of the \"@\"", key_short(k), w.w[1]);
		words_free(&w);
		return -1;
	}
	m = norm_name(p, k, w.w[0]);
	r = norm_name(p, k, w.w[1]);
	words_free(&w);
	if (m == NULL || r == NULL) {
		free(m);
		free(r);
		return -1;
	}
	free(*mname);
	free(*rname);
	*mname = m;
	*rname = r;
	return 0;
}

static void
dump_soa(FILE *f, const struct key *k, const void *base)
{
	char *const *m = cfield(base, k), *const *r = cauxfield(base, k);

	fprintf(f, "\t%s: %s %s\n", key_short(k), *m ? *m : "",
	    *r ? *r : "");
}

static void
free_soa(const struct key *k, void *base)
{
	free(*(char **)field(base, k));
	free(*(char **)auxfield(base, k));
}

static int
parse_nslist(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	char ***vp = field(base, k), *s;
	size_t i, *np = auxfield(base, k);
	struct words w;
	int ret = 0;

	if (split_words(p, k, value, 1, &w) == -1)
		return -1;
	if (w.n == 0) {
		perr(p, p->line, "%s: missing value", key_short(k));
		ret = -1;
	}
	for (i = 0; i < w.n; i++) {
		if ((s = norm_name(p, k, w.w[i])) == NULL) {
			ret = -1;
			continue;
		}
		if (strlist_find(*vp, *np, s) < *np) {
			perr(p, p->line, "%s: duplicate name %s",
			    key_short(k), s);
			free(s);
			ret = -1;
			continue;
		}
		strlist_add(vp, np, s);
	}
	words_free(&w);
	return ret;
}

/* A list of strings (ns, resolver): one line each. */
static void
dump_strlist(FILE *f, const struct key *k, const void *base)
{
	char *const *v = *(char *const *const *)cfield(base, k);
	size_t i;

	for (i = 0; i < list_len(base, k); i++)
		fprintf(f, "\t%s: %s\n", key_short(k), v[i]);
}

static void
free_strlist(const struct key *k, void *base)
{
	char **v = *(char ***)field(base, k);
	size_t i;

	for (i = 0; i < list_len(base, k); i++)
		free(v[i]);
	free(v);
}

static int
parse_txt(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	char **dflt = field(base, k), **per = auxfield(base, k), **dst;
	struct words w;
	const char *tmpl;
	int slot;

	if (split_words(p, k, value, 0, &w) == -1)
		return -1;
	if (w.n == 1 && w.quoted[0]) {
		slot = REASON_MAX;
		tmpl = w.w[0];
	} else if (w.n == 2 && !w.quoted[0] && w.quoted[1]) {
		if (p->ztype < 0) {
			words_free(&w);
			return 0;	/* the type error was reported */
		}
		if ((slot = zone_reason(p, k, w.w[0])) < 0) {
			words_free(&w);
			return -1;
		}
		tmpl = w.w[1];
	} else {
		perr(p, p->line, "%s: expected \"TEMPLATE\" or REASON "
		    "\"TEMPLATE\", with the template in double quotes",
		    key_short(k));
		words_free(&w);
		return -1;
	}
	if (strlen(tmpl) > k->max) {
		perr(p, p->line, "%s: template longer than %llu bytes",
		    key_short(k), (unsigned long long)k->max);
		words_free(&w);
		return -1;
	}
	if (p->txt_line[slot] != 0) {
		perr(p, p->line, "%s: %s%s%s template given twice (first at "
		    "line %d)", key_short(k),
		    slot == REASON_MAX ? "default" : "\"",
		    slot == REASON_MAX ? "" : reason_get(slot)->key,
		    slot == REASON_MAX ? "" : "\"", p->txt_line[slot]);
		words_free(&w);
		return -1;
	}
	p->txt_line[slot] = p->line;
	dst = slot == REASON_MAX ? dflt : &per[slot];
	*dst = xstrdup(tmpl);
	words_free(&w);
	return 0;
}

/* The default template, then those given for a reason. */
static void
dump_txt(FILE *f, const struct key *k, const void *base)
{
	char *const *dflt = cfield(base, k), *const *per = cauxfield(base, k);
	int r;

	if (*dflt == NULL)
		fprintf(f, "\t# %s: (built-in default)\n", key_short(k));
	else
		dump_quoted(f, k, NULL, *dflt);
	for (r = 0; r < REASON_MAX; r++)
		if (per[r] != NULL)
			dump_quoted(f, k, reason_get(r)->key, per[r]);
}

static void
free_txt(const struct key *k, void *base)
{
	char **per = auxfield(base, k);
	int r;

	free(*(char **)field(base, k));
	for (r = 0; r < REASON_MAX; r++)
		free(per[r]);
}

static int
parse_code(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	uint32_t *code = field(base, k), v;
	struct in_addr in;
	struct words w;
	char b[64];
	int r;

	if (p->ztype < 0)
		return 0;	/* the type error was reported */
	if (split_words(p, k, value, 0, &w) == -1)
		return -1;
	if (w.n != 2) {
		perr(p, p->line, "%s: expected REASON 127.0.0.N",
		    key_short(k));
		words_free(&w);
		return -1;
	}
	if ((r = zone_reason(p, k, w.w[0])) < 0) {
		words_free(&w);
		return -1;
	}
	if (inet_pton(AF_INET, w.w[1], &in) != 1) {
		perr(p, p->line, "%s: bad address \"%s\" (use 127.0.0.N)",
		    key_short(k), shown(w.w[1], b, sizeof(b)));
		words_free(&w);
		return -1;
	}
	v = ntohl(in.s_addr);
	/* a value outside the usual range is accepted silently: the
	 * parser has no warnings, and the operator chose it */
	if (reason_code_class(v) == CODE_BAD) {
		perr(p, p->line, "%s: %s for \"%s\" is not allowed (any "
		    "127.0.0.0/8 address but 127.0.0.1, the RFC 5782 test "
		    "address)", key_short(k), w.w[1], w.w[0]);
		words_free(&w);
		return -1;
	}
	if (p->code_line[r] != 0) {
		perr(p, p->line, "%s: code for \"%s\" given twice (first at "
		    "line %d)", key_short(k), w.w[0], p->code_line[r]);
		words_free(&w);
		return -1;
	}
	p->code_line[r] = p->line;
	code[r] = v;
	words_free(&w);
	return 0;
}

/* The code of each reason of the zone's type, another key of the zone. */
static void
dump_code(FILE *f, const struct key *k, const void *base)
{
	const struct conf_zone *z = base;
	const uint32_t *code = cfield(base, k);
	int r;

	for (r = 0; r < REASON_MAX; r++)
		if (reason_get(r)->type == z->type)
			fprintf(f, "\t%s: %s %u.%u.%u.%u\n", key_short(k),
			    reason_get(r)->key, code[r] >> 24,
			    (code[r] >> 16) & 0xff, (code[r] >> 8) & 0xff,
			    code[r] & 0xff);
}

/* resolver: "system" or ADDR[@PORT] words, accumulating. */
static int
parse_resolver(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	struct words w;
	struct addr a;
	const char *errstr;
	char host[64], b[80], errbuf[160], *at, ***vp = field(base, k);
	uint64_t port;
	size_t i, *np = auxfield(base, k);
	int ret = 0;

	if (split_words(p, k, value, 1, &w) == -1)
		return -1;
	for (i = 0; i < w.n; i++) {
		if (strcmp(w.w[i], "system") != 0) {
			at = strrchr(w.w[i], '@');
			if (at != NULL && parse_uint(at + 1, k->min, k->max,
			    &port, &errstr) == -1) {
				perr(p, p->line, "%s: bad port in \"%s\" "
				    "(1-65535)", key_short(k),
				    shown(w.w[i], b, sizeof(b)));
				ret = -1;
				continue;
			}
			str_copy(host, w.w[i], sizeof(host));
			if (at != NULL && (size_t)(at - w.w[i]) < sizeof(host))
				host[at - w.w[i]] = '\0';
			if (addr_parse(host, 0, &a, errbuf,
			    sizeof(errbuf)) == -1 || a.len != ADDR_BITS(&a)) {
				perr(p, p->line, "%s: \"%s\" is not system "
				    "or ADDR[@PORT]", key_short(k),
				    shown(w.w[i], b, sizeof(b)));
				ret = -1;
				continue;
			}
		}
		if (strlist_find(*vp, *np, w.w[i]) < *np) {
			perr(p, p->line, "%s: %s given twice", key_short(k),
			    shown(w.w[i], b, sizeof(b)));
			ret = -1;
			continue;
		}
		if (*np >= 8) {
			perr(p, p->line, "%s: at most 8 resolvers",
			    key_short(k));
			ret = -1;
			break;
		}
		strlist_add(vp, np, xstrdup(w.w[i]));
	}
	if (w.n == 0) {
		perr(p, p->line, "%s: missing value", key_short(k));
		ret = -1;
	}
	words_free(&w);
	return ret;
}

/*
 * One word of VALUE that must be one of WORDS (NULL-terminated): its
 * index in *OUT. Returns 0, or -1 after perr() naming them (ALTS).
 */
static int
parse_choice(struct parser *p, const struct key *k, const char *value,
    const char *const *words, const char *alts, int *out)
{
	struct words w;
	char b[64];
	int i;

	if (one_word(p, k, value, &w) == -1)
		return -1;
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(w.w[0], words[i]) == 0)
			break;
	if (words[i] == NULL)
		perr(p, p->line, "%s: \"%s\" is not %s", key_short(k),
		    shown(w.w[0], b, sizeof(b)), alts);
	else
		*out = i;
	words_free(&w);
	return words[i] == NULL ? -1 : 0;
}

static const char *const failure_words[] = { "nxdomain", "servfail", NULL };

static int
parse_failure(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	return parse_choice(p, k, value, failure_words,
	    "nxdomain or servfail", field(base, k));
}

static void
dump_failure(FILE *f, const struct key *k, const void *base)
{
	fprintf(f, "\t%s: %s\n", key_short(k),
	    *(const int *)cfield(base, k) ? "servfail" : "nxdomain");
}

/* Where the log goes, in the order of enum conf_log. */
static const char *const log_words[] = { "syslog", "stderr", NULL };

static int
parse_log(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	int v;

	if (parse_choice(p, k, value, log_words, "syslog or stderr",
	    &v) == -1)
		return -1;
	*(enum conf_log *)field(base, k) = (enum conf_log)v;
	return 0;
}

static const char *const bool_words[] = { "no", "yes", NULL };

static int
parse_bool(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	return parse_choice(p, k, value, bool_words, "no or yes",
	    field(base, k));
}

static void
dump_bool(FILE *f, const struct key *k, const void *base)
{
	fprintf(f, "\t%s: %s\n", key_short(k),
	    bool_words[*(const int *)cfield(base, k) != 0]);
}

static void
dump_log(FILE *f, const struct key *k, const void *base)
{
	fprintf(f, "\t%s: %s\n", key_short(k),
	    log_words[*(const enum conf_log *)cfield(base, k)]);
}

/* "off" (0) or a duration in the key's range. */
static int
parse_offduration(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	struct words w;
	int off;

	if (one_word(p, k, value, &w) == -1)
		return -1;
	off = strcmp(w.w[0], "off") == 0;
	words_free(&w);
	if (!off)
		return parse_num(p, k, base, value);
	set_num(base, k, 0);
	return 0;
}

static void
dump_offduration(FILE *f, const struct key *k, const void *base)
{
	if (get_num(base, k) == 0)
		fprintf(f, "\t%s: off\n", key_short(k));
	else
		dump_num(f, k, base);
}

/*
 * An absolute http:// or https:// URL of printable ASCII without
 * blanks, quotes or angle brackets (it goes into TXT records and HTML
 * attributes); a final "/" is added when missing.
 */
static int
parse_url(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	char **dst = field(base, k), *s, b[64];
	const char *c;
	size_t n;

	if (parse_string(p, k, value, &s) == -1)
		return -1;
	n = strncmp(s, "https://", 8) == 0 ? 8 :
	    strncmp(s, "http://", 7) == 0 ? 7 : 0;
	if (n == 0 || s[n] == '\0' || s[n] == '/') {
		perr(p, p->line, "%s: \"%s\" is not an http:// or https:// "
		    "URL with a host", key_short(k), shown(s, b, sizeof(b)));
		free(s);
		return -1;
	}
	for (c = s; *c != '\0'; c++)
		if (*c <= ' ' || *c >= 0x7f || strchr("\"'<>\\`", *c)) {
			perr(p, p->line, "%s: character \"%s\" not allowed "
			    "in a URL", key_short(k), shown((char[]){ *c, 0 },
			    b, sizeof(b)));
			free(s);
			return -1;
		}
	free(*dst);
	if (s[strlen(s) - 1] == '/')
		*dst = s;
	else {
		(void)xasprintf(dst, "%s/", s);
		free(s);
	}
	return 0;
}

static int
parse_lname(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	char **dst = field(base, k);
	struct words w;
	char b[64];

	if (one_word(p, k, value, &w) == -1)
		return -1;
	if (!list_name_valid(w.w[0])) {
		perr(p, p->line, "%s: bad list name \"%s\" (1-%u of a-z, 0-9, "
		    "\".\", \"_\" and \"-\", a letter or digit first)",
		    key_short(k), shown(w.w[0], b, sizeof(b)),
		    (unsigned)k->max);
		words_free(&w);
		return -1;
	}
	free(*dst);
	*dst = xstrdup(w.w[0]);
	words_free(&w);
	return 0;
}

static int
parse_lkind(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	enum list_kind *dst = field(base, k);
	struct words w;
	char b[64];
	int ret = 0;

	if (one_word(p, k, value, &w) == -1)
		return -1;
	if (strcmp(w.w[0], "ip") == 0)
		*dst = LIST_KIND_IP;
	else if (strcmp(w.w[0], "domain") == 0)
		*dst = LIST_KIND_DOMAIN;
	else {
		perr(p, p->line, "%s: \"%s\" is not ip or domain",
		    key_short(k), shown(w.w[0], b, sizeof(b)));
		ret = -1;
	}
	words_free(&w);
	return ret;
}

static void
dump_lkind(FILE *f, const struct key *k, const void *base)
{
	fprintf(f, "\t%s: %s\n", key_short(k),
	    list_kinds[*(const enum list_kind *)cfield(base, k)]);
}

/*
 * An A value of a listing: 127.0.0.0/8 but 127.0.0.1 (RFC 5782 keeps it
 * for "not listed" tests). 0, or -1 with a message for the caller.
 */
static int
a_value(const char *s, uint32_t *v)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return -1;
	*v = ntohl(in.s_addr);
	return reason_code_class(*v) == CODE_BAD ? -1 : 0;
}

/* "list: NAME [127.0.0.N]" of a zone; checked once every list is read. */
static int
parse_zlist(struct parser *p, const struct key *k, void *base,
    const char *value)
{
	struct conf_zlist **vp = field(base, k), *z;
	size_t i, *np = auxfield(base, k);
	struct words w;
	uint32_t code = 0;
	char b[64];

	if (split_words(p, k, value, 0, &w) == -1)
		return -1;
	if (w.n < 1 || w.n > 2) {
		perr(p, p->line, "%s: expected NAME [127.0.0.N]",
		    key_short(k));
		goto fail;
	}
	if (!list_name_valid(w.w[0])) {
		perr(p, p->line, "%s: bad list name \"%s\"", key_short(k),
		    shown(w.w[0], b, sizeof(b)));
		goto fail;
	}
	if (w.n == 2 && a_value(w.w[1], &code) == -1) {
		perr(p, p->line, "%s: %s for list %s is not in 127.0.0.0/8 or "
		    "is 127.0.0.1 (clients read those answers as errors or "
		    "test points)", key_short(k), shown(w.w[1], b, sizeof(b)),
		    w.w[0]);
		goto fail;
	}
	for (i = 0; i < *np; i++)
		if (strcmp((*vp)[i].name, w.w[0]) == 0) {
			perr(p, p->line, "%s: list %s given twice (first at "
			    "line %d)", key_short(k), w.w[0], (*vp)[i].line);
			goto fail;
		}
	*vp = xreallocarray(*vp, *np + 1, sizeof(**vp));
	z = &(*vp)[(*np)++];
	z->name = xstrdup(w.w[0]);
	z->code = code;
	z->line = p->line;
	words_free(&w);
	return 0;
fail:
	words_free(&w);
	return -1;
}

static void
dump_zlist(FILE *f, const struct key *k, const void *base)
{
	const struct conf_zlist *v = *(struct conf_zlist *const *)
	    cfield(base, k);
	size_t i;

	for (i = 0; i < list_len(base, k); i++) {
		fprintf(f, "\t%s: %s", key_short(k), v[i].name);
		if (v[i].code != 0)
			fprintf(f, " 127.%u.%u.%u", (v[i].code >> 16) & 0xff,
			    (v[i].code >> 8) & 0xff, v[i].code & 0xff);
		fputc('\n', f);
	}
}

static void
free_zlist(const struct key *k, void *base)
{
	struct conf_zlist *v = *(struct conf_zlist **)field(base, k);
	size_t i;

	for (i = 0; i < list_len(base, k); i++)
		free(v[i].name);
	free(v);
}

/*
 * How each value type is parsed, printed and freed. The members are
 * named, and a type leaves out (NULL) those it has no use for.
 */
static const struct ktype_ops ktypes[KT_MAX] = {
	[KT_LISTEN] = { .parse = parse_listen, .dump = dump_listen,
	    .free = free_listen },
	[KT_PATH] = { .parse = parse_path, .dump = dump_str,
	    .free = free_str },
	[KT_STRING] = { .parse = parse_str, .dump = dump_str,
	    .free = free_str },
	[KT_SIZE] = { .parse = parse_num, .dump = dump_num,
	    .scan = parse_size, .format = format_size },
	[KT_UINT] = { .parse = parse_num, .dump = dump_num,
	    .scan = scan_uint, .format = format_uint },
	[KT_DURATION] = { .parse = parse_num, .dump = dump_num,
	    .scan = parse_duration, .format = format_duration },
	[KT_ADDRLIST] = { .parse = parse_addrlist, .dump = dump_addrlist,
	    .free = free_addrlist },
	[KT_NAME] = { .parse = parse_name, .dump = dump_name,
	    .free = free_str },
	[KT_ZTYPE] = { .parse = parse_ztype, .dump = dump_ztype },
	[KT_CHECKS] = { .parse = parse_checks, .dump = dump_checks },
	[KT_SOA] = { .parse = parse_soa, .dump = dump_soa,
	    .free = free_soa },
	[KT_NSLIST] = { .parse = parse_nslist, .dump = dump_strlist,
	    .free = free_strlist },
	[KT_TXT] = { .parse = parse_txt, .dump = dump_txt,
	    .free = free_txt },
	[KT_CODE] = { .parse = parse_code, .dump = dump_code },
	[KT_RESOLVER] = { .parse = parse_resolver, .dump = dump_strlist,
	    .free = free_strlist },
	[KT_FAILURE] = { .parse = parse_failure, .dump = dump_failure },
	[KT_LOG] = { .parse = parse_log, .dump = dump_log },
	[KT_BOOL] = { .parse = parse_bool, .dump = dump_bool },
	[KT_ACL] = { .parse = parse_acl, .dump = dump_acl,
	    .free = free_acl },
	[KT_KALG] = { .parse = parse_kalg, .dump = dump_kalg },
	[KT_SECRET] = { .parse = parse_secret, .dump = dump_str,
	    .free = free_secret },
	[KT_OFFDURATION] = { .parse = parse_offduration,
	    .dump = dump_offduration, .scan = parse_duration,
	    .format = format_duration },
	[KT_URL] = { .parse = parse_url, .dump = dump_str,
	    .free = free_str },
	[KT_OWN] = { .parse = parse_own, .dump = dump_own,
	    .free = free_strlist },
	[KT_LNAME] = { .parse = parse_lname, .dump = dump_name,
	    .free = free_str },
	[KT_LKIND] = { .parse = parse_lkind, .dump = dump_lkind },
	[KT_ZLIST] = { .parse = parse_zlist, .dump = dump_zlist,
	    .free = free_zlist },
};

/* Apply one item, refusing a single-valued key given twice. */
static void
apply_item(struct parser *p, int *seen, size_t ki, void *base,
    const char *value, int line)
{
	const struct key *k = &keys[ki];

	p->line = line;
	if (seen[ki] != 0 && !(k->flags & F_MULTI)) {
		perr(p, line, "%s: given twice (first at line %d)",
		    key_short(k), seen[ki]);
		return;
	}
	if (seen[ki] == 0)
		seen[ki] = line;
	if (*value == '\0')
		perr(p, line, "%s: missing value", key_short(k));
	else	/* errors are recorded */
		(void)ktypes[k->type].parse(p, k, base, value);
}

/* Apply the defaults of the keys of clause CL not given. */
static void
apply_defaults(struct parser *p, enum clause cl, const int *seen,
    void *base)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (keys[i].clause != cl || seen[i] != 0 ||
		    keys[i].def == NULL ||
		    (keys[i].flags & (F_COMPUTED | F_REQUIRED)))
			continue;
		p->line = 0;
		(void)ktypes[keys[i].type].parse(p, &keys[i], base,
		    keys[i].def);
	}
}

static size_t
key_index(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return i;
	return NKEYS;
}

/* End of a zone: apply its items, type first, then the defaults. */
static void
finish_zone(struct parser *p)
{
	struct conf_zone *z = p->zone;
	size_t i, ki, kname = key_index("zone.name");
	size_t kztype = key_index("zone.type");
	int r, pass, saved = p->line;

	if (z == NULL)
		return;
	memset(p->zone_seen, 0, sizeof(p->zone_seen));
	memset(p->txt_line, 0, sizeof(p->txt_line));
	memset(p->code_line, 0, sizeof(p->code_line));
	p->ztype = -1;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < p->nitems; i++) {
			ki = p->items[i].key;
			if ((ki == kztype) != (pass == 0))
				continue;
			apply_item(p, p->zone_seen, ki, z, p->items[i].value,
			    p->items[i].line);
		}
	for (i = 0; i < p->nitems; i++)
		free(p->items[i].value);
	p->nitems = 0;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].clause == CL_ZONE &&
		    (keys[i].flags & F_REQUIRED) && p->zone_seen[i] == 0)
			perr(p, z->line, "zone: clause has no %s: line",
			    key_short(&keys[i]));
	apply_defaults(p, CL_ZONE, p->zone_seen, z);

	if (z->name != NULL)
		for (i = 0; z != &p->conf->zones[i]; i++)
			if (p->conf->zones[i].name != NULL &&
			    strcmp(p->conf->zones[i].name, z->name) == 0) {
				perr(p, p->zone_seen[kname], "name: "
				    "duplicate zone %s (first at line %d)",
				    z->name, p->conf->zones[i].line);
				break;
			}

	if (p->ztype >= 0) {
		if (p->zone_seen[key_index("zone.checks")] == 0)
			z->checks = z->type == ZONE_DNSWL ?
			    1U << REASON_WHITELIST : z->type == ZONE_HELO ?
			    reason_mask(ZONE_HELO) : z->type == ZONE_RHSBL ?
			    1U << REASON_DOMAIN : 1U << REASON_BLACKLIST;
		for (r = 0; r < REASON_MAX; r++)
			if (reason_get(r)->type == z->type &&
			    p->code_line[r] == 0)
				z->code[r] = reason_get(r)->code;
	}
	if (z->name != NULL && z->soa_mname == NULL) {
		z->soa_mname = xstrdup(z->nns ? z->ns[0] : z->name);
		if (strlen(z->name) + strlen("hostmaster.") > NAME_MAXLEN)
			perr(p, z->line, "zone %s: name too long for the "
			    "default soa rname; give soa:", z->name);
		(void)xasprintf(&z->soa_rname, "hostmaster.%s", z->name);
	}
	if (z->nns == 0 && z->soa_mname != NULL) {
		z->ns = xcalloc(1, sizeof(*z->ns));
		z->ns[z->nns++] = xstrdup(z->soa_mname);
	}
	p->zone = NULL;
	p->line = saved;
}

/* End of a list: clause: its name is there, new and not built in. */
static void
finish_list(struct parser *p)
{
	struct conf_list *l = p->list;
	size_t i;
	int saved = p->line;

	if (l == NULL)
		return;
	p->list = NULL;
	apply_defaults(p, CL_LIST, p->list_seen, l);
	p->line = saved;
	if (l->name == NULL) {
		if (p->list_seen[key_index("list.name")] == 0)
			perr(p, l->line, "list: clause has no name: line");
		return;		/* else its bad name was reported */
	}
	if (strcmp(l->name, "black") == 0 || strcmp(l->name, "white") == 0 ||
	    strcmp(l->name, LIST_EXEMPT_NAME) == 0) {
		perr(p, p->list_seen[key_index("list.name")], "name: the list "
		    "%s is built in and needs no list: clause", l->name);
		return;
	}
	for (i = 0; &p->conf->lists[i] != l; i++)
		if (p->conf->lists[i].name != NULL &&
		    strcmp(p->conf->lists[i].name, l->name) == 0) {
			perr(p, p->list_seen[key_index("list.name")], "name: "
			    "duplicate list %s (first at line %d)", l->name,
			    p->conf->lists[i].line);
			return;
		}
}

static void
start_list(struct parser *p)
{
	struct conf *c = p->conf;

	c->lists = xreallocarray(c->lists, c->nlists + 1, sizeof(*c->lists));
	p->list = &c->lists[c->nlists++];
	memset(p->list, 0, sizeof(*p->list));
	p->list->line = p->line;
	memset(p->list_seen, 0, sizeof(p->list_seen));
}

/* End of a key: clause: its name and secret are there, the name new. */
static void
finish_key(struct parser *p)
{
	struct conf_key *key = p->key;
	size_t i, kname = key_index("key.name");
	int saved = p->line;

	if (key == NULL)
		return;
	p->key = NULL;
	apply_defaults(p, CL_KEY, p->key_seen, key);
	p->line = saved;
	for (i = 0; i < NKEYS; i++)
		if (keys[i].clause == CL_KEY &&
		    (keys[i].flags & F_REQUIRED) && p->key_seen[i] == 0)
			perr(p, key->line, "key: clause has no %s: line",
			    key_short(&keys[i]));
	if (key->name == NULL)
		return;
	for (i = 0; &p->conf->keys[i] != key; i++)
		if (p->conf->keys[i].name != NULL &&
		    strcmp(p->conf->keys[i].name, key->name) == 0) {
			perr(p, p->key_seen[kname], "name: duplicate key %s "
			    "(first at line %d)", key->name,
			    p->conf->keys[i].line);
			return;
		}
}

static void
start_key(struct parser *p)
{
	struct conf *c = p->conf;

	c->keys = xreallocarray(c->keys, c->nkeys + 1, sizeof(*c->keys));
	p->key = &c->keys[c->nkeys++];
	memset(p->key, 0, sizeof(*p->key));
	p->key->line = p->line;
	p->key->algorithm = KEY_HMAC_SHA256;
	memset(p->key_seen, 0, sizeof(p->key_seen));
}

/* The end of a clause: a zone's items are applied, a list is checked. */
static void
finish_clause(struct parser *p)
{
	finish_zone(p);
	finish_list(p);
	finish_key(p);
}

/* The key declared as name, or NULL. */
static const struct conf_key *
key_find(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nkeys; i++)
		if (c->keys[i].name != NULL &&
		    strcasecmp(c->keys[i].name, name) == 0)
			return &c->keys[i];
	return NULL;
}

/* Once every key: clause is read: the keys that zones name exist. */
static void
finish_zone_keys(struct parser *p)
{
	struct conf *c = p->conf;
	struct conf_zone *z;
	size_t i, j;

	for (i = 0; i < c->nzones; i++) {
		z = &c->zones[i];
		for (j = 0; j < z->nallow_transfer; j++) {
			struct conf_acl *a = &z->allow_transfer[j];

			if (a->key_name != NULL &&
			    (a->key = key_find(c, a->key_name)) == NULL)
				perr(p, a->line, "allow-transfer: no key %s "
				    "(declare it in a key: clause)",
				    a->key_name);
		}
		for (j = 0; j < z->nnotify; j++) {
			struct conf_listen *l = &z->notify[j];

			if (l->key_name != NULL &&
			    (l->key = key_find(c, l->key_name)) == NULL)
				perr(p, l->line, "notify: no key %s (declare "
				    "it in a key: clause)", l->key_name);
		}
	}
}

static void
start_zone(struct parser *p)
{
	struct conf *c = p->conf;

	c->zones = xreallocarray(c->zones, c->nzones + 1, sizeof(*c->zones));
	p->zone = &c->zones[c->nzones++];
	memset(p->zone, 0, sizeof(*p->zone));
	p->zone->line = p->line;
}

/* Find the end of the line's content: a "#" outside quotes. */
static int
strip_comment(struct parser *p, char *s)
{
	int inq = 0;

	for (; *s != '\0'; s++) {
		if (inq && *s == '\\' && s[1] != '\0')
			s++;
		else if (*s == '"')
			inq = !inq;
		else if (*s == '#' && !inq) {
			*s = '\0';
			break;
		}
	}
	if (inq) {
		perr(p, p->line, "unterminated quoted string");
		return -1;
	}
	return 0;
}

static int
key_known(const char *key)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(key_short(&keys[i]), key) == 0)
			return 1;
	return 0;
}

/* Where key belongs if not in the current clause, for the message. */
static const char *
key_clause_hint(const char *key)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(key_short(&keys[i]), key) == 0)
			return clause_names[keys[i].clause];
	return NULL;
}

/*
 * A key of clause cl (CL_NONE: a clause name) that key may be a typo of,
 * for "did you mean"; NULL if none.
 */
static const char *
key_suggest(enum clause cl, const char *key)
{
	size_t i;

	if (cl == CL_NONE) {
		for (i = CL_SERVER; i < CL_UNKNOWN; i++)
			if (str_near(key, clause_names[i]))
				return clause_names[i];
		return NULL;
	}
	for (i = 0; i < NKEYS; i++)
		if (keys[i].clause == cl && str_near(key, key_short(&keys[i])))
			return key_short(&keys[i]);
	return NULL;
}

/* "server", "zone", "http" or "list" alone: a clause without its colon. */
static int
clause_word(const char *s)
{
	size_t i;

	for (i = CL_SERVER; i < CL_UNKNOWN; i++)
		if (strcmp(s, clause_names[i]) == 0)
			return 1;
	return 0;
}

static void
parse_line(struct parser *p, char *s)
{
	char *key, *value, *e, b[64], full[64];
	const char *hint;
	size_t ki, n;

	if (strip_comment(p, s) == -1)
		return;
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	if (*s == '\0')
		return;

	key = s;
	n = strcspn(s, ": \t\"");
	if (s[n] == '\0' && clause_word(s)) {
		/* read as the clause, so that its items are not errors too */
		perr(p, p->line, "\"%s\" without its colon: write \"%s:\"",
		    s, s);
		value = s + n;
	} else if (n == 0 || s[n] != ':') {
		perr(p, p->line, "syntax error at \"%s\": expected "
		    "\"key: value\" or a clause (server:, zone:, list:, "
		    "key:, http:)", shown(s, b, 40));
		return;
	} else {
		s[n] = '\0';
		value = s + n + 1;
		while (isspace((unsigned char)*value))
			value++;
	}

	if (strcmp(key, "server") == 0 || strcmp(key, "zone") == 0 ||
	    strcmp(key, "http") == 0 ||
	    (strcmp(key, "list") == 0 && *value == '\0') ||
	    (strcmp(key, "key") == 0 && *value == '\0')) {
		finish_clause(p);
		p->clause = key[0] == 's' ? CL_SERVER : key[0] == 'z' ?
		    CL_ZONE : key[0] == 'l' ? CL_LIST : key[0] == 'k' ?
		    CL_KEY : CL_HTTP;
		if (p->clause == CL_ZONE)
			start_zone(p);
		if (p->clause == CL_LIST)
			start_list(p);
		if (p->clause == CL_KEY)
			start_key(p);
		if (p->clause == CL_HTTP && p->http_line != 0)
			perr(p, p->line, "http: clause given twice (first at "
			    "line %d)", p->http_line);
		else if (p->clause == CL_HTTP)
			p->http_line = p->line;
		if (*value != '\0')
			perr(p, p->line, "%s: clause takes no value on its "
			    "line (one item per line)", key);
		return;
	}
	if (*value == '\0' && !key_known(key)) {
		finish_clause(p);
		p->clause = CL_UNKNOWN;
		hint = key_suggest(CL_NONE, key);
		perr(p, p->line, "unknown clause \"%s:\"%s%s%s",
		    shown(key, b, sizeof(b)), hint != NULL ?
		    " (did you mean \"" : "", hint != NULL ? hint : "",
		    hint != NULL ? ":\"?)" : "");
		return;
	}
	if (p->clause == CL_UNKNOWN)
		return;		/* inside an unknown clause, reported */
	if (p->clause == CL_NONE) {
		if (key_known(key))
			perr(p, p->line, "%s: outside any clause (start with "
			    "server:, zone: or list:)", key);
		else
			perr(p, p->line, "unknown key \"%s\" outside any "
			    "clause", shown(key, b, sizeof(b)));
		return;
	}
	(void)snprintf(full, sizeof(full), "%s.%s", clause_names[p->clause],
	    key);
	if ((ki = key_index(full)) == NKEYS) {
		hint = key_clause_hint(key);
		if (hint != NULL)
			perr(p, p->line, "unknown key \"%s\" in %s: clause "
			    "(it belongs in %s:)", key,
			    clause_names[p->clause], hint);
		else if ((hint = key_suggest(p->clause, key)) != NULL)
			perr(p, p->line, "unknown key \"%s\" in %s: clause "
			    "(did you mean \"%s:\"?)", shown(key, b, sizeof(b)),
			    clause_names[p->clause], hint);
		else
			perr(p, p->line, "unknown key \"%s\" in %s: clause",
			    shown(key, b, sizeof(b)),
			    clause_names[p->clause]);
		return;
	}
	if (p->clause == CL_SERVER)
		apply_item(p, p->server_seen, ki, p->conf, value, p->line);
	else if (p->clause == CL_LIST)
		apply_item(p, p->list_seen, ki, p->list, value, p->line);
	else if (p->clause == CL_KEY)
		apply_item(p, p->key_seen, ki, p->key, value, p->line);
	else if (p->clause == CL_HTTP)
		apply_item(p, p->http_seen, ki, p->conf, value, p->line);
	else {
		p->items = xreallocarray(p->items, p->nitems + 1,
		    sizeof(*p->items));
		p->items[p->nitems].key = ki;
		p->items[p->nitems].line = p->line;
		p->items[p->nitems].value = xstrdup(value);
		p->nitems++;
	}
}

/*
 * verify-email: defaults to yes where mail-command: is set; yes needs
 * mail-command: to send the link and public-url: to make it.
 */
static void
finish_verify(struct parser *p)
{
	struct conf_http *h = &p->conf->http;
	int vline = p->http_seen[key_index("http.verify-email")];

	if (vline == 0)
		h->verify_email = h->mail_command != NULL;
	if (!h->verify_email)
		return;
	if (h->mail_command == NULL)
		perr(p, vline, "verify-email: yes needs mail-command: to mail "
		    "the link");
	else if (h->public_url == NULL)
		perr(p, vline ? vline :
		    p->http_seen[key_index("http.mail-command")],
		    "verify-email: %sneeds public-url: for the link it mails "
		    "(or set verify-email: no)",
		    vline ? "yes " : "yes (the default with mail-command:) ");
}

/*
 * End of the file: the http: defaults, and each dnsbl or dnswl zone
 * without url: points its $url at the lookup page under public-url: (a
 * page for addresses; a helo zone's $ is a name).
 */
static void
finish_http(struct parser *p)
{
	struct conf *c = p->conf;
	size_t i;

	if (p->http_line != 0 && p->http_seen[key_index("http.listen")] == 0)
		perr(p, p->http_line, "http: clause has no listen: line");
	apply_defaults(p, CL_HTTP, p->http_seen, c);
	if (c->http.mail_from != NULL && !form_email_ok(c->http.mail_from))
		perr(p, p->http_seen[key_index("http.mail-from")],
		    "mail-from: \"%s\" is not an e-mail address (local@domain)",
		    c->http.mail_from);
	finish_verify(p);
	if (c->http.public_url == NULL)
		return;
	for (i = 0; i < c->nzones; i++)
		if (c->zones[i].url == NULL &&
		    (c->zones[i].type == ZONE_DNSBL ||
		    c->zones[i].type == ZONE_DNSWL))
			(void)xasprintf(&c->zones[i].url, "%slookup?ip=$",
			    c->http.public_url);
}

/*
 * Once every list: clause is read: each zone's lists exist and are of
 * the kind its type answers from (ip for dnsbl and dnswl zones); a dnsbl
 * zone without list: answers from black, a dnswl zone from white; white
 * is the exception list of every dnsbl zone, never one it lists from.
 */
static void
finish_zone_lists(struct parser *p)
{
	struct conf *c = p->conf;
	struct conf_zone *z;
	struct conf_zlist *zl;
	size_t i, j;
	int kind, want;

	for (i = 0; i < c->nzones; i++) {
		z = &c->zones[i];
		if (z->nlists == 0 && (z->type == ZONE_DNSBL ||
		    z->type == ZONE_DNSWL)) {
			z->lists = xcalloc(1, sizeof(*z->lists));
			z->lists[0].name = xstrdup(z->type == ZONE_DNSBL ?
			    "black" : "white");
			z->lists[0].line = z->line;
			z->nlists = 1;
			continue;
		}
		if (z->nlists == 0 && z->type == ZONE_RHSBL)
			perr(p, z->line, "zone %s: an rhsbl zone needs a list: "
			    "line naming a domain list", z->name ? z->name :
			    "");
		for (j = 0; j < z->nlists; j++) {
			zl = &z->lists[j];
			kind = conf_list_kind(c, zl->name);
			want = z->type == ZONE_RHSBL || z->type == ZONE_HELO ?
			    LIST_KIND_DOMAIN : LIST_KIND_IP;
			if (kind < 0)
				perr(p, zl->line, "list: no list %s (declare "
				    "it in a list: clause)", zl->name);
			else if (kind != want)
				perr(p, zl->line, "list: %s is a%s %s list; a "
				    "%s zone answers from %s lists", zl->name,
				    kind == LIST_KIND_IP ? "n" : "",
				    list_kinds[kind], zone_type_name(z->type),
				    list_kinds[want]);
			else if (z->type == ZONE_DNSBL &&
			    strcmp(zl->name, "white") == 0)
				perr(p, zl->line, "list: white is the "
				    "exception list of every dnsbl zone, not "
				    "one it lists from");
			else if (strcmp(zl->name, LIST_EXEMPT_NAME) == 0)
				perr(p, zl->line, "list: %s holds the "
				    "delisting exemptions, which every dnsbl "
				    "zone consults and no zone lists from",
				    LIST_EXEMPT_NAME);
		}
	}
}

int
conf_list_kind(const struct conf *c, const char *name)
{
	size_t i;

	if (strcmp(name, "black") == 0 || strcmp(name, "white") == 0 ||
	    strcmp(name, LIST_EXEMPT_NAME) == 0)
		return LIST_KIND_IP;
	for (i = 0; i < c->nlists; i++)
		if (c->lists[i].name != NULL &&
		    strcmp(c->lists[i].name, name) == 0)
			return (int)c->lists[i].kind;
	return -1;
}

const char *
conf_list_kind_name(enum list_kind k)
{
	return k <= LIST_KIND_DOMAIN ? list_kinds[k] : "?";
}

/* The directory for relative paths: that of FILE, made absolute. */
static char *
base_dir(const char *file)
{
	char cwd[4096], *dir, *slash;

	dir = NULL;
	if (file != NULL && (slash = strrchr(file, '/')) != NULL) {
		dir = slash == file ? xstrdup("/") :
		    xstrndup(file, (size_t)(slash - file));
		if (dir[0] == '/')
			return dir;
	}
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return dir;	/* relative to the current directory, then */
	if (dir == NULL)
		return xstrdup(cwd);
	slash = dir;
	(void)xasprintf(&dir, "%s/%s", cwd, slash);
	free(slash);
	return dir;
}

static struct conf *
parse(const char *name, const char *path, const char *text,
    conf_err_cb *err, void *arg, int *nerrors)
{
	struct parser p;
	struct conf *conf;
	const char *s, *nl;
	char *line;
	size_t i;

	memset(&p, 0, sizeof(p));
	p.file = name;
	p.basedir = base_dir(path);
	p.ztype = -1;
	conf = xcalloc(1, sizeof(*conf));
	conf->file = xstrdup(name);
	p.conf = conf;

	for (s = text; *s != '\0'; s = nl) {
		p.line++;
		nl = strchr(s, '\n');
		if (nl == NULL)
			nl = s + strlen(s);
		line = xstrndup(s, (size_t)(nl - s));
		parse_line(&p, line);
		free(line);
		if (*nl == '\n')
			nl++;
	}
	finish_clause(&p);

	p.line = 0;
	if (conf->nzones == 0)
		perr(&p, 0, "no zone: clause");
	finish_zone_lists(&p);
	finish_zone_keys(&p);
	apply_defaults(&p, CL_SERVER, p.server_seen, conf);
	finish_http(&p);

	if (p.nerrs > 1)
		qsort(p.errs, p.nerrs, sizeof(*p.errs), perr_cmp);
	for (i = 0; i < p.nerrs; i++) {
		if (err != NULL)
			err(arg, name, p.errs[i].line, p.errs[i].msg);
		free(p.errs[i].msg);
	}
	free(p.errs);
	free(p.items);
	free(p.listen_line);
	free(p.http_listen_line);
	free(p.notify_line);
	free(p.basedir);
	if (nerrors != NULL)
		*nerrors = (int)p.nerrs;
	if (p.nerrs != 0) {
		conf_free(conf);
		return NULL;
	}
	return conf;
}

struct conf *
conf_load_string(const char *name, const char *text, conf_err_cb *err,
    void *arg, int *nerrors)
{
	return parse(name, NULL, text, err, arg, nerrors);
}

struct conf *
conf_load(const char *path, conf_err_cb *err, void *arg, int *nerrors)
{
	struct conf *conf;
	char msg[MSG_MAXLEN], *buf = NULL;
	size_t len = 0;
	int rc;

	if ((rc = read_file(path, &buf, &len)) != 0) {
		(void)snprintf(msg, sizeof(msg), "cannot %s: %s%s",
		    rc == -1 ? "open" : "read", strerror(errno),
		    rc == -1 && errno == ENOENT &&
		    strcmp(path, CONF_DEFAULT_PATH) == 0 ?
		    " (copy the sample " CONF_DEFAULT_PATH ".sample there "
		    "and edit it, or give one with -c; from the source "
		    "tree: -c zones/example.conf)" : "");
		goto fail;
	}
	if (memchr(buf, '\0', len) != NULL) {
		(void)snprintf(msg, sizeof(msg), "contains a NUL byte: not "
		    "a text file");
		free(buf);
		goto fail;
	}
	conf = parse(path, path, buf, err, arg, nerrors);
	free(buf);
	return conf;
fail:
	if (err != NULL)
		err(arg, path, 0, msg);
	if (nerrors != NULL)
		*nerrors = 1;
	return NULL;
}

/* Free what the keys of clause CL own in BASE. */
static void
free_clause(enum clause cl, void *base)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].clause == cl && ktypes[keys[i].type].free != NULL)
			ktypes[keys[i].type].free(&keys[i], base);
}

void
conf_free(struct conf *conf)
{
	size_t i;

	if (conf == NULL)
		return;
	for (i = 0; i < conf->nzones; i++)
		free_clause(CL_ZONE, &conf->zones[i]);
	for (i = 0; i < conf->nlists; i++)
		free_clause(CL_LIST, &conf->lists[i]);
	free(conf->lists);
	for (i = 0; i < conf->nkeys; i++)
		free_clause(CL_KEY, &conf->keys[i]);
	free(conf->keys);
	free_clause(CL_SERVER, conf);
	free_clause(CL_HTTP, conf);
	/* What is owned but the field of no key. */
	free(conf->own_addrs.v);	/* own-names: the addresses */
	free(conf->zones);
	free(conf->file);
	free(conf);
}

/* The clause line, then each key of clause CL in BASE. */
static void
dump_clause(FILE *f, enum clause cl, const void *base)
{
	size_t i;

	fprintf(f, "%s:\n", clause_names[cl]);
	for (i = 0; i < NKEYS; i++)
		if (keys[i].clause == cl)
			ktypes[keys[i].type].dump(f, &keys[i], base);
}

void
conf_dump(const struct conf *conf, FILE *f)
{
	size_t i;

	fprintf(f, "# effective configuration of %s\n", conf->file);
	dump_clause(f, CL_SERVER, conf);
	for (i = 0; i < conf->nlists; i++)
		dump_clause(f, CL_LIST, &conf->lists[i]);
	for (i = 0; i < conf->nkeys; i++)
		dump_clause(f, CL_KEY, &conf->keys[i]);
	for (i = 0; i < conf->nzones; i++)
		dump_clause(f, CL_ZONE, &conf->zones[i]);
	if (conf->http.nlisten != 0)
		dump_clause(f, CL_HTTP, conf);
}

const char *
conf_schema_key(size_t i)
{
	return i < NKEYS ? keys[i].name : NULL;
}
