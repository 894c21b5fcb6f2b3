#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# rbldnsd_gen.pl -- random rbldnsd data files and the names to ask about
# them, for rbldnsd_oracle.sh. Deterministic: the same type, seed,
# features and size give the same bytes on every machine (an own
# xorshift generator, no rand()).
#
#	perl rbldnsd_gen.pl TYPE SEED FEATURES DATAFILE NAMESFILE [ENTRIES]
#
# TYPE is ip4set, ip4trie, ip6trie or dnset. FEATURES is a list of the
# flag words below, separated by blanks or commas. DATAFILE gets the
# data in rbldnsd's syntax for TYPE; NAMESFILE one query name a line,
# relative to the zone, with its kind and the address or name it stands
# for:
#
#	4.2.0.192 edge 192.0.2.4
#
# Kinds: edge (the first or last address of an entry, or one outside
# it), inside, random, near (a random address close to an entry),
# testpoint (RFC 5782), partial (an empty non-terminal: fewer labels
# than an address), extra (a label more than an address), zero (an IPv4
# label with a leading zero), upper (IPv6 nibbles in upper case), mapped
# (an IPv4-mapped IPv6 address), name (dnset: a listed name or a name
# near one). A summary goes to standard output.
#
# What every file has (always): single addresses, CIDRs of every prefix
# length on and off octet boundaries, abbreviated IPv4 prefixes (10.1.2,
# 10.1/16) and IPv6 prefixes without "::" (2001:db8:1:2), IPv6 in
# compressed, full, zero-padded and upper-case spellings, ip4set dash
# ranges (10.1.2.3-9, 127.16-31, a.b.c.d-e.f.g.h, a.b.c-e.f.g), nested
# entries and exclusions inside them (an exclusion in a listing, a
# listing in that exclusion, ...), values ":127.0.0.3:text", ":3:text",
# ":3", "127.3"-style codes, plain text, a trailing comment, a value
# without a blank before it, a value on an exclusion, default-value
# lines, comment and blank lines, blanks and tabs around the fields, the
# RFC 5782 test point 127.0.0.2, a last line without a newline.
#
# Feature flags (what they add to the data):
#	longtxt    TXT of 255-400 bytes (rbldnsd serves 254 of them, rdnsbl
#	           all, in strings of up to 255: a documented difference the
#	           comparison allows)
#	timestamp  a $TIMESTAMP line (made in the past, expiring in the future)
#	dollar     "$" and "$$" in TXT
#	subst      $1-$9 variable lines and their use, a "$=" base template,
#	           TXT starting with "="
#	codes      A values in 127/8 outside 127.0.0.2-127.0.0.254 (but not
#	           127.0.0.1: rdnsbl refuses it, a documented difference)
#	hostbits   CIDRs with host bits set (rbldnsd skips them)
#	maxrange   a $MAXRANGE4 line (rbldnsd skips the wider entries)
#	dupes      the same prefix twice with different values (ip4set
#	           only with setoverlap: both share their granules)
#	notxt      entries and default lines without TXT (":3:", and ":3"
#	           under a default without TXT)
#	gzip       (no change here: rbldnsd_oracle.sh compresses the file)
#	setoverlap ip4set: entries sharing one octet granule (rbldnsd's ip4set
#	           answers all their values; an exclusion there beats even a
#	           longer listing)
#	crlf       lines end in CR LF (rbldnsd keeps the CR in a TXT at the
#	           end of a line and skips an address followed by it)
use strict;
use warnings;

my ($type, $seed, $features, $datafile, $namesfile, $nentries) = @ARGV;
die "usage: $0 TYPE SEED FEATURES DATAFILE NAMESFILE [ENTRIES]\n"
    unless defined $namesfile && $type =~ /^(ip4set|ip4trie|ip6trie|dnset)$/ &&
    $seed =~ /^\d+$/;
my %F = map { $_ => 1 } grep { length } split /[\s,]+/, $features;
$nentries ||= ($type eq 'dnset' ? 150 : 250);

# --- the generator of random numbers: xorshift32, seeded through a mix ----

