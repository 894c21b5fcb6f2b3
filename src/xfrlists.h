/* SPDX-License-Identifier: ISC */
/*
 * xfrlists.h -- the several lists of a zone as one value per prefix or
 * name, for a zone transfer: a dnsbl/dnswl zone of several address
 * lists (rbldnsd's combined zone), and an rhsbl zone's domain lists.
 * Each list decides on its own, as decide.h's query path does (longest
 * match, "!" exclusions carving out of the list's own entries only),
 * and a value says, for each list of the zone, the entry that lists
 * (NULL: that list does not). Pure: the entries are the caller's, in
 * memory (doc/design.md, "Zone transfer").
 */
#ifndef XFRLISTS_H
#define XFRLISTS_H

#include <stddef.h>

#include "addr.h"
#include "store_list.h"

/* The entries of one list, in store order (store_walk). */
struct xfrlists_list {
	const struct store_entry	*v;
	size_t				 n;
};

/*
 * Gets a prefix and what each list of the zone says of the addresses
 * whose longest match among all the lists' prefixes it is: hits[i] the
 * entry of list i that lists them, or NULL; with none, they are not
 * listed. Returns 0 to go on, non-zero to stop.
 */
typedef int xfrlists_addr_fn(void *arg, const struct addr *prefix,
    const struct store_entry *const *hits, size_t nlists);

/*
 * Walk the prefixes of lists[0..nlists) and of the exceptions exc (a
 * dnsbl zone's white list and exemptions, ipmerge_exceptions(); an
 * exception that is no exclusion lists nothing) in store order, and
 * hand fn each prefix that answers other than the prefix around it.
 * Returns 0, fn's non-zero, or -1 for a list out of order.
 */
int	xfrlists_addr(const struct xfrlists_list *lists, size_t nlists,
	    const struct xfrlists_list *exc, xfrlists_addr_fn *fn, void *arg);

/*
 * A record of an rhsbl zone: at name (below the apex, no final dot;
 * with wild, "*." name), hits[i] the entry of list i that lists it, or
 * NULL; none: the name exists without a listing (a placeholder). test:
 * the RFC 5782 test name "test", listed by no list.
 */
typedef int xfrlists_name_fn(void *arg, const char *name, int wild,
    const struct store_entry *const *hits, size_t nlists, int test);

/*
 * The names of the domain lists[0..nlists) (rbldnsd dnset: "name",
 * "*.name", "!name") as DNS names and wildcards that answer every name
 * as store_lookup_name() decides, list by list: each entry's name, the
 * names above it (which then exist in DNS, and so stop a wildcard
 * further up: they get its records and a wildcard of their own), and
 * the test name. Returns 0, fn's non-zero.
 */
int	xfrlists_names(const struct xfrlists_list *lists, size_t nlists,
	    xfrlists_name_fn *fn, void *arg);

#endif /* XFRLISTS_H */
