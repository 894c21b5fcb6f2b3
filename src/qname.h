/* SPDX-License-Identifier: ISC */
/*
 * qname.h -- the address in a DNSxL query name: the labels below a zone's
 * apex as reversed IPv4 octets or IPv6 nibbles (RFC 5782). Pure.
 */
#ifndef QNAME_H
#define QNAME_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

enum qname_kind {
	QNAME_ADDR = 0,		/* a whole address: *a is set */
	QNAME_PARTIAL,		/* a proper suffix of an address name */
	QNAME_INVALID		/* no address can lie below */
};

/*
 * Classify the n labels at name (wire form, the part below the apex, n
 * labels long; lower or upper case). 1-3 decimal labels are a partial
 * IPv4 name, 4 a whole address; 1-31 single hex nibbles a partial IPv6
 * name, 32 a whole one. Decimal labels are 0-255 without leading zeros.
 * A single label such as "1" is both a partial IPv4 and IPv6 name.
 */
enum qname_kind	qname_to_addr(const uint8_t *name, int n, struct addr *a);

/*
 * The query name for an address, relative to nothing: "4.3.2.1" or the
 * 32 nibbles joined by dots. Returns buf.
 */
char		*qname_from_addr(const struct addr *a, char *buf, size_t len);

#endif /* QNAME_H */
