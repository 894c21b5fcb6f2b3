#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: gen-dnset.sh N ZONE NQ QUERIES [SEED]
# Print a deterministic rbldnsd dnset of N distinct entries on stdout,
# and write NQ dnsperf query lines ("NAME.ZONE A") for it to the file
# QUERIES, half of them listed.
#
# Entries: names of two to four labels under a few dozen registered
# domains ("w1a2b3c.d4e5.example17.com"), six in ten plain ("name"), two
# in ten ".name" (the name and below) and two in ten "*.name" (below
# only), every hundredth an exclusion ("!sub.name") under a wildcard,
# with a default value line. The names come from a full-period linear
# congruential generator mod 2^32, so none repeats.
# Queries, in turn: a listed one (a plain name as itself, a wildcard's
# name with one more label), and an unlisted one (a name of the same
# shape that the generator has not reached, or a wildcard's own name).
# The same arguments give the same output.
n=${1:?usage: gen-dnset.sh N ZONE NQ QUERIES [SEED]}
zone=${2:?usage: gen-dnset.sh N ZONE NQ QUERIES [SEED]}
nq=${3:?usage: gen-dnset.sh N ZONE NQ QUERIES [SEED]}
queries=${4:?usage: gen-dnset.sh N ZONE NQ QUERIES [SEED]}
seed=${5:-1}
awk -v n="$n" -v zone="$zone" -v nq="$nq" -v queries="$queries" \
    -v seed="$seed" '
function name(v,   t, l) {
	t = sprintf("w%x.example%d.%s", v, v % 37, tld[v % 4])
	l = int(v / 7) % 3
	if (l >= 1) t = sprintf("m%x.%s", int(v / 13) % 65536, t)
	if (l >= 2) t = sprintf("s%d.%s", v % 1000, t)
	return t
}
function nextx() {
	x = (x * 69069 + 1) % 4294967296
	return x
}
BEGIN {
	tld[0] = "com"; tld[1] = "net"; tld[2] = "org"; tld[3] = "test"
	print "# rdnsbl benchmark data: " n " dnset entries, seed " seed
	print ":127.0.0.2:Listed in the benchmark set"
	x = seed
	half = int(nq / 2)
	stride = int(n / half); if (stride < 1) stride = 1
	nl = 0
	for (i = 0; i < n; i++) {
		v = nextx()
		d = name(v)
		f = v % 10
		if (f < 6) {
			print d
			if (i % stride == 0 && nl < half) listed[nl++] = d
		} else if (f < 8) {
			print "." d
			if (i % stride == 0 && nl < half) listed[nl++] = "a." d
		} else {
			print "*." d
			if (i % 100 == 8) print "!x." d
			if (i % stride == 0 && nl < half)
				listed[nl++] = "b." d
		}
	}
	# unlisted: names the generator reaches after the N entries
	for (i = 0; i < nq; i++) {
		if (i % 2 == 0 && nl > 0)
			q = listed[int(i / 2) % nl]
		else
			q = name(nextx())
		print q "." zone " A" >queries
	}
}'
