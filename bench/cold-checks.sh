#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: bench/cold-checks.sh [N [FLOOD]]   (defaults 200000 and 100000)
# Needs the Debian packages nsd, dnsperf and bind9-dnsutils (dig), and perl;
# rdnsbld from $BUILD (default: this tree), e.g.
#   BUILD=$PWD/build sh bench/cold-checks.sh
#
# Two phases, all on 127.0.0.1 (no traffic leaves the machine):
#
# 1. Cold checks. A local NSD answers PTR for every address in 10.0.0.0/8
#    (the wildcard *.10.in-addr.arpa, PTR host.bench.test) and A for
#    host.bench.test (10.0.0.1). rdnsbld runs the checks blacklist,
#    no-ptr, unconfirmed, dynamic against it; dnsperf asks once for each of N
#    distinct random addresses in 10/8, so every query is a cold check:
#    a PTR and a forward A lookup, verdict `unconfirmed' (127.0.0.4,
#    NOERROR) for all but 10.0.0.1. Reported: queries per second (= cold
#    checks per second), the answers by rcode, lost queries, and
#    rdnsbld's resident memory before, during (sampled every 0.5 s) and
#    after, with its CPU time.
# 2. Flood. rdnsbld restarts with a fresh database, max-checks 1000 and
#    a resolver that never answers (a UDP socket nobody reads), and
#    dnsperf sends FLOOD other random addresses with 2000 outstanding.
#    Every answer should be the failure answer (NXDOMAIN): at once when
#    max-checks is reached, after check-timeout (2 s) otherwise; memory
#    must stay flat.
#
# Prints one line per figure. Works in a mktemp directory and kills only
# the processes it started.
set -u
n=${1:-200000}
nflood=${2:-100000}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top}

. "$top/bench/lib.sh"
need_tools cold-checks.sh nsd:nsd dnsperf:dnsperf dig:bind9-dnsutils perl:perl
nsd=$(command -v nsd 2>/dev/null || echo /usr/sbin/nsd)
if [ ! -x "$build/src/rdnsbld" ]; then
	echo "cold-checks.sh: no $build/src/rdnsbld (set BUILD to a built tree)" >&2
	exit 1
fi

work=$(mktemp -d /tmp/rdnsbl-bench.XXXXXX)
pid= nsdpid= sinkpid= sampler=
trap 'end $sampler $pid $nsdpid $sinkpid; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP


# N distinct addresses in 10/8 as dnsperf lines "D.C.B.10.bl.bench A":
# a full-period LCG mod 2^24, started at SEED.
genqueries() {
	awk -v n="$1" -v seed="$2" 'BEGIN {
		x = seed
		for (i = 0; i < n; i++) {
			x = (x * 69069 + 1) % 16777216
			printf "%d.%d.%d.10.bl.bench A\n", x % 256,
			    int(x / 256) % 256, int(x / 65536)
		}
	}'
}

# user and system CPU seconds of a process so far
cpu() {
	awk -v hz="$(getconf CLK_TCK)" '{
		sub(/^.*\) /, "")	# fields from 3 on: 14, 15 are now 12, 13
		printf "%.2f %.2f\n", $12 / hz, $13 / hz
	}' "/proc/$1/stat"
}
# "VmRSS RssAnon" in kB: all resident memory, and the part that is not
# a file mapping (the LMDB map is a file mapping, and its pages count in
# VmRSS once touched)
rss() { echo "$(mem "$1" VmRSS) $(mem "$1" RssAnon)"; }
# Sample rss every 0.5 s into FILE, one line each time.
sample() {
	while kill -0 "$1" 2>/dev/null; do
		rss "$1" >>"$2" 2>/dev/null
		sleep 0.5
	done
}
# the largest number in column COL of FILE
maxof() { awk -v c="$2" '$c > m {m = $c} END {print m + 0}' "$1"; }
# "N kB (anonymous M kB)" for a line of rss
kb() { set -- $1; echo "$1 kB (anonymous $2 kB)"; }
# UDP datagrams dropped so far at the socket bound to 127.0.0.1:PORT
# (receive buffer full), from /proc/net/udp
udpdrops() {
	awk -v a="$(printf '0100007F:%04X' "$1")" \
	    '$2 == a {d += $NF} END {print d + 0}' /proc/net/udp
}

