/* SPDX-License-Identifier: ISC */
/*
 * store_index.h -- the daemon's compact copy of the lists, IPv4 and IPv6
 * (ipindex.h), as the lookups and the close use it. Internal to the
 * store's files, the layer above store_journal.h (store_base.h); the
 * daemon drives the copy through store.h (store_index_enable, _step).
 */
#ifndef STORE_INDEX_H
#define STORE_INDEX_H

#include <stddef.h>
#include <time.h>

#include "store_base.h"

/*
 * store_lookup() for an address a (IPv4 or IPv6) through the copy, which
 * the caller has found in step with the read snapshot (st->ix_seq is
 * st->snap_seq). Returns as store_lookup does; with brief, *e may come
 * from the copy alone (prefix, flags and code). Never logs.
 */
enum store_rc store_index_lookup(struct store *st, unsigned l,
	    const struct addr *a, time_t now, int brief, struct store_entry *e,
	    char *errbuf, size_t errlen);

/* Free the copy and one being built, if any (store_close). */
void	store_index_free(struct store *st);

#endif /* STORE_INDEX_H */
