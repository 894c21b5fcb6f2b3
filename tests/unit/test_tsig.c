/* SPDX-License-Identifier: ISC */
/*
 * test_tsig.c -- TSIG (RFC 8945): a query signed by BIND's dig verifies;
 * the MACs of an answer, of the next message of a transfer and of a
 * request equal the ones Python's hmac module computed from RFC 8945's
 * rules; the errors.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "tsig.h"
#include "util.h"
#include "../tap.h"

#define SECRET	"4B/dh417sdOWi9RxfOE3I3bbX3RKUhXVDpGqBhe3O2Y="
#define T0	1796461108ULL	/* the time dig signed at */

/*
 * "bl.test SOA", signed by dig 9.18 (-y hmac-sha256:xfr-key:SECRET,
 * +noedns +nocookie), as it went out.
 */
static const char dig_query[] =
    "5e2c0120000100000000000102626c04746573740000060001077866722d6b6579"
    "0000fa00ff00000000003d0b686d61632d736861323536000000"
    "6b13d234012c0020501fe1c0af5f60768541ebd075f91a4c3323676b333046dd05"
    "fb5152ce6011745e2c00000000";
#define DIG_TSIG_OFF	25

/* The MACs Python's hmac computed (see the names). */
static const char mac_answer[] =	/* answer at T0 + 5 */
    "092dbcc8d785ab9ece13ecdb35229a4c579b58d952a7654f9fa606f79060166e";
static const char mac_next[] =		/* the next message at T0 + 6 */
    "3a50f595d0a8a55f5b302ebf2cae600010102f072420b57d4aa8a21932c2047a";
static const char mac_request[] =	/* a request, id 0x0102, at T0 + 5 */
    "e0aa71379e4f426ee9da94c24c13022eb59d70feddf4f08ba13a2b2ea00d8615";