# --- the fake upstream -------------------------------------------------
nsdport=$(freeport) || { echo "cold-checks.sh: no free port" >&2; exit 1; }
soa="ns.bench.test. hostmaster.bench.test. 1 3600 600 86400 60"
cat >"$work/10.zone" <<ZONE
\$ORIGIN 10.in-addr.arpa.
\$TTL 3600
@	SOA	$soa
@	NS	ns.bench.test.
*	PTR	host.bench.test.
ZONE
cat >"$work/bench.zone" <<ZONE
\$ORIGIN bench.test.
\$TTL 3600
@	SOA	$soa
@	NS	ns
ns	A	127.0.0.1
host	A	10.0.0.1
ZONE
{
	nsd_server "$work" "$nsdport" 0
	cat <<CONF
zone:
	name: 10.in-addr.arpa
	zonefile: 10.zone
zone:
	name: bench.test
	zonefile: bench.zone
CONF
} >"$work/nsd.conf"
"$nsd" -d -c "$work/nsd.conf" 2>>"$work/nsd.log" &
nsdpid=$!
ok=
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	[ "$(dig +short +tries=1 +time=1 @127.0.0.1 -p "$nsdport" \
	    -x 10.1.2.3 2>/dev/null)" = host.bench.test. ] && ok=1 && break
	sleep 0.2
done
if [ -z "$ok" ]; then
	echo "cold-checks.sh: nsd did not answer:" >&2
	cat "$work/nsd.log" >&2
	exit 1
fi

# --- rdnsbld -------------------------------------------------------------
port=$(freeport) || { echo "cold-checks.sh: no free port" >&2; exit 1; }
# conf DB RESOLVER MAXCHECKS
conf() {
	cat <<CONF
server:
	listen: 127.0.0.1@$port
	database: $work/$1
	map-size: 4g
	verbosity: 0
	resolver: $2
	check-timeout: 2s
	max-checks: $3
	lookup-rate: 1000000
	dynamic-patterns: $top/zones/s25r.rules
zone:
	name: bl.bench
	type: dnsbl
	checks: blacklist, no-ptr, unconfirmed, dynamic
CONF
}
start() {
	"$build/src/rdnsbld" -d -c "$1" 2>>"$work/rdnsbld.log" &
	pid=$!
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" bl.bench SOA \
		    >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	echo "cold-checks.sh: rdnsbld did not answer:" >&2
	cat "$work/rdnsbld.log" >&2
	exit 1
}
# One dnsperf pass over FILE with OUTSTANDING queries and a TIMEOUT (s);
# output in OUT (with -v: a line "> RCODE NAME TYPE LATENCY" per answer).
# Leaves the sampled peak RSS in $peak, the datagrams dropped at
# rdnsbld's socket in $drops, rdnsbld's CPU time in $ucpu, $scpu (user,
# system seconds) and the wall time in $wall.
run_dnsperf() {	# FILE OUTSTANDING OUT TIMEOUT [-v]
	rm -f "$work/rss"
	drops0=$(udpdrops "$port")
	rss "$pid" >"$work/rss"
	c0=$(cpu "$pid")
	sample "$pid" "$work/rss" &
	sampler=$!
	t0=$(date +%s.%N)
	dnsperf -s 127.0.0.1 -p "$port" -d "$1" -n 1 -l 60 -c 4 -q "$2" \
	    -t "$4" ${5:-} >"$3" 2>&1
	t1=$(date +%s.%N)
	kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null; sampler=
	rss "$pid" >>"$work/rss"
	peak="$(maxof "$work/rss" 1) $(maxof "$work/rss" 2)"
	drops=$(($(udpdrops "$port") - drops0))
	set -- $c0 $(cpu "$pid")
	ucpu=$(awk "BEGIN {printf \"%.1f\", $3 - $1}")
	scpu=$(awk "BEGIN {printf \"%.1f\", $4 - $2}")
	wall=$(awk "BEGIN {printf \"%.1f\", $t1 - $t0}")
}
# rcode CODE OUT: how many answers had that rcode
rcode() {
	sed -n 's/^ *Response codes: *//p' "$2" | tr ',' '\n' |
	    awk -v c="$1" '$1 == c {print $2; f = 1} END {if (!f) print 0}'
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b ? 100 * a / b : 0}'; }
report() {	# PREFIX OUT
	sent=$(field "Queries sent" "$2")
	lost=$(field "Queries lost" "$2")
	echo "$1queries sent: $sent"
	for c in NOERROR NXDOMAIN SERVFAIL REFUSED; do
		k=$(rcode "$c" "$2")
		echo "$1answered $c: $k ($(pct "$k" "$sent") %)"
	done
	echo "$1lost (no answer within the timeout): $lost ($(pct "$lost" "$sent") %)"
	echo "$1queries dropped at rdnsbld's UDP socket (receive buffer full): $drops"
	echo "$1queries per second: $(field "Queries per second" "$2")" \
	    "(dnsperf run time $(field "Run time (s)" "$2") s)"
	echo "$1average latency: $(field "Average Latency (s)" "$2") s" \
	    "(max $(sed -n 's/.*max \([0-9.]*\)).*/\1/p' "$2" | head -1) s)"
}

