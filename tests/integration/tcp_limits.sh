#!/bin/sh
# SPDX-License-Identifier: ISC
# tcp_limits.sh -- TCP cannot be held hostage: while one client holds
# 1,000 idle or slowloris connections, another's TCP queries are answered
# within a second (tcp-clients-per-address); with every slot taken by
# idle connections of many clients, a new one takes the place of the one
# idle longest; a slowloris that is never idle is closed at tcp-max-time;
# refusals are counted in /metrics and logged at most once a minute.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_tool perl
need_programs

write_conf base.conf.in
cat >>"$CONF" <<EOF2
server:
	tcp-clients: 100
	tcp-clients-per-address: 10
	tcp-timeout: 5s
	tcp-max-time: 6s
http:
	listen: 127.0.0.1@$HPORT
	allow-metrics: 127.0.0.0/8
EOF2
EXPECT_LOG='tcp: [0-9]+ connections? refused since the last such line'
start_daemon
URL="http://127.0.0.1:$HPORT"

hold()
{
	hold_start "$@"
	hold_ready "$1"
}

# tcp_fast NAME: five TCP queries from 127.0.0.2, each answered in < 1 s.
tcp_fast()
{
	tf_slow=
	tf_i=0
	while [ $tf_i -lt 5 ]; do
		tf_t0=$(now_ms)
		tf_a=$(dig -b 127.0.0.2 +tcp +tries=1 +time=2 +short \
		    @127.0.0.1 -p "$PORT" 2.0.0.127.bl.test A 2>&1)
		tf_ms=$(($(now_ms) - tf_t0))
		if [ "$tf_a" != 127.0.0.2 ] || [ $tf_ms -ge 1000 ]; then
			tf_slow="$tf_slow query $tf_i: '$tf_a' in $tf_ms ms;"
		fi
		tf_i=$((tf_i + 1))
	done
	if [ -z "$tf_slow" ]; then
		pass "$1: another client's 5 TCP queries each answered in < 1 s"
	else
		fail "$1: another client's 5 TCP queries each answered in < 1 s" \
		    "$tf_slow"
	fi
}

metric()
{
	curl -s "$URL/metrics" | awk -v k="$1" '$1 == k { print $2 }'
}

# --- one client, 1,000 idle connections --------------------------------------
hold idle 127.0.0.1 1000 idle 3
is "$HELD" 10 "one client's 1,000 idle connections: 10 stay open (tcp-clients-per-address)"
tcp_fast "1,000 idle from one client"
n=$(metric 'rdnsbl_tcp_refused_total{limit="tcp-clients-per-address"}')
if [ "${n:-0}" -ge 990 ]; then
	pass "/metrics: the 990 refusals counted ($n)"
else
	fail "/metrics: the 990 refusals counted" "got '$n'"
fi
n=$(grep -c 'tcp: .*refused' "$work/log")
if [ "$n" -ge 1 ] && [ "$n" -le 2 ]; then
	pass "the log: $n line(s) for 990 refusals"
else
	fail "the log: one or two lines for 990 refusals" "$(grep 'tcp:' "$work/log" | head)"
fi
like "$(cat "$work/log")" 'tcp: 1 connection refused since the last such line, the last from 127\.0\.0\.1 on 127\.0\.0\.1@[0-9]+ \(tcp-clients-per-address: 10\)' \
    "the log line names the client, the listener and the limit"
wait $HPID_idle 2>/dev/null

# --- one client, 1,000 slowloris connections ---------------------------------
hold slow 127.0.0.1 1000 slow 9
is "$HELD" 10 "one client's 1,000 slowloris connections: 10 stay open"
tcp_fast "1,000 slowloris from one client"
wait $HPID_slow 2>/dev/null
is "$(sed -n 's/^end //p' "$work/slow.out")" 0 \
    "the slowloris connections, never idle, are closed by tcp-max-time: 6s"
n=$(metric 'rdnsbl_tcp_closed_total{reason="max_time"}')
if [ "${n:-0}" -ge 10 ]; then
	pass "/metrics: closed at tcp-max-time counted ($n)"
else
	fail "/metrics: closed at tcp-max-time counted" "got '$n'"
fi

# --- every slot idle, from 20 clients: the idle longest makes room -----------
# the first client's connections are the oldest, the rest come at once
hold "many10" 127.0.0.10 10 idle 4
total=$HELD
i=11
while [ $i -lt 20 ]; do
	hold_start "many$i" "127.0.0.$i" 10 idle 4
	i=$((i + 1))
done
i=11
while [ $i -lt 20 ]; do
	hold_ready "many$i"
	total=$((total + HELD))
	i=$((i + 1))
done
is "$total" 100 "10 clients, 10 idle connections each: all 100 slots taken"
n=$(metric 'rdnsbl_tcp_closed_total{reason="idle_evicted"}')
is "${n:-0}" 0 "100 idle connections of 10 clients: all held, none evicted"
tcp_fast "100 idle slots taken"
n=$(metric 'rdnsbl_tcp_closed_total{reason="idle_evicted"}')
is "$n" 1 "... the first by closing the connection idle longest (the next reuse its slot)"
i=10
while [ $i -lt 20 ]; do
	eval "wait \$HPID_many$i" 2>/dev/null
	i=$((i + 1))
done
like "$(cat "$work/many10.out")" '^end 9$' \
    "... one of the first client's, the oldest"
is "$(metric 'rdnsbl_tcp_refused_total{limit="tcp-clients"}')" 0 \
    "... and no connection refused for tcp-clients"

stop_daemon
done_testing
