/* SPDX-License-Identifier: ISC */
/*
 * page.c -- the HTML of the delisting pages.
 *
 * Plain HTML5 with a few lines of inline CSS: no scripts, no fonts, no
 * images, nothing fetched from elsewhere. Text from users, from the
 * database and from the DNS (PTR names) is escaped on the way in.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>

#include "page.h"
#include "addr.h"
#include "conf.h"
#include "decide.h"
#include "reason.h"
#include "store_list.h"
#include "store_queue.h"
#include "util.h"
#include "verdict.h"
#include "zone.h"

static const char css[] =
    "body{font-family:system-ui,sans-serif;max-width:42rem;margin:0 auto;"
    "padding:1rem;line-height:1.5;color:#222;background:#fff;"
    "overflow-wrap:anywhere}dd{margin-left:1rem}"
    "h1{font-size:1.5rem}h2{font-size:1.15rem;margin-bottom:.25rem}"
    "section{border-top:1px solid #ccc;padding:.25rem 0}"
    ".listed{color:#a00;font-weight:bold}.ok{color:#060;font-weight:bold}"
    ".advice{background:#f4f4f4;padding:.5rem}"
    "label{display:block;margin-top:.75rem}"
    "input,textarea,button{font-size:1rem;width:100%;box-sizing:border-box;"
    "padding:.4rem}button{width:auto;margin-top:.75rem}"
    ".hp{position:absolute;left:-10000px}"
    ".desc{white-space:pre-wrap;background:#f4f4f4;padding:.5rem}"
    "dt{font-weight:bold}code{word-break:break-all}";

void
page_esc(struct evbuffer *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *rep = NULL;
		char num[8];

		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' &&
			    *s != '\t' && *s != '\r') {
				snprintf(num, sizeof(num), "&#%d;",
				    0x2400 + *s);	/* a control picture */
				rep = num;
			}
		}
		if (rep == NULL)
			continue;
		evbuffer_add(b, run, (size_t)(s - run));
		evbuffer_add(b, rep, strlen(rep));
		run = s + 1;
	}
	evbuffer_add(b, run, (size_t)(s - run));
}

void
page_raw(struct evbuffer *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)evbuffer_add_vprintf(b, fmt, ap);	/* fails only on ENOMEM */
	va_end(ap);
}

void
page_begin(struct evbuffer *b, const char *title)
{
	page_raw(b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">"
	    "<meta name=\"robots\" content=\"noindex\">"
	    "<title>");
	page_esc(b, title);
	page_raw(b, "</title><style>%s</style></head>\n<body><main>\n<h1>",
	    css);
	page_esc(b, title);
	page_raw(b, "</h1>\n");
}

void
page_end(struct evbuffer *b)
{
	page_raw(b, "</main>\n<footer><p><a href=\"/\">Look up another "
	    "address</a></p></footer>\n</body></html>\n");
}

void
page_message(struct evbuffer *b, const char *title, const char *text)
{
	page_begin(b, title);
	page_raw(b, "<p id=\"message\">");
	page_esc(b, text);
	page_raw(b, "</p>\n");
	page_end(b);
}

void
page_lookup_form(struct evbuffer *b, const char *value)
{
	page_raw(b, "<form method=\"get\" action=\"/lookup\">"
	    "<label for=\"ip\">IPv4 or IPv6 address</label>"
	    "<input id=\"ip\" name=\"ip\" required maxlength=\"45\" "
	    "inputmode=\"text\" autocomplete=\"off\" value=\"");
	if (value != NULL)
		page_esc(b, value);
	page_raw(b, "\"><button type=\"submit\">Look up</button></form>\n");
}

static void
time_text(struct evbuffer *b, int64_t t)
{
	char buf[32];

	format_time((time_t)t, buf, sizeof(buf));
	page_raw(b, "<time>%s</time>", buf);
}

/* What the owner can do, per reason (the address is a's text). */
static void
advice(struct evbuffer *b, enum reason r, const char *ip)
{
	page_raw(b, "<p class=\"advice\">");
	switch (r) {
	case REASON_NO_PTR:
		page_raw(b, "Ask whoever runs the network of ");
		page_esc(b, ip);
		page_raw(b, " (your hosting or access provider) to set a "
		    "reverse DNS (PTR) record for ");
		page_esc(b, ip);
		page_raw(b, " naming the host, such as mail.example.com, "
		    "and make that name's address record point back to ");
		page_esc(b, ip);
		page_raw(b, ". Then send the form below: the checks run again "
		    "at once, and an address that passes is delisted without "
		    "waiting for anybody.");
		break;
	case REASON_UNCONFIRMED:
		page_raw(b, "Add ");
		page_esc(b, ip);
		page_raw(b, " to the address (A or AAAA) records of the PTR "
		    "name, or have the PTR record changed to a name that "
		    "resolves to ");
		page_esc(b, ip);
		page_raw(b, ". Then send the form below: the checks run again "
		    "at once, and an address that passes is delisted without "
		    "waiting for anybody.");
		break;
	case REASON_DYNAMIC:
		page_raw(b, "Names of this shape are given to dynamic or "
		    "end-user addresses. A mail server should have a name of "
		    "its own, such as mail.example.com: ask your provider for "
		    "one, or use the form below to tell us what the host is "
		    "and an administrator will review it.");
		break;
	default:
		page_raw(b, "An administrator listed this address. Use the "
		    "form below to say what the host is and why it should "
		    "not be listed; an administrator will review it.");
		break;
	}
	page_raw(b, "</p>\n");
}

