#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: gen-ip6set.sh N [SEED]
#        gen-ip6set.sh -q N NQ ZONE [EXTRA_FILE NEXTRA] [SEED]
# The IPv6 counterpart of gen-ip4set.sh and gen-queries.sh, in one
# script so that both modes draw the same set.
#
# Without -q: print a deterministic rbldnsd ip6trie file of N distinct
# entries on stdout, with a default value line, mixed as IPv6 lists are:
#   45 % /128 (hosts), 25 % /64, 12 % /48, 6 % /56, 2 % /60, inside the
#        networks of N/64 + 16 providers (a /32 each, in 2001::/16,
#        2400::/12, 2600::/12, 2800::/12, 2a00::/12 and 2c00::/12): a
#        site's /48 at random in the provider, its /64 among the first
#        256, hosts ::1-::100 or a random interface identifier;
#   4 % /32, 2 % /40, 2 % /44 and 2 % /36: whole networks elsewhere (not
#        in the providers above, as in lists that take a bad network
#        whole).
# Nine prefix lengths in all; no entry repeats. The same N and SEED give
# the same file.
#
# With -q: print NQ dnsperf query lines ("32 nibbles.ZONE A") for that
# set: listed and unlisted addresses in turn. Listed: the entries taken
# at an even stride over the whole set, a random address inside each
# (itself for a /128); unlisted: addresses drawn as the hosts are, in
# the same providers, that fall in no entry. With EXTRA_FILE, NEXTRA more
# unlisted addresses, not among the queries, go to that file, one a line
# (for the change measurements).
q=
if [ "${1:-}" = -q ]; then
	q=1
	shift
	u="usage: gen-ip6set.sh -q N NQ ZONE [EXTRA_FILE NEXTRA] [SEED]"
	n=${1:?$u}
	nq=${2:?$u}
	zone=${3:?$u}
	extra=${4:-}
	nextra=${5:-0}
	seed=${6:-1}
else
	n=${1:?usage: gen-ip6set.sh N [SEED]}
	seed=${2:-1}
	nq=0 zone= extra= nextra=0
fi
awk -v n="$n" -v seed="$seed" -v q="$q" -v nq="$nq" -v zone="$zone" \
    -v extra="$extra" -v nextra="$nextra" '
# A full-period LCG mod 2^32; its top 16 bits are the draws.
function r16() {
	x = (x * 69069 + 1) % 4294967296
	return int(x / 65536)
}
function draw(m) {		# 0 .. m - 1, m up to 2^32
	return (r16() * 65536 + r16()) % m
}
# g[1..8]: a host of a random provider
function host(   p) {
	p = draw(np)
	g[1] = pg1[p]; g[2] = pg2[p]
	g[3] = r16(); g[4] = r16() % 256
	if (r16() % 10 < 3) {
		g[5] = 0; g[6] = 0; g[7] = 0; g[8] = r16() % 256 + 1
	} else {
		g[5] = r16(); g[6] = r16(); g[7] = r16(); g[8] = r16()
	}
}
# clear the bits of g past len
function mask(len,   i, r) {
	for (i = 1; i <= 8; i++) {
		r = len - (i - 1) * 16
		if (r <= 0)
			g[i] = 0
		else if (r < 16)
			g[i] = int(g[i] / 2 ^ (16 - r)) * 2 ^ (16 - r)
	}
}
function text(len,   s, i) {
	s = sprintf("%x", g[1])
	for (i = 2; i <= 8; i++)
		s = s sprintf(":%x", g[i])
	return len == 128 ? s : s "/" len
}
function nibbles(   s, i, h, j) {
	s = ""
	for (i = 1; i <= 8; i++) {
		h = sprintf("%04x", g[i])
		for (j = 1; j <= 4; j++)
			s = substr(h, j, 1) "." s
	}
	return s
}
# 1 if the address in g falls in an entry of the set
function listed(   i, k, save) {
	for (k = 1; k <= 8; k++)
		save[k] = g[k]
	for (i = 1; i <= nl; i++) {
		mask(lens[i])
		if (text(lens[i]) in seen) {
			for (k = 1; k <= 8; k++)
				g[k] = save[k]
			return 1
		}
		for (k = 1; k <= 8; k++)
			g[k] = save[k]
	}
	return 0
}
BEGIN {
	split("128 64 48 56 60 32 40 44 36", lens, " "); nl = 9
	split("8193 9216 9728 10240 10752 11279", region, " ")
	x = seed
	np = int(n / 64) + 16
	for (p = 0; p < np; p++) {
		rg = region[r16() % 6 + 1]
		pg1[p] = rg == 8193 || rg == 11279 ? rg : rg + r16() % 16
		pg2[p] = r16()
		prov[pg1[p] ":" pg2[p]] = 1
	}
	if (!q) {
		print "# rdnsbl benchmark data: " n " IPv6 entries, seed " seed
		print ":127.0.0.2:Listed in the benchmark set"
	}
	half = int(nq / 2)
	stride = half ? int(n / half) : 1; if (stride < 1) stride = 1
	for (i = 0; i < n; i++) {
		do {
			r = r16() % 100
			if (r < 45) len = 128
			else if (r < 70) len = 64
			else if (r < 82) len = 48
			else if (r < 88) len = 56
			else if (r < 90) len = 60
			else if (r < 94) len = 32
			else if (r < 96) len = 40
			else if (r < 98) len = 44
			else len = 36
			if (len >= 48)
				host()
			else {
				do {
					g[1] = 9216 + r16() % 4096
					g[2] = r16()
				} while ((g[1] ":" g[2]) in prov)
				for (k = 3; k <= 8; k++)
					g[k] = r16()
			}
			if (q && i % stride == 0 && nlisted < half) {
				# an address inside, before the mask
				for (k = 1; k <= 8; k++)
					in_[k] = g[k]
			}
			mask(len)
			t = text(len)
		} while (t in seen)
		seen[t] = 1
		if (!q)
			print t
		else if (i % stride == 0 && nlisted < half) {
			# the entry, with the host bits of the address drawn
			for (k = 1; k <= 8; k++)
				g[k] = in_[k]
			lq[nlisted++] = nibbles()
		}
	}
	if (!q)
		exit
	for (j = 0; j < nq - half + nextra; j++) {
		do host(); while (listed())
		if (j < nq - half)
			uq[j] = nibbles()
		else
			print text(128) >extra
	}
	for (j = 0; j < nq; j++)
		if (j % 2 == 0)
			printf "%s%s A\n", lq[int(j / 2) % nlisted], zone
		else
			printf "%s%s A\n", uq[int(j / 2)], zone
}'
