#!/bin/sh
# SPDX-License-Identifier: ISC
# checks.sh -- the computed checks through the real interfaces, against a
# fake internet (ldns-testns): no-ptr (NXDOMAIN, NODATA, a PTR that is an
# address), unconfirmed (the name does not exist, resolves elsewhere),
# forward-confirmed by the second of two PTR names, RFC 2317 CNAMEs (in
# one answer and with a query of their own), IPv6, one upstream query for
# 20 concurrent DNS queries (UDP) and a held query over TCP, the verdict
# cache and its expiry, manual entries over computed verdicts, zones with
# different checks, rdnsblctl check/lookup/flush, and RFC 5782 test points
# that are never looked up.

. "$top_srcdir/tests/integration/lib.sh"

# --- the fake internet ------------------------------------------------------
tns_begin
# 192.0.2.1: no PTR (NXDOMAIN).
tns_nx "$(dns_ptrname 192.0.2.1)" PTR
# 192.0.2.2: the PTR name exists, no PTR data (NODATA).
tns_entry "$(dns_ptrname 192.0.2.2)" PTR NOERROR
# 192.0.2.3: the PTR name does not exist.
tns_ptr 192.0.2.3 gone.example.com
tns_nx gone.example.com A
# 192.0.2.4: the PTR name resolves elsewhere.
tns_ptr 192.0.2.4 elsewhere.example.com
tns_addr elsewhere.example.com 198.51.100.200
# 192.0.2.5: two PTR names, the second confirms.
tns_ptr 192.0.2.5 other.example.org relay.example.com
tns_addr other.example.org 198.51.100.201
tns_addr relay.example.com 192.0.2.5
# 192.0.2.6: the PTR "name" is an IP literal (which even resolves).
tns_ptr 192.0.2.6 192.0.2.6
tns_addr 192.0.2.6 192.0.2.6
# 192.0.2.7: RFC 2317, the CNAME and the PTR in one answer.
tns_entry "$(dns_ptrname 192.0.2.7)" PTR NOERROR \
    "7.2.0.192.in-addr.arpa. 300 IN CNAME 7.0/25.2.0.192.in-addr.arpa." \
    "7.0/25.2.0.192.in-addr.arpa. 300 IN PTR host7.example.net."
tns_addr host7.example.net 192.0.2.7
# 192.0.2.8: RFC 2317, the CNAME target needs its own query.
tns_entry "$(dns_ptrname 192.0.2.8)" PTR NOERROR \
    "8.2.0.192.in-addr.arpa. 300 IN CNAME 8.0/25.2.0.192.in-addr.arpa."
tns_entry 8.0/25.2.0.192.in-addr.arpa PTR NOERROR \
    "8.0/25.2.0.192.in-addr.arpa. 300 IN PTR host8.example.net."
tns_addr host8.example.net 192.0.2.8
# IPv6: 2001:db8::a is confirmed, 2001:db8::b is not.
tns_ptr 2001:db8::a v6host.example.net
tns_addr v6host.example.net 2001:db8::a
tns_ptr 2001:db8::b v6other.example.net
tns_addr v6other.example.net 2001:db8::ffff
# 192.0.2.10: asked 20 times at once; the upstream takes a second.
TNS_ADJUST=sleep=1 tns_ptr 192.0.2.10 conc.example.com
tns_addr conc.example.com 192.0.2.10
# 192.0.2.11: the cache.
tns_nx "$(dns_ptrname 192.0.2.11)" PTR
# 192.0.2.13: no PTR, then whitelisted.
tns_nx "$(dns_ptrname 192.0.2.13)" PTR
# 192.0.2.14: unconfirmed, and blacklisted.
tns_ptr 192.0.2.14 nowhere14.example.com
tns_nx nowhere14.example.com A
# 192.0.2.15: unconfirmed; 192.0.2.25: confirmed and dynamic.
tns_ptr 192.0.2.15 mail15.example.com
tns_addr mail15.example.com 198.51.100.215
tns_ptr 192.0.2.25 dhcp-192-0-2-25.pool.example.net
tns_addr dhcp-192-0-2-25.pool.example.net 192.0.2.25
# 192.0.2.16: rdnsblctl check/lookup/flush.
tns_ptr 192.0.2.16 dhcp-192-0-2-16.pool.example.net
tns_addr dhcp-192-0-2-16.pool.example.net 192.0.2.16
# 192.0.2.18: a held query over TCP (the upstream takes a second).
TNS_ADJUST=sleep=1 tns_nx "$(dns_ptrname 192.0.2.18)" PTR
# 192.0.2.19: cache expiry.
tns_nx "$(dns_ptrname 192.0.2.19)" PTR
# The RFC 5782 test points have entries too: a query would be visible.
tns_ptr 127.0.0.2 localhost
tns_ptr 127.0.0.1 localhost
tns_addr localhost 127.0.0.1
start_upstream "$TNS"