my $S = (($seed + 1) * 2654435761) & 0xffffffff;
$S ^= 0x5bd1e995 if $S == 0;
sub r32
{
	$S ^= ($S << 13) & 0xffffffff;
	$S ^= $S >> 17;
	$S ^= ($S << 5) & 0xffffffff;
	return $S;
}
sub rnd { my ($n) = @_; return $n <= 1 ? 0 : r32() % $n }
sub chance { my ($p) = @_; return rnd(1000000) < $p * 1000000 }
sub pick { return $_[rnd(scalar @_)] }
sub between { my ($lo, $hi) = @_; return $lo + rnd($hi - $lo + 1) }

# --- addresses: arrays of 32-bit words (one for IPv4, four for IPv6) -------

my $v6 = $type eq 'ip6trie';
my $W = $v6 ? 4 : 1;
my $BITS = 32 * $W;

sub a_mask
{
	my ($a, $len) = @_;
	my @r;
	for my $i (0 .. $#$a) {
		my $keep = $len - 32 * $i;
		if ($keep >= 32) { push @r, $a->[$i] }
		elsif ($keep <= 0) { push @r, 0 }
		else { push @r, $a->[$i] & ((0xffffffff << (32 - $keep)) & 0xffffffff) }
	}
	return \@r;
}

sub a_last
{
	my ($a, $len) = @_;
	my $m = a_mask($a, $len);
	my @r;
	for my $i (0 .. $#$a) {
		my $keep = $len - 32 * $i;
		if ($keep >= 32) { push @r, $m->[$i] }
		elsif ($keep <= 0) { push @r, 0xffffffff }
		else { push @r, $m->[$i] | (0xffffffff >> $keep) }
	}
	return \@r;
}

# a + 1 or a - 1; undef past either end of the space
sub a_step
{
	my ($a, $d) = @_;
	my @r = @$a;
	for (my $i = $#r; $i >= 0; $i--) {
		if ($d > 0) {
			if ($r[$i] == 0xffffffff) { $r[$i] = 0; next }
			$r[$i]++;
			return \@r;
		}
		if ($r[$i] == 0) { $r[$i] = 0xffffffff; next }
		$r[$i]--;
		return \@r;
	}
	return undef;
}

sub a_cmp
{
	my ($a, $b) = @_;
	for my $i (0 .. $#$a) {
		return $a->[$i] <=> $b->[$i] if $a->[$i] != $b->[$i];
	}
	return 0;
}

sub a_key { return join ':', @{$_[0]} }

# a random address inside NET/LEN
sub a_rand_in
{
	my ($net, $len) = @_;
	my $m = a_mask($net, $len);
	my $h = a_last([ (0) x $W ], $len);	# the host bits set
	return [ map { $m->[$_] | (r32() & $h->[$_]) } 0 .. $W - 1 ];
}

sub a_contains
{
	my ($net, $len, $x) = @_;
	return a_cmp(a_mask($x, $len), $net) == 0;
}

sub v4_str
{
	my ($w) = @_;
	return join '.', $w >> 24, ($w >> 16) & 255, ($w >> 8) & 255, $w & 255;
}

sub v6_groups
{
	my ($a) = @_;
	return map { ($_ >> 16, $_ & 0xffff) } @$a;
}

# RFC 5952: lower case, the longest run of two or more zero groups as "::"
sub v6_str
{
	my @g = v6_groups($_[0]);
	my ($best, $blen) = (-1, 1);
	for (my $i = 0; $i < 8; $i++) {
		next if $g[$i];
		my $j = $i;
		$j++ while $j < 8 && !$g[$j];
		($best, $blen) = ($i, $j - $i) if $j - $i > $blen;
		$i = $j;
	}
	my @h = map { sprintf '%x', $_ } @g;
	return join ':', @h if $best < 0;
	return join(':', @h[0 .. $best - 1]) . '::' .
	    join(':', @h[$best + $blen .. 7]);
}

sub a_str { return $v6 ? v6_str($_[0]) : v4_str($_[0][0]) }

