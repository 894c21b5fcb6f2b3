#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: bench/import.sh [N]   (run from a built tree: needs src/rdnsbld)
# Import an N-entry rbldnsd file (default 1000000) with rdnsblctl while
# rdnsbld answers queries, and report: the import time, the queries asked
# during the import and how many were wrong, and the database size.
# Every query during the import must be correct: the test points, an
# address listed before the import starts, and an unlisted one.
set -u
n=${1:-1000000}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top}
work=$(mktemp -d /tmp/rdnsbl-bench.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 30000))
cat >"$work/rdnsbld.conf" <<CONF
server:
	listen: 127.0.0.1@$port
	database: $work/db
	map-size: 4g
	verbosity: 0
zone:
	name: bl.bench
	type: dnsbl
CONF
ctl() { "$build/src/rdnsblctl" -c "$work/rdnsbld.conf" "$@"; }
sh "$top/bench/gen-ip4set.sh" "$n" >"$work/data.txt"
ctl add black 192.0.2.0/24 --reason before >/dev/null
"$build/src/rdnsbld" -d -c "$work/rdnsbld.conf" 2>"$work/log" &
pid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" bl.bench SOA \
	    >/dev/null 2>&1 && break
	sleep 0.2
done

# Ask while the import runs; count wrong answers.
(
	asked=0 wrong=0
	while [ ! -f "$work/done" ]; do
		a=$(dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" \
		    2.0.0.127.bl.bench 5.2.0.192.bl.bench 1.0.0.127.bl.bench \
		    3.2.1.0.bl.bench | tr '\n' ' ')
		asked=$((asked + 4))
		[ "$a" = "127.0.0.2 127.0.0.2 " ] || wrong=$((wrong + 1))
	done
	echo "$asked $wrong" >"$work/queries"
) &
qpid=$!

start=$(date +%s.%N)
ctl import black "$work/data.txt" >"$work/import.out" 2>&1
rc=$?
end=$(date +%s.%N)
touch "$work/done"
wait "$qpid"
read asked wrong <"$work/queries"
# spot-check entries from the file after the import
sample=$(sed -n '3p;5000p;999999p' "$work/data.txt" | sed 's|/24||')
bad=0
for ip in $sample; do
	r=$(echo "$ip" | awk -F. '{print $4"."$3"."$2"."$1}')
	[ "$(dig +short @127.0.0.1 -p "$port" "$r.bl.bench")" = 127.0.0.2 ] ||
	    bad=$((bad + 1))
done
echo "entries: $n"
echo "import exit status: $rc ($(cat "$work/import.out"))"
echo "import time: $(echo "$end - $start" | bc 2>/dev/null || awk "BEGIN{print $end - $start}") s"
echo "queries during import: $asked, wrong: $wrong"
echo "imported entries answered after import: $(( $(echo "$sample" | wc -w) - bad )) of $(echo "$sample" | wc -w)"
echo "database size: $(du -sh "$work/db" | cut -f1)"
echo "rdnsbld resident memory after the import and the checks: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
