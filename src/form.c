/* SPDX-License-Identifier: ISC */
/*
 * form.c -- checks of the delisting form's fields and the rate limiter.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "addr.h"
#include "util.h"

#define RL_PROBE	8	/* slots a key may use */

/* A fixed-window counter per key, in a small open-addressed table. */
struct rl_slot {
	struct addr	 key;
	time_t		 start;
	uint32_t	 n;
};

struct ratelimit {
	struct rl_slot	*v;
	size_t		 n;
};

struct ratelimit *
ratelimit_new(size_t slots)
{
	struct ratelimit *rl = xcalloc(1, sizeof(*rl));

	rl->n = slots ? slots : 1;
	rl->v = xcalloc(rl->n, sizeof(*rl->v));
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	free(rl->v);
	free(rl);
}

int
ratelimit_hit(struct ratelimit *rl, const struct addr *key, uint32_t max,
    time_t window, time_t now)
{
	struct rl_slot *s, *old = NULL;
	uint32_t hsh = 2166136261U;
	size_t i;

	for (i = 0; i < (size_t)ADDR_BYTES(key); i++)
		hsh = (hsh ^ key->a[i]) * 16777619U;
	for (i = 0; i < RL_PROBE; i++) {
		s = &rl->v[(hsh + i) % rl->n];
		if (s->n != 0 && addr_equal(&s->key, key))
			break;
		if (old == NULL || s->n == 0 || s->start < old->start)
			old = s;
		s = NULL;
	}
	if (s == NULL || now - s->start >= window) {
		/* a new key takes the oldest slot probed: it forgets most */
		if (s == NULL)
			s = old;
		s->key = *key;
		s->start = now;
		s->n = 0;
	}
	if (s->n >= max)
		return 1;
	s->n++;
	return 0;
}

void
form_email_key(const char *s, struct addr *key)
{
	uint64_t h1 = 14695981039346656037ULL, h2 = 0x9e3779b97f4a7c15ULL;
	const char *at = strrchr(s, '@');
	unsigned char ch;
	int tag = 0, i;

	for (; *s != '\0'; s++) {
		if (*s == '+' && at != NULL && s < at)
			tag = 1;
		if (s == at)
			tag = 0;
		if (tag)
			continue;
		ch = (unsigned char)*s;
		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		h1 = (h1 ^ ch) * 1099511628211ULL;
		h2 = (h2 ^ ch) * 0x100000001b3ULL + 0x5bd1e995ULL;
	}
	memset(key, 0, sizeof(*key));
	key->af = ADDR_V6;
	key->len = 128;
	for (i = 0; i < 8; i++) {
		key->a[i] = (uint8_t)(h1 >> (8 * i));
		key->a[8 + i] = (uint8_t)(h2 >> (8 * i));
	}
}

int
form_email_ok(const char *s)
{
	const char *at = strrchr(s, '@'), *p, *lab;
	size_t labels = 1;

	if (at == NULL || at == s || at - s > 64 || strlen(s) > 254 ||
	    s[0] == '.' || at[-1] == '.' || strstr(s, "..") != NULL)
		return 0;
	for (p = s; p < at; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') ||
		    strchr("+=_.-", *p) != NULL))
			return 0;
	/* LAB marks where the current label starts: no pointer arithmetic
	 * with an unsigned length runs backwards past it */
	for (p = lab = at + 1; ; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == lab || p - lab > 63 || *lab == '-' ||
			    p[-1] == '-')
				return 0;
			if (*p == '\0')
				break;
			labels++;
			lab = p + 1;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	}
	return labels >= 2;
}

int
form_text_ok(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t left = strlen(s), n;

	for (; left > 0; u += n, left -= n) {
		if ((*u < 0x20 && *u != '\t' && *u != '\n' && *u != '\r') ||
		    *u == 0x7f || (n = utf8_len(u, left)) == 0)
			return 0;
	}
	return 1;
}

/* Browsers send a textarea's line ends as CRLF. */
void
form_crlf_to_lf(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++)
		if (*s != '\r')
			*o++ = *s;
		else if (s[1] != '\n')
			*o++ = '\n';
	*o = '\0';
}

