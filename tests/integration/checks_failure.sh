#!/bin/sh
# SPDX-License-Identifier: ISC
# checks_failure.sh -- a temporary DNS failure is never a listing: PTR
# SERVFAIL / REFUSED, a silent upstream (answered within check-timeout),
# forward lookups that fail after a good PTR; the failure answer is
# NXDOMAIN with the SOA TTL min(failure-ttl, negative-ttl), or SERVFAIL in
# a zone with on-lookup-failure: servfail; the unknown verdict is kept for
# failure-ttl only; over max-checks the failure answer comes at once; the
# daemon answers everything that needs no check while checks hang.

. "$top_srcdir/tests/integration/lib.sh"

# --- the fake internet ------------------------------------------------------
tns_begin
tns_rcode "$(dns_ptrname 203.0.113.1)" PTR SERVFAIL
tns_rcode "$(dns_ptrname 203.0.113.2)" PTR REFUSED
# 203.0.113.3, .13, .14, .6: no entry, no reply (a silent upstream).
tns_ptr 203.0.113.4 good4.example.com
tns_rcode good4.example.com A SERVFAIL
tns_rcode "$(dns_ptrname 203.0.113.5)" PTR SERVFAIL
tns_nx "$(dns_ptrname 203.0.113.7)" PTR
# 203.0.113.8: one name resolves elsewhere, the other fails: unknown.
tns_ptr 203.0.113.8 away8.example.com fail8.example.com
tns_addr away8.example.com 198.51.100.8
tns_rcode fail8.example.com A SERVFAIL
# 203.0.113.9: the forward lookup is REFUSED.
tns_ptr 203.0.113.9 good9.example.com
tns_rcode good9.example.com A REFUSED
# 203.0.113.10: the forward lookup gets no reply.
tns_ptr 203.0.113.10 silent10.example.com
tns_rcode "$(dns_ptrname 2001:db8:f::1)" PTR SERVFAIL
# 203.0.113.11: three lookups (an RFC 2317 CNAME, its target, the A) that
# each first go to a silent server (run 3).
tns_entry "$(dns_ptrname 203.0.113.11)" PTR NOERROR \
    "11.113.0.203.in-addr.arpa. 300 IN CNAME 11.0/26.113.0.203.in-addr.arpa."
tns_entry 11.0/26.113.0.203.in-addr.arpa PTR NOERROR \
    "11.0/26.113.0.203.in-addr.arpa. 300 IN PTR dhcp11.example.com."
tns_addr dhcp11.example.com 203.0.113.11
start_upstream "$TNS"
GOOD_PORT=$UPORT
GOOD_LOG=$ULOG

# failure NAME DESC [DIG-ARGS]: the failure answer of bl.test: NXDOMAIN,
# no answer, the SOA with TTL $WANT_TTL.
failure()
{
	fl_o=$(q +time=4 $3 "$1" A)
	is "$(dig_status "$fl_o")/$(dig_count "$fl_o" ANSWER)/$(soa_ttl "$fl_o")" \
	    "NXDOMAIN/0/$WANT_TTL" "$2"
}

# between LO N HI: LO <= N < HI.
between()
{
	[ "$2" -ge "$1" ] && [ "$2" -lt "$3" ]
}

# servfail NAME DESC
servfail()
{
	is "$(dig_status "$(q +time=4 "$1" A)")" SERVFAIL "$2"
}

# --- run 1: failure-ttl 7s, negative-ttl 2m, check-timeout 3s ----------------------
# (3 s: the answers that need no check must come while the held ones
# wait, with room to spare on a loaded machine)
CHECK_TIMEOUT=3s
FAILURE_TTL=7s
NEGTTL=2m
WANT_TTL=7
write_conf checks-base.conf.in
start_daemon

failure 1.113.0.203.bl.test "PTR SERVFAIL: NXDOMAIN, SOA TTL 7 = min(failure-ttl 7s, negative-ttl 2m)"
o=$(q 1.113.0.203.bl.test TXT)
is "$(dig_status "$o")/$(dig_count "$o" ANSWER)" NXDOMAIN/0 "PTR SERVFAIL: no TXT either"
servfail 1.113.0.203.sf.test "PTR SERVFAIL: SERVFAIL in the on-lookup-failure: servfail zone"
ctl_ok "lookup 203.0.113.1 exits 0" lookup 203.0.113.1
like "$CTL_OUT" '^bl\.test dnsbl not-listed$' "lookup: 203.0.113.1 not listed by bl.test"
like "$CTL_OUT" '^  computed: unknown checked ' "lookup: 203.0.113.1 computed: unknown"
ctl_ok "check 203.0.113.1 --fresh exits 0" check 203.0.113.1 --fresh
like "$CTL_OUT" 'PTR 1\.113\.0\.203\.in-addr\.arpa\.?: .*(SERVFAIL|servfail)' \
    "check trace: the PTR lookup failed with SERVFAIL"
