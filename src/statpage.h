/* SPDX-License-Identifier: ISC */
/*
 * statpage.h -- the operator's page of the statistics per rule (GET
 * /stats on the metrics clients' side of the pages): for the listings,
 * the delisting requests and the approvals, a chart of each reason and
 * rule over the hours of the view, drawn as inline SVG (no script, no
 * external resource), and a table of their counts, most first, so that
 * the rule that lists most, and draws most requests, is the first line.
 * Every label goes through page_esc().
 */
#ifndef STATPAGE_H
#define STATPAGE_H

#include <stddef.h>

struct evbuffer;
struct rulestats_view;

/* At most this many lines in one chart; the others are summed up. */
#define STATPAGE_LINES	8

/* The whole page of view v into b. */
void	statpage_write(struct evbuffer *b, const struct rulestats_view *v);

#endif /* STATPAGE_H */
