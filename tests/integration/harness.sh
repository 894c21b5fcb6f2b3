#!/bin/sh
# SPDX-License-Identifier: ISC
# harness.sh -- the test library itself (lib.sh): pick_port stays below
# the kernel's ephemeral range; start_daemon, finding its port taken,
# moves to another and puts it in the configuration the daemon reads, as
# the test left it (what it added since write_conf stays), not in the
# last one written elsewhere.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool perl
need_programs

eph=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
bad=
i=0
while [ $i -lt 50 ]; do
	pick_port
	{ [ "$PORT" -ge 10000 ] && [ "$PORT" -lt "$eph" ]; } || bad="$bad $PORT"
	i=$((i + 1))
done
is "$bad" "" "pick_port: 50 picks in 10000-$((eph - 1)), below the ephemeral range"
PORT=

write_conf base.conf.in
# another process holds the daemon's UDP port
perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
	    LocalPort => $ARGV[0],
	    Proto => "udp") or die "bind: $!";
	sleep 30' "$PORT" 2>"$work/holder.log" &
UPIDS="$UPIDS $!"
i=0
until ss -Huln 2>/dev/null | awk '{ print $5 }' | grep -q "^127\.0\.0\.1:$PORT\$" ||
    [ $i -ge 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
busy=$PORT
# a configuration written elsewhere, from another template
mkdir "$work/rel"
write_conf relative.conf.in "$work/rel/r.conf"
# and a line the test adds to the daemon's
printf 'server:\n\tlog-queries: yes\n' >>"$CONF"
start_daemon
ok "start_daemon: moved off the busy port $busy (to $PORT)" test "$PORT" != "$busy"
like "$(cat "$work/log")" "^rdnsbld: listening on ::1@$PORT \\(udp, tcp\\)\$" \
    "start_daemon: the new configuration is base.conf.in's (it listens on ::1)"
is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 "start_daemon: the daemon answers on $PORT"
ok "start_daemon: the test's own line is kept" await_log '^rdnsbld: query: .* 2\.0\.0\.127\.bl\.test A bl\.test listed'
stop_daemon
done_testing
