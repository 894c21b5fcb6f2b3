#!/bin/sh
# SPDX-License-Identifier: ISC
# rrl.sh -- response rate limiting (rate-limit:): a burst from one source
# is limited to the rate, the answers over it dropped and every
# rate-limit-slip-th sent truncated (TC); a source on rate-limit-exempt is
# answered in full though it shares the /24; other clients (another /24,
# IPv6, TCP) are answered throughout a flood, and a slip to a signed query
# is signed; the counts in /metrics match
# what the client saw. Loopback is exempt by default. The answers to
# queries held for a check are limited when they go out.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_tool perl
need_programs
BURST="$top_srcdir/tests/integration/burst.pl"

write_conf base.conf.in
sed -i 's/^\tverbosity: 1$/\tverbosity: 2/' "$CONF"
cat >>"$CONF" <<EOF2
http:
	listen: 127.0.0.1@$HPORT
	allow-metrics: 127.0.0.0/8
EOF2
start_daemon
cp "$CONF" "$work/base.conf"
URL="http://127.0.0.1:$HPORT"
ctl_must add black 192.0.2.0/24 --reason "rrl"
NAME=9.2.0.192.bl.test

metric()
{
	curl -s "$URL/metrics" | awk -v k="$1" '$1 == k { print $2 }'
}

# burst SRC COUNT [SECONDS]: sets SENT, ANS, TC
burst()
{
	set -- $(perl "$BURST" "$1" "$PORT" "$NAME" "$2" ${3:-0})
	SENT=$2 ANS=$4 TC=$6
}

# --- the default: loopback is exempt -------------------------------------
burst 127.0.0.2 500
is "$ANS/$TC" "500/0" "default (rate 200, loopback exempt): 500 in a burst all answered"

# --- 20 a second, slip 2, 127.0.0.9 exempt ---------------------------------
KEY=4B/dh417sdOWi9RxfOE3I3bbX3RKUhXVDpGqBhe3O2Y=
cat "$work/base.conf" - >"$CONF" <<EOF2
server:
	rate-limit: 20
	rate-limit-slip: 2
	rate-limit-exempt: 127.0.0.9, 127.0.3.0/24
key:
	name: rrl-key
	algorithm: hmac-sha256
	secret: $KEY
EOF2
kill -HUP "$PID"
ok "the reload is applied" await_log "^rdnsbld: reloaded $CONF"

burst 127.0.0.2 300
# one burst falls in one second or two: 20 to 40 answered in full
ok "a burst of 300 from 127.0.0.2: 20 to 40 answered in full ($ANS)" \
    test "$ANS" -ge 20 -a "$ANS" -le 40
over=$((300 - ANS))
ok "slip 2: half of the $over over sent truncated ($TC)" \
    test "$TC" -ge $((over / 2 - 1)) -a "$TC" -le $((over / 2 + 1))
is "$(metric 'rdnsbl_rate_limited_total{action="slipped"}')" "$TC" \
    "/metrics: the truncated answers counted"
is "$(metric 'rdnsbl_rate_limited_total{action="dropped"}')" \
    "$((300 - ANS - TC))" "/metrics: the dropped ones counted"
ok "the limit is logged" \
    await_log '^rdnsbld: rrl: 127\.0\.0\.0/24 over 20 answers a second: limited$'

burst 127.0.0.9 300
is "$ANS/$TC" "300/0" "127.0.0.9 (exempt, in the same /24): 300 all answered"
burst 127.0.3.7 300
is "$ANS/$TC" "300/0" "127.0.3.7 (in an exempt /24): 300 all answered"

# --- a flood of 3 s from 127.0.0.2 while others ask ----------------------
perl "$BURST" 127.0.0.2 "$PORT" "$NAME" 1500 3 >"$work/flood.out" 2>&1 &
FPID=$!
UPIDS="$UPIDS $FPID"
sleep 0.5
bad=
for i in 1 2 3 4 5 6 7 8 9 10; do
	a=$(dig @127.0.0.1 -p "$PORT" -b 127.0.1.5 +tries=1 +time=2 +short \
	    $NAME A 2>&1)
	[ "$a" = 127.0.0.2 ] || bad="$bad 127.0.1.5:$i:$a"
	a=$(dig @::1 -p "$PORT" +tries=1 +time=2 +short $NAME A 2>&1)
	[ "$a" = 127.0.0.2 ] || bad="$bad ::1:$i:$a"
	sleep 0.2
