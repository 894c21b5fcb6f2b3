/* SPDX-License-Identifier: ISC */
/*
 * statpage.c -- the statistics per rule as SVG charts and tables.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "statpage.h"
#include "page.h"
#include "rulestats.h"
#include "util.h"

#define CHART_W		640
#define CHART_H		200
#define MARGIN_L	48
#define MARGIN_B	24
#define MARGIN_T	8

static const char *const colours[STATPAGE_LINES + 1] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
	"#e377c2", "#17becf", "#7f7f7f"
};

static const char *const titles[STAT_KIND_MAX] = {
	"Listings answered", "Delisting requests", "Approvals"
};

static const char *const blurbs[STAT_KIND_MAX] = {
	"DNS answers that listed an address or name, by reason and by the "
	    "rule or list behind it.",
	"Delisting requests, by what listed the address when it was sent.",
	"Approved requests (by a reviewer or self-service), by what had "
	    "listed the address."
};

/* "reason (rule)" or "reason", escaped. */
static void
label(struct evbuffer *b, const struct rulestats_series *s)
{
	page_esc(b, s->reason);
	if (s->rule[0] != '\0') {
		page_raw(b, " (");
		page_esc(b, s->rule);
		page_raw(b, ")");
	}
}

/* The hour h of the view as "MM-DD HH:00" UTC. */
static void
hour_text(uint32_t h, char *buf, size_t len)
{
	time_t t = (time_t)h * 3600;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%m-%d %H:00",
	    &tm) == 0)
		buf[0] = '\0';
}

/* One line of the chart: the counts c of each hour, in colour. */
static void
polyline(struct evbuffer *b, const struct rulestats_view *v,
    const uint64_t *c, uint64_t max, const char *colour)
{
	size_t i;
	double x, y, dx = v->nhours > 1 ?
	    (double)(CHART_W - MARGIN_L - 8) / (double)(v->nhours - 1) : 0;

	page_raw(b, "<polyline fill=\"none\" stroke=\"%s\" "
	    "stroke-width=\"2\" points=\"", colour);
	for (i = 0; i < v->nhours; i++) {
		x = MARGIN_L + dx * (double)i;
		y = CHART_H - MARGIN_B - (double)(CHART_H - MARGIN_B -
		    MARGIN_T) * (double)c[i] / (double)max;
		page_raw(b, "%s%.1f,%.1f", i ? " " : "", x, y);
	}
	page_raw(b, "\"/>");
	if (v->nhours == 1)	/* one point is no line: a dot */
		page_raw(b, "<circle cx=\"%d\" cy=\"%.1f\" r=\"3\" "
		    "fill=\"%s\"/>", MARGIN_L, CHART_H - MARGIN_B -
		    (double)(CHART_H - MARGIN_B - MARGIN_T) * (double)c[0] /
		    (double)max, colour);
}

