#!/bin/sh
# SPDX-License-Identifier: ISC
# import_export.sh -- rdnsblctl import of rbldnsd ip4set/ip4trie/ip6trie
# files (CIDRs, ranges, abbreviated prefixes, "!" exclusions, ":A:TXT"
# values, a default value line), what the daemon then answers, bad files
# rejected whole with FILE:LINE, warnings, and export -> import into a
# fresh database -> export round-tripping exactly.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool perl
need_programs

write_conf base.conf.in
CONF1=$CONF

# --- a bad file: every bad line reported, nothing imported ------------------

# a database to import into: without one, list fails and shows nothing
ctl_must add black 198.18.255.1
ctl_must del black 198.18.255.1
ctl import black "$DATA/import-bad.txt"
is "$CTL_RC" 1 "import of a file with 4 bad lines exits 1"
for l in 3 5 7 8; do
	like "$CTL_ERR" "import-bad\\.txt:$l:" "import reports bad line $l as FILE:$l"
done
is "$(printf '%s\n' "$CTL_ERR" | grep -Ec 'import-bad\.txt:(1|2|4|6):')" 0 \
    "import reports no good line as bad"
ctl_ok "list after the rejected import exits 0" list
is "$CTL_OUT" "" "a rejected import adds nothing (not even the good lines)"
ctl import black "$work/no-such-file.txt"
is "$CTL_RC" 1 "import of a missing file exits 1"
like "$CTL_ERR" 'no-such-file\.txt' "the error names the missing file"

# --- a good file ------------------------------------------------------------

ctl import black "$DATA/import-black.txt"
is "$CTL_RC" 0 "import black import-black.txt exits 0"
is "$CTL_ERR" "" "import of a clean file prints nothing on stderr"
ctl_ok "list black after the import exits 0" list black
is "$(printf '%s\n' "$CTL_OUT" | wc -l | tr -d ' ')" 20 \
    "import made 20 entries (ranges split into CIDRs)"
ctl import white "$DATA/import-white.txt"
is "$CTL_RC" 0 "import white import-white.txt exits 0"
ctl_ok "log exits 0" log
like "$CTL_OUT" ' import black .*import-black\.txt' "the import is in the audit log"
start_daemon

# A: the A answer of ADDR in bl.test, or its status (NXDOMAIN).
A()
{
	case $1 in
	*:*) dig_answer "$(q "$(rev6 "$1").bl.test" A)" ;;
	*) dig_answer "$(q "$(rev4 "$1").bl.test" A)" ;;
	esac
}
TXT()
{
	q +short "$(rev4 "$1").bl.test" TXT
}

