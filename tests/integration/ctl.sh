#!/bin/sh
# SPDX-License-Identifier: ISC
# ctl.sh -- rdnsblctl: add, del, list, lookup, log; their output, exit
# status (0 ok, 1 error, 2 usage) and JSON; with no daemon running, then
# lookup against what the running daemon answers.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool perl
need_programs

write_conf base.conf.in

# is_rc NAME WANT-RC WANT-STDOUT ARGS...: rdnsblctl ARGS exits WANT-RC and
# prints WANT-STDOUT; an error (rc != 0) must say something on stderr.
is_rc()
{
	ir_name=$1 ir_rc=$2 ir_out=$3
	shift 3
	ctl "$@"
	if [ "$CTL_RC" -eq "$ir_rc" ] && [ "$CTL_OUT" = "$ir_out" ] &&
	    { [ "$ir_rc" -eq 0 ] || [ -n "$CTL_ERR" ]; }; then
		pass "$ir_name"
	else
		fail "$ir_name" "rdnsblctl $*" \
		    "got:  rc $CTL_RC, stdout '$CTL_OUT', stderr '$CTL_ERR'" \
		    "want: rc $ir_rc, stdout '$ir_out'"
	fi
}

json_ok()
{
	printf '%s\n' "$1" | perl -MJSON::PP -e '
	    local $/; JSON::PP->new->decode(<STDIN>); 1' 2>/dev/null
}
HAVE_JSON=yes
perl -MJSON::PP -e 1 2>/dev/null || HAVE_JSON=

ME=$(id -un)
NOW=$(date +%s)

# --- add ------------------------------------------------------------------

is_rc "add black 192.0.2.0/24 prints what it added" 0 "added black 192.0.2.0/24" \
    add black 192.0.2.0/24 --reason "spam source"
is_rc "add white 192.0.2.77 (a single address)" 0 "added white 192.0.2.77" \
    add white 192.0.2.77 --reason "our partner"
is_rc "add black 2001:DB8::/32 normalises the address" 0 "added black 2001:db8::/32" \
    add black 2001:DB8::/32
is_rc "add black 198.51.100.0/24 --expires 1h" 0 "added black 198.51.100.0/24" \
    add black 198.51.100.0/24 --reason "for an hour" --expires 1h
is_rc "add black 192.0.2.1/24 (host bits set) is an error" 1 "" \
    add black 192.0.2.1/24
like "$CTL_ERR" '192\.0\.2\.0/24' "the host-bits error suggests 192.0.2.0/24"
is_rc "add black 192.0.2.0/33 is an error" 1 "" add black 192.0.2.0/33
is_rc "add black 300.1.2.3 is an error" 1 "" add black 300.1.2.3
is_rc "add black 10.0.0.1 --expires 5x (bad duration) is an error" 1 "" \
    add black 10.0.0.1 --expires 5x
is_rc "add with --expires 30" 0 "added black 10.9.9.9" \
    add black 10.9.9.9 --expires 30
for d in 30s 5m 1h 2d 1w; do
	is_rc "add with --expires $d again: replaced" 0 "replaced black 10.9.9.9" \
	    add black 10.9.9.9 --expires $d
done
is_rc "add with --expires 0 is an error" 1 "" add black 10.9.9.9 --expires 0
ctl_must del black 10.9.9.9

ctl_must add black 10.8.8.8 --reason "  padded  "
ctl_ok "list black with the padded reason exits 0" list black
is "$(printf '%s\n' "$CTL_OUT" | grep '^black 10\.8\.8\.8 ' | sed 's/^[^"]*//')" '"padded"' \
    "add trims blanks around the reason"
ctl_must del black 10.8.8.8

# --- usage errors ---------------------------------------------------------

