# lib.sh -- shared by the bench scripts (sourced; POSIX sh).

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
