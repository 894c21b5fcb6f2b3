#!/bin/sh
# SPDX-License-Identifier: ISC
# lists.sh -- answers from the manual lists: listed A/TXT/ANY, NODATA for
# other types and for names above an address, NXDOMAIN for unlisted and
# invalid names, whitelist beats blacklist, most specific entry wins
# (nested /8 > /16 > /24 > /32 with codes from an import, "!" exclusions),
# expiry, and a change by rdnsblctl answered at the very next query.
# IPv4 and IPv6 names, over UDP and TCP, on both listeners.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool perl
need_programs

write_conf base.conf.in
ctl_must add black 192.0.2.0/24 --reason "spam source"
ctl_must add white 192.0.2.77 --reason "our partner"
ctl_must add white 198.51.100.0/24 --reason "whole partner net"
ctl_must add black 198.51.100.9 --reason "inside a white range"
ctl_must add black 2001:db8::/32 --reason "v6 spam"
ctl_must add white 2001:db8::25 --reason "v6 partner"
start_daemon

Q()
{
	case $T in
	udp4) q "$@" ;;
	tcp4) q +tcp "$@" ;;
	udp6) q6 "$@" ;;
	tcp6) q6 +tcp "$@" ;;
	esac
}

# nodata NAME TYPE ZONE: NOERROR, AA, no answer, the zone's SOA (TTL 120).
nodata()
{
	o=$(Q "$1" "$2")
	is "$(dig_status "$o")/$(dig_count "$o" ANSWER)" NOERROR/0 \
	    "$T: $1 $2 is NOERROR with no answer (NODATA)"
	ok "$T: $1 $2 NODATA has AA" has_flag "$o" aa
	like "$(dig_section "$o" AUTHORITY)" \
	    "^$3\\. 120 IN SOA ns\\.$3\\. hostmaster\\.$3\\. [0-9]+ [0-9]+ [0-9]+ [0-9]+ 120\$" \
	    "$T: $1 $2 NODATA carries the SOA"
}

# nxd NAME TYPE: NXDOMAIN with the bl.test SOA.
nxd()
{
	o=$(Q "$1" "$2")
	is "$(dig_status "$o")/$(dig_count "$o" ANSWER)" NXDOMAIN/0 \
	    "$T: $1 $2 is NXDOMAIN"
	like "$(dig_section "$o" AUTHORITY)" \
	    '^bl\.test\. 120 IN SOA ns\.bl\.test\. hostmaster\.bl\.test\. [0-9]+ [0-9]+ [0-9]+ [0-9]+ 120$' \
	    "$T: $1 $2 NXDOMAIN carries the SOA"
}

N4=5.2.0.192
N6=$(rev6 2001:db8::1)
W6=$(rev6 2001:db8::25)
for T in udp4 tcp4 udp6 tcp6; do
	# A listed IPv4 address.
	o=$(Q $N4.bl.test A)
	is "$(dig_section "$o" ANSWER)" "$N4.bl.test. 300 IN A 127.0.0.2" \
	    "$T: 192.0.2.5 in 192.0.2.0/24 is listed 127.0.0.2"
	ok "$T: listed A has AA" has_flag "$o" aa
	o=$(Q $N4.bl.test TXT)
	is "$(dig_section "$o" ANSWER)" \
	    "$N4.bl.test. 300 IN TXT \"192.0.2.5 is listed (spam source)\"" \
	    "$T: 192.0.2.5 TXT gives the address and the entry's reason"
	o=$(Q $N4.bl.test ANY)
	is "$(dig_section "$o" ANSWER | sort)" \
	    "$N4.bl.test. 300 IN A 127.0.0.2