is_rc "no command is a usage error" 2 ""
is_rc "an unknown command is a usage error" 2 "" frobnicate
is_rc "add without arguments is a usage error" 2 "" add
is_rc "add black without an address is a usage error" 2 "" add black
is_rc "add purple (not black|white) is a usage error" 2 "" add purple 10.0.0.1
is_rc "add with an unknown option is a usage error" 2 "" add black 10.0.0.1 --bogus
is_rc "add --reason without its value is a usage error" 2 "" add black 10.0.0.1 --reason
is_rc "del without a list is a usage error" 2 "" del
is_rc "list purple is a usage error" 2 "" list purple
is_rc "lookup without an address is a usage error" 2 "" lookup
is_rc "import without a file is a usage error" 2 "" import black
ctl_ok "list black after the usage errors exits 0" list black
is "$(printf '%s\n' "$CTL_OUT" | grep -c 10.0.0.1)" 0 "failed adds added nothing"

# --- list -----------------------------------------------------------------

ctl list
is "$CTL_RC" 0 "list exits 0"
is "$(printf '%s\n' "$CTL_OUT" | awk '{ print $1, $2 }')" \
    "black 192.0.2.0/24
black 198.51.100.0/24
black 2001:db8::/32
white 192.0.2.77" "list prints every entry, one per line, LIST PREFIX first"
LINE=$(printf '%s\n' "$CTL_OUT" | grep '^black 192\.0\.2\.0/24 ')
is "$(echo "$LINE" | awk '{ print $6 }')" "$ME" "list: ACTOR is the user ($ME)"
is "$(echo "$LINE" | sed 's/^[^"]*//')" '"spam source"' "list: REASON comes last, quoted"
is "$(echo "$LINE" | awk '{ print $3 }')" - "list: CODE of a plain entry is - (the zone's default)"
is "$(echo "$LINE" | awk '{ print $5 }')" - "list: EXPIRES of a permanent entry is -"
ADDED=$(echo "$LINE" | awk '{ print $4 }')
like "$ADDED" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
    "list: ADDED is an ISO 8601 UTC time"
A=$(date -u -d "$ADDED" +%s 2>/dev/null || echo 0)
ok "list: ADDED is now ($ADDED)" test "$A" -ge $((NOW - 5)) -a "$A" -le $((NOW + 60))
LINE=$(printf '%s\n' "$CTL_OUT" | grep '^black 198\.51\.100\.0/24 ')
E=$(date -u -d "$(echo "$LINE" | awk '{ print $5 }')" +%s 2>/dev/null || echo 0)
ok "list: EXPIRES of --expires 1h is an hour from now" \
    test "$E" -ge $((NOW + 3595)) -a "$E" -le $((NOW + 3660))
ctl_ok "list white exits 0" list white
is "$(printf '%s\n' "$CTL_OUT" | awk '{ print $1, $2 }')" "white 192.0.2.77" \
    "list white prints only the whitelist"
ctl_ok "list black exits 0" list black
is "$(printf '%s\n' "$CTL_OUT" | awk '{ print $1 }' | sort -u)" black \
    "list black prints only the blacklist"
ctl list --json
is "$CTL_RC" 0 "list --json exits 0"
if [ -n "$HAVE_JSON" ]; then
	ok "list --json prints valid JSON" json_ok "$CTL_OUT"
	is "$(printf '%s\n' "$CTL_OUT" | perl -MJSON::PP -e '
	    local $/; my $j = JSON::PP->new->decode(<STDIN>);
	    $j = $j->{entries} if ref $j eq "HASH";
	    print join(",", map { "$_->{list}:$_->{prefix}" } @$j), "\n"')" \
	    "black:192.0.2.0/24,black:198.51.100.0/24,black:2001:db8::/32,white:192.0.2.77" \
	    "list --json has list and prefix of every entry"
else
	skip "JSON::PP not installed"
	skip "JSON::PP not installed"
fi

# --- del ------------------------------------------------------------------

