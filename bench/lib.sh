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
