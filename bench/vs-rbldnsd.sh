#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: bench/vs-rbldnsd.sh [N...]   (default: 100000 1000000 10000000)
# Needs the Debian packages rbldnsd, dnsperf, util-linux (taskset), a C
# compiler, and rdnsbld/rdnsblctl built in $BUILD (default: this tree), e.g.
#   BUILD=$PWD/build sh bench/vs-rbldnsd.sh 1000000
#
# For each N: the data set `bench/gen-ip4set.sh N' (nine /32s for each
# /24), imported into rdnsbl with `rdnsblctl import black' and loaded by
# rbldnsd as an ip4set; NQ queries (default 1,000,000), half of them
# listed (bench/gen-queries.sh). Three servers, each pinned to CPU
# $SERVER_CPU (default 0) with taskset: rdnsbld, rbldnsd (-a: no NS
# records in the authority section, as rdnsbld; -c 1: look for a changed
# file every second, its shortest interval) and bench/udp-nx.c, a bare
# recvmmsg/sendmmsg responder that answers NXDOMAIN to everything (the
# machine's limit). dnsperf runs on CPU $CLIENT_CPU (default 1).
#
# Figures (one line each; medians over the runs, every run listed):
#   - import time and database size (rdnsbl), load time (rbldnsd);
#   - start to first answer: from just before the server is started to
#     the first answer that lists a listed address (bench/dnsprobe.c asks
#     every 0.25 ms), $STARTS times each, alternating;
#   - the size of rdnsbld's compact copy of the lists and how long it
#     took to build (from its log); the runs start once it is built;
#   - $RUNS dnsperf runs of $SECS seconds (default 5 and 10) per server,
#     the servers in turn (the order rotates every run): queries per
#     second, average latency, and server CPU per answered query, that is
#     the utime+stime the server's /proc/PID/stat gained during the run
#     divided by the answers dnsperf counted;
#   - the same at a fixed rate of $RATE queries per second (default
#     150000, dnsperf -Q), below every server's saturation, where CPU per
#     query compares the servers' work without the batching that a
#     saturated server gains;
#   - resident memory after the runs (VmRSS, and RssAnon: the part that
#     is not a file mapping; LMDB's map is a file mapping of the page
#     cache, whose pages count in VmRSS once touched);
#   - change to answer: from `rdnsblctl add black ADDR' returning, or from
#     rbldnsd's data file rewritten (a new file with the address appended,
#     renamed over the old one), to the first answer that lists ADDR,
#     $CHANGES times each, alternating.
# All traffic is on 127.0.0.1. Work files go to a mktemp directory under
# $TMPDIR (default /tmp), removed at the end with the databases; only the
# processes this script started are killed.
#
# FAMILY=6: the same with IPv6, `bench/gen-ip6set.sh N' (nine prefix
# lengths, /32 to /128) and its queries (gen-ip6set.sh -q), loaded by
# rbldnsd as an ip6trie; the added addresses are IPv6 too.
# FAMILY=dnset: a domain list, `bench/gen-dnset.sh N' (names, .names and
# *.names) and its queries, imported into the domain list "dset" that an
# rhsbl zone serves, loaded by rbldnsd as a dnset; names are added.
#
# rdnsbl's import is `rdnsblctl import --replace' into a new database,
# the figure to set beside rbldnsd's load time.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top}
runs=${RUNS:-5}
secs=${SECS:-10}
starts=${STARTS:-3}
changes=${CHANGES:-5}
nq=${NQ:-1000000}
rate=${RATE:-150000}
scpu=${SERVER_CPU:-0}
ccpu=${CLIENT_CPU:-1}
dnsperf_args=${DNSPERF_ARGS:--c 4 -T 1 -q 500 -t 2}
family=${FAMILY:-4}
[ $# -gt 0 ] || set -- 100000 1000000 10000000

. "$top/bench/lib.sh"
need_tools vs-rbldnsd.sh rbldnsd:rbldnsd dnsperf:dnsperf taskset:util-linux cc:gcc \
    perl:perl
rbldnsd=$(command -v rbldnsd 2>/dev/null || echo /usr/sbin/rbldnsd)
need_build vs-rbldnsd.sh rdnsbld rdnsblctl
# rbldnsd refuses to run as root; it drops to the rbldns user that its
# Debian package creates, who must be able to read the data
ruser=
[ "$(id -u)" = 0 ] && ruser="-u rbldns"

work=$(mktemp -d "${TMPDIR:-/tmp}/rdnsbl-vs.XXXXXX")
chmod 755 "$work"
pids=
trap 'end $pids; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP

cc -O2 -o "$work/udp-nx" "$top/bench/udp-nx.c" &&
    cc -O2 -o "$work/dnsprobe" "$top/bench/dnsprobe.c" || exit 1
probe="taskset -c $ccpu $work/dnsprobe"

# rev_name ADDR: the query name of an IPv4 or IPv6 address, without the
# zone (reversed octets or nibbles)
rev_name() {
	perl -MSocket=inet_pton,AF_INET6,AF_INET -e '
	    my $a = $ARGV[0];
	    if ($a =~ /:/) {
		my $b = inet_pton(AF_INET6, $a) or die "bad address $a\n";
		print join(".", reverse split //, unpack("H*", $b)), "\n";
	    } else {
		print join(".", reverse split /\./, $a), "\n";
	    }' "$1"
}
hz=$(getconf CLK_TCK)

echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
echo "versions: $("$build/src/rdnsbld" -V 2>&1 | head -1); rbldnsd $(dpkg-query -W -f '${Version}' rbldnsd 2>/dev/null); dnsperf $(dnsperf -h 2>&1 | sed -n 's/^Version //p')"
echo "settings: FAMILY=$family RUNS=$runs SECS=$secs STARTS=$starts CHANGES=$changes NQ=$nq RATE=$rate server CPU $scpu, client CPU $ccpu, dnsperf $dnsperf_args"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

for n in "$@"; do
	d="$work/$n"
	mkdir -p "$d"
	chmod 755 "$d"
	tag="N=$n"
	dstype=ip4set
	list=black
	ztype=dnsbl
	if [ "$family" = 6 ]; then
		tag="N=$n IPv6"
		dstype=ip6trie
	elif [ "$family" = dnset ]; then
		tag="N=$n dnset"
		dstype=dnset
		list=dset
		ztype=rhsbl
	fi
	gen_set "$n" "$d/data.txt" "$d/queries.txt" "$nq" "$d/extra.txt" \
	    $((changes * 2 + 2)) || exit 1
	chmod 644 "$d/data.txt"
	# a listed address (the first entry's first), asked by the start
	# measurements
	first=$(sed -n 3p "$d/data.txt")
	case $family in
	dnset) first=${first#.}; listed=$(echo "$first" | sed 's/^\*/a/').bl.bench ;;
	*) listed=$(rev_name "${first%/*}").bl.bench ;;
	esac
	soa="\$SOA 300 ns.bl.bench hostmaster.bl.bench 1 3600 600 86400 120"
	printf '%s\n$NS 300 ns.bl.bench\n' "$soa" >"$d/soa.txt"
	chmod 644 "$d/soa.txt"

	pr=$(freeport) && pb=$(freeport) && pn=$(freeport) ||
	    { echo "vs-rbldnsd.sh: no free port" >&2; exit 1; }
	cat >"$d/rdnsbld.conf" <<CONF
server:
	listen: 127.0.0.1@$pr
	database: $d/db
	map-size: $(( n < 1000000 ? 1 : n / 1000000 * 1 + 1 ))g
	verbosity: 1
list:
	name: dset
	type: domain
zone:
	name: bl.bench
	type: $ztype
	list: $list
	ttl: 5m
	negative-ttl: 2m
	soa: ns.bl.bench hostmaster.bl.bench
	ns: ns.bl.bench
CONF
	ctl() { "$build/src/rdnsblctl" -c "$d/rdnsbld.conf" "$@"; }
	t0=$(now)
	ctl import "$list" "$d/data.txt" --replace >"$d/import.out" 2>&1 || {
		echo "vs-rbldnsd.sh: import failed:" >&2
		cat "$d/import.out" >&2
		exit 1
	}
	t1=$(now)
	echo "$tag rdnsbl import: $(ms "$t0" "$t1") ms ($(tail -1 "$d/import.out" |
	    sed "s|$work/|\$WORK/|"))"
	echo "$tag rdnsbl database size: $(du -sk "$d/db" | cut -f1) kB; rbldnsd data file: $(du -sk "$d/data.txt" | cut -f1) kB"

	startr() {
		taskset -c "$scpu" "$build/src/rdnsbld" -d -c "$d/rdnsbld.conf" \
		    2>>"$d/rdnsbld.log" &
		rpid=$!
		pids="$pids $rpid"
	}
	startb() {
		taskset -c "$scpu" "$rbldnsd" -n -a $ruser -c 1 -t 5m:0:1d \
		    -b "127.0.0.1/$pb" \
		    "bl.bench:$dstype:$d/soa.txt,$d/data.txt" \
		    >>"$d/rbldnsd.log" 2>&1 &
		bpid=$!
		pids="$pids $bpid"
	}
	# --- start to first answer, alternating
	: >"$d/start.r"; : >"$d/start.b"
	i=0
	while [ $i -lt "$starts" ]; do
		i=$((i + 1))
		built0=$(grep -c 'lists in memory' "$d/rdnsbld.log" 2>/dev/null)
		t0=$(now); startr
		set -- $($probe -s "$t0" -t 60 "$pr" "$listed" listed) ||
		    { echo "vs-rbldnsd.sh: rdnsbld did not answer" >&2;
		    cat "$d/rdnsbld.log" >&2; exit 1; }
		echo "$1" >>"$d/start.r"
		[ $i -lt "$starts" ] && end $rpid
		t0=$(now); startb
		set -- $($probe -s "$t0" -t 600 "$pb" "$listed" listed) ||
		    { echo "vs-rbldnsd.sh: rbldnsd did not answer" >&2;
		    cat "$d/rbldnsd.log" >&2; exit 1; }
		echo "$1" >>"$d/start.b"
		[ $i -lt "$starts" ] && end $bpid
	done
	echo "$tag rdnsbl start to first answer (ms): $(summary "$d/start.r")"
	# the runs begin once the last rdnsbld has built its copy of the lists
	i=0
	while [ "$(grep -c 'lists in memory' "$d/rdnsbld.log")" -le "${built0:-0}" ] &&
	    [ $i -lt 1200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "$tag rdnsbl copy of the lists in memory: $(sed -n 's/.*lists in memory: //p' "$d/rdnsbld.log" | tail -1)"
	echo "$tag rbldnsd start to first answer (ms): $(summary "$d/start.b")"
	sed -n 's/.*zones reloaded, time \(.*\)$/  rbldnsd: load time \1/p' \
	    "$d/rbldnsd.log" | tail -1
	taskset -c "$scpu" "$work/udp-nx" "$pn" &
	npid=$!
	pids="$pids $npid"
	$probe -t 10 "$pn" "$listed" nxdomain >/dev/null ||
	    { echo "vs-rbldnsd.sh: udp-nx did not answer" >&2; exit 1; }

	# --- dnsperf runs, the servers in turn, at saturation (s) and at a
	# fixed rate (f)
	order="r b n"
	for s in r b n; do
		for m in s f; do
			: >"$d/qps.$m$s"; : >"$d/lat.$m$s"; : >"$d/cpu.$m$s"
		done
	done
	i=0
	while [ $i -lt "$runs" ]; do
		i=$((i + 1))
		for s in $order; do
			case $s in
			r) port=$pr pid=$rpid ;;
			b) port=$pb pid=$bpid ;;
			n) port=$pn pid=$npid ;;
			esac
			for m in s f; do
				out="$d/perf.$m$s.$i"
				q=
				[ $m = f ] && q="-Q $rate"
				c0=$(ticks "$pid")
				taskset -c "$ccpu" dnsperf -s 127.0.0.1 \
				    -p "$port" -d "$d/queries.txt" -l "$secs" \
				    $dnsperf_args $q >"$out" 2>&1
				c1=$(ticks "$pid")
				done_=$(field "Queries completed" "$out")
				field "Queries per second" "$out" |
				    awk '{printf "%.0f\n", $1}' >>"$d/qps.$m$s"
				awk -v l="$(field "Average Latency (s)" "$out")" \
				    'BEGIN {printf "%.1f\n", l * 1e6}' \
				    >>"$d/lat.$m$s"
				awk -v c=$((c1 - c0)) -v q="$done_" -v hz="$hz" \
				    'BEGIN {printf "%.3f\n",
				    q ? c / hz * 1e6 / q : 0}' >>"$d/cpu.$m$s"
			done
		done
		set -- $order
		order="$2 $3 $1"
	done
	for s in r b n; do
		case $s in
		r) name=rdnsbl pid=$rpid ;;
		b) name=rbldnsd pid=$bpid ;;
		n) name=udp-nx pid=$npid ;;
		esac
		for m in s f; do
			if [ $m = s ]; then w="at saturation"
			else w="at $rate queries per second"; fi
			echo "$tag $name $w: queries per second: $(summary "$d/qps.$m$s")"
			echo "$tag $name $w: average latency (us): $(summary "$d/lat.$m$s")"
			echo "$tag $name $w: server CPU per answered query (us): $(summary "$d/cpu.$m$s")"
			echo "$tag $name $w: answers (last run): $(sed -n 's/^ *Response codes: *//p' "$d/perf.$m$s.$runs"), lost $(field "Queries lost" "$d/perf.$m$s.$runs")"
		done
		echo "$tag $name resident memory (kB): VmRSS $(mem "$pid" VmRSS), RssAnon $(mem "$pid" RssAnon), VmHWM $(mem "$pid" VmHWM)"
	done
	end $npid

	# --- change to answer, alternating
	: >"$d/chg.r"; : >"$d/chg.b"
	i=0
	exec 3<"$d/extra.txt"
	while [ $i -lt "$changes" ]; do
		i=$((i + 1))
		read -r ar <&3; read -r ab <&3
		case $family in
		dnset) qr=$ar.bl.bench; qb=$ab.bl.bench ;;
		*) qr=$(rev_name "$ar").bl.bench; qb=$(rev_name "$ab").bl.bench ;;
		esac
		set -- $($probe -t 10 "$pr" "$qr" listed \
		    "$build/src/rdnsblctl" -c "$d/rdnsbld.conf" add "$list" \
		    "$ar" --reason bench) && echo "$1" >>"$d/chg.r"
		# rbldnsd compares mtimes in seconds: let a second pass
		sleep 1.1
		set -- $($probe -t 600 "$pb" "$qb" listed sh -c \
		    "cat '$d/data.txt' >'$d/data.new' && echo $ab >>'$d/data.new' && chmod 644 '$d/data.new' && mv '$d/data.new' '$d/data.txt'") &&
		    echo "$1" >>"$d/chg.b"
	done
	exec 3<&-
	echo "$tag rdnsbl change to answer (ms, from rdnsblctl add returning): $(summary "$d/chg.r")"
	echo "$tag rbldnsd change to answer (ms, from the file renamed into place): $(summary "$d/chg.b")"
	end $rpid $bpid
	grep -v -e ': listening on ' -e ' started: ' -e ': signal 15 received' \
	    -e ': exited$' -e 'lists in memory: ' -e 'receive buffer' \
	    "$d/rdnsbld.log" >"$d/log.other"
	[ -s "$d/log.other" ] && { echo "$tag rdnsbld logged:"; head -5 "$d/log.other"; }
	rm -rf "$d"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
