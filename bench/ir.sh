#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: bench/ir.sh N RDNSBLD...
# The instructions each rdnsbld binary spends per query, counted by
# valgrind's callgrind: repeatable for the same binary and queries,
# whatever else the machine is doing, where CPU time (bench/ab.sh) moves
# with the load of a shared machine. `bench/gen-ip4set.sh N' is imported
# once with $BUILD/src/rdnsblctl (default: this tree); each binary in
# turn answers the same NQ queries (default 20,000, half listed,
# bench/gen-queries.sh) sent once by dnsperf at RATE a second (default
# 2,000, slow enough for the daemon under valgrind to miss none), and
# only the instructions inside the UDP read handler (udp_read: receive,
# parse, decide, answer, send) are counted. One line per binary: the
# queries answered, the instructions per query and dnsperf's response
# codes. The binaries need their symbols (the default -g of configure).
# FAMILY=6: the IPv6 set and queries of `bench/gen-ip6set.sh N' instead.
#
# An argument `rbldnsd' counts the Debian package's rbldnsd on the same
# data (an ip4set, or an ip6trie with FAMILY=6). It has no symbols, so
# what is counted is the whole process: the difference between a run
# that answers the queries once and one that answers them three times,
# over the difference in answers (its start and the loading of the data
# cancel out). WHOLE=1 counts the rdnsbld binaries in the same way, so
# that the two servers' figures compare; those include the event loop's
# own work, which udp_read's do not.
set -u
n=${1:?usage: ir.sh N RDNSBLD...}
shift
[ $# -gt 0 ] || { echo "usage: ir.sh N RDNSBLD..." >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top}
nq=${NQ:-20000}
rate=${RATE:-2000}
work=$(mktemp -d "${TMPDIR:-/tmp}/rdnsbl-ir.XXXXXX")
pid=
chmod 755 "$work"
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; [ -n "${KEEP:-}" ] && cp "$work"/cg.* "$KEEP"/ 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP

. "$top/bench/lib.sh"
need_tools ir.sh valgrind:valgrind callgrind_annotate:valgrind \
    dnsperf:dnsperf dig:bind9-dnsutils
port=$(freeport) || { echo "ir.sh: no free port" >&2; exit 1; }
cat >"$work/rdnsbld.conf" <<CONF
server:
	listen: 127.0.0.1@$port
	database: $work/db
	map-size: $(( n / 1000000 + 1 ))g
	verbosity: 1
zone:
	name: bl.bench
	type: dnsbl
	soa: ns.bl.bench hostmaster.bl.bench
	ns: ns.bl.bench
CONF
gen_set "$n" "$work/data.txt" "$work/queries.txt" "$nq" || exit 1
"$build/src/rdnsblctl" -c "$work/rdnsbld.conf" import black \
    "$work/data.txt" >/dev/null || exit 1
chmod 644 "$work/data.txt"
printf '%s\n%s\n' '$SOA 300 ns.bl.bench hostmaster.bl.bench 1 3600 600 86400 120' \
    '$NS 300 ns.bl.bench' >"$work/soa.txt"
chmod 644 "$work/soa.txt"
total() {
	callgrind_annotate "$1" 2>/dev/null |
	    awk '/PROGRAM TOTALS/ {gsub(/,/, "", $1); print $1; exit}'
}
# whole NAME CMD...: the instructions per query of the whole process CMD
# (which answers on $port), by difference; rbldnsd runs as its own user
# when this runs as root (it refuses root, and valgrind's file must stay
# its own)
# fgflag BINARY: "-d" for a build that forks without it (older ones do not)
fgflag() { "$1" -d -V >/dev/null 2>&1 && echo -d; }
whole() {
	w_name=$1
	shift
	w_as= w_out=$work
	if [ "$(id -u)" = 0 ] && [ "$w_name" = rbldnsd ]; then
		w_as="runuser -u rbldns --" w_out=$work/rbldns
		mkdir -p "$w_out" && chown rbldns "$w_out" || return 1
	fi
	for reps in 1 3; do
		: >"$work/log"
		$w_as valgrind -q --tool=callgrind \
		    --callgrind-out-file="$w_out/cg.w$reps" "$@" 2>>"$work/log" &
		pid=$!
		for t in $(seq 1 1200); do
			kill -0 "$pid" 2>/dev/null ||
			    { cat "$work/log" >&2; return 1; }
			if [ "$w_name" = rbldnsd ]; then
				dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" \
				    bl.bench SOA >/dev/null 2>&1 && break
			else
				grep -q 'lists in memory' "$work/log" && break
			fi
			sleep 0.5
		done
		dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" \
		    -n "$reps" -c 1 -T 1 -Q "$rate" -t 5 >"$work/out.$reps" 2>&1
		kill "$pid"; wait "$pid" 2>/dev/null; pid=
	done
	echo "$w_name answered $(field "Queries completed" "$work/out.1") and $(field "Queries completed" "$work/out.3") of $nq and $((nq * 3)) whole_process_instructions_per_query $(awk \
	    -v a="$(total "$w_out/cg.w1")" -v b="$(total "$w_out/cg.w3")" \
	    -v q1="$(field "Queries completed" "$work/out.1")" \
	    -v q3="$(field "Queries completed" "$work/out.3")" \
	    'BEGIN {printf "%.0f", (q3 > q1 ? (b - a) / (q3 - q1) : 0)}') codes $(sed -n \
	    's/^ *Response codes: *//p' "$work/out.3")"
}
i=0
for b in "$@"; do
	i=$((i + 1))
	if [ "$b" = rbldnsd ]; then
		ds=ip4set
		[ "${FAMILY:-4}" = 6 ] && ds=ip6trie
		whole rbldnsd "$(command -v rbldnsd 2>/dev/null ||
		    echo /usr/sbin/rbldnsd)" -n -a -f -b "127.0.0.1/$port" \
		    "bl.bench:$ds:$work/soa.txt,$work/data.txt"
		continue
	fi
	if [ -n "${WHOLE:-}" ]; then
		whole "$b" "$b" $(fgflag "$b") -c "$work/rdnsbld.conf"
		continue
	fi
	valgrind -q --tool=callgrind --toggle-collect=udp_read \
	    --callgrind-out-file="$work/cg.$i" "$b" $(fgflag "$b") -c "$work/rdnsbld.conf" \
	    2>>"$work/log" &
	pid=$!
	# up, and the compact copy of the lists built (its log line)
	for t in $(seq 1 600); do
		grep -q 'lists in memory' "$work/log" 2>/dev/null && break
		sleep 0.5
	done
	: >"$work/log"
	dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -n 1 -c 1 \
	    -T 1 -Q "$rate" -t 5 >"$work/out" 2>&1
	kill "$pid"; wait "$pid" 2>/dev/null; pid=
	done_=$(field "Queries completed" "$work/out")
	ir=$(callgrind_annotate "$work/cg.$i" 2>/dev/null |
	    awk '/PROGRAM TOTALS/ {gsub(/,/, "", $1); print $1; exit}')
	echo "$b answered $done_ of $nq instructions_per_query $(awk \
	    -v i="${ir:-0}" -v q="${done_:-0}" \
	    'BEGIN {printf "%.0f", q ? i / q : 0}') codes $(sed -n \
	    's/^ *Response codes: *//p' "$work/out")"
done