for t in \
    192.0.2.1=127.0.0.2 192.0.2.5=127.0.0.3 192.0.2.6=127.0.0.4 \
    192.0.2.7=127.0.0.2 192.0.2.8=127.0.0.2 192.0.2.127=127.0.0.2 \
    192.0.2.128= 192.0.2.200= 198.51.100.0= 198.51.100.1=127.0.0.2 \
    198.51.100.3=127.0.0.2 198.51.100.6=127.0.0.2 198.51.100.7= \
    10.1.2.200=127.0.0.2 10.1.3.1= 10.2.255.255=127.0.0.2 10.3.0.0= \
    11.255.0.1=127.0.0.2 12.0.0.1= 203.0.113.9= 203.0.113.10=127.0.0.2 \
    203.0.113.12=127.0.0.2 203.0.113.13= 172.16.0.1=127.0.0.9 \
    172.31.255.255=127.0.0.9 172.32.0.1=127.0.0.9 172.32.0.2= \
    2001:db8::1=127.0.0.2 2001:db8::5= 2001:db8:1::1=127.0.0.6 \
    2001:db9::1= 2001:db8::25=; do
	a=${t%%=*}
	want=${t#*=}
	want=${want:-NXDOMAIN}
	is "$(A "$a")" "$want" "after import $a answers '$want'"
done
R=$(q "$(rev4 192.0.2.1).bl.test" TXT)
is "$(dig_status "$R")/$(dig_count "$R" ANSWER)" NOERROR/0 \
    "an imported entry without TXT has no TXT record, as in rbldnsd"
is "$(TXT 192.0.2.5)" '"192.0.2.5 is listed (custom text)"' \
    "192.0.2.5 :127.0.0.3:custom text gives its text"
is "$(TXT 192.0.2.6)" '"192.0.2.6 is listed (short code)"' \
    "192.0.2.6 :4:short code gives its text"
is "$(TXT 192.0.2.7)" '"192.0.2.7 is listed (plain text after blanks)"' \
    "text after blanks is the TXT"
is "$(TXT 192.0.2.8)" '"192.0.2.8 is listed (default code, own text)"' \
    "::text keeps the default code with its own text"
is "$(TXT 172.16.0.1)" '"172.16.0.1 is listed (default value)"' \
    "a lone :A:TXT line sets the value of the entries after it"
is "$(q +short 5.2.0.192.bl2.test A)" 127.0.0.3 \
    "an entry's imported code is used in bl2.test too"
is "$(q +short 1.2.0.192.bl2.test A)" 127.0.0.10 \
    "an entry without a code gets bl2.test's own code"
is "$(q +short 77.2.0.192.wl.test A)" 127.0.0.2 "imported white 192.0.2.77 is listed by wl.test"
is "$(q +short "$(rev6 2001:db8::25).wl.test" TXT)" '"2001:db8::25 is whitelisted (v6 partner)"' \
    "imported white 2001:db8::25 gives its text in wl.test"

# Importing while the daemon runs: answered at the next query.
printf '%s\n' "192.0.2.1 :127.0.0.2:live exception" >"$work/live-white.txt"
ctl import white "$work/live-white.txt"
is "$CTL_RC" 0 "import white while the daemon runs exits 0"
is "$(A 192.0.2.1)" NXDOMAIN "192.0.2.1 imported white is no longer listed at the next query"

# --- export and round trip ---------------------------------------------------

# Reasons that rbldnsd syntax could misread must survive the round trip.
ctl_must add black 198.18.0.1 --reason ":starts with a colon"
ctl_must add black 198.18.0.2 --reason "has # hash and ; semicolon"
ctl_must add black 198.18.0.3 --reason "#42 leading hash"
ctl_must add black 198.18.0.4 --reason 'back\slash, "quotes", café'
ctl_must add black 198.18.0.5 --reason "  padded with blanks  "
ctl_must add black 198.18.0.6 --reason "for a day" --expires 1d
ctl_must add black 198.18.0.7 --reason "==starts with ="
ctl_must add black 198.18.0.8 --reason 'costs $5, see $'
ctl_must add black 198.18.0.9
is "$(TXT 198.18.0.9)" '"198.18.0.9 is listed (listed by the administrator)"' \
    "an entry added without a reason gives the default reason"

ctl export black --without-white
is "$CTL_RC" 0 "export black --without-white exits 0"
printf '%s\n' "$CTL_OUT" >"$work/exp-black-1.txt"
ENTRIES=$(grep -Ev '^[#;]|^$' "$work/exp-black-1.txt")
is "$(printf '%s\n' "$ENTRIES" | wc -l | tr -d ' ')" 29 "export black writes 29 entry lines"
like "$(grep -B1 '^198\.18\.0\.9$' "$work/exp-black-1.txt")" '^#@ .* txt=default$' \
    "export marks an entry added without a reason txt=default"
like "$ENTRIES" '^198\.18\.0\.7 ==starts with =$' \
    "export doubles a leading = (rbldnsd drops one)"
like "$ENTRIES" '^198\.18\.0\.8 costs \$\$5, see \$$' \
    "export writes an added reason as stored: \$5 escaped, \$ the address"
like "$ENTRIES" '^192\.0\.2\.0/24$' "export writes a plain entry as its CIDR"
like "$ENTRIES" '^!192\.0\.2\.128/25$' "export writes an exclusion with !"
like "$ENTRIES" '^192\.0\.2\.5 :127\.0\.0\.3:custom text$' "export writes :A:TXT values"
like "$ENTRIES" '^2001:db8:1::/48 :127\.0\.0\.6:v6 with a code$' "export writes IPv6 entries"
# Without --without-white, the white entries inside black ranges are
# "!" lines (feeds.sh checks the answers against rbldnsd's).
ctl_ok "export black exits 0" export black
MERGED=$(printf '%s\n' "$CTL_OUT" | grep -Ev '^[#;]|^$')
like "$CTL_OUT" "^# with the white list's entries and the delisting exemptions as exceptions" \
    "export black says that the white list is in it"
like "$MERGED" '^!192\.0\.2\.1$' "export black: white 192.0.2.1 inside black 192.0.2.0/24 is a ! line"
like "$MERGED" '^!2001:db8::25$' "export black: white 2001:db8::25 inside black 2001:db8::/32 is a ! line"
like "$MERGED" '^!192\.0\.2\.77$' "export black: white 192.0.2.77 is a ! line too"
is "$(printf '%s\n' "$MERGED" | wc -l | tr -d ' ')" 32 \
    "export black: the 29 black entries and 3 white exceptions"
ctl_ok "export white exits 0" export white
printf '%s\n' "$CTL_OUT" >"$work/exp-white-1.txt"
like "$CTL_OUT" '^2001:db8::25 :127\.0\.0\.2:v6 partner$' "export white writes the imported entries"
ctl_ok "list before the round trip exits 0" list
printf '%s\n' "$CTL_OUT" >"$work/list-1.txt"

stop_daemon

# A fresh database.
DB="$work/db2"
write_conf base.conf.in "$work/fresh.conf"
CONF="$work/fresh.conf"
ok "the fresh database does not exist yet" test ! -e "$DB"
ctl import black "$work/exp-black-1.txt"
is "$CTL_RC/$CTL_ERR" "0/" "the export imports cleanly into a fresh database"
ctl import white "$work/exp-white-1.txt"
is "$CTL_RC/$CTL_ERR" "0/" "the white export imports cleanly too"
ctl_ok "export black of the fresh database exits 0" export black --without-white
printf '%s\n' "$CTL_OUT" >"$work/exp-black-2.txt"
ctl_ok "export white of the fresh database exits 0" export white
printf '%s\n' "$CTL_OUT" >"$work/exp-white-2.txt"
# same_export A B: equal but for the header comment, which has the time.
same_export()
{
	grep -v '^# ' "$1" >"$1.body"
	grep -v '^# ' "$2" >"$2.body"
	if cmp -s "$1.body" "$2.body"; then
		pass "$3"
	else
		fail "$3" "$(diff "$1.body" "$2.body")"
	fi
}
same_export "$work/exp-black-1.txt" "$work/exp-black-2.txt" \
    "export -> import -> export of black is identical"
same_export "$work/exp-white-1.txt" "$work/exp-white-2.txt" \
    "export -> import -> export of white is identical"
ctl_ok "list after the round trip exits 0" list
printf '%s\n' "$CTL_OUT" >"$work/list-2.txt"
ctl_ok "lookup 198.18.0.9 after the round trip exits 0" lookup 198.18.0.9
like "$CTL_OUT" '^  txt: "198\.18\.0\.9 is listed \(listed by the administrator\)"$' \
    "after the round trip an entry added without a reason has the default reason"
ctl_ok "lookup 192.0.2.2 after the round trip exits 0" lookup 192.0.2.2
like "$CTL_OUT" '^  txt: none ' \
    "after the round trip an entry imported without TXT has none"
if cmp -s "$work/list-1.txt" "$work/list-2.txt"; then
	pass "list after the round trip is identical (added, actor, reason kept)"
else
	fail "list after the round trip is identical (added, actor, reason kept)" \
	    "$(diff "$work/list-1.txt" "$work/list-2.txt")"
fi
# Importing the same file again changes nothing.
ctl_ok "importing the export again exits 0" import black "$work/exp-black-1.txt"
ctl_ok "export black after that exits 0" export black --without-white
printf '%s\n' "$CTL_OUT" >"$work/exp-black-3.txt"
same_export "$work/exp-black-2.txt" "$work/exp-black-3.txt" \
    "importing the export twice changes nothing"

# --- warnings ------------------------------------------------------------------

DB="$work/db3"
write_conf base.conf.in "$work/warn.conf"
CONF="$work/warn.conf"
ctl import black "$DATA/import-warn.txt"
is "$CTL_RC" 0 "import with only warnings exits 0"
like "$CTL_ERR" 'import-warn\.txt:1:' "a \$TTL line is a warning with FILE:1"
like "$CTL_ERR" 'import-warn\.txt:2: entry skipped: host bits set' \
    "host bits set is a warning with FILE:2"
ctl_ok "list black after the warnings exits 0" list black
is "$CTL_OUT" "" "192.0.2.1/24 is skipped, as rbldnsd skips it"
ctl import black "$DATA/import-warn.txt" --accept-host-bits
is "$CTL_RC" 0 "import --accept-host-bits exits 0"
like "$CTL_ERR" 'import-warn\.txt:2: host bits set in "192\.0\.2\.1/24", using 192\.0\.2\.0/24' \
    "--accept-host-bits: a warning with FILE:2"
ctl_ok "list black after --accept-host-bits exits 0" list black
is "$(printf '%s\n' "$CTL_OUT" | awk '{ print $1, $2 }')" "black 192.0.2.0/24" \
    "with --accept-host-bits 192.0.2.1/24 is imported masked, as 192.0.2.0/24"
ctl import black "$DATA/import-warn.txt" --accept-host-bits=yes
is "$CTL_RC" 2 "--accept-host-bits takes no value: a usage error"
ctl export black --accept-host-bits
is "$CTL_RC" 2 "export does not take --accept-host-bits: a usage error"
ctl export white --without-white
is "$CTL_RC" 2 "export white --without-white: a usage error"

done_testing