$N4.bl.test. 300 IN TXT \"192.0.2.5 is listed (spam source)\"" \
	    "$T: 192.0.2.5 ANY gives the A and the TXT"
	nodata $N4.bl.test AAAA bl.test
	nodata $N4.bl.test MX bl.test
	# Names above an address: empty non-terminals.
	nodata 2.0.192.bl.test A bl.test
	nodata 0.192.bl.test TXT bl.test
	nodata 192.bl.test A bl.test
	# Query names are case-insensitive; the question keeps its case.
	o=$(Q $N4.BL.Test A)
	is "$(dig_section "$o" ANSWER)" "$N4.BL.Test. 300 IN A 127.0.0.2" \
	    "$T: $N4.BL.Test (mixed case) is listed"
	# Invalid names inside the zone.
	nxd foo.bl.test A
	nxd 1.$N4.bl.test A
	nxd 5.2.0.256.bl.test A
	nxd 05.2.0.192.bl.test A
	nxd 5.02.0.192.bl.test A
	nxd x.2.0.192.bl.test A
	nxd "g.$(rev6 2001:db8::1 | cut -d. -f2-).bl.test" A
	nxd "0.$N6.bl.test" A
	nxd 4.113.0.203.bl.test A
	# The whitelist always wins in a dnsbl zone.
	nxd 77.2.0.192.bl.test A
	nxd 77.2.0.192.bl.test TXT
	nxd 9.100.51.198.bl.test A
	is "$(Q +short 77.2.0.192.wl.test A)" 127.0.0.2 \
	    "$T: 192.0.2.77 is listed by wl.test"
	is "$(Q +short 77.2.0.192.wl.test TXT)" \
	    '"192.0.2.77 is whitelisted (our partner)"' \
	    "$T: 192.0.2.77 TXT in wl.test gives the reason"
	is "$(Q +short 9.100.51.198.wl.test A)" 127.0.0.2 \
	    "$T: 198.51.100.9 is listed by wl.test (its /24)"
	is "$(dig_status "$(Q $N4.wl.test A)")" NXDOMAIN \
	    "$T: blacklisted 192.0.2.5 is not listed by wl.test"
	# IPv6 names.
	o=$(Q $N6.bl.test A)
	is "$(dig_section "$o" ANSWER)" "$N6.bl.test. 300 IN A 127.0.0.2" \
	    "$T: 2001:db8::1 in 2001:db8::/32 is listed 127.0.0.2"
	is "$(Q +short $N6.bl.test TXT)" '"2001:db8::1 is listed (v6 spam)"' \
	    "$T: 2001:db8::1 TXT gives the address and the reason"
	nodata $N6.bl.test AAAA bl.test
	nodata "$(echo $N6 | cut -d. -f2-).bl.test" A bl.test
	nodata "$(echo $N6 | cut -d. -f25-).bl.test" A bl.test
	nxd $W6.bl.test A
	is "$(Q +short $W6.wl.test A)" 127.0.0.2 "$T: 2001:db8::25 is listed by wl.test"
	# bl2.test: its own code, per-reason template, $url.
	is "$(Q +short $N4.bl2.test A)" 127.0.0.10 \
	    "$T: 192.0.2.5 in bl2.test answers code: blacklist 127.0.0.10"
	is "$(Q +short $N4.bl2.test TXT)" \
	    '"192.0.2.5 blocked: spam source, see http://example.test/lookup?ip=192.0.2.5"' \
	    "$T: bl2.test TXT fills in \$, \$reason and \$url"
	o=$(Q $N4.bl2.test A)
	is "$(dig_section "$o" ANSWER)" "$N4.bl2.test. 3600 IN A 127.0.0.10" \
	    "$T: bl2.test answers with its ttl 1h"
done

# Nested ranges with different codes (an import can set codes), plus an
# exclusion and a /32 whitelist inside a /24.
cat >"$work/nested.txt" <<'EOF'
10.0.0.0/8 :127.0.0.3:eight
10.1.0.0/16 :127.0.0.4:sixteen
10.1.2.0/24 :127.0.0.5:twentyfour
10.1.2.3/32 :127.0.0.6:thirtytwo
!10.1.2.4
2001:db8:aaaa::/48 :127.0.0.7:v6-48
2001:db8:aaaa:bbbb::/64 :127.0.0.8:v6-64
EOF
ctl import black "$work/nested.txt"
is "$CTL_RC" 0 "import of the nested ranges exits 0"
ctl_must add white 10.1.2.9 --reason "excepted"
for T in udp4 tcp6; do
	is "$(Q +short 9.9.9.10.bl.test A)" 127.0.0.3 "$T: 10.9.9.9 answers the /8 code"
	is "$(Q +short 9.9.9.10.bl.test TXT)" '"10.9.9.9 is listed (eight)"' \
	    "$T: 10.9.9.9 TXT gives the /8 text"
	is "$(Q +short 9.9.1.10.bl.test A)" 127.0.0.4 "$T: 10.1.9.9 answers the /16 code"
	is "$(Q +short 8.2.1.10.bl.test A)" 127.0.0.5 "$T: 10.1.2.8 answers the /24 code"
	is "$(dig_status "$(Q 9.2.1.10.bl.test A)")" NXDOMAIN \
	    "$T: whitelisted /32 10.1.2.9 inside the black /24 is not listed"
	is "$(Q +short 3.2.1.10.bl.test A)" 127.0.0.6 "$T: 10.1.2.3 answers the /32 code"
	is "$(Q +short 3.2.1.10.bl.test TXT)" '"10.1.2.3 is listed (thirtytwo)"' \
	    "$T: 10.1.2.3 TXT gives the /32 text"
	is "$(Q +short 3.2.1.10.bl2.test A)" 127.0.0.6 \
	    "$T: an entry's own code beats bl2.test's code: too"
	is "$(dig_status "$(Q 4.2.1.10.bl.test A)")" NXDOMAIN \
	    "$T: excluded !10.1.2.4 inside the /24 is not listed"
	is "$(dig_status "$(Q 5.2.1.10.bl.test A)")" NOERROR \
	    "$T: 10.1.2.5 next to the exclusion is listed"
	is "$(Q +short "$(rev6 2001:db8:aaaa:1::1).bl.test" A)" 127.0.0.7 \
	    "$T: 2001:db8:aaaa:1::1 answers the /48 code"
	is "$(Q +short "$(rev6 2001:db8:aaaa:bbbb::1).bl.test" A)" 127.0.0.8 \
	    "$T: 2001:db8:aaaa:bbbb::1 answers the /64 code"
	is "$(Q +short "$(rev6 2001:db8:ffff::1).bl.test" A)" 127.0.0.2 \
	    "$T: 2001:db8:ffff::1 answers the /32 entry's default code"
