#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: bench/replace.sh N BUILD...
# The time of `rdnsblctl import --replace' of one data file into a new
# database, for each build directory BUILD in turn (its src/rdnsblctl),
# against the time the Debian package's rbldnsd takes to load the same
# file, taken in turn ROUNDS times (default 3), so that the load of other
# work on a shared machine falls on all of them alike. The data is
# `bench/gen-ip4set.sh N' (an ip4set), or with FAMILY=dnset
# `bench/gen-dnset.sh N' (a dnset, into a domain list). One line a run:
# the wall-clock seconds, the CPU seconds (user + system) the command
# used, from its start to its exit, and its peak resident memory; for
# rbldnsd, the seconds from its start to its log line that the data is
# loaded (both count the start of a process: its exec, its libraries),
# and the load time of that log line (elapsed / user: its reading of the
# files alone). rbldnsd runs as the user rbldns when this runs as root.
# Work files go to a mktemp directory under $TMPDIR (default /tmp),
# removed at the end; only the processes this script started are killed.
set -u
n=${1:?usage: replace.sh N BUILD...}
shift
[ $# -gt 0 ] || { echo "usage: replace.sh N BUILD..." >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-3}
family=${FAMILY:-4}
work=$(mktemp -d "${TMPDIR:-/tmp}/rdnsbl-replace.XXXXXX")
pid=
chmod 755 "$work"
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP

. "$top/bench/lib.sh"
need_tools replace.sh rbldnsd:rbldnsd time:time
port=$(freeport) || { echo "replace.sh: no free port" >&2; exit 1; }
ruser=
[ "$(id -u)" = 0 ] && ruser="-u rbldns"
list=black ztype=dnsbl ds=ip4set decl=
if [ "$family" = dnset ]; then
	list=dset ztype=rhsbl ds=dnset
	decl="list:
	name: dset
	type: domain"
fi
gen_set "$n" "$work/data.txt" "$work/queries.txt" 10 || exit 1
chmod 644 "$work/data.txt"
printf '%s\n%s\n' '$SOA 300 ns.bl.bench hostmaster.bl.bench 1 3600 600 86400 120' \
    '$NS 300 ns.bl.bench' >"$work/soa.txt"
chmod 644 "$work/soa.txt"
cat >"$work/rdnsbld.conf" <<CONF
server:
	listen: 127.0.0.1@$port
	database: $work/db
	map-size: $(( n / 1000000 + 1 ))g
	verbosity: 1
$decl
zone:
	name: bl.bench
	type: $ztype
	list: $list
	soa: ns.bl.bench hostmaster.bl.bench
	ns: ns.bl.bench
CONF
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
	for b in "$@"; do
		rm -rf "$work/db"
		t0=$(now)
		/usr/bin/time -f "%U %S %M" -o "$work/time" \
		    "$b/src/rdnsblctl" -c "$work/rdnsbld.conf" import "$list" \
		    "$work/data.txt" --replace >"$work/out" 2>&1 || {
			cat "$work/out" >&2
			exit 1
		}
		t1=$(now)
		echo "round $r $b: $(awk -v a="$t0" -v b="$t1" \
		    '{ printf "wall %.3f s, cpu %.2f s, peak %d MB", (b - a) / 1e9,
		    $1 + $2, $3 / 1024 }' \
		    "$work/time") ($(tail -1 "$work/out" | sed "s|$work/||"))"
	done
	: >"$work/rbldnsd.log"
	rm -f "$work/fifo"
	mkfifo "$work/fifo"
	t0=$(now)
	rbldnsd -n -a $ruser -b "127.0.0.1/$port" -f \
	    "bl.bench:$ds:$work/soa.txt,$work/data.txt" >"$work/fifo" 2>&1 &
	pid=$!
	ready=
	while IFS= read -r line; do
		echo "$line" >>"$work/rbldnsd.log"
		case $line in
		*"zones reloaded"*) ready=$(now); break ;;
		esac
	done <"$work/fifo"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
	[ -n "$ready" ] || { cat "$work/rbldnsd.log" >&2; exit 1; }
	echo "round $r rbldnsd: from its start to its data loaded $(awk \
	    -v a="$t0" -v b="$ready" 'BEGIN { printf "%.3f", (b - a) / 1e9 }') s; \
its load time $(sed -n 's/.*zones reloaded, time \([^ ]*\) sec.*/\1/p' \
	    "$work/rbldnsd.log") (elapsed/user s)"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
