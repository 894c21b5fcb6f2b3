/* SPDX-License-Identifier: ISC */
/*
 * test_page.c -- the HTML of the delisting pages: escaping of every
 * string that does not come from page.c (user input, database text, PTR
 * names and rules from the DNS), the page frame, the advice per reason.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "page.h"
#include "addr.h"
#include "conf.h"
#include "decide.h"
#include "store_queue.h"
#include "util.h"
#include "zone.h"
#include "../tap.h"

#define EVIL	"<script>alert('x')</script>&\"q\""
#define EVIL_ESC \
    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;q&quot;"

/* The buffer's text, NUL-terminated (caller frees); empties b. */
static char *
take(struct evbuffer *b)
{
	size_t n = evbuffer_get_length(b);
	char *s = xmalloc(n + 1);

	evbuffer_remove(b, s, n);
	s[n] = '\0';
	return s;
}

static int
has(const char *s, const char *what)
{
	return strstr(s, what) != NULL;
}

int
main(void)
{
	struct evbuffer *b = evbuffer_new();
	struct store_request r;
	struct conf_zone cz;
	struct zone z;
	struct verdict v;
	struct addr a;
	char *s;

	plan(27);
	page_esc(b, EVIL);
	s = take(b);
	is_str(s, EVIL_ESC, "esc: & < > \" ' escaped");
	free(s);
	page_esc(b, "a\x01" "b\nc\td\re");
	s = take(b);
	is_str(s, "a&#9217;b\nc\td\re", "esc: a control character shown as "
	    "its picture, tab and line ends kept");
	free(s);

	page_begin(b, EVIL);
	page_end(b);
	s = take(b);
	ok(has(s, "<title>" EVIL_ESC "</title>"), "frame: title escaped");
	ok(has(s, "name=\"viewport\""), "frame: viewport for phones");
	ok(!has(s, "<script") && !has(s, "src=") && !has(s, "<link"),
	    "frame: no script, nothing loaded from elsewhere");
	free(s);

	page_lookup_form(b, EVIL);
	s = take(b);
	ok(has(s, "value=\"" EVIL_ESC "\""), "lookup form: value escaped");
	free(s);

	/* A zone listing for "unconfirmed" with hostile DNS text. */
	memset(&cz, 0, sizeof(cz));
	cz.name = "bl.example";
	cz.type = ZONE_DNSBL;
	memset(&z, 0, sizeof(z));
	z.conf = &cz;
	addr_from_v4(&a, 0xc000020f);
	memset(&v, 0, sizeof(v));
	v.listed = 1;
	v.reason = REASON_UNCONFIRMED;
	v.code = 0x7f000004;
	v.have_check = 1;
	str_copy(v.check.detail, "the PTR name " EVIL " does not resolve",
	    sizeof(v.check.detail));
	str_copy(v.check.names, EVIL, sizeof(v.check.names));
	is_int(page_zone(b, &z, &v, &a, 1), 1, "zone: listed says so");
	s = take(b);
	ok(has(s, "Listed (127.0.0.4)"), "zone: the code");
	ok(has(s, "the PTR name " EVIL_ESC " does not resolve"),
	    "zone: the detail escaped");
	ok(has(s, "PTR name: " EVIL_ESC), "zone: the PTR names escaped");
	ok(!has(s, "<script"), "zone: nothing raw");
	ok(has(s, "Add 192.0.2.15 to the address (A or AAAA) records"),
	    "zone: unconfirmed advice");
	free(s);
	v.check.checked = 1;
	is_int(page_zone(b, &z, &v, &a, 0), 1, "zone, no detail: listed");
	s = take(b);
	ok(has(s, "Listed (127.0.0.4)") && has(s, "Checked "),
	    "zone, no detail: the code and when it was checked");
	ok(!has(s, EVIL_ESC) && !has(s, "PTR name:"),
	    "zone, no detail: neither the check's detail nor the PTR names");
	free(s);
	v.check.checked = 0;

	v.reason = REASON_DYNAMIC;
	str_copy(v.check.rule, EVIL, sizeof(v.check.rule));
	(void)page_zone(b, &z, &v, &a, 1);
	s = take(b);
	ok(has(s, "rule <code>" EVIL_ESC "</code>"), "zone: the rule escaped");
	ok(has(s, "dynamic or end-user"), "zone: dynamic advice");
	free(s);

	memset(&v, 0, sizeof(v));
	v.listed = 1;
	v.reason = REASON_BLACKLIST;
	v.code = 0x7f000002;
	v.have_entry = 1;
	v.entry.prefix = a;
	v.entry.reason = EVIL;
	v.entry.reason_len = strlen(EVIL);
	(void)page_zone(b, &z, &v, &a, 1);
	s = take(b);
	ok(has(s, ": " EVIL_ESC ".</p>"), "zone: the entry's reason escaped");
	free(s);
	v.entry.reason = "see /$ for $$5";
	v.entry.reason_len = strlen(v.entry.reason);
	(void)page_zone(b, &z, &v, &a, 1);
	s = take(b);
	ok(has(s, ": see /192.0.2.15 for $5.</p>"),
	    "zone: the entry's $ is the address, $$ a dollar");
	free(s);

	memset(&v, 0, sizeof(v));
	is_int(page_zone(b, &z, &v, &a, 1), 0, "zone: not listed says so");
	free(take(b));

	memset(&r, 0, sizeof(r));
	r.id = 7;
	r.status = REQ_DENIED;
	r.addr = a;
	r.created = r.decided = 1795000000;
	str_copy(r.email, EVIL, sizeof(r.email));
	str_copy(r.text, EVIL, sizeof(r.text));
	str_copy(r.reason, EVIL, sizeof(r.reason));
	str_copy(r.note, EVIL, sizeof(r.note));
	page_request(b, &r);
	s = take(b);
	ok(has(s, "Denied on"), "request: denied");
	ok(has(s, "<span id=\"note\">" EVIL_ESC "</span>"),
	    "request: the deny reason escaped");
	ok(has(s, "<dd class=\"desc\">" EVIL_ESC "</dd>"),
	    "request: the description escaped");
	ok(!has(s, "<script"), "request: nothing raw (e-mail, listing too)");
	free(s);

	page_delist_form(b, &a, 0);
	s = take(b);
	ok(has(s, "name=\"ip\" value=\"192.0.2.15\""), "form: the address");
	ok(!has(s, "link to confirm"), "form: no link without verify-email");
	free(s);
	page_delist_form(b, &a, 1);
	s = take(b);
	ok(has(s, "A link to confirm the request goes to your e-mail "
	    "address"), "form: with verify-email, the link is announced");
	free(s);
	evbuffer_free(b);
	return done();
}
