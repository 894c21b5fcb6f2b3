#!/bin/sh
# SPDX-License-Identifier: ISC
# fd_limits.sh -- the descriptors never run out for DNS. rdnsbld runs
# with a limit of 256 descriptors (soft and hard, so it cannot raise it)
# and caps the pages' connections at a quarter of that, 64, and at
# max-clients-per-address from one client. While one client holds 300
# idle HTTP connections (more than the whole limit) and six others a
# few more each (over the total cap), a never-seen address is still
# checked and listed through the fake upstream, TCP DNS queries are
# answered, the daemon has descriptors to spare, and the log grows by a
# line or two. Then, with a limit so low that the process does run out,
# the listeners pause instead of spinning: the CPU stays idle, the log
# stays short, UDP is answered; a check that finds no socket is answered
# as on-lookup-failure: says and not cached, so that it lists the
# address once descriptors are free again.

. "$top_srcdir/tests/integration/lib.sh"

# the daemon under a descriptor limit of $NOFILE, soft and hard
cat >"$work/rdnsbld-limited" <<EOF2
#!/bin/sh
ulimit -n \$NOFILE || exit 1
exec "$RDNSBLD" "\$@"
EOF2
chmod +x "$work/rdnsbld-limited"
RDNSBLD="$work/rdnsbld-limited"
export NOFILE=256

http_setup 192.0.2.80 192.0.2.81 192.0.2.82 192.0.2.83
# a long HTTP timeout: the holders' connections stay for the test
sed -i 's/^\ttimeout: 5s$/\ttimeout: 30s\n\tmax-clients-per-address: 10/' \
    "$CONF"
EXPECT_LOG='http: [0-9]+ connections? closed since the last such line|accept: [0-9]+ failed since the last such line|check: [0-9]+ checks? could not run since the last such line'
start_daemon
URL="http://127.0.0.1:$HPORT"

like "$(cat "$work/log")" 'http: at most 64 connections, a quarter of the descriptor limit \(max-clients: 200\)' \
    "the pages: at most a quarter of 256 descriptors"
like "$(cat "$work/log")" 'tcp: at most 64 connections, a quarter of the descriptor limit \(tcp-clients: 100\)' \
    "TCP DNS: at most a quarter as well"

fds()
{
	ls "/proc/$PID/fd" | wc -l
}

HOLD_PORT=$HPORT
lines0=$(wc -l <"$work/log")
hold_start one 127.0.0.10 300 idle 12
hold_ready one
is "$HELD" 10 "one client's 300 idle connections: 10 stay open (max-clients-per-address)"
for i in 1 2 3 4 5 6; do
	hold_start "many$i" "127.0.0.$((20 + i))" 10 idle 12
done
for i in 1 2 3 4 5 6; do
	hold_ready "many$i"
done
sleep 0.5
n=$(fds)
if [ "$n" -lt 200 ]; then
	pass "the daemon has descriptors to spare ($n of 256 open)"
else
	fail "the daemon has descriptors to spare" "$n of 256 open"
fi

# While they are held: a never-seen address is checked, TCP answers.
is "$(q +short 80.2.0.192.bl.test)" 127.0.0.3 \
    "a never-seen address is checked and listed (no-ptr)"
is "$(q +tcp +short 81.2.0.192.bl.test)" 127.0.0.3 \
    "another, asked over TCP, as well"
is "$(q +tcp +short 2.0.0.127.bl.test)" 127.0.0.2 "TCP DNS is answered"

for i in one many1 many2 many3 many4 many5 many6; do
	eval "wait \$HPID_$i" 2>/dev/null
done
n=$(($(wc -l <"$work/log") - lines0))
if [ "$n" -le 3 ]; then
	pass "the log grew by $n line(s) for 360 connections"
else
	fail "the log grew by at most 3 lines" "$(tail -n "$n" "$work/log" |
	    head -n 10)"
fi
like "$(cat "$work/log")" 'http: [0-9]+ connections? closed since the last such line, the last from 127\.0\.0\.10 \(max-clients-per-address: 10\)' \
    "the line names the client and the limit"
