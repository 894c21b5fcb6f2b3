#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# readme.pl -- the commands of README.md, for tests/integration/readme.sh.
#
#	readme.pl steps README.md
#		The walkthrough as steps, one a line, TAB after the tag:
#		R cmd	the "Run it" command (its last part starts rdnsbld)
#		C line	a line of a configuration block, then
#		A	apply that block to zones/example.conf, reload
#		$ cmd	a command to run, then
#		> line	each line of the output the README shows for it
#		X text	an error: a line that looks like a command but is
#			neither "$ "-prefixed nor one of the build commands
#	readme.pl apply CONF BLOCK
#		Apply the configuration block in file BLOCK to the file CONF
#		as README.md's prose asks: each clause of the block that
#		names a clause of CONF (server:, or a zone: or list: with
#		the same name:) gets the block's lines, a key it already has
#		replaced ("change the zone's checks: line"), in server: added
#		("add the server: lines", so a key given twice is the
#		daemon's error, as for a reader who followed it); any other
#		clause is appended.
#	readme.pl match WANT GOT
#		Exit 0 when the output in GOT is the one in WANT: line by
#		line, where "..." inside a line stands for any text and a
#		line that is "..." alone for any number of lines. Otherwise
#		print both and exit 1.
use strict;
use warnings;

my $mode = shift // die "usage: readme.pl steps|apply|match ...\n";

sub slurp {
	my ($f) = @_;
	open(my $fh, '<', $f) or die "readme.pl: $f: $!\n";
	my @l = <$fh>;
	close $fh;
	chomp @l;
	return @l;
}

if ($mode eq 'steps') {
	my @l = slurp($ARGV[0]);
	my ($in_run, $run_done, $conf, $cmd) = (0, 0, 0, 0);
	for (my $i = 0; $i < @l; $i++) {
		my $line = $l[$i];
		if ($line =~ /^Run it\b/) {
			$in_run = 1;
			next;
		}
		if ($line !~ /^    (.*)$/) {
			if ($conf && $line =~ /^\S/) {
				print "A\n";
				$conf = 0;
			}
			next;
		}
		my $code = $1;
		my $first = $i == 0 || $l[$i - 1] !~ /^    /;
		$cmd = 0 if $first;
		if ($in_run && !$run_done) {
			print "R\t$code\n";
			$run_done = 1;
			next;
		}
		if ($code =~ /^\$ (.*)$/) {
			print "\$\t$1\n";
			$cmd = 1;
			next;
		}
		# the first line of a block: a configuration clause?
		if (!$conf && $first &&
		    $code =~ /^(server|zone|list|http):\s*$/) {
			$conf = 1;
		}
		if ($conf) {
			print "C\t$code\n";
			next;
		}
		if ($code =~ m{^(sh |\./|src/|dig |curl |make |sudo )}) {
			# the build commands are the only ones not run here
			next if $code =~ m{^(sh tools/deps\.sh( --test)? && )?\./autogen\.sh && \./configure};
			print "X\t$code\n";
			next;
		}
		# the output of the previous command
		print $cmd ? ">\t$code\n" : "X\t$code\n";
	}
	print "A\n" if $conf;
	exit 0;
}

if ($mode eq 'apply') {
	my ($conf, $block) = @ARGV;
	my @c = slurp($conf);
	my @b = slurp($block);
	# the block's clauses: [ kind, name, [ lines ] ]
	my @clauses;
	for my $l (@b) {
		if ($l =~ /^(\w[\w-]*):\s*(#.*)?$/) {
			push @clauses, [ $1, undef, [] ];
			next;
		}
		die "readme.pl: a line outside a clause: $l\n" unless @clauses;
		push @{ $clauses[-1][2] }, $l;
		$clauses[-1][1] = $1 if $l =~ /^\s*name:\s*(\S+)/;
	}
	for my $cl (@clauses) {
		my ($kind, $name, $lines) = @$cl;
		# the clause of CONF: its first line's index and its end
		my ($start, $end);
		for (my $i = 0; $i < @c; $i++) {
			next unless $c[$i] =~ /^\Q$kind\E:\s*$/;
			my $j = $i + 1;
			my $found = !defined $name;
			while ($j < @c && $c[$j] !~ /^\S/) {
				$found = 1 if defined $name &&
				    $c[$j] =~ /^\s*name:\s*\Q$name\E\s*$/;
				$j++;
			}
			# back over blank and comment lines after the clause
			my $k = $j;
			$k-- while $k > $i + 1 && $c[$k - 1] =~ /^\s*(#.*)?$/;
			if ($found) {
				($start, $end) = ($i, $k);
				last;
			}
		}
		if (!defined $start) {
			push @c, '', "$kind:", @$lines;
			next;
		}
		my @add;
		for my $l (@$lines) {
			my ($key) = $l =~ /^\s*([\w-]+):/;
			next if defined $key && $key eq 'name';
			my $done = 0;
			if ($kind ne 'server' && defined $key) {
				for (my $i = $start + 1; $i < $end; $i++) {
					if ($c[$i] =~ /^\s*\Q$key\E:/) {
						$c[$i] = $l;
						$done = 1;
						last;
					}
				}
			}
			push @add, $l unless $done;
		}
		splice @c, $end, 0, @add;
	}
	open(my $fh, '>', $conf) or die "readme.pl: $conf: $!\n";
	print $fh map { "$_\n" } @c;
	close $fh or die "readme.pl: $conf: $!\n";
	exit 0;
}

if ($mode eq 'match') {
	my @w = slurp($ARGV[0]);
	my @g = slurp($ARGV[1]);
	my %memo;
	my $m;
	$m = sub {
		my ($i, $j) = @_;
		my $k = "$i,$j";
		return $memo{$k} if exists $memo{$k};
		my $r;
		if ($i == @w) {
			$r = $j == @g;
		} elsif ($w[$i] =~ /^\s*\.\.\.\s*$/) {
			$r = $m->($i + 1, $j) || ($j < @g && $m->($i, $j + 1));
		} elsif ($j == @g) {
			$r = 0;
		} else {
			my $re = join('.*', map { quotemeta } split(/\.\.\./,
			    $w[$i], -1));
			$r = $g[$j] =~ /^$re$/ && $m->($i + 1, $j + 1);
		}
		return $memo{$k} = $r ? 1 : 0;
	};
	exit 0 if $m->(0, 0);
	print "want:\n", map({ "  $_\n" } @w), "got:\n", map({ "  $_\n" } @g);
	exit 1;
}

die "readme.pl: unknown mode $mode\n";