conf db "127.0.0.1@$nsdport" 10000 >"$work/rdnsbld.conf"
start "$work/rdnsbld.conf"
genqueries "$n" 1 >"$work/cold.txt"
# the first check, from dig, as a sanity check of the set-up
a=$(dig +short @127.0.0.1 -p "$port" 1.0.0.10.bl.bench)
b=$(dig +short @127.0.0.1 -p "$port" 3.2.1.10.bl.bench)
echo "set-up: 10.0.0.1 (forward-confirmed, not listed) answers" \
    "'${a:-NXDOMAIN}', 10.1.2.3 (unconfirmed) answers '${b:-NXDOMAIN}'"
rss0=$(rss "$pid")
run_dnsperf "$work/cold.txt" 500 "$work/cold.out" 5
echo "cold checks: $n distinct addresses in 10/8, 500 outstanding"
report "cold: " "$work/cold.out"
echo "cold checks per second: $(field "Queries per second" "$work/cold.out")"
echo "rdnsbld CPU time during cold checks: user ${ucpu} s, system ${scpu} s, in ${wall} s"
echo "resident memory before cold checks: $(kb "$rss0")"
echo "resident memory peak during cold checks (sampled): $(kb "$peak")"
echo "resident memory after cold checks: $(kb "$(rss "$pid")"), VmHWM $(mem "$pid" VmHWM) kB"
# a sample of the addresses, asked again: answered from the verdict cache
again=0 listed=0
for q in $(sed -n '7p;1000p;54321p;199999p' "$work/cold.txt" | cut -d' ' -f1); do
	again=$((again + 1))
	[ "$(dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" "$q")" = \
	    127.0.0.4 ] && listed=$((listed + 1))
done
echo "cold: addresses asked again, answered 127.0.0.4 (unconfirmed): $listed of $again"
echo "database size after cold checks: $(du -sh "$work/db" | cut -f1)"

# --- the flood -------------------------------------------------------
# (the sink's port is taken while rdnsbld still holds $port)
sinkport=$(freeport) || { echo "cold-checks.sh: no free port" >&2; exit 1; }
end "$pid" "$nsdpid"
pid= nsdpid=
perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
	    LocalPort => $ARGV[0], Proto => "udp") or die "bind: $!\n";
	sleep 3600' "$sinkport" &
sinkpid=$!
conf db2 "127.0.0.1@$sinkport" 1000 >"$work/flood.conf"
start "$work/flood.conf"
genqueries "$nflood" 4242 >"$work/flood.txt"
rss0=$(rss "$pid")
run_dnsperf "$work/flood.txt" 2000 "$work/flood.out" 3 -v
echo "flood: $nflood distinct addresses in 10/8, 2000 outstanding, upstream silent, max-checks 1000"
report "flood: " "$work/flood.out"
# answered at once (max-checks reached) or held until check-timeout
awk '$1 == ">" && $2 != "T" { n[$2]++
	if ($NF < 0.1) fast[$2]++; else if ($NF >= 1.9) slow[$2]++
	else mid[$2]++ }
END { for (c in n) printf "flood: %s answers: %d within 0.1 s, %d after 1.9 s or more (check-timeout 2 s), %d in between\n", c, fast[c], slow[c], mid[c] }' "$work/flood.out"
echo "flood: rdnsbld CPU time: user ${ucpu} s, system ${scpu} s, in ${wall} s"
echo "flood: resident memory before: $(kb "$rss0")"
echo "flood: resident memory peak (sampled): $(kb "$peak")"
echo "flood: resident memory after: $(kb "$(rss "$pid")"), VmHWM $(mem "$pid" VmHWM) kB"
a=$(dig +short +tries=1 +time=3 @127.0.0.1 -p "$port" 2.0.0.127.bl.bench)
echo "flood: test point 127.0.0.2 afterwards answers: ${a:-nothing}"
# anything rdnsbld logged besides starting and stopping
grep -v -e ': listening on ' -e ' started: ' -e ': signal 15 received' \
    -e ': exited$' "$work/rdnsbld.log" >"$work/log.other"
echo "rdnsbld log lines besides start and stop: $(wc -l <"$work/log.other")"
sed 's/^/  /' "$work/log.other" | head -10