# the labels of the query name of an address, relative to the zone
sub a_rev
{
	my ($a) = @_;
	return join '.', reverse split /\./, v4_str($a->[0]) unless $v6;
	return join '.', reverse split //, join '', map { sprintf '%08x', $_ } @$a;
}

# --- spellings of a prefix as an entry -------------------------------------

# IPv4 NET/LEN: the full address, with /LEN unless 32 (/32 sometimes), or
# abbreviated: as many octets as the prefix needs (or more), /LEN
# omitted when it equals 8 times the octets given (but a bare number is
# not an address).
sub v4_spell
{
	my ($net, $len, $hostbits) = @_;
	my @o = split /\./, v4_str($net->[0]);
	if (!$hostbits && chance(0.3)) {
		my $need = 1;
		for my $i (0 .. 3) { $need = $i + 1 if $o[$i] }
		my $k = between($need, 4);
		my $s = join '.', @o[0 .. $k - 1];
		return $s if $k * 8 == $len && $k > 1 && chance(0.7);
		return "$s/$len" if $k < 4 || $len < 32 || chance(0.5);
		return $s;
	}
	return join('.', @o) if $len == 32 && chance(0.8);
	return join('.', @o) . "/$len";
}

# IPv6 NET/LEN: compressed, full with leading zeros, upper case, or the
# first groups alone ("2001:db8:1:2" is a /64), with /LEN unless 128.
sub v6_spell
{
	my ($net, $len, $hostbits) = @_;
	my @g = v6_groups($net);
	my $s;
	my $style = rnd(10);
	if (!$hostbits && $style < 3) {
		my $need = 2;	# a single group is no address
		for my $i (0 .. 7) { $need = $i + 1 if $g[$i] && $i >= $need }
		$need = int(($len + 15) / 16) if int(($len + 15) / 16) > $need;
		if ($need <= 7) {
			my $k = between($need, 7);
			$s = join ':', map { sprintf '%x', $_ } @g[0 .. $k - 1];
			return $s if $k * 16 == $len && chance(0.7);
			return "$s/$len";
		}
	}
	if ($style == 3) {
		$s = join ':', map { sprintf '%04x', $_ } @g;
	} elsif ($style == 4) {
		$s = uc v6_str($net);
	} else {
		$s = v6_str($net);
	}
	return $s if $len == 128 && chance(0.8);
	return "$s/$len";
}

sub spell { return $v6 ? v6_spell(@_) : v4_spell(@_) }

# --- values ----------------------------------------------------------------

my @words = qw(spam source relay proxy botnet listed policy dynamic
    snowshoe hijacked abuse compromised webmail bulk phish zombie dictionary
    attack open resolver see report network customer range block);

sub words { return join ' ', map { pick(@words) } 1 .. $_[0] }

my $ntext = 0;
# a TXT text: words, a serial number (so that answers tell entries apart),
# now and then a character rbldnsd or a TXT string could take for syntax
sub text
{
	my $t = words(between(1, 4)) . ' ' . ++$ntext;
	my $r = rnd(20);
	$t .= ' "quoted"' if $r == 0;
	$t .= ' back\\slash' if $r == 1;
	$t .= ' #hash ;semi' if $r == 2;
	$t .= ' 50% off: a:b' if $r == 3;
	$t .= " caf\xc3\xa9" if $r == 4;
	$t = "#$t" if $r == 5;		# a TXT may start with # after :A:
	$t .= "\ttab" if $r == 6;
	if ($F{dollar}) {
		$t .= ' see https://example.test/lookup?ip=$' if $r == 7;
		$t .= ' costs $$5' if $r == 8;
		$t = '$ ' . $t if $r == 9;
	}
	if ($F{subst}) {
		$t .= ' $1' if $r == 10;
		$t = "$t \$2 \$1" if $r == 11;
		$t = "=$t" if $r == 12;
	}
	if ($F{longtxt} && $r == 13 && chance(0.5)) {
		$t .= ' ' . words(60);
		$t = substr($t, 0, between(255, 400));
		$t =~ s/\s+$/x/;
	}
	return $t;
}