/* The chart and the table of kind k. */
static void
kind_section(struct evbuffer *b, const struct rulestats_view *v, int k)
{
	const struct rulestats_series *s;
	uint64_t max = 1, *other;
	size_t i, n = 0, nother = 0, h;
	char t0[32], t1[32];

	for (i = 0; i < v->n; i++)
		n += (int)v->v[i].kind == k;
	page_raw(b, "<section id=\"%s\">\n<h2>%s</h2>\n<p>%s</p>\n",
	    store_stat_kind_name(k), titles[k], blurbs[k]);
	if (n == 0) {
		page_raw(b, "<p class=\"none\">None counted.</p>\n"
		    "</section>\n");
		return;
	}
	other = xcalloc(v->nhours ? v->nhours : 1, sizeof(*other));
	for (i = 0, n = 0; i < v->n; i++) {
		s = &v->v[i];
		if ((int)s->kind != k)
			continue;
		for (h = 0; h < v->nhours; h++) {
			if (n >= STATPAGE_LINES)
				other[h] += s->hours[h];
			if (n < STATPAGE_LINES && s->hours[h] > max)
				max = s->hours[h];
			if (n >= STATPAGE_LINES && other[h] > max)
				max = other[h];
		}
		if (n++ >= STATPAGE_LINES)
			nother++;
	}
	hour_text(v->first, t0, sizeof(t0));
	hour_text(v->first + (uint32_t)v->nhours - 1, t1, sizeof(t1));
	page_raw(b, "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart\" role=\"img\" width=\"100%%\" "
	    "viewBox=\"0 0 %d %d\" aria-labelledby=\"%s-title\">"
	    "<title id=\"%s-title\">%s per hour, %s to %s UTC</title>\n",
	    CHART_W, CHART_H, store_stat_kind_name(k),
	    store_stat_kind_name(k), titles[k], t0, t1);
	/* the axes, the top count and the first and last hour */
	page_raw(b, "<g class=\"axes\" stroke=\"#888\" fill=\"#444\" "
	    "font-size=\"11\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
	    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" stroke=\"none\">"
	    "%llu</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
	    "stroke=\"none\">0</text>"
	    "<text x=\"%d\" y=\"%d\" stroke=\"none\">%s</text>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" stroke=\"none\">"
	    "%s</text></g>\n",
	    MARGIN_L, MARGIN_T, MARGIN_L, CHART_H - MARGIN_B,
	    MARGIN_L, CHART_H - MARGIN_B, CHART_W - 8, CHART_H - MARGIN_B,
	    MARGIN_L - 4, MARGIN_T + 10, (unsigned long long)max,
	    MARGIN_L - 4, CHART_H - MARGIN_B, MARGIN_L, CHART_H - 6, t0,
	    CHART_W - 8, CHART_H - 6, t1);
	for (i = 0, n = 0; i < v->n && n < STATPAGE_LINES; i++) {
		s = &v->v[i];
		if ((int)s->kind != k)
			continue;
		page_raw(b, "<g class=\"series\" data-reason=\"");
		page_esc(b, s->reason);
		page_raw(b, "\" data-rule=\"");
		page_esc(b, s->rule);
		page_raw(b, "\"><title>");
		label(b, s);
		page_raw(b, ": %llu</title>", (unsigned long long)s->recent);
		polyline(b, v, s->hours, max, colours[n]);
		page_raw(b, "</g>\n");
		n++;
	}
	if (nother > 0) {
		page_raw(b, "<g class=\"series\" data-reason=\"other\"><title>"
		    "%zu others</title>", nother);
		polyline(b, v, other, max, colours[STATPAGE_LINES]);
		page_raw(b, "</g>\n");
	}
	free(other);
	page_raw(b, "</svg>\n</figure>\n");
	/* the table, which is also the chart's legend */
	page_raw(b, "<table class=\"totals\"><thead><tr><th></th>"
	    "<th>Reason (rule)</th><th>Last %zu h</th><th>Since the "
	    "database was made</th></tr></thead>\n<tbody>\n", v->nhours);
	for (i = 0, n = 0; i < v->n; i++) {
		s = &v->v[i];
		if ((int)s->kind != k)
			continue;
		page_raw(b, "<tr><td><span class=\"key\" style=\"background:"
		    "%s\"></span></td><td>", colours[n < STATPAGE_LINES ? n :
		    STATPAGE_LINES]);
		label(b, s);
		page_raw(b, "</td><td class=\"n\">%llu</td><td class=\"n\">"
		    "%llu</td></tr>\n", (unsigned long long)s->recent,
		    (unsigned long long)s->total);
		n++;
	}
	page_raw(b, "</tbody></table>\n</section>\n");
}

void
statpage_write(struct evbuffer *b, const struct rulestats_view *v)
{
	int k;

	page_begin(b, "Statistics per rule");
	page_raw(b, "<style>svg.chart{display:block;max-width:100%%;"
	    "height:auto;border:1px solid #ddd}table.totals{border-collapse:collapse;"
	    "width:100%%}table.totals td,table.totals th{border-bottom:1px "
	    "solid #ddd;padding:.2rem .4rem;text-align:left}"
	    "td.n{text-align:right}span.key{display:inline-block;"
	    "width:.8rem;height:.8rem}</style>\n"
	    "<p>Counted by rdnsbld per hour (UTC); the first line of each "
	    "table is the rule that lists most. Relax a rule that draws many "
	    "requests and approvals for what it lists.</p>\n");
	for (k = 0; k < STAT_KIND_MAX; k++)
		kind_section(b, v, k);
	page_end(b);
}
