/* SPDX-License-Identifier: ISC */
/*
 * ipmerge.h -- the black list with the white list's exceptions, as the
 * entries of one rbldnsd ip4trie / ip6trie file ("rdnsblctl export
 * black"). Pure: no store, no I/O.
 *
 * A dnsbl zone lists an address when the black list's longest match is
 * an entry (not an exclusion) and the white list's longest match is not
 * an entry (none, or an exclusion): the white list beats the black list
 * (decide_addr(), doc/design.md). rbldnsd has one list, longest match,
 * "!" exclusions. The merge walks the prefixes of both lists in store
 * order (family, address, length: parents before children) with a stack
 * of the enclosing prefixes, and for each prefix works out what a zone
 * answers for the addresses whose longest match it is:
 *   - listed with a black entry's own value: that entry, as it is;
 *   - listed with an enclosing black entry's value (a white exclusion
 *     inside a white range inside it): a copy of that entry for this
 *     prefix, expiring when either of the two expires;
 *   - not listed: "!prefix" where the enclosing prefix is listed (from a
 *     white entry, or a black exclusion), nothing otherwise.
 * A prefix that answers as the prefix around it does is left out, so
 * black entries inside white ranges and white entries outside black
 * ones write nothing.
 */
#ifndef IPMERGE_H
#define IPMERGE_H

#include "addr.h"
#include "store_list.h"

struct ipmerge;

/*
 * Gets each entry of the merged list, in store order. Its strings are
 * valid during the call. Returns 0 to go on, non-zero to stop.
 */
typedef int ipmerge_emit_fn(void *arg, const struct store_entry *e);

/* A merge that hands its entries to EMIT. Never NULL (fatal on memory). */
struct ipmerge	*ipmerge_new(ipmerge_emit_fn *emit, void *arg);
void		 ipmerge_free(struct ipmerge *);

/*
 * Add entry E of LIST (LIST_BLACK or LIST_WHITE), copied. The entries of
 * both lists must come in store order (ipmerge_cmp), the black and the
 * white entry of one prefix one after the other in either order, and
 * none that has expired. Returns 0, the emit function's non-zero value,
 * or -1 for an entry out of order.
 */
int		 ipmerge_add(struct ipmerge *, unsigned list,
		    const struct store_entry *e);

/* After the last entry. Returns 0 or the emit function's non-zero value. */
int		 ipmerge_end(struct ipmerge *);

/*
 * Store order of two prefixes: the family (IPv4 first), then the address,
 * then the length. Returns <0, 0 or >0.
 */
int		 ipmerge_cmp(const struct addr *, const struct addr *);

/*
 * Append a copy of e to *v (*n entries), its strings (a domain list's
 * name too) in one block: free it with free(e->reason). *v has room for
 * 16 entries, or for the power of two at or above *n: append only to
 * an array this made (and *n as it left it, or 0).
 */
void		 ipmerge_entry_push(struct store_entry **v, size_t *n,
		    const struct store_entry *e);

/*
 * The white list's entries (*white, *nwhite, copies in store order) and
 * the delisting exemptions (exempt, nexempt, copies in store order) as
 * one set of exceptions of the dnsbl zones, in store order, into *white:
 * an address is an exception when the white list's longest match is no
 * exclusion, or when an exemption (which has no exclusions) contains it.
 * So a white exclusion inside an exemption goes, and of a white entry
 * and an exemption for one prefix the exemption stays. The copies that
 * go, and the array exempt, are freed.
 */
void		 ipmerge_exceptions(struct store_entry **white,
		    size_t *nwhite, struct store_entry *exempt,
		    size_t nexempt);

#endif /* IPMERGE_H */
