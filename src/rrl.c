/* SPDX-License-Identifier: ISC */
/*
 * rrl.c -- response rate limiting by client prefix (rrl.h).
 */
#include "config.h"

#include <sys/random.h>

#include <stdlib.h>
#include <string.h>

#include "rrl.h"
#include "util.h"

struct bucket {
	struct addr	 prefix;	/* af 0: unused */
	time_t		 second;	/* the second counted */
	uint32_t	 count;		/* answers counted in it */
	uint32_t	 over;		/* of them over the rate */
};

struct rrl {
	struct rrl_conf	 conf;
	struct addrlist	 exempt;	/* own copy */
	uint64_t	 seed;		/* keys the hash: no chosen collisions */
	struct bucket	*b;
};

struct rrl *
rrl_new(const struct rrl_conf *conf)
{
	struct rrl *r;
	size_t i;

	if (conf->rate == 0 || conf->size == 0)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	r->conf = *conf;
	r->conf.exempt = NULL;
	if (conf->exempt != NULL)
		for (i = 0; i < conf->exempt->n; i++)
			addrlist_add(&r->exempt, &conf->exempt->v[i]);
	if (getrandom(&r->seed, sizeof(r->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(r->seed))
		r->seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL;
	r->b = xcalloc(conf->size, sizeof(*r->b));
	return r;
}

int
rrl_conf_same(const struct rrl *r, const struct rrl_conf *conf)
{
	size_t i, n;

	if (r == NULL)
		return conf->rate == 0 || conf->size == 0;
	n = conf->exempt != NULL ? conf->exempt->n : 0;
	if (r->conf.rate != conf->rate || r->conf.slip != conf->slip ||
	    r->conf.v4len != conf->v4len || r->conf.v6len != conf->v6len ||
	    r->conf.size != conf->size || r->exempt.n != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!addr_equal(&r->exempt.v[i], &conf->exempt->v[i]))
			return 0;
	return 1;
}

/* FNV-1a over the prefix, started from the seed. */
static size_t
bucket_index(const struct rrl *r, const struct addr *p)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ r->seed;
	size_t i, n = ADDR_BYTES(p);

	h = (h ^ p->af) * 0x100000001b3ULL;
	for (i = 0; i < n; i++)
		h = (h ^ p->a[i]) * 0x100000001b3ULL;
	return (size_t)(h % r->conf.size);
}

/*
 * The bucket of PEER's prefix in second NOW, counted from nothing when it
 * held another prefix or second (its prefix written to *PREFIX); NULL
 * when PEER is never limited.
 */
static struct bucket *
bucket_get(struct rrl *r, const struct addr *peer, time_t now,
    struct addr *prefix)
{
	struct addr p;
	struct bucket *b;

	if (peer->af != ADDR_V4 && peer->af != ADDR_V6)
		return NULL;
	if (r->exempt.n > 0 && addrlist_match(&r->exempt, peer))
		return NULL;
	p = *peer;
	p.len = (uint8_t)(p.af == ADDR_V4 ? r->conf.v4len : r->conf.v6len);
	addr_mask(&p);
	b = &r->b[bucket_index(r, &p)];
	if (!addr_equal(&b->prefix, &p) || b->second != now) {
		/* another prefix, or a new second: count again */
		b->prefix = p;
		b->second = now;
		b->count = 0;
		b->over = 0;
	}
	*prefix = p;
	return b;
}

enum rrl_action
rrl_check(struct rrl *r, const struct addr *peer, time_t now, int *started,
    struct addr *prefix)
{
	struct addr p;
	struct bucket *b;

	*started = 0;
	if ((b = bucket_get(r, peer, now, &p)) == NULL)
		return RRL_PASS;
	if (++b->count <= r->conf.rate)
		return RRL_PASS;
	if (b->over++ == 0) {
		*started = 1;
		*prefix = p;
	}
	if (r->conf.slip > 0 && b->over % r->conf.slip == 0)
		return RRL_SLIP;
	return RRL_DROP;
}

void
rrl_uncount(struct rrl *r, const struct addr *peer, time_t now)
{
	struct addr p;
	struct bucket *b;

	if ((b = bucket_get(r, peer, now, &p)) != NULL && b->count > 0 &&
	    b->count <= r->conf.rate)
		b->count--;
}

void
rrl_free(struct rrl *r)
{
	if (r == NULL)
		return;
	free(r->exempt.v);
	free(r->b);
	free(r);
}