is_rc "del of a missing entry exits 1" 1 "" del black 203.0.113.0/24
is_rc "del of a narrower prefix than the entry exits 1" 1 "" del black 192.0.2.0/25
is_rc "del black of a white entry exits 1" 1 "" del black 192.0.2.77
ctl del black 198.51.100.0/24
is "$CTL_RC" 0 "del black 198.51.100.0/24 exits 0"
is "$CTL_OUT" "deleted black 198.51.100.0/24" "del prints what it deleted"
ctl_ok "list black after the del exits 0" list black
is "$(printf '%s\n' "$CTL_OUT" | grep -c 198.51.100)" 0 "the deleted entry is gone from list"
is_rc "del of the same entry again exits 1" 1 "" del black 198.51.100.0/24

# --- lookup ---------------------------------------------------------------

# zone_lines: the unindented lines of lookup output.
zone_lines()
{
	printf '%s\n' "$CTL_OUT" | grep -v '^[[:space:]]'
}
ctl lookup 192.0.2.5
is "$CTL_RC" 0 "lookup 192.0.2.5 exits 0"
is "$(zone_lines)" "bl.test dnsbl listed 127.0.0.2 blacklist
wl.test dnswl not-listed
bl2.test dnsbl listed 127.0.0.10 blacklist" "lookup 192.0.2.5: one line per zone"
like "$CTL_OUT" '^[[:space:]].*192\.0\.2\.0/24' "lookup 192.0.2.5 names the deciding entry"
like "$CTL_OUT" '^[[:space:]].*spam source' "lookup 192.0.2.5 shows the entry's reason"
ctl_ok "lookup 192.0.2.77 exits 0" lookup 192.0.2.77
is "$(zone_lines)" "bl.test dnsbl not-listed
wl.test dnswl listed 127.0.0.2 whitelist
bl2.test dnsbl not-listed" "lookup 192.0.2.77: whitelist wins in dnsbl zones"
like "$CTL_OUT" '^[[:space:]].*our partner' "lookup 192.0.2.77 shows the white entry's reason"
ctl_ok "lookup 2001:db8::1 exits 0" lookup 2001:db8::1
is "$(zone_lines)" "bl.test dnsbl listed 127.0.0.2 blacklist
wl.test dnswl not-listed
bl2.test dnsbl listed 127.0.0.10 blacklist" "lookup 2001:db8::1"
ctl_ok "lookup 127.0.0.2 exits 0" lookup 127.0.0.2
is "$(zone_lines)" "bl.test dnsbl listed 127.0.0.2 blacklist
wl.test dnswl listed 127.0.0.2 whitelist
bl2.test dnsbl listed 127.0.0.10 blacklist" "lookup 127.0.0.2: the RFC 5782 test point"
ctl_ok "lookup 127.0.0.1 exits 0" lookup 127.0.0.1
is "$(zone_lines)" "bl.test dnsbl not-listed
wl.test dnswl not-listed
bl2.test dnsbl not-listed" "lookup 127.0.0.1: never listed"
ctl_ok "lookup 203.0.113.1 exits 0" lookup 203.0.113.1
is "$(zone_lines)" "bl.test dnsbl not-listed
wl.test dnswl not-listed
bl2.test dnsbl not-listed" "lookup of an unlisted address"
is_rc "lookup of a bad address exits 1" 1 "" lookup 192.0.2.256
is_rc "lookup of a prefix exits 1" 1 "" lookup 192.0.2.0/24
ctl lookup 192.0.2.5 --json
is "$CTL_RC" 0 "lookup --json exits 0"
if [ -n "$HAVE_JSON" ]; then
	ok "lookup --json prints valid JSON" json_ok "$CTL_OUT"
else
	skip "JSON::PP not installed"
fi

# --- log ------------------------------------------------------------------

