#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# rbldnsd_cmp.pl -- the answers of rbldnsd and of rdnsbld to the same
# names, side by side, for rbldnsd_oracle.sh.
#
#	perl rbldnsd_cmp.pl missing ZONE NAMESFILE DIGOUT
#		the "NAME TYPE" lines of a dig -f batch for the names of
#		NAMESFILE (A and TXT) that DIGOUT holds no answer to
#	perl rbldnsd_cmp.pl compare ZONE NAMESFILE RBLDNSD-DIGOUT RDNSBL-DIGOUT
#		one line per difference, then the summary lines
#
# The DIGOUTs are the output of dig -f with +noall +comments +question
# +answer (several files may be joined). An answer is compared as its
# status (NOERROR, NXDOMAIN, ...), the set of its A values, and its TXT
# records, each joined from its strings and unescaped from dig's
# presentation, in sorted order. Output of compare:
#
#	diff NAME (KIND, SUBJECT)|RBLDNSD ANSWER|RDNSBL ANSWER
#	allowed WHAT COUNT EXAMPLE
#	stats names=N listed=N nxdomain=N txt=N multi=N allowed=N diff=N
#
# "allowed" counts the differences that doc/rbldnsd-format.md lists
# ("Differences from rbldnsd"), which are not failures:
#   txt254   rbldnsd cut a TXT of 255 bytes or more to 254; rdnsbl's
#            answer has the whole text (in several strings when over
#            255 bytes) and starts with rbldnsd's
#   ent      a name with fewer labels than an address (an empty
#            non-terminal): rbldnsd NXDOMAIN, rdnsbl NOERROR and no data
#   zero     an IPv4 label with a leading zero ("01"): rbldnsd reads
#            the address, rdnsbl NXDOMAIN
use strict;
use warnings;

my $mode = shift // '';
die "usage: $0 missing|compare ZONE NAMESFILE DIGOUT...\n"
    unless ($mode eq 'missing' && @ARGV == 3) ||
    ($mode eq 'compare' && @ARGV == 4);
my ($zone, $namesfile, @outs) = @ARGV;

my @names;
open my $fh, '<', $namesfile or die "$namesfile: $!\n";
while (<$fh>) {
	chomp;
	my ($n, $k, $s) = split / /, $_, 3;
	push @names, [ $n, $k, $s ];
}
close $fh;

# dig's presentation of a TXT string's contents: \DDD and \X escapes
sub unescape
{
	my ($s) = @_;
	$s =~ s/\\(\d{3}|.)/length $1 == 3 ? chr($1) : $1/ge;
	return $s;
}

# the bytes of a text shown: printable ASCII as is, the rest as \DDD
sub show
{
	my ($s) = @_;
	$s =~ s/([\\"])/\\$1/g;
	$s =~ s/([^\x20-\x7e])/sprintf '\\%03d', ord $1/ge;
	return "\"$s\"";
}

# the answers of one dig output: {lc qname}{type} = { status, a, txt }
sub parse
{
	my %r;
	for my $f (@_) {
		open my $d, '<', $f or die "$f: $!\n";
		my ($status, $cur);
		while (my $l = <$d>) {
			chomp $l;
			if ($l =~ /^;; ->>HEADER<<-.* status: ([A-Z]+),/) {
				$status = $1;
				$cur = undef;
			} elsif ($l =~ /^;(\S+)\s+IN\s+(A|TXT)\s*$/ &&
			    defined $status) {
				$cur = { status => $status, a => [], txt => [] };
				$r{ lc $1 }{$2} = $cur;
				$status = undef;
			} elsif ($l =~ /^(\S+)\s+\d+\s+IN\s+(A|TXT)\s+(.*)$/ &&
			    $cur) {
				my ($t, $data) = ($2, $3);
				if ($t eq 'A') {
					push @{ $cur->{a} }, $data;
					next;
				}
				my $txt = '';
				while ($data =~ /"((?:[^"\\]|\\.)*)"/g) {
					$txt .= unescape($1);
				}
				push @{ $cur->{txt} }, $txt;
			}
		}
		close $d;
	}
	return \%r;
}

sub qname { return $_[0] eq '' ? "$zone." : lc "$_[0].$zone." }

