/* SPDX-License-Identifier: ISC */
/*
 * xfrmap.h -- an address zone's list as plain DNS data, for a zone
 * transfer: the names and wildcards that make a secondary answer every
 * IPv4 and IPv6 address query as the longest match of the list does.
 * Pure: no store, no I/O (doc/design.md, "Zone transfer").
 *
 * The list comes as prefixes in store order (ipmerge.h: parents before
 * children), each listed by its entry or not listed (ENTRY_EXCLUDE: an
 * exclusion or a white entry). A prefix becomes wildcards where it ends
 * on a label boundary (an octet, a nibble) and the nodes of the next
 * boundary otherwise (a /20: sixteen "*.c.b.a"; a /28: sixteen names).
 * Every name that exists gets the wildcard of the longest prefix that
 * covers it at its depth, so that no name made for a longer prefix hides
 * a shorter one (DNS's closest encloser); a node that is not listed
 * inside a listed one exists with a placeholder record and no wildcard,
 * so the names below it do not exist (NXDOMAIN: not listed).
 *
 * IPv4 and IPv6 names share the labels 0-9: "1.0.0.2.<zone>" is both
 * the IPv4 address 2.0.0.1 and the IPv6 nodes 2/4..2001/16. The nodes of
 * up to four such labels are worked out at the end for both families at
 * once: where the two need different wildcards, the IPv4 one is kept
 * and the sixteen IPv6 children get their own.
 */
#ifndef XFRMAP_H
#define XFRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "store_list.h"

/* One record of the zone's data. */
struct xfrmap_rec {
	int				 af;	/* ADDR_V4, ADDR_V6 */
	uint8_t				 a[16];	/* the node's first address */
	int				 depth;	/* its labels below the apex */
	int				 wild;	/* the record is "*." the node */
	/*
	 * Listed by e (prefix and strings as the list has them, valid
	 * during the call); NULL: the node exists unlisted (a placeholder).
	 */
	const struct store_entry	*e;
	const void			*ext;	/* its xfrmap_add_ext bytes */
	size_t				 ext_len;
};

typedef int xfrmap_emit_fn(void *arg, const struct xfrmap_rec *r);

struct xfrmap;

/* A map that hands its records to EMIT. Never NULL (fatal on memory). */
struct xfrmap	*xfrmap_new(xfrmap_emit_fn *emit, void *arg);
void		 xfrmap_free(struct xfrmap *);

/*
 * Add the prefix of entry E (copied), in store order, none expired.
 * Returns 0, the emit function's non-zero value, or -1 for a prefix out
 * of order.
 */
int		 xfrmap_add(struct xfrmap *, const struct store_entry *e);

/*
 * xfrmap_add, with ext_len bytes of the caller's own that are copied
 * and handed back with each record of the prefix (a zone of several
 * lists: which of them list it).
 */
int		 xfrmap_add_ext(struct xfrmap *, const struct store_entry *e,
		    const void *ext, size_t ext_len);

/* After the last one. Returns 0 or the emit function's non-zero value. */
int		 xfrmap_end(struct xfrmap *);

#endif /* XFRMAP_H */
