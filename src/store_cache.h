/* SPDX-License-Identifier: ISC */
/*
 * store_cache.h -- the verdict cache of the computed checks in the
 * store, shared by every zone and by rdnsblctl. A verdict is kept under
 * a key of a kind byte ('4', '6': an address; 'h': a HELO name) and the
 * address bytes or the lower-case name (store_cache_key_addr and
 * store_cache_key_name build it). Writes are not synced to disk one by
 * one (MDB_NOSYNC for the cache's transactions): a cache lost in a crash
 * is only work to redo. store_purge() deletes the expired verdicts.
 */
#ifndef STORE_CACHE_H
#define STORE_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store.h"

#define STORE_CACHE_KEYMAX	256

struct store_verdict {
	uint32_t	 verdict;	/* caller-defined (check.h) */
	int64_t		 checked;	/* UNIX time of the check */
	int64_t		 expires;	/* UNIX time */
	const char	*rule;		/* matched rule, "" if none */
	size_t		 rule_len;
	const char	*names;		/* PTR names etc., NUL-separated */
	size_t		 names_len;
	const char	*detail;	/* one line of explanation */
	size_t		 detail_len;
};

/*
 * Build the cache key of an address into key (STORE_CACHE_KEYMAX
 * bytes); returns its length, 0 for an address of no known family.
 */
size_t		 store_cache_key_addr(const struct addr *, uint8_t *key);
/*
 * Build the cache key of a host name into key (STORE_CACHE_KEYMAX
 * bytes), lower-cased here and without a final dot; returns its length,
 * 0 if the name is too long.
 */
size_t		 store_cache_key_name(const char *name, uint8_t *key);

/*
 * Inside a read snapshot (store_read_begin): the cached verdict for key,
 * if it has not expired at now. Returns STORE_OK (filled *v, whose
 * strings point into the map until store_read_end), STORE_NOTFOUND or
 * STORE_ERROR.
 */
enum store_rc	 store_cache_get(struct store *, const uint8_t *key,
		    size_t keylen, time_t now, struct store_verdict *v,
		    char *errbuf, size_t errlen);

/*
 * Store (replace) a verdict, its strings copied; its own write
 * transaction, not synced. Returns STORE_OK or STORE_ERROR.
 */
enum store_rc	 store_cache_put(struct store *, const uint8_t *key,
		    size_t keylen, const struct store_verdict *v,
		    char *errbuf, size_t errlen);

/*
 * The verdicts that store_cache_put() dropped through this handle since
 * store_open, to keep the cache within its share of the map.
 */
uint64_t	 store_cache_evictions(const struct store *);

/*
 * Forget one cached verdict (key) or, with key NULL, all of them, in a
 * synced write transaction; *count (if not NULL) gets the number
 * removed. Returns STORE_OK, STORE_NOTFOUND when key had none, or
 * STORE_ERROR.
 */
enum store_rc	 store_cache_del(struct store *, const uint8_t *key,
		    size_t keylen, size_t *count, char *errbuf, size_t errlen);

/*
 * Walk the cache in key order, expired entries included, in a read
 * transaction of its own; the key and the verdict's strings point into
 * the map during the call. cb returns 0 to go on, non-zero to stop.
 * Returns STORE_OK or STORE_ERROR (a corrupt verdict).
 */
typedef int store_cache_fn(void *arg, const uint8_t *key, size_t keylen,
    const struct store_verdict *v);
enum store_rc	 store_cache_walk(struct store *, store_cache_fn *cb,
		    void *arg, char *errbuf, size_t errlen);

#endif /* STORE_CACHE_H */