if ($mode eq 'missing') {
	my $r = parse($outs[0]);
	for my $n (@names) {
		for my $t (qw(A TXT)) {
			print "$n->[0].$zone $t\n" unless $r->{ qname($n->[0]) }{$t};
		}
	}
	exit 0;
}

my ($rb, $rd) = (parse($outs[0]), parse($outs[1]));

sub uniq_sorted
{
	my %s = map { $_ => 1 } @_;
	return sort keys %s;
}

# one name's answer as text: "NXDOMAIN", or "A=... TXT=..."
sub answer
{
	my ($r) = @_;
	return 'no answer' unless $r->{A} && $r->{TXT};
	my ($a, $t) = ($r->{A}, $r->{TXT});
	my $s;
	if ($a->{status} eq 'NOERROR') {
		my @a = uniq_sorted(@{ $a->{a} });
		$s = @a ? 'A=' . join(',', @a) : 'A=none';
	} else {
		$s = $a->{status};
	}
	if ($t->{status} ne $a->{status}) {
		$s .= " TXT-status=$t->{status}";
	} elsif ($t->{status} eq 'NOERROR') {
		my @t = sort @{ $t->{txt} };
		$s .= @t ? ' TXT=' . join(' + ', map { show($_) } @t) :
		    ' TXT=none';
	}
	return $s;
}

# rdnsbl's TXT records against rbldnsd's, with rbldnsd's cut allowed
# (at 254 bytes, though its warning says 255); 2 when they match only
# through that cut
sub txt_match
{
	my ($b, $d) = @_;
	my @b = sort @$b;
	my @d = sort @$d;
	return 0 if @b != @d;
	my $cut = 0;
	for my $i (0 .. $#b) {
		next if $b[$i] eq $d[$i];
		return 0 unless length $b[$i] == 254 &&
		    length $d[$i] > 254 && substr($d[$i], 0, 254) eq $b[$i];
		$cut = 1;
	}
	return $cut ? 2 : 1;
}

my (%allowed, %example);
my %st = (names => 0, listed => 0, nxdomain => 0, txt => 0, multi => 0,
    diff => 0, allowed => 0);

sub allow
{
	my ($what, $ex) = @_;
	$allowed{$what}++;
	$example{$what} //= $ex;
	$st{allowed}++;
}

for my $n (@names) {
	my ($name, $kind, $subject) = @$n;
	my $q = qname($name);
	my ($b, $d) = ($rb->{$q} // {}, $rd->{$q} // {});
	my ($ab, $ad) = (answer($b), answer($d));
	$st{names}++;
	if ($b->{A} && $b->{A}{status} eq 'NOERROR' && @{ $b->{A}{a} }) {
		$st{listed}++;
		my @u = uniq_sorted(@{ $b->{A}{a} });
		$st{multi}++ if @u > 1;
	}
	$st{nxdomain}++ if $b->{A} && $b->{A}{status} eq 'NXDOMAIN';
	$st{txt}++ if $b->{TXT} && @{ $b->{TXT}{txt} };
	my $ex = "$name ($subject): rbldnsd $ab, rdnsbl $ad";
	next if $ab eq $ad && $ab ne 'no answer';
	if ($ab ne 'no answer' && $ad ne 'no answer' &&
	    $b->{A}{status} eq 'NOERROR' && $d->{A}{status} eq 'NOERROR' &&
	    join(',', uniq_sorted(@{ $b->{A}{a} })) eq
	    join(',', uniq_sorted(@{ $d->{A}{a} })) &&
	    $b->{TXT}{status} eq $d->{TXT}{status} &&
	    txt_match($b->{TXT}{txt}, $d->{TXT}{txt}) == 2) {
		allow('txt254', $ex);
		next;
	}
	if ($kind eq 'partial' && $ab eq 'NXDOMAIN' &&
	    $ad eq 'A=none TXT=none') {
		allow('ent', $ex);
		next;
	}
	if ($kind eq 'zero' && $ad eq 'NXDOMAIN') {
		allow('zero', $ex);
		next;
	}
	$st{diff}++;
	print "diff $name ($kind, $subject)|$ab|$ad\n";
}
for my $w (sort keys %allowed) {
	print "allowed $w $allowed{$w} $example{$w}\n";
}
print 'stats ', join(' ', map { "$_=$st{$_}" }
    qw(names listed nxdomain txt multi allowed diff)), "\n";