static size_t
unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned v;

	while (s[0] != '\0' && s[1] != '\0' && sscanf(s, "%2x", &v) == 1) {
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static void
key_init(struct conf_key *k, const char *name, enum conf_key_alg alg,
    const char *secret, uint8_t *raw)
{
	int n = base64_decode(secret, raw, 64);

	memset(k, 0, sizeof(*k));
	k->name = (char *)(uintptr_t)name;
	k->algorithm = alg;
	k->raw = raw;
	k->raw_len = n > 0 ? (size_t)n : 0;
}

/* The MAC of the TSIG record that ends msg (len bytes), as hex. */
static const char *
mac_of(const uint8_t *msg, size_t len, size_t tsig_off, char *hex)
{
	/* owner "xfr-key" (9), type..rdlen (10), algorithm (13), time,
	 * fudge (8), then the MAC's size */
	size_t o = tsig_off + 9 + 10 + 13 + 8, n, i;

	hex[0] = '\0';
	if (o + 2 > len)
		return hex;
	n = (size_t)(msg[o] << 8 | msg[o + 1]);
	for (i = 0; i < n && o + 2 + i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", msg[o + 2 + i]);
	return hex;
}

/* The TSIG error field of the record at tsig_off. */
static int
error_of(const uint8_t *msg, size_t tsig_off)
{
	size_t o = tsig_off + 9 + 10 + 13 + 8;
	size_t n = (size_t)(msg[o] << 8 | msg[o + 1]);

	o += 2 + n + 2;
	return msg[o] << 8 | msg[o + 1];
}

int
main(void)
{
	uint8_t q[512], m[2048], c[2048], raw[4][64];
	struct conf_key keys[4];
	struct tsig t, cl;
	char hex[2 * TSIG_MACMAX + 1];
	size_t qlen, n, base;

	plan(36);
	key_init(&keys[0], "other-key", KEY_HMAC_SHA256, SECRET, raw[0]);
	key_init(&keys[1], "xfr-key", KEY_HMAC_SHA256, SECRET, raw[1]);
	qlen = unhex(dig_query, q);
	is_int(qlen, 105, "dig's query decoded");

	/* --- a query signed by dig ------------------------------------- */
	is_int(tsig_verify(keys, 2, q, qlen, 0, (time_t)T0, &t), TSIG_NONE,
	    "no TSIG record: TSIG_NONE");
	is_int(tsig_verify(keys, 2, q, qlen, DIG_TSIG_OFF, (time_t)T0, &t),
	    TSIG_OK, "dig's signed query verifies");
	ok(t.key == &keys[1], "... with the key of its name");
	is_int(t.mac_len, 32, "... its MAC kept to sign the answer with");
	is_int(tsig_verify(keys, 2, q, qlen, DIG_TSIG_OFF,
	    (time_t)T0 - 300, &t), TSIG_OK, "300 s early is in the fudge");
	is_int(tsig_verify(keys, 2, q, qlen, DIG_TSIG_OFF,
	    (time_t)T0 + 301, &t), TSIG_ERROR, "301 s late: an error");
	is_int(t.error, TSIG_BADTIME, "... BADTIME");
	is_int(tsig_verify(keys, 1, q, qlen, DIG_TSIG_OFF, (time_t)T0, &t),
	    TSIG_ERROR, "a key of another name only: an error");
	is_int(t.error, TSIG_BADKEY, "... BADKEY");
	key_init(&keys[2], "xfr-key", KEY_HMAC_SHA512, SECRET, raw[2]);
	is_int(tsig_verify(&keys[2], 1, q, qlen, DIG_TSIG_OFF, (time_t)T0,
	    &t) == TSIG_ERROR && t.error == TSIG_BADKEY, 1,
	    "the name with another algorithm: BADKEY");
	key_init(&keys[3], "xfr-key", KEY_HMAC_SHA256,
	    "kNFO4piTAnwfo54BRN2uwx1e9kxHx1OwlydfDYJlKgE=", raw[3]);
	is_int(tsig_verify(&keys[3], 1, q, qlen, DIG_TSIG_OFF, (time_t)T0,
	    &t) == TSIG_ERROR && t.error == TSIG_BADSIG, 1,
	    "another secret: BADSIG");
	memcpy(m, q, qlen);
	m[14] ^= 0x20;			/* "bL.test" */
	is_int(tsig_verify(keys, 2, m, qlen, DIG_TSIG_OFF, (time_t)T0,
	    &t) == TSIG_ERROR && t.error == TSIG_BADSIG, 1,
	    "a changed question: BADSIG");
	is_int(tsig_verify(keys, 2, q, qlen - 1, DIG_TSIG_OFF, (time_t)T0,
	    &t), TSIG_MALFORMED, "a record cut short: malformed");
	memcpy(m, q, qlen);
	m[DIG_TSIG_OFF + 9 + 10 + 13 + 8 + 1] = 8;	/* MAC size 8 */
	is_int(tsig_verify(keys, 2, m, qlen, DIG_TSIG_OFF, (time_t)T0, &t),
	    TSIG_MALFORMED, "a MAC size below 10 bytes: malformed");

	/* --- the answer, then the next message of a transfer ------------ */
	(void)tsig_verify(keys, 2, q, qlen, DIG_TSIG_OFF, (time_t)T0, &t);
	memcpy(m, q, DIG_TSIG_OFF);
	m[2] = 0x85;			/* QR, AA, RD */
	m[3] = 0x00;
	m[11] = 0;			/* ARCOUNT */
	n = tsig_sign(&t, m, DIG_TSIG_OFF, sizeof(m), (time_t)(T0 + 5));
	is_int(n, DIG_TSIG_OFF + 9 + 10 + 13 + 16 + 32, "the answer signed");
	is_int(m[11], 1, "... ARCOUNT counts the TSIG record");
	is_str(mac_of(m, n, DIG_TSIG_OFF, hex), mac_answer,
	    "... its MAC over the request's MAC, the answer, the variables");
	is_int(m[n - 6] << 8 | m[n - 5], 0x5e2c, "... original ID the query's");
	m[11] = 0;
	n = tsig_sign(&t, m, DIG_TSIG_OFF, sizeof(m), (time_t)(T0 + 6));
	is_str(mac_of(m, n, DIG_TSIG_OFF, hex), mac_next,
	    "the next message: the prior MAC, the message, the timers only");
	is_int(tsig_sign(&t, m, DIG_TSIG_OFF, DIG_TSIG_OFF + 40,
	    (time_t)T0), 0, "no room for the record: 0");

	/* --- a request (NOTIFY), its answer checked --------------------- */
	memcpy(c, q, DIG_TSIG_OFF);
	c[0] = 0x01;
	c[1] = 0x02;
	c[2] = 0x24;			/* NOTIFY, AA */
	c[3] = 0x00;
	c[11] = 0;
	tsig_request(&cl, &keys[1]);
	n = tsig_sign(&cl, c, DIG_TSIG_OFF, sizeof(c), (time_t)(T0 + 5));
	is_str(mac_of(c, n, DIG_TSIG_OFF, hex), mac_request,
	    "a request: its MAC over the message and the variables");
	is_int(tsig_verify(keys, 2, c, n, DIG_TSIG_OFF, (time_t)(T0 + 6),
	    &t), TSIG_OK, "... and it verifies as a query");
	memcpy(m, c, DIG_TSIG_OFF);
	m[2] |= 0x80;
	m[11] = 0;
	n = tsig_sign(&t, m, DIG_TSIG_OFF, sizeof(m), (time_t)(T0 + 6));
	is_int(tsig_verify_answer(&cl, m, n, (time_t)(T0 + 6)), TSIG_OK,
	    "the signed answer to the request verifies");
	ok(cl.mac_len == 32 && memcmp(cl.mac, t.mac, 32) == 0,
	    "... its MAC kept to chain from");
	tsig_request(&cl, &keys[1]);
	(void)tsig_sign(&cl, c, DIG_TSIG_OFF, sizeof(c), (time_t)(T0 + 5));
	m[n - 10] ^= 1;			/* a byte of the MAC */
	is_int(tsig_verify_answer(&cl, m, n, (time_t)(T0 + 6)), TSIG_ERROR,
	    "an answer with a changed MAC: an error");
	is_int(cl.error, TSIG_BADSIG, "... BADSIG");
	m[11] = 0;
	is_int(tsig_verify_answer(&cl, m, DIG_TSIG_OFF, (time_t)(T0 + 6)),
	    TSIG_NONE, "an unsigned answer: TSIG_NONE");

	/* --- error answers ---------------------------------------------- */
	(void)tsig_verify(&keys[3], 1, q, qlen, DIG_TSIG_OFF, (time_t)T0, &t);
	memcpy(m, q, qlen);
	m[2] = 0x81;
	n = tsig_error_answer(&t, m, DIG_TSIG_OFF, sizeof(m), (time_t)T0);
	is_int(m[3] & 0xf, RCODE_NOTAUTH, "BADSIG: NOTAUTH");
	is_int(n, DIG_TSIG_OFF + 9 + 10 + 13 + 16, "... a record without a MAC");
	is_int(error_of(m, DIG_TSIG_OFF), TSIG_BADSIG, "... whose error is BADSIG");
	is_int(m[7] | m[9], 0, "... and no other record");
	(void)tsig_verify(keys, 2, q, qlen, DIG_TSIG_OFF, (time_t)T0 + 400,
	    &t);
	memcpy(m, q, qlen);
	base = DIG_TSIG_OFF;
	n = tsig_error_answer(&t, m, base, sizeof(m), (time_t)T0 + 400);
	is_int(n, base + 9 + 10 + 13 + 16 + 32 + 6,
	    "BADTIME: signed, the server's time in other data");
	is_int(error_of(m, base), TSIG_BADTIME, "... whose error is BADTIME");

	/* --- the other hashes ------------------------------------------- */
	key_init(&keys[0], "xfr-key", KEY_HMAC_SHA1, SECRET, raw[0]);
	tsig_request(&cl, &keys[0]);
	memcpy(c, q, DIG_TSIG_OFF);
	c[11] = 0;
	n = tsig_sign(&cl, c, DIG_TSIG_OFF, sizeof(c), (time_t)T0);
	is_int(tsig_verify(keys, 1, c, n, DIG_TSIG_OFF, (time_t)T0, &t) ==
	    TSIG_OK && t.mac_len == 20, 1, "hmac-sha1: 20 bytes, verifies");
	tsig_request(&cl, &keys[2]);
	memcpy(c, q, DIG_TSIG_OFF);
	c[11] = 0;
	n = tsig_sign(&cl, c, DIG_TSIG_OFF, sizeof(c), (time_t)T0);
	is_int(tsig_verify(&keys[2], 1, c, n, DIG_TSIG_OFF, (time_t)T0,
	    &t) == TSIG_OK && t.mac_len == 64, 1,
	    "hmac-sha512: 64 bytes, verifies");
	return done();
}
