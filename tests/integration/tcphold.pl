#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# tcphold.pl -- one TCP client holding many connections to a DNS server,
# for tests/integration/tcp_limits.sh.
#
#	tcphold.pl ADDR PORT SOURCE COUNT MODE SECONDS
#
# Opens COUNT connections from the address SOURCE and holds them for
# SECONDS: MODE idle sends nothing; MODE slow sends one byte of a query
# a second on each (a slowloris: never idle, never done). Prints
# "ready N" once all are opened and half a second has passed, N the
# connections still open then, and "end N" at the end. A connection the
# server closed (EOF or an error) is dropped and not counted.
use strict;
use warnings;
use IO::Select;
use IO::Socket::INET;
use Time::HiRes qw(time sleep);

my ($addr, $port, $src, $count, $mode, $secs) = @ARGV;
die "usage: tcphold.pl ADDR PORT SOURCE COUNT idle|slow SECONDS\n"
    unless defined $secs && $mode =~ /^(idle|slow)$/;
$| = 1;
$SIG{PIPE} = "IGNORE";	# a write to a connection the server closed
# a query for 2.0.0.127.bl.test A, with its length prefix
my $q = pack("n", 0x1234) . pack("nnnn", 0x0100, 1, 0, 0)
    . join("", map { chr(length) . $_ } qw(2 0 0 127 bl test)) . "\0"
    . pack("nn", 1, 1);
my $msg = pack("n", length $q) . $q;
my $sel = IO::Select->new;
my %sent;
for (1 .. $count) {
	my $s = IO::Socket::INET->new(PeerAddr => $addr, PeerPort => $port,
	    LocalAddr => $src, Proto => "tcp", Timeout => 2) or next;
	$sel->add($s);
	$sent{fileno $s} = 0;
}
# drop those the server closed
sub reap {
	for my $s ($sel->can_read(0)) {
		my $buf;
		my $n = sysread($s, $buf, 512);
		if (!defined $n || $n == 0) {
			$sel->remove($s);
			close $s;
		}
	}
}
my $start = time;
my $next = $start;
my $ready = 0;
while (time - $start < $secs) {
	reap();
	if (!$ready && time - $start >= 0.5) {
		print "ready ", scalar($sel->handles), "\n";
		$ready = 1;
	}
	if ($mode eq "slow" && time >= $next) {
		for my $s ($sel->handles) {
			my $i = $sent{fileno $s}++;
			# one byte a second, the last never: never a whole query
			syswrite($s, substr($msg, $i, 1)) if $i < length($msg) - 1;
		}
		$next += 1;
	}
	sleep 0.05;
}
reap();
print "ready ", scalar($sel->handles), "\n" unless $ready;
print "end ", scalar($sel->handles), "\n";
