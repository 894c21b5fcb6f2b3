/* SPDX-License-Identifier: ISC */
/*
 * test_form.c -- the delisting form's field checks and the rate limiter.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "form.h"
#include "util.h"
#include "../tap.h"

static void
test_email(void)
{
	static const char *const good[] = {
		"postmaster@example.org", "a@b.co", "first.last@mail.example.com",
		"x+tag@example.org", "A_B-9@ex-ample.org",
		"a.b@example.com", "a@b.example.com",
		"x+tag@example.org", "A_B-9@ex-ample.org", "a=b@example.org",
		NULL
	};
	static const char *const bad[] = {
		"", "example.org", "@example.org", "a@", "a@b", "a@.example.org",
		"a@example..org", ".a@example.org", "a.@example.org",
		"a..b@example.org", "a b@example.org", "a@-x.example.org",
		"a@x-.example.org", "<script>@example.org", "a@exa_mple.org",
		"\"a\"@example.org", "a@[192.0.2.1]", "a@example.org.",
		"a@b.-example.com", "a@b.example-.com",
		/* what a shell reads: refused, whatever RFC 5322 allows */
		"`touch${IFS}x`@example.com", "$IFS|x&y@example.com",
		"o'brien@example.ie", "a;b@example.org", "a*@example.org",
		"a?b@example.org", "a/b@example.org", "a!b@example.org",
		"~a@example.org", "a%b@example.org", "a#b@example.org",
		"a{b}@example.org", "a^b@example.org",
		NULL
	};
	char buf[300];
	size_t i;

	for (i = 0; good[i] != NULL; i++)
		ok(form_email_ok(good[i]), "email ok: %s", good[i]);
	for (i = 0; bad[i] != NULL; i++)
		ok(!form_email_ok(bad[i]), "email refused: \"%s\"", bad[i]);
	memset(buf, 'a', 64);
	strcpy(buf + 64, "@example.org");
	ok(form_email_ok(buf), "email ok: 64-byte local part");
	memset(buf, 'a', 65);
	strcpy(buf + 65, "@example.org");
	ok(!form_email_ok(buf), "email refused: 65-byte local part");
	memset(buf, 'a', 252);
	memcpy(buf, "a@", 2);
	for (i = 60; i < 252; i += 60)
		buf[i] = '.';
	strcpy(buf + 252, ".org");
	ok(!form_email_ok(buf), "email refused: over 254 bytes");
	strcpy(buf, "a@");
	memset(buf + 2, 'b', 63);
	strcpy(buf + 65, ".example.org");
	ok(form_email_ok(buf), "email ok: 63-byte domain label");
	memset(buf + 2, 'b', 64);
	strcpy(buf + 66, ".example.org");
	ok(!form_email_ok(buf), "email refused: 64-byte domain label");
}

static void
test_text(void)
{
	char s[16];

	ok(form_text_ok("a relay\r\nfor\tus"), "text: tab, CR, LF ok");
	ok(form_text_ok("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa7"),
	    "text: 2-, 3- and 4-byte UTF-8 ok");
	ok(!form_text_ok("a\x01" "b"), "text: control character refused");
	ok(!form_text_ok("a\x7f"), "text: DEL refused");
	ok(!form_text_ok("a\xff"), "text: 0xff refused");
	ok(!form_text_ok("\xc0\xaf"), "text: overlong refused");
	ok(!form_text_ok("\xe0\x80\xaf"), "text: overlong 3-byte refused");
	ok(!form_text_ok("\xed\xa0\x80"), "text: surrogate refused");
	ok(!form_text_ok("\xf4\x90\x80\x80"), "text: past U+10FFFF refused");
	ok(!form_text_ok("\xc3"), "text: truncated sequence refused");
	/* the one validator (util.h), also used for rdnsblctl's JSON */
	is_int(utf8_len((const unsigned char *)"\xe2\x82\xac", 3), 3,
	    "utf8_len: a 3-byte sequence");
	is_int(utf8_len((const unsigned char *)"\xe2\x82\xac", 2), 0,
	    "utf8_len: cut by the bytes left");
	is_int(utf8_len((const unsigned char *)"a", 1), 1,
	    "utf8_len: ASCII is one byte");
	strcpy(s, "a\r\nb\rc\n");
	form_crlf_to_lf(s);
	is_str(s, "a\nb\nc\n", "crlf: CRLF and CR become LF");
}

static void
test_ratelimit(void)
{
	struct ratelimit *rl = ratelimit_new(64);
	struct addr a, b;
	int i, hits = 0;

	addr_from_v4(&a, 0xc0000201);	/* 192.0.2.1 */
	addr_from_v4(&b, 0xc0000202);

	ok(!ratelimit_hit(rl, &a, 2, 3600, 1000), "limit: 1st of 2");
	ok(!ratelimit_hit(rl, &a, 2, 3600, 1001), "limit: 2nd of 2");
	ok(ratelimit_hit(rl, &a, 2, 3600, 1002), "limit: 3rd refused");
	ok(ratelimit_hit(rl, &a, 2, 3600, 4599), "limit: still in the window");
	ok(!ratelimit_hit(rl, &b, 2, 3600, 1002), "limit: another key counts "
	    "on its own");
	ok(!ratelimit_hit(rl, &a, 2, 3600, 4600), "limit: a new window");
	ratelimit_free(rl);

	/* A flood of keys in a small table forgets, never refuses. */
	rl = ratelimit_new(8);
	for (i = 0; i < 200; i++) {
		addr_from_v4(&a, 0xc6336400U + (uint32_t)i);	/* 198.51.100.i */
		hits += ratelimit_hit(rl, &a, 1, 3600, 1000);
	}
	is_int(hits, 0, "limit: 200 new keys in 8 slots: none refused");
	ratelimit_free(rl);
}

/* The e-mail key: one for a mailbox's case and +tag variants. */
static void
test_email_key(void)
{
	struct addr a, b;

	form_email_key("postmaster@example.net", &a);
	form_email_key("PostMaster+abc@Example.NET", &b);
	ok(addr_equal(&a, &b), "email key: case and +tag are one mailbox");
	form_email_key("postmaster@example.org", &b);
	ok(!addr_equal(&a, &b), "email key: another domain differs");
	form_email_key("postmaste@example.net", &b);
	ok(!addr_equal(&a, &b), "email key: another local part differs");
	form_email_key("a+b@x+y.example", &a);
	form_email_key("a@x+y.example", &b);
	ok(addr_equal(&a, &b), "email key: a + after the @ is kept");
	form_email_key("a@xy.example", &b);
	ok(!addr_equal(&a, &b), "email key: ... and counts");
}

int
main(void)
{
	plan(74);
	test_email();
	test_text();
	test_ratelimit();
	test_email_key();
	return done();
}
