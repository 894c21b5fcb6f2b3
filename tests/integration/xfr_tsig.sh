#!/bin/sh
# SPDX-License-Identifier: ISC
# xfr_tsig.sh -- TSIG (RFC 8945) on zone transfers and NOTIFY: NSD and
# Knot, each configured with the key, transfer bl.test from rdnsbld, whose
# allow-transfer asks for that key, and answer it; an add reaches both by
# a NOTIFY signed with the key (their allow-notify asks for it too). dig
# with the key transfers and its answer verifies; without it, with a
# wrong secret, an unknown key, another key, or from an address not
# allowed, the transfer is refused (REFUSED or NOTAUTH). Signed ordinary
# queries over UDP and TCP get signed answers. An NSD with a wrong secret
# gets no zone, and its NOTAUTH to the NOTIFY is logged.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool nsd
need_tool knotd
need_programs

KEY=4B/dh417sdOWi9RxfOE3I3bbX3RKUhXVDpGqBhe3O2Y=
OTHER=kNFO4piTAnwfo54BRN2uwx1e9kxHx1OwlydfDYJlKgE=
WRONG=c2VjcmV0IG9mIG5vYm9keSBhdCBhbGwgaW4gdGhpcyB0ZXN0IQ==

# the secondaries' ports (NSD, Knot, an NSD with a wrong secret), then
# rdnsbld's, which NOTIFYs them
pick_port
NPORT=$PORT
pick_port_not "$NPORT"
KPORT=$PORT
pick_port_not "$NPORT" "$KPORT"
BPORT=$PORT
pick_port_not "$NPORT" "$KPORT" "$BPORT"
write_conf xfr_tsig.conf.in
sed -i "s/^\(	allow-transfer: 127.0.0.1 key xfr-key\)\$/\1\n	notify: 127.0.0.1@$NPORT, 127.0.0.1@$KPORT key xfr-key\n	notify: 127.0.0.1@$BPORT key xfr-key/" "$CONF"
ok "the zone NOTIFYs with the key" grep -q "notify: .*@$KPORT key xfr-key" \
    "$CONF"

# and 3000 addresses, so that a transfer takes several messages
{
	printf '10.0.0.0/24 :127.0.0.3:a range\n192.0.2.1 :127.0.0.2:one: $\n'
	awk 'BEGIN { for (i = 0; i < 3000; i++)
		printf "10.2.%d.%d many\n", i / 200, i % 200 }'
} >"$work/black.txt"
ctl_ok "import black" import black "$work/black.txt"
ctl_ok "white" add white 10.0.0.7 --reason customer
start_daemon

# --- dig: a transfer and queries with and without the key -------------------
axfr() {	# ARGS...: dig AXFR of bl.test, one try
	dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 "$@" bl.test AXFR 2>&1
}
o=$(axfr -y "hmac-sha256:xfr-key:$KEY")
is "$(printf '%s\n' "$o" | grep -c 'IN[[:space:]]*SOA')" 2 \
    "dig with the key transfers bl.test (two SOAs)"
like "$o" '\*\.0\.0\.10\.bl\.test\.[[:space:]].*A[[:space:]]+127\.0\.0\.3' \
    "... with its records"
like "$o" 'xfr-key\.[[:space:]].*TSIG[[:space:]]+hmac-sha256\.' \
    "... every message signed with the key"
unlike "$o" 'tsig verify failure|Transfer failed|expected a TSIG' \
    "... and dig verifies the signatures"
n=$(printf '%s\n' "$o" | sed -n 's/.*XFR size: .*(messages \([0-9]*\),.*/\1/p')
ok "... of several messages, each MAC chained to the one before ($n)" \
    [ "${n:-0}" -gt 2 ]
is "$(printf '%s\n' "$o" | grep -c 'TSIG[[:space:]]*hmac-sha256')" "$n" \
    "... each of them signed"
o=$(axfr -y "hmac-sha256:xfr-key:$KEY" +tcp)
ok "a second signed transfer works too" \
    [ "$(printf '%s\n' "$o" | grep -c 'IN[[:space:]]*SOA')" -eq 2 ]

