/* SPDX-License-Identifier: ISC */
/*
 * tsig.h -- TSIG (RFC 8945): the HMAC signatures that authenticate zone
 * transfers, the queries of secondaries, and NOTIFY.
 *
 * A signed query is checked with tsig_verify(); its answer, or each
 * message of a transfer in turn, is then signed with tsig_sign(), which
 * chains the MACs as RFC 8945 section 5.3.1 says. A NOTIFY is signed as a
 * request after tsig_request(), and its answer checked with
 * tsig_verify_answer(). The HMACs are OpenSSL's (libcrypto), over the
 * message as it is on the wire: ldns's TSIG functions work on its parsed
 * packets, which the answer path never builds (doc/design.md). Pure: no
 * sockets, no logging.
 */
#ifndef TSIG_H
#define TSIG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "wire.h"

struct conf_key;

#define TSIG_MAXLEN	620	/* room a TSIG record may take */
#define TSIG_MACMAX	64	/* SHA-512 */
#define TSIG_FUDGE	300	/* seconds of clock skew allowed */

/* TSIG error codes (the record's error field). */
#define TSIG_NOERROR	0
#define TSIG_BADSIG	16
#define TSIG_BADKEY	17
#define TSIG_BADTIME	18
#define TSIG_BADTRUNC	22

/* tsig_verify() results. */
#define TSIG_NONE	0	/* not signed */
#define TSIG_OK		1	/* signed and verified: t->key */
#define TSIG_ERROR	2	/* answer NOTAUTH with t->error */
#define TSIG_MALFORMED	3	/* answer FORMERR */

/*
 * One signed exchange: the key, the request's error, its key and
 * algorithm names (canonical wire form), its time, and the MAC the next
 * message is signed over (mac_len 0: none, a request).
 */
struct tsig {
	const struct conf_key	*key;	/* NULL: unknown key */
	uint16_t	 error;		/* TSIG_BADSIG ... */
	uint8_t		 keyname[WIRE_MAXNAME];
	size_t		 keyname_len;
	uint8_t		 alg[WIRE_MAXNAME];
	size_t		 alg_len;
	uint64_t	 time;
	uint8_t		 mac[TSIG_MACMAX];
	size_t		 mac_len;
	unsigned	 nsigned;	/* messages signed so far */
};

/*
 * Check the TSIG record at tsig_off of the query pkt (len bytes; as
 * wire_parse_query found it) against the keys (nkeys of them); now is the
 * time. TSIG_NONE when tsig_off is 0; TSIG_OK with t->key the key;
 * TSIG_ERROR with t->error BADKEY (an unknown key or algorithm), BADSIG,
 * BADTRUNC (a truncated MAC, which is not accepted) or BADTIME; or
 * TSIG_MALFORMED. On every result but TSIG_MALFORMED, t is ready for
 * tsig_sign() or tsig_error_answer().
 */
int	 tsig_verify(const struct conf_key *keys, size_t nkeys,
	    const uint8_t *pkt, size_t len, size_t tsig_off, time_t now,
	    struct tsig *t);

/*
 * Sign msg (len bytes in a buffer of cap) as the next message of t: the
 * answer to the request t was verified from (its MAC, the message, the
 * TSIG variables), a later message of the same transfer (the prior MAC,
 * the message, the timers), or a request after tsig_request(). A TSIG
 * record goes at the end, ARCOUNT counts it. For a request that failed
 * with BADKEY, BADSIG or BADTRUNC the record carries the error and no
 * MAC; for BADTIME it is signed, the server's time in its other data.
 * Returns the new length, or 0 if it does not fit.
 */
size_t	 tsig_sign(struct tsig *t, uint8_t *msg, size_t len, size_t cap,
	    time_t now);

/* Prepare t to sign a request (NOTIFY) with key k. */
void	 tsig_request(struct tsig *t, const struct conf_key *k);

/*
 * Check the answer pkt (len bytes) to the request t signed: TSIG_OK (t
 * then holds the answer's MAC), TSIG_NONE (the answer is not signed),
 * TSIG_ERROR with t->error the error the answer carries or the one found
 * here (BADKEY: another key; BADSIG; BADTIME), or TSIG_MALFORMED.
 */
int	 tsig_verify_answer(struct tsig *t, const uint8_t *pkt, size_t len,
	    time_t now);

/*
 * The answer to a query whose TSIG failed (t->error): msg, the answer
 * built so far, cut to its question (qend: where the question ends),
 * NOTAUTH, and the TSIG record of tsig_sign(). Returns the new length,
 * or 0.
 */
size_t	 tsig_error_answer(struct tsig *t, uint8_t *msg, size_t qend,
	    size_t cap, time_t now);

/* The text of a TSIG error code ("BADSIG"). */
const char *tsig_error_name(uint16_t error);

#endif /* TSIG_H */
