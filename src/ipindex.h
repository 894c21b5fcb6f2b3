/* SPDX-License-Identifier: ISC */
/*
 * ipindex.h -- the daemon's compact copy of the IPv4 black and white
 * lists, for the query path.
 *
 * Per list and prefix length, a sorted array of 64-bit words
 * (address << 16 | info) and a directory on the top address bits, so
 * that a lookup reads two or three cache lines per prefix length in use
 * instead of descending a B-tree of the database's pages. About 8 bytes
 * per entry.
 *
 * Changes are held in a small hash table beside the arrays (4096 at most)
 * and merged into them in one pass when it is full, so that a change
 * costs a hash insertion, not a copy of an array of millions of words.
 *
 * info is an index into the table of the distinct (flags, code) pairs of
 * the entries, or IPX_DETAIL: "look in the database" (an entry that
 * expires, or one more pair than the table holds). The store keeps the
 * copy in step with the database through its journal of changes
 * (store_journal.c) and builds it (store_index.c); this module knows
 * nothing of LMDB.
 */
#ifndef IPINDEX_H
#define IPINDEX_H

#include <stddef.h>
#include <stdint.h>

#define IPX_LISTS	2	/* LIST_BLACK, LIST_WHITE */
#define IPX_LENS	33	/* prefix lengths 0-32 */
#define IPX_INFO_MAX	256	/* distinct (flags, code) pairs */
#define IPX_DETAIL	0xffff

struct ipindex;

/* One change: (list, len, addr) now has info, or is gone (del). */
struct ipx_change {
	uint32_t	 addr;		/* host order, masked to len */
	uint8_t		 list;
	uint8_t		 len;
	uint8_t		 del;
	uint16_t	 info;
	uint32_t	 seq;		/* order of the changes: last wins */
};

struct ipindex	*ipx_new(void);
void		 ipx_free(struct ipindex *);

/* The info of an entry with these fields (adds the pair if new). */
uint16_t	 ipx_info(struct ipindex *, uint32_t flags, uint32_t code,
		    int64_t expires);
/* The pair behind an info other than IPX_DETAIL. */
void		 ipx_info_get(const struct ipindex *, uint16_t info,
		    uint32_t *flags, uint32_t *code);

/*
 * Building: append entries in any order (in address order is cheapest;
 * reserved room that fits saves a copy), then ipx_finish() once before
 * the first lookup. A later duplicate of
 * (list, len, addr) replaces the earlier one.
 */
void		 ipx_append(struct ipindex *, int list, int len, uint32_t addr,
		    uint16_t info);
/* Before the first append: room for about n entries of (list, len). */
void		 ipx_reserve(struct ipindex *, int list, int len, size_t n);
void		 ipx_finish(struct ipindex *);

/*
 * The longest prefix of list that contains addr (host order) and is
 * below or at maxlen: returns 1 with *len and *info set, or 0.
 */
int		 ipx_lookup(const struct ipindex *, int list, uint32_t addr,
		    int maxlen, int *len, uint16_t *info);

/*
 * Ask the CPU for the cache lines that ipx_lookup of addr will read, in
 * every list, without waiting for them: stage 0 the directory slots,
 * stage 1 the words they point to (which reads the slots, so stage 0 of
 * a whole batch first, then stage 1, then the lookups).
 */
void		 ipx_prefetch(const struct ipindex *, uint32_t addr, int stage);

/* Apply n changes, in their order (the last for an entry wins). */
void		 ipx_apply(struct ipindex *, struct ipx_change *c, size_t n);

/* Entries held, and bytes of memory they take. */
size_t		 ipx_count(const struct ipindex *);
size_t		 ipx_bytes(const struct ipindex *);

#endif /* IPINDEX_H */