o=$(axfr)
like "$o" 'Transfer failed|REFUSED' "without the key: refused"
unlike "$o" 'IN[[:space:]]*SOA' "... and no record of the zone"
o=$(axfr -y "hmac-sha256:xfr-key:$WRONG")
like "$o" 'NOTAUTH|Transfer failed|tsig' "a wrong secret: NOTAUTH"
unlike "$o" '127\.0\.0\.3' "... and no record of the zone"
ok "... logged as BADSIG" await_log 'tsig: query from 127.0.0.1 with key xfr-key: BADSIG'
o=$(axfr -y "hmac-sha256:nobody-key:$KEY")
unlike "$o" '127\.0\.0\.3' "an unknown key: no record of the zone"
ok "... logged as BADKEY" await_log 'tsig: query from 127.0.0.1 with key nobody-key: BADKEY'
o=$(axfr -y "hmac-sha256:xfr-key:$KEY" -b 127.0.0.2)
like "$o" 'Transfer failed|REFUSED' \
    "the key from an address not allowed: refused"
unlike "$o" '127\.0\.0\.3|tsig verify failure' \
    "... signed, and no record of the zone"
o=$(axfr -y "hmac-sha512:other-key:$OTHER")
like "$o" 'Transfer failed|REFUSED' "another key rdnsbld knows: refused"
unlike "$o" '127\.0\.0\.3|tsig verify failure' "... signed, and no record"
ok "the refusals name the key" grep -q \
    'AXFR of zone bl.test from 127.0.0.1 with key other-key refused (allow-transfer)' \
    "$work/log"
o=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 \
    -y "hmac-sha512:other-key:$OTHER" wl.test AXFR 2>&1)
is "$(printf '%s\n' "$o" | grep -c 'IN[[:space:]]*SOA')" 2 \
    "a zone that names no key transfers with any key rdnsbld knows"
unlike "$o" 'tsig verify failure|Transfer failed' "... signed with it"
o=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 wl.test AXFR 2>&1)
is "$(printf '%s\n' "$o" | grep -c 'IN[[:space:]]*SOA')" 2 \
    "... and unsigned"

for t in +notcp +tcp; do
	o=$(q -y "hmac-sha256:xfr-key:$KEY" $t 1.2.0.192.bl.test TXT)
	is "$(dig_status "$o")" NOERROR "a signed query ($t): answered"
	like "$o" '"listed: one: 192\.0\.2\.1"' "... with the listing"
	like "$o" 'TSIG PSEUDOSECTION' "... signed"
	unlike "$o" 'tsig verify failure|failure' "... and dig verifies it"
	o=$(q -y "hmac-sha256:xfr-key:$WRONG" $t bl.test SOA)
	like "$o" 'NOTAUTH|tsig' "a query with a wrong secret ($t): NOTAUTH"
	unlike "$o" 'IN[[:space:]]+SOA[[:space:]]+ns' "... without the answer"
done
# A TSIG record that is not the last one of the query: FORMERR. The
# query: "bl.test SOA" with ARCOUNT 2, a TSIG record (garbage MAC) then
# an OPT record.
tsig_rr=077866722d6b65790000fa00ff0000000000210b686d61632d7368613235\
3600000000000000012c0004deadbeef123400000000
opt_rr="00002910000000000000"
pkt="12340000000100000000000202626c04746573740000060001$tsig_rr$opt_rr"
like "$(rawq udp "$pkt")" 'rcode=1 ' "a TSIG record not last: FORMERR"
# the same TSIG last, but its rdata cut short: FORMERR
bad_rr=077866722d6b65790000fa00ff0000000000100b686d61632d7368613235\
3600000000
pkt="12340000000100000000000102626c04746573740000060001$bad_rr"
like "$(rawq udp "$pkt")" 'rcode=1 ' "a TSIG record cut short: FORMERR"

# --- the secondaries, with the key ----------------------------------------
NSD_DIR="$work/nsd"
KNOT_DIR="$work/knot"
start_nsd "$NSD_DIR" "$NPORT" "xfr-key:hmac-sha256:$KEY" bl.test
start_knot "$KNOT_DIR" "$KPORT" "xfr-key:hmac-sha256:$KEY" bl.test
start_nsd "$work/nsd-bad" "$BPORT" "xfr-key:hmac-sha256:$WRONG" bl.test
# what the NSD with the wrong secret brings about
expect_log "refused the NOTIFY of zone bl.test signed with key xfr-key"

