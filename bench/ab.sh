#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: bench/ab.sh N RDNSBLD...
# Compare rdnsbld binaries (for instance builds of successive commits) on
# the same database: `bench/gen-ip4set.sh N' imported once with
# $BUILD/src/rdnsblctl (default: this tree), NQ queries (default
# 1,000,000, half listed, bench/gen-queries.sh). For ROUNDS rounds
# (default 3), each binary in turn is started pinned to CPU 0 and
# measured by dnsperf on CPU 1 for SECS seconds (default 10), at
# saturation and at RATE queries per second (default 150000). One line per
# run: binary, load, queries per second, average latency, server CPU per
# answered query (utime+stime from /proc/PID/stat over the answers), and
# VmRSS; then the median CPU per query of each binary and load.
# FAMILY=6: the IPv6 set and queries of `bench/gen-ip6set.sh N' instead.
# To build a binary of a commit:
#   git worktree add ../c COMMIT && cd ../c && ./autogen.sh &&
#       ./configure -q && make -j2 src/rdnsbld && cp src/rdnsbld ../rdnsbld.COMMIT
set -u
n=${1:?usage: ab.sh N RDNSBLD...}
shift
[ $# -gt 0 ] || { echo "usage: ab.sh N RDNSBLD..." >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top}
secs=${SECS:-10}
rounds=${ROUNDS:-3}
nq=${NQ:-1000000}
rate=${RATE:-150000}
hz=$(getconf CLK_TCK)
work=$(mktemp -d "${TMPDIR:-/tmp}/rdnsbl-ab.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP

. "$top/bench/lib.sh"
port=$(freeport) || { echo "ab.sh: no free port" >&2; exit 1; }
cat >"$work/rdnsbld.conf" <<CONF
server:
	listen: 127.0.0.1@$port
	database: $work/db
	map-size: $(( n / 1000000 + 1 ))g
	verbosity: 0
zone:
	name: bl.bench
	type: dnsbl
	soa: ns.bl.bench hostmaster.bl.bench
	ns: ns.bl.bench
CONF
gen_set "$n" "$work/data.txt" "$work/queries.txt" "$nq" || exit 1
"$build/src/rdnsblctl" -c "$work/rdnsbld.conf" import black \
    "$work/data.txt" >/dev/null || exit 1
# fgflag BINARY: "-d" for a build that forks without it (older ones do not)
fgflag() { "$1" -d -V >/dev/null 2>&1 && echo -d; }
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	for b in "$@"; do
		taskset -c 0 "$b" $(fgflag "$b") -c "$work/rdnsbld.conf" 2>>"$work/log" &
		pid=$!
		for i in 1 2 3 4 5 6 7 8 9 10; do
			dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" \
			    bl.bench SOA >/dev/null 2>&1 && break
			sleep 0.2
		done
		for m in sat rate; do
			q=
			[ $m = rate ] && q="-Q $rate"
			c0=$(ticks "$pid")
			taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" \
			    -d "$work/queries.txt" -l "$secs" -c 4 -T 1 -q 500 \
			    -t 2 $q >"$work/out" 2>&1
			c1=$(ticks "$pid")
			done_=$(field "Queries completed" "$work/out")
			cpu=$(awk -v c=$((c1 - c0)) -v q="$done_" -v hz="$hz" \
			    'BEGIN {printf "%.3f", q ? c / hz * 1e6 / q : 0}')
			echo "$b $m qps $(field "Queries per second" "$work/out" |
			    cut -d. -f1) latency_us $(awk -v l="$(field "Average Latency (s)" "$work/out")" 'BEGIN {printf "%.0f", l * 1e6}') cpu_us_per_query $cpu rss_kB $(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
			echo "$b $m $cpu" >>"$work/cpu"
		done
		kill "$pid"; wait "$pid" 2>/dev/null; pid=
	done
done
for b in "$@"; do
	for m in sat rate; do
		echo "median $b $m: cpu_us_per_query $(awk -v b="$b" -v m="$m" \
		    '$1 == b && $2 == m {print $3}' "$work/cpu" | median)"
	done
done
