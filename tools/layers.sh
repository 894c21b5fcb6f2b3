#!/bin/sh
# SPDX-License-Identifier: ISC
# layers.sh -- check that the modules of src/ depend on each other one
# way only. Reads every src/*.c and src/*.h, builds the graph of their
# #include "..." lines, and checks:
#
#   1. no cycle among the headers;
#   2. no header includes a header of a higher layer;
#   3. only the store's own files include an internal store header, and
#      only store .c files and internal store headers include <lmdb.h>;
#   4. no .c includes a header of a higher layer than its own;
#   5. no .c calls a function that a .c of a higher layer defines.
#
#   6. every .c includes "config.h" before anything else, then its own
#      header first among the project's headers, then the others in
#      alphabetical order (doc/HACKING.md, house style).
#
# The layers are the table below: a file may use files of its own layer
# number and lower ones, and every file of src/ must be in it (a new
# module gets its line, see doc/HACKING.md "Adding a module"). 1-7: the
# pure modules and the configuration, which know nothing of the store;
# 10-20 the store: 10 its public headers (by audience), then 10 + n for
# its layer n from the bottom (store_base.h and doc/HACKING.md say what
# each is); 21 and up, the modules over the store, the query path one
# way: server (25) -> answer (24) -> decide (23) -> zone (7), verdict
# (22), helo (6) -> the store; check (24) -> verdict, resolve (3). A
# third column "internal" marks the store's internal headers (check 3);
# "public" is only a note.
#
# Check 4 shows the store's calls one way as far as its files include
# only what they use, since a function is called through the header
# that declares it. Check 5 looks at the calls themselves, because a
# public header is cut by audience, not by layer: store_list.h declares
# store_lookup (store_read.c) beside store_add (store_list.c). A function
# is found where it is defined, at column 0 of a .c as the house style
# writes it; a call is its name followed by "(", outside comments and
# strings; a function static in the calling file is its own.
#
# Output is TAP (one test point per check, what broke it as "# " lines
# under it), then a summary line. Exit status 0 when every check holds,
# 1 otherwise, 2 on a usage error.
#
# Usage: tools/layers.sh [srcdir]   (default: $top_srcdir/src, or the
# src/ beside this script)

LAYERS=$(cat <<'EOF'
# file			layer	kind
log.h			1
log.c			1
util.h			2
util.c			2
addr.h			3
addr.c			3
form.h			3
form.c			3
ipindex.h		3
ipindex.c		3
ipindex6.h		3
ipindex6.c		3
qname.h			3
rrl.h			3
rrl.c			3
dnstap.h		3
dnstap.c		3
qname.c			3
reason.h		3
reason.c		3
resolve.h		3
resolve.c		3
service.h		3
service.c		3
txtsub.h		3
txtsub.c		3
wire.h			3
wire.c			3
conf.h			4
conf.c			4
pattern.h		5
pattern.c		5
tsig.h			5
tsig.c			5
helo.h			6
helo.c			6
zone.h			7
zone.c			7
store.h			10	public
store_list.h		10	public
store_audit.h		10	public
store_cache.h		10	public
store_queue.h		10	public
store_stats.h		10	public
store_base.h		11	internal
store_base.c		11
store_journal.h		12	internal
store_journal.c		12
store_index.h		13	internal
store_index.c		13
store_read.c		14
store.c			15
store_audit_txn.h	16	internal
store_audit.c		16
store_cache_txn.h	17	internal
store_cache.c		17
store_list_txn.h	18	internal
store_list.c		18
store_queue_txn.h	19	internal
store_queue.c		19
store_purge.c		20
store_stats.c		16
ipfile.h		21
ipfile.c		21
ipfile_write.c		21
ipmerge.h		21
ipmerge.c		21
xfrmap.h		21
xfrmap.c		21
xfrdiff.h		21
xfrdiff.c		21
xfrlists.h		21
xfrlists.c		21
notify.h		21
notify.c		21
mail.h			21
mail.c			21
rulestats.h		21
rulestats.c		21
watch.h			21
watch.c			21
verdict.h		22
verdict.c		22
decide.h		23
decide.c		23
answer.h		24
answer.c		24
querylog.h		24
querylog.c		24
check.h			24
check.c			24
delist.h		24
delist.c		24
page.h			24
page.c			24
statpage.h		24
statpage.c		24
xfr.h			24
xfr.c			24
fdlimit.h		25
fdlimit.c		25
server.h		25
server.c		25
metrics.h		26
metrics.c		26
httpconn.h		27
httpconn.c		27
http.h			27
http.c			27
daemon.h		28
main.c			28
ctl.c			28
EOF
)

