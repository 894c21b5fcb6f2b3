/* SPDX-License-Identifier: ISC */
/*
 * test_delist.c -- the delisting decision (delist.h): what a new
 * request becomes, a reviewer's decision, the white list entry of an
 * approval and when every MX sees it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delist.h"
#include "conf.h"
#include "store_queue.h"
#include "../tap.h"

static const char conftext[] =
    "server:\n"
    "  database: /nonexistent\n"
    "zone:\n"
    "  name: bl.test\n"
    "  type: dnsbl\n"
    "  ttl: 300\n"
    "zone:\n"
    "  name: wl.test\n"
    "  type: dnswl\n"
    "  negative-ttl: 900\n"
    "http:\n"
    "  listen: 127.0.0.1@8053\n"
    "  self-delist: 1d\n"
    "  self-delist-cooldown: 30d\n";

static struct conf *
load(const char *text)
{
	int nerr = 0;

	return conf_load_string("t.conf", text, NULL, NULL, &nerr);
}

/* The reason of delist_grant's entry for r. */
static const char *
white_reason(const struct store_request *r, struct store_entry *w)
{
	static struct delist_grant dw;

	memset(w, 0, sizeof(*w));
	delist_grant(&dw, r, w);
	return w->reason_len < sizeof(dw.reason) &&
	    w->reason[w->reason_len] == '\0' ? w->reason : "(not a string)";
}

int
main(void)
{
	struct conf *conf, *noself;
	struct store_request r;
	struct store_entry w;
	time_t now = 1800000000;
	char big[STORE_NOTE_MAX + 1];

	plan(37);
	conf = load(conftext);
	noself = load("server:\n  database: /nonexistent\nzone:\n"
	    "  name: bl.test\n  type: dnsbl\n  ttl: 600\n");
	ok(conf != NULL && noself != NULL, "configurations load");
	if (conf == NULL || noself == NULL)
		return done();
	is_int(delist_delay(conf), 900,
	    "delay: the largest of the dnsbl ttl and the dnswl negative-ttl");
	is_int(delist_delay(noself), 600, "delay: a dnsbl zone's ttl");
	noself->http.mta_cache = 300;
	is_int(delist_delay(noself), 900, "delay: plus mta-cache:");
	noself->http.mta_cache = 0;

	memset(&r, 0, sizeof(r));
	is_int(delist_submit(conf, &r, 0, 0, now), REQ_RESOLVED,
	    "submit: no longer listed: resolved");
	ok(r.created == now && r.decided == now && r.visible == now + 900,
	    "submit: resolved at once, every MX sees it after the delay");
	memset(&r, 0, sizeof(r));
	is_int(delist_submit(conf, &r, 1, 0, now), REQ_APPROVED,
	    "submit: listed, self-delist on, never used: approved");
	ok((r.flags & REQ_SELF) && strcmp(r.actor, "self-service") == 0,
	    "submit: by self-service");
	is_int(r.expires - now, 86400, "submit: for self-delist:");
	memset(&r, 0, sizeof(r));
	is_int(delist_submit(conf, &r, 1, now - 86400, now), REQ_PENDING,
	    "submit: self-delisted a day ago: pending (cooldown)");
	ok(r.decided == 0 && r.visible == 0 && r.actor[0] == '\0',
	    "submit: a pending request is not decided");
	memset(&r, 0, sizeof(r));
	is_int(delist_submit(conf, &r, 1, now - 30 * 86400, now),
	    REQ_APPROVED, "submit: after the cooldown: self-service again");
	memset(&r, 0, sizeof(r));
	is_int(delist_submit(noself, &r, 1, 0, now), REQ_PENDING,
	    "submit: self-delist off: pending");
	memset(&r, 0, sizeof(r));
	r.flags = REQ_UNCHECKED;
	is_int(delist_submit(conf, &r, 1, 0, now), REQ_PENDING,
	    "submit: the checks could not run: pending, not self-service");
	ok(r.decided == 0 && !(r.flags & REQ_SELF) && r.expires == 0,
	    "submit: ... undecided, no whitelist entry");
	memset(&r, 0, sizeof(r));
	r.flags = REQ_UNCHECKED;
	is_int(delist_submit(conf, &r, 0, 0, now), REQ_PENDING,
	    "submit: the checks could not run, nothing else lists it: "
	    "pending, not resolved");
	memset(&r, 0, sizeof(r));
	r.flags = REQ_MANUAL;
	is_int(delist_submit(conf, &r, 1, 0, now), REQ_PENDING,
	    "submit: listed by hand or an imported list: pending, never "
	    "self-service");
	ok(r.decided == 0 && !(r.flags & REQ_SELF) && r.expires == 0,
	    "submit: ... undecided, no exemption");

	memset(&r, 0, sizeof(r));
	r.id = 7;
	r.status = REQ_APPROVED;
	delist_review(conf, &r, REQ_APPROVED, "alice", "customer relay",
	    3600, 0, now);
	ok(r.decided == now && r.visible == now + 900 &&
	    r.expires == now + 3600, "review: approved, expiring in an hour");
	ok(!(r.flags & REQ_WHITE), "review: an exemption, not a white entry");
	is_str(r.actor, "alice", "review: by the reviewer");
	is_str(white_reason(&r, &w), "delisting request 7: customer relay",
	    "white: the reason names the request and the note");
	ok(w.added == now && w.expires == now + 3600 &&
	    addr_equal(&w.prefix, &r.addr), "white: when and for how long");
	ok(!(w.flags & ENTRY_SELF),
	    "white: a reviewer's exemption is not marked self-service");
	ok(w.actor_len == 5 && memcmp(w.actor, "alice", 5) == 0,
	    "white: by the reviewer");
	delist_review(conf, &r, REQ_APPROVED, "alice", NULL, 0, 1, now);
	is_int(r.expires, 0, "review: no --expires: never");
	ok(r.flags & REQ_WHITE, "review: --whitelist: a white entry");
	is_str(white_reason(&r, &w), "delisting request 7",
	    "white: without a note, no colon");
	delist_review(conf, &r, REQ_DENIED, "bob", "open relay", 3600, 0,
	    now);
	ok(r.expires == 0 && strcmp(r.note, "open relay") == 0,
	    "review: a denial has no white entry and keeps the reason");

	memset(&r, 0, sizeof(r));
	r.id = 8;
	delist_submit(conf, &r, 1, 0, now);
	is_str(white_reason(&r, &w), "delisting request 8: self-service",
	    "white: a self-service removal says so");
	ok(w.added == now && w.expires == now + 86400,
	    "white: self-service for self-delist:");
	is_int(w.actor_len, strlen("self-service"), "white: by self-service");
	ok(w.flags & ENTRY_SELF,
	    "white: a self-service exemption is marked (computed checks only)");

	memset(&r, 0, sizeof(r));
	r.id = 18446744073709551615ULL;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	delist_review(conf, &r, REQ_APPROVED, "alice", big, 0, 0, now);
	white_reason(&r, &w);
	is_int(w.reason_len, STORE_REASON_MAX,
	    "white: the longest note is cut to what an entry holds");
	ok(strncmp(w.reason, "delisting request 18446744073709551615: xx",
	    42) == 0, "white: ... keeping the request's id");
	memset(big, 'a', sizeof(big) - 1);
	delist_review(conf, &r, REQ_APPROVED, big, NULL, 0, 0, now);
	white_reason(&r, &w);
	ok(w.actor_len < STORE_ACTOR_MAX, "white: the actor fits an entry");
	ok(w.actor_len == strlen(r.actor), "white: the actor as kept");

	conf_free(conf);
	conf_free(noself);
	return done();
}
