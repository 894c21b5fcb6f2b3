/* SPDX-License-Identifier: ISC */
/*
 * store_audit.h -- the audit log in the store: who changed which entry
 * of which list, or acted on a delisting request, when and why. The
 * lists' and the requests' changes write their records themselves, in
 * their own transactions; this is for the other actions and for reading
 * the log.
 */
#ifndef STORE_AUDIT_H
#define STORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct store_audit {
	uint64_t	 seq;
	int64_t		 time;
	const char	*actor;		/* NUL-terminated in the copy */
	const char	*action;	/* "add", "del", "expire", "import" */
	const char	*list;		/* "black", "white" or "" */
	const char	*entry;		/* "192.0.2.0/24", a file, ... */
	const char	*reason;
};

/*
 * The action of the record an import (store_bulk_add) writes with its
 * first batch; the one it writes with its last is "import", with the
 * count. A start with no "import" after it for the same actor, list and
 * file is an import that was stopped (or is still running).
 */
#define STORE_AUDIT_IMPORT_START	"import-start"
/* The record of an import taken back (store_bulk_undo). */
#define STORE_AUDIT_IMPORT_UNDO		"import-undo"

/*
 * Append an audit record stamped with the time now (its own write
 * transaction). Any string may be NULL (empty); they are copied. Returns
 * STORE_OK or STORE_ERROR.
 */
enum store_rc	 store_audit_add(struct store *, const char *actor,
		    const char *action, const char *list, const char *entry,
		    const char *reason, char *errbuf, size_t errlen);

/*
 * Walk the audit log, oldest first, in a read transaction of its own.
 * The record's strings are a copy valid during the call. cb returns 0 to
 * go on, non-zero to stop. Returns STORE_OK or STORE_ERROR (a corrupt
 * record).
 */
typedef int store_audit_fn(void *arg, const struct store_audit *a);
enum store_rc	 store_audit_walk(struct store *, store_audit_fn *cb,
		    void *arg, char *errbuf, size_t errlen);

#endif /* STORE_AUDIT_H */
