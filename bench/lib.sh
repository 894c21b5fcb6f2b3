# SPDX-License-Identifier: ISC
# lib.sh -- shared by the bench scripts (sourced; POSIX sh).

# need_tools NAME TOOL:PACKAGE...: exit, naming the Debian packages to
# install, when a tool is neither on the PATH nor in /usr/sbin.
need_tools() {
	nt_name=$1
	shift
	nt_missing=
	for t in "$@"; do
		command -v "${t%%:*}" >/dev/null 2>&1 ||
		    [ -x "/usr/sbin/${t%%:*}" ] || nt_missing="$nt_missing ${t#*:}"
	done
	[ -z "$nt_missing" ] && return 0
	echo "$nt_name: missing Debian packages:$nt_missing" >&2
	echo "  apt-get install$nt_missing" >&2
	exit 1
}

# need_build NAME PROGRAM...: exit unless $build/src/PROGRAM is built
# for each PROGRAM
need_build() {
	nb_name=$1
	shift
	for p in "$@"; do
		[ -x "$build/src/$p" ] && continue
		echo "$nb_name: no $build/src/$p (set BUILD to a built tree)" >&2
		exit 1
	done
}

# freeport: a port free for both UDP and TCP on 127.0.0.1 (the kernel
# picks it).
freeport() {
	perl -MIO::Socket::INET -e '
	for (1 .. 50) {
		my $u = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
		    LocalPort => 0, Proto => "udp") or next;
		my $p = $u->sockport;
		my $t = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
		    LocalPort => $p, Proto => "tcp", Listen => 1) or next;
		print "$p\n"; exit 0;
	}
	exit 1'
}

# gen_set N DATA QUERIES NQ [EXTRA NEXTRA]: the data set of N entries into
# the file DATA and NQ queries for it (zone bl.bench) into QUERIES, with
# NEXTRA more unlisted addresses into EXTRA: IPv4 (gen-ip4set.sh,
# gen-queries.sh), when FAMILY is 6 IPv6 (gen-ip6set.sh), when FAMILY is
# dnset domain names (gen-dnset.sh; the extra names are new registered
# domains). $top is the source tree.
gen_set() {
	if [ "${FAMILY:-4}" = dnset ]; then
		sh "$top/bench/gen-dnset.sh" "$1" bl.bench "$4" "$3" >"$2" &&
		    if [ -n "${5:-}" ]; then
			awk -v n="$6" 'BEGIN { for (i = 1; i <= n; i++)
			    printf "extra%d.bench-new.test\n", i }' >"$5"
		    fi
	elif [ "${FAMILY:-4}" = 6 ]; then
		sh "$top/bench/gen-ip6set.sh" "$1" >"$2" &&
		    sh "$top/bench/gen-ip6set.sh" -q "$1" "$4" bl.bench \
		    ${5:+"$5" "$6"} >"$3"
	else
		sh "$top/bench/gen-ip4set.sh" "$1" >"$2" &&
		    sh "$top/bench/gen-queries.sh" "$1" "$4" bl.bench \
		    ${5:+"$5" "$6"} >"$3"
	fi
}

# median: the median of the numbers on stdin, "-" for none
median() {
	sort -g | awk '{v[NR] = $1} END {
		if (NR == 0) print "-"
		else if (NR % 2) print v[(NR + 1) / 2]
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ticks PID: the CPU clock ticks (utime + stime) of PID so far
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# field NAME OUT: the number after "NAME:" in dnsperf's output
field() { sed -n "s/^ *$1: *\([0-9.]*\).*/\1/p" "$2" | head -1; }

# end PID...: end processes this script started, reap them, and take them
# out of $pids (the list an EXIT trap ends, so that it never signals a
# PID the system has reused)
end() {
	for p in "$@"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
		pids=$(echo " ${pids:-} " | sed "s/ $p / /; s/^ *//; s/ *$//")
	done
	return 0
}

# now: nanoseconds of the real-time clock; ms A B: from A to B in ms
now() { date +%s%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", (b - a) / 1e6}'; }

# summary FILE: "median M (runs: a b c)" of the figures in FILE
summary() {
	echo "median $(median <"$1") (runs: $(tr '\n' ' ' <"$1" | sed 's/ $//'))"
}

# mem PID FIELD: kB of a /proc/PID/status field (VmRSS, VmHWM, ...)
mem() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# nsd_server DIR PORT VERBOSITY: the server: and remote-control: clauses
# of an NSD on 127.0.0.1@PORT that keeps its files in DIR (nsd.log
# there), runs as the user who starts it, and limits no rate
nsd_server() {
	cat <<CONF
server:
	ip-address: 127.0.0.1
	port: $2
	server-count: 1
	username: ""
	chroot: ""
	zonesdir: "$1"
	database: ""
	zonelistfile: "$1/zone.list"
	xfrdfile: "$1/xfrd.state"
	xfrdir: "$1"
	pidfile: "$1/nsd.pid"
	logfile: "$1/nsd.log"
	verbosity: $3
	# no response rate limiting: it would truncate and drop answers
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0
remote-control:
	control-enable: no
CONF
}
