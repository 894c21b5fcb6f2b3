/* SPDX-License-Identifier: ISC */
/*
 * conf.h -- the configuration file: nsd.conf style clauses
 * ("server:", "zone:", "list:", "key:", "http:") and "key: value" lines,
 * "#" comments, double-quoted strings. A schema table in conf.c names every key, its clause, type,
 * range and default; it drives parsing, validation and conf_dump().
 *
 * Relative paths (database:) are taken relative to the directory of the
 * configuration file.
 */
#ifndef CONF_H
#define CONF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "addr.h"
#include "reason.h"

/* A "listen:" address: ADDR or ADDR@PORT (default port 53). */
struct conf_key;

struct conf_listen {
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	char			*text;		/* as written, normalised */
	char			*where;		/* "file:line" of its line */
	int			 line;
	char			*key_name;	/* zone notify: ... key NAME */
	const struct conf_key	*key;		/* that key, or NULL */
};

/*
 * The message for a failure (errno err) to bind l's address, for the
 * daemon's log: where it is configured, the address, why, and what to
 * do about the usual causes (in use, not an address of this host, a
 * port below 1024 without the privilege). Never logs.
 */
void		 conf_listen_error(const struct conf_listen *l, int err,
		    char *buf, size_t len);

/* A TSIG algorithm (RFC 8945): HMAC with one of these hashes. */
enum conf_key_alg {
	KEY_HMAC_SHA1 = 0,
	KEY_HMAC_SHA224,
	KEY_HMAC_SHA256,
	KEY_HMAC_SHA384,
	KEY_HMAC_SHA512
};

/* A "key:" clause: a TSIG key, shared with the secondaries. */
struct conf_key {
	char		*name;		/* lower case, no final dot */
	enum conf_key_alg algorithm;
	char		*secret;	/* base64, as written */
	uint8_t		*raw;		/* the secret decoded */
	size_t		 raw_len;
	int		 line;		/* where the key: clause starts */
};

/* The algorithm's name as TSIG writes it ("hmac-sha256"). */
const char	*conf_key_alg_name(enum conf_key_alg);

/* One "allow-transfer:" address or prefix, and the key it must sign with. */
struct conf_acl {
	struct addr		 prefix;
	char			*key_name;	/* NULL: unsigned is allowed */
	const struct conf_key	*key;		/* that key, or NULL */
	int			 line;
};

/*
 * Whether the ACL v (n entries) lets a request from a with key (the key
 * it was verified with, NULL: unsigned) in: an entry whose prefix holds
 * a and that names no key or that very key. Never logs.
 */
int		 conf_acl_allows(const struct conf_acl *v, size_t n,
		    const struct addr *a, const struct conf_key *key);

/*
 * A "list:" clause: a named list of the database. The lists "black" and
 * "white" (both ip) always exist and are not declared.
 */
struct conf_list {
	char		*name;		/* [a-z0-9][a-z0-9._-]*, 1-32 bytes */
	enum list_kind	 kind;
	char		*file;		/* watched data file, or NULL */
	int		 line;		/* where the list: clause starts */
};

/* One "list:" line of a zone: a list it answers from. */
struct conf_zlist {
	char		*name;
	uint32_t	 code;		/* A value of its listings, host
					   order; 0: the zone's code */
	int		 line;
};

struct conf_zone {
	char		*name;		/* lower case, no final dot */
	enum zone_type	 type;
	unsigned	 checks;	/* bit (1 << enum reason) */
	uint32_t	 ttl;		/* listed answers, apex SOA/NS */
	uint32_t	 negative_ttl;	/* SOA minimum and TTL of the SOA */
	char		*soa_mname;	/* lower case, no final dot */
	char		*soa_rname;
	char		**ns;		/* NS names */
	size_t		 nns;
	char		*txt;		/* default TXT template */
	char		*txt_reason[REASON_MAX];	/* per reason, or NULL */
	uint32_t	 code[REASON_MAX];	/* A value, host order */
	char		*url;		/* $url template, or NULL */
	int		 servfail;	/* on-lookup-failure: servfail */
	struct conf_zlist *lists;	/* dnsbl: default black; dnswl: white */
	size_t		 nlists;
	struct conf_acl	*allow_transfer;	/* AXFR/IXFR: who may */
	size_t		 nallow_transfer;
	struct conf_listen *notify;	/* secondaries to NOTIFY */
	size_t		 nnotify;
	int		 line;		/* where the zone: clause starts */
};