# rbldnsd's warnings the data causes: a TXT over 255 bytes in a value
# it reads (not on an exclusion), the last line without a newline (2)
my $nwarn = 2;

# a text for a value rbldnsd reads
sub vtext
{
	my $t = text();
	$nwarn++ if length $t > 255;
	return $t;
}

# an A value: a code of 127.0.0.2-254 in one of the spellings rbldnsd
# reads (inet_aton style), or with "codes" anywhere in 127/8 but
# 127.0.0.1, which rdnsbl refuses (a documented difference)
sub code
{
	if ($F{codes} && chance(0.15)) {
		return pick('127.0.0.255', '255', '127.0.0.0',
		    '127.1.2.3', '127.255.255.254', '127.0.1.2',
		    '127.' . between(0, 255) . '.' . between(0, 255) . '.' .
		    between(0, 255));
	}
	my $d = between(2, 254);
	my $r = rnd(10);
	return $d if $r < 4;
	return "127.$d" if $r == 4;
	return "127.0.$d" if $r == 5;
	return "127.0.0.$d";
}

# the value part of an entry line (with its leading blank), or ""
sub value
{
	my $r = rnd(100);
	my $sep = pick(' ', ' ', ' ', "\t", '   ', " \t ");
	return '' if $r < 22;
	return $sep . ':' . code() . ':' . vtext() if $r < 42;
	return $sep . ':' . code() . ':' . pick('', ' ', '  ') . vtext() if $r < 50;
	return $sep . ':' . code() if $r < 60;
	return $sep . vtext() if $r < 75;
	return $sep . pick('# a comment', '; a comment', '#', '# :5:not a value')
	    if $r < 82;
	return $sep . ':' . code() . ':' if $r < 88 && $F{notxt};
	return $sep . ':' . code() . ':' . vtext();
}

# a default-value line
sub default_line
{
	if ($F{notxt} && chance(0.3)) {
		return ':' . code() . pick(':', '');
	}
	my $t = 'Default ' . text();
	$nwarn++ if length $t > 255;
	return ':' . code() . ':' . pick('', ' ') . $t;
}

# --- the data file ---------------------------------------------------------

my @lines;	# the lines of the file, without their newlines
my @names;	# [ name, kind, subject ]
my %named;	# names already in @names

sub add_name
{
	my ($name, $kind, $subject) = @_;
	return if $named{$name}++;
	push @names, [ $name, $kind, $subject ];
}

sub add_addr_name
{
	my ($a, $kind) = @_;
	return unless defined $a;
	add_name(a_rev($a), $kind, a_str($a));
}

sub comment_line
{
	return pick('# ' . words(3), '#', '; ' . words(2), '',
	    "  # indented comment", "\t; tabbed comment");
}

# The test points of RFC 5782: no entry may cover them (rdnsbl always
# answers them, whatever its lists say), except the line that lists
# 127.0.0.2 as every DNSBL does.
my @tp = $v6 ? ([ 0, 0, 0xffff, 0x7f000001 ], [ 0, 0, 0xffff, 0x7f000002 ])
    : ([ 0x7f000001 ], [ 0x7f000002 ]);

sub covers_tp
{
	my ($net, $len) = @_;
	for my $t (@tp) {
		return 1 if a_contains($net, $len, $t);
	}
	return 0;
}

# IPv4 range START-END (words) as CIDRs
sub range_cidrs
{
	my ($s, $e) = @_;
	my @r;
	while ($s <= $e) {
		my $len = 32;
		while ($len > 0) {
			my $bl = $len - 1;
			my $size = 2 ** (32 - $bl);
			last if $s % $size || $s + $size - 1 > $e;
			$len = $bl;
		}
		push @r, [ [ $s ], $len ];
		$s += 2 ** (32 - $len);
	}
	return @r;
}

# What may overlap. In ip4trie and ip6trie only the same prefix twice
# is a duplicate. ip4set keeps each entry as the /8, /16, /24 or /32
# blocks ("granules") it covers and answers a query from the finest
# granule holding its address, with every value found there, and none
# if an exclusion is among them. Entries that share a granule therefore
# answer as a longest-prefix match only when the newer one is an
# exclusion longer than every listing there: anything else is the
# "setoverlap" feature.
my %taken;