/* The computed verdict, in plain words; what DNS said if detail. */
static void
check_text(struct evbuffer *b, const struct verdict *v, int detail)
{
	const struct check_result *c = &v->check;

	if (!detail) {
		page_raw(b, "<p class=\"detail\">Checked ");
		time_text(b, c->checked);
		page_raw(b, ".</p>\n");
		return;
	}
	page_raw(b, "<p class=\"detail\">");
	page_esc(b, c->detail);
	page_raw(b, ".");
	if (c->names[0] != '\0') {
		page_raw(b, " PTR name%s: ", strchr(c->names, ',') ? "s" : "");
		page_esc(b, c->names);
		page_raw(b, ".");
	}
	if (v->reason == REASON_DYNAMIC && c->rule[0] != '\0') {
		page_raw(b, " The name matched the rule <code>");
		page_esc(b, c->rule);
		page_raw(b, "</code>.");
	}
	page_raw(b, " Checked ");
	time_text(b, c->checked);
	page_raw(b, ".</p>\n");
}

/* An entry, its reason with "$" the address IP (decide_entry_text). */
static void
entry_text(struct evbuffer *b, const struct store_entry *e, const char *ip)
{
	char p[ADDR_STRLEN], reason[STORE_NOTE_MAX + 1];
	size_t n = decide_entry_text(e, ip, reason, sizeof(reason));

	page_raw(b, "<p class=\"entry\">Entry ");
	page_esc(b, addr_format(&e->prefix, p, sizeof(p)));
	page_raw(b, " since ");
	time_text(b, e->added);
	if (e->expires != 0) {
		page_raw(b, ", until ");
		time_text(b, e->expires);
	}
	if (n > 0) {
		page_raw(b, ": ");
		page_esc(b, reason);
	}
	page_raw(b, ".</p>\n");
}

int
page_zone(struct evbuffer *b, const struct zone *z, const struct verdict *v,
    const struct addr *a, int detail)
{
	const struct conf_zone *cz = z->conf;
	char ip[ADDR_STRLEN];

	addr_format(a, ip, sizeof(ip));
	page_raw(b, "<section class=\"zone\"><h2>");
	page_esc(b, cz->name);
	page_raw(b, " <small>(%s)</small></h2>\n",
	    cz->type == ZONE_DNSWL ? "whitelist" : "blocklist");
	if (v->test_point) {
		page_raw(b, "<p class=\"status\">An RFC 5782 test address: "
		    "%s.</p></section>\n", v->listed ? "always listed" :
		    "never listed");
		return 0;
	}
	if (cz->type == ZONE_DNSWL) {
		if (v->listed) {
			page_raw(b, "<p class=\"status ok\">Whitelisted."
			    "</p>\n");
			if (v->have_entry)
				entry_text(b, &v->entry, ip);
		} else
			page_raw(b, "<p class=\"status\">Not whitelisted."
			    "</p>\n");
		page_raw(b, "</section>\n");
		return 0;
	}
	if (v->white) {
		page_raw(b, "<p class=\"status ok\">Not listed: the address "
		    "is whitelisted.</p></section>\n");
		return 0;
	}
	if (v->exempt) {
		page_raw(b, "<p class=\"status ok\" id=\"exempt\">Not "
		    "listed: the address has a delisting exemption (it is not "
		    "whitelisted).</p>\n");
		entry_text(b, &v->entry, ip);
		page_raw(b, "</section>\n");
		return 0;
	}
	if (!v->listed) {
		if (v->unknown)
			page_raw(b, "<p class=\"status ok\">Not listed: the "
			    "checks could not be completed just now (a "
			    "temporary DNS failure), which never lists an "
			    "address.</p>\n");
		else
			page_raw(b, "<p class=\"status ok\">Not listed.</p>\n");
		if (v->have_check && !v->unknown)
			check_text(b, v, detail);
		page_raw(b, "</section>\n");
		return 0;
	}
	page_raw(b, "<p class=\"status listed\">Listed (%u.%u.%u.%u): ",
	    v->code >> 24, (v->code >> 16) & 0xff, (v->code >> 8) & 0xff,
	    v->code & 0xff);
	page_esc(b, reason_get(v->reason)->text);
	page_raw(b, ".</p>\n");
	if (v->reason == REASON_BLACKLIST && v->have_entry)
		entry_text(b, &v->entry, ip);
	else if (v->have_check)
		check_text(b, v, detail);
	advice(b, v->reason, ip);
	page_raw(b, "</section>\n");
	return 1;
}