i=0
while [ "$(fds)" -gt 60 ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
n=$(fds)
if [ "$n" -le 60 ]; then
	pass "the connections are closed again ($n descriptors open)"
else
	fail "the connections are closed again" "$n descriptors open"
fi
web /healthz
is "$WEB_CODE" 200 "the pages answer again"
web /metrics
like "$WEB_BODY" '^rdnsbl_http_connections_max 64$' "metrics: the cap in force"
n=$(printf '%s\n' "$WEB_BODY" | awk '$1 == "rdnsbl_http_connections_refused_total{limit=\"max-clients-per-address\"}" { print $2 }')
if [ "${n:-0}" -ge 290 ]; then
	pass "metrics: the connections over a client's cap counted ($n)"
else
	fail "metrics: the connections over a client's cap counted" "got '$n'"
fi
stop_daemon

# --- a process that does run out ---------------------------------------------
# At 24 descriptors the pages may have 6 and TCP 6, more than the
# daemon's own leave: accept() fails for want of descriptors.
NOFILE=24
sed -i -e 's/^\tmax-clients-per-address: 10$/\tmax-clients-per-address: 1000/' \
    -e 's/^\tverbosity: 2$/\tverbosity: 2\n\ttcp-clients-per-address: 1000/' \
    "$CONF"
start_daemon
HOLD_PORT=$HPORT
lines0=$(wc -l <"$work/log")
for i in 1 2 3 4; do
	hold_start "full$i" "127.0.0.$((40 + i))" 12 idle 6
done
# the TCP DNS listener too
HOLD_PORT=$PORT
hold_start dns 127.0.0.50 40 idle 6
for i in 1 2 3 4; do
	hold_ready "full$i"
done
t0=$(awk '{ print $14 + $15 }' "/proc/$PID/stat")
sleep 2
t1=$(awk '{ print $14 + $15 }' "/proc/$PID/stat")
ticks=$((t1 - t0))
if [ "$ticks" -lt 40 ]; then
	pass "no spinning: $ticks CPU ticks in 2 s"
else
	fail "no spinning" "$ticks CPU ticks in 2 s"
fi
is "$(q +short 2.0.0.127.bl.test)" 127.0.0.2 "UDP is answered"
# Full: a check finds no socket. It is answered as on-lookup-failure:
# says (nxdomain), and not cached: once descriptors are free again, the
# address is checked again and listed (failure-ttl: is 30 s).
is "$(dig_status "$(q 82.2.0.192.bl.test)")" NXDOMAIN \
    "full: a check that finds no socket is answered as on-lookup-failure"
for i in 1 2 3 4; do
	eval "wait \$HPID_full$i" 2>/dev/null
done
wait "$HPID_dns" 2>/dev/null
n=$(($(wc -l <"$work/log") - lines0))
is "$(q +short 82.2.0.192.bl.test)" 127.0.0.3 \
    "... not cached: asked again, it is checked and listed"
like "$(cat "$work/log")" 'check: 1 check could not run since the last such line, for want of descriptors or memory' \
    "... and logged"
web /metrics
like "$WEB_BODY" '^rdnsbl_checks_total\{event="no_resources"\} 1$' \
    "metrics: the check without resources counted"
like "$WEB_BODY" '^rdnsbl_accept_errors_total\{event="no_descriptors"\} [1-9][0-9]*$' \
    "metrics: the accepts that found no descriptor"
like "$(cat "$work/log")" 'accept: [0-9]+ failed since the last such line \([0-9]+ for want of descriptors, [0-9]+ connections closed at once\), the last on (http|tcp) 127\.0\.0\.1@[0-9]+: Too many open files' \
    "out of descriptors: one line with the counts"
if [ "$n" -le 4 ]; then
	pass "the log grew by $n line(s)"
else
	fail "the log grew by at most 4 lines" "$(tail -n "$n" "$work/log" |
	    head -n 10)"
fi
stop_daemon
done_testing