# The upstream sleeps 1 s for some entries: per try the daemon waits half
# of check-timeout, so that must be well over 2 s.
CHECK_TIMEOUT=4s
write_conf checks-base.conf.in
start_daemon

# listed NAME CODE DESC: NAME A answers exactly CODE.
listed()
{
	is "$(q +short +time=6 "$1" A)" "$2" "$3"
}

# not_listed NAME DESC: NXDOMAIN with the zone's negative TTL (120 s) on
# the SOA, i.e. a real "not listed", not the failure answer (failure-ttl).
not_listed()
{
	nl_o=$(q +time=6 "$1" A)
	is "$(dig_status "$nl_o")/$(soa_ttl "$nl_o")" NXDOMAIN/120 "$2"
}

R1=$(dns_ptrname 192.0.2.1)

# --- no-ptr ------------------------------------------------------------------
listed 1.2.0.192.bl.test 127.0.0.3 "192.0.2.1 without PTR (NXDOMAIN) is listed 127.0.0.3"
o=$(q 1.2.0.192.bl.test TXT)
is "$(dig_status "$o")/$(dig_count "$o" ANSWER)" NOERROR/1 \
    "192.0.2.1 TXT answers one record"
like "$(dig_section "$o" ANSWER)" \
    '^1\.2\.0\.192\.bl\.test\. 300 IN TXT "192\.0\.2\.1 is listed: [^"]*(reverse|PTR)[^"]*"$' \
    "192.0.2.1 TXT: the default template with a one-line no-ptr reason"
o=$(q 1.2.0.192.bl.test ANY)
is "$(dig_section "$o" ANSWER | awk '{ print $4 }' | sort | tr '\n' ' ')" "A TXT " \
    "192.0.2.1 ANY gives the A and the TXT"
is "$(q +short 1.2.0.192.fc.test A)" 127.0.0.3 "192.0.2.1 is listed 127.0.0.3 by fc.test"
is "$(upstream_count "$R1" PTR)" 1 \
    "192.0.2.1: one PTR query upstream for A, TXT, ANY and two zones"
is "$(dig_status "$(q 1.2.0.192.lenient.test A)")" NXDOMAIN \
    "192.0.2.1 is not listed by lenient.test (dynamic only)"
listed 2.2.0.192.bl.test 127.0.0.3 "192.0.2.2 with no PTR data (NODATA) is listed 127.0.0.3"
listed 6.2.0.192.bl.test 127.0.0.3 "192.0.2.6 whose PTR is an IP literal is listed 127.0.0.3"
is "$(upstream_count 192.0.2.6 A)" 0 "192.0.2.6: the literal PTR name is not looked up"

# --- unconfirmed ----------------------------------------------------------------
listed 3.2.0.192.bl.test 127.0.0.4 "192.0.2.3 whose PTR name does not exist is listed 127.0.0.4"
listed 4.2.0.192.bl.test 127.0.0.4 "192.0.2.4 whose PTR name resolves elsewhere is listed 127.0.0.4"
like "$(q +short 4.2.0.192.bl.test TXT)" \
    '^"192\.0\.2\.4 is listed: [^"]*elsewhere\.example\.com[^"]*"$' \
    "192.0.2.4 TXT names the PTR name"
is "$(upstream_count elsewhere.example.com A)" 1 "192.0.2.4: one A query for its name"

