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
