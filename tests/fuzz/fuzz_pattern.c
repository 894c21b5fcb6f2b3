/* SPDX-License-Identifier: ISC */
/*
 * fuzz_pattern.c -- libFuzzer target: the pattern file parser
 * (dynamic-patterns:, patterns_load_string) and the bad-HELO list
 * parser (helo_list_load_string) on the input, then a few names
 * matched against what loaded.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "helo.h"
#include "pattern.h"
#include "util.h"
#include "fuzz.h"

static const char *names[] = {
	"dsl-192-0-2-1.dyn.example.net", "mail.example.org",
	"host-10-0-0-1.pool.example.com", "192.0.2.1", "a", "",
	"x.y.z.", "ppp123.ISP.example.",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct patterns *p;
	struct helo_list *hl;
	struct pattern_match m;
	char *text;
	size_t i;
	int nerr = 0, seen = 0;

	text = fuzz_text(data, size);
	p = patterns_load_string("fuzz.rules", text, fuzz_count, &seen, &nerr);
	if ((p == NULL) != (nerr > 0) || nerr != seen)
		abort();
	if (p != NULL) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			(void)patterns_match(p, names[i], &m);
		(void)patterns_count(p, NULL);
		patterns_free(p);
	}
	nerr = seen = 0;
	hl = helo_list_load_string("fuzz.txt", text, fuzz_count, &seen, &nerr);
	if (hl != NULL) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			(void)helo_list_match(hl, names[i]);
		helo_list_free(hl);
	}
	free(text);
	return 0;
}
