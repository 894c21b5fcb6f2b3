/* SPDX-License-Identifier: ISC */
/*
 * tsig.h -- TSIG (RFC 8945): the HMAC signatures that authenticate zone
 * transfers, the queries of secondaries, and NOTIFY.
 *
 * A signed query is checked with tsig_verify(); its answer, or each
 * message of a transfer in turn, is then signed with tsig_sign(), which
 * chains the MACs as RFC 8945 section 5.3.1 says. A NOTIFY is signed as a
 * request after tsig_request(). Pure: no sockets, no logging.
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

/* tsig_verify() results. */
#define TSIG_NONE	0	/* not signed */
#define TSIG_OK		1	/* signed and verified: t->key */
#define TSIG_ERROR	2	/* answer NOTAUTH with t->error */
#define TSIG_MALFORMED	3	/* answer FORMERR */

struct tsig {
	const struct conf_key	*key;	/* NULL: unknown key, or unsigned */
	uint16_t	 error;		/* TSIG_BADSIG ... of the request */
	uint8_t		 keyname[WIRE_MAXNAME];	/* canonical wire form */
	size_t		 keyname_len;
	uint8_t		 alg[WIRE_MAXNAME];
	size_t		 alg_len;
	uint64_t	 time;		/* the request's time signed */
	uint8_t		 mac[TSIG_MACMAX];	/* the MAC to chain from */
	size_t		 mac_len;		/* 0: none (a request) */
	unsigned	 nsigned;	/* messages signed so far */
};

/*
 * Check the TSIG record at tsig_off of the query pkt (len bytes) against
 * the keys; now is the time. TSIG_NONE when tsig_off is 0.
 */
int	 tsig_verify(const struct conf_key *keys, size_t nkeys,
	    const uint8_t *pkt, size_t len, size_t tsig_off, time_t now,
	    struct tsig *t);

/*
 * Sign msg (len bytes in a buffer of cap) as the next answer to the
 * request of t: a TSIG record appended, ARCOUNT counted, and for an error
 * of the request, NOTAUTH with the record unsigned (BADKEY, BADSIG) or
 * signed (BADTIME). Returns the new length, or 0 if it does not fit.
 */
size_t	 tsig_sign(struct tsig *t, uint8_t *msg, size_t len, size_t cap,
	    time_t now);

/* Prepare t to sign a request (NOTIFY) with key k. */
void	 tsig_request(struct tsig *t, const struct conf_key *k);

/*
 * The answer to a query whose TSIG failed (t->error): msg, the answer
 * built so far, cut to its question, NOTAUTH, and signed as RFC 8945
 * section 5.3.2 says. Returns the new length, or 0.
 */
size_t	 tsig_error_answer(struct tsig *t, uint8_t *msg, size_t len,
	    size_t qend, size_t cap, time_t now);

#endif /* TSIG_H */
