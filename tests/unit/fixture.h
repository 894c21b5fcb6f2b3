/* SPDX-License-Identifier: ISC */
/*
 * fixture.h -- what the unit tests of the query path share: a
 * configuration from a string, a store in a temporary directory, list
 * entries added by text, and the cleanup. Header-only, like tap.h.
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "conf.h"
#include "decide.h"
#include "store.h"
#include "store_list.h"
#include "zone.h"

struct fixture {
	char		 dir[64];
	struct conf	*conf;
	struct store	*st;
	struct zoneset	*zs;
};

static void
fixture_conf_err(void *arg, const char *file, int line, const char *msg)
{
	(void)arg;
	printf("# %s:%d: %s\n", file, line, msg);
}

/* Load conftext, open a store in a new temporary directory: 0 or -1. */
static inline int
fixture_open(struct fixture *f, const char *conftext)
{
	char err[256];
	int nerr = 0;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/rdnsbl-unit.XXXXXX");
	if ((f->conf = conf_load_string("t.conf", conftext, fixture_conf_err,
	    NULL, &nerr)) == NULL || mkdtemp(f->dir) == NULL)
		return -1;
	if ((f->st = store_open(f->dir, 16 << 20, 0, err,
	    sizeof(err))) == NULL ||
	    (f->zs = zoneset_new(f->conf, 2026112301, err,
	    sizeof(err))) == NULL ||
	    decide_bind(f->zs, f->conf, f->st, 1, NULL, err, sizeof(err)) == -1) {
		printf("# %s\n", err);
		return -1;
	}
	return 0;
}

static inline void
fixture_close(struct fixture *f)
{
	char cmd[128];

	zoneset_free(f->zs);
	store_close(f->st);
	conf_free(f->conf);
	if (f->dir[0] != '\0' && strchr(f->dir, 'X') == NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", f->dir);
	}
}

/*
 * Add prefix (text) to list l with flags, code, expiry and reason:
 * 0, or -1 (said in a "#" line) so that a test can assert its fixture.
 */
static inline int
fixture_add(struct fixture *f, unsigned l, const char *prefix,
    uint32_t flags, uint32_t code, int64_t expires, const char *reason)
{
	struct store_entry e;
	char err[256];
	int replaced;

	memset(&e, 0, sizeof(e));
	if (addr_parse(prefix, 0, &e.prefix, err, sizeof(err)) == -1) {
		printf("# %s\n", err);
		return -1;
	}
	e.flags = flags;
	e.code = code;
	e.added = time(NULL);
	e.expires = expires;
	e.actor = "test";
	e.actor_len = 4;
	e.reason = reason;
	e.reason_len = strlen(reason);
	if (store_add(f->st, l, &e, &replaced, err, sizeof(err)) != STORE_OK) {
		printf("# store_add: %s\n", err);
		return -1;
	}
	return 0;
}

/* A query packet for name and type into pkt (512 bytes); its length. */
static inline size_t
fixture_query(uint8_t *pkt, const char *name, uint16_t type, int opcode)
{
	size_t n;

	memset(pkt, 0, 12);
	pkt[2] = (uint8_t)(opcode << 3);
	pkt[5] = 1;
	n = 12 + wire_name_from_str(name, pkt + 12, 512 - 16);
	pkt[n++] = 0;
	pkt[n++] = (uint8_t)type;
	pkt[n++] = 0;
	pkt[n++] = 1;
	return n;
}

#endif /* FIXTURE_H */
