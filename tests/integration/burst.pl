#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# burst.pl -- send COUNT UDP queries for the A record of NAME from the
# source address SRC to 127.0.0.1 PORT, all at once or spread evenly over
# SECONDS, read the replies until WAIT seconds (default 1) pass without
# one, and print
#
#	sent COUNT answered A truncated T
#
# A is the replies without TC, T those with TC set (a rate limit's slip).
#
#	perl burst.pl SRC PORT NAME COUNT [SECONDS [WAIT]]
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use Time::HiRes qw(time sleep);

my ($src, $port, $name, $count, $secs, $wait) = @ARGV;
die "usage: $0 SRC PORT NAME COUNT [SECONDS [WAIT]]\n" unless defined $count;
$secs ||= 0;
$wait ||= 1;
my $s = IO::Socket::INET->new(LocalAddr => $src, PeerAddr => '127.0.0.1',
    PeerPort => $port, Proto => 'udp') or die "socket: $!\n";
# room for every reply of a burst while the queries go out
setsockopt($s, SOL_SOCKET, SO_RCVBUF, 4 << 20) or die "SO_RCVBUF: $!\n";
my $sel = IO::Select->new($s);
my ($answered, $truncated) = (0, 0);

sub reply
{
	my $buf;
	defined $s->recv($buf, 4096) or return;
	return if length $buf < 12;
	my (undef, $flags) = unpack('n2', $buf);
	if ($flags & 0x0200) {
		$truncated++;
	} else {
		$answered++;
	}
}

my $q = '';
$q .= pack('C', length $_) . $_ for split /\./, $name;
$q .= pack('Cn2', 0, 1, 1);
my $t0 = time;
for my $i (1 .. $count) {
	if ($secs > 0) {
		my $due = $t0 + $secs * ($i - 1) / $count;
		while ((my $left = $due - time) > 0) {
			reply() if $sel->can_read($left);
		}
	}
	$s->send(pack('n6', $i & 0xffff, 0x0100, 1, 0, 0, 0) . $q)
	    or die "send: $!\n";
	reply() while $sel->can_read(0);
}
reply() while $sel->can_read($wait);
print "sent $count answered $answered truncated $truncated\n";