is "$(printf '%s\n' "$CTL_OUT" | tail -n1)" "203.0.113.1 unknown" "check 203.0.113.1: unknown"

failure 2.113.0.203.bl.test "PTR REFUSED: NXDOMAIN, SOA TTL 7"
servfail 2.113.0.203.sf.test "PTR REFUSED: SERVFAIL in sf.test"
failure "$(rev6 2001:db8:f::1).bl.test" "IPv6 PTR SERVFAIL: NXDOMAIN, SOA TTL 7"

failure 4.113.0.203.bl.test \
    "A SERVFAIL after a good PTR: NXDOMAIN TTL 7 (unknown), not 127.0.0.4"
servfail 4.113.0.203.sf.test "A SERVFAIL after a good PTR: SERVFAIL in sf.test"
ctl_ok "lookup 203.0.113.4 exits 0" lookup 203.0.113.4
like "$CTL_OUT" '^  computed: unknown checked .* ptr good4\.example\.com' \
    "lookup 203.0.113.4: unknown, with the PTR name"
failure 8.113.0.203.bl.test \
    "one PTR name elsewhere, the other's A SERVFAIL: unknown, not unconfirmed"
failure 9.113.0.203.bl.test "A REFUSED after a good PTR: unknown, not unconfirmed"

# Silent upstream: queries held in the background, timed, while the
# daemon answers everything that needs no check.
ctl_must add black 203.0.113.100 --reason "listed by hand"
held()
{
	(
		h0=$(now_ms)
		q +time=5 $3 "$1" A >"$work/held.$2"
		h1=$(now_ms)
		echo $((h1 - h0)) >"$work/held.$2.ms"
	) &
	HELD_PIDS="$HELD_PIDS $!"
}
HELD_PIDS=
held 3.113.0.203.bl.test 3
held 13.113.0.203.sf.test 13
held 14.113.0.203.bl.test 14 +tcp
held 10.113.0.203.bl.test 10
sleep 0.3
t0=$(now_ms)
is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 "while checks hang: test point 127.0.0.2 listed"
is "$(dig_status "$(q 1.0.0.127.bl.test A)")" NXDOMAIN "while checks hang: test point 127.0.0.1 not listed"
is "$(q +short 100.113.0.203.bl.test A)" 127.0.0.2 "while checks hang: blacklisted 203.0.113.100 listed"
is "$(q +short 100.113.0.203.list.test TXT)" '"203.0.113.100 is listed: listed by hand"' \
    "while checks hang: list.test TXT"
is "$(dig_status "$(q 200.113.0.203.list.test A)")" NXDOMAIN \
    "while checks hang: list.test (no computed check) answers NXDOMAIN"
is "$(dig_status "$(q +tcp bl.test SOA)")" NOERROR "while checks hang: the apex SOA over TCP"
t1=$(now_ms)
# not a time limit: none of the held queries may have been answered yet
held_done=
for n in 3 13 14 10; do
	[ -e "$work/held.$n.ms" ] && held_done="$held_done $n"
done
is "$held_done" "" \
    "while checks hang: those 6 answers ($((t1 - t0)) ms) came before the held ones"
for p in $HELD_PIDS; do
	wait "$p"
done
for n in 3 14 10; do
	o=$(cat "$work/held.$n")
	ms=$(cat "$work/held.$n.ms")
	is "$(dig_status "$o")/$(dig_count "$o" ANSWER)/$(soa_ttl "$o")" NXDOMAIN/0/7 \
	    "silent upstream: 203.0.113.$n gets the failure answer (NXDOMAIN, TTL 7)"
	ok "silent upstream: 203.0.113.$n answered at check-timeout, in $ms ms (2500-4900)" \
	    between 2500 "$ms" 4900
done
is "$(dig_status "$(cat "$work/held.13")")" SERVFAIL "silent upstream: sf.test answers SERVFAIL"
ok "silent upstream: sf.test answered at check-timeout, in $(cat "$work/held.13.ms") ms (2500-4900)" \
    between 2500 "$(cat "$work/held.13.ms")" 4900
is "$(upstream_count "$(dns_ptrname 203.0.113.3)" PTR | awk '{ print ($1 > 0) }')" 1 \
    "silent upstream: the PTR query for 203.0.113.3 was sent"
ctl_ok "lookup 203.0.113.3 exits 0" lookup 203.0.113.3
like "$CTL_OUT" '^bl\.test dnsbl not-listed$' "lookup: 203.0.113.3 is not listed"
failure 3.113.0.203.bl.test "silent upstream: 203.0.113.3 asked again: still the failure answer"

stop_daemon

# --- run 2: failure-ttl 2s, max-checks 1, check-timeout 2s ---------------------------
CHECK_TIMEOUT=2s
FAILURE_TTL=2s
MAX_CHECKS=1
WANT_TTL=2
write_conf checks-base.conf.in
start_daemon