sub granules
{
	my ($net, $len) = @_;
	my $g = $len <= 8 ? 8 : $len <= 16 ? 16 : $len <= 24 ? 24 : 32;
	my $n = 2 ** ($g - $len);
	my $step = 2 ** (32 - $g);
	return map { "$g/" . ($net->[0] + $_ * $step) } 0 .. $n - 1;
}

sub cidr_keys
{
	my ($net, $len) = @_;
	return granules($net, $len) if $type eq 'ip4set';
	return (a_key($net) . "/$len");
}

sub fits
{
	my ($cidrs, $excl) = @_;
	for my $c (@$cidrs) {
		return 0 if covers_tp(@$c);
		for my $k (cidr_keys(@$c)) {
			next unless $taken{$k};
			return 0 if $type ne 'ip4set' && !$F{dupes};
			next if $F{setoverlap};
			return 0 unless $excl;
			for my $o (@{ $taken{$k} }) {
				return 0 if $o->[1] || $o->[0] >= $c->[1];
			}
		}
	}
	return 1;
}

sub take
{
	my ($cidrs, $excl) = @_;
	for my $c (@$cidrs) {
		push @{ $taken{$_} }, [ $c->[1], $excl ] for cidr_keys(@$c);
	}
}

# the names that test an entry: its first and last address, one outside
# each end, a few inside; the same at each CIDR of a range
sub entry_names
{
	my ($cidrs) = @_;
	my ($first, $last) = ($cidrs->[0][0], a_last(@{ $cidrs->[-1] }));
	add_addr_name($first, 'edge');
	add_addr_name($last, 'edge');
	add_addr_name(a_step($first, -1), 'edge');
	add_addr_name(a_step($last, 1), 'edge');
	for my $c (@$cidrs) {
		if (@$cidrs > 1 && @$cidrs <= 6) {
			add_addr_name($c->[0], 'edge');
			add_addr_name(a_step($c->[0], -1), 'edge');
		}
		next if $c->[1] >= $BITS - 1;
		add_addr_name(a_rand_in(@$c), 'inside') for 1 .. between(1, 2);
	}
}

my @entries;	# [ cidrs, excl ] of every entry written
my $nwritten = 0;
my $lastentry = -1;	# the index of the last entry line in @lines

# emit an entry line for CIDRS (the text of the address part given)
sub emit
{
	my ($addr, $cidrs, $excl) = @_;
	my $lead = pick('', '', '', '', ' ', "\t");
	my $line;
	if ($excl) {
		$line = $lead . pick('!', '!', '!', '! ') . $addr;
		$line .= ' :' . code() . ':' . text() if chance(0.05);
	} else {
		my $v = value();
		# a value right after an IPv4 address, no blank between
		$v =~ s/^\s+(?=:)// if !$v6 && chance(0.15);
		$line = $lead . $addr . $v;
	}
	$line .= pick(' ', "\t") if chance(0.05);
	push @lines, $line;
	push @entries, [ $cidrs, $excl ];
	$lastentry = $#lines;
	$nwritten++;
	entry_names($cidrs);
	if ($F{dupes} && ($type ne 'ip4set' || $F{setoverlap}) &&
	    chance(0.04)) {
		# the same prefix again, another value (and the same text
		# for the address, so that rbldnsd sees one prefix). In
		# ip4set both lines share a granule: "setoverlap".
		push @lines, $addr . ' :' . code() . ':' . text();
		$nwritten++;
	}
	if ($nwritten % 40 == 0) {
		push @lines, default_line();
	} elsif (chance(0.06)) {
		push @lines, comment_line();
	}
}

# a random prefix of LEN inside NET/PLEN (anywhere: PLEN 0)
sub rand_prefix
{
	my ($net, $plen, $len) = @_;
	return a_mask(a_rand_in($net, $plen), $len);
}

my $zero = [ (0) x $W ];

