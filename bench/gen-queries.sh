#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: gen-queries.sh N NQ ZONE [EXTRA_FILE NEXTRA] [SEED]
# Print NQ dnsperf query lines ("D.C.B.A.ZONE A") for the data set that
# `gen-ip4set.sh N SEED' prints: listed and unlisted addresses in turn,
# so half of the queries are listed.
#
# Listed: the entries of the set taken at an even stride over the whole
# file (so the queries touch all of it), a /32 as itself, a /24 as one of
# its addresses; when the set has fewer than NQ/2 entries they repeat.
# Unlisted: the next addresses of the /32 generator (a full-period LCG, so
# none is one of the set's /32s) that fall in none of the set's /24s.
# With EXTRA_FILE, NEXTRA more unlisted addresses, not among the queries,
# go to that file, one dotted quad a line (for the change measurements).
# The same arguments give the same output.
n=${1:?usage: gen-queries.sh N NQ ZONE [EXTRA_FILE NEXTRA] [SEED]}
nq=${2:?usage: gen-queries.sh N NQ ZONE [EXTRA_FILE NEXTRA] [SEED]}
zone=${3:?usage: gen-queries.sh N NQ ZONE [EXTRA_FILE NEXTRA] [SEED]}
extra=${4:-}
nextra=${5:-0}
seed=${6:-1}
awk -v n="$n" -v nq="$nq" -v zone="$zone" -v extra="$extra" \
    -v nextra="$nextra" -v seed="$seed" '
function q(v) {
	return sprintf("%d.%d.%d.%d", v % 256, int(v / 256) % 256,
	    int(v / 65536) % 256, int(v / 16777216))
}
function nextx() {	# the /32 generator of gen-ip4set.sh
	do {
		x = (x * 69069 + 1) % 4294967296
		a = int(x / 16777216)
	} while (a == 0 || a == 127)
	return x
}
BEGIN {
	half = int(nq / 2)
	stride = int(n / half); if (stride < 1) stride = 1
	x = seed; y = seed; nl = 0
	for (i = 0; i < n; i++) {
		if (i % 10 == 9) {
			do {
				y = (y * 69069 + 1) % 16777216
				a = int(y / 65536)
			} while (a == 0 || a == 127)
			s24[y] = 1
			v = y * 256 + 1 + i % 254
		} else
			v = nextx()
		if (i % stride == 0 && nl < half)
			listed[nl++] = v
	}
	for (j = 0; j < nq - half; j++) {
		do v = nextx(); while (int(v / 256) in s24)
		unl[j] = v
	}
	for (j = 0; j < nq; j++)
		if (j % 2 == 0)
			printf "%s.%s A\n", q(listed[int(j / 2) % nl]), zone
		else
			printf "%s.%s A\n", q(unl[int(j / 2)]), zone
	for (j = 0; j < nextra; j++) {
		do v = nextx(); while (int(v / 256) in s24)
		printf "%d.%d.%d.%d\n", int(v / 16777216),
		    int(v / 65536) % 256, int(v / 256) % 256, v % 256 >extra
	}
}'
