/* SPDX-License-Identifier: ISC */
/*
 * fuzz_conf.c -- libFuzzer target: the configuration parser
 * (conf_load_string) on the input as the text of rdnsbld.conf, then the
 * printout of what it loaded (conf_dump, "rdnsbld -n -v").
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "util.h"
#include "fuzz.h"

static void
conf_err(void *arg, const char *file, int line, const char *msg)
{
	(void)file;
	(void)line;
	fuzz_count(arg, msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct conf *conf;
	char *text;
	int nerr = 0, seen = 0;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	text = fuzz_text(data, size);
	conf = conf_load_string("fuzz.conf", text, conf_err, &seen, &nerr);
	/* Errors and a configuration exclude each other, and are counted. */
	if ((conf == NULL) != (nerr > 0) || nerr != seen)
		abort();
	if (conf != NULL) {
		conf_dump(conf, devnull);
		conf_free(conf);
	}
	free(text);
	return 0;
}
