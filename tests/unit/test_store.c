/* SPDX-License-Identifier: ISC */
/*
 * test_store.c -- the LMDB store against temporary environments.
 */
#include "config.h"

#include <ftw.h>
#include <limits.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "store.h"
#include "store_audit.h"
#include "store_cache.h"
#include "store_list.h"
#include "store_queue.h"
#include "util.h"

#include "../tap.h"

#define MB	(1024 * 1024)

static char	tmpdir[] = "/tmp/test_store.XXXXXX";
static char	errbuf[512];
static time_t	now;

/* The last entry found by look(), copied out of the map. */
static struct {
	uint32_t	flags;
	uint32_t	code;
	int64_t		added;
	int64_t		expires;
	char		actor[65];
	char		reason[1025];
} last;

static struct store_entry
mk(const char *cidr, uint32_t flags, uint32_t code, int64_t expires,
    const char *actor, const char *reason)
{
	struct store_entry e;
	char err[128];

	memset(&e, 0, sizeof(e));
	if (addr_parse(cidr, 0, &e.prefix, err, sizeof(err)) == -1) {
		fprintf(stderr, "mk: %s\n", err);
		exit(2);
	}
	e.flags = flags;
	e.code = code;
	e.added = (int64_t)now;
	e.expires = expires;
	e.actor = actor;
	e.actor_len = strlen(actor);
	e.reason = reason;
	e.reason_len = strlen(reason);
	return e;
}

static struct addr
ip(const char *s)
{
	struct addr a;
	char err[128];

	if (addr_parse(s, 0, &a, err, sizeof(err)) == -1) {
		fprintf(stderr, "ip: %s\n", err);
		exit(2);
	}
	return a;
}

static int
add(struct store *st, unsigned l, const char *cidr, uint32_t flags,
    uint32_t code, int64_t expires, const char *reason, int *replaced)
{
	struct store_entry e;
	int r;

	e = mk(cidr, flags, code, expires, "alice", reason);
	r = store_add(st, l, &e, replaced, errbuf, sizeof(errbuf));
	if (r != STORE_OK)
		printf("# store_add %s: %s\n", cidr, errbuf);
	return r;
}

/*
 * Look s up at time t in its own snapshot: the prefix found, "none" or
 * "error"; the rest of the entry goes to last.
 */
static int look_brief;	/* store_lookup's brief for look_at() */

static const char *
look_at(struct store *st, unsigned l, const char *s, time_t t)
{
	static char buf[ADDR_STRLEN];
	struct store_entry e;
	struct addr a = ip(s);
	int r;

	memset(&last, 0, sizeof(last));
	if (store_read_begin(st, errbuf, sizeof(errbuf)) != STORE_OK) {
		printf("# store_read_begin: %s\n", errbuf);
		return "error";
	}
	r = store_lookup(st, l, &a, t, look_brief, &e, errbuf,
	    sizeof(errbuf));
	if (r == STORE_OK) {
		addr_format(&e.prefix, buf, sizeof(buf));
		last.flags = e.flags;
		last.code = e.code;
		last.added = e.added;
		last.expires = e.expires;
		if (e.actor_len > 0)	/* a brief entry has none */
			memcpy(last.actor, e.actor, e.actor_len);
		if (e.reason_len > 0)
			memcpy(last.reason, e.reason, e.reason_len);
	} else if (r == STORE_NOTFOUND)
		str_copy(buf, "none", sizeof(buf));
	else {
		printf("# store_lookup %s: %s\n", s, errbuf);
		str_copy(buf, "error", sizeof(buf));
	}
	store_read_end(st);
	return buf;
}

static const char *
look(struct store *st, unsigned l, const char *s)
{
	return look_at(st, l, s, now);
}

/* Walk: the prefixes in order, space-separated. */
struct walk {
	char	text[1024];
	int	n;
	int	stop;	/* stop after this many (0: never) */
};

static int
walk_cb(void *arg, const struct store_entry *e)
{
	struct walk *w = arg;
	char a[ADDR_STRLEN];
	size_t len = strlen(w->text);

	snprintf(w->text + len, sizeof(w->text) - len, "%s%s%s",
	    len ? " " : "", (e->flags & ENTRY_EXCLUDE) ? "!" : "",
	    addr_format(&e->prefix, a, sizeof(a)));
	w->n++;
	return w->stop && w->n >= w->stop;
}

static const char *
walk(struct store *st, unsigned l, int stop)
{
	static struct walk w;

	memset(&w, 0, sizeof(w));
	w.stop = stop;
	if (store_walk(st, l, walk_cb, &w, NULL, errbuf, sizeof(errbuf)) !=
	    STORE_OK) {
		printf("# store_walk: %s\n", errbuf);
		return "error";
	}
	return w.text;
}

/* Audit records, copied. */
struct rec {
	uint64_t	seq;
	int64_t		time;
	char		actor[65];
	char		action[16];
	char		list[8];
	char		entry[64];
	char		reason[128];
};
static struct rec	recs[64];
static int		nrecs;

static int
audit_cb(void *arg, const struct store_audit *a)
{
	struct rec *r;

	(void)arg;
	if (nrecs == (int)(sizeof(recs) / sizeof(recs[0])))
		return 1;
	r = &recs[nrecs++];
	r->seq = a->seq;
	r->time = a->time;
	str_copy(r->actor, a->actor, sizeof(r->actor));
	str_copy(r->action, a->action, sizeof(r->action));
	str_copy(r->list, a->list, sizeof(r->list));
	str_copy(r->entry, a->entry, sizeof(r->entry));
	str_copy(r->reason, a->reason, sizeof(r->reason));
	return 0;
}

static int
audit(struct store *st)
{
	nrecs = 0;
	if (store_audit_walk(st, audit_cb, NULL, errbuf, sizeof(errbuf)) !=
	    STORE_OK) {
		printf("# store_audit_walk: %s\n", errbuf);
		return -1;
	}
	return nrecs;
}

/* 1 if the audit log has this record, 0 if not, -1 on an error. */
static int
audit_has(struct store *st, const char *action, const char *list,
    const char *entry, const char *reason)
{
	int i;

	if (audit(st) < 0)
		return -1;
	for (i = 0; i < nrecs; i++)
		if (strcmp(recs[i].action, action) == 0 &&
		    strcmp(recs[i].list, list) == 0 &&
		    strcmp(recs[i].entry, entry) == 0 &&
		    strcmp(recs[i].reason, reason) == 0)
			return 1;
	for (i = 0; i < nrecs; i++)
		printf("# audit: %s %s %s \"%s\"\n", recs[i].action,
		    recs[i].list, recs[i].entry, recs[i].reason);
	return 0;
}

/* The first audit record with this action and entry, or NULL. */
static struct rec *
find_rec(const char *action, const char *entry)
{
	int i;

	for (i = 0; i < nrecs; i++)
		if (strcmp(recs[i].action, action) == 0 &&
		    strcmp(recs[i].entry, entry) == 0)
			return &recs[i];
	return NULL;
}

/* Bulk generator: n consecutive IPv4 addresses from base. */
struct gen {
	struct store	*st;
	uint32_t	 base;
	size_t		 i, n;
	size_t		 probe_at;	/* look at the store here (0: no) */
	char		 probe[3][16];
};

static int
gen_next(void *arg, struct store_entry *e)
{
	struct gen *g = arg;
	char a[ADDR_STRLEN];
	struct addr x;

	if (g->i >= g->n)
		return 0;
	if (g->probe_at && g->i == g->probe_at) {
		/* A reader sees whole batches only. */
		addr_from_v4(&x, g->base + 9999);
		str_copy(g->probe[0], look(g->st, LIST_BLACK,
		    addr_format(&x, a, sizeof(a))), sizeof(g->probe[0]));
		addr_from_v4(&x, g->base + 10000);
		str_copy(g->probe[1], look(g->st, LIST_BLACK,
		    addr_format(&x, a, sizeof(a))), sizeof(g->probe[1]));
		addr_from_v4(&x, g->base + g->i - 1);
		str_copy(g->probe[2], look(g->st, LIST_BLACK,
		    addr_format(&x, a, sizeof(a))), sizeof(g->probe[2]));
	}
	addr_from_v4(&e->prefix, g->base + (uint32_t)g->i);
	e->code = 2;
	e->added = (int64_t)now;
	e->actor = "import";
	e->actor_len = 6;
	e->reason = "bulk";
	e->reason_len = 4;
	g->i++;
	return 1;
}

static int
gen_fail(void *arg, struct store_entry *e)
{
	struct gen *g = arg;

	if (g->i == 25)
		return -1;
	return gen_next(arg, e);
}

static int
rm_cb(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	if (remove(path) == -1)
		perror(path);
	return 0;
}

static char *
dbpath(const char *name)
{
	char *p;

	xasprintf(&p, "%s/%s", tmpdir, name);
	return p;
}