if [ $# -gt 1 ]; then
	echo "usage: $0 [srcdir]" >&2
	exit 2
fi
if [ $# -eq 1 ]; then
	srcdir=$1
elif [ -n "$top_srcdir" ]; then
	srcdir=$top_srcdir/src
else
	srcdir=$(dirname "$0")/../src
fi
if [ ! -d "$srcdir" ]; then
	echo "$0: $srcdir: not a directory" >&2
	exit 2
fi

export LAYERS
exec perl -w - "$srcdir" <<'EOF'
use strict;

my $srcdir = $ARGV[0];
my (%layer, %internal);
for (split /\n/, $ENV{LAYERS}) {
	s/#.*//;
	my ($f, $n, $kind) = split;
	next unless defined $f;
	die "layers.sh: bad table line: $_\n"
	    unless defined $n && $n =~ /^\d+$/;
	$layer{$f} = $n;
	$internal{$f} = 1 if defined $kind && $kind eq 'internal';
}

opendir(my $dh, $srcdir) or die "layers.sh: $srcdir: $!\n";
my @files = sort grep { /\.[ch]$/ && -f "$srcdir/$_" } readdir $dh;
closedir $dh;
my %exists = map { $_ => 1 } @files;
for (sort keys %layer) {
	die "layers.sh: the table names $_, which is not in $srcdir\n"
	    unless $exists{$_};
}
for (@files) {
	die "layers.sh: $_ is not in the table of layers: give it a line\n"
	    unless defined $layer{$_};
}

# The text of a file without its comments, strings and character
# constants, so that neither an #include nor a call is found in them.
sub code {
	my ($f) = @_;
	open(my $fh, '<', "$srcdir/$f") or die "layers.sh: $f: $!\n";
	local $/;
	my $t = <$fh>;
	close $fh;
	$t =~ s{(/\*.*?\*/|//[^\n]*)|("(?:\\.|[^"\\\n])*")|'(?:\\.|[^'\\\n])*'}
	    { my ($c, $s) = ($1, $2);
	      defined $c ? ' ' . "\n" x ($c =~ tr/\n//) :
	      defined $s ? ($s =~ /\.h"$/ ? $s : '""') : "''" }gse;
	return $t;
}

my (%code, %inc, %lmdb, %order);
my $nincs = 0;
for my $f (@files) {
	$code{$f} = code($f);
	for (split /\n/, $code{$f}) {
		push @{$order{$f}}, $1 if /^\s*#\s*include\s*(["<][^">]+[">])/;
		if (/^\s*#\s*include\s*"([^"]+)"/ && $exists{$1}) {
			push @{$inc{$f}}, $1;
			$nincs++;
		}
		$lmdb{$f} = 1 if /^\s*#\s*include\s*<lmdb\.h>/;
	}
}

my $n = 0;
my $failed = 0;
sub result {
	my ($name, @found) = @_;
	$n++;
	if (@found) {
		$failed++;
		print "not ok $n - $name\n";
		print "# $_\n" for @found;
	} else {
		print "ok $n - $name\n";
	}
}

# 1. Cycles among the headers: a depth-first search that reports the
# path of every include that leads back into it.
my @headers = grep { /\.h$/ } @files;
my (%state, @path, @cycles, %seen);
sub visit {
	my ($h) = @_;
	$state{$h} = 1;
	push @path, $h;
	for my $to (@{$inc{$h} || []}) {
		next unless $to =~ /\.h$/;
		if (($state{$to} || 0) == 1) {
			my ($i) = grep { $path[$_] eq $to } 0 .. $#path;
			my $c = join(' -> ', @path[$i .. $#path], $to);
			push @cycles, "cycle: $c" unless $seen{$c}++;
		} elsif (!$state{$to}) {
			visit($to);
		}
	}
	pop @path;
	$state{$h} = 2;
}
for (@headers) {
	visit($_) unless $state{$_};
}
result("no cycle among the " . scalar(@headers) . " headers", @cycles);

# 2. and 4. Includes against the layers.
my (@hup, @cup);
for my $f (@files) {
	next unless defined $layer{$f};
	for my $to (@{$inc{$f} || []}) {
		next unless defined $layer{$to} && $layer{$to} > $layer{$f};
		my $kind = $f =~ /\.h$/ ? 'header' : 'file';
		my $msg = "$kind $f (layer $layer{$f}) includes $to " .
		    "(layer $layer{$to})";
		if ($f =~ /\.h$/) {
			push @hup, $msg;
		} else {
			push @cup, $msg;
		}
	}
}
result("no header includes one of a higher layer", @hup);

# 3. The store's insides stay in the store.
my @leak;
for my $f (@files) {
	my $store = $f =~ /^store/;
	for my $to (@{$inc{$f} || []}) {
		push @leak, "$f includes the internal store header $to"
		    if $internal{$to} && !($store && ($f =~ /\.c$/ ||
		    $internal{$f}));
	}
	push @leak, "$f includes <lmdb.h>"
	    if $lmdb{$f} && !($store && ($f =~ /\.c$/ || $internal{$f}));
}
result("only store .c files and internal store headers include " .
    "internal store headers or <lmdb.h>", @leak);

result("no .c includes a header of a higher layer", @cup);

# 5. Calls against the layers: where each function is defined (not
# static), then every call in the listed .c files.
my (%def, %own);
for my $f (grep { /\.c$/ } @files) {
	my $prev = '';
	for (split /\n/, $code{$f}) {
		if (/^([A-Za-z_]\w*)\s*\(/) {
			$own{$f}{$1} = 1;
			$def{$1} = $f unless $prev =~ /\bstatic\b/;
		}
		$prev = $_ if /\S/;
	}
}
my @cdown;
my $ncalls = 0;
for my $f (grep { /\.c$/ && defined $layer{$_} } @files) {
	my %said;
	while ($code{$f} =~ /\b([A-Za-z_]\w*)\s*\(/g) {
		my $fn = $1;
		my $to = $def{$fn};
		next if !defined $to || $own{$f}{$fn} || !defined $layer{$to};
		$ncalls++;
		next unless $layer{$to} > $layer{$f};
		push @cdown, "file $f (layer $layer{$f}) calls $fn " .
		    "($to, layer $layer{$to})" unless $said{$fn}++;
	}
}
result("no .c calls a function of a higher layer", @cdown);

# 6. The include order of each .c.
my @order;
for my $f (grep { /\.c$/ } @files) {
	my @all = @{$order{$f} || []};
	(my $own = $f) =~ s/\.c$/.h/;
	if (!@all || $all[0] ne '"config.h"') {
		push @order, "$f: \"config.h\" is not its first include";
		next;
	}
	my @proj = map { /^"(.*)"$/ ? $1 : () } @all[1 .. $#all];
	if ($exists{$own}) {
		if (!@proj || $proj[0] ne $own) {
			push @order, "$f: its own header $own is not the first " .
			    "of the project's";
			next;
		}
		shift @proj;
	}
	my @sorted = sort @proj;
	push @order, "$f: the project's headers after its own are not in " .
	    "alphabetical order (@proj)" if "@proj" ne "@sorted";
}
result("every .c includes config.h first, then its own header, then " .
    "the others in order", @order);

print "1..$n\n";
my $nlisted = grep { defined $layer{$_} } @files;
my %nl = map { $_ => 1 } values %layer;
if ($failed) {
	print "layers: $failed of $n checks failed\n";
	exit 1;
}
printf "layers: %d files, %d includes, no cycle; %d files in %d " .
    "layers, one way in their includes and %d calls between files\n",
    scalar(@files), $nincs, $nlisted, scalar(keys %nl), $ncalls;
exit 0;
EOF
