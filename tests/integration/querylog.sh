#!/bin/sh
# SPDX-License-Identifier: ISC
# querylog.sh -- the query log (log-queries: yes): one line per query with
# the time, client, transport, name, type, zone and result, the codes of
# a listed A answer; listed, not listed, refused, over UDP and TCP. Off by
# default: no line. A reload turns it on and off.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_programs

write_conf base.conf.in
start_daemon
ctl_must add black 192.0.2.0/24 --reason "query log"
is "$(q +short 9.2.0.192.bl.test A)" 127.0.0.2 "192.0.2.9 is listed"
unlike "$(cat "$work/log")" '^rdnsbld: query: ' "off by default: no query line"

# on by a reload
printf 'server:\n\tlog-queries: yes\n' >>"$CONF"
kill -HUP "$PID"
ok "the reload is applied" await_log "^rdnsbld: reloaded $CONF"
t0=$(date -u +%s)
is "$(q +short 9.2.0.192.BL.test A)" 127.0.0.2 "a listed address, asked in mixed case"
is "$(q +short +tcp 9.2.0.192.bl2.test TXT | head -c 11)" '"192.0.2.9 ' \
    "its TXT over TCP in bl2.test"
is "$(dig_status "$(q 9.2.0.198.bl.test A)")" NXDOMAIN "198.0.2.9 is not listed"
is "$(dig_status "$(q www.example.com A)")" REFUSED "a name outside the zones is refused"
is "$(dig_status "$(q6 bl.test SOA)")" NOERROR "the apex over IPv6"
like "$(q -y hmac-sha256:no-such-key:c2VjcmV0 bl.test SOA)" 'status: NOTAUTH' \
    "a query signed with a key rdnsbld lacks: NOTAUTH"
t1=$(date -u +%s)
ok "the query lines are written" await_log 'www\.example\.com A - refused$'
T='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'
log=$(cat "$work/log")
like "$log" "^rdnsbld: query: $T 127\\.0\\.0\\.1 udp 9\\.2\\.0\\.192\\.BL\\.test A bl\\.test listed 127\\.0\\.0\\.2\$" \
    "listed: time, client, udp, the name as asked, A, the zone, listed and the code"
like "$log" "^rdnsbld: query: $T 127\\.0\\.0\\.1 tcp 9\\.2\\.0\\.192\\.bl2\\.test TXT bl2\\.test listed\$" \
    "a TXT over tcp: listed, no code"
like "$log" "^rdnsbld: query: $T 127\\.0\\.0\\.1 udp 9\\.2\\.0\\.198\\.bl\\.test A bl\\.test nxdomain\$" \
    "not listed: nxdomain"
like "$log" "^rdnsbld: query: $T 127\\.0\\.0\\.1 udp www\\.example\\.com A - refused\$" \
    "outside the zones: zone -, refused"
like "$log" "^rdnsbld: query: $T ::1 udp bl\\.test SOA bl\\.test apex\$" \
    "the apex from ::1"
like "$log" "^rdnsbld: query: $T 127\\.0\\.0\\.1 udp bl\\.test SOA bl\\.test notauth\$" \
    "a TSIG that does not verify: notauth, not refused"
# the time is the query's: between the first and the last
when=$(printf '%s\n' "$log" | sed -n 's/^rdnsbld: query: \([^ ]*\) .* bl\.test nxdomain$/\1/p' |
    head -n1)
ws=$(date -u -d "$when" +%s 2>/dev/null)
ok "the time of a line ($when) is the query's" \
    test -n "$ws" -a "$ws" -ge "$t0" -a "$ws" -le "$t1"
n=$(printf '%s\n' "$log" | grep -c '^rdnsbld: query: ')
is "$n" 6 "one line per query, six queries"

# off again
sed -e '/log-queries: yes/d' "$CONF" >"$work/c2" && cat "$work/c2" >"$CONF"
kill -HUP "$PID"
ok "the second reload is applied" await_reloads 2
is "$(q +short 9.2.0.192.bl.test A)" 127.0.0.2 "after the second reload it answers"
is "$(grep -c '^rdnsbld: query: ' "$work/log")" 6 "off again: no new line"
stop_daemon
done_testing
