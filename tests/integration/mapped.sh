#!/bin/sh
# SPDX-License-Identifier: ISC
# mapped.sh -- IPv4-mapped IPv6 queries (the nibble name of
# ::ffff:a.b.c.d): answered from the IPv6 entries when one covers the
# address (a listing, a white entry, an exclusion), else from the entries
# of a.b.c.d, with its code and TXT; the computed checks of a mapped
# address look up the IPv4 address's PTR, never the ip6.arpa one; a dnswl
# zone falls back the same way; rdnsblctl lookup agrees.

. "$top_srcdir/tests/integration/lib.sh"

# --- the fake internet ------------------------------------------------------
tns_begin
# 192.0.2.1: no PTR (NXDOMAIN), so no-ptr lists it.
tns_nx "$(dns_ptrname 192.0.2.1)" PTR
# 198.51.100.9: forward-confirmed, not dynamic: the checks pass it.
tns_ptr 198.51.100.9 mail.example.org
tns_addr mail.example.org 198.51.100.9
# The mapped names answer too: a query for one would be counted.
tns_nx "$(dns_ptrname ::ffff:192.0.2.1)" PTR
start_upstream "$TNS"

write_conf checks-base.conf.in
cat >"$work/black.txt" <<'EOF'
192.0.2.10 :127.0.0.5:four only $
192.0.2.20 :127.0.0.6:four twenty
::ffff:c000:214 :127.0.0.7:six twenty $
192.0.2.30 :127.0.0.6:four thirty
::ffff:c633:6400/120 :127.0.0.8:six range
!::ffff:c633:6409
198.51.100.9 :127.0.0.9:four nine
EOF
ctl_ok "import the IPv4 and IPv6 entries" import black "$work/black.txt"
ctl_must add white ::ffff:192.0.2.30 --reason "six partner"
ctl_must add white 192.0.2.40 --reason "four partner"
start_daemon

M() { echo "$(rev6 "::ffff:$1").$2"; }

# --- IPv4 entries answer mapped queries ---------------------------------------
is "$(q +short "$(M 192.0.2.10 bl.test)" A)" 127.0.0.5 \
    "::ffff:192.0.2.10, listed in IPv4 only, answers the entry's code"
is "$(q +short "$(M 192.0.2.10 bl.test)" TXT)" \
    '"::ffff:192.0.2.10 is listed: four only ::ffff:c000:20a"' \
    "::ffff:192.0.2.10 TXT: the IPv4 entry's text, \$ the queried address"
is "$(q +short "$(M 192.0.2.10 list.test)" A)" 127.0.0.5 \
    "::ffff:192.0.2.10 is listed by a zone of the list alone"
is "$(q +short 10.2.0.192.bl.test A)" 127.0.0.5 \
    "192.0.2.10 itself answers the same code"

# --- IPv6 entries first ---------------------------------------------------------
is "$(q +short "$(M 192.0.2.20 bl.test)" A)" 127.0.0.7 \
    "::ffff:192.0.2.20: the IPv6 entry's code, not the IPv4 one's"
is "$(q +short "$(M 192.0.2.20 bl.test)" TXT)" \
    '"::ffff:192.0.2.20 is listed: six twenty ::ffff:c000:214"' \
    "::ffff:192.0.2.20 TXT: the IPv6 entry's text"
is "$(q +short 20.2.0.192.bl.test A)" 127.0.0.6 \
    "192.0.2.20 answers its IPv4 entry"
is "$(dig_status "$(q "$(M 192.0.2.30 bl.test)" A)")" NXDOMAIN \
    "::ffff:192.0.2.30: an IPv6 white entry wins over the IPv4 listing"
is "$(q +short 30.2.0.192.bl.test A)" 127.0.0.6 \
    "192.0.2.30 stays listed by its IPv4 entry"
is "$(q +short "$(M 198.51.100.8 bl.test)" A)" 127.0.0.8 \
    "::ffff:198.51.100.8 answers the IPv6 range"
is "$(dig_status "$(q +time=6 "$(M 198.51.100.9 bl.test)" A)")" NXDOMAIN \
    "::ffff:198.51.100.9: an IPv6 exclusion is not the IPv4 listing"
is "$(q +short 9.100.51.198.bl.test A)" 127.0.0.9 \
    "198.51.100.9 answers its IPv4 entry"
is "$(upstream_count "$(dns_ptrname ::ffff:198.51.100.9)" PTR)/$(upstream_count "$(dns_ptrname 198.51.100.9)" PTR)" \
    0/1 "::ffff:198.51.100.9: the checks looked up the IPv4 PTR only"

# --- IPv4 white entries, unlisted addresses --------------------------------------
is "$(dig_status "$(q "$(M 192.0.2.40 list.test)" A)")" NXDOMAIN \
    "::ffff:192.0.2.40: the IPv4 white entry applies"
is "$(q +short "$(M 192.0.2.40 wl.test)" A)" 127.0.0.2 \
    "::ffff:192.0.2.40 is listed by the dnswl zone from its IPv4 entry"
is "$(dig_status "$(q "$(M 192.0.2.99 list.test)" A)")" NXDOMAIN \
    "::ffff:192.0.2.99, in no list, is not listed"

# --- the computed checks are the IPv4 address's ----------------------------------
is "$(q +short +time=6 "$(M 192.0.2.1 strict.test)" A)" 127.0.0.3 \
    "::ffff:192.0.2.1: no PTR for 192.0.2.1 is listed 127.0.0.3"
is "$(q +short 1.2.0.192.strict.test A)" 127.0.0.3 \
    "192.0.2.1 answers the same"
is "$(upstream_count "$(dns_ptrname ::ffff:192.0.2.1)" PTR)/$(upstream_count "$(dns_ptrname 192.0.2.1)" PTR)" \
    0/1 "::ffff:192.0.2.1: one PTR query, for 192.0.2.1, none in ip6.arpa"

# --- rdnsblctl lookup agrees ------------------------------------------------------
ctl_ok "lookup ::ffff:c000:20a" lookup ::ffff:c000:20a
like "$CTL_OUT" 'list\.test dnsbl listed 127\.0\.0\.5 ' \
    "lookup ::ffff:c000:20a: listed by the IPv4 entry's code"
ctl_ok "lookup ::ffff:c000:214" lookup ::ffff:c000:214
like "$CTL_OUT" 'list\.test dnsbl listed 127\.0\.0\.7 ' \
    "lookup ::ffff:c000:214: listed by the IPv6 entry's code"

stop_daemon
done_testing
