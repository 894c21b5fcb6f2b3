/* SPDX-License-Identifier: ISC */
/*
 * tsig.c -- TSIG signatures (RFC 8945) over messages in wire form, with
 * OpenSSL's HMAC (tsig.h).
 */
#include "config.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "tsig.h"
#include "conf.h"
#include "wire.h"

#define CLASS_ANY_	255

/* A TSIG record as read from a message. */
struct rec {
	uint8_t		 name[WIRE_MAXNAME];	/* lower case */
	size_t		 name_len;
	uint8_t		 alg[WIRE_MAXNAME];
	size_t		 alg_len;
	uint64_t	 time;
	uint16_t	 fudge;
	const uint8_t	*mac;
	uint16_t	 mac_len;
	uint16_t	 orig_id;
	uint16_t	 error;
	uint16_t	 other_len;
	const uint8_t	*other;
};

static void
put48(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 5; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* The digest of an algorithm for OpenSSL, and its output length. */
static const char *
alg_digest(enum conf_key_alg a, size_t *len)
{
	switch (a) {
	case KEY_HMAC_SHA1:
		*len = 20;
		return "SHA1";
	case KEY_HMAC_SHA224:
		*len = 28;
		return "SHA224";
	case KEY_HMAC_SHA256:
		*len = 32;
		return "SHA256";
	case KEY_HMAC_SHA384:
		*len = 48;
		return "SHA384";
	case KEY_HMAC_SHA512:
		break;
	}
	*len = 64;
	return "SHA512";
}

/* Lower-case the labels of a wire name in place. */
static void
name_lower(uint8_t *n, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (n[i] >= 'A' && n[i] <= 'Z')
			n[i] = (uint8_t)(n[i] + 32);
}

/* The canonical wire form of a presentation name; 0 if bad. */
static size_t
name_canon(const char *s, uint8_t *out)
{
	size_t n = wire_name_from_str(s, out, WIRE_MAXNAME);

	name_lower(out, n);
	return n;
}

/*
 * Read the name at *off of pkt (len bytes), compression pointers
 * followed, into out (lower case, uncompressed); *off moves past it.
 * Returns its length, or 0 when it is malformed.
 */
static size_t
name_read(const uint8_t *pkt, size_t len, size_t *off, uint8_t *out)
{
	size_t o = *off, n = 0;
	int jumps = 0, jumped = 0;

	for (;;) {
		uint8_t l;

		if (o >= len)
			return 0;
		l = pkt[o];
		if ((l & 0xc0) == 0xc0) {
			if (o + 1 >= len || ++jumps > WIRE_MAXLABELS)
				return 0;
			if (!jumped)
				*off = o + 2;
			jumped = 1;
			o = (size_t)(l & 0x3f) << 8 | pkt[o + 1];
			continue;
		}
		if (l & 0xc0)
			return 0;
		if (n + 1 + l > WIRE_MAXNAME || o + 1 + l > len)
			return 0;
		memcpy(out + n, pkt + o, 1 + (size_t)l);
		n += 1 + (size_t)l;
		o += 1 + (size_t)l;
		if (l == 0)
			break;
	}
	if (!jumped)
		*off = o;
	name_lower(out, n);
	return n;
}

/* Read the TSIG record at off, which must end the message. */
static int
rec_read(const uint8_t *pkt, size_t len, size_t off, struct rec *r)
{
	size_t rdend, o = off;

	if ((r->name_len = name_read(pkt, len, &o, r->name)) == 0 ||
	    o + 10 > len || wire_get16(pkt + o) != TYPE_TSIG ||
	    wire_get16(pkt + o + 2) != CLASS_ANY_)
		return -1;
	rdend = o + 10 + wire_get16(pkt + o + 8);
	if (rdend != len)
		return -1;
	o += 10;
	/* the algorithm is never compressed (RFC 8945 4.2) */
	if ((r->alg_len = name_read(pkt, rdend, &o, r->alg)) == 0 ||
	    o + 10 > rdend)
		return -1;
	r->time = (uint64_t)wire_get16(pkt + o) << 32 |
	    (uint64_t)wire_get16(pkt + o + 2) << 16 | wire_get16(pkt + o + 4);
	r->fudge = wire_get16(pkt + o + 6);
	r->mac_len = wire_get16(pkt + o + 8);
	o += 10;
	if (o + r->mac_len + 6 > rdend)
		return -1;
	r->mac = pkt + o;
	o += r->mac_len;
	r->orig_id = wire_get16(pkt + o);
	r->error = wire_get16(pkt + o + 2);
	r->other_len = wire_get16(pkt + o + 4);
	o += 6;
	if (o + r->other_len != rdend)
		return -1;
	r->other = pkt + o;
	return 0;
}

/*
 * The HMAC of key over: the prior MAC (its length first) when plen is not
 * 0, the message msg (len bytes) with the ID orig_id and ARCOUNT arcount
 * in its header, and the variables vars (vlen bytes). Returns the MAC's
 * length in out, 0 on a failure of libcrypto.
 */
static size_t
mac_compute(const struct conf_key *key, const uint8_t *prior, size_t plen,
    const uint8_t *msg, size_t len, uint16_t orig_id, uint16_t arcount,
    const uint8_t *vars, size_t vlen, uint8_t *out)
{
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	uint8_t hdr[WIRE_HDRLEN], pl[2];
	size_t dlen, outl = 0;
	const char *digest = alg_digest(key->algorithm, &dlen);

	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return 0;
	if ((ctx = EVP_MAC_CTX_new(mac)) == NULL)
		goto end;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)(uintptr_t)digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	memcpy(hdr, msg, WIRE_HDRLEN);
	wire_put16(hdr, orig_id);
	wire_put16(hdr + 10, arcount);
	wire_put16(pl, (uint16_t)plen);
	if (EVP_MAC_init(ctx, key->raw, key->raw_len, params) != 1 ||
	    (plen > 0 && (EVP_MAC_update(ctx, pl, 2) != 1 ||
	    EVP_MAC_update(ctx, prior, plen) != 1)) ||
	    EVP_MAC_update(ctx, hdr, WIRE_HDRLEN) != 1 ||
	    EVP_MAC_update(ctx, msg + WIRE_HDRLEN, len - WIRE_HDRLEN) != 1 ||
	    EVP_MAC_update(ctx, vars, vlen) != 1 ||
	    EVP_MAC_final(ctx, out, &outl, TSIG_MACMAX) != 1 || outl != dlen)
		outl = 0;
end:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return outl;
}

