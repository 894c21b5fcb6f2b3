#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: bench/xfr.sh [N...]   (default: 1000000; BIG=1 adds 10000000)
# Needs the Debian packages nsd, dnsperf, bind9-dnsutils (dig), time, a C
# compiler and perl, and rdnsbld/rdnsblctl built in $BUILD (default: this
# tree), e.g.
#   BUILD=$PWD/build sh bench/xfr.sh
#   BUILD=$PWD/build BIG=1 sh bench/xfr.sh
#
# Zone transfer from rdnsbld, for each N: the data set `bench/gen-ip4set.sh
# N' (nine /32s for each /24) imported into the black list of the dnsbl
# zone bl.bench, which allows transfers from 127.0.0.1 and NOTIFYs an NSD
# secondary. Figures, one line each, in this order:
#   1. AXFR to a client, $AXFRS times (default 3): dig +noall +stats
#      (which parses every message and prints none), its wall-clock time
#      and CPU, the records, messages and bytes it received, rdnsbld's
#      CPU, and rdnsbld's own line for the transfer (records, bytes, ms);
#   2. the primary's CPU per query with and without transfers: dnsperf
#      at $RATE queries a second (default 20000, below saturation) for
#      $SECS seconds (default 10), once alone and once while dig runs
#      AXFRs of the zone one after another, $ROUNDS times (default 3) in
#      turn. CPU is utime+stime from /proc: of rdnsbld's main thread (the
#      event loop that answers the queries; transfers run in threads of
#      their own) and of the whole process (the transfers included),
#      divided by the queries dnsperf saw answered;
#   3. NSD as a secondary: from its start to its first answer from the
#      zone (its AXFR and its load), the times NSD logs, and its memory
#      (the sum of its processes' PSS);
#   4. one change to the secondary: from `rdnsblctl add black ADDR'
#      returning to NSD's first answer listing ADDR (bench/dnsprobe.c asks
#      every 0.25 ms), $CHANGES times (default 3), 1.1 s apart (one NOTIFY
#      a change). rdnsbld NOTIFYs NSD, NSD asks with IXFR, and rdnsbld
#      answers it with the increment from the journal (its own log line:
#      records deleted and added, bytes, ms). Then NSD's memory and its
#      peak (sampled every 0.5 s).
# 3 and 4 are left out with SECONDARY=no, or when MemAvailable is under
# 2 kB an entry (NSD held 0.75 kB an entry at 10^6, and loads a new copy
# of the zone beside the old one).
# FAMILY=dnset: the domain list of `bench/gen-dnset.sh N' in an rhsbl
# zone instead (its names under com, net, org and test, a quarter each),
# each change a name under test.
# All traffic is on 127.0.0.1. Work files go to a mktemp directory under
# $TMPDIR (default /tmp), removed at the end; only the processes this
# script started are killed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top}
axfrs=${AXFRS:-3}
rounds=${ROUNDS:-3}
secs=${SECS:-10}
rate=${RATE:-20000}
changes=${CHANGES:-3}
nq=${NQ:-200000}
secondary=${SECONDARY:-yes}
if [ $# -eq 0 ]; then
	set -- 1000000
	[ "${BIG:-0}" = 1 ] && set -- 1000000 10000000
fi

. "$top/bench/lib.sh"
need_tools xfr.sh nsd:nsd dnsperf:dnsperf dig:bind9-dnsutils \
    /usr/bin/time:time cc:gcc perl:perl
nsd=$(command -v nsd 2>/dev/null || echo /usr/sbin/nsd)
need_build xfr.sh rdnsbld rdnsblctl

work=$(mktemp -d "${TMPDIR:-/tmp}/rdnsbl-xfr.XXXXXX")
pids=
trap 'touch "$work/stop"; end $pids; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP
cc -O2 -o "$work/dnsprobe" "$top/bench/dnsprobe.c" || exit 1
hz=$(getconf CLK_TCK)

# axfr PORT: the command of one AXFR of bl.bench by dig, which prints
# only its figures
axfr() {
	echo "dig @127.0.0.1 -p $1 +noall +stats +tries=1 +time=60 bl.bench AXFR"
}
# serial PORT: the serial of bl.bench that the server on PORT answers
serial() {
	dig @127.0.0.1 -p "$1" +short +tries=1 +time=2 bl.bench SOA 2>/dev/null |
	    awk '{ print $3 }'
}
# cpu_us TICKS QUERIES: microseconds of CPU per query
cpu_us() {
	awk -v c="$1" -v q="$2" -v hz="$hz" \
	    'BEGIN { printf "%.3f\n", q ? c / hz * 1e6 / q : 0 }'
}
# nsd_mem: kB of memory NSD's processes use (main, xfrd, servers, a
# reload in progress: $npid and all below it), as the sum of their
# proportional set sizes, which counts the pages they share after a fork
# once
nsd_mem() {
	for p in $(ps -e -o pid=,ppid= | awk -v r="$npid" '
	    { up[$1] = $2 }
	    END { for (p in up) { q = p
		while (q != r && q in up && q > 1) q = up[q]
		if (q == r) print p } }'); do
		awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null
	done | awk '{ s += $1 } END { print s + 0 }'
}

echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
echo "versions: $("$build/src/rdnsbld" -V 2>&1 | head -1); nsd $(dpkg-query -W -f '${Version}' nsd 2>/dev/null); dig $(dig -v 2>&1 | head -1); dnsperf $(dnsperf -h 2>&1 | sed -n 's/^Version //p')"
echo "settings: AXFRS=$axfrs ROUNDS=$rounds SECS=$secs RATE=$rate CHANGES=$changes NQ=$nq SECONDARY=$secondary FAMILY=${FAMILY:-4}"
# the list and the zone's type
if [ "${FAMILY:-4}" = dnset ]; then
	lst=dbl ztype=rhsbl
	lclause=$(printf 'list:\n\tname: dbl\n\ttype: domain')
else
	lst=black ztype=dnsbl lclause=
fi
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

for n in "$@"; do
	d="$work/$n"
	mkdir -p "$d/nsd"
	tag="N=$n"
	gen_set "$n" "$d/data.txt" "$d/queries.txt" "$nq" "$d/extra.txt" \
	    "$changes" || exit 1
	pr=$(freeport) && pn=$(freeport) ||
	    { echo "xfr.sh: no free port" >&2; exit 1; }
	cat >"$d/rdnsbld.conf" <<CONF
server:
	listen: 127.0.0.1@$pr
	database: $d/db
	map-size: $(( n / 1000000 + 1 ))g
	verbosity: 1
$lclause
zone:
	name: bl.bench
	type: $ztype
	list: $lst
	soa: ns.bl.bench hostmaster.bl.bench
	ns: ns.bl.bench
	allow-transfer: 127.0.0.1
	notify: 127.0.0.1@$pn
CONF
	ctl() { "$build/src/rdnsblctl" -c "$d/rdnsbld.conf" "$@"; }
	t0=$(now)
	ctl import "$lst" "$d/data.txt" --replace >"$d/import.out" 2>&1 || {
		echo "xfr.sh: import failed:" >&2
		cat "$d/import.out" >&2
		exit 1
	}
	echo "$tag import: $(ms "$t0" "$(now)") ms"
	"$build/src/rdnsbld" -d -c "$d/rdnsbld.conf" 2>>"$d/rdnsbld.log" &
	rpid=$!
	pids="$pids $rpid"
	i=0
	while [ -z "$(serial "$pr")" ] && [ $i -lt 600 ]; do
		kill -0 "$rpid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$(serial "$pr")" ] ||
	    { echo "xfr.sh: rdnsbld did not answer" >&2;
	    cat "$d/rdnsbld.log" >&2; exit 1; }

	# --- 1. AXFR to dig ---------------------------------------------
	: >"$d/axfr.wall"
	i=0
	while [ $i -lt "$axfrs" ]; do
		i=$((i + 1))
		c0=$(ticks "$rpid")
		t0=$(now)
		/usr/bin/time -f "%e %U %S" -o "$d/time" $(axfr "$pr") \
		    >"$d/axfr.out" 2>&1
		t1=$(now)
		c1=$(ticks "$rpid")
		echo "$(ms "$t0" "$t1")" >>"$d/axfr.wall"
		echo "$tag AXFR $i to dig: $(ms "$t0" "$t1") ms;" \
		    "$(sed -n 's/^;; XFR size: //p' "$d/axfr.out");" \
		    "dig CPU $(awk '{ printf "%.2f", $2 + $3 }' "$d/time") s;" \
		    "rdnsbld CPU $(awk -v c=$((c1 - c0)) -v hz="$hz" \
		    'BEGIN { printf "%.2f", c / hz }') s"
		grep -q '^;; XFR size' "$d/axfr.out" ||
		    { cat "$d/axfr.out" >&2; exit 1; }
	done
	echo "$tag AXFR to dig (ms): $(summary "$d/axfr.wall")"
	echo "$tag rdnsbld's last line for it: $(grep 'xfr: AXFR of zone' \
	    "$d/rdnsbld.log" | tail -1 | sed 's/.*xfr: //')"

	# --- 2. CPU per query, with and without transfers ---------------
	for m in alone xfr; do
		: >"$d/qps.$m"; : >"$d/main.$m"; : >"$d/proc.$m"
	done
	: >"$d/loops"
	r=0
	while [ $r -lt "$rounds" ]; do
		r=$((r + 1))
		for m in alone xfr; do
			rm -f "$d/stop"
			if [ $m = xfr ]; then
				(k=0; while [ ! -e "$d/stop" ]; do
					$(axfr "$pr") >/dev/null 2>&1
					k=$((k + 1))
				done; echo "$k" >"$d/loops") &
				lpid=$!
				pids="$pids $lpid"
				sleep 1
			fi
			p0=$(ticks "$rpid"); m0=$(ticks "$rpid/task/$rpid")
			dnsperf -s 127.0.0.1 -p "$pr" -d "$d/queries.txt" \
			    -l "$secs" -Q "$rate" -c 4 -T 1 -q 500 -t 2 \
			    >"$d/perf.$m" 2>&1
			p1=$(ticks "$rpid"); m1=$(ticks "$rpid/task/$rpid")
			if [ $m = xfr ]; then
				touch "$d/stop"
				wait "$lpid"
				pids=$(echo " $pids " | sed "s/ $lpid / /")
			fi
			q=$(field "Queries completed" "$d/perf.$m")
			qps=$(field "Queries per second" "$d/perf.$m")
			echo "$qps" | awk '{ printf "%.0f\n", $1 }' >>"$d/qps.$m"
			cpu_us $((m1 - m0)) "$q" >>"$d/main.$m"
			cpu_us $((p1 - p0)) "$q" >>"$d/proc.$m"
			w=
			[ $m = xfr ] && w=", $(cat "$d/loops") AXFRs begun"
			echo "$tag round $r $m: $(tail -1 "$d/qps.$m") queries/s, $q answered," \
			    "lost $(field "Queries lost" "$d/perf.$m"), average" \
			    "latency $(field "Average Latency (s)" "$d/perf.$m" |
			    awk '{ printf "%.0f", $1 * 1e6 }') us;" \
			    "CPU per query (us): main thread $(tail -1 \
			    "$d/main.$m"), whole process $(tail -1 \
			    "$d/proc.$m")$w"
		done
	done
	for m in alone xfr; do
		echo "$tag $m: queries/s $(summary "$d/qps.$m")"
		echo "$tag $m: main thread CPU per query (us): $(summary "$d/main.$m")"
		echo "$tag $m: whole process CPU per query (us): $(summary "$d/proc.$m")"
	done
	echo "$tag ratio with transfers to without (medians): main thread" \
	    "$(awk -v a="$(median <"$d/main.alone")" -v b="$(median \
	    <"$d/main.xfr")" 'BEGIN { printf "%.2f", b / a }'), whole" \
	    "process $(awk -v a="$(median <"$d/proc.alone")" -v b="$(median \
	    <"$d/proc.xfr")" 'BEGIN { printf "%.2f", b / a }')"

	# NSD held about 0.75 kB per entry at 10^6, and more while it loads
	# a new copy beside the old one: leave it out when that may not fit
	avail=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
	if [ "$secondary" = yes ] && [ $((n * 2)) -gt "$avail" ]; then
		echo "$tag NSD left out: it may need $((n * 2 / 1024)) MB," \
		    "and $((avail / 1024)) MB are available"
	elif [ "$secondary" = yes ]; then
		# --- 3. NSD as a secondary ------------------------------
		want=$(serial "$pr")
		{
			nsd_server "$d/nsd" "$pn" 2
			cat <<CONF
zone:
	name: bl.bench
	zonefile: "bl.bench.zone"
	request-xfr: 127.0.0.1@$pr NOKEY
	allow-notify: 127.0.0.1 NOKEY
CONF
		} >"$d/nsd.conf"
		t0=$(now)
		"$nsd" -d -c "$d/nsd.conf" >"$d/nsd/stdout" 2>&1 &
		npid=$!
		pids="$pids $npid"
		# NSD's memory every 0.5 s, for its peak
		(while [ ! -e "$d/nsd.stop" ]; do nsd_mem; sleep 0.5; done \
		    >"$d/nsd.rss") &
		spid=$!
		pids="$pids $spid"
		i=0
		while [ "$(serial "$pn")" != "$want" ] && [ $i -lt 36000 ]; do
			kill -0 "$npid" 2>/dev/null || break
			sleep 0.05
			i=$((i + 1))
		done
		t1=$(now)
		[ "$(serial "$pn")" = "$want" ] ||
		    { echo "xfr.sh: NSD did not load serial $want" >&2;
		    tail "$d/nsd/nsd.log" "$d/nsd/stdout" >&2; exit 1; }
		echo "$tag NSD from its start to serving serial $want (AXFR and load): $(ms "$t0" "$t1") ms"
		echo "$tag NSD memory (PSS of its processes): $(nsd_mem) kB"
		echo "$tag NSD logged:"
		sed 's/^/  /' "$d/nsd/nsd.log"

		# --- 4. one change to the secondary ---------------------
		: >"$d/chg"
		nl=$(wc -l <"$d/nsd/nsd.log")
		exec 3<"$d/extra.txt"
		i=0
		while [ $i -lt "$changes" ]; do
			i=$((i + 1))
			# one change a NOTIFY: let notify-interval (1 s) pass
			sleep 1.1
			read -r a <&3
			if [ "$lst" = dbl ]; then
				name=$a.bl.bench
			else
				name=$(echo "$a" | awk -F. \
				    '{ print $4 "." $3 "." $2 "." $1 }').bl.bench
			fi
			set -- $("$work/dnsprobe" -t 3600 "$pn" "$name" listed \
			    "$build/src/rdnsblctl" -c "$d/rdnsbld.conf" add \
			    "$lst" "$a" --reason bench) ||
			    { echo "xfr.sh: NSD never listed $a" >&2;
			    tail "$d/nsd/nsd.log" >&2; exit 1; }
			echo "$1" >>"$d/chg"
			echo "$tag change $i: add $a to NSD's answer: $1 ms"
		done
		exec 3<&-
		echo "$tag one change to NSD's answer (ms): $(summary "$d/chg")"
		echo "$tag rdnsbld's lines for the transfers of the changes:"
		grep 'xfr: IXFR' "$d/rdnsbld.log" | tail -"$changes" |
		    sed 's/.*xfr: /  /'
		echo "$tag NSD logged for them:"
		sed "1,${nl}d; s/^/  /" "$d/nsd/nsd.log"
		echo "$tag NSD memory (PSS of its processes): $(nsd_mem) kB;" \
		    "peak (sampled every 0.5 s): $(sort -n "$d/nsd.rss" | tail -1) kB"
		touch "$d/nsd.stop"
		end "$spid" "$npid"
	fi
	end "$rpid"
	grep -v -e ': listening on ' -e ' started: ' -e ': signal 15 received' \
	    -e ': exited$' -e 'lists in memory: ' -e 'receive buffer' \
	    -e 'xfr: ' -e 'NOTIFY of zone' -e 'descriptors: at most' \
	    "$d/rdnsbld.log" >"$d/log.other"
	[ -s "$d/log.other" ] && { echo "$tag rdnsbld logged:"; head -5 "$d/log.other"; }
	rm -rf "$d"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
