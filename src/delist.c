/* SPDX-License-Identifier: ISC */
/*
 * delist.c -- the delisting decision.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "delist.h"
#include "conf.h"
#include "util.h"

#define SELF_SERVICE	"self-service"

uint32_t
delist_delay(const struct conf *conf)
{
	const struct conf_zone *z;
	uint32_t d = 0, t;
	size_t i;

	for (i = 0; i < conf->nzones; i++) {
		z = &conf->zones[i];
		t = z->type == ZONE_DNSWL ? z->negative_ttl :
		    z->type == ZONE_DNSBL ? z->ttl : 0;
		if (t > d)
			d = t;
	}
	return d + conf->http.mta_cache;
}

enum store_req_status
delist_submit(const struct conf *conf, struct store_request *r, int listed,
    int64_t last_self, time_t now)
{
	const struct conf_http *c = &conf->http;

	r->created = (int64_t)now;
	if (r->flags & REQ_UNCHECKED)
		r->status = REQ_PENDING;
	else if (!listed)
		r->status = REQ_RESOLVED;
	else if (c->self_delist != 0 && !(r->flags & REQ_MANUAL) &&
	    (last_self == 0 ||
	    (int64_t)now - last_self >= (int64_t)c->self_delist_cooldown)) {
		r->status = REQ_APPROVED;
		r->flags |= REQ_SELF;
		str_copy(r->actor, SELF_SERVICE, sizeof(r->actor));
		r->expires = r->created + c->self_delist;
	} else
		r->status = REQ_PENDING;
	if (r->status != REQ_PENDING) {
		r->decided = r->created;
		r->visible = r->decided + delist_delay(conf);
	}
	return (enum store_req_status)r->status;
}

void
delist_review(const struct conf *conf, struct store_request *r,
    enum store_req_status status, const char *actor, const char *note,
    uint64_t expires, int whitelist, time_t now)
{
	r->flags &= ~(uint32_t)REQ_WHITE;
	if (status == REQ_APPROVED && whitelist)
		r->flags |= REQ_WHITE;
	r->decided = (int64_t)now;
	r->visible = r->decided + delist_delay(conf);
	r->expires = status == REQ_APPROVED && expires > 0 ?
	    r->decided + (int64_t)expires : 0;
	str_copy(r->actor, actor, sizeof(r->actor));
	str_copy(r->note, note != NULL ? note : "", sizeof(r->note));
}

void
delist_grant(void *arg, const struct store_request *r, struct store_entry *w)
{
	struct delist_grant *dw = arg;
	const char *text = (r->flags & REQ_SELF) ? SELF_SERVICE : r->note;
	size_t n;

	n = (size_t)snprintf(dw->reason, sizeof(dw->reason),
	    "delisting request %llu%s%s", (unsigned long long)r->id,
	    text[0] != '\0' ? ": " : "", text);
	w->prefix = r->addr;
	if (r->flags & REQ_SELF)
		w->flags |= ENTRY_SELF;
	w->added = r->decided;
	w->expires = r->expires;
	w->actor = r->actor;
	w->actor_len = strnlen(r->actor, STORE_ACTOR_MAX);
	w->reason = dw->reason;
	w->reason_len = n < sizeof(dw->reason) ? n : sizeof(dw->reason) - 1;
}