/* The http: clause (the delisting pages); nlisten 0: no HTTP. */
struct conf_http {
	struct conf_listen	*listen;
	size_t			 nlisten;
	char			*public_url;	/* ends with "/", or NULL */
	struct addrlist		 allow_metrics;	/* who may read /metrics */
	uint32_t		 self_delist;	/* seconds, 0: off */
	uint32_t		 self_delist_cooldown;	/* seconds */
	uint32_t		 mta_cache;	/* seconds an MTA may keep an
						   answer beyond its ttl */
	char			*notify_command;	/* program, or NULL */
	char			*mail_command;	/* sendmail-compatible program,
						   or NULL */
	char			*mail_from;	/* envelope and From:, or NULL */
	int			 verify_email;	/* mail a link to confirm */
	uint32_t		 verify_expire;	/* seconds a link holds */
	uint32_t		 verify_rate_limit;	/* mails an address
							   an hour */
	uint32_t		 verify_total_limit;	/* mails an hour */
	uint32_t		 verify_pending;	/* unconfirmed per
							   client */
	uint64_t		 max_body;	/* bytes of a request body */
	uint32_t		 rate_limit;	/* requests a client an hour */
	uint32_t		 address_rate_limit;	/* per address a day */
	uint32_t		 timeout;	/* seconds per HTTP request */
	struct addrlist		 trusted_proxy;	/* X-Forwarded-For trusted */
	int			 lookup_detail;	/* what DNS said, on /lookup */
	uint32_t		 total_rate_limit;	/* requests an hour */
	uint32_t		 lookup_rate_limit;	/* a client a minute */
	uint32_t		 lookup_total_limit;	/* all a minute */
	uint32_t		 max_clients;	/* open connections */
	uint32_t		 max_clients_per_address;	/* ... each */
};

/* log: where rdnsbld's log goes when it is not run with -d. */
enum conf_log {
	CONF_LOG_SYSLOG = 0,
	CONF_LOG_STDERR
};

struct conf {
	char			*file;		/* path as given */
	struct conf_listen	*listen;
	size_t			 nlisten;
	char			*database;	/* absolute or as given */
	uint64_t		 map_size;
	struct addrlist		 allow_query;
	int			 verbosity;
	char			*user;		/* to drop to, or NULL */
	enum conf_log		 log;
	char			*pidfile;	/* or NULL: none */
	int			 log_queries;	/* the query log: 0 or 1 */
	char			*dnstap_socket_path;	/* or NULL: no dnstap */
	char			*dnstap_identity;	/* or NULL: host name */
	int			 dnstap_log_queries;	/* AUTH_QUERY: 0 or 1 */
	int			 dnstap_log_responses;	/* AUTH_RESPONSE */
	uint32_t		 tcp_timeout;	/* seconds */
	uint32_t		 tcp_clients;	/* max open TCP connections */
	uint32_t		 tcp_per_address;	/* of them from one address */
	uint32_t		 tcp_max_time;	/* seconds a connection may last */
	uint32_t		 udp_size;	/* max UDP answer with EDNS */
	uint32_t		 rate_limit;	/* UDP answers/s a prefix; 0 off */
	uint32_t		 rate_limit_slip;	/* every Nth over: TC */
	uint32_t		 rate_limit_v4len;	/* client prefix, IPv4 */
	uint32_t		 rate_limit_v6len;	/* client prefix, IPv6 */
	uint32_t		 rate_limit_size;	/* buckets */
	struct addrlist		 rate_limit_exempt;	/* never limited */
	char			**resolvers;	/* "system" or ADDR[@PORT] */
	size_t			 nresolvers;
	uint32_t		 check_timeout;	/* seconds a query waits */
	uint32_t		 cache_ttl;	/* seconds a verdict is kept */
	uint32_t		 failure_ttl;	/* unknown verdicts: answer TTL */
	uint32_t		 max_checks;	/* checks in flight */
	uint32_t		 lookup_rate;	/* new lookups a second */
	uint32_t		 max_ptr_names;	/* PTR names tried */
	char			*dynamic_patterns;	/* pattern file */
	char			*bad_helo_names;	/* bad-HELO file */
	char			**own_names;	/* lower case, no final dot */
	size_t			 nown_names;
	struct addrlist		 own_addrs;	/* own-names: addresses */
	uint32_t		 notify_interval;	/* s between NOTIFYs */
	struct conf_key		*keys;		/* TSIG keys */
	size_t			 nkeys;
	uint32_t		 stats_keep;	/* s of hourly statistics */
	struct conf_list	*lists;		/* declared, not black/white */
	size_t			 nlists;
	struct conf_zone	*zones;
	size_t			 nzones;
	struct conf_http	 http;
};

/* Called once per error; file and line name where (line 0: no line). */
typedef void conf_err_cb(void *arg, const char *file, int line,
    const char *msg);

/*
 * Read and validate a configuration file. Every error found is passed to
 * err (the parser keeps going to find them all); if there was any, returns
 * NULL and stores the count in *nerrors. The default configuration path
 * is CONF_DEFAULT_PATH.
 */
struct conf	*conf_load(const char *path, conf_err_cb *err, void *arg,
		    int *nerrors);

/* The same from a string; name is used in error messages. */
struct conf	*conf_load_string(const char *name, const char *text,
		    conf_err_cb *err, void *arg, int *nerrors);

void		 conf_free(struct conf *);

/* Print the effective configuration, every key with its value. */
void		 conf_dump(const struct conf *, FILE *);

/*
 * The kind of the list called name in conf: a declared one, or one of
 * the built-in "black" and "white" (LIST_KIND_IP); -1 if there is none.
 */
int		 conf_list_kind(const struct conf *, const char *name);

/* "ip" or "domain". */
const char	*conf_list_kind_name(enum list_kind);

/* The i-th key name of the schema ("server.listen"), or NULL past the end. */
const char	*conf_schema_key(size_t i);

#define CONF_DEFAULT_PATH	SYSCONFDIR "/rdnsbl/rdnsbld.conf"

#endif /* CONF_H */