/*
 * The TSIG variables (RFC 8945 4.3.3) into v: all of them, or the
 * timers alone (4.3.1, a later message of a transfer). Returns the length.
 */
static size_t
vars_put(uint8_t *v, const uint8_t *name, size_t name_len,
    const uint8_t *alg, size_t alg_len, uint64_t time, uint16_t fudge,
    uint16_t error, const uint8_t *other, uint16_t other_len, int timers)
{
	size_t n = 0;

	if (!timers) {
		memcpy(v, name, name_len);
		n = name_len;
		wire_put16(v + n, CLASS_ANY_);
		memset(v + n + 2, 0, 4);	/* TTL */
		n += 6;
		memcpy(v + n, alg, alg_len);
		n += alg_len;
	}
	put48(v + n, time);
	wire_put16(v + n + 6, fudge);
	n += 8;
	if (!timers) {
		wire_put16(v + n, error);
		wire_put16(v + n + 2, other_len);
		memcpy(v + n + 4, other, other_len);
		n += 4 + other_len;
	}
	return n;
}

/* The key of name and algorithm alg (canonical wire forms), or NULL. */
static const struct conf_key *
key_match(const struct conf_key *keys, size_t nkeys, const uint8_t *name,
    size_t name_len, const uint8_t *alg, size_t alg_len)
{
	uint8_t kn[WIRE_MAXNAME], ka[WIRE_MAXNAME];
	size_t i, n;

	for (i = 0; i < nkeys; i++) {
		if (keys[i].name == NULL || keys[i].raw == NULL)
			continue;
		n = name_canon(keys[i].name, kn);
		if (n != name_len || memcmp(kn, name, n) != 0)
			continue;
		n = name_canon(conf_key_alg_name(keys[i].algorithm), ka);
		if (n == alg_len && memcmp(ka, alg, n) == 0)
			return &keys[i];
	}
	return NULL;
}

/*
 * Check the MAC of record r, over pkt up to off, against key with prior
 * (plen bytes, 0: a request); then the time. Returns a TSIG error code.
 */