# An entry of LEN bits inside NET/PLEN, then now and then entries nested
# in it (an exclusion in a listing, a listing in an exclusion, another
# value in a listing), down to DEPTH 3. Returns whether it was written.
sub gen_cidr
{
	my ($net, $plen, $len, $excl, $depth) = @_;
	for my $try (1 .. 40) {
		my $p = rand_prefix($net, $plen, $len);
		next unless fits([ [ $p, $len ] ], $excl);
		take([ [ $p, $len ] ], $excl);
		emit(spell($p, $len, 0), [ [ $p, $len ] ], $excl);
		gen_nested($p, $len, $excl, $depth);
		return 1;
	}
	return 0;
}

sub gen_nested
{
	my ($p, $len, $excl, $depth) = @_;
	return if $depth >= 3 || $len >= $BITS;
	for (1 .. between(0, $depth == 0 ? 3 : 2)) {
		next unless chance(0.55);
		my $cl = between($len + 1, $len + 1 + int(rnd($BITS - $len) / 2));
		$cl = between($len + 1, $BITS) if chance(0.3);
		$cl = $BITS if $cl > $BITS;
		my $cx = chance(0.75) ? !$excl : $excl;
		gen_cidr($p, $len, $cl, $cx, $depth + 1);
	}
}

# a length for a new top-level entry: mostly long prefixes
sub rand_len
{
	return $BITS if chance(0.3);
	return $v6 ? pick(between(16, 64), between(32, 128), 48, 56, 64, 96)
	    : pick(between(8, 32), between(16, 32), between(20, 32), 24, 16);
}

# ip4set only: a dash range in one of rbldnsd's spellings
sub gen_range
{
	for my $try (1 .. 40) {
		my @o = map { rnd(256) } 1 .. 4;
		$o[0] = between(1, 223);
		my $style = rnd(7);
		my ($s, $e, $text);
		if ($style <= 1) {	# a.b.c.d-e
			my $d2 = between($o[3], 255);
			$d2 = between($o[3], $o[3] + 20 > 255 ? 255 : $o[3] + 20)
			    if chance(0.5);
			$s = ($o[0] << 24) | ($o[1] << 16) | ($o[2] << 8) | $o[3];
			$e = ($s & 0xffffff00) | $d2;
			$text = join('.', @o) . "-$d2";
		} elsif ($style == 2) {	# a.b-c ("127.16-31")
			my $c = between($o[1], $o[1] + 20 > 255 ? 255 : $o[1] + 20);
			$s = ($o[0] << 24) | ($o[1] << 16);
			$e = ($o[0] << 24) | ($c << 16) | 0xffff;
			$text = "$o[0].$o[1]-$c";
		} elsif ($style == 3) {	# a.b.c-d
			my $d = between($o[2], $o[2] + 40 > 255 ? 255 : $o[2] + 40);
			$s = ($o[0] << 24) | ($o[1] << 16) | ($o[2] << 8);
			$e = ($o[0] << 24) | ($o[1] << 16) | ($d << 8) | 255;
			$text = "$o[0].$o[1].$o[2]-$d";
		} elsif ($style == 4) {	# a.b.c-e.f.g
			$s = ($o[0] << 24) | ($o[1] << 16) | ($o[2] << 8);
			$e = $s + (between(0, 700) << 8) + 255;
			$e = 0xffffffff if $e > 0xffffffff;
			$text = join('.', @o[0 .. 2]) . '-' .
			    join('.', (split /\./, v4_str($e))[0 .. 2]);
		} else {		# a.b.c.d-e.f.g.h
			$s = ($o[0] << 24) | ($o[1] << 16) | ($o[2] << 8) | $o[3];
			$e = $s + pick(rnd(300), rnd(70000), rnd(3000000), 0);
			$e = 0xffffffff if $e > 0xffffffff;
			$text = v4_str($s) . '-' . v4_str($e);
		}
		my @c = range_cidrs($s, $e);
		next unless fits(\@c, 0);
		take(\@c, 0);
		emit($text, \@c, 0);
		# an exclusion or two inside the range
		for (1 .. between(0, 2)) {
			my $c = pick(@c);
			next if $c->[1] >= 32;
			gen_cidr($c->[0], $c->[1], between($c->[1] + 1, 32), 1, 2);
		}
		return 1;
	}
	return 0;
}

