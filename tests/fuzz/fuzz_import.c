/* SPDX-License-Identifier: ISC */
/*
 * fuzz_import.c -- libFuzzer target: the rbldnsd data file parser of
 * "rdnsblctl import" (ipfile_open, ipfile_next) on the input as a file,
 * plain or gzip-compressed, read as an ip4set/ip6trie file or as a dnset
 * file as the first byte says; every entry and every bad line read to the
 * end.
 */
#include "config.h"

#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipfile.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipfile *ipf;
	struct ipfile_entry e;
	char err[512];
	unsigned flags = 0;
	int fd, rc, nwarn = 0;
	long n = 0;

	if (size < 1)
		return 0;
	if (data[0] & 1)
		flags |= IPFILE_DOMAINS;
	if (data[0] & 2)
		flags |= IPFILE_HOST_BITS;
	if (data[0] & 4)
		flags |= IPFILE_NODUPS;
	data++;
	size--;
	if ((fd = memfd_create("fuzz", 0)) == -1)
		abort();
	if (write(fd, data, size) != (ssize_t)size ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	if ((ipf = ipfile_open(fd, "fuzz.txt", flags, 1700000000, fuzz_count,
	    &nwarn)) == NULL)
		abort();
	while ((rc = ipfile_next(ipf, &e, err, sizeof(err))) != 0) {
		/* A bad line names where it is. */
		if (rc == -1 && strncmp(err, "fuzz.txt", 8) != 0)
			abort();
		if (rc == 1 && e.txt == NULL)
			abort();
		/* Every line ends the loop eventually: no entry is read twice. */
		if (++n > 100000000L)
			abort();
	}
	ipfile_close(ipf);
	close(fd);
	return 0;
}