static uint16_t
rec_check(const struct conf_key *key, const struct rec *r,
    const uint8_t *prior, size_t plen, const uint8_t *pkt, size_t off,
    time_t now)
{
	uint8_t vars[2 * WIRE_MAXNAME + 32 + 65535], mac[TSIG_MACMAX];
	size_t dlen, vlen, mlen;
	uint64_t t = (uint64_t)now;

	(void)alg_digest(key->algorithm, &dlen);
	if (r->mac_len != dlen)
		return r->mac_len < dlen ? TSIG_BADTRUNC : TSIG_BADSIG;
	vlen = vars_put(vars, r->name, r->name_len, r->alg, r->alg_len,
	    r->time, r->fudge, r->error, r->other, r->other_len, 0);
	mlen = mac_compute(key, prior, plen, pkt, off, r->orig_id,
	    (uint16_t)(wire_get16(pkt + 10) - 1), vars, vlen, mac);
	if (mlen != dlen || CRYPTO_memcmp(mac, r->mac, dlen) != 0)
		return TSIG_BADSIG;
	if ((t > r->time ? t - r->time : r->time - t) > r->fudge)
		return TSIG_BADTIME;
	return TSIG_NOERROR;
}

int
tsig_verify(const struct conf_key *keys, size_t nkeys, const uint8_t *pkt,
    size_t len, size_t tsig_off, time_t now, struct tsig *t)
{
	struct rec r;
	size_t dlen;

	memset(t, 0, sizeof(*t));
	if (tsig_off == 0)
		return TSIG_NONE;
	if (tsig_off < WIRE_HDRLEN || tsig_off >= len ||
	    wire_get16(pkt + 10) == 0 ||
	    rec_read(pkt, len, tsig_off, &r) == -1)
		return TSIG_MALFORMED;
	memcpy(t->keyname, r.name, r.name_len);
	t->keyname_len = r.name_len;
	memcpy(t->alg, r.alg, r.alg_len);
	t->alg_len = r.alg_len;
	t->time = r.time;
	t->key = key_match(keys, nkeys, r.name, r.name_len, r.alg, r.alg_len);
	if (t->key == NULL) {
		t->error = TSIG_BADKEY;
		return TSIG_ERROR;
	}
	(void)alg_digest(t->key->algorithm, &dlen);
	/* RFC 8945 5.2.2.1: a MAC longer than the hash, or shorter than
	 * half of it or 10 bytes, is malformed */
	if (r.mac_len > dlen || r.mac_len < 10 || r.mac_len < dlen / 2)
		return TSIG_MALFORMED;
	t->error = rec_check(t->key, &r, NULL, 0, pkt, tsig_off, now);
	if (t->error == TSIG_NOERROR || t->error == TSIG_BADTIME) {
		/* a BADTIME answer is signed over the request's MAC */
		memcpy(t->mac, r.mac, r.mac_len);
		t->mac_len = r.mac_len;
	}
	return t->error == TSIG_NOERROR ? TSIG_OK : TSIG_ERROR;
}

void
tsig_request(struct tsig *t, const struct conf_key *k)
{
	memset(t, 0, sizeof(*t));
	t->key = k;
	t->keyname_len = name_canon(k->name, t->keyname);
	t->alg_len = name_canon(conf_key_alg_name(k->algorithm), t->alg);
}

size_t
tsig_sign(struct tsig *t, uint8_t *msg, size_t len, size_t cap, time_t now)
{
	uint8_t vars[2 * WIRE_MAXNAME + 32], mac[TSIG_MACMAX], other[6];
	size_t vlen, mlen = 0, need, o;
	uint16_t other_len = 0, id, arcount;
	uint64_t when = (uint64_t)now;
	int unsigned_err = t->error == TSIG_BADKEY ||
	    t->error == TSIG_BADSIG || t->error == TSIG_BADTRUNC;

	if (len < WIRE_HDRLEN || t->keyname_len == 0 || t->alg_len == 0)
		return 0;
	id = wire_get16(msg);
	arcount = wire_get16(msg + 10);
	if (t->error == TSIG_BADTIME) {
		/* RFC 8945 5.2.3: the request's time, ours in other data */
		put48(other, when);
		other_len = 6;
		when = t->time;
	} else if (unsigned_err)
		when = t->time;
	if (!unsigned_err) {
		if (t->key == NULL)
			return 0;
		vlen = vars_put(vars, t->keyname, t->keyname_len, t->alg,
		    t->alg_len, when, TSIG_FUDGE, t->error, other, other_len,
		    t->nsigned > 0);
		mlen = mac_compute(t->key, t->mac, t->mac_len, msg, len, id,
		    arcount, vars, vlen, mac);
		if (mlen == 0)
			return 0;
	}
	need = t->keyname_len + 10 + t->alg_len + 16 + mlen + other_len;
	if (len + need > cap || arcount == UINT16_MAX)
		return 0;
	o = len;
	memcpy(msg + o, t->keyname, t->keyname_len);
	o += t->keyname_len;
	wire_put16(msg + o, TYPE_TSIG);
	wire_put16(msg + o + 2, CLASS_ANY_);
	memset(msg + o + 4, 0, 4);
	wire_put16(msg + o + 8, (uint16_t)(need - t->keyname_len - 10));
	o += 10;
	memcpy(msg + o, t->alg, t->alg_len);
	o += t->alg_len;
	put48(msg + o, when);
	wire_put16(msg + o + 6, TSIG_FUDGE);
	wire_put16(msg + o + 8, (uint16_t)mlen);
	o += 10;
	memcpy(msg + o, mac, mlen);
	o += mlen;
	wire_put16(msg + o, id);
	wire_put16(msg + o + 2, t->error);
	wire_put16(msg + o + 4, other_len);
	memcpy(msg + o + 6, other, other_len);
	o += 6 + other_len;
	wire_put16(msg + 10, (uint16_t)(arcount + 1));
	memcpy(t->mac, mac, mlen);
	t->mac_len = mlen;
	t->nsigned++;
	return o;
}