# a CIDR with host bits set (rbldnsd without -e skips the line)
sub gen_hostbits
{
	my $len = $v6 ? between(16, 120) : between(8, 31);
	my $a = a_rand_in($zero, 0);
	my $m = a_mask($a, $len);
	return if a_cmp($m, $a) == 0 || covers_tp($m, $len);
	push @lines, spell($a, $len, 1) . ' :' . code() . ':hostbits ' . text();
	entry_names([ [ $m, $len ] ]);
}

# --- IP files ----------------------------------------------------------------

sub gen_ip
{
	my $fam = $v6 ? 'IPv6' : 'IPv4';
	push @lines, "# rbldnsd $type data from rbldnsd_gen.pl, seed $seed",
	    "# features: " . join(' ', sort keys %F), '';
	push @lines, '$TIMESTAMP 2020:01:01 +1000w' if $F{timestamp};
	push @lines, '$MAXRANGE4 /' . between(12, 20) if $F{maxrange} && !$v6;
	if ($F{subst}) {
		push @lines, '$1 see https://example.test/why', '$2 for details',
		    '$= Listed: $= (at $)';
	}
	push @lines, "; default value for the $fam entries", default_line(), '';
	# the RFC 5782 test point, as every DNSBL lists it ("=": no base
	# template applies)
	push @lines, ($v6 ? '::ffff:7f00:2' : '127.0.0.2') .
	    ' :127.0.0.2:' . ($F{subst} ? '=' : '') . 'RFC 5782 test point';
	# every prefix length once, the short ones first (they take
	# the most room), then entries of any kind
	for my $len (1 .. $BITS) {
		my $excl = $len < 8 && chance(0.3);
		gen_cidr($zero, 0, $len, $excl, 0);
	}
	while ($nwritten < $nentries) {
		my $r = rnd(100);
		if ($type eq 'ip4set' && $r < 25) {
			gen_range();
		} elsif ($r < 28) {
			gen_cidr($zero, 0, rand_len(), 1, 0);
		} else {
			gen_cidr($zero, 0, rand_len(), 0, 0);
		}
		gen_hostbits() if $F{hostbits} && chance(0.05);
	}
	# lines that start with "::" (the IPv6 of the first 16 bytes)
	if ($v6) {
		for my $a ([ 0, 0, 0, 1 ], [ 0, 0, 0, 0x100 ], [ 0, 1, 0, 0 ]) {
			next unless fits([ [ $a, 128 ] ], 0);
			take([ [ $a, 128 ] ], 0);
			emit(v6_str($a), [ [ $a, 128 ] ], 0);
		}
	}
	# the names: the test points, random addresses, names near entries
	add_addr_name($_, 'testpoint') for @tp;
	my $nrand = $v6 ? 200 : 300;
	for (1 .. $nrand) {
		my $a = a_rand_in($zero, 0);
		$a->[0] = ($a->[0] & 0x1fffffff) | 0x20000000
		    if $v6 && chance(0.7);	# mostly 2000::/3
		add_addr_name($a, 'random');
	}
	for (1 .. 200) {
		my $e = pick(@entries);
		my $c = pick(@{ $e->[0] });
		my $a = $c->[0];
		my $d = chance(0.5) ? 1 : -1;
		for (1 .. between(1, 300)) {
			my $b = a_step($a, $d) or last;
			$a = $b;
		}
		add_addr_name($a, 'near');
	}
	if ($v6) {
		for (1 .. 20) {
			my $a = [ 0, 0, 0xffff, r32() ];
			add_name(a_rev($a), 'mapped', a_str($a));
		}
	}
	# empty non-terminals and labels rdnsbl reads differently
	my @full = map { $_->[0] } @names;
	for (1 .. 30) {
		my @l = split /\./, pick(@full);
		my $keep = $v6 ? between(1, 31) : between(1, 3);
		my @p = @l[$#l - $keep + 1 .. $#l];
		add_name(join('.', @p), 'partial', join('.', @p));
	}
	# a label too many; IPv6 nibbles in upper case
	for (1 .. 10) {
		my $n = pick(@full);
		add_name(between(0, 9) . ".$n", 'extra', "a label more than $n");
	}
	if ($v6) {
		for (1 .. 10) {
			my $n = pick(grep { $_->[1] eq 'inside' } @names);
			add_name(uc $n->[0], 'upper', $n->[2]);
		}
	}
	unless ($v6) {
		for (1 .. 10) {
			my $n = pick(grep { $_->[1] eq 'inside' } @names);
			my @l = split /\./, $n->[0];
			my $i = rnd(4);
			next if length $l[$i] > 2;
			$l[$i] = "0$l[$i]";
			add_name(join('.', @l), 'zero', $n->[2]);
		}
	}
}

# --- dnset files --------------------------------------------------------------

my @tlds = qw(test example invalid com net org);

sub dn_rand
{
	my $n = between(1, 3);
	return join('.', map { pick(@words) . (chance(0.5) ? rnd(100) : '') }
	    1 .. $n) . '.' . pick(@tlds);
}

sub gen_dnset
{
	push @lines, "# rbldnsd dnset data from rbldnsd_gen.pl, seed $seed",
	    "# features: " . join(' ', sort keys %F), '';
	push @lines, '$TIMESTAMP 2020:01:01 +1000w' if $F{timestamp};
	push @lines, '; default value for the names', default_line(), '';
	my %seen;
	while ($nwritten < $nentries) {
		my $d = dn_rand();
		next if $seen{$d}++;
		my $r = rnd(10);
		my $form = $r < 4 ? '' : $r < 7 ? '.' : '*.';
		my $name = $form . $d;
		$name = uc $name if chance(0.05);
		my $line = pick('', '', ' ') . $name . value();
		push @lines, $line;
		$lastentry = $#lines;
		$nwritten++;
		add_name($d, 'name', $d);
		add_name(pick(@words) . ".$d", 'name', "sub.$d");
		add_name(pick(@words) . '.' . pick(@words) . ".$d", 'name',
		    "subsub.$d");
		(my $parent = $d) =~ s/^[^.]+\.//;
		add_name($parent, 'name', "parent of $d") if $parent =~ /\./;
		# an exclusion under a wildcard
		if ($form && chance(0.4)) {
			my $x = pick(@words) . "x.$d";
			push @lines, "!$x";
			$lastentry = $#lines;
			$nwritten++;
			add_name($x, 'name', "excluded $x");
			add_name("a.$x", 'name', "under excluded $x");
		}
		if ($nwritten % 40 == 0) {
			push @lines, default_line();
		} elsif (chance(0.06)) {
			push @lines, comment_line();
		}
	}
	for (1 .. 100) {
		my $d = dn_rand();
		add_name($d, 'random', $d);
	}
	for (1 .. 20) {
		my $n = pick(@names);
		add_name(uc $n->[0], 'name', "upper case $n->[2]");
	}
}

if ($type eq 'dnset') {
	gen_dnset();
} else {
	gen_ip();
}

# The last line without its newline (rbldnsd warns "incomplete last
# line (ignored)", yet reads it): an entry line, so that it shows.
$#lines = $lastentry;
open my $fh, '>', $datafile or die "$datafile: $!\n";
print $fh join($F{crlf} ? "\r\n" : "\n", @lines);
close $fh or die "$datafile: $!\n";

open $fh, '>', $namesfile or die "$namesfile: $!\n";
print $fh "$_->[0] $_->[1] $_->[2]\n" for @names;
close $fh or die "$namesfile: $!\n";

my %kinds;
$kinds{ $_->[1] }++ for @names;
printf "%s: %d entries, %d lines, %d names (%s)\n", $type, $nwritten,
    scalar @lines, scalar @names,
    join(', ', map { "$_ $kinds{$_}" } sort keys %kinds);
print "rbldnsd warnings: $nwarn\n";