void
page_delist_form(struct evbuffer *b, const struct addr *a, int verify)
{
	char ip[ADDR_STRLEN];

	addr_format(a, ip, sizeof(ip));
	page_raw(b, "<section><h2>Ask for delisting</h2>\n"
	    "<form method=\"post\" action=\"/delist\">"
	    "<input type=\"hidden\" name=\"ip\" value=\"");
	page_esc(b, ip);
	page_raw(b, "\"><label for=\"email\">Your e-mail address (%s)"
	    "</label>"
	    "<input id=\"email\" name=\"email\" type=\"email\" required "
	    "maxlength=\"%d\" autocomplete=\"email\">"
	    "<label for=\"description\">What the host is and does (who "
	    "runs it, what mail it sends)</label>"
	    "<textarea id=\"description\" name=\"description\" rows=\"5\" "
	    "required maxlength=\"%d\"></textarea>"
	    "<div class=\"hp\" aria-hidden=\"true\"><label for=\"website\">"
	    "Leave this empty</label><input id=\"website\" name=\"website\" "
	    "tabindex=\"-1\" autocomplete=\"off\"></div>"
	    "<button id=\"submit\" type=\"submit\">Ask for delisting</button>"
	    "</form>\n<p>%sThe checks run again when you %s. If the "
	    "address passes them now it is delisted at once; otherwise an "
	    "administrator reviews the request, and you get a page that "
	    "shows where it stands. A listing by an administrator or by an "
	    "imported list is always reviewed by a person.</p></section>\n",
	    verify ? "a link to confirm the request goes there" :
	    "for questions about the request", STORE_EMAIL_MAX,
	    STORE_TEXT_MAX, verify ? "A link to confirm the request goes to "
	    "your e-mail address; nothing happens until you follow it. " : "",
	    verify ? "confirm" : "send the form");
}

void
page_request(struct evbuffer *b, const struct store_request *r)
{
	char ip[ADDR_STRLEN];

	addr_format(&r->addr, ip, sizeof(ip));
	page_raw(b, "<p id=\"status\" class=\"status %s\">",
	    r->status == REQ_PENDING ? "" : r->status == REQ_DENIED ?
	    "listed" : "ok");
	switch (r->status) {
	case REQ_PENDING:
		page_raw(b, "Pending: waiting for review since ");
		time_text(b, r->created);
		page_raw(b, ". This page shows the decision once it is "
		    "made.");
		if (r->flags & REQ_UNCHECKED)
			page_raw(b, " The checks could not run when it was "
			    "sent (a DNS lookup failed or took too long), so "
			    "an administrator decides it.");
		if (r->flags & REQ_MANUAL)
			page_raw(b, " The address is listed by an "
			    "administrator or by an imported list, not only "
			    "by the automatic checks; such a listing is never "
			    "removed by self-service, so an administrator "
			    "decides it.");
		break;
	case REQ_APPROVED:
	case REQ_RESOLVED:
		page_raw(b, "%s on ", r->status == REQ_RESOLVED ?
		    "Resolved: the address passes the checks now, checked" :
		    (r->flags & REQ_SELF) ? "Approved by self-service" :
		    "Approved");
		time_text(b, r->decided);
		page_raw(b, ". Every mail server that uses this list sees it "
		    "by ");
		time_text(b, r->visible);
		page_raw(b, " at the latest, when the last cached answer "
		    "expires.");
		if (r->status == REQ_APPROVED)
			page_raw(b, (r->flags & REQ_WHITE) ? " The address "
			    "is whitelisted." : " The address is exempted "
			    "from the blocklists (it is not whitelisted).");
		if (r->flags & REQ_UNBLOCKED)
			page_raw(b, " Its blocklist entry was removed.");
		if (r->expires != 0) {
			page_raw(b, (r->flags & REQ_WHITE) ? " The whitelist "
			    "entry ends on " : " The exemption ends on ");
			time_text(b, r->expires);
			page_raw(b, ".");
		}
		break;
	case REQ_DENIED:
		page_raw(b, "Denied on ");
		time_text(b, r->decided);
		page_raw(b, ".");
		break;
	}
	page_raw(b, "</p>\n");
	if (r->note[0] != '\0') {
		page_raw(b, "<p>%s: <span id=\"note\">",
		    r->status == REQ_DENIED ? "Reason" : "Note");
		page_esc(b, r->note);
		page_raw(b, "</span></p>\n");
	}
	page_raw(b, "<dl><dt>Request</dt><dd>%llu</dd><dt>Address</dt><dd>"
	    "<a href=\"/lookup?ip=", (unsigned long long)r->id);
	page_esc(b, ip);
	page_raw(b, "\">");
	page_esc(b, ip);
	page_raw(b, "</a></dd><dt>Listed for</dt><dd>");
	page_esc(b, r->reason);
	page_raw(b, "</dd><dt>Submitted</dt><dd>");
	time_text(b, r->created);
	page_raw(b, "</dd><dt>E-mail</dt><dd>");
	page_esc(b, r->email);
	page_raw(b, "</dd><dt>Description</dt><dd class=\"desc\">");
	page_esc(b, r->text);
	page_raw(b, "</dd></dl>\n");
}