serial_of() {	# port zone
	dig @127.0.0.1 -p "$1" +tries=1 +time=2 +short "$2" SOA 2>/dev/null |
	    awk '{ print $3 }'
}
# wait_serial PORT: until the secondary on PORT serves rdnsbld's serial
# of bl.test (~20 s)
wait_serial() {
	ws_want=$(serial_of "$PORT" bl.test)
	i=0
	while [ $i -lt 100 ]; do
		[ "$(serial_of "$1" bl.test)" = "$ws_want" ] && return 0
		sleep 0.2
		i=$((i + 1))
	done
	diag "port $1 serves serial $(serial_of "$1" bl.test), rdnsbld $ws_want"
	sed 's/^/# log: /' "$NSD_DIR/nsd.log" "$NSD_DIR/stdout" \
	    "$KNOT_DIR/knot.log" 2>/dev/null | tail -20
	return 1
}
ok "NSD transferred bl.test with the key" wait_serial "$NPORT"
ok "Knot transferred bl.test with the key" wait_serial "$KPORT"
ok "rdnsbld logged the signed transfers" \
    grep -q 'AXFR of zone bl.test serial .* to 127.0.0.1' "$work/log"
for p in "$NPORT" "$KPORT"; do
	o=$(dig @127.0.0.1 -p "$p" +tries=1 +time=2 +short 1.2.0.192.bl.test TXT)
	is "$o" '"listed: one: 192.0.2.1"' "the secondary on $p answers the zone"
	o=$(dig @127.0.0.1 -p "$p" +tries=1 +time=2 +short 7.0.0.10.bl.test A)
	is "$o" "" "... and a white entry inside a range as not listed"
done

# sends NAME WANT PORT: the secondary on PORT answers NAME A with WANT
# within 2 s
says() {
	i=0
	while [ $i -lt 20 ]; do
		a=$(dig @127.0.0.1 -p "$3" +tries=1 +time=1 +short "$1" A 2>&1)
		[ "$a" = "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	diag "port $3 answers $1: $a"
	return 1
}
s1=$(serial_of "$NPORT" bl.test)
ctl_ok "add after the transfer" add black 203.0.113.9 --reason late
ok "a signed NOTIFY makes NSD transfer within 2 s" \
    says 9.113.0.203.bl.test 127.0.0.2 "$NPORT"
ok "... and Knot" says 9.113.0.203.bl.test 127.0.0.2 "$KPORT"
s2=$(serial_of "$NPORT" bl.test)
ok "NSD's serial changed ($s1 -> $s2)" [ "$s2" != "$s1" ]
is "$(serial_of "$KPORT" bl.test)" "$s2" "... and Knot's with it"
# bl.test's allow-transfer asks for the key: an increment served is a
# signed one, and the secondaries verified it (no bad signature below)
is "$(grep -Ec "IXFR of zone bl.test serial $s1->$s2 to 127.0.0.1: 0 deleted, [1-9][0-9]* added" "$work/log")" \
    2 "NSD and Knot each got the add by a signed increment (IXFR)"
o=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 \
    -y "hmac-sha256:xfr-key:$KEY" bl.test "IXFR=$s1" 2>&1)
like "$o" '9\.113\.0\.203\.bl\.test\.[[:space:]].*A[[:space:]]+127\.0\.0\.2' \
    "dig's signed IXFR from the old serial: the added record"
is "$(printf '%s\n' "$o" | grep -c 'IN[[:space:]]*SOA')" 4 \
    "... as one increment (four SOAs: new, old, new, new)"
like "$o" 'xfr-key\.[[:space:]].*TSIG[[:space:]]+hmac-sha256\.' "... signed"
unlike "$o" 'tsig verify failure|Transfer failed|expected a TSIG' \
    "... and dig verifies it"
o=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 bl.test "IXFR=$s1" 2>&1)
unlike "$o" '9\.113\.0\.203\.bl\.test\.[[:space:]]' \
    "the same IXFR without the key: no records"
ok "NSD answered the signed NOTIFY" grep -q \
    "NOTIFY of zone bl.test to 127.0.0.1@$NPORT answered" "$work/log"
ok "... and Knot" grep -q \
    "NOTIFY of zone bl.test to 127.0.0.1@$KPORT answered" "$work/log"
ok "the NSD with a wrong secret refused the NOTIFY, and rdnsbld says so" \
    await_log "127.0.0.1@$BPORT refused the NOTIFY of zone bl.test signed with key xfr-key \\(NOTAUTH\\)"
is "$(serial_of "$BPORT" bl.test)" "" "... and has no zone: its transfers fail"
unlike "$(cat "$NSD_DIR/nsd.log" "$KNOT_DIR/knot.log")" \
    'BADSIG|BADKEY|BADTIME|bad signature|failed to verify|TSIG.*(error|fail)' \
    "neither secondary found a bad signature"

stop_daemon
done_testing
