/* SPDX-License-Identifier: ISC */
/*
 * form.h -- checks of what the delisting form sends, and the fixed-window
 * rate limiter of the pages. Pure: no sockets, no libevent, no logging.
 */
#ifndef FORM_H
#define FORM_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"

/*
 * 1 if S is an e-mail address as people type them: an addr-spec
 * local@domain, 1-64 bytes of letters, digits and +=_.- before the "@"
 * (no leading, trailing or double dot), a domain of two or more labels
 * of letters, digits and inner hyphens, 1-63 bytes each; at most 254
 * bytes. Quoted local parts, address literals and the rarer characters
 * RFC 5322 allows (!#$%&'*`/?^{|}~) are refused on purpose: the value
 * reaches notify-command: scripts, where a shell would read them.
 */
int	form_email_ok(const char *s);

/*
 * 1 if S is valid UTF-8 (no overlong forms, surrogates or code points
 * past U+10FFFF) without control characters other than tab, CR and LF.
 */
int	form_text_ok(const char *s);

/*
 * The key of e-mail address S for a ratelimit: a hash of it in lower
 * case without a "+tag" after its local part, so that the variants of
 * one mailbox count as one. Pure.
 */
void	form_email_key(const char *s, struct addr *key);

/* Turn CRLF and lone CR into LF, in place. */
void	form_crlf_to_lf(char *s);

/*
 * A rate limiter: for each key (an address or prefix), at most MAX events
 * per WINDOW seconds, counted in fixed windows that start at a key's
 * first event. The table has SLOTS entries; a new key takes the oldest of
 * the few slots it may use, so a flood of keys makes the limiter forget
 * old keys (it lets them through) rather than refuse everybody.
 */
struct ratelimit;

struct ratelimit *ratelimit_new(size_t slots);
void		 ratelimit_free(struct ratelimit *);

/* 1 if KEY is over MAX in its window at NOW; else counts it, 0. */
int		 ratelimit_hit(struct ratelimit *, const struct addr *key,
		    uint32_t max, time_t window, time_t now);

#endif /* FORM_H */