/* Set the schema version in a closed environment's file to 2. */
static int
patch_schema(const char *dir)
{
	static const char pat[] = "schema\x01\x00\x00\x00";
	char *file, *buf;
	size_t n, i, hits = 0;
	long size;
	FILE *f;

	xasprintf(&file, "%s/data.mdb", dir);
	if ((f = fopen(file, "r+b")) == NULL) {
		free(file);
		return 0;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	buf = xmalloc((size_t)size);
	n = fread(buf, 1, (size_t)size, f);
	for (i = 0; i + sizeof(pat) - 1 <= n; i++)
		if (memcmp(buf + i, pat, sizeof(pat) - 1) == 0) {
			buf[i + 6] = 2;
			hits++;
		}
	rewind(f);
	if (fwrite(buf, 1, n, f) != n)
		hits = 0;
	fclose(f);
	free(buf);
	free(file);
	return (int)hits;
}

static void
test_open(void)
{
	struct store *st;
	char *p = dbpath("schema"), *q = dbpath("missing");

	st = store_open(p, 0, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "open: creates a new environment directory");
	store_close(st);
	st = store_open(p, 0, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "open: reopens it (schema version 1 accepted)");
	store_close(st);
	ok(patch_schema(p) > 0, "open: schema version patched to 2");
	st = store_open(p, 0, 0, errbuf, sizeof(errbuf));
	ok(st == NULL, "open: schema version 2 refused");
	is_str(errbuf, "database schema version 2, this program needs 1",
	    "open: schema message");
	store_close(st);

	st = store_open(q, 0, 1, errbuf, sizeof(errbuf));
	ok(st == NULL && strstr(errbuf, "cannot open") != NULL,
	    "open: read-only of a missing database fails (%s)", errbuf);
	store_close(st);
	free(p);
	free(q);

}

/* "listed 127.0.0.N" or "not listed" for address s in list l of st. */
static const char *
in_list(struct store *st, unsigned l, const char *s)
{
	static char out[64];
	struct store_entry e;
	struct addr a;
	enum store_rc rc;

	addr_parse(s, 0, &a, errbuf, sizeof(errbuf));
	if (store_read_begin(st, errbuf, sizeof(errbuf)) != STORE_OK)
		return "no snapshot";
	rc = store_lookup(st, l, &a, now, 0, &e, errbuf, sizeof(errbuf));
	store_read_end(st);
	if (rc == STORE_ERROR)
		return "error";
	if (rc == STORE_NOTFOUND)
		return "not listed";
	snprintf(out, sizeof(out), "listed 127.0.0.%u", e.code & 0xff);
	return out;
}

/*
 * Named lists: registered once with a stable id, opened by another
 * handle of the same database, of one kind, each with its own entries,
 * purged like the built-in ones.
 */
static void
test_named_lists(void)
{
	struct store *st, *other, *ro;
	struct store_entry e;
	unsigned spam, spam2, dbl, x;
	size_t purged = 0;
	char *p = dbpath("named");
	int replaced;

	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	other = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	ok(st != NULL && other != NULL, "named: two handles open");
	if (st == NULL || other == NULL)
		return;
	is_str(store_list_name(st, LIST_BLACK), "black", "named: black");
	is_str(store_list_name(st, LIST_WHITE), "white", "named: white");
	is_int(store_list_lookup(st, "white"), LIST_WHITE,
	    "named: white looked up");
	is_int(store_list_lookup(st, "spam"), -1, "named: spam not open");
	is_int(store_list_open(st, "spam", LIST_KIND_IP, 0, &spam, errbuf,
	    sizeof(errbuf)), STORE_NOTFOUND, "named: spam does not exist");
	is_int(store_list_open(st, "spam", LIST_KIND_IP, 1, &spam, errbuf,
	    sizeof(errbuf)), STORE_OK, "named: spam created");
	is_int(spam, 2, "named: the first named list is id 2");
	is_str(store_list_name(st, spam), "spam", "named: its name");
	is_int(store_list_open(st, "black", LIST_KIND_IP, 1, &x, errbuf,
	    sizeof(errbuf)), STORE_OK, "named: black opens by name");
	is_int(x, LIST_BLACK, "named: as id 0");
	is_int(store_list_open(st, "Bad name", LIST_KIND_IP, 1, &x, errbuf,
	    sizeof(errbuf)), STORE_ERROR, "named: a bad name refused");
	is_int(store_list_open(st, "spam", LIST_KIND_DOMAIN, 1, &x, errbuf,
	    sizeof(errbuf)), STORE_ERROR, "named: another kind refused");
	ok(strstr(errbuf, "spam is an ip list in the database") != NULL,
	    "named: the kind message (%s)", errbuf);
	is_int(store_list_open(other, "spam", LIST_KIND_IP, 0, &spam2, errbuf,
	    sizeof(errbuf)), STORE_OK, "named: the other handle finds spam");
	is_int(spam2, spam, "named: with the same id");
	is_int(store_list_open(other, "dbl", LIST_KIND_DOMAIN, 1, &dbl,
	    errbuf, sizeof(errbuf)), STORE_OK, "named: a domain list");
	is_int(dbl, 3, "named: id 3");

	e = mk("192.0.2.0/24", 0, 0x7f000003, 0, "t", "spam run");
	is_int(store_add(st, spam, &e, &replaced, errbuf, sizeof(errbuf)),
	    STORE_OK, "named: add to spam");
	e = mk("192.0.2.9", 0, 0x7f000004, now - 1, "t", "old");
	is_int(store_add(st, spam, &e, &replaced, errbuf, sizeof(errbuf)),
	    STORE_OK, "named: an entry of spam that has expired");
	is_str(in_list(st, spam, "192.0.2.5"), "listed 127.0.0.3",
	    "named: spam lists it");
	is_str(in_list(st, LIST_BLACK, "192.0.2.5"), "not listed",
	    "named: black does not");
	is_str(in_list(other, spam2, "192.0.2.5"), "listed 127.0.0.3",
	    "named: nor does the other handle miss it");
	is_int(store_purge(other, now, "t", &purged, errbuf,
	    sizeof(errbuf)), STORE_OK, "named: purge");
	is_int((int)purged, 1, "named: the expired entry of spam purged");
	store_close(other);
	store_close(st);

	/* reopened: the registration stays, read-only too */
	ro = store_open(p, 0, 1, errbuf, sizeof(errbuf));
	ok(ro != NULL, "named: reopened read-only");
	if (ro != NULL) {
		is_int(store_list_lookup(ro, "spam"), 2,
		    "named: spam open at once, id 2");
		is_str(in_list(ro, 2, "192.0.2.200"), "listed 127.0.0.3",
		    "named: with its entries");
		is_int(store_list_open(ro, "new", LIST_KIND_IP, 1, &x, errbuf,
		    sizeof(errbuf)), STORE_NOTFOUND,
		    "named: read-only creates nothing");
		store_close(ro);
	}
	free(p);
}

static void
test_lists(struct store *st)
{
	struct store_entry e;
	struct addr a;
	char big[1100];
	int replaced = -1;

	/* Single address. */
	is_int(add(st, LIST_BLACK, "192.0.2.1", 0, 2, 0, "spam trap hit",
	    &replaced), STORE_OK, "add 192.0.2.1");
	is_int(replaced, 0, "add 192.0.2.1: not replaced");
	is_str(look(st, LIST_BLACK, "192.0.2.1"), "192.0.2.1",
	    "lookup 192.0.2.1: found");
	is_int(last.code, 2, "lookup 192.0.2.1: code 2");
	is_str(last.actor, "alice", "lookup 192.0.2.1: actor");
	is_str(last.reason, "spam trap hit", "lookup 192.0.2.1: reason");
	is_int(last.added, now, "lookup 192.0.2.1: added");
	is_int(last.expires, 0, "lookup 192.0.2.1: no expiry");
	is_str(look(st, LIST_BLACK, "192.0.2.2"), "none",
	    "lookup 192.0.2.2: not found");
	is_str(look(st, LIST_WHITE, "192.0.2.1"), "none",
	    "lookup 192.0.2.1 in white: not found");
	is_str(look(st, LIST_BLACK, "2001:db8::1"), "none",
	    "lookup 2001:db8::1 (no v6 entries): not found");

	a = ip("192.0.2.1");
	ok(store_lookup(st, LIST_BLACK, &a, now, 0, &e, errbuf,
	    sizeof(errbuf)) == STORE_ERROR, "lookup outside a snapshot: "
	    "error (%s)", errbuf);

	/* Nested IPv4 ranges. */
	ok(add(st, LIST_BLACK, "10.0.0.0/8", 0, 8, 0, "/8", NULL) ==
	    STORE_OK &&
	    add(st, LIST_BLACK, "10.0.0.0/12", 0, 12, 0, "/12", NULL) ==
	    STORE_OK &&
	    add(st, LIST_BLACK, "10.1.0.0/16", 0, 16, 0, "/16", NULL) ==
	    STORE_OK &&
	    add(st, LIST_BLACK, "10.1.2.0/24", 0, 24, 0, "/24", NULL) ==
	    STORE_OK &&
	    add(st, LIST_BLACK, "10.1.2.0/28", 0, 28, 0, "/28", NULL) ==
	    STORE_OK &&
	    add(st, LIST_BLACK, "10.1.2.3", 0, 32, 0, "/32", NULL) ==
	    STORE_OK, "add nested 10/8, /12, /16, /24, /28, /32");
	is_str(look(st, LIST_BLACK, "10.1.2.3"), "10.1.2.3",
	    "nested: 10.1.2.3 -> /32");
	is_int(last.code, 32, "nested: 10.1.2.3 -> code 32");
	is_str(look(st, LIST_BLACK, "10.1.2.4"), "10.1.2.0/28",
	    "nested: 10.1.2.4 -> /28");
	is_str(look(st, LIST_BLACK, "10.1.2.100"), "10.1.2.0/24",
	    "nested: 10.1.2.100 -> /24");
	is_str(last.reason, "/24", "nested: 10.1.2.100 -> reason /24");
	is_str(look(st, LIST_BLACK, "10.1.3.1"), "10.1.0.0/16",
	    "nested: 10.1.3.1 -> /16");
	is_str(look(st, LIST_BLACK, "10.5.0.1"), "10.0.0.0/12",
	    "nested: 10.5.0.1 -> /12");
	is_str(look(st, LIST_BLACK, "10.200.0.1"), "10.0.0.0/8",
	    "nested: 10.200.0.1 (only in /8) -> /8");
	is_int(last.code, 8, "nested: 10.200.0.1 -> code 8");
	is_str(look(st, LIST_BLACK, "11.0.0.1"), "none",
	    "nested: 11.0.0.1 -> not found");
	is_str(look(st, LIST_BLACK, "9.255.255.255"), "none",
	    "nested: 9.255.255.255 -> not found");

	/* Nested IPv6 ranges. */
	ok(add(st, LIST_BLACK, "2001:db8::/32", 0, 32, 0, "v6 /32", NULL) ==
	    STORE_OK &&
	    add(st, LIST_BLACK, "2001:db8:1::/48", 0, 48, 0, "v6 /48",
	    NULL) == STORE_OK &&
	    add(st, LIST_BLACK, "2001:db8:1::5", 0, 128, 0, "v6 /128",
	    NULL) == STORE_OK, "add nested 2001:db8::/32, /48, /128");
	is_str(look(st, LIST_BLACK, "2001:db8:1::5"), "2001:db8:1::5",
	    "nested v6: 2001:db8:1::5 -> /128");
	is_str(look(st, LIST_BLACK, "2001:db8:1::6"), "2001:db8:1::/48",
	    "nested v6: 2001:db8:1::6 -> /48");
	is_str(look(st, LIST_BLACK, "2001:db8:1:ffff::1"), "2001:db8:1::/48",
	    "nested v6: 2001:db8:1:ffff::1 -> /48");
	is_str(look(st, LIST_BLACK, "2001:db8:2::1"), "2001:db8::/32",
	    "nested v6: 2001:db8:2::1 -> /32");
	is_str(look(st, LIST_BLACK, "2001:db9::1"), "none",
	    "nested v6: 2001:db9::1 -> not found");
	is_str(look(st, LIST_BLACK, "10.200.0.1"), "10.0.0.0/8",
	    "v6 entries leave v4 lookups alone");

	/* Delete a middle level. */
	a = ip("10.1.0.0/16");
	is_int(store_del(st, LIST_BLACK, &a, "bob", errbuf, sizeof(errbuf)),
	    STORE_OK, "del 10.1.0.0/16");
	is_str(look(st, LIST_BLACK, "10.1.3.1"), "10.0.0.0/12",
	    "after del: 10.1.3.1 -> /12");
	is_str(look(st, LIST_BLACK, "10.1.2.100"), "10.1.2.0/24",
	    "after del: 10.1.2.100 -> still /24");
	is_int(store_del(st, LIST_BLACK, &a, "bob", errbuf, sizeof(errbuf)),
	    STORE_NOTFOUND, "del 10.1.0.0/16 again: not found");
	a = ip("10.1.2.3/32");
	is_int(store_del(st, LIST_WHITE, &a, "bob", errbuf, sizeof(errbuf)),
	    STORE_NOTFOUND, "del 10.1.2.3 from white: not found");
	a = ip("2001:db8:1::/48");
	is_int(store_del(st, LIST_BLACK, &a, "bob", errbuf, sizeof(errbuf)),
	    STORE_OK, "del 2001:db8:1::/48");
	is_str(look(st, LIST_BLACK, "2001:db8:1::6"), "2001:db8::/32",
	    "after del: 2001:db8:1::6 -> /32");

	/* Expiry. */
	ok(add(st, LIST_BLACK, "10.9.9.0/24", 0, 24, now - 10, "old",
	    NULL) == STORE_OK &&
	    add(st, LIST_BLACK, "10.9.7.0/24", 0, 24, now, "just now",
	    NULL) == STORE_OK &&
	    add(st, LIST_BLACK, "10.9.8.0/24", 0, 24, now + 1000, "later",
	    NULL) == STORE_OK, "add entries expiring before, at and after "
	    "now");
	is_str(look(st, LIST_BLACK, "10.9.9.9"), "10.0.0.0/12",
	    "expired /24 skipped: wider /12 wins");
	is_str(look(st, LIST_BLACK, "10.9.7.1"), "10.0.0.0/12",
	    "entry expiring exactly now is expired");
	is_str(look(st, LIST_BLACK, "10.9.8.1"), "10.9.8.0/24",
	    "entry expiring later is found");
	is_int(last.expires, now + 1000, "entry expiring later: expires");
	is_str(look_at(st, LIST_BLACK, "10.9.8.1", now + 1000),
	    "10.0.0.0/12", "same entry looked up at its expiry: /12");
	is_str(look_at(st, LIST_BLACK, "10.9.9.9", now - 20), "10.9.9.0/24",
	    "expired entry still found at an earlier time");

	/* Exclusion. */
	is_int(add(st, LIST_BLACK, "10.1.2.128/25", ENTRY_EXCLUDE, 0, 0,
	    "customer range", NULL), STORE_OK, "add exclusion 10.1.2.128/25");
	is_str(look(st, LIST_BLACK, "10.1.2.200"), "10.1.2.128/25",
	    "exclusion: 10.1.2.200 -> /25");
	ok(last.flags & ENTRY_EXCLUDE, "exclusion: flag preserved");
	is_str(look(st, LIST_BLACK, "10.1.2.4"), "10.1.2.0/28",
	    "exclusion: 10.1.2.4 -> /28 without flag");
	ok(!(last.flags & ENTRY_EXCLUDE), "exclusion: /28 has no flag");

	/* Replace. */
	replaced = -1;
	is_int(add(st, LIST_BLACK, "10.1.2.0/24", 0, 5, 0, "updated",
	    &replaced), STORE_OK, "re-add 10.1.2.0/24");
	is_int(replaced, 1, "re-add 10.1.2.0/24: replaced");
	is_str(look(st, LIST_BLACK, "10.1.2.100"), "10.1.2.0/24",
	    "re-add: lookup -> /24");
	ok(last.code == 5 && strcmp(last.reason, "updated") == 0,
	    "re-add: new code and reason");
	replaced = -1;
	is_int(add(st, LIST_WHITE, "10.1.2.0/24", 0, 0, 0, "whitelisted",
	    &replaced), STORE_OK, "add 10.1.2.0/24 to white");
	is_int(replaced, 0, "white list is separate: not replaced");
	is_str(look(st, LIST_WHITE, "10.1.2.100"), "10.1.2.0/24",
	    "white: 10.1.2.100 -> /24");
	is_str(look(st, LIST_WHITE, "10.1.3.1"), "none",
	    "white: 10.1.3.1 -> not found");

	/* Host bits are masked. */
	e = mk("10.1.2.0/24", 0, 6, 0, "alice", "masked");
	e.prefix.a[3] = 77;
	replaced = -1;
	ok(store_add(st, LIST_BLACK, &e, &replaced, errbuf,
	    sizeof(errbuf)) == STORE_OK && replaced == 1,
	    "add 10.1.2.77/24 with host bits: replaces 10.1.2.0/24");
	is_str(look(st, LIST_BLACK, "10.1.2.100"), "10.1.2.0/24",
	    "masked add: lookup -> /24");
	is_str(last.reason, "masked", "masked add: reason");

	/* Length counts: deleting one of two /20s keeps the other. */
	ok(add(st, LIST_WHITE, "172.16.0.0/20", 0, 0, 0, "a", NULL) ==
	    STORE_OK && add(st, LIST_WHITE, "172.16.16.0/20", 0, 0, 0, "b",
	    NULL) == STORE_OK && add(st, LIST_WHITE, "172.16.16.0/20", 0, 0,
	    0, "b2", NULL) == STORE_OK, "white: add two /20s, one twice");
	a = ip("172.16.0.0/20");
	is_int(store_del(st, LIST_WHITE, &a, "bob", errbuf, sizeof(errbuf)),
	    STORE_OK, "white: del the first /20");
	is_str(look(st, LIST_WHITE, "172.16.17.1"), "172.16.16.0/20",
	    "white: the other /20 still found");
	a = ip("172.16.16.0/20");
	is_int(store_del(st, LIST_WHITE, &a, "bob", errbuf, sizeof(errbuf)),
	    STORE_OK, "white: del the second /20");
	is_str(look(st, LIST_WHITE, "172.16.17.1"), "none",
	    "white: no /20 left");

	/* Limits. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	e = mk("10.3.0.0/16", 0, 0, 0, "alice", big);
	is_int(store_add(st, LIST_BLACK, &e, NULL, errbuf, sizeof(errbuf)),
	    STORE_ERROR, "reason of 1099 bytes refused");
	is_str(errbuf, "reason too long (max 1024 bytes)",
	    "reason too long: message");
	e.reason_len = 1024;
	is_int(store_add(st, LIST_BLACK, &e, NULL, errbuf, sizeof(errbuf)),
	    STORE_OK, "reason of 1024 bytes accepted");
	is_str(look(st, LIST_BLACK, "10.3.1.1"), "10.3.0.0/16",
	    "lookup 10.3.1.1 -> /16");
	is_int(strlen(last.reason), 1024, "reason of 1024 bytes read back");
	e = mk("10.4.0.0/16", 0, 0, 0, big, "r");
	is_int(store_add(st, LIST_BLACK, &e, NULL, errbuf, sizeof(errbuf)),
	    STORE_ERROR, "actor of 1099 bytes refused");
	e = mk("10.4.0.0/16", 0, 0, 0, "alice", "r");
	e.reason = NULL;
	ok(store_add(st, LIST_BLACK, &e, NULL, errbuf, sizeof(errbuf)) ==
	    STORE_ERROR && strcmp(errbuf, "reason missing") == 0,
	    "a reason length without the text refused: %s", errbuf);
	a = ip("10.3.0.0/16");
	is_int(store_del(st, LIST_BLACK, &a, "bob", errbuf, sizeof(errbuf)),
	    STORE_OK, "del 10.3.0.0/16");
}

static void
test_walk_purge(struct store *st)
{
	size_t purged = 99;

	is_str(walk(st, LIST_BLACK, 0), "10.0.0.0/8 10.0.0.0/12 "
	    "10.1.2.0/24 10.1.2.0/28 10.1.2.3 !10.1.2.128/25 10.9.7.0/24 "
	    "10.9.8.0/24 10.9.9.0/24 192.0.2.1 2001:db8::/32 2001:db8:1::5",
	    "walk black: key order, expired included");
	is_str(walk(st, LIST_BLACK, 3), "10.0.0.0/8 10.0.0.0/12 10.1.2.0/24",
	    "walk black: callback stops after 3");
	is_str(walk(st, LIST_WHITE, 0), "10.1.2.0/24", "walk white");

	ok(add(st, LIST_WHITE, "198.51.100.0/24", 0, 0, now - 1, "gone",
	    NULL) == STORE_OK, "add expired white entry");
	is_int(store_purge(st, now, "purge", &purged, errbuf,
	    sizeof(errbuf)), STORE_OK, "purge");
	is_int(purged, 3, "purge: 3 entries expired");
	is_str(walk(st, LIST_BLACK, 0), "10.0.0.0/8 10.0.0.0/12 "
	    "10.1.2.0/24 10.1.2.0/28 10.1.2.3 !10.1.2.128/25 10.9.8.0/24 "
	    "192.0.2.1 2001:db8::/32 2001:db8:1::5",
	    "purge: only the expired entries left black");
	is_str(walk(st, LIST_WHITE, 0), "10.1.2.0/24",
	    "purge: expired white entry gone");
	is_str(look_at(st, LIST_BLACK, "10.9.9.9", now - 20), "10.0.0.0/12",
	    "purge: entry gone even at an earlier time");
	is_str(look(st, LIST_BLACK, "10.9.8.1"), "10.9.8.0/24",
	    "purge: live /24 beside purged ones still found");
	purged = 99;
	is_int(store_purge(st, now, "purge", &purged, errbuf,
	    sizeof(errbuf)), STORE_OK, "purge again");
	is_int(purged, 0, "purge again: nothing");
}

/* A purge in steps of 2 entries: the same result as one store_purge. */
static void
test_purge_step(struct store *st)
{
	struct store_purge_pos pos;
	char cidr[32];
	size_t purged = 0;
	int i, steps = 0, added = 0, rc = STORE_OK;

	for (i = 0; i < 5; i++) {
		snprintf(cidr, sizeof(cidr), "172.16.%d.0/24", i);
		added += add(st, LIST_BLACK, cidr, 0, 0, now - 1, "gone",
		    NULL) == STORE_OK;
	}
	added += add(st, LIST_WHITE, "172.17.0.1", 0, 0, now - 1, "gone",
	    NULL) == STORE_OK;
	added += add(st, LIST_WHITE, "172.17.0.2", 0, 0, now - 1, "gone",
	    NULL) == STORE_OK;
	is_int(added, 7, "purge step: 7 expired entries added");
	memset(&pos, 0, sizeof(pos));
	while (pos.stage != PURGE_DONE && steps < 100 && rc == STORE_OK) {
		rc = store_purge_step(st, now, "purge", &pos, 2, &purged,
		    errbuf, sizeof(errbuf));
		steps++;
	}
	is_int(rc, STORE_OK, "purge step: every step ok");
	/*
	 * 7 expired entries, 2 per step: 4 steps, and the cache's. The 11
	 * live entries are not looked at (they have no expiry record).
	 */
	ok(steps >= 4 && steps <= 6, "purge step: pass over in %d steps of "
	    "2, the expired entries only", steps);
	is_int(purged, 7, "purge step: 7 entries purged");
	is_str(walk(st, LIST_BLACK, 0), "10.0.0.0/8 10.0.0.0/12 "
	    "10.1.2.0/24 10.1.2.0/28 10.1.2.3 !10.1.2.128/25 10.9.8.0/24 "
	    "192.0.2.1 2001:db8::/32 2001:db8:1::5",
	    "purge step: live black entries kept");
	is_str(walk(st, LIST_WHITE, 0), "10.1.2.0/24",
	    "purge step: live white entry kept");
	purged = 0;
	is_int(store_purge_step(st, now, "purge", &pos, 2, &purged, errbuf,
	    sizeof(errbuf)), STORE_OK, "purge step: a done pass is a no-op");
	is_int(purged, 0, "purge step: nothing more");
}

static void
test_audit(struct store *st)
{
	struct rec *r;
	int i, n, seqok = 1;

	is_int(store_audit_add(st, "carol", "note", "", "queue#7", "checked",
	    errbuf, sizeof(errbuf)), STORE_OK, "store_audit_add");
	n = audit(st);
	/*
	 * 1 + 6 + 3 adds, 2 dels, 3 adds (expiry), 1 exclusion, 1 re-add,
	 * 1 white add, 1 masked add, 3 white adds + 2 dels (/20s), 1 add +
	 * 1 del (1024), 1 white add, 3 expires, 1 note.
	 */
	is_int(n, 31, "audit: 31 records");
	for (i = 0; i < n; i++)
		if (recs[i].seq != (uint64_t)i + 1)
			seqok = 0;
	ok(seqok, "audit: sequence 1..n, oldest first");
	ok(n > 0 && strcmp(recs[0].action, "add") == 0 &&
	    strcmp(recs[0].list, "black") == 0 &&
	    strcmp(recs[0].entry, "192.0.2.1") == 0 &&
	    strcmp(recs[0].actor, "alice") == 0 &&
	    strcmp(recs[0].reason, "spam trap hit") == 0,
	    "audit: first record add black 192.0.2.1 alice \"spam trap hit\"");
	ok(n > 0 && recs[0].time >= now - 5 && recs[0].time <= now + 60,
	    "audit: first record time");
	r = find_rec("add", "!10.1.2.128/25");
	ok(r != NULL && strcmp(r->reason, "customer range") == 0,
	    "audit: exclusion add written with \"!\"");
	r = find_rec("del", "10.1.0.0/16");
	ok(r != NULL && strcmp(r->actor, "bob") == 0 &&
	    strcmp(r->list, "black") == 0 && r->reason[0] == '\0',
	    "audit: del 10.1.0.0/16 by bob");
	r = find_rec("add", "2001:db8:1::/48");
	ok(r != NULL && strcmp(r->reason, "v6 /48") == 0,
	    "audit: v6 add");
	r = find_rec("expire", "10.9.9.0/24");
	ok(r != NULL && strcmp(r->actor, "purge") == 0 &&
	    strcmp(r->list, "black") == 0 && strcmp(r->reason, "old") == 0,
	    "audit: expire 10.9.9.0/24 by purge");
	r = find_rec("expire", "198.51.100.0/24");
	ok(r != NULL && strcmp(r->list, "white") == 0,
	    "audit: expire 198.51.100.0/24 in white");
	ok(find_rec("expire", "10.9.8.0/24") == NULL,
	    "audit: no expire for a live entry");
	ok(n > 0 && strcmp(recs[n - 1].action, "note") == 0 &&
	    strcmp(recs[n - 1].actor, "carol") == 0 &&
	    recs[n - 1].list[0] == '\0' &&
	    strcmp(recs[n - 1].entry, "queue#7") == 0 &&
	    strcmp(recs[n - 1].reason, "checked") == 0,
	    "audit: last record is the note");
}

static void
test_snapshot(struct store *st)
{
	struct store_entry e;
	struct addr a = ip("203.0.113.7");
	const char *w;
	int r;

	ok(store_read_begin(st, errbuf, sizeof(errbuf)) == STORE_OK,
	    "snapshot: begin");
	r = store_lookup(st, LIST_BLACK, &a, now, 0, &e, errbuf,
	    sizeof(errbuf));
	is_int(r, STORE_NOTFOUND, "snapshot: 203.0.113.7 not listed");
	is_int(add(st, LIST_BLACK, "203.0.113.0/24", 0, 3, 0, "new", NULL),
	    STORE_OK, "snapshot: add 203.0.113.0/24 while reading");
	r = store_lookup(st, LIST_BLACK, &a, now, 0, &e, errbuf,
	    sizeof(errbuf));
	is_int(r, STORE_NOTFOUND, "snapshot: old snapshot does not see it");
	w = walk(st, LIST_BLACK, 0);
	ok(strstr(w, "203.0.113.0/24") != NULL,
	    "snapshot: store_walk inside a snapshot sees the commit");
	store_read_end(st);
	is_str(look(st, LIST_BLACK, "203.0.113.7"), "203.0.113.0/24",
	    "snapshot: a new begin sees it");
}

/* The last verdict found by cget(), copied out of the map. */
static struct {
	uint32_t	verdict;
	int64_t		checked;
	int64_t		expires;
	char		rule[65];
	char		names[2049];
	size_t		names_len;
	char		detail[513];
	size_t		detail_len;
} lastv;

static size_t
kaddr(const char *s, uint8_t *key)
{
	struct addr a = ip(s);

	return store_cache_key_addr(&a, key);
}

static int
cput(struct store *st, const uint8_t *key, size_t keylen, uint32_t verdict,
    int64_t expires, const char *rule, const char *names, size_t names_len,
    const char *detail)
{
	struct store_verdict v;
	int r;

	memset(&v, 0, sizeof(v));
	v.verdict = verdict;
	v.checked = (int64_t)now;
	v.expires = expires;
	v.rule = rule;
	v.rule_len = strlen(rule);
	v.names = names;
	v.names_len = names_len;
	v.detail = detail;
	v.detail_len = strlen(detail);
	r = store_cache_put(st, key, keylen, &v, errbuf, sizeof(errbuf));
	if (r != STORE_OK)
		printf("# store_cache_put: %s\n", errbuf);
	return r;
}

/* Get key at time t in its own snapshot; the verdict goes to lastv. */
static int
cget(struct store *st, const uint8_t *key, size_t keylen, time_t t)
{
	struct store_verdict v;
	int r;

	memset(&lastv, 0, sizeof(lastv));
	if (store_read_begin(st, errbuf, sizeof(errbuf)) != STORE_OK) {
		printf("# store_read_begin: %s\n", errbuf);
		return STORE_ERROR;
	}
	r = store_cache_get(st, key, keylen, t, &v, errbuf, sizeof(errbuf));
	if (r == STORE_OK) {
		lastv.verdict = v.verdict;
		lastv.checked = v.checked;
		lastv.expires = v.expires;
		memcpy(lastv.rule, v.rule, v.rule_len);
		memcpy(lastv.names, v.names, v.names_len);
		lastv.names_len = v.names_len;
		memcpy(lastv.detail, v.detail, v.detail_len);
		lastv.detail_len = v.detail_len;
	} else if (r == STORE_ERROR)
		printf("# store_cache_get: %s\n", errbuf);
	store_read_end(st);
	return r;
}

/* Cache walk: "4:ADDR", "6:ADDR" or "h:NAME" per key, space-separated. */
struct cwalk {
	char	text[1024];
	int	n;
	int	stop;
};

static int
cwalk_cb(void *arg, const uint8_t *key, size_t keylen,
    const struct store_verdict *v)
{
	struct cwalk *w = arg;
	struct addr a;
	char t[ADDR_STRLEN + STORE_CACHE_KEYMAX];
	size_t len = strlen(w->text);

	(void)v;
	if (key[0] == '4' && keylen == 5) {
		addr_from_bytes(&a, ADDR_V4, key + 1);
		addr_format(&a, t, sizeof(t));
	} else if (key[0] == '6' && keylen == 17) {
		addr_from_bytes(&a, ADDR_V6, key + 1);
		addr_format(&a, t, sizeof(t));
	} else
		snprintf(t, sizeof(t), "%.*s", (int)keylen - 1,
		    (const char *)key + 1);
	snprintf(w->text + len, sizeof(w->text) - len, "%s%c:%s",
	    len ? " " : "", key[0], t);
	w->n++;
	return w->stop && w->n >= w->stop;
}

static const char *
cwalk(struct store *st, int stop)
{
	static struct cwalk w;

	memset(&w, 0, sizeof(w));
	w.stop = stop;
	if (store_cache_walk(st, cwalk_cb, &w, errbuf, sizeof(errbuf)) !=
	    STORE_OK) {
		printf("# store_cache_walk: %s\n", errbuf);
		return "error";
	}
	return w.text;
}

static void
test_cache_keys(void)
{
	uint8_t k1[STORE_CACHE_KEYMAX], k2[STORE_CACHE_KEYMAX];
	char name[300];
	size_t n1, n2;

	n1 = kaddr("192.0.2.1", k1);
	ok(n1 == 5 && memcmp(k1, "4\xc0\x00\x02\x01", 5) == 0,
	    "cache key 192.0.2.1: '4' and 4 bytes");
	n1 = kaddr("2001:db8::1", k1);
	ok(n1 == 17 && k1[0] == '6' && k1[1] == 0x20 && k1[2] == 0x01 &&
	    k1[16] == 0x01, "cache key 2001:db8::1: '6' and 16 bytes");
	n1 = kaddr("192.0.2.0/24", k1);
	n2 = kaddr("192.0.2.0", k2);
	ok(n1 == n2 && memcmp(k1, k2, n1) == 0,
	    "cache key: prefix length ignored");
	n1 = store_cache_key_name("Mail.Example.COM.", k1);
	n2 = store_cache_key_name("mail.example.com", k2);
	ok(n1 == 17 && n1 == n2 && memcmp(k1, k2, n1) == 0 &&
	    memcmp(k1, "hmail.example.com", 17) == 0,
	    "cache key: Mail.Example.COM. = mail.example.com");
	memset(name, 'a', sizeof(name));
	name[255] = '\0';
	is_int(store_cache_key_name(name, k1), 256,
	    "cache key: name of 255 bytes fits");
	name[255] = '.';
	name[256] = '\0';
	is_int(store_cache_key_name(name, k1), 256,
	    "cache key: name of 255 bytes and a final dot fits");
	name[255] = 'a';
	is_int(store_cache_key_name(name, k1), 0,
	    "cache key: name of 256 bytes: 0");
}

static void
test_cache(struct store *st)
{
	static const char names[] = "a.example.net\0b.example.net";
	uint8_t k4[STORE_CACHE_KEYMAX], k6[STORE_CACHE_KEYMAX];
	uint8_t kh[STORE_CACHE_KEYMAX], kx[STORE_CACHE_KEYMAX];
	struct store_verdict v;
	char big[2100];
	size_t n4, n6, nh, nx, count, purged;
	int nrec;

	nrec = audit(st);
	n4 = kaddr("192.0.2.55", k4);
	n6 = kaddr("2001:db8::25", k6);
	nh = store_cache_key_name("Mail.Example.COM.", kh);

	/* Round trips. */
	is_int(cget(st, k4, n4, now), STORE_NOTFOUND,
	    "cache: empty cache: not found");
	is_int(cput(st, k4, n4, 3, now + 600, "", "", 0,
	    "no PTR record (NXDOMAIN)"), STORE_OK, "cache: put 192.0.2.55");
	is_int(cget(st, k4, n4, now), STORE_OK, "cache: get 192.0.2.55");
	ok(lastv.verdict == 3 && lastv.checked == now &&
	    lastv.expires == now + 600 && lastv.rule[0] == '\0' &&
	    lastv.names_len == 0,
	    "cache: 192.0.2.55 verdict, checked, expires, empty rule, names");
	is_str(lastv.detail, "no PTR record (NXDOMAIN)",
	    "cache: 192.0.2.55 detail");
	is_int(cput(st, k6, n6, 5, now + 600, "s25r-2",
	    names, sizeof(names), "dynamic"), STORE_OK,
	    "cache: put 2001:db8::25");
	is_int(cget(st, k6, n6, now), STORE_OK, "cache: get 2001:db8::25");
	ok(lastv.verdict == 5 && lastv.checked == now &&
	    lastv.expires == now + 600, "cache: 2001:db8::25 verdict, times");
	is_str(lastv.rule, "s25r-2", "cache: 2001:db8::25 rule");
	ok(lastv.names_len == sizeof(names) &&
	    memcmp(lastv.names, names, sizeof(names)) == 0,
	    "cache: 2001:db8::25 NUL-separated names");
	is_str(lastv.detail, "dynamic", "cache: 2001:db8::25 detail");
	is_int(cput(st, kh, nh, 6, now + 60, "bad-name", "", 0, "listed"),
	    STORE_OK, "cache: put Mail.Example.COM.");
	nx = store_cache_key_name("mail.example.com", kx);
	is_int(cget(st, kx, nx, now), STORE_OK,
	    "cache: get mail.example.com finds it");
	ok(lastv.verdict == 6 && strcmp(lastv.rule, "bad-name") == 0 &&
	    strcmp(lastv.detail, "listed") == 0 &&
	    lastv.expires == now + 60, "cache: mail.example.com fields");
	nx = kaddr("192.0.2.56", kx);
	is_int(cget(st, kx, nx, now), STORE_NOTFOUND,
	    "cache: get 192.0.2.56: not found");

	/* Expiry. */
	is_int(cget(st, kh, nh, now + 60), STORE_NOTFOUND,
	    "cache: entry expiring exactly then: not found");
	is_int(cget(st, kh, nh, now + 59), STORE_OK,
	    "cache: same entry a second earlier: found");
	nx = kaddr("198.51.100.1", kx);
	ok(cput(st, kx, nx, 3, now - 1, "", "", 0, "old") == STORE_OK &&
	    cget(st, kx, nx, now) == STORE_NOTFOUND,
	    "cache: expired entry: not found");
	ok(store_cache_get(st, k4, n4, now, &v, errbuf, sizeof(errbuf)) ==
	    STORE_ERROR, "cache: get outside a snapshot: error (%s)", errbuf);

	/* Replace. */
	is_int(cput(st, k4, n4, 4, now + 900, "", "x.example.org", 13,
	    "unconfirmed"), STORE_OK, "cache: replace 192.0.2.55");
	ok(cget(st, k4, n4, now) == STORE_OK && lastv.verdict == 4 &&
	    lastv.expires == now + 900 && lastv.names_len == 13 &&
	    strcmp(lastv.names, "x.example.org") == 0 &&
	    strcmp(lastv.detail, "unconfirmed") == 0,
	    "cache: replaced verdict read back");

	/* Limits. */
	memset(big, 'r', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[65] = '\0';
	nx = kaddr("198.51.100.2", kx);
	is_int(cput(st, kx, nx, 1, now + 60, big, "", 0, ""), STORE_ERROR,
	    "cache: rule of 65 bytes refused");
	is_str(errbuf, "rule too long (max 64 bytes)",
	    "cache: rule too long: message");
	big[64] = '\0';
	ok(cput(st, kx, nx, 1, now + 60, big, "", 0, "") == STORE_OK &&
	    cget(st, kx, nx, now) == STORE_OK && strlen(lastv.rule) == 64,
	    "cache: rule of 64 bytes accepted and read back");
	memset(big, 'n', sizeof(big) - 1);
	is_int(cput(st, kx, nx, 1, now + 60, "", big, 2049, ""), STORE_ERROR,
	    "cache: names of 2049 bytes refused");
	big[512] = '\0';
	ok(cput(st, kx, nx, 1, now + 60, "r", big, 2048, big) == STORE_OK &&
	    cget(st, kx, nx, now) == STORE_OK && lastv.names_len == 2048 &&
	    lastv.detail_len == 512 && memcmp(lastv.names, big, 512) == 0,
	    "cache: names of 2048 and detail of 512 bytes read back");
	big[512] = 'n';
	big[513] = '\0';
	is_int(cput(st, kx, nx, 1, now + 60, "", "", 0, big), STORE_ERROR,
	    "cache: detail of 513 bytes refused");
	is_int(cput(st, kx, 0, 1, now + 60, "", "", 0, ""), STORE_ERROR,
	    "cache: key of 0 bytes refused");
	is_int(cput(st, kx, STORE_CACHE_KEYMAX + 1, 1, now + 60, "", "", 0,
	    ""), STORE_ERROR, "cache: key of 257 bytes refused");

	/* Walk: key order ('4' < '6' < 'h', bytes), expired included. */
	is_str(cwalk(st, 0), "4:192.0.2.55 4:198.51.100.1 4:198.51.100.2 "
	    "6:2001:db8::25 h:mail.example.com",
	    "cache walk: key order, expired included");
	is_str(cwalk(st, 2), "4:192.0.2.55 4:198.51.100.1",
	    "cache walk: callback stops after 2");

	/* A snapshot does not see a later put. */
	nx = store_cache_key_name("new.example.com", kx);
	ok(store_read_begin(st, errbuf, sizeof(errbuf)) == STORE_OK,
	    "cache snapshot: begin");
	is_int(store_cache_get(st, kx, nx, now, &v, errbuf, sizeof(errbuf)),
	    STORE_NOTFOUND, "cache snapshot: new.example.com not cached");
	is_int(cput(st, kx, nx, 2, now + 60, "", "", 0, "ok"), STORE_OK,
	    "cache snapshot: put while reading");
	is_int(store_cache_get(st, kx, nx, now, &v, errbuf, sizeof(errbuf)),
	    STORE_NOTFOUND, "cache snapshot: old snapshot does not see it");
	store_read_end(st);
	is_int(cget(st, kx, nx, now), STORE_OK,
	    "cache snapshot: a new begin sees it");

	/* Delete one. */
	count = 99;
	is_int(store_cache_del(st, kx, nx, &count, errbuf, sizeof(errbuf)),
	    STORE_OK, "cache del new.example.com");
	is_int(count, 1, "cache del: count 1");
	is_int(cget(st, kx, nx, now), STORE_NOTFOUND,
	    "cache del: then not found");
	count = 99;
	is_int(store_cache_del(st, kx, nx, &count, errbuf, sizeof(errbuf)),
	    STORE_NOTFOUND, "cache del again: not found");
	is_int(count, 0, "cache del again: count 0");

	/* Purge: expired verdicts go, uncounted; live ones stay. */
	nx = kaddr("198.51.100.3", kx);
	ok(cput(st, kx, nx, 3, now, "", "", 0, "") == STORE_OK,
	    "cache: put an entry expiring now");
	purged = 99;
	is_int(store_purge(st, now, "purge", &purged, errbuf,
	    sizeof(errbuf)), STORE_OK, "cache purge");
	is_int(purged, 0, "cache purge: cache entries not counted");
	is_str(cwalk(st, 0), "4:192.0.2.55 4:198.51.100.2 6:2001:db8::25 "
	    "h:mail.example.com", "cache purge: only the expired entries "
	    "gone");
	is_str(look(st, LIST_BLACK, "10.9.8.1"), "10.9.8.0/24",
	    "cache purge: live list entry kept");
	is_int(audit(st), nrec, "cache: no audit records");

	/* Delete all. */
	count = 0;
	is_int(store_cache_del(st, NULL, 0, &count, errbuf, sizeof(errbuf)),
	    STORE_OK, "cache del all");
	is_int(count, 4, "cache del all: count 4");
	is_str(cwalk(st, 0), "", "cache del all: walk empty");
	is_int(cget(st, k6, n6, now), STORE_NOTFOUND,
	    "cache del all: 2001:db8::25 not found");
	count = 99;
	ok(store_cache_del(st, NULL, 0, &count, errbuf, sizeof(errbuf)) ==
	    STORE_OK && count == 0, "cache del all of nothing: count 0");
	is_int(cput(st, k4, n4, 3, now + 600, "", "", 0, "again"), STORE_OK,
	    "cache: put after del all");
	is_int(add(st, LIST_BLACK, "203.0.113.128/25", 0, 3, 0, "after put",
	    NULL), STORE_OK, "cache: list add after a cache put");
	is_int(audit(st), nrec + 1, "cache: the list add is audited");
}

/* Rename table name (last letter) of a closed environment. */
static int
hide_table(const char *dir, const char *name)
{
	char *file, *buf;
	size_t n, i, hits = 0, len = strlen(name);
	long size;
	FILE *f;

	xasprintf(&file, "%s/data.mdb", dir);
	if ((f = fopen(file, "r+b")) == NULL) {
		free(file);
		return 0;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	buf = xmalloc((size_t)size);
	n = fread(buf, 1, (size_t)size, f);
	/* The node of a named table: key size (either order), name. */
	for (i = 2; i + len <= n; i++)
		if (memcmp(buf + i, name, len) == 0 &&
		    ((buf[i - 2] == (char)len && buf[i - 1] == 0) ||
		    (buf[i - 2] == 0 && buf[i - 1] == (char)len))) {
			buf[i + len - 1]++;
			hits++;
		}
	rewind(f);
	if (fwrite(buf, 1, n, f) != n)
		hits = 0;
	fclose(f);
	free(buf);
	free(file);
	return (int)hits;
}

/* A database made before the cache existed. */
static void
test_cache_old(void)
{
	struct store *st;
	char *p = dbpath("precache");
	uint8_t k[STORE_CACHE_KEYMAX];
	size_t n = kaddr("192.0.2.9", k), count = 99;

	st = store_open(p, 0, 0, errbuf, sizeof(errbuf));
	ok(st != NULL && add(st, LIST_BLACK, "192.0.2.0/24", 0, 2, 0, "old",
	    NULL) == STORE_OK, "old db: create with a list entry");
	store_close(st);
	ok(hide_table(p, "cache") > 0, "old db: cache table hidden");
	st = store_open(p, 0, 1, errbuf, sizeof(errbuf));
	ok(st != NULL, "old db: opened read-only without a cache table");
	if (st == NULL) {
		printf("# %s\n", errbuf);
		free(p);
		return;
	}
	is_int(cget(st, k, n, now), STORE_NOTFOUND,
	    "old db read-only: cache get: not found");
	is_str(cwalk(st, 0), "", "old db read-only: cache walk: empty");
	is_str(look(st, LIST_BLACK, "192.0.2.9"), "192.0.2.0/24",
	    "old db read-only: lists work");
	ok(store_cache_del(st, NULL, 0, &count, errbuf, sizeof(errbuf)) ==
	    STORE_ERROR && count == 0, "old db read-only: cache del "
	    "refused (%s)", errbuf);
	ok(cput(st, k, n, 1, now + 60, "", "", 0, "") == STORE_ERROR &&
	    strstr(errbuf, "read-only") != NULL,
	    "old db read-only: cache put refused");
	store_close(st);

	st = store_open(p, 0, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "old db: opened read-write (adds the cache table)");
	if (st == NULL) {
		printf("# %s\n", errbuf);
		free(p);
		return;
	}
	ok(cget(st, k, n, now) == STORE_NOTFOUND &&
	    cput(st, k, n, 7, now + 60, "", "", 0, "new") == STORE_OK,
	    "old db read-write: cache put");
	store_close(st);
	st = store_open(p, 0, 1, errbuf, sizeof(errbuf));
	ok(st != NULL && cget(st, k, n, now) == STORE_OK &&
	    lastv.verdict == 7 && strcmp(lastv.detail, "new") == 0,
	    "old db: read-only store sees the new cache table");
	store_close(st);
	free(p);
}

/* Steps of at most max entries until the copy is in step; their number. */
static int
index_steps(struct store *st, size_t max)
{
	int r, n = 0;

	while (((r = store_index_step(st, max, errbuf, sizeof(errbuf))) == 1 ||
	    r == STORE_INDEX_WAIT) && n < 1000)
		n++;
	if (r == -1)
		printf("# store_index_step: %s\n", errbuf);
	return r == 0 ? n : -1;
}

/*
 * The compact copy of the lists: the same answers as the B-trees, built
 * in steps, following adds, deletes and an import through the journal,
 * with expiring entries read from the database.
 */
static void
test_index(void)
{
	static const char *const q[] = {
		"10.1.2.3", "10.1.2.4", "10.1.2.200", "10.1.2.9", "10.200.0.1",
		"10.9.0.1", "10.9.0.2", "10.1.2.7", "11.0.0.1", "2001:db8::1",
		"2001:db8:1::1", "2001:db8:1:2::1", "2001:db8:1:2::3",
		"2001:db8:1:2::4", "2001:db9::1", NULL
	};
	struct store *st;
	struct gen g;
	struct addr a;
	char *p = dbpath("index");
	char want[15][2][ADDR_STRLEN + 16], got[ADDR_STRLEN + 16];
	size_t count = 0, bytes = 0;
	int i, l, bad = 0, n;

	st = store_open(p, 64 * MB, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "index: open");
	if (st == NULL) {
		free(p);
		return;
	}
	n = add(st, LIST_BLACK, "10.0.0.0/8", 0, 2, 0, "wide", NULL) +
	    add(st, LIST_BLACK, "10.1.2.0/24", 0, 3, 0, "r24", NULL) +
	    add(st, LIST_BLACK, "10.1.2.3", 0, 4, 0, "one", NULL) +
	    add(st, LIST_BLACK, "10.1.2.128/25", ENTRY_EXCLUDE, 0, 0, "", NULL) +
	    add(st, LIST_BLACK, "10.9.0.1", 0, 5, now + 3600, "soon", NULL) +
	    add(st, LIST_BLACK, "10.9.0.2", 0, 6, now - 1, "gone", NULL) +
	    add(st, LIST_BLACK, "2001:db8::/32", 0, 7, 0, "v6", NULL) +
	    add(st, LIST_BLACK, "2001:db8:1::/48", 0, 10, 0, "v6 48", NULL) +
	    add(st, LIST_BLACK, "2001:db8:1:2::/64", ENTRY_EXCLUDE, 0, 0, "",
	    NULL) +
	    add(st, LIST_BLACK, "2001:db8:1:2::3", 0, 11, now + 3600, "soon",
	    NULL) +
	    add(st, LIST_BLACK, "2001:db8:1:2::4", 0, 12, now - 1, "gone",
	    NULL) +
	    add(st, LIST_WHITE, "2001:db8:1:2::1", 0, 0, 0, "ok6", NULL) +
	    add(st, LIST_WHITE, "10.1.2.7", 0, 0, 0, "ok", NULL);
	is_int(n, STORE_OK, "index: 13 entries added");
	for (i = 0; q[i] != NULL; i++)
		for (l = 0; l < 2; l++) {
			snprintf(want[i][l], sizeof(want[i][l]), "%s %u %u",
			    look(st, (unsigned)l, q[i]), last.code,
			    last.flags);
		}
	store_index_enable(st);
	ok(store_index_stale(st), "index: stale before it is built");
	n = index_steps(st, 1);
	ok(n >= 13, "index: built in %d steps of 1 entry", n);
	count = store_index_count(st, &bytes);
	is_int((long long)count, 13, "index: 13 entries in memory, 6 IPv6 "
	    "(%zu bytes)", bytes);
	for (look_brief = 0; look_brief < 2; look_brief++)
		for (i = 0; q[i] != NULL; i++)
			for (l = 0; l < 2; l++) {
				snprintf(got, sizeof(got), "%s %u %u",
				    look(st, (unsigned)l, q[i]),
				    last.code, last.flags);
				if (strcmp(got, want[i][l]) != 0 && bad++ < 5)
					printf("# %s list %d brief %d: %s, "
					    "want %s\n", q[i], l, look_brief,
					    got, want[i][l]);
			}
	is_int(bad, 0, "index: every lookup as from the B-trees, brief or "
	    "not");
	ok(!store_index_stale(st), "index: in step after lookups");
	look_brief = 1;
	is_str(look(st, LIST_BLACK, "10.1.2.3"), "10.1.2.3",
	    "index: brief lookup");
	ok(last.code == 4 && last.reason[0] == '\0',
	    "index: brief lookup has the code, not the reason");
	look_brief = 0;
	is_str(look(st, LIST_BLACK, "10.1.2.3"), "10.1.2.3",
	    "index: full lookup");
	is_str(last.reason, "one", "index: full lookup has the reason");

	/* Changes are seen at once, and the copy catches up. */
	add(st, LIST_BLACK, "10.1.2.4", 0, 8, 0, "new", NULL);
	is_str(look(st, LIST_BLACK, "10.1.2.4"), "10.1.2.4",
	    "index: an added entry is seen at once");
	ok(store_index_stale(st), "index: stale after a change");
	is_int(index_steps(st, 1), 0, "index: caught up in one step");
	look_brief = 1;
	ok(strcmp(look(st, LIST_BLACK, "10.1.2.4"), "10.1.2.4") == 0 &&
	    last.code == 8 && !store_index_stale(st),
	    "index: the added entry from the copy");
	a = ip("10.1.2.3");
	is_int(store_del(st, LIST_BLACK, &a, "alice", errbuf, sizeof(errbuf)),
	    STORE_OK, "index: delete 10.1.2.3");
	ok(strcmp(look(st, LIST_BLACK, "10.1.2.3"), "10.1.2.0/24") == 0 &&
	    store_index_stale(st), "index: a delete is seen at once");
	is_int(index_steps(st, 1), 0, "index: caught up");
	ok(strcmp(look(st, LIST_BLACK, "10.1.2.3"), "10.1.2.0/24") == 0 &&
	    last.code == 3 && !store_index_stale(st),
	    "index: the delete in the copy");

	/*
	 * The same for IPv6, brief: an answer of the B-trees has the
	 * reason, one of the copy has not.
	 */
	add(st, LIST_BLACK, "2001:db8:1:2::5", 0, 13, 0, "new6", NULL);
	ok(strcmp(look(st, LIST_BLACK, "2001:db8:1:2::5"),
	    "2001:db8:1:2::5") == 0 && last.code == 13 &&
	    strcmp(last.reason, "new6") == 0 && store_index_stale(st),
	    "index: an added IPv6 entry is seen at once, from the B-trees");
	is_int(index_steps(st, 1), 0, "index: caught up");
	ok(strcmp(look(st, LIST_BLACK, "2001:db8:1:2::5"),
	    "2001:db8:1:2::5") == 0 && last.code == 13 &&
	    last.reason[0] == '\0' && !store_index_stale(st),
	    "index: the added IPv6 entry from the copy");
	a = ip("2001:db8:1:2::/64");
	is_int(store_del(st, LIST_BLACK, &a, "alice", errbuf, sizeof(errbuf)),
	    STORE_OK, "index: delete the IPv6 exclusion");
	ok(strcmp(look(st, LIST_BLACK, "2001:db8:1:2::6"),
	    "2001:db8:1::/48") == 0 && strcmp(last.reason, "v6 48") == 0 &&
	    store_index_stale(st),
	    "index: the IPv6 delete is seen at once, from the B-trees");
	is_int(index_steps(st, 1), 0, "index: caught up");
	ok(strcmp(look(st, LIST_BLACK, "2001:db8:1:2::6"),
	    "2001:db8:1::/48") == 0 && last.code == 10 &&
	    last.reason[0] == '\0' && !store_index_stale(st),
	    "index: the IPv6 delete in the copy");

	/* An import of a few entries a batch: the copy follows each. */
	memset(&g, 0, sizeof(g));
	g.st = st;
	g.base = 0xac100000;	/* 172.16.0.0 */
	g.n = 1000;
	g.probe_at = 0;
	ok(store_bulk_add(st, LIST_BLACK, gen_next, &g, "importer", "i.txt",
	    300, &count, errbuf, sizeof(errbuf)) == STORE_OK &&
	    count == 1000, "index: import 1000");
	is_str(look(st, LIST_BLACK, "172.16.3.200"), "172.16.3.200",
	    "index: imported entry seen at once");
	is_int(store_index_step(st, 100000, errbuf, sizeof(errbuf)), 0,
	    "index: the copy follows the import's 1000 records at once");
	is_int((long long)store_index_count(st, NULL), 1013,
	    "index: 1013 entries in memory");
	ok(strcmp(look(st, LIST_BLACK, "172.16.3.200"), "172.16.3.200") == 0 &&
	    last.code == 2 && !store_index_stale(st),
	    "index: imported entry from the copy");

	/* More in a batch than the journal takes one by one: a rebuild. */
	memset(&g, 0, sizeof(g));
	g.st = st;
	g.base = 0xac200000;	/* 172.32.0.0 */
	g.n = 16385;
	ok(store_bulk_add(st, LIST_BLACK, gen_next, &g, "importer", "j.txt",
	    20000, &count, errbuf, sizeof(errbuf)) == STORE_OK &&
	    count == 16385, "index: import 16385 in one batch");
	is_int(store_index_step(st, 100, errbuf, sizeof(errbuf)),
	    STORE_INDEX_WAIT, "index: after an import, a rebuild waits");
	add(st, LIST_BLACK, "10.1.2.5", 0, 9, 0, "meanwhile", NULL);
	is_int(store_index_step(st, 100, errbuf, sizeof(errbuf)),
	    STORE_INDEX_WAIT, "index: and waits again after another write");
	is_str(look(st, LIST_BLACK, "10.1.2.5"), "10.1.2.5",
	    "index: which is seen at once");
	n = index_steps(st, 1000);
	ok(n >= 10, "index: rebuilt after the import in %d steps", n);
	is_int((long long)store_index_count(st, NULL), 17399,
	    "index: 17399 entries in memory");
	ok(strcmp(look(st, LIST_BLACK, "172.32.63.255"), "172.32.63.255") ==
	    0 && last.code == 2 && !store_index_stale(st),
	    "index: imported entry from the copy");
	ok(strcmp(look(st, LIST_BLACK, "10.9.0.2"), "10.0.0.0/8") == 0 &&
	    last.code == 2, "index: an expired entry is skipped");
	ok(strcmp(look(st, LIST_BLACK, "2001:db8:1:2::4"),
	    "2001:db8:1::/48") == 0 && last.code == 10,
	    "index: an expired IPv6 entry is skipped");
	look_brief = 0;
	store_close(st);
	free(p);
}

/*
 * The randomised differential test of the copy's IPv6 lookups: random
 * prefixes of every kind (lengths /8 to /128, mostly those of real lists,
 * nested, "!" exclusions, entries that expire or have expired, more
 * distinct codes than the copy's table of pairs holds) and random
 * addresses in and around them, looked up through the B-trees and through
 * the copy, brief or not, in both lists; then again after rounds of
 * changes that the copy follows through the journal. A fixed seed: the
 * same run every time.
 */
static uint32_t
rnd6(void)
{
	return (uint32_t)(tap_rnd() >> 16);
}

/* A random IPv6 address: mostly in a few /32s, sites and hosts. */
static void
rnd6_addr(struct addr *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->af = ADDR_V6;
	a->len = 128;
	for (i = 0; i < 16; i++)
		a->a[i] = (uint8_t)rnd6();
	if (rnd6() % 8 == 0)
		return;
	a->a[0] = 0x20;		/* 1024 /32s, 4096 /48s in each */
	a->a[1] = 0x01;
	a->a[2] = (uint8_t)(rnd6() % 4);
	a->a[4] = (uint8_t)(rnd6() % 16);
	a->a[6] = 0;
	a->a[7] = (uint8_t)(rnd6() % 4);
	if (rnd6() % 2)
		memset(a->a + 8, 0, 7);
}

static int
rnd6_len(void)
{
	static const int common[] = {
		128, 128, 128, 128, 64, 64, 64, 48, 48, 56, 32, 40, 44, 60, 63,
		65, 127, 96
	};

	if (rnd6() % 6 == 0)
		return 8 + (int)(rnd6() % 121);
	return common[rnd6() % (sizeof(common) / sizeof(common[0]))];
}

struct diff6 {
	struct store_entry	*e;
	size_t			 n, i;
};

static int
diff6_next(void *arg, struct store_entry *e)
{
	struct diff6 *d = arg;

	if (d->i == d->n)
		return 0;
	*e = d->e[d->i++];
	return 1;
}

/* A random entry of list l (which only decides the reason). */
static void
rnd6_entry(struct store_entry *e, unsigned l)
{
	static const char *const reasons[2] = { "b6", "w6" };
	uint32_t r = rnd6() % 20;

	memset(e, 0, sizeof(*e));
	rnd6_addr(&e->prefix);
	e->prefix.len = (uint8_t)rnd6_len();
	if (e->prefix.len < 32)		/* not over the few /32s */
		e->prefix.a[0] = (uint8_t)(0x30 + rnd6() % 0xc0);
	addr_mask(&e->prefix);
	e->flags = r == 0 || r == 1 ? ENTRY_EXCLUDE : 0;
	/* some 600 distinct codes: more pairs than the copy holds */
	e->code = r == 2 ? 0x7f000100 + rnd6() % 600 : rnd6() % 3 * 2;
	e->expires = r == 3 ? (int64_t)now - 1 - rnd6() % 100 :
	    r == 4 ? (int64_t)now + 3600 : 0;
	e->added = (int64_t)now;
	e->actor = "rnd";
	e->actor_len = 3;
	e->reason = reasons[l];
	e->reason_len = 2;
}

/*
 * Brief lookups that found an entry without its reason: answered by the
 * copy alone (the B-trees' entries all have one).
 */
static int diff6_bare;

/* The answer of a lookup of a in l as text: prefix, code, flags, reason. */
static void
diff6_answer(struct store *st, unsigned l, const struct addr *a,
    int brief, char *out, size_t outlen)
{
	struct store_entry e;
	char pfx[ADDR_STRLEN];
	int r;

	if (store_read_begin(st, errbuf, sizeof(errbuf)) != STORE_OK) {
		printf("# store_read_begin: %s\n", errbuf);
		snprintf(out, outlen, "error");
		return;
	}
	r = store_lookup(st, l, a, now, brief, &e, errbuf, sizeof(errbuf));
	if (r == STORE_OK && brief && e.reason_len == 0)
		diff6_bare++;
	if (r == STORE_OK)
		snprintf(out, outlen, "%s %u %u %.*s",
		    addr_format(&e.prefix, pfx, sizeof(pfx)), e.code, e.flags,
		    brief ? 0 : (int)e.reason_len, brief ? "" : e.reason);
	else if (r == STORE_NOTFOUND)
		snprintf(out, outlen, "none");
	else {
		printf("# store_lookup: %s\n", errbuf);
		snprintf(out, outlen, "error");
	}
	store_read_end(st);
}

#define DIFF6_ENTRIES	3000
#define DIFF6_QUERIES	2500
#define DIFF6_ANSWER	(ADDR_STRLEN + 32)

/* Addresses to ask: half inside an entry of either list, half anywhere. */
static void
diff6_queries(struct addr *q, const struct store_entry *e, size_t ne)
{
	size_t i;
	int j;

	for (i = 0; i < DIFF6_QUERIES; i++) {
		rnd6_addr(&q[i]);
		if (i % 2 || ne == 0)
			continue;
		q[i] = e[rnd6() % ne].prefix;
		for (j = q[i].len; j < 128; j++)
			if (rnd6() % 2)
				q[i].a[j / 8] |= (uint8_t)(0x80 >> j % 8);
		q[i].len = 128;
	}
}

/*
 * The answers to every query in both lists, brief and not, into
 * ans[query][list][brief]; the store decides where they come from.
 */
static void
diff6_answers(struct store *st, const struct addr *q,
    char (*ans)[2][2][DIFF6_ANSWER])
{
	size_t i;
	int l, b;

	for (i = 0; i < DIFF6_QUERIES; i++)
		for (l = 0; l < 2; l++)
			for (b = 0; b < 2; b++)
				diff6_answer(st, (unsigned)l, &q[i], b,
				    ans[i][l][b], DIFF6_ANSWER);
}

/* The lookups whose answers differ; the first ones printed. */
static int
diff6_compare(const struct addr *q, char (*want)[2][2][DIFF6_ANSWER],
    char (*got)[2][2][DIFF6_ANSWER], int *found)
{
	char a[ADDR_STRLEN];
	size_t i;
	int l, b, bad = 0;

	*found = 0;
	for (i = 0; i < DIFF6_QUERIES; i++)
		for (l = 0; l < 2; l++)
			for (b = 0; b < 2; b++) {
				if (strcmp(want[i][l][b], "none") != 0)
					(*found)++;
				if (strcmp(want[i][l][b], got[i][l][b]) == 0)
					continue;
				if (bad++ < 5)
					printf("# %s list %d brief %d: copy "
					    "\"%s\", B-trees \"%s\"\n",
					    addr_format(&q[i], a, sizeof(a)),
					    l, b, got[i][l][b], want[i][l][b]);
			}
	return bad;
}

static void
test_index6_random(void)
{
	static struct store_entry e[2][DIFF6_ENTRIES];
	static struct addr q[DIFF6_QUERIES];
	static char want[DIFF6_QUERIES][2][2][DIFF6_ANSWER];
	static char got[DIFF6_QUERIES][2][2][DIFF6_ANSWER];
	struct store_entry c;
	struct diff6 d;
	struct store *st;
	char *p = dbpath("index6");
	size_t count, n[2] = { DIFF6_ENTRIES, DIFF6_ENTRIES / 4 }, i;
	int l, r, round, bad, found, stale, ok_ = 1, bare[2];

	st = store_open(p, 256 * MB, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "index6: open");
	if (st == NULL) {
		free(p);
		return;
	}
	for (l = 0; l < 2; l++) {
		for (i = 0; i < n[l]; i++)
			rnd6_entry(&e[l][i], (unsigned)l);
		memset(&d, 0, sizeof(d));
		d.e = e[l];
		d.n = n[l];
		r = store_bulk_add(st, (unsigned)l, diff6_next, &d,
		    "rnd", "rnd6", 1000, &count, errbuf, sizeof(errbuf));
		if (r != STORE_OK)
			printf("# store_bulk_add: %s\n", errbuf);
		ok_ = ok_ && r == STORE_OK && count == n[l];
	}
	ok(ok_, "index6: %zu black and %zu white random IPv6 entries stored",
	    n[0], n[1]);
	diff6_queries(q, e[0], n[0]);
	diff6_bare = 0;
	diff6_answers(st, q, want);		/* no copy: the B-trees */
	bare[0] = diff6_bare;
	store_index_enable(st);
	r = index_steps(st, 500);
	count = store_index_count(st, NULL);
	ok(r >= (int)(count / 500) && count > 2000 && !store_index_stale(st),
	    "index6: the copy of %zu distinct entries built in %d steps of "
	    "500", count, r);
	diff6_bare = 0;
	diff6_answers(st, q, got);
	bare[1] = diff6_bare;
	ok(bare[0] == 0 && bare[1] > DIFF6_QUERIES / 4,
	    "index6: brief answers from the copy alone: %d, none before it "
	    "was built (%d)", bare[1], bare[0]);
	bad = diff6_compare(q, want, got, &found);
	is_int(bad, 0, "index6: %d lookups, %d found, through the copy as "
	    "through the B-trees", DIFF6_QUERIES * 4, found);
	ok(found > DIFF6_QUERIES / 2 && found < DIFF6_QUERIES * 4,
	    "index6: the queries find entries and miss them (%d of %d)",
	    found, DIFF6_QUERIES * 4);

	/*
	 * Rounds of changes (adds of new entries, replacements, deletes),
	 * each answered through the B-trees while the copy is behind, then
	 * through the copy once it has caught up. (A commit each: the
	 * merges of the change table, which take more than 4096 changes,
	 * are test_ipindex's.)
	 */
	stale = 0;
	bare[0] = bare[1] = 0;
	for (round = 0, bad = 0; round < 3; round++) {
		for (i = 0; i < 200; i++) {
			l = (int)(rnd6() % 4 == 0);
			rnd6_entry(&c, (unsigned)l);
			if (rnd6() % 3 == 0)
				c.prefix = e[l][rnd6() % n[l]].prefix;
			if (rnd6() % 4 == 0) {
				r = store_del(st, (unsigned)l, &c.prefix,
				    "rnd", errbuf, sizeof(errbuf));
				if (r == STORE_NOTFOUND)
					r = STORE_OK;
			} else
				r = store_add(st, (unsigned)l, &c, NULL,
				    errbuf, sizeof(errbuf));
			if (r != STORE_OK) {
				printf("# change: %s\n", errbuf);
				bad++;
			}
			if (i % 8 == 0)		/* new entries get queries */
				e[l][rnd6() % n[l]] = c;
		}
		diff6_queries(q, e[0], n[0]);
		diff6_bare = 0;
		diff6_answers(st, q, want);
		bare[0] += diff6_bare;
		stale += store_index_stale(st);
		if (index_steps(st, 500) != 0)
			bad++;
		diff6_bare = 0;
		diff6_answers(st, q, got);
		bare[1] += diff6_bare;
		bad += diff6_compare(q, want, got, &found);
	}
	ok(stale == 3 && bare[0] == 0 && bare[1] > DIFF6_QUERIES / 2,
	    "index6: behind after each round of changes, answered from the "
	    "B-trees, then from the copy (%d brief answers)", bare[1]);
	is_int(bad, 0, "index6: after each of 3 rounds of 200 changes, %d "
	    "lookups through the copy as through the B-trees",
	    DIFF6_QUERIES * 4);
	store_close(st);
	free(p);
}

/* A database made before the expiry records: a writer adds them. */
static void
test_expiry_old(void)
{
	struct store *st;
	char *p = dbpath("preexpiry");
	size_t purged = 0;

	st = store_open(p, 0, 0, errbuf, sizeof(errbuf));
	ok(st != NULL && add(st, LIST_BLACK, "192.0.2.1", 0, 2, now - 1,
	    "gone", NULL) == STORE_OK && add(st, LIST_WHITE, "192.0.2.2", 0,
	    0, now + 3600, "later", NULL) == STORE_OK && add(st, LIST_BLACK,
	    "192.0.2.3", 0, 0, 0, "kept", NULL) == STORE_OK,
	    "old db: entries that expire");
	store_close(st);
	ok(hide_table(p, "expiry") > 0, "old db: expiry table hidden");
	st = store_open(p, 0, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "old db: opened read-write (adds the expiry records)");
	if (st == NULL) {
		free(p);
		return;
	}
	ok(store_purge(st, now, "purge", &purged, errbuf, sizeof(errbuf)) ==
	    STORE_OK && purged == 1, "old db: the expired entry is purged");
	is_str(walk(st, LIST_BLACK, 0), "192.0.2.3",
	    "old db: the entry that does not expire is kept");
	ok(store_purge(st, now + 7200, "purge", &purged, errbuf,
	    sizeof(errbuf)) == STORE_OK && purged == 1 &&
	    strcmp(walk(st, LIST_WHITE, 0), "") == 0,
	    "old db: the white entry expires later");
	store_close(st);
	free(p);
}

/* The changes since a serial, as text: "list prefix old;" each. */
struct since_text {
	char	text[1024];
};

static int
since_cb(void *arg, unsigned l, const struct store_entry *e, int had,
    char *eb, size_t el)
{
	struct since_text *t = arg;
	char p[ADDR_STRLEN];
	size_t len = strlen(t->text);

	(void)eb;
	(void)el;
	if (e != NULL)
		addr_format(&e->prefix, p, sizeof(p));
	snprintf(t->text + len, sizeof(t->text) - len, "%s%u %s %s%.*s",
	    len ? "; " : "", l, e == NULL ? "import" : p,
	    had == 1 ? "had " : had == 0 ? "absent" : "unknown",
	    had == 1 ? (int)e->reason_len : 0, had == 1 ? e->reason : "");
	return 0;
}

/* The changes of zone z since serial from: the text, or "window" &c. */
static const char *
since(struct store *st, const char *z, uint32_t from, uint32_t *serial)
{
	static struct since_text t;
	struct store_since s;

	memset(&t, 0, sizeof(t));
	memset(&s, 0, sizeof(s));
	s.serial = from;
	s.fn = since_cb;
	s.arg = &t;
	if (store_walk_snapshot(st, NULL, 0, NULL, NULL, z, serial, &s,
	    errbuf, sizeof(errbuf)) != STORE_OK) {
		printf("# store_walk_snapshot: %s\n", errbuf);
		return "error";
	}
	return s.result == STORE_SINCE_CHANGES ? t.text :
	    s.result == STORE_SINCE_CURRENT ? "current" :
	    s.result == STORE_SINCE_WINDOW ? "window" :
	    s.result == STORE_SINCE_GONE ? "gone" : "stopped";
}

/* Rewrite the journal's last record as an older version writes it. */
static int
journal_downgrade(const char *dir)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_dbi dbi;
	MDB_val k, v;
	uint8_t kb[8], vb[512];
	int ok = 0;

	if (mdb_env_create(&env) != 0)
		return 0;
	(void)mdb_env_set_maxdbs(env, 128);
	if (mdb_env_open(env, dir, 0, 0600) != 0 ||
	    mdb_txn_begin(env, NULL, 0, &txn) != 0) {
		mdb_env_close(env);
		return 0;
	}
	if (mdb_dbi_open(txn, "journal", 0, &dbi) == 0 &&
	    mdb_cursor_open(txn, dbi, &cur) == 0) {
		if (mdb_cursor_get(cur, &k, &v, MDB_LAST) == 0 &&
		    k.mv_size == 8 && v.mv_size >= 3 && v.mv_size < 512) {
			const uint8_t *p = v.mv_data;

			memcpy(kb, k.mv_data, 8);
			vb[0] = p[0] & 0x7f;
			memcpy(vb + 1, p + 2, p[1]);
			k.mv_data = kb;
			v.mv_size = 1 + (size_t)p[1];
			v.mv_data = vb;
			ok = mdb_put(txn, dbi, &k, &v, 0) == 0;
		}
		mdb_cursor_close(cur);
	}
	if (!ok || mdb_txn_commit(txn) != 0) {
		if (!ok)
			mdb_txn_abort(txn);
		ok = 0;
	}
	mdb_env_close(env);
	return ok;
}

/*
 * The journal's records carry the value an entry had before each
 * change, so that an IXFR can send the difference; the serials of a
 * zone map to journal numbers; a record of an older version says it
 * does not know.
 */
static void
test_since(void)
{
	struct store *st;
	struct addr a = ip("192.0.2.1");
	char *p = dbpath("since");
	uint32_t s0, s;
	size_t purged = 0;
	const char *w;

	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	ok(st != NULL && store_serial_conf(st, "z.test", 1, 100, &s0,
	    errbuf, sizeof(errbuf)) == STORE_OK && s0 == 100,
	    "since: a zone at serial 100");
	if (st == NULL) {
		free(p);
		return;
	}
	ok(add(st, LIST_BLACK, "192.0.2.1", 0, 2, 0, "one", NULL) ==
	    STORE_OK && add(st, LIST_BLACK, "192.0.2.1", 0, 2, 0, "two",
	    NULL) == STORE_OK && store_del(st, LIST_BLACK, &a, "alice",
	    errbuf, sizeof(errbuf)) == STORE_OK && add(st, LIST_WHITE,
	    "198.51.100.0/24", 0, 0, 0, "w", NULL) == STORE_OK &&
	    add(st, LIST_BLACK, "203.0.113.5", 0, 0, now - 1, "gone",
	    NULL) == STORE_OK && store_purge(st, now, "purge", &purged,
	    errbuf, sizeof(errbuf)) == STORE_OK && purged == 1,
	    "since: add, replace, delete, white add, expiry purge");
	is_str(since(st, "z.test", 100, &s),
	    "0 192.0.2.1 absent; 0 192.0.2.1 had one; 0 192.0.2.1 had two; "
	    "1 198.51.100.0/24 absent; 0 203.0.113.5 absent; "
	    "0 203.0.113.5 had gone", "since: each change with the old value");
	is_int((int)s, 106, "since: the serial of the snapshot");
	is_str(since(st, "z.test", 104, &s),
	    "0 203.0.113.5 absent; 0 203.0.113.5 had gone",
	    "since: from a serial between");
	is_str(since(st, "z.test", 106, &s), "current",
	    "since: the current serial");
	is_str(since(st, "z.test", 99, &s), "window",
	    "since: before the zone's base serial");
	is_str(since(st, "z.test", 107, &s), "window",
	    "since: after the current serial");
	store_close(st);
	ok(journal_downgrade(p), "since: the last record as an older "
	    "version writes it");
	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	w = st != NULL ? since(st, "z.test", 104, &s) : "error";
	is_str(w, "0 203.0.113.5 absent; 0 203.0.113.5 unknown",
	    "since: an older record says it does not know");
	if (st != NULL)
		store_close(st);
	free(p);
}

static void
test_reopen(const char *p)
{
	struct store *st;
	struct store_entry e;
	uint8_t k[STORE_CACHE_KEYMAX];

	st = store_open(p, 0, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "reopen: opened");
	if (st == NULL)
		return;
	is_str(look(st, LIST_BLACK, "10.1.2.3"), "10.1.2.3",
	    "reopen: data kept");
	store_close(st);

	st = store_open(p, 0, 1, errbuf, sizeof(errbuf));
	ok(st != NULL, "read-only: opened");
	if (st == NULL)
		return;
	is_str(look(st, LIST_BLACK, "10.200.0.1"), "10.0.0.0/8",
	    "read-only: lookup works");
	e = mk("10.6.0.0/16", 0, 0, 0, "alice", "");
	ok(store_add(st, LIST_BLACK, &e, NULL, errbuf, sizeof(errbuf)) ==
	    STORE_ERROR && strstr(errbuf, "read-only") != NULL,
	    "read-only: add refused (%s)", errbuf);
	/*
	 * And the adds of test_snapshot and test_cache, and the 7 adds and
	 * 7 expires of test_purge_step.
	 */
	is_int(audit(st), 47, "read-only: audit walk works");
	is_int(cget(st, k, kaddr("192.0.2.55", k), now), STORE_OK,
	    "read-only: cache get works");
	is_str(lastv.detail, "again", "read-only: cached verdict kept");
	store_close(st);
}

static void
test_bulk(void)
{
	struct store *st;
	struct gen g;
	char *p = dbpath("bulk");
	size_t count = 0;
	int r;

	st = store_open(p, 64 * MB, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "bulk: open");
	if (st == NULL) {
		free(p);
		return;
	}
	memset(&g, 0, sizeof(g));
	g.st = st;
	g.base = 0xac100000;	/* 172.16.0.0 */
	g.n = 100000;
	g.probe_at = 15000;
	r = store_bulk_add(st, LIST_BLACK, gen_next, &g, "importer",
	    "bulk.txt", 10000, &count, errbuf, sizeof(errbuf));
	if (r != STORE_OK)
		printf("# store_bulk_add: %s\n", errbuf);
	is_int(r, STORE_OK, "bulk: add 100000 in batches of 10000");
	is_int(count, 100000, "bulk: count 100000");
	is_str(g.probe[0], "172.16.39.15",
	    "bulk: mid-import reader sees the first batch");
	is_str(g.probe[1], "none",
	    "bulk: mid-import reader does not see the open batch");
	is_str(g.probe[2], "none",
	    "bulk: mid-import reader does not see the last entry added");
	is_str(look(st, LIST_BLACK, "172.16.0.0"), "172.16.0.0",
	    "bulk: first entry");
	is_int(last.code, 2, "bulk: first entry code");
	is_str(look(st, LIST_BLACK, "172.16.195.80"), "172.16.195.80",
	    "bulk: middle entry (50000)");
	is_str(look(st, LIST_BLACK, "172.17.134.159"), "172.17.134.159",
	    "bulk: last entry (99999)");
	is_str(look(st, LIST_BLACK, "172.17.134.160"), "none",
	    "bulk: past the last entry");
	is_int(audit(st), 2, "bulk: two audit records, start and end");
	ok(strcmp(recs[0].action, "import-start") == 0 &&
	    strcmp(recs[0].entry, "bulk.txt") == 0 &&
	    strcmp(recs[0].reason, "started") == 0 &&
	    strcmp(recs[0].actor, "importer") == 0 &&
	    strcmp(recs[0].list, "black") == 0,
	    "bulk: import start record (entry bulk.txt, \"started\")");
	ok(strcmp(recs[1].action, "import") == 0 &&
	    strcmp(recs[1].entry, "bulk.txt") == 0 &&
	    strcmp(recs[1].reason, "100000 entries") == 0 &&
	    strcmp(recs[1].actor, "importer") == 0 &&
	    strcmp(recs[1].list, "black") == 0,
	    "bulk: import record (entry bulk.txt, \"100000 entries\")");

	/* Re-import of the same entries replaces, counts stay right. */
	memset(&g, 0, sizeof(g));
	g.base = 0xac100000;
	g.n = 10;
	ok(store_bulk_add(st, LIST_BLACK, gen_next, &g, "importer", "again",
	    4, &count, errbuf, sizeof(errbuf)) == STORE_OK && count == 10,
	    "bulk: re-import of 10 in batches of 4");

	/* An iterator error stops the import: whole batches stay. */
	memset(&g, 0, sizeof(g));
	g.base = 0xc0a80000;	/* 192.168.0.0 */
	g.n = 100;
	r = store_bulk_add(st, LIST_WHITE, gen_fail, &g, "importer",
	    "broken.txt", 10, &count, errbuf, sizeof(errbuf));
	ok(r == STORE_ERROR && count == 20, "bulk: iterator error after "
	    "25 stops with 20 committed (%s)", errbuf);
	is_str(errbuf, "import of broken.txt stopped at entry 26 "
	    "(20 committed)", "bulk: iterator error message");
	is_str(look(st, LIST_WHITE, "192.168.0.19"), "192.168.0.19",
	    "bulk: committed batch kept");
	is_str(look(st, LIST_WHITE, "192.168.0.20"), "none",
	    "bulk: failed batch rolled back");
	audit(st);
	ok(nrecs == 6 && strcmp(recs[4].action, "import-start") == 0 &&
	    strcmp(recs[4].entry, "broken.txt") == 0 &&
	    strcmp(recs[5].entry, "broken.txt") == 0 &&
	    strcmp(recs[5].reason, "20 entries (incomplete)") == 0,
	    "bulk: incomplete import recorded");
	store_close(st);
	free(p);
}

static void
test_full(void)
{
	struct store *st;
	struct store_entry e;
	struct gen g;
	struct store_verdict v;
	char *p = dbpath("full"), want[ADDR_STRLEN], a[ADDR_STRLEN];
	char names[2048], fullmsg[PATH_MAX + 128];
	uint8_t kb[STORE_CACHE_KEYMAX];
	struct addr x;
	size_t count = 0;
	uint32_t i;
	int r;

	st = store_open(p, 1 * MB, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "full: open with a 1 MB map");
	if (st == NULL) {
		free(p);
		return;
	}
	memset(&g, 0, sizeof(g));
	g.base = 0x0a000000;
	g.n = 1000000;
	r = store_bulk_add(st, LIST_BLACK, gen_next, &g, "importer", "huge",
	    1000, &count, errbuf, sizeof(errbuf));
	is_int(r, STORE_ERROR, "full: bulk add into 1 MB fails");
	snprintf(fullmsg, sizeof(fullmsg), "database full: %s/data.mdb has "
	    "reached map-size (now 1 MB): raise map-size: in the server: "
	    "clause", p);
	is_str(errbuf, fullmsg, "full: message names the file and map-size:");
	ok(count > 0 && count < 1000000 && count % 1000 == 0,
	    "full: %zu entries committed in whole batches", count);
	is_str(look(st, LIST_BLACK, "10.0.0.0"), "10.0.0.0",
	    "full: lookups still answered");
	addr_from_v4(&x, g.base + (uint32_t)count - 1);
	addr_format(&x, want, sizeof(want));
	is_str(look(st, LIST_BLACK, want), want,
	    "full: last committed entry found");
	addr_from_v4(&x, g.base + (uint32_t)count);
	is_str(look(st, LIST_BLACK, addr_format(&x, a, sizeof(a))), "none",
	    "full: entry of the failed batch absent");

	/* Cache puts into the full map fail the same way. */
	memset(names, 'n', sizeof(names));
	memset(&v, 0, sizeof(v));
	v.expires = (int64_t)now + 60;
	v.names = names;
	v.names_len = sizeof(names);
	r = STORE_OK;
	for (i = 0; i < 1000 && r == STORE_OK; i++) {
		addr_from_v4(&x, 0xc0000200 + i);
		r = store_cache_put(st, kb, store_cache_key_addr(&x, kb), &v,
		    errbuf, sizeof(errbuf));
	}
	is_int(r, STORE_ERROR, "full: cache put into 1 MB fails");
	is_str(errbuf, fullmsg, "full: cache put message names map-size:");
	is_str(look(st, LIST_BLACK, "10.0.0.0"), "10.0.0.0",
	    "full: lookups answered after a failed cache put");

	/* The way out of a full map: flush and del still work. */
	r = store_cache_del(st, NULL, 0, &count, errbuf, sizeof(errbuf));
	if (r != STORE_OK)
		printf("# store_cache_del: %s\n", errbuf);
	is_int(r, STORE_OK, "full: flush all works on the full map");
	r = store_audit_add(st, "alice", "flush", "", "all", "0 verdicts",
	    errbuf, sizeof(errbuf));
	is_int(r, STORE_OK, "full: and its audit record");
	x = ip("10.0.0.1");
	r = store_del(st, LIST_BLACK, &x, "alice", errbuf, sizeof(errbuf));
	if (r != STORE_OK)
		printf("# store_del: %s\n", errbuf);
	is_int(r, STORE_OK, "full: del works on the full map");
	is_str(look(st, LIST_BLACK, "10.0.0.1"), "none",
	    "full: the deleted entry is gone");
	store_close(st);

	/* A larger map-size grows the map; a smaller one does not shrink. */
	st = store_open(p, 8 * MB, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "full: reopen with 8 MB");
	if (st == NULL) {
		free(p);
		return;
	}
	memset(&g, 0, sizeof(g));
	g.base = 0x0b000000;
	g.n = 20000;
	r = store_bulk_add(st, LIST_BLACK, gen_next, &g, "importer", "more",
	    5000, &count, errbuf, sizeof(errbuf));
	if (r != STORE_OK)
		printf("# store_bulk_add: %s\n", errbuf);
	is_int(r, STORE_OK, "full: 20000 more entries fit in 8 MB");
	store_close(st);
	st = store_open(p, 1 * MB, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "full: reopen with 1 MB");
	if (st == NULL) {
		free(p);
		return;
	}
	e = mk("10.255.0.0/16", 0, 0, 0, "alice", "after");
	r = store_add(st, LIST_BLACK, &e, NULL, errbuf, sizeof(errbuf));
	if (r != STORE_OK)
		printf("# store_add: %s\n", errbuf);
	is_int(r, STORE_OK, "full: map not shrunk by a smaller map-size");
	is_str(look(st, LIST_BLACK, "11.0.78.31"), "11.0.78.31",
	    "full: entries of the second import found");
	store_close(st);
	free(p);
}

/*
 * The verdict cache cannot crowd out the lists: a flood of verdicts far
 * larger than the map goes in (old ones evicted), and the lists still
 * take an entry.
 */
static void
test_cache_bound(void)
{
	struct store *st;
	struct store_verdict v;
	struct store_entry e;
	char *p = dbpath("bound"), names[2048];
	uint8_t kb[STORE_CACHE_KEYMAX];
	struct addr x;
	uint32_t i;
	int r = STORE_OK;

	st = store_open(p, 1 * MB, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "bound: open with a 1 MB map");
	if (st == NULL) {
		free(p);
		return;
	}
	memset(names, 'n', sizeof(names));
	memset(&v, 0, sizeof(v));
	v.expires = (int64_t)now + 3600;
	v.names = names;
	v.names_len = sizeof(names);
	/* some 3000 pages of verdicts into a map of 256 */
	for (i = 0; i < 3000 && r == STORE_OK; i++) {
		addr_from_v4(&x, 0xc6120000 + i);
		r = store_cache_put(st, kb, store_cache_key_addr(&x, kb), &v,
		    errbuf, sizeof(errbuf));
	}
	if (r != STORE_OK)
		printf("# store_cache_put %u: %s\n", i, errbuf);
	is_int(r, STORE_OK, "bound: 3000 large verdicts into 1 MB all go in");
	e = mk("192.0.2.0/24", 0, 0, 0, "alice", "after the flood");
	r = store_add(st, LIST_BLACK, &e, NULL, errbuf, sizeof(errbuf));
	if (r != STORE_OK)
		printf("# store_add: %s\n", errbuf);
	is_int(r, STORE_OK, "bound: the list still takes an entry");
	addr_from_v4(&x, 0xc6120000 + 2999);
	is_int(cget(st, kb, store_cache_key_addr(&x, kb), now), STORE_OK,
	    "bound: the newest verdict is kept");
	store_close(st);
	free(p);
}

/* The delisting request queue. */
static int
count_req(void *arg, const struct store_request *r)
{
	int *n = arg;

	(*n)++;
	return r->id == 0;
}

static void
mkreq(struct store_request *r, const char *addr, const char *token,
    enum store_req_status status)
{
	memset(r, 0, sizeof(*r));
	r->addr = ip(addr);
	r->client = ip("198.51.100.7");
	r->status = status;
	r->created = (int64_t)now;
	str_copy(r->token, token, sizeof(r->token));
	str_copy(r->email, "postmaster@example.org", sizeof(r->email));
	str_copy(r->text, "our mail relay <b>", sizeof(r->text));
	str_copy(r->reason, "no-ptr", sizeof(r->reason));
}

/* A store_grant_fn that writes the entry arg points to, id or not. */
static void
white_entry(void *arg, const struct store_request *r, struct store_entry *w)
{
	(void)r;
	*w = *(const struct store_entry *)arg;
}

static void
test_requests(void)
{
	struct store_request r, g;
	struct store_entry w, le;
	struct store *st;
	uint64_t other = 0, pid;
	int64_t self;
	char *p = dbpath("req");
	int n = 0, xl;

	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	free(p);
	ok(st != NULL, "requests: open");
	if (st == NULL)
		return;
	mkreq(&r, "192.0.2.1", "0123456789abcdef0123456789abcdef",
	    REQ_PENDING);
	is_int(store_request_add(st, &r, NULL, NULL, "web", &other, errbuf,
	    sizeof(errbuf)), STORE_OK, "requests: add pending");
	is_int((int)r.id, 1, "requests: first id 1");
	mkreq(&g, "192.0.2.1", "ffffffffffffffffffffffffffffffff",
	    REQ_PENDING);
	is_int(store_request_add(st, &g, NULL, NULL, "web", &other, errbuf,
	    sizeof(errbuf)), STORE_EXISTS, "requests: second pending refused");
	is_int((int)other, 1, "requests: the pending one named");
	is_int(store_request_state(st, &r.addr, &pid, &self, errbuf,
	    sizeof(errbuf)), STORE_OK, "requests: state: pending");
	is_int((int)pid, 1, "requests: state: id");
	memset(&g, 0, sizeof(g));
	is_int(store_request_by_token(st, "0123456789abcdef0123456789abcdef",
	    &g, errbuf, sizeof(errbuf)), STORE_OK, "requests: by token");
	ok(g.id == 1 && strcmp(g.text, "our mail relay <b>") == 0 &&
	    strcmp(g.email, "postmaster@example.org") == 0 &&
	    addr_equal(&g.addr, &r.addr) && g.status == REQ_PENDING,
	    "requests: fields round trip");
	is_int(store_request_by_token(st, "0123456789abcdef0123456789abcdee",
	    &g, errbuf, sizeof(errbuf)), STORE_NOTFOUND,
	    "requests: unknown token");
	is_int(store_request_by_token(st, "short", &g, errbuf,
	    sizeof(errbuf)), STORE_NOTFOUND, "requests: short token");

	ok(add(st, LIST_BLACK, "192.0.2.1", 0, 0, 0, "spam", NULL) ==
	    STORE_OK && add(st, LIST_BLACK, "192.0.2.0/24", 0, 0, 0,
	    "spam range", NULL) == STORE_OK,
	    "requests: black /32 and /24 of the address added");
	w = mk("192.0.2.1", 0, 0, now + 3600, "alice", "request 1");
	memset(&g, 0, sizeof(g));
	g.decided = (int64_t)now;
	g.visible = (int64_t)now + 300;
	str_copy(g.actor, "alice", sizeof(g.actor));
	str_copy(g.note, "ok", sizeof(g.note));
	g.expires = w.expires;
	is_int(store_request_decide(st, 1, REQ_APPROVED, &g, white_entry, &w,
	    errbuf, sizeof(errbuf)), STORE_OK, "requests: approve");
	ok(g.status == REQ_APPROVED && g.expires == w.expires &&
	    strcmp(g.note, "ok") == 0 && strcmp(g.text,
	    "our mail relay <b>") == 0, "requests: approved record");
	is_int(store_read_begin(st, errbuf, sizeof(errbuf)), STORE_OK,
	    "requests: snapshot");
	ok((g.flags & REQ_UNBLOCKED) && !(g.flags & REQ_WHITE),
	    "requests: the approval says the black entry went");
	xl = store_list_lookup(st, LIST_EXEMPT_NAME);
	ok(xl > LIST_WHITE, "requests: the exempt list registered");
	is_int(store_lookup(st, (unsigned)xl, &r.addr, now, 0, &le, errbuf,
	    sizeof(errbuf)), STORE_OK, "requests: exempted on approval");
	is_int(store_lookup(st, LIST_WHITE, &r.addr, now, 0, &le, errbuf,
	    sizeof(errbuf)), STORE_NOTFOUND,
	    "requests: not whitelisted on approval");
	store_read_end(st);
	is_str(look(st, LIST_BLACK, "192.0.2.1"), "192.0.2.0/24",
	    "requests: the black /32 deleted, the /24 kept");
	is_int(audit_has(st, "del", "black", "192.0.2.1", "request 1"), 1,
	    "requests: the deletion has its audit record");
	is_int(store_request_decide(st, 1, REQ_DENIED, &g, NULL, NULL, errbuf,
	    sizeof(errbuf)), STORE_EXISTS, "requests: decided only once");
	is_int(store_request_decide(st, 9, REQ_DENIED, &g, NULL, NULL, errbuf,
	    sizeof(errbuf)), STORE_NOTFOUND, "requests: unknown id");
	is_int(store_request_decide(st, 9, REQ_DENIED, &g, white_entry, &w,
	    errbuf, sizeof(errbuf)), STORE_ERROR,
	    "requests: a denial writes no white entry");
	is_int(store_request_state(st, &r.addr, &pid, &self, errbuf,
	    sizeof(errbuf)), STORE_NOTFOUND, "requests: none pending now");

	mkreq(&r, "192.0.2.1", "fedcba9876543210fedcba9876543210",
	    REQ_APPROVED);
	r.flags = REQ_SELF;
	is_int(store_request_add(st, &r, white_entry, &w, "web", &other,
	    errbuf, sizeof(errbuf)), STORE_OK, "requests: self-service add");
	is_int(store_request_state(st, &r.addr, &pid, &self, errbuf,
	    sizeof(errbuf)), STORE_NOTFOUND, "requests: self: not pending");
	ok(self == (int64_t)now, "requests: self-service time kept");
	store_request_walk(st, count_req, &n, errbuf, sizeof(errbuf));
	is_int(n, 2, "requests: walk sees 2");

	/* --whitelist: a white entry instead, and the black /32 goes */
	mkreq(&r, "192.0.2.9", "00112233445566778899aabbccddeeff",
	    REQ_PENDING);
	ok(store_request_add(st, &r, NULL, NULL, "web", &other, errbuf,
	    sizeof(errbuf)) == STORE_OK && add(st, LIST_BLACK, "192.0.2.9", 0,
	    0, 0, "spam", NULL) == STORE_OK, "requests: a third request");
	w = mk("192.0.2.9", 0, 0, 0, "alice", "request 3");
	memset(&g, 0, sizeof(g));
	g.decided = (int64_t)now;
	str_copy(g.actor, "alice", sizeof(g.actor));
	g.flags = REQ_WHITE;
	is_int(store_request_decide(st, r.id, REQ_APPROVED, &g, white_entry,
	    &w, errbuf, sizeof(errbuf)), STORE_OK,
	    "requests: approve --whitelist");
	ok((g.flags & REQ_WHITE) && (g.flags & REQ_UNBLOCKED),
	    "requests: whitelisted, black entry deleted");
	is_str(look(st, LIST_WHITE, "192.0.2.9"), "192.0.2.9",
	    "requests: the white entry is there");
	is_str(look(st, (unsigned)xl, "192.0.2.9"), "none",
	    "requests: and no exemption");
	store_close(st);
}

/*
 * A database whose approvals made white list entries: the entries that
 * name an approved request of their address move to list exempt, once.
 */
/* store_unconfirmed_add of r until now + 60 at T, with the limits. */
static enum store_rc
uadd(struct store *st, const struct store_request *r, int64_t t,
    unsigned max_client, unsigned max_total)
{
	return store_unconfirmed_add(st, r, (int64_t)now + 60, t, max_client,
	    max_total, errbuf, sizeof(errbuf));
}

/* store_unconfirmed_get of TOKEN at T into *got, *expired. */
static enum store_rc
uget(struct store *st, const char *token, int64_t t, int take,
    struct store_request *got, int *expired)
{
	return store_unconfirmed_get(st, token, t, take, got, expired, errbuf,
	    sizeof(errbuf));
}

/* Unconfirmed requests: kept, read, taken once, expired, limited, purged. */
static void
test_verify(void)
{
	struct store_request r, got;
	struct store *st;
	char *p = dbpath("verify"), tok[STORE_TOKEN_LEN + 1];
	int64_t t = (int64_t)now;
	size_t purged, i;
	int expired = 9, n = 0;

	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	free(p);
	ok(st != NULL, "verify: open");
	if (st == NULL)
		return;
	mkreq(&r, "192.0.2.1", "00000000000000000000000000000001",
	    REQ_PENDING);
	is_int(uadd(st, &r, t, 2, 100), STORE_OK, "verify: kept");
	is_int(uget(st, r.token, t, 0, &got, &expired), STORE_OK,
	    "verify: read by its token");
	ok(addr_equal(&got.addr, &r.addr) && got.id == 0 &&
	    strcmp(got.email, r.email) == 0 && strcmp(got.text, r.text) == 0 &&
	    strcmp(got.token, r.token) == 0 && expired == 0,
	    "verify: read back whole, with no id");
	is_int(store_request_walk(st, count_req, &n, errbuf, sizeof(errbuf)),
	    STORE_OK, "verify: the queue walks");
	is_int(n, 0, "verify: an unconfirmed request is not in the queue");
	is_int(uget(st, "00000000000000000000000000000002", t, 1, &got,
	    &expired), STORE_NOTFOUND, "verify: another token finds nothing");
	is_int(uget(st, r.token, t, 1, &got, &expired), STORE_OK,
	    "verify: taken");
	is_int(uget(st, r.token, t, 1, &got, &expired), STORE_NOTFOUND,
	    "verify: taken once");
	is_int(expired, 0, "verify: ... and then not called expired");

	/* the limit per client, and one in all */
	for (i = 0; i < 3; i++) {
		snprintf(tok, sizeof(tok), "1000000000000000000000000000000%zu",
		    i);
		str_copy(r.token, tok, sizeof(r.token));
		is_int(uadd(st, &r, t, 2, 100), i < 2 ? STORE_OK : STORE_LIMIT,
		    "verify: unconfirmed %zu of the client, limit 2", i + 1);
	}
	is_str(errbuf, "2 unconfirmed requests from this client",
	    "verify: the limit says which");
	r.client = ip("198.51.100.8");
	str_copy(r.token, "20000000000000000000000000000000", sizeof(r.token));
	is_int(uadd(st, &r, t, 2, 2), STORE_LIMIT,
	    "verify: another client, over the limit in all");
	is_int(uadd(st, &r, t + 61, 2, 2), STORE_OK,
	    "verify: once the others expired, they go and it is kept");
	is_int(uget(st, "10000000000000000000000000000000", t, 0, &got,
	    &expired), STORE_NOTFOUND, "verify: the expired ones went then");

	/* expiry when read, and the purge */
	is_int(uget(st, r.token, t + 60, 0, &got, &expired), STORE_NOTFOUND,
	    "verify: expired at its deadline");
	is_int(expired, 1, "verify: ... and said to be expired");
	is_int(store_purge(st, now + 59, "test", &purged, errbuf,
	    sizeof(errbuf)), STORE_OK, "verify: a purge before the deadline");
	is_int(uget(st, r.token, t, 0, &got, &expired), STORE_OK,
	    "verify: ... keeps it");
	is_int(store_purge(st, now + 60, "test", &purged, errbuf,
	    sizeof(errbuf)), STORE_OK, "verify: a purge at the deadline");
	is_int(uget(st, r.token, t, 0, &got, &expired), STORE_NOTFOUND,
	    "verify: ... deletes it");
	is_int(expired, 0, "verify: ... and then it is unknown");
	str_copy(r.token, "short", sizeof(r.token));
	is_int(uadd(st, &r, t, 2, 2), STORE_ERROR,
	    "verify: a token of the wrong length refused");
	store_close(st);
}

static void
test_exempt_upgrade(void)
{
	struct store_request r;
	struct store *st;
	uint64_t other;
	unsigned xl = 0;
	size_t n = 9;
	char *p = dbpath("exempt");

	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	free(p);
	ok(st != NULL, "upgrade: open");
	if (st == NULL)
		return;
	mkreq(&r, "192.0.2.1", "0123456789abcdef0123456789abcdef",
	    REQ_APPROVED);
	r.decided = (int64_t)now;
	ok(store_request_add(st, &r, NULL, NULL, "web", &other, errbuf,
	    sizeof(errbuf)) == STORE_OK && r.id == 1 &&
	    add(st, LIST_WHITE, "192.0.2.1", 0, 0, now + 3600,
	    "delisting request 1: known relay", NULL) == STORE_OK &&
	    add(st, LIST_WHITE, "192.0.2.2", 0, 0, 0,
	    "delisting request 1", NULL) == STORE_OK &&
	    add(st, LIST_WHITE, "192.0.2.3", 0, 0, 0,
	    "delisting request 7: no such request", NULL) == STORE_OK &&
	    add(st, LIST_WHITE, "192.0.2.4", 0, 0, 0, "partner", NULL) ==
	    STORE_OK, "upgrade: an old-style approval and three others");
	is_int(store_exempt_open(st, 0, "test", &xl, &n, errbuf,
	    sizeof(errbuf)), STORE_NOTFOUND, "upgrade: a reader converts none");
	is_int((int)n, 0, "upgrade: ... and says so");
	is_int(store_exempt_open(st, 1, "test", &xl, &n, errbuf,
	    sizeof(errbuf)), STORE_OK, "upgrade: open to write");
	is_int((int)n, 1, "upgrade: one entry converted");
	is_str(look(st, xl, "192.0.2.1"), "192.0.2.1",
	    "upgrade: the approval's entry is an exemption");
	is_str(look(st, LIST_WHITE, "192.0.2.1"), "none",
	    "upgrade: ... and no longer white");
	is_str(walk(st, LIST_WHITE, 0), "192.0.2.2 192.0.2.3 192.0.2.4",
	    "upgrade: the other white entries stay");
	is_int(audit_has(st, "del", "white", "192.0.2.1",
	    "request 1: converted to a delisting exemption"), 1,
	    "upgrade: the move has its audit record");
	ok(add(st, LIST_WHITE, "192.0.2.1", 0, 0, 0, "delisting request 1",
	    NULL) == STORE_OK, "upgrade: a white entry of the request again");
	store_close(st);
	p = dbpath("exempt");
	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	free(p);
	ok(st != NULL, "upgrade: open again");
	if (st == NULL)
		return;
	is_int(store_exempt_open(st, 1, "test", &xl, &n, errbuf,
	    sizeof(errbuf)), STORE_OK, "upgrade: the exempt list again");
	is_int((int)n, 0, "upgrade: converts only once");
	is_str(look(st, LIST_WHITE, "192.0.2.1"), "192.0.2.1",
	    "upgrade: a later white entry (--whitelist) stays");
	store_close(st);
}

/*
 * Put a record (k of klen bytes, v of vlen) straight into table name of
 * the closed database dir with LMDB's own API, as a damaged file or
 * another program might; with k NULL, count the table's records into
 * *count instead.
 */
static int
raw_table(const char *dir, const char *name, const void *k, size_t klen,
    const void *v, size_t vlen, size_t *count)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_stat ms;
	MDB_val kv, vv;
	int rc;

	kv.mv_size = klen;
	kv.mv_data = (void *)k;
	vv.mv_size = vlen;
	vv.mv_data = (void *)v;
	if (mdb_env_create(&env) != 0)
		return -1;
	(void)mdb_env_set_maxdbs(env, 16);
	if ((rc = mdb_env_open(env, dir, 0, 0640)) == 0 &&
	    (rc = mdb_txn_begin(env, NULL, 0, &txn)) == 0) {
		if ((rc = mdb_dbi_open(txn, name, 0, &dbi)) == 0 &&
		    (rc = k != NULL ? mdb_put(txn, dbi, &kv, &vv, 0) :
		    mdb_stat(txn, dbi, &ms)) == 0)
			rc = mdb_txn_commit(txn);
		else
			mdb_txn_abort(txn);
	}
	mdb_env_close(env);
	if (rc != 0)
		printf("# raw_table %s: %s\n", name, mdb_strerror(rc));
	else if (k == NULL)
		*count = ms.ms_entries;
	return rc == 0 ? 0 : -1;
}

static int
raw_put(const char *dir, const char *name, const char *k, const char *v)
{
	return raw_table(dir, name, k, strlen(k), v, strlen(v), NULL);
}

/* Each walk stops with an error at a corrupt record, and says where. */
static void
test_walk_corrupt(void)
{
	struct store *st;
	char *p = dbpath("corrupt");
	int n = 0;

	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	ok(st != NULL && add(st, LIST_BLACK, "192.0.2.1", 0, 0, 0, "r",
	    NULL) == STORE_OK, "corrupt: a database with an entry");
	if (st != NULL)
		store_close(st);
	ok(raw_put(p, "black", "x", "y") == 0 &&
	    raw_put(p, "audit", "abc", "y") == 0 &&
	    raw_put(p, "cache", "4abcd", "y") == 0 &&
	    raw_put(p, "requests", "abc", "y") == 0,
	    "corrupt: a bad record in each table");
	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	if (!ok(st != NULL, "corrupt: opens all the same")) {
		printf("# %s\n", errbuf);
		free(p);
		return;
	}
	is_str(walk(st, LIST_BLACK, 0), "error", "corrupt: list walk fails");
	is_str(errbuf, "corrupt entry in black", "corrupt: list walk says so");
	{
		struct walk w;
		size_t skipped = 0;

		memset(&w, 0, sizeof(w));
		ok(store_walk(st, LIST_BLACK, walk_cb, &w, &skipped, errbuf,
		    sizeof(errbuf)) == STORE_OK && skipped == 1 &&
		    strcmp(w.text, "192.0.2.1") == 0,
		    "corrupt: a walk that skips gives the rest (%s), 1 skipped",
		    w.text);
	}
	is_int(audit(st), -1, "corrupt: audit walk fails");
	is_str(errbuf, "corrupt key in audit", "corrupt: audit walk says so");
	is_str(cwalk(st, 0), "error", "corrupt: cache walk fails");
	is_str(errbuf, "corrupt verdict in cache",
	    "corrupt: cache walk says so");
	is_int(store_request_walk(st, count_req, &n, errbuf, sizeof(errbuf)),
	    STORE_ERROR, "corrupt: request walk fails");
	is_str(errbuf, "corrupt request in requests",
	    "corrupt: request walk says so");
	is_str(walk(st, LIST_WHITE, 0), "", "corrupt: the other list walks");
	store_close(st);
	free(p);
}

/*
 * A purge drops what it cannot read instead of stopping at it every
 * time: a cached verdict too short to hold its expiry, an expiry record
 * too short to name an entry, and a due one whose entry key is none.
 * What it can read it purges as ever.
 */
static void
test_purge_corrupt(void)
{
	/* too short, but first; due at 1970-01-01T00:00:01 with no key */
	static const uint8_t shortrec[] = { 0, 0 };
	static const uint8_t due[] = { 0, 0, 0, 0, 0, 0, 0, 1, 0, 'x', 'y' };
	struct store *st;
	char *p = dbpath("purge_corrupt");
	size_t n = 99, purged = 99;

	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	ok(st != NULL && add(st, LIST_BLACK, "192.0.2.1", 0, 0, now - 10, "r",
	    NULL) == STORE_OK && add(st, LIST_BLACK, "192.0.2.2", 0, 0,
	    now + 3600, "r", NULL) == STORE_OK,
	    "purge corrupt: an expired entry and a live one");
	if (st != NULL)
		store_close(st);
	ok(raw_put(p, "cache", "4abcd", "y") == 0 &&
	    raw_table(p, "expiry", shortrec, sizeof(shortrec), "", 0,
	    NULL) == 0 &&
	    raw_table(p, "expiry", due, sizeof(due), "", 0, NULL) == 0 &&
	    raw_table(p, "expiry", NULL, 0, NULL, 0, &n) == 0 && n == 4,
	    "purge corrupt: a short verdict, two bad expiry records");
	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	if (!ok(st != NULL, "purge corrupt: opens all the same")) {
		printf("# %s\n", errbuf);
		free(p);
		return;
	}
	is_int(store_purge(st, now, "purge", &purged, errbuf,
	    sizeof(errbuf)), STORE_OK, "purge corrupt: purge");
	is_int(purged, 1, "purge corrupt: the expired entry purged");
	is_str(walk(st, LIST_BLACK, 0), "192.0.2.2",
	    "purge corrupt: the live entry kept");
	is_str(cwalk(st, 0), "", "purge corrupt: the short verdict gone");
	store_close(st);
	ok(raw_table(p, "expiry", NULL, 0, NULL, 0, &n) == 0 && n == 1,
	    "purge corrupt: only the live entry's expiry record left");
	free(p);
}

/* An iterator over a NULL-terminated array of entries; -1 at "fail". */
struct arr {
	const struct store_entry *v;
	size_t i, n, fail;
};

/* store_replace's duplicates, one line each: "SEQ after FIRST: TEXT". */
static char dup_seen[256];

static void
dup_note(void *arg, size_t seq, size_t first, const char *text)
{
	size_t n = strlen(dup_seen);

	(void)arg;
	snprintf(dup_seen + n, sizeof(dup_seen) - n, "%zu after %zu: %s\n",
	    seq, first, text);
}

static int
arr_next(void *arg, struct store_entry *e)
{
	struct arr *a = arg;

	if (a->fail > 0 && a->i == a->fail)
		return -1;
	if (a->i == a->n)
		return 0;
	*e = a->v[a->i++];
	return 1;
}

/*
 * store_replace of list l by the n entries at v, by "feed"; the count and
 * the duplicates.
 */
static enum store_rc
replace_dups(struct store *st, unsigned l, const struct store_entry *v,
    size_t n, size_t *count, size_t *dups)
{
	struct arr a;
	enum store_rc rc;

	memset(&a, 0, sizeof(a));
	a.v = v;
	a.n = n;
	rc = store_replace(st, l, arr_next, NULL, &a, "feed", "feed.txt",
	    count, dups, errbuf, sizeof(errbuf));
	if (rc != STORE_OK)
		printf("# replace: %s\n", errbuf);
	return rc;
}

/* The same, the count only. */
static enum store_rc
replace_with(struct store *st, unsigned l, const struct store_entry *v,
    size_t n, size_t *count)
{
	size_t dups;

	return replace_dups(st, l, v, n, count, &dups);
}

/* A new database NAME of MB megabytes with the domain list "dl", or NULL. */
static struct store *
open_dl(const char *name, size_t mb, unsigned *dl, const char *what)
{
	struct store *st;
	char *p = dbpath(name);

	st = store_open(p, mb * MB, 0, errbuf, sizeof(errbuf));
	free(p);
	if (!ok(st != NULL && store_list_open(st, "dl", LIST_KIND_DOMAIN, 1,
	    dl, errbuf, sizeof(errbuf)) == STORE_OK, "%s", what)) {
		store_close(st);
		return NULL;
	}
	return st;
}

/*
 * import --replace: the list becomes the iterator's entries, all in one
 * commit; the first of two equal prefixes stays; an error changes
 * nothing; lookups see the new prefix lengths.
 */
static void
test_replace(void)
{
	struct store *st;
	struct store_entry nv[5], e;
	struct arr a;
	size_t count = 0, dups = 0, purged = 0;
	unsigned spam;
	char *p = dbpath("replace");
	int replaced;

	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	free(p);
	ok(st != NULL, "replace: open");
	if (st == NULL)
		return;
	(void)store_list_open(st, "spam", LIST_KIND_IP, 1, &spam, errbuf,
	    sizeof(errbuf));
	e = mk("192.0.2.0/24", 0, 0, 0, "t", "old range");
	(void)store_add(st, spam, &e, &replaced, errbuf, sizeof(errbuf));
	e = mk("192.0.2.9", 0, 0, now + 100, "t", "old, expiring");
	(void)store_add(st, spam, &e, &replaced, errbuf, sizeof(errbuf));
	e = mk("203.0.113.1", 0, 0, 0, "t", "black, not spam");
	(void)store_add(st, LIST_BLACK, &e, &replaced, errbuf,
	    sizeof(errbuf));

	nv[0] = mk("198.51.100.0/23", 0, 0x7f000003, 0, "t", "new /23");
	nv[1] = mk("192.0.2.9", 0, 0x7f000004, 0, "t", "kept, first");
	nv[2] = mk("192.0.2.9", 0, 0x7f000005, 0, "t", "dup, second");
	nv[3] = mk("2001:db8::/33", 0, 0, now - 1, "t", "already gone");
	nv[4] = mk("10.0.0.0/8", ENTRY_EXCLUDE, 0, 0, "t", "");

	memset(&a, 0, sizeof(a));
	a.v = nv;
	a.n = 5;
	a.fail = 4;
	is_int(store_replace(st, spam, arr_next, NULL, &a, "t", "bad.txt",
	    &count, &dups, errbuf, sizeof(errbuf)), STORE_ERROR,
	    "replace: an iterator error fails it");
	is_str(in_list(st, spam, "192.0.2.77"), "listed 127.0.0.0",
	    "replace: after the error the old list is whole");

	memset(&a, 0, sizeof(a));
	a.v = nv;
	a.n = 5;
	dup_seen[0] = '\0';
	is_int(store_replace(st, spam, arr_next, dup_note, &a, "t", "feed.txt",
	    &count, &dups, errbuf, sizeof(errbuf)), STORE_OK, "replace: done");
	is_int((int)count, 4, "replace: 4 entries now");
	is_int((int)dups, 1, "replace: one duplicate");
	is_str(dup_seen, "2 after 1: 192.0.2.9\n",
	    "replace: the duplicate told, with the first one's place");
	is_str(in_list(st, spam, "192.0.2.77"), "not listed",
	    "replace: an entry absent from the file is gone");
	is_str(in_list(st, spam, "198.51.101.255"), "listed 127.0.0.3",
	    "replace: a new /23 (a new prefix length) answers");
	is_str(in_list(st, spam, "192.0.2.9"), "listed 127.0.0.4",
	    "replace: the first of two lines stays");
	is_str(in_list(st, LIST_BLACK, "203.0.113.1"), "listed 127.0.0.0",
	    "replace: other lists are untouched");
	is_int(store_purge(st, now + 200, "t", &purged, errbuf,
	    sizeof(errbuf)), STORE_OK,
	    "replace: a purge after it (stale expiry records)");
	is_str(in_list(st, spam, "192.0.2.9"), "listed 127.0.0.4",
	    "replace: the replaced entry's old expiry does not purge it");
	is_int((int)purged, 1, "replace: the expired new entry is purged");
	store_close(st);
}

/*
 * Count the records of table name of the closed database dir whose key
 * begins with the plen bytes of prefix into *n, and of them those whose
 * value is a reference to a shared value (1 to 3 bytes) into *nref.
 */
static int
raw_count(const char *dir, const char *name, const char *prefix,
    size_t plen, size_t *n, size_t *nref)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_cursor *mc;
	MDB_dbi dbi;
	MDB_val k, v;
	int rc;

	*n = *nref = 0;
	if (mdb_env_create(&env) != 0)
		return -1;
	(void)mdb_env_set_maxdbs(env, 16);
	if ((rc = mdb_env_open(env, dir, MDB_RDONLY, 0640)) == 0 &&
	    (rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) == 0) {
		if ((rc = mdb_dbi_open(txn, name, 0, &dbi)) == 0 &&
		    (rc = mdb_cursor_open(txn, dbi, &mc)) == 0) {
			while ((rc = mdb_cursor_get(mc, &k, &v,
			    MDB_NEXT)) == 0)
				if (k.mv_size >= plen &&
				    memcmp(k.mv_data, prefix, plen) == 0) {
					(*n)++;
					*nref += v.mv_size <= 3;
				}
			mdb_cursor_close(mc);
		}
		mdb_txn_abort(txn);
	}
	mdb_env_close(env);
	if (rc != MDB_NOTFOUND)
		printf("# raw_count %s: %s\n", name, mdb_strerror(rc));
	return rc == MDB_NOTFOUND ? 0 : -1;
}

/*
 * A replace that changes more entries than the journal takes one by one
 * says "an import" (the whole list); one entry fewer, each.
 */
static void
test_replace_many(void)
{
	struct store *st;
	struct store_entry *nv;
	char *p = dbpath("many"), cidr[32];
	size_t i, n = 16385, count = 0;
	uint32_t s0 = 0, s1 = 0;

	st = store_open(p, 64 * MB, 0, errbuf, sizeof(errbuf));
	free(p);
	if (!ok(st != NULL && store_serial_conf(st, "z.test", 1, 100, &s0,
	    errbuf, sizeof(errbuf)) == STORE_OK, "many: open"))
		return;
	nv = xreallocarray(NULL, n, sizeof(*nv));
	for (i = 0; i < n; i++) {
		snprintf(cidr, sizeof(cidr), "10.%zu.%zu.%zu", i >> 16,
		    i >> 8 & 255, i & 255);
		nv[i] = mk(cidr, 0, 0, 0, "feed", "many");
	}
	ok(replace_with(st, LIST_BLACK, nv, n, &count) == STORE_OK &&
	    count == n, "many: a replace adding 16385 entries");
	is_str(since(st, "z.test", s0, &s1), "0 import unknown",
	    "many: ... journals an import");
	is_int((int)(s1 - s0), 1, "many: ... the serial one up");
	s0 = s1;
	ok(replace_with(st, LIST_BLACK, nv + 1, n - 1, &count) == STORE_OK &&
	    count == n - 1, "many: a replace deleting one of them");
	is_str(since(st, "z.test", s0, &s1), "0 10.0.0.0 had many",
	    "many: ... journals that entry");
	store_close(st);
	free(nv);
}

/* A name and its code per entry of a walk of a domain list. */
static int
names_cb(void *arg, const struct store_entry *e)
{
	char *out = arg;
	size_t len = strlen(out);

	snprintf(out + len, 8192 - len, "%.*s=%u ", (int)e->dname_len,
	    e->dname, e->code & 0xff);
	return 0;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A replace sorts keys of up to 7 bytes and longer ones into LMDB's order
 * (a key before the longer ones it begins), a run of more than 32 long
 * keys alike in their first bytes included, and of equal keys, short or
 * long, or many of one long key, keeps the first line.
 */
static void
test_replace_keys(void)
{
	static char out[8192], want[8192];
	struct store *st;
	struct store_entry nv[80];
	char names[48][32], *sorted[48];
	size_t n = 0, i, count = 0, dups = 0;
	unsigned dl;

	if ((st = open_dl("keys", 16, &dl, "keys: open")) == NULL)
		return;
#define NAME(s, c)	do {						\
	nv[n] = mk("192.0.2.1", 0, 0x7f000000 | (c), 0, "t", "keys");	\
	nv[n].dname = (s);						\
	nv[n].dname_len = strlen(s);					\
	n++;								\
} while (0)
	for (i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "abcdef-%zu.example",
		    (i * 17) % 40);
		NAME(names[i], 2 + i % 2);
		sorted[i] = names[i];
	}
	NAME("ab.com", 4);		/* a whole 7-byte key */
	NAME("ab.comx", 5);		/* 8 bytes, begun by the one before */
	NAME("ab.co", 6);
	NAME("abcdef-5.example", 9);	/* equal long keys */
	NAME("ab.com", 9);		/* equal short keys */
	for (i = 0; i < 20; i++)	/* many of one long key */
		NAME("zz-long-name.example", i == 0 ? 7 : 9);
#undef NAME
	is_int(replace_dups(st, dl, nv, n, &count, &dups), STORE_OK,
	    "keys: the replace");
	ok(count == 44 && dups == 21, "keys: 44 entries, 21 duplicates "
	    "(%zu, %zu)", count, dups);
	qsort(sorted, 40, sizeof(*sorted), str_cmp);
	strcpy(want, "ab.co=6 ab.com=4 ab.comx=5 ");
	for (i = 0; i < 40; i++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
		    "%s=%d ", sorted[i], 2 + (int)((strtoul(sorted[i] + 7,
		    NULL, 10) * 33) % 40) % 2);
	strcat(want, "zz-long-name.example=7 ");
	out[0] = '\0';
	ok(store_walk(st, dl, names_cb, out, NULL, errbuf, sizeof(errbuf)) ==
	    STORE_OK, "keys: walk");
	is_str(out, want, "keys: in order, the first of equal keys kept");
	store_close(st);
}