# --- confirmed ------------------------------------------------------------------
not_listed 5.2.0.192.fc.test "192.0.2.5 whose second PTR name confirms is not listed by fc.test"
not_listed 5.2.0.192.bl.test "192.0.2.5 is not listed by bl.test"
is "$(upstream_count other.example.org A)/$(upstream_count relay.example.com A)" 1/1 \
    "192.0.2.5: both PTR names were looked up"
ctl_ok "rdnsblctl check 192.0.2.5 --fresh exits 0" check 192.0.2.5 --fresh
c5=$CTL_OUT
like "$c5" "PTR 5\\.2\\.0\\.192\\.in-addr\\.arpa\\.?: other\\.example\\.org\\.?\$" \
    "check trace: the first PTR name"
like "$c5" "PTR 5\\.2\\.0\\.192\\.in-addr\\.arpa\\.?: relay\\.example\\.com\\.?\$" \
    "check trace: the second PTR name"
like "$c5" 'A other\.example\.org\.?: 198\.51\.100\.201$' "check trace: A of the first name"
like "$c5" 'A relay\.example\.com\.?: 192\.0\.2\.5$' "check trace: A of the second name"
like "$c5" 'other\.example\.org\.? does not confirm the address' \
    "check trace: the first name does not confirm"
like "$c5" 'relay\.example\.com\.? confirms the address' "check trace: the second name confirms"
like "$c5" '^ *verdict: pass' "check trace: verdict pass"
like "$c5" 'cached until ' "check trace: cached until"
is "$(printf '%s\n' "$c5" | tail -n1)" "192.0.2.5 pass" "check: the last line is \"ADDR VERDICT\""

# RFC 2317 classless delegation.
not_listed 7.2.0.192.bl.test "192.0.2.7 (RFC 2317 CNAME and PTR in one answer) is confirmed"
is "$(upstream_count host7.example.net A)" 1 "192.0.2.7: the PTR behind the CNAME was used"
not_listed 8.2.0.192.bl.test "192.0.2.8 (RFC 2317 CNAME, the PTR queried apart) is confirmed"
is "$(upstream_count 8.0/25.2.0.192.in-addr.arpa PTR)" 1 \
    "192.0.2.8: the CNAME target was queried for PTR"
is "$(upstream_count host8.example.net A)" 1 "192.0.2.8: its PTR name was confirmed"
ctl_ok "rdnsblctl check 192.0.2.8 --fresh exits 0" check 192.0.2.8 --fresh
like "$CTL_OUT" 'host8\.example\.net.*CNAME.*8\.0/25\.2\.0\.192\.in-addr\.arpa' \
    "check trace: the PTR name reached through the CNAME"
is "$(printf '%s\n' "$CTL_OUT" | tail -n1)" "192.0.2.8 pass" "check 192.0.2.8: pass"

# IPv6.
V6A=$(rev6 2001:db8::a)
V6B=$(rev6 2001:db8::b)
not_listed "$V6A.bl.test" "2001:db8::a (ip6.arpa PTR, AAAA confirms) is not listed"
is "$(upstream_count v6host.example.net AAAA)" 1 "2001:db8::a: AAAA asked for its name"
listed "$V6B.bl.test" 127.0.0.4 "2001:db8::b (AAAA elsewhere) is listed 127.0.0.4"
is "$(q6 +short "$V6B.bl.test" A)" 127.0.0.4 "2001:db8::b: the same on the IPv6 listener"
like "$(q +short "$V6B.bl.test" TXT)" '^"2001:db8::b is listed: ' \
    "2001:db8::b TXT starts with the compressed address"

# --- 20 concurrent queries, one check --------------------------------------------
t0=$(now_ms)
i=0
pids=
while [ $i -lt 20 ]; do
	q +time=8 10.2.0.192.bl.test A >"$work/conc.$i" &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do
	wait "$p"
done
t1=$(now_ms)
n=0
i=0
while [ $i -lt 20 ]; do
	o=$(cat "$work/conc.$i")
	[ "$(dig_status "$o")/$(soa_ttl "$o")" = NXDOMAIN/120 ] && n=$((n + 1))
	i=$((i + 1))