ctl log
is "$CTL_RC" 0 "log exits 0"
# TIME ACTOR ACTION LIST ENTRY "REASON"
is "$(printf '%s\n' "$CTL_OUT" | awk '{ $1 = ""; print }' | sed 's/^ //' |
    grep -E ' (192\.0\.2\.0/24|198\.51\.100\.0/24) ')" \
    "$ME add black 192.0.2.0/24 \"spam source\"
$ME add black 198.51.100.0/24 \"for an hour\"
$ME del black 198.51.100.0/24 \"\"" \
    "log: the adds and the del of the entries, oldest first"
like "$(printf '%s\n' "$CTL_OUT" | head -n1 | awk '{ print $1 }')" \
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "log: TIME is ISO 8601 UTC"
is "$(printf '%s\n' "$CTL_OUT" | grep -c ' add black 10\.9\.9\.9 ')" 6 \
    "log: the six adds of 10.9.9.9 are recorded"
is "$(printf '%s\n' "$CTL_OUT" | grep -c ' del black 10\.9\.9\.9 ')" 1 \
    "log: the del of 10.9.9.9 is recorded"
is "$(printf '%s\n' "$CTL_OUT" | grep -c '10\.0\.0\.1')" 0 "log: failed adds are not recorded"

# --- against the running daemon --------------------------------------------

start_daemon
for a in 192.0.2.5 192.0.2.77 2001:db8::1 127.0.0.2 127.0.0.1 203.0.113.1; do
	case $a in
	*:*) n=$(rev6 $a) ;;
	*) n=$(rev4 $a) ;;
	esac
	ctl_ok "lookup $a exits 0" lookup $a
	want=$(zone_lines |
	    awk '$1 == "bl.test" { print ($3 == "listed" ? $4 : "NXDOMAIN") }')
	is "$(dig_answer "$(q $n.bl.test A)")" "$want" \
	    "lookup $a agrees with the daemon's bl.test answer"
done
ctl_must add black 203.0.113.0/24 --reason "while running"
ctl_ok "lookup 203.0.113.1 while the daemon runs exits 0" lookup 203.0.113.1
is "$(zone_lines | head -n1)" "bl.test dnsbl listed 127.0.0.2 blacklist" \
    "lookup sees an entry added while the daemon runs"
is "$(q +short 1.113.0.203.bl.test A)" 127.0.0.2 "and so does the daemon"
# An exclusion from the command line, written as "list" prints it.
is_rc "add black !203.0.113.7 adds an exclusion" 0 "added black !203.0.113.7" \
    add black '!203.0.113.7'
is "$(q +short 7.113.0.203.bl.test A)" "" "the exclusion is not listed inside the /24"
is "$(q +short 8.113.0.203.bl.test A)" 127.0.0.2 "its neighbour still is"
ctl_must list black
like "$CTL_OUT" 'black !203\.0\.113\.7 ' "list shows the exclusion with its !"
is_rc "add black 203.0.113.7 replaces the exclusion" 0 "replaced black 203.0.113.7" \
    add black 203.0.113.7
is "$(q +short 7.113.0.203.bl.test A)" 127.0.0.2 "the address is listed again"
is_rc "add black !2001:db8::/48 (IPv6)" 0 "added black !2001:db8::/48" \
    add black '!2001:db8::/48'
is_rc "del black !2001:db8::/48 deletes it" 0 "deleted black 2001:db8::/48" \
    del black '!2001:db8::/48'
is_rc "add black ! alone is an error" 1 "" add black '!'
is_rc "add exempt !10.0.0.1: exemptions take no exclusions" 1 "" \
    add exempt '!10.0.0.1'
like "$CTL_ERR" 'no exclusions' "the error says so"
stop_daemon

# rdnsblctl with a missing config file: an error.
"$RDNSBLCTL" -c "$work/missing.conf" list >/dev/null 2>"$work/err"
is "$?" 1 "rdnsblctl -c missing.conf exits 1"
like "$(cat "$work/err")" 'missing\.conf' "the error names the missing file"

done_testing