/* A walk of a domain list: in order, and the entries not of code 2. */
struct order {
	char	 last[STORE_DNAME_MAX + 1];
	size_t	 n, bad, other;
};

static int
order_cb(void *arg, const struct store_entry *e)
{
	struct order *o = arg;
	char name[STORE_DNAME_MAX + 1];

	snprintf(name, sizeof(name), "%.*s", (int)e->dname_len, e->dname);
	if (o->n++ > 0 && strcmp(o->last, name) >= 0)
		o->bad++;
	str_copy(o->last, name, sizeof(o->last));
	o->other += (e->code & 0xff) != 2;
	return 0;
}

/*
 * A replace of many records, keys short and long, in a scrambled order,
 * 200 of them repeated later with another code: the sort puts them in
 * LMDB's order and the first line of a key counts.
 */
static void
test_replace_split(void)
{
	struct store *st;
	struct store_entry *nv;
	struct order o;
	char (*names)[32];
	size_t i, j, n = 140000, d = 200, count = 0, dups = 0, first = 0;
	unsigned dl;
	enum store_rc rc;

	if ((st = open_dl("split", 64, &dl, "split: open")) == NULL)
		return;
	nv = xreallocarray(NULL, n + d, sizeof(*nv));
	names = xreallocarray(NULL, n + d, sizeof(*names));
	for (i = 0; i < n + d; i++) {
		/*
		 * a bijection of 2^25: distinct and scrambled, 10/8 and
		 * 11/8 each more than k8_sort sorts whole (65,536), so that
		 * each is spread again
		 */
		j = i < n ? i : (i - n) * 349 % n;
		j = (j * 40503) & 0x1ffffff;
		snprintf(names[i], sizeof(names[i]), "%zu.%zu.%zu.%zu",
		    10 + (j >> 24), j >> 16 & 255, j >> 8 & 255, j & 255);
		nv[i] = mk(names[i], 0, 0x7f000000 | (i < n ? 2 : 9), 0, "t",
		    "split");
	}
	ok(replace_with(st, LIST_BLACK, nv, n + d, &count) == STORE_OK &&
	    count == n, "split: 140,000 IPv4 entries and 200 repeated");
	for (i = n; i < n + d; i++)
		first += strcmp(in_list(st, LIST_BLACK, names[i]),
		    "listed 127.0.0.2") == 0;
	is_int((int)first, (int)d, "split: the first line of each counts");
	for (i = 0; i < n + d; i++) {
		j = i < n ? i : (i - n) * 349 % n;
		snprintf(names[i], sizeof(names[i]), "h%06zu.example",
		    j * 40503 % 1000000);
		nv[i].dname = names[i];
		nv[i].dname_len = strlen(names[i]);
	}
	is_int(replace_dups(st, dl, nv, n + d, &count, &dups), STORE_OK,
	    "split: 140,000 names and 200 repeated");
	memset(&o, 0, sizeof(o));
	rc = store_walk(st, dl, order_cb, &o, NULL, errbuf, sizeof(errbuf));
	ok(rc == STORE_OK && o.n == n && o.bad == 0 && dups == d &&
	    o.other == 0, "split: the names in order, the first line of each "
	    "counts (%zu, %zu out of order, %zu dups, %zu of another code)",
	    o.n, o.bad, dups, o.other);
	/* two keys, each in more lines than are sorted whole */
	for (i = 0; i < n; i++)
		nv[i] = mk(i % 2 ? "198.51.100.7" : "192.0.2.7", 0,
		    0x7f000000 | (i < 2 ? 2 : 9), 0, "t", "split");
	ok(replace_dups(st, LIST_BLACK, nv, n, &count, &dups) == STORE_OK &&
	    count == 2 && dups == n - 2, "split: 140,000 lines of two "
	    "addresses");
	ok(strcmp(in_list(st, LIST_BLACK, "192.0.2.7"), "listed 127.0.0.2") ==
	    0 && strcmp(in_list(st, LIST_BLACK, "198.51.100.7"),
	    "listed 127.0.0.2") == 0, "split: the first line of each counts");
	store_close(st);
	free(nv);
	free(names);
}