done

# A reason is read as rbldnsd reads an entry's TXT: "$" is the address,
# "$$" a dollar, "$5" (no such variable) stays; the zone's "$url" and
# "$reason" mean nothing there.
ctl_must add black 192.0.2.66 --reason 'costs $5, see $url and $reason $$'
is "$(q +short 66.2.0.192.bl.test TXT)" \
    '"192.0.2.66 is listed (costs $5, see 192.0.2.66url and 192.0.2.66reason $)"' \
    "a reason's \$ signs are rbldnsd's, not the zone template's"
# A white entry without a reason gives the built-in text in wl.test.
ctl_must add white 192.0.2.78
is "$(q +short 78.2.0.192.wl.test TXT)" \
    '"192.0.2.78 is whitelisted (listed by the administrator)"' \
    "a white entry without a reason: the built-in reason text"
# Nibbles are hex digits in either case.
is "$(q +short "$(rev6 2001:db8::1abc | tr a-f A-F).bl.test" A)" 127.0.0.2 \
    "an IPv6 name with upper-case nibbles is listed"

# Expiry: an entry stops counting once expired, without any reload.
T=udp4
ctl_must add black 203.0.113.7 --reason "short" --expires 3s
ctl_must add black 203.0.113.8 --reason "long" --expires 1h
is "$(q +short 7.113.0.203.bl.test A)" 127.0.0.2 \
    "203.0.113.7 added with --expires 3s is listed at once"
ctl_must add black 203.0.113.9 --reason "one second" --expires 1s
sleep 4
is "$(dig_status "$(q 7.113.0.203.bl.test A)")" NXDOMAIN \
    "203.0.113.7 is no longer listed after 3 s"
is "$(dig_status "$(q +tcp 9.113.0.203.bl.test A)")" NXDOMAIN \
    "203.0.113.9 added with --expires 1s is not listed 4 s later"
is "$(q6 +short 8.113.0.203.bl.test A)" 127.0.0.2 \
    "203.0.113.8 added with --expires 1h is still listed"
ctl_ok "list black after the expiry exits 0" list black
is "$(printf '%s\n' "$CTL_OUT" | grep -Ec '^black 203\.0\.113\.[79] ')" 0 \
    "list no longer shows the expired entries"
is "$(printf '%s\n' "$CTL_OUT" | grep -Ec '^black 203\.0\.113\.8 ')" 1 \
    "list still shows the unexpired entry"
# An expired white entry no longer hides a black one.
ctl_must add black 203.0.113.64/26 --reason "black net"
ctl_must add white 203.0.113.65 --reason "brief exception" --expires 1s
sleep 2
is "$(q +short 65.113.0.203.bl.test A)" 127.0.0.2 \
    "203.0.113.65 is blacklisted again once its white entry expired"
is "$(dig_status "$(q 65.113.0.203.wl.test A)")" NXDOMAIN \
    "203.0.113.65 is no longer listed by wl.test once expired"

# Changes by rdnsblctl while the daemon runs are answered at the next query.
is "$(dig_status "$(q 1.0.51.198.bl.test A)")" NXDOMAIN "198.51.0.1 is not listed yet"
ctl_must add black 198.51.0.1 --reason "added live"
is "$(q +short 1.0.51.198.bl.test TXT)" '"198.51.0.1 is listed (added live)"' \
    "198.51.0.1 is listed at the very next query after add"
is "$(q6 +tcp +short 1.0.51.198.bl.test A)" 127.0.0.2 \
    "198.51.0.1 is listed over TCP on ::1 too"
ctl_must add white 198.51.0.1 --reason "changed my mind"
is "$(dig_status "$(q 1.0.51.198.bl.test A)")" NXDOMAIN \
    "198.51.0.1 is not listed at the next query after add white"
is "$(q +short 1.0.51.198.wl.test A)" 127.0.0.2 \
    "198.51.0.1 is listed by wl.test at the next query"
ctl_must del white 198.51.0.1
is "$(q +short 1.0.51.198.bl.test A)" 127.0.0.2 \
    "198.51.0.1 is listed again at the next query after del white"
ctl_must del black 198.51.0.1
is "$(dig_status "$(q 1.0.51.198.bl.test A)")" NXDOMAIN \
    "198.51.0.1 is not listed at the next query after del black"
ctl_must add black 2001:db8:5::/48 --reason "live v6"
is "$(q6 +short "$(rev6 2001:db8:5::99).bl.test" TXT)" \
    '"2001:db8:5::99 is listed (live v6)"' \
    "2001:db8:5::99 is listed at the next query after add (v6)"
# Replacing an entry (same prefix) changes its reason at once.
ctl_must add black 192.0.2.0/24 --reason "reason two"
is "$(q +short $N4.bl.test TXT)" '"192.0.2.5 is listed (reason two)"' \
    "re-adding 192.0.2.0/24 replaces the reason at the next query"

stop_daemon
done_testing
