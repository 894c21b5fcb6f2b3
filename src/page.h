/* SPDX-License-Identifier: ISC */
/*
 * page.h -- the HTML of the delisting pages: one small page frame with
 * its CSS inline (no external resources, readable on a phone), the
 * status of an address in each zone with what its owner can do, the
 * forms and the status of a request.
 *
 * Every string that does not come from this file goes through
 * page_esc(); page_raw() is for this file's own markup and numbers.
 */
#ifndef PAGE_H
#define PAGE_H

#include <stddef.h>
#include <time.h>

struct evbuffer;
struct addr;
struct store_request;
struct verdict;
struct zone;

/* The text, HTML-escaped (& < > " ' and control characters). */
void	page_esc(struct evbuffer *, const char *s);

/* Trusted markup: printf into the page as is. */
void	page_raw(struct evbuffer *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* The page up to its <h1> (escaped title) and from the end of main. */
void	page_begin(struct evbuffer *, const char *title);
void	page_end(struct evbuffer *);

/* A whole page with one paragraph: an error or a notice. */
void	page_message(struct evbuffer *, const char *title, const char *text);

/* The lookup form, with value (may be NULL) in its field. */
void	page_lookup_form(struct evbuffer *, const char *value);

/*
 * The status of address a in zone z, as decided by v, with the reason
 * in plain words and what the owner of the address can do about it.
 * The computed check's detail (what DNS said: PTR names, forward
 * addresses, the rule matched) only when DETAIL is not 0. Returns 1
 * when a dnsbl zone lists the address (the form is useful).
 */
int	page_zone(struct evbuffer *, const struct zone *z,
	    const struct verdict *v, const struct addr *a, int detail);

/*
 * The delisting request form for address a; with verify, it says that a
 * link to confirm the request is mailed first (verify-email:).
 */
void	page_delist_form(struct evbuffer *, const struct addr *a,
	    int verify);

/* The status of a request, as its requester sees it. */
void	page_request(struct evbuffer *, const struct store_request *r);

#endif /* PAGE_H */