size_t
tsig_error_answer(struct tsig *t, uint8_t *msg, size_t qend, size_t cap,
    time_t now)
{
	if (qend < WIRE_HDRLEN || qend > cap)
		return 0;
	memset(msg + 6, 0, 6);		/* no records but the TSIG */
	msg[2] &= (uint8_t)~0x02;	/* TC */
	msg[3] = (uint8_t)((msg[3] & 0xf0) | RCODE_NOTAUTH);
	return tsig_sign(t, msg, qend, cap, now);
}

/* Skip a name at *off; -1 if malformed. */
static int
name_skip(const uint8_t *pkt, size_t len, size_t *off)
{
	uint8_t n[WIRE_MAXNAME];

	return name_read(pkt, len, off, n) == 0 ? -1 : 0;
}

int
tsig_verify_answer(struct tsig *t, const uint8_t *pkt, size_t len,
    time_t now)
{
	size_t off = WIRE_HDRLEN, rr = 0, i, n;
	struct rec r;

	if (len < WIRE_HDRLEN)
		return TSIG_MALFORMED;
	n = (size_t)wire_get16(pkt + 6) + wire_get16(pkt + 8) +
	    wire_get16(pkt + 10);
	for (i = 0; i < wire_get16(pkt + 4); i++) {
		if (name_skip(pkt, len, &off) == -1 || off + 4 > len)
			return TSIG_MALFORMED;
		off += 4;
	}
	for (i = 0; i < n; i++) {
		rr = off;
		if (name_skip(pkt, len, &off) == -1 || off + 10 > len ||
		    off + 10 + wire_get16(pkt + off + 8) > len)
			return TSIG_MALFORMED;
		if (wire_get16(pkt + off) == TYPE_TSIG && i + 1 != n)
			return TSIG_MALFORMED;
		if (wire_get16(pkt + off) != TYPE_TSIG && i + 1 == n)
			rr = 0;
		off += 10 + wire_get16(pkt + off + 8);
	}
	if (off != len)
		return TSIG_MALFORMED;
	if (n == 0 || rr == 0 || wire_get16(pkt + 10) == 0)
		return TSIG_NONE;
	if (rec_read(pkt, len, rr, &r) == -1)
		return TSIG_MALFORMED;
	if (r.name_len != t->keyname_len ||
	    memcmp(r.name, t->keyname, r.name_len) != 0 ||
	    r.alg_len != t->alg_len || memcmp(r.alg, t->alg, r.alg_len) != 0) {
		t->error = TSIG_BADKEY;
		return TSIG_ERROR;
	}
	if (r.error != TSIG_NOERROR) {
		t->error = r.error;
		return TSIG_ERROR;
	}
	t->error = rec_check(t->key, &r, t->mac, t->mac_len, pkt, rr, now);
	if (t->error != TSIG_NOERROR)
		return TSIG_ERROR;
	memcpy(t->mac, r.mac, r.mac_len);
	t->mac_len = r.mac_len;
	return TSIG_OK;
}

const char *
tsig_error_name(uint16_t error)
{
	switch (error) {
	case TSIG_NOERROR:
		return "NOERROR";
	case TSIG_BADSIG:
		return "BADSIG";
	case TSIG_BADKEY:
		return "BADKEY";
	case TSIG_BADTIME:
		return "BADTIME";
	case TSIG_BADTRUNC:
		return "BADTRUNC";
	}
	return "an unknown error";
}
