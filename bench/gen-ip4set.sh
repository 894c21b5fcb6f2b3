#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: gen-ip4set.sh N [SEED]
# Print a deterministic rbldnsd ip4set of N distinct entries on stdout:
# nine /32s for every /24, spread over the address space by two
# full-period linear congruential generators (mod 2^32 for the /32s,
# mod 2^24 for the /24s, so no entry repeats), with a default value line.
# 0/8 and 127/8 are left out. The same N and SEED give the same file.
n=${1:?usage: gen-ip4set.sh N [SEED]}
seed=${2:-1}
awk -v n="$n" -v seed="$seed" 'BEGIN {
	print "# rdnsbl benchmark data: " n " entries, seed " seed
	print ":127.0.0.2:Listed in the benchmark set"
	x = seed; y = seed
	for (i = 0; i < n; i++) {
		if (i % 10 == 9) {
			do {
				y = (y * 69069 + 1) % 16777216
				a = int(y / 65536)
			} while (a == 0 || a == 127)
			b = int(y / 256) % 256; c = y % 256
			printf "%d.%d.%d.0/24\n", a, b, c
		} else {
			do {
				x = (x * 69069 + 1) % 4294967296
				a = int(x / 16777216)
			} while (a == 0 || a == 127)
			b = int(x / 65536) % 256
			c = int(x / 256) % 256; d = x % 256
			printf "%d.%d.%d.%d\n", a, b, c, d
		}
	}
}'
