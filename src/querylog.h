/* SPDX-License-Identifier: ISC */
/*
 * querylog.h -- the line of the query log for one answered query:
 *
 *	query: TIME CLIENT TRANSPORT NAME TYPE ZONE RESULT [CODES]
 *
 * TIME in UTC (2026-12-04T18:31:25Z), CLIENT the address, TRANSPORT udp
 * or tcp, NAME the query name in presentation form (escaped: no space,
 * no control character), TYPE its mnemonic (A, TXT, ...; TYPE65 for an
 * unknown one, - without a question), ZONE the zone's name or -,
 * RESULT the answer's kind (answer_kind_name: listed, nxdomain, nodata,
 * refused, apex, failure, servfail, formerr, ...), and after "listed"
 * the codes answered (the A records: 127.0.0.2,127.0.0.4) when there
 * are any. Pure: the caller logs it.
 */
#ifndef QUERYLOG_H
#define QUERYLOG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "answer.h"

struct addr;
struct query;

/* Longest line querylog_format writes, with its NUL. */
#define QUERYLOG_MAX	1400

/*
 * Write the line of the query Q (its question, if it has one) from PEER
 * over TCP or UDP at NOW, in ZONE (NULL: none), answered KIND with the
 * message ANS (ANSLEN bytes; 0: none was sent), into BUF (LEN bytes,
 * QUERYLOG_MAX is enough). Returns BUF.
 */
char	*querylog_format(char *buf, size_t len, time_t now,
	    const struct addr *peer, int tcp, const struct query *q,
	    const char *zone, enum answer_kind kind, const uint8_t *ans,
	    size_t anslen);

#endif /* QUERYLOG_H */
