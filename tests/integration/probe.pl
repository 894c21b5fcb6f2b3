#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# probe.pl -- ask a DNS server the A records of a few names over UDP, one
# query at a time, round after round, until a stop file appears; one line
# per query:
#
#	ROUND NAME RCODE A...	(A records of the answer, "-" for none)
#	ROUND NAME timeout
#
#	perl probe.pl PORT STOPFILE NAME...
#
# A query without a reply within 2 seconds is a timeout. It stops by
# itself after 200000 rounds, should the stop file never come.
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;

my ($port, $stop, @names) = @ARGV;
die "usage: $0 PORT STOPFILE NAME...\n" unless @names;
my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
    Proto => 'udp') or die "socket: $!\n";
my $sel = IO::Select->new($s);
$| = 1;

sub query
{
	my ($id, $name) = @_;
	my $q = pack('n6', $id, 0x0100, 1, 0, 0, 0);
	$q .= pack('C', length $_) . $_ for split /\./, $name;
	return $q . pack('Cnn', 0, 1, 1);
}

# skip a (possibly compressed) name at offset o; the offset after it
sub skip_name
{
	my ($buf, $o) = @_;
	while ($o < length $buf) {
		my $l = unpack('C', substr($buf, $o, 1));
		return $o + 2 if $l >= 0xc0;
		return $o + 1 if $l == 0;
		$o += 1 + $l;
	}
	return $o;
}

my $id = 0;
for (my $round = 1; $round <= 200000; $round++) {
	last if -e $stop;
	for my $name (@names) {
		$id = ($id + 1) & 0xffff;
		$s->send(query($id, $name));
		my ($buf, $rid) = ('', -1);
		while ($rid != $id) {
			last unless $sel->can_read(2);
			$s->recv($buf, 65535);
			$rid = length $buf >= 12 ? unpack('n', $buf) : -1;
		}
		if ($rid != $id) {
			print "$round $name timeout\n";
			next;
		}
		my ($fl, $qd, $an) = (unpack('n6', $buf))[1, 2, 3];
		my $o = 12;
		$o = skip_name($buf, $o) + 4 for 1 .. $qd;
		my @a;
		for (1 .. $an) {
			$o = skip_name($buf, $o);
			my ($type, $class, $ttl, $rdlen) =
			    unpack('nnNn', substr($buf, $o, 10));
			$o += 10;
			push @a, join('.', unpack('C4', substr($buf, $o, 4)))
			    if $type == 1 && $rdlen == 4;
			$o += $rdlen;
		}
		print "$round $name ", $fl & 15, ' ', (@a ? join(',', @a) :
		    '-'), "\n";
	}
}