done
is "$n" 20 "20 concurrent queries for 192.0.2.10 are all answered \"not listed\""
is "$(upstream_count "$(dns_ptrname 192.0.2.10)" PTR)" 1 \
    "20 concurrent queries for 192.0.2.10: exactly one PTR query upstream"
is "$(upstream_count conc.example.com A)" 1 \
    "20 concurrent queries for 192.0.2.10: exactly one A query upstream"
ok "the 20 queries were held about 1 s, not 20 s ($((t1 - t0)) ms)" \
    test $((t1 - t0)) -lt 5000

# --- a held query over TCP, and on ::1 ------------------------------------------
t0=$(now_ms)
is "$(q +tcp +short +time=6 18.2.0.192.bl.test A)" 127.0.0.3 \
    "TCP: a query held for a check (upstream 1 s) is answered 127.0.0.3"
t1=$(now_ms)
ok "TCP: the held query waited for the upstream ($((t1 - t0)) ms)" \
    test $((t1 - t0)) -ge 900
is "$(q6 +tcp +short 18.2.0.192.bl.test TXT | grep -c 'is listed: ')" 1 \
    "TCP on ::1: the TXT from the cached verdict"

# --- the cache ---------------------------------------------------------------------
R11=$(dns_ptrname 192.0.2.11)
listed 11.2.0.192.bl.test 127.0.0.3 "192.0.2.11 is listed 127.0.0.3"
is "$(upstream_count "$R11" PTR)" 1 "192.0.2.11: one PTR query"
listed 11.2.0.192.bl.test 127.0.0.3 "192.0.2.11 is listed again"
is "$(q6 +short 11.2.0.192.strict.test A)" 127.0.0.3 "192.0.2.11 in strict.test over ::1"
is "$(upstream_count "$R11" PTR)" 1 "192.0.2.11: no new upstream query (cached)"

# --- manual entries over computed verdicts --------------------------------------------
listed 13.2.0.192.bl.test 127.0.0.3 "192.0.2.13 is listed 127.0.0.3 before the whitelist entry"
ctl_must add white 192.0.2.13 --reason "known good"
not_listed 13.2.0.192.bl.test "whitelisted 192.0.2.13 is no longer listed by bl.test"
not_listed 13.2.0.192.strict.test "whitelisted 192.0.2.13 is not listed by strict.test"
is "$(q +short 13.2.0.192.wl.test A)" 127.0.0.2 "192.0.2.13 is listed by wl.test"
ctl_must add white 192.0.2.15 --reason "known good"
not_listed 15.2.0.192.bl.test "whitelisted 192.0.2.15 (never checked) is not listed by bl.test"
not_listed 15.2.0.192.strict.test "whitelisted 192.0.2.15 is not listed by strict.test"
is "$(upstream_count "$(dns_ptrname 192.0.2.15)" PTR)" 0 \
    "whitelisted 192.0.2.15: no check is run"
ctl_must del white 192.0.2.15

ctl_must add black 192.0.2.14 --reason "seen spamming"
listed 14.2.0.192.bl.test 127.0.0.2 "blacklisted 192.0.2.14 is listed 127.0.0.2, not 127.0.0.4"
is "$(q +short 14.2.0.192.bl.test TXT)" '"192.0.2.14 is listed: seen spamming"' \
    "blacklisted 192.0.2.14 TXT gives the entry's reason"
is "$(upstream_count "$(dns_ptrname 192.0.2.14)" PTR)" 0 \
    "blacklisted 192.0.2.14: bl.test runs no check"
listed 14.2.0.192.strict.test 127.0.0.4 \
    "192.0.2.14 is listed 127.0.0.4 by strict.test (no blacklist check)"
listed 14.2.0.192.bl.test 127.0.0.2 \
    "192.0.2.14 is still 127.0.0.2 in bl.test once its verdict is cached"
is "$(dig_status "$(q 14.2.0.192.list.test A)")" NOERROR \
    "192.0.2.14 is listed by list.test (blacklist only)"

