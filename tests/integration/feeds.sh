#!/bin/sh
# SPDX-License-Identifier: ISC
# feeds.sh -- rbldnsd feeds read as rbldnsd reads them: A values in
# 127.0.0.0/8, the "$" substitutions of TXT, and the FILE:LINE messages
# of import. Where rbldnsd defines the answer, the real rbldnsd answers
# the same file on another loopback port and the two are compared.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool perl
need_tool rbldnsd
need_programs

write_conf feeds.conf.in

# A: the A answer of ADDR in bl.test, or its status (NXDOMAIN).
A()
{
	case $1 in
	*:*) dig_answer "$(q "$(rev6 "$1").bl.test" A)" ;;
	*) dig_answer "$(q "$(rev4 "$1").bl.test" A)" ;;
	esac
}

# name ADDR: the query name of ADDR in bl.test.
name()
{
	case $1 in
	*:*) echo "$(rev6 "$1").bl.test" ;;
	*) echo "$(rev4 "$1").bl.test" ;;
	esac
}

# --- rbldnsd, the reference ------------------------------------------------------

# The files rbldnsd reads: a directory it can read after dropping to
# nobody (as root it chroots there).
RDIR="$work/rbldnsd"
mkdir -p "$RDIR" && chmod 755 "$RDIR" || bail "cannot make $RDIR"
RPID=

