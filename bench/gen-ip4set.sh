#!/bin/sh
# Usage: gen-ip4set.sh N [SEED]
# Print a deterministic rbldnsd ip4set of N entries on stdout: nine /32s
# for every /24, spread over the address space by a multiplicative hash,
# with a default value line. The same N and SEED give the same file.
n=${1:?usage: gen-ip4set.sh N [SEED]}
seed=${2:-1}
awk -v n="$n" -v seed="$seed" 'BEGIN {
	print "# rdnsbl benchmark data: " n " entries, seed " seed
	print ":127.0.0.2:Listed in the benchmark set"
	x = seed
	for (i = 0; i < n; i++) {
		x = (x * 69069 + 1) % 4294967296
		a = int(x / 16777216); b = int(x / 65536) % 256
		c = int(x / 256) % 256; d = x % 256
		if (a == 127 || a == 0) a = 11
		if (i % 10 == 9)
			printf "%d.%d.%d.0/24\n", a, b, c
		else
			printf "%d.%d.%d.%d\n", a, b, c, d
	}
}'