/* look(), and the code and reason found, as "PREFIX CODE REASON". */
static const char *
look_all(struct store *st, unsigned l, const char *s)
{
	static char out[ADDR_STRLEN + 16 + sizeof(last.reason)];
	const char *p = look(st, l, s);

	snprintf(out, sizeof(out), "%s %u %s", p, last.code, last.reason);
	return out;
}

/*
 * A replace stores a value that more than one of its entries has once,
 * and the entries refer to it; a value of one entry stays in it, as do
 * the entries added by hand (the format every older database has). Both
 * read back alike, through a lookup and a walk; the next replace takes
 * the old shared values away, and journals each entry it changes; a
 * reference to no shared value is corrupt.
 */
static void
test_replace_shared(void)
{
	struct store *st;
	struct store_entry nv[5];
	size_t count = 0, n = 0, nref = 0, i;
	char *p = dbpath("shared");
	const uint8_t badkey[] = { 4, 192, 0, 2, 99, 32 };
	struct addr a1;
	uint32_t s0 = 0, s1 = 0;
	int rc;

	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "shared: open");
	if (st == NULL) {
		free(p);
		return;
	}
	nv[0] = mk("192.0.2.1", 0, 0x7f000002, 0, "feed", "listed");
	nv[1] = mk("192.0.2.2", 0, 0x7f000002, 0, "feed", "listed");
	nv[2] = mk("198.51.100.0/24", 0, 0x7f000002, 0, "feed", "listed");
	nv[3] = mk("192.0.2.3", 0, 0x7f00000a, 0, "feed", "its own");
	nv[4] = mk("198.51.100.7", ENTRY_EXCLUDE, 0, 0, "feed", "");
	is_int(replace_with(st, LIST_BLACK, nv, 5, &count), STORE_OK,
	    "shared: replace");
	ok(add(st, LIST_BLACK, "203.0.113.5", 0, 0x7f000003, 0, "by hand",
	    NULL) == STORE_OK, "shared: an entry added by hand");
	store_close(st);
	rc = raw_count(p, "black", "", 0, &n, &nref);
	ok(rc == 0 && n == 6 && nref == 3, "shared: 3 of 6 entries refer "
	    "to a shared value (%zu of %zu)", nref, n);
	rc = raw_count(p, "meta", "val:", 4, &n, &nref);
	ok(rc == 0 && n == 1, "shared: which is stored once (%zu)", n);

	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	if (!ok(st != NULL, "shared: open again")) {
		free(p);
		return;
	}
	is_str(look_all(st, LIST_BLACK, "192.0.2.2"),
	    "192.0.2.2 2130706434 listed", "shared: a referring entry");
	is_str(last.actor, "feed", "shared: ... its actor");
	is_str(look_all(st, LIST_BLACK, "198.51.100.9"),
	    "198.51.100.0/24 2130706434 listed", "shared: another");
	is_str(look_all(st, LIST_BLACK, "192.0.2.3"),
	    "192.0.2.3 2130706442 its own", "shared: an entry of its own value");
	is_str(look_all(st, LIST_BLACK, "203.0.113.5"),
	    "203.0.113.5 2130706435 by hand", "shared: the entry added by hand");
	is_str(look(st, LIST_BLACK, "198.51.100.7"), "198.51.100.7",
	    "shared: the exclusion");
	ok(last.flags & ENTRY_EXCLUDE, "shared: ... keeps its flag");
	is_str(walk(st, LIST_BLACK, 0), "192.0.2.1 192.0.2.2 192.0.2.3 "
	    "198.51.100.0/24 !198.51.100.7 203.0.113.5",
	    "shared: a walk reads both kinds");
	/* the journal keeps a referring entry's old value in full */
	a1 = ip("192.0.2.2");
	ok(store_serial_conf(st, "z.test", 1, 100, &s0, errbuf,
	    sizeof(errbuf)) == STORE_OK && store_del(st, LIST_BLACK, &a1,
	    "alice", errbuf, sizeof(errbuf)) == STORE_OK,
	    "shared: a referring entry deleted");
	is_str(since(st, "z.test", s0, &s1), "0 192.0.2.2 had listed",
	    "shared: the journal has its old value");

	nv[0] = mk("192.0.2.1", 0, 0x7f000004, 0, "feed", "again");
	nv[1] = mk("192.0.2.2", 0, 0x7f000004, 0, "feed", "again");
	nv[2] = mk("192.0.2.3", 0, 0x7f000005, 0, "feed", "other");
	nv[3] = mk("192.0.2.4", 0, 0x7f000005, 0, "feed", "other");
	nv[4] = mk("192.0.2.5", 0, 0x7f000005, 0, "feed", "other");
	is_int(replace_with(st, LIST_BLACK, nv, 5, &count), STORE_OK,
	    "shared: a second replace");
	is_str(look_all(st, LIST_BLACK, "192.0.2.1"),
	    "192.0.2.1 2130706436 again", "shared: its new values");
	is_str(look_all(st, LIST_BLACK, "192.0.2.4"),
	    "192.0.2.4 2130706437 other", "shared: ... both");
	is_str(walk(st, LIST_BLACK, 0), "192.0.2.1 192.0.2.2 192.0.2.3 "
	    "192.0.2.4 192.0.2.5", "shared: its entries alone");
	is_str(since(st, "z.test", s0, &s1), "0 192.0.2.2 had listed; "
	    "0 192.0.2.1 had listed; 0 192.0.2.2 absent; "
	    "0 192.0.2.3 had its own; 0 192.0.2.4 absent; "
	    "0 192.0.2.5 absent; 0 198.51.100.0/24 had listed; "
	    "0 198.51.100.7 had ; 0 203.0.113.5 had by hand",
	    "shared: the old value still read after the next replace "
	    "numbered the shared values anew; the replace journals each "
	    "entry it changes");
	s0 = s1;
	nv[0] = mk("192.0.2.1", 0, 0x7f000004, 0, "other feed", "again");
	nv[1] = mk("192.0.2.2", 0, 0x7f000004, 0, "other feed", "again");
	ok(replace_with(st, LIST_BLACK, nv, 5, &count) == STORE_OK &&
	    count == 5, "shared: the same entries again, two by another "
	    "actor");
	is_str(since(st, "z.test", s0, &s1), "current",
	    "shared: ... change nothing the zone answers: no journal record, "
	    "the same serial");
	for (i = 0; i < 5; i++)
		nv[i].reason = "third";
	ok(replace_with(st, LIST_BLACK, nv, 5, &count) == STORE_OK,
	    "shared: entries of two old values, all given one new one");
	is_str(since(st, "z.test", s0, &s1), "0 192.0.2.1 had again; "
	    "0 192.0.2.2 had again; 0 192.0.2.3 had other; "
	    "0 192.0.2.4 had other; 0 192.0.2.5 had other",
	    "shared: ... each of them journaled, also those whose old and new "
	    "values are those of the entry before");
	store_close(st);
	rc = raw_count(p, "meta", "val:", 4, &n, &nref);
	ok(rc == 0 && n == 2, "shared: the old shared value went, the two "
	    "new are there (%zu)", n);

	ok(raw_table(p, "black", badkey, sizeof(badkey), "\x07", 1,
	    NULL) == 0, "shared: a reference to no shared value");
	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	free(p);
	if (!ok(st != NULL, "shared: opens all the same"))
		return;
	is_str(walk(st, LIST_BLACK, 0), "error", "shared: a walk fails");
	is_str(errbuf, "corrupt entry in black", "shared: ... and says so");
	is_str(look(st, LIST_BLACK, "192.0.2.99"), "error",
	    "shared: so does its lookup");
	is_str(look(st, LIST_BLACK, "192.0.2.2"), "192.0.2.2",
	    "shared: the other entries answer");
	store_close(st);
}

int
main(void)
{
	struct store *st;
	char *p;

	plan(495);
	now = time(NULL);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}

	test_open();
	test_named_lists();
	test_replace();
	test_replace_shared();
	test_replace_keys();
	test_replace_split();
	test_replace_many();
	test_cache_keys();
	test_cache_old();

	p = dbpath("main");
	st = store_open(p, 16 * MB, 0, errbuf, sizeof(errbuf));
	ok(st != NULL, "open %s", p);
	if (st == NULL) {
		printf("# %s\n", errbuf);
		return done();
	}
	test_lists(st);
	test_walk_purge(st);
	test_audit(st);
	test_purge_step(st);
	test_snapshot(st);
	test_cache(st);
	store_close(st);
	test_reopen(p);
	free(p);

	test_bulk();
	test_index();
	test_index6_random();
	test_expiry_old();
	test_since();
	test_full();
	test_cache_bound();
	test_requests();
	test_verify();
	test_exempt_upgrade();
	test_walk_corrupt();
	test_purge_corrupt();

	if (nftw(tmpdir, rm_cb, 16, FTW_DEPTH | FTW_PHYS) == -1)
		perror(tmpdir);
	return done();
}