# start_rbldnsd ZONE:TYPE:FILE...: rbldnsd in the foreground on a free
# loopback port ($RPORT), files relative to $RDIR; waits until it answers.
start_rbldnsd()
{
	sr_port=$PORT
	while :; do
		pick_port
		[ "$PORT" != "$sr_port" ] && [ "$PORT" != "$HPORT" ] && break
	done
	RPORT=$PORT
	PORT=$sr_port
	chmod 644 "$RDIR"/* || bail "cannot chmod the rbldnsd files"
	if [ "$(id -u)" = 0 ]; then
		set -- -u nobody -r "$RDIR" -w / "$@"
	else
		set -- -w "$RDIR" "$@"
	fi
	rbldnsd -n -b "127.0.0.1/$RPORT" "$@" >"$work/rbldnsd.log" 2>&1 &
	RPID=$!
	sr_i=0
	while [ $sr_i -lt 50 ]; do
		if ! kill -0 "$RPID" 2>/dev/null; then
			sed 's/^/# rbldnsd: /' "$work/rbldnsd.log"
			RPID=
			bail "rbldnsd exited"
		fi
		if dig +tries=1 +time=1 @127.0.0.1 -p "$RPORT" bl.test SOA \
		    2>/dev/null | grep -q 'status: '; then
			return 0
		fi
		sleep 0.2
		sr_i=$((sr_i + 1))
	done
	bail "rbldnsd did not answer within 10 s"
}

stop_rbldnsd()
{
	[ -n "$RPID" ] || return 0
	kill -TERM "$RPID" 2>/dev/null
	wait "$RPID" 2>/dev/null
	RPID=
}
# lib.sh's cleanup ends rdnsbld; this one ends rbldnsd first
trap 'stop_rbldnsd; lib_cleanup' EXIT

# rq ARGS...: dig +short against rbldnsd.
rq()
{
	dig +short +tries=2 +time=2 @127.0.0.1 -p "$RPORT" "$@" 2>&1
}

# --- A values: 127.0.0.0/8 but 127.0.0.1 --------------------------------------

cat >"$work/codes.txt" <<'DATA'
192.0.2.1 :127.0.1.2:sub-list one
192.0.2.2 :127.255.255.254:odd code
192.0.2.3 :127.0.1.2:again
192.0.2.4 :9:usual
DATA
ctl import black "$work/codes.txt"
is "$CTL_RC" 0 "import of A values outside 127.0.0.2-127.0.0.254 exits 0"
like "$CTL_ERR" '^rdnsblctl: warning: .*codes\.txt:1: A value 127\.0\.1\.2 is outside 127\.0\.0\.2-127\.0\.0\.254' \
    "an unusual A value is a warning with FILE:LINE"
like "$CTL_ERR" 'codes\.txt:2: A value 127\.255\.255\.254 is outside' \
    "each unusual value is reported"
unlike "$CTL_ERR" 'codes\.txt:[34]:' \
    "a value already reported, or a usual one, is not reported again"

printf '%s\n' "192.0.2.9 :127.0.0.1:test point" "192.0.2.10 :10.0.0.2:x" \
    >"$work/badcodes.txt"
ctl import black "$work/badcodes.txt"
is "$CTL_RC" 1 "import of A value 127.0.0.1 or outside 127/8 exits 1"
like "$CTL_ERR" 'badcodes\.txt:1: A value 127\.0\.0\.1 not allowed' \
    "127.0.0.1 is refused with FILE:LINE"
like "$CTL_ERR" 'badcodes\.txt:2: A value 10\.0\.0\.2 out of range' \
    "an A value outside 127.0.0.0/8 is refused with FILE:LINE"

# --- "$" in TXT --------------------------------------------------------------------

# rbldnsd reads a variable ($1), the base template ($=), "=" and "$$"
# when it answers; import resolves all but "$" itself.
cat >"$RDIR/subst4.txt" <<'DATA'
$1 http://bl.example/lookup
$= [$=] see $1?ip=$ ($$)
:3:default text
10.0.0.1
10.0.0.2 own $ text
10.0.0.3 :4:
10.0.0.4 =opt out $ $1 $$ $5 $2
10.0.0.5 :5:costs $5 and $$1
10.0.0.6 uses $2 defined below
10.0.1.0/24 :6:wide
$2 later
DATA
cat >"$RDIR/subst6.txt" <<'DATA'
$= v6[$=] $
2001:db8::1 six
::ffff:c000:201 :3:mapped $
2001:db8::/32 :4:
DATA
ctl import black "$RDIR/subst4.txt"
is "$CTL_RC/$CTL_ERR" "0/" "import of a file with \$ substitutions: no message"
ctl import black "$RDIR/subst6.txt"
is "$CTL_RC/$CTL_ERR" "0/" "import of an IPv6 file with \$ substitutions: no message"

# --- guards: what rbldnsd skips, $MAXRANGE4, $TIMESTAMP ------------------------

cat >"$RDIR/guard.txt" <<'DATA'
0/0 :3:everything
11.1.2.3/24
$MAXRANGE4 /24
10.20.0.0/23
10.21.0.0/24
!10.21.0.128/25
10.22.0.0-10.22.1.0
$MAXRANGE4 65536
10.23.0.0/16
DATA
ctl import black "$RDIR/guard.txt"
is "$CTL_RC" 0 "import of a file with entries rbldnsd skips exits 0"
like "$CTL_ERR" 'guard\.txt:1: entry skipped: "0/0" lists every IPv4 address' \
    "0/0 is skipped with a warning naming its line"
like "$CTL_ERR" 'guard\.txt:2: entry skipped: host bits set in "11\.1\.2\.3/24"' \
    "a CIDR with host bits set is skipped with a warning naming its line"
like "$CTL_ERR" 'guard\.txt:4: entry skipped: "10\.20\.0\.0/23" covers 512 addresses, more than \$MAXRANGE4 256' \
    "an entry over \$MAXRANGE4 is skipped with a warning naming its line"
like "$CTL_ERR" 'guard\.txt:7: entry skipped: "10\.22\.0\.0-10\.22\.1\.0" covers 257' \
    "a range over \$MAXRANGE4 is skipped"
like "$CTL_ERR" 'guard\.txt:8: \$MAXRANGE4 ignored: it may only be lowered' \
    "\$MAXRANGE4 cannot be raised"
like "$CTL_ERR" 'guard\.txt:9: entry skipped: "10\.23\.0\.0/16"' \
    "... so the limit stays"

printf '%s\n' 11.9.2.3/24 >"$work/hostbits.txt"
ctl import black "$work/hostbits.txt" --accept-host-bits
is "$CTL_RC" 0 "import --accept-host-bits exits 0"
like "$CTL_ERR" 'hostbits\.txt:1: host bits set in "11\.9\.2\.3/24", using 11\.9\.2\.0/24' \
    "--accept-host-bits: masked, with a warning"

printf '%s\n' '$TIMESTAMP 2099:01:01' 192.0.2.50 >"$work/future.txt"
ctl import black "$work/future.txt"
is "$CTL_RC" 1 "a \$TIMESTAMP in the future refuses the file"
like "$CTL_ERR" 'future\.txt:1: \$TIMESTAMP: the data is dated 2099-01-01T00:00:00Z, in the future' \
    "... with the line and the date"
printf '%s\n' 192.0.2.51 '$TIMESTAMP 2020:01:01 2020:02:01' >"$work/expired.txt"
ctl import black "$work/expired.txt"
is "$CTL_RC" 1 "a \$TIMESTAMP expiry already past refuses the file"
like "$CTL_ERR" 'expired\.txt:2: \$TIMESTAMP: the data expired at 2020-02-01T00:00:00Z' \
    "... with the line and the time"
base=$(date -u +%s)
stamp=$(date -u -d "@$((base - 3600))" +%Y:%m:%d:%H:%M:%S)
until=$(date -u -d "@$((base + 86400))" +%Y-%m-%dT%H:%M:%SZ)
printf '%s\n' 192.0.2.52 "\$TIMESTAMP $stamp +25h" >"$work/expiring.txt"
ctl import black "$work/expiring.txt"
is "$CTL_RC/$CTL_ERR" "0/" "a \$TIMESTAMP with a future expiry imports cleanly"
ctl_ok "list black exits 0" list black
like "$CTL_OUT" "^black 192\\.0\\.2\\.52 - [^ ]+ $until " \
    "the entry expires at the \$TIMESTAMP expiry (dstamp + 25h)"

# --- gzip -----------------------------------------------------------------------

printf '%s\n' '$1 compressed' '10.30.0.0/24 :7:$1 $' '!10.30.0.9' \
    | gzip -9 >"$RDIR/gz.txt.gz" || bail "cannot gzip"
ctl import black "$RDIR/gz.txt.gz"
is "$CTL_RC/$CTL_ERR" "0/" "a gzip file imports cleanly"
like "$CTL_OUT" '^imported 2 entries into black' "... its 2 entries"
head -c 30 "$RDIR/gz.txt.gz" >"$work/cut.gz"
ctl import black "$work/cut.gz"
is "$CTL_RC" 1 "a truncated gzip file refuses the import"
like "$CTL_ERR" 'cut\.gz(:[0-9]+)?: cannot read on: the gzip data ends too early' \
    "... with the reason"

# --- duplicates: the first line counts (rbldnsd's ip4trie) ------------------

printf '%s\n' '10.40.0.1 :3:first' '10.40.0.0/24 :5:' '10.40.0.1 :4:second' \
    '!10.40.0.9' '10.40.0.9 :6:' >"$RDIR/dup.txt"
ctl import black "$RDIR/dup.txt"
is "$CTL_RC" 0 "import of a file with duplicates exits 0"
like "$CTL_ERR" 'dup\.txt:3: duplicate entry 10\.40\.0\.1 \(first at line 1\): skipped' \
    "a duplicate is a warning naming both lines"
like "$CTL_ERR" 'dup\.txt:5: duplicate entry 10\.40\.0\.9 \(first at line 4\)' \
    "an entry after an exclusion of the same prefix is a duplicate"

# rdnsblctl add reads its reason as the TXT of a data file's line
ctl_must add black 10.9.0.1 --reason 'costs $5 at $'
ctl_must add black 10.9.0.2 --reason '=no base $$'

start_daemon
# IPv6 in a zone of its own: with an IPv4 dataset beside it, rbldnsd
# answers a ::ffff:0:0/96 name from the IPv4 data only
start_rbldnsd bl.test:ip4trie:subst4.txt bl.test:ip4set:guard.txt \
    bl.test:ip4trie:gz.txt.gz bl.test:ip4trie:dup.txt \
    bl6.test:ip6trie:subst6.txt

is "$(A 192.0.2.1)" 127.0.1.2 "the daemon answers the imported code 127.0.1.2"
is "$(A 192.0.2.2)" 127.255.255.254 \
    "the daemon answers the imported code 127.255.255.254"
is "$(A 192.0.2.4)" 127.0.0.9 "a usual code is answered as before"
is "$(A 192.0.2.9)" NXDOMAIN "nothing of the refused file was imported"

is "$(q +short "$(name 10.0.0.2)" TXT)" \
    '"[own $ text] see http://bl.example/lookup?ip=10.0.0.2 ($)"' \
    "TXT: the base template around the entry's literal text"
is "$(q +short "$(name 2001:db8::1)" TXT)" '"v6[six] 2001:db8::1"' \
    "TXT: \$ is the IPv6 address"
is "$(q +short "$(name 10.9.0.1)" TXT)" '"costs $5 at 10.9.0.1"' \
    "add --reason: \$5 stays, \$ is the address"
is "$(q +short "$(name 10.9.0.2)" TXT)" '"no base $"' \
    "add --reason: a leading = is dropped, \$\$ is a dollar"
n=0
for a in 10.30.0.1 10.30.0.9; do
	is "$(A "$a")" "$(dig_answer "$(dig +tries=2 +time=2 @127.0.0.1 \
	    -p "$RPORT" "$(name "$a")" A)")" \
	    "gzip: $a answers as in rbldnsd, which reads the same .gz"
done
for a in 10.40.0.1 10.40.0.9 10.40.0.10; do
	is "$(A "$a")" "$(dig_answer "$(dig +tries=2 +time=2 @127.0.0.1 \
	    -p "$RPORT" "$(name "$a")" A)")" \
	    "duplicates: $a answers as in rbldnsd's ip4trie"
done
is "$(A 10.40.0.1)" 127.0.0.3 "duplicates: the first line's value"
is "$(A 10.40.0.9)" NXDOMAIN "duplicates: the first line's exclusion"
is "$(A 10.30.0.1)" 127.0.0.7 "gzip: the entry is listed with its code"
is "$(q +short "$(name 10.30.0.1)" TXT)" '"compressed 10.30.0.1"' \
    "gzip: with its TXT"
is "$(rq "$(name 10.30.0.1)" TXT)" '"compressed 10.30.0.1"' \
    "gzip: rbldnsd answers the same TXT"
n=0
for a in 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5 10.0.0.6 10.0.1.9 \
    2001:db8::1 ::ffff:192.0.2.1 2001:db8::99; do
	rname=$(name "$a")
	case $a in
	*:*) rname=${rname%.bl.test}.bl6.test ;;
	esac
	ours=$(q +short "$(name "$a")" TXT)
	theirs=$(rq "$rname" TXT)
	case $theirs in
	'"'*) n=$((n + 1)) ;;
	esac
	is "$ours" "$theirs" "TXT of $a: rdnsbld answers what rbldnsd answers"
	is "$(q +short "$(name "$a")" A)" "$(rq "$rname" A)" \
	    "A of $a: rdnsbld answers what rbldnsd answers"
done
is "$n" 10 "rbldnsd gave a TXT for each of the 10 addresses"

n=0
for a in 8.8.8.8 11.1.2.9 10.20.0.1 10.21.0.1 10.21.0.129 10.22.0.5 \
    10.23.0.1; do
	ours=$(A "$a")
	theirs=$(dig_answer "$(dig +tries=2 +time=2 @127.0.0.1 -p "$RPORT" \
	    "$(name "$a")" A)")
	[ "$theirs" = NXDOMAIN ] || n=$((n + 1))
	is "$ours" "$theirs" "guards: $a answers as in rbldnsd ($theirs)"
done
is "$n" 1 "of the guarded entries rbldnsd lists one address (10.21.0.1)"
is "$(A 11.9.2.1)" 127.0.0.2 "--accept-host-bits lists the masked prefix"
is "$(A 192.0.2.52)" 127.0.0.2 "the entry of a \$TIMESTAMP file is listed"
is "$(A 192.0.2.50)" NXDOMAIN "nothing of a future \$TIMESTAMP file"

# --- export black: the white list's exceptions, as rbldnsd answers them ----------

stop_rbldnsd
cat >"$work/nest-black.txt" <<'DATA'
10.50.0.0/16 :3:wide
10.50.1.0/24 :4:inner
10.50.2.0/24 :5:under a white exclusion
!10.50.3.0/24
10.50.255.0/24 :6:tail $
2001:db8:50::/48 :3:six wide
DATA
cat >"$work/nest-white.txt" <<'DATA'
10.50.0.0/20
!10.50.2.0/23
10.50.2.128/25
!10.50.2.192/26
10.50.255.7
10.51.0.0/16
192.0.2.1
10.0.0.4
2001:db8:50:1::/64
!2001:db8:50:1:1::/80
::ffff:c000:201
DATA
ctl import black "$work/nest-black.txt"
is "$CTL_RC/$CTL_ERR" "0/" "import of the nested black entries"
ctl import white "$work/nest-white.txt"
is "$CTL_RC/$CTL_ERR" "0/" "import of the nested white entries"
ctl export black
is "$CTL_RC/$CTL_ERR" "0/" "export black with the white list exits 0"
printf '%s\n' "$CTL_OUT" >"$RDIR/export.txt"
start_rbldnsd bl.test:ip4trie:export.txt bl6.test:ip6trie:export.txt

# Every boundary of every prefix of both lists: its first and last
# address and the ones just outside.
ctl_ok "list exits 0" list
printf '%s\n' "$CTL_OUT" | perl -MSocket=inet_pton,inet_ntop,AF_INET,AF_INET6 -ne '
	my (undef, $p) = split;
	$p =~ s/^!//;
	my ($a, $l) = split m{/}, $p;
	my $af = $a =~ /:/ ? AF_INET6 : AF_INET;
	my $bits = $af == AF_INET6 ? 128 : 32;
	$l = $bits unless defined $l;
	my @lo = unpack "C*", inet_pton($af, $a);
	my @hi = @lo;
	$hi[$_ >> 3] |= 0x80 >> ($_ & 7) for $l .. $bits - 1;
	sub step { my ($d, @x) = @_;
		for (my $i = $#x; $i >= 0; $i--) {
			$x[$i] = ($x[$i] + $d) & 255;
			return [@x] if $x[$i] != ($d > 0 ? 0 : 255);
		}
		return undef }
	for my $x (\@lo, \@hi, step(-1, @lo), step(1, @hi)) {
		print inet_ntop($af, pack "C*", @$x), "\n" if defined $x;
	}' | sort -u >"$work/boundaries.txt"
n=$(wc -l <"$work/boundaries.txt" | tr -d ' ')
ok "the lists give boundary addresses to check ($n)" test "$n" -gt 80
listed=0
mapped=0
differ=
while read -r a; do
	case $a in
	127.0.0.1|127.0.0.2) continue ;;	# test points, not list data
	esac
	rname=$(name "$a")
	case $a in
	*:*) rname=${rname%.bl.test}.bl6.test ;;
	esac
	ours=$(A "$a")
	theirs=$(dig_answer "$(dig +tries=2 +time=2 @127.0.0.1 -p "$RPORT" \
	    "$rname" A)")
	[ "$ours" = NXDOMAIN ] || listed=$((listed + 1))
	# The one documented difference (doc/rbldnsd-format.md): a mapped
	# address that no IPv6 entry covers is answered from the IPv4 data,
	# which rbldnsd's IPv4 dataset answers as well.
	case $a/$theirs in
	::ffff:*.*/NXDOMAIN)
		if [ "$ours" != NXDOMAIN ] && [ "$ours" = "$(dig_answer \
		    "$(dig +tries=2 +time=2 @127.0.0.1 -p "$RPORT" \
		    "$(name "${a#::ffff:}")" A)")" ]; then
			mapped=$((mapped + 1))
			continue
		fi
		;;
	esac
	if [ "$ours" != "$theirs" ]; then
		differ="$differ $a (A: rdnsbld $ours, rbldnsd $theirs)"
		continue
	fi
	theirs=$(rq "$rname" TXT)
	case $theirs in
	'"'*)
		ours=$(q +short "$(name "$a")" TXT)
		[ "$ours" = "$theirs" ] ||
		    differ="$differ $a (TXT: rdnsbld $ours, rbldnsd $theirs)"
		;;
	esac
done <"$work/boundaries.txt"
is "$differ" "" "export black: rbldnsd answers every boundary address as rdnsbld does"
ok "... of which some are listed ($listed)" test "$listed" -gt 40
is "$mapped" 1 "... one of them (::ffff:192.0.2.2) answered from the IPv4 data"
for t in 10.50.0.1=NXDOMAIN 10.50.1.1=NXDOMAIN 10.50.2.1=127.0.0.5 \
    10.50.2.129=NXDOMAIN 10.50.2.193=127.0.0.5 10.50.3.1=NXDOMAIN \
    10.50.16.1=127.0.0.3 10.50.255.7=NXDOMAIN 10.50.255.8=127.0.0.6 \
    192.0.2.1=NXDOMAIN 10.0.0.4=NXDOMAIN 10.0.0.6=127.0.0.3; do
	is "$(A "${t%%=*}")" "${t#*=}" "nesting: ${t%%=*} answers ${t#*=}"
done

stop_rbldnsd
stop_daemon

done_testing
