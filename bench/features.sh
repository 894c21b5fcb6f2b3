#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: bench/features.sh N
# The CPU cost of the optional parts of the query path, against none, in
# one run: rdnsbld of $BUILD (default: this tree) on a database of
# `bench/gen-ip4set.sh N' entries, under four configurations,
#
#	off	rate-limit: 0, log-queries: no
#	rrl	rate-limit: 10000000 with no prefix exempt, so that every
#		answer is counted in its bucket and none is limited
#	qlog	log-queries: yes, the lines to a file (-d, stderr)
#	both	rrl and qlog
#	dnstap	dnstap-socket-path: to fstrm_capture writing a file (on CPU
#		1 with dnsperf), queries and answers both; only when $BUILD
#		has dnstap and fstrm_capture is installed. The frames
#		dropped for a full queue are reported (from /metrics):
#		a run that drops many costs less than it should.
#
# taken in turn within each of ROUNDS rounds (default 5) so that the load
# of a shared machine falls on all of them alike. Each run: rdnsbld
# pinned to CPU 0, dnsperf on CPU 1 at RATE queries a second (default
# 50000) for SECS seconds (default 10), NQ queries (default 200000, half
# listed). One line per run (configuration, queries per second, server
# CPU per answered query from utime+stime of /proc/PID/stat); then the
# median CPU per query of each configuration and its ratio to off.
set -u
n=${1:?usage: features.sh N}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top}
secs=${SECS:-10}
rounds=${ROUNDS:-5}
nq=${NQ:-200000}
rate=${RATE:-50000}
hz=$(getconf CLK_TCK)
work=$(mktemp -d "${TMPDIR:-/tmp}/rdnsbl-features.XXXXXX")
pid=
cpid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; [ -n "$cpid" ] && kill "$cpid" 2>/dev/null && wait "$cpid" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP

. "$top/bench/lib.sh"
need_tools features.sh dnsperf:dnsperf dig:bind9-dnsutils taskset:util-linux
port=$(freeport) || { echo "features.sh: no free port" >&2; exit 1; }
base()
{
	cat <<CONF
server:
	listen: 127.0.0.1@$port
	database: $work/db
	map-size: $(( n / 1000000 + 1 ))g
	verbosity: 0
	log: stderr
CONF
}
rrl="	rate-limit: 10000000
	rate-limit-exempt: 192.0.2.1"
qlog="	log-queries: yes"
configs="off rrl qlog both"
if grep -q '^#define HAVE_DNSTAP 1' "$build/config.h" 2>/dev/null &&
    command -v fstrm_capture >/dev/null 2>&1; then
	configs="$configs dnstap"
	hport=$(freeport) || { echo "features.sh: no free port" >&2; exit 1; }
fi
zone="zone:
	name: bl.bench
	type: dnsbl
	soa: ns.bl.bench hostmaster.bl.bench
	ns: ns.bl.bench"
{ base; echo "	rate-limit: 0"; echo "$zone"; } >"$work/off.conf"
{ base; echo "$rrl"; echo "$zone"; } >"$work/rrl.conf"
{ base; echo "	rate-limit: 0"; echo "$qlog"; echo "$zone"; } >"$work/qlog.conf"
{ base; echo "$rrl"; echo "$qlog"; echo "$zone"; } >"$work/both.conf"
{ base; echo "	rate-limit: 0"; echo "	dnstap-socket-path: $work/tap.sock"
    echo "$zone"; printf 'http:\n\tlisten: 127.0.0.1@%s\n' "${hport:-0}"; } \
    >"$work/dnstap.conf"
gen_set "$n" "$work/data.txt" "$work/queries.txt" "$nq" || exit 1
"$build/src/rdnsblctl" -c "$work/off.conf" import black \
    "$work/data.txt" >/dev/null || exit 1
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	for c in $configs; do
		cpid=
		if [ "$c" = dnstap ]; then
			rm -f "$work/tap.sock" "$work/tap.fstrm"
			taskset -c 1 fstrm_capture -t protobuf:dnstap.Dnstap \
			    -u "$work/tap.sock" -w "$work/tap.fstrm" \
			    2>/dev/null &
			cpid=$!
			while [ ! -S "$work/tap.sock" ]; do sleep 0.1; done
		fi
		taskset -c 0 "$build/src/rdnsbld" -d -c "$work/$c.conf" \
		    2>"$work/log" &
		pid=$!
		for i in 1 2 3 4 5 6 7 8 9 10; do
			dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" \
			    bl.bench SOA >/dev/null 2>&1 && break
			sleep 0.2
		done
		c0=$(ticks "$pid")
		taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" \
		    -d "$work/queries.txt" -l "$secs" -c 4 -T 1 -q 500 \
		    -t 2 -Q "$rate" >"$work/out" 2>&1
		c1=$(ticks "$pid")
		done_=$(field "Queries completed" "$work/out")
		lost=$(field "Queries lost" "$work/out")
		cpu=$(awk -v c=$((c1 - c0)) -v q="$done_" -v hz="$hz" \
		    'BEGIN {printf "%.3f", q ? c / hz * 1e6 / q : 0}')
		extra=
		if [ -n "$cpid" ]; then
			extra=" dnstap_dropped $(curl -s \
			    "http://127.0.0.1:$hport/metrics" | awk \
			    '$1 ~ /^rdnsbl_dnstap_frames_total.*dropped/ {
			    print $2 }')"
		fi
		echo "round $r $c qps $(field "Queries per second" "$work/out" |
		    cut -d. -f1) lost $lost cpu_us_per_query $cpu log_lines $(wc -l <"$work/log")$extra"
		echo "$c $cpu" >>"$work/cpu"
		kill "$pid"; wait "$pid" 2>/dev/null; pid=
		if [ -n "$cpid" ]; then
			kill "$cpid"; wait "$cpid" 2>/dev/null
			echo "round $r dnstap file $(wc -c <"$work/tap.fstrm") bytes"
			rm -f "$work/tap.fstrm"
		fi
	done
done
med() { awk -v c="$1" '$1 == c {print $2}' "$work/cpu" | median; }
off=$(med off)
for c in $configs; do
	m=$(med "$c")
	echo "median $c: cpu_us_per_query $m ratio_to_off $(awk -v a="$m" -v b="$off" 'BEGIN {printf "%.2f", b ? a / b : 0}')"
done