# --- zones with different checks ---------------------------------------------------------
listed 15.2.0.192.bl.test 127.0.0.4 "unconfirmed 192.0.2.15: bl.test lists 127.0.0.4"
listed 15.2.0.192.strict.test 127.0.0.4 "unconfirmed 192.0.2.15: strict.test lists 127.0.0.4"
not_listed 15.2.0.192.lenient.test "unconfirmed 192.0.2.15: lenient.test does not list it"
listed 15.2.0.192.fc.test 127.0.0.4 "unconfirmed 192.0.2.15: fc.test lists 127.0.0.4"
listed 25.2.0.192.bl.test 127.0.0.5 "dynamic 192.0.2.25: bl.test lists 127.0.0.5"
listed 25.2.0.192.strict.test 127.0.0.5 "dynamic 192.0.2.25: strict.test lists 127.0.0.5"
listed 25.2.0.192.lenient.test 127.0.0.5 "dynamic 192.0.2.25: lenient.test lists 127.0.0.5"
not_listed 25.2.0.192.fc.test "dynamic but confirmed 192.0.2.25: fc.test does not list it"
like "$(q +short 25.2.0.192.lenient.test TXT)" \
    '^"192\.0\.2\.25 is listed: .*dhcp-192-0-2-25\.pool\.example\.net.*\(rule s25r-1\)' \
    "dynamic 192.0.2.25 TXT names the PTR name and the rule"
is "$(upstream_count "$(dns_ptrname 192.0.2.15)" PTR)/$(upstream_count "$(dns_ptrname 192.0.2.25)" PTR)" \
    1/1 "one check each, shared by all zones"

# --- rdnsblctl check / lookup / flush ----------------------------------------------------
R16=$(dns_ptrname 192.0.2.16)
ctl_ok "lookup 192.0.2.16 before any check exits 0" lookup 192.0.2.16
like "$CTL_OUT" '^bl\.test dnsbl not-listed$' "lookup: bl.test not-listed before the check"
like "$CTL_OUT" '^  computed: not checked yet' "lookup: computed: not checked yet"
is "$(upstream_count "$R16" PTR)" 0 "lookup runs no check"
ctl_ok "check 192.0.2.16 (nothing cached) exits 0" check 192.0.2.16
like "$CTL_OUT" 'PTR 16\.2\.0\.192\.in-addr\.arpa\.?: dhcp-192-0-2-16\.pool\.example\.net' \
    "check trace: the PTR name"
like "$CTL_OUT" 'A dhcp-192-0-2-16\.pool\.example\.net\.?: 192\.0\.2\.16$' "check trace: its A"
like "$CTL_OUT" 'dhcp-192-0-2-16\.pool\.example\.net\.? confirms the address' \
    "check trace: confirms the address"
like "$CTL_OUT" 'dynamic: .*matches rule s25r-1' "check trace: the rule matched"
like "$CTL_OUT" 'verdict: dynamic: .*\(rule s25r-1\)' "check trace: the verdict line"
like "$CTL_OUT" 'cached until [0-9]' "check trace: cached until"
is "$(printf '%s\n' "$CTL_OUT" | tail -n1)" "192.0.2.16 dynamic" "check: last line 192.0.2.16 dynamic"
is "$(upstream_count "$R16" PTR)" 1 "check asked the upstream once"
ctl_ok "check 192.0.2.16 again exits 0" check 192.0.2.16
is "$(printf '%s\n' "$CTL_OUT" | head -n1)" \
    "192.0.2.16 dynamic (cached; --fresh looks it up again)" \
    "check without --fresh prints the cached verdict"
is "$(upstream_count "$R16" PTR)" 1 "the cached check asked nothing"
listed 16.2.0.192.bl.test 127.0.0.5 "the daemon answers 127.0.0.5 from the verdict rdnsblctl cached"
is "$(upstream_count "$R16" PTR)" 1 "the daemon used that cached verdict"
ctl_ok "lookup 192.0.2.16 exits 0" lookup 192.0.2.16
like "$CTL_OUT" '^bl\.test dnsbl listed 127\.0\.0\.5 dynamic$' "lookup: bl.test listed 127.0.0.5 dynamic"
like "$CTL_OUT" '^fc\.test dnsbl not-listed$' "lookup: fc.test not-listed"
like "$CTL_OUT" '^  computed: dynamic checked [^ ]+ cached until [^ ]+ ptr dhcp-192-0-2-16\.pool\.example\.net .*rule s25r-1' \
    "lookup: the computed line with the times, the PTR name and the rule"