R5=$(dns_ptrname 203.0.113.5)
failure 5.113.0.203.bl.test "failure-ttl 2s: PTR SERVFAIL gives NXDOMAIN, SOA TTL 2"
n1=$(upstream_count "$R5" PTR)
ok "failure-ttl 2s: the PTR was asked ($n1 queries)" test "$n1" -ge 1
failure 5.113.0.203.bl.test "failure-ttl 2s: asked again at once: the failure answer"
is "$(upstream_count "$R5" PTR)" "$n1" "failure-ttl 2s: the unknown verdict is cached briefly"
sleep 3
failure 5.113.0.203.bl.test "failure-ttl 2s: after 3 s still the failure answer"
n2=$(upstream_count "$R5" PTR)
ok "failure-ttl 2s: after 3 s the PTR is asked again ($n1 -> $n2 queries)" test "$n2" -gt "$n1"

# max-checks 1: one silent check holds the only slot.
HELD_PIDS=
held 6.113.0.203.bl.test 6
sleep 0.3
t0=$(now_ms)
failure 7.113.0.203.bl.test "max-checks 1: another address gets the failure answer"
t1=$(now_ms)
ok "max-checks 1: ... at once ($((t1 - t0)) ms), while the held one still waits" \
    test ! -e "$work/held.6.ms"
servfail 7.113.0.203.sf.test "max-checks 1: SERVFAIL in sf.test"
is "$(upstream_count "$(dns_ptrname 203.0.113.7)" PTR)" 0 \
    "max-checks 1: no lookup was started for 203.0.113.7"
is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 "max-checks 1: the test point is still answered"
is "$(q +short 100.113.0.203.bl.test A)" 127.0.0.2 "max-checks 1: a blacklisted address is still answered"
for p in $HELD_PIDS; do
	wait "$p"
done
o=$(cat "$work/held.6")
is "$(dig_status "$o")/$(soa_ttl "$o")" NXDOMAIN/2 "max-checks 1: the held query got the failure answer"
ok "max-checks 1: the held query was answered at check-timeout, in $(cat "$work/held.6.ms") ms (1500-4900)" \
    between 1500 "$(cat "$work/held.6.ms")" 4900
sleep 2.5
is "$(q +short +time=4 7.113.0.203.bl.test A)" 127.0.0.3 \
    "max-checks 1: once the slot is free, 203.0.113.7 is checked: 127.0.0.3"

stop_daemon

# --- run 3: the check goes on after check-timeout and caches its verdict ---------------
# Two resolvers, a silent one first: each question waits half of what is
# left on the silent one, then the good one answers. check-timeout 4s:
# the PTR and its CNAME target are in at ~3 s, the A at ~5 s; the DNS
# query gets the failure answer at 4 s, the verdict is cached at ~5 s.
: >"$work/silent.testns"
start_upstream "$work/silent.testns"
UPORT2=$UPORT
SILENT_LOG=$ULOG
UPORT=$GOOD_PORT
sed 's/^\(.\)resolver: .*/\1resolver: 127.0.0.1@@UPORT2@\
&/' "$DATA/checks-base.conf.in" >"$work/checks-two.conf.in"
DATA=$work
CHECK_TIMEOUT=4s
FAILURE_TTL=7s
MAX_CHECKS=1000
WANT_TTL=7
write_conf checks-two.conf.in
like "$(grep 'resolver:' "$CONF")" "resolver: 127\\.0\\.0\\.1@$UPORT2\$" "run 3: the silent resolver is first"
start_daemon
t0=$(now_ms)
failure 11.113.0.203.bl.test "slow lookups: the query gets the failure answer (TTL 7)" +time=8
t1=$(now_ms)
# the check's own end (~5 s) would have given 127.0.0.5, not the failure
ok "slow lookups: ... after check-timeout ($((t1 - t0)) ms, 3500-7900)" \
    between 3500 $((t1 - t0)) 7900
sleep 2
ctl_ok "lookup 203.0.113.11 exits 0" lookup 203.0.113.11
like "$CTL_OUT" '^  computed: dynamic checked .*rule s25r-6' \
    "slow lookups: the check went on and cached its verdict (dynamic)"
n=$(upstream_count dhcp11.example.com A "$GOOD_LOG")
t0=$(now_ms)
is "$(q +short 11.113.0.203.bl.test A)" 127.0.0.5 \
    "slow lookups: the next query is answered 127.0.0.5 from the cache"
t1=$(now_ms)
ok "slow lookups: ... at once ($((t1 - t0)) ms < 1500; a check would take 2 s)" \
    test $((t1 - t0)) -lt 1500
is "$(upstream_count dhcp11.example.com A "$GOOD_LOG")" "$n" \
    "slow lookups: no new upstream query"
is "$(upstream_count dhcp11.example.com A "$SILENT_LOG")" 1 \
    "slow lookups: the silent resolver was asked first"

stop_daemon
done_testing