done
is "$bad" "" "during the flood: another /24 and IPv6 answered, 10 of 10 each"
a=$(dig @127.0.0.1 -p "$PORT" -b 127.0.0.2 +tcp +tries=1 +time=2 +short \
    $NAME A 2>&1)
is "$a" 127.0.0.2 "during the flood: the flooding source answered over TCP"
wait "$FPID"
set -- $(cat "$work/flood.out")
ok "the flood of 1500 in 3 s: at most 20 a second answered ($4), some truncated ($6)" \
    test "$4" -le 100 -a "$6" -gt 0
# signed queries from a flooding source: a slip is signed too, so that
# the client can trust its TC (dig +ignore: no retry over TCP)
perl "$BURST" 127.0.0.2 "$PORT" "$NAME" 1000 2 >"$work/flood2.out" 2>&1 &
FPID=$!
UPIDS="$UPIDS $FPID"
sleep 0.5
i=0 dpids=
while [ $i -lt 16 ]; do
	dig @127.0.0.1 -p "$PORT" -b 127.0.0.2 +notcp +ignore +tries=1 +time=1 \
	    -y "hmac-sha256:rrl-key:$KEY" $NAME A >"$work/signed.$i" 2>&1 &
	dpids="$dpids $!"
	i=$((i + 1))
done
wait $dpids
tc=$(grep -l 'flags: qr aa tc' "$work"/signed.* | wc -l)
ok "during the flood: signed queries slipped, answered with TC ($tc of 16)" \
    test "$tc" -gt 0 || sed 's/^/# /' "$work/signed.0"
signed=$(grep -l 'flags: qr aa tc' "$work"/signed.* |
    xargs grep -l 'TSIG PSEUDOSECTION' | wc -l)
is "$signed" "$tc" "... every slip signed"
is "$(cat "$work"/signed.* | grep -c 'tsig verify failure\|expected a TSIG')" 0 \
    "... and dig verifies every signature"
wait "$FPID"

# --- rate-limit: 0 turns it off --------------------------------------------
cat "$work/base.conf" - >"$CONF" <<EOF2
server:
	rate-limit: 0
EOF2
kill -HUP "$PID"
ok "the second reload is applied" await_reloads 2
burst 127.0.0.2 300
is "$ANS/$TC" "300/0" "rate-limit: 0: 300 all answered"
stop_daemon

# --- held queries: limited when their answers go out ----------------------
# The upstream of the checks stops, so that every query for 203.0.113.20
# waits on one check; 32 come in 4 s, below the rate of 10 a second as
# they arrive. When the upstream goes on, the check ends and the 32
# answers go out together: the rate limits them as it limits any others.
need_tool ldns-testns
: >"$TNS"
tns_ptr 203.0.113.20 mail20.example.com
tns_addr mail20.example.com 203.0.113.20
start_upstream "$TNS"
CHECK_TIMEOUT=20s
write_conf checks-base.conf.in
cat >>"$CONF" <<EOF2
server:
	rate-limit: 10
	rate-limit-slip: 2
	rate-limit-exempt: 127.0.0.9
http:
	listen: 127.0.0.1@$HPORT
	allow-metrics: 127.0.0.0/8
EOF2
sed -i 's/^\tverbosity: 1$/\tverbosity: 2/' "$CONF"
start_daemon
kill -STOP "$UPID"
perl "$BURST" 127.0.0.2 "$PORT" 20.113.0.203.bl.test 32 4 8 \
    >"$work/held.out" 2>&1 &
BPID=$!
UPIDS="$UPIDS $BPID"
sleep 5
is "$(metric rdnsbl_held_queries_total)" 32 "the 32 queries are held for the check"
kill -CONT "$UPID"
wait "$BPID"
set -- $(cat "$work/held.out")
ok "the 32 answers released at once: 10 to 20 in full ($4)" \
    test "$4" -ge 10 -a "$4" -le 20
over=$((32 - $4))
ok "slip 2: half of the $over over sent truncated ($6)" \
    test "$6" -ge $((over / 2 - 1)) -a "$6" -le $((over / 2 + 1))
is "$(metric 'rdnsbl_rate_limited_total{action="slipped"}')" "$6" \
    "/metrics: the truncated held answers counted"
is "$(metric 'rdnsbl_rate_limited_total{action="dropped"}')" \
    "$((32 - $4 - $6))" "/metrics: the dropped held answers counted"
stop_daemon
done_testing
