#!/bin/sh
# SPDX-License-Identifier: ISC
# rules_cost.sh -- a dynamic-patterns: rule too costly to compile (21
# nested "(...)+": a tree that doubles with each, in glibc's regcomp in
# the event loop) is refused on SIGHUP with its file:line, before any
# compiling, while the daemon keeps answering at once with its old rules.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool ldns-testns
need_programs

: >"$TNS"
tns_ptr 192.0.2.25 dhcp-192-0-2-25.pool.example.net
tns_addr dhcp-192-0-2-25.pool.example.net 192.0.2.25
start_upstream "$TNS"

cp "$top_srcdir/zones/s25r.rules" "$work/dyn.rules"
chmod u+w "$work/dyn.rules"
write_conf checks-base.conf.in
sed "s|^	dynamic-patterns:.*|	dynamic-patterns: $work/dyn.rules|" "$CONF" \
    >"$CONF.new" && mv "$CONF.new" "$CONF"
like "$(cat "$CONF")" "dynamic-patterns: $work/dyn.rules" \
    "the config names the copy of the rules"
start_daemon

is "$(q +short 25.2.0.192.strict.test A)" 127.0.0.5 \
    "a dynamic-looking name is listed by the S25R rules"

l=$(($(wc -l <"$work/dyn.rules") + 1))
echo "rule evil $(printf "%.0s(" $(seq 21))a$(printf "%.0s)+" $(seq 21))" \
    >>"$work/dyn.rules"
expect_log "$work/dyn.rules:$l: rule \"evil\": regex too costly"
expect_log 'patterns: 1 error in'
expect_log 'reload failed, keeping the running configuration'
t0=$(now_ms)
kill -HUP "$PID"
o=$(q +tries=1 +time=1 strict.test SOA)
t1=$(now_ms)
is "$(dig_status "$o")" NOERROR "a query right after the SIGHUP is answered"
ok "within a second ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 1000
ok "the rule is refused with file:line" \
    await_log "$work/dyn.rules:$l: rule \"evil\": regex too costly"
ok "the reload fails, the running rules stay" \
    await_log 'reload failed, keeping the running configuration'
is "$(q +short 25.2.0.192.strict.test A)" 127.0.0.5 \
    "the old rules still list the dynamic-looking name"
ok "the daemon still runs" kill -0 "$PID"

stop_daemon
done_testing
