/* SPDX-License-Identifier: ISC */
/*
 * xfrdiff.h -- the difference between two versions of a zone's
 * records, for an IXFR (RFC 1995). Pure: no store, no I/O
 * (doc/design.md, "Zone transfer").
 *
 * The records of an address zone that one change of an entry can alter
 * are those of the names under the entry's first label: its region, the
 * label just below the apex (an IPv4 first octet, "0" to "255"; an IPv6
 * first nibble, "0" to "f"). The labels 0-9 are shared by IPv4 and IPv6
 * names (xfrmap.h): region "2" holds the IPv4 addresses 2.0.0.0/8 and
 * the IPv6 addresses 2000::/4. A prefix shorter than its family's first
 * label (IPv4 /0-/7, IPv6 /0-/3) covers several regions: no region.
 *
 * A set collects records (owner below the apex, type, TTL, rdata), each
 * kept only when its owner lies in one of the regions marked; two sets
 * are compared by sorting their records in wire form and merging.
 */
#ifndef XFRDIFF_H
#define XFRDIFF_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define XFRDIFF_REGIONS	(256 + 6)	/* "0"-"255", then "a"-"f" */

/* The region of prefix p, or -1: shorter than its first label. */
int	xfrdiff_region(const struct addr *p);

/*
 * The region of a record's owner, the labels name (wire form without the
 * apex, nlen bytes): its last label's; -1 for the apex or a label that
 * is no region's.
 */
int	xfrdiff_owner_region(const uint8_t *name, size_t nlen);

/*
 * In an rhsbl zone the records that an entry of a name of two labels or
 * more makes are at its name, at the names above it up to its last two
 * labels (the registered domain: "example.com"), and at the wildcards
 * below them; the records there depend on entries at or below that
 * domain, and on those of its top-level domain ("com", "*.com"). The
 * region of a name (dotted, no final dot, len bytes) is its last two
 * labels hashed to one of XFRDIFF_REGIONS; -1 for a name of one label
 * (a top-level domain's entry: its records reach into every region).
 * Domains that share a region are compared too, are alike, and make no
 * difference.
 */
int	xfrdiff_name_region(const char *name, size_t len);

/*
 * The region of a record's owner in an rhsbl zone (as
 * xfrdiff_owner_region): its last two labels hashed the same way; an
 * owner of one label, that label's; -1 for the apex.
 */
int	xfrdiff_owner_name_region(const uint8_t *name, size_t nlen);

struct xfrdiff_set;

/*
 * An empty set that keeps the records of the regions in[] marked, the
 * owners' regions those of an address zone, or with names those of an
 * rhsbl zone.
 */
struct xfrdiff_set	*xfrdiff_new(const uint8_t *in, int names);
void			 xfrdiff_free(struct xfrdiff_set *);

/* Add a record (kept when its owner's region is marked). */
void	xfrdiff_add(struct xfrdiff_set *, const uint8_t *name, size_t nlen,
	    uint16_t type, uint32_t ttl, const uint8_t *rd, size_t rdlen);

/* The number of records the set keeps. */
size_t	xfrdiff_count(const struct xfrdiff_set *);

/*
 * Gets a record that only one of the sets has: del 1 for the old one's
 * (to delete), 0 for the new one's (to add). The pointers are valid
 * during the call. Returns 0 to go on, non-zero to stop.
 */
typedef int xfrdiff_fn(void *arg, int del, const uint8_t *name, size_t nlen,
    uint16_t type, uint32_t ttl, const uint8_t *rd, size_t rdlen);

/*
 * Call fn with the records of old that new lacks (del 1), all of them,
 * then with those of new that old lacks (del 0). Sorts both sets.
 * Returns 0 or fn's non-zero.
 */
int	xfrdiff_diff(struct xfrdiff_set *old, struct xfrdiff_set *new,
	    xfrdiff_fn *fn, void *arg);

#endif /* XFRDIFF_H */