like "$CTL_OUT" '^  txt: .*192\.0\.2\.16 is listed: .*s25r-1' "lookup: the TXT"
ctl_ok "check 192.0.2.16 --fresh exits 0" check 192.0.2.16 --fresh
is "$(upstream_count "$R16" PTR)" 2 "check --fresh asks the upstream again"
ctl_ok "flush 192.0.2.16 exits 0" flush 192.0.2.16
is "$CTL_OUT" "flushed 192.0.2.16" "flush ADDR says flushed"
ctl_ok "lookup 192.0.2.16 after flush exits 0" lookup 192.0.2.16
like "$CTL_OUT" '^  computed: not checked yet' "lookup after flush: not checked yet"
ctl_ok "flush 192.0.2.16 again exits 0" flush 192.0.2.16
is "$CTL_OUT" "no cached verdict for 192.0.2.16" "flush of an uncached address says so"
listed 16.2.0.192.bl.test 127.0.0.5 "after flush the daemon checks 192.0.2.16 again"
is "$(upstream_count "$R16" PTR)" 3 "after flush: a new upstream query"
ctl_ok "flush all exits 0" flush all
like "$CTL_OUT" '^flushed [1-9][0-9]* cached verdicts?$' "flush all says how many"
ctl_ok "log exits 0" log
like "$CTL_OUT" 'flush' "flush all is in the audit trail"
listed 11.2.0.192.bl.test 127.0.0.3 "after flush all 192.0.2.11 is checked again"
is "$(upstream_count "$R11" PTR)" 2 "after flush all: a new upstream query for 192.0.2.11"

# --- RFC 5782 test points are never checked -----------------------------------------------
for z in bl.test strict.test lenient.test fc.test sf.test; do
	is "$(q +short 2.0.0.127.$z A)" 127.0.0.2 "$z: test point 127.0.0.2 is listed 127.0.0.2"
	not_listed 1.0.0.127.$z "$z: test point 127.0.0.1 is not listed"
done
is "$(q +short "$(rev6 ::ffff:7f00:2).strict.test" A)" 127.0.0.2 \
    "strict.test: test point ::ffff:7f00:2 is listed"
not_listed "$(rev6 ::ffff:7f00:1).strict.test" "strict.test: test point ::ffff:7f00:1 is not listed"
is "$(upstream_count 1.0.0.127.in-addr.arpa PTR)/$(upstream_count 2.0.0.127.in-addr.arpa PTR)" \
    0/0 "no PTR query for a test point reached the upstream"
is "$(upstream_count "$(dns_ptrname ::ffff:7f00:1)" PTR)/$(upstream_count "$(dns_ptrname ::ffff:7f00:2)" PTR)" \
    0/0 "no PTR query for an IPv6 test point either"

stop_daemon

# --- the verdict cache expires after cache-ttl ---------------------------------------------
CACHE_TTL=2s
write_conf checks-base.conf.in
start_daemon
R19=$(dns_ptrname 192.0.2.19)
listed 19.2.0.192.bl.test 127.0.0.3 "cache-ttl 2s: 192.0.2.19 is listed 127.0.0.3"
listed 19.2.0.192.strict.test 127.0.0.3 "cache-ttl 2s: and again at once"
is "$(upstream_count "$R19" PTR)" 1 "cache-ttl 2s: one upstream query within the TTL"
ctl_ok "lookup 192.0.2.19 exits 0" lookup 192.0.2.19
like "$CTL_OUT" '^  computed: no-ptr checked ' "lookup shows the cached no-ptr verdict"
sleep 3
ctl_ok "lookup 192.0.2.19 after 3 s exits 0" lookup 192.0.2.19
like "$CTL_OUT" '^  computed: not checked yet' "lookup: the expired verdict is gone"
listed 19.2.0.192.bl.test 127.0.0.3 "cache-ttl 2s: 192.0.2.19 after 3 s is still listed"
is "$(upstream_count "$R19" PTR)" 2 "cache-ttl 2s: after 3 s the query went upstream again"

stop_daemon
done_testing
