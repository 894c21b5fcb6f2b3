#!/bin/sh
# SPDX-License-Identifier: ISC
# http_dos.sh -- the HTTP listener cannot be made to block DNS answering:
# while a client tries to hold 150 connections to the delisting pages
# open (half a request line, a large body trickled a byte at a time,
# nothing at all; max-clients-per-address: keeps 10 of them), DNS
# queries over UDP and TCP are answered at once, the pages still serve
# other clients, and the daemon is well after the clients go away.

. "$top_srcdir/tests/integration/lib.sh"

http_setup
start_daemon
ctl_must add black 192.0.2.99 --reason "listed for the test"
URL="http://127.0.0.1:$HPORT"

# The clients: 50 of each kind, held for HOLD seconds (under the pages'
# timeout: 5s), "ready" written once all are connected.
perl -MIO::Socket::INET -MTime::HiRes=sleep,time -e '
	my ($port, $ready, $hold) = @ARGV;
	my (@partial, @trickle, @idle);
	for (1 .. 50) {
		my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		    PeerPort => $port) or die "connect: $!\n";
		syswrite $s, "GET /lookup?ip=192.0.2.99 HTTP/1.1\r\nHost: x\r\n";
		push @partial, $s;
		$s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		    PeerPort => $port) or die "connect: $!\n";
		syswrite $s, "POST /delist HTTP/1.1\r\nHost: x\r\n" .
		    "Content-Type: application/x-www-form-urlencoded\r\n" .
		    "Content-Length: 3000\r\n\r\nip=";
		push @trickle, $s;
		$s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		    PeerPort => $port) or die "connect: $!\n";
		push @idle, $s;
	}
	open my $f, ">", $ready or die; close $f;
	my $end = time + $hold;
	$SIG{PIPE} = "IGNORE";
	while (time < $end) {
		syswrite $_, "1" for @trickle;
		sleep 0.1;
	}
' "$HPORT" "$work/ready" 4 >"$work/clients.log" 2>&1 &
CLIENTS=$!
i=0
while [ ! -f "$work/ready" ] && [ $i -lt 100 ]; do
	kill -0 "$CLIENTS" 2>/dev/null || break
	sleep 0.05
	i=$((i + 1))
done
ok "150 HTTP clients connected and holding" test -f "$work/ready"

t0=$(now_ms)
n=0
good=0
while [ $n -lt 20 ]; do
	[ "$(q +short 99.2.0.192.bl.test A)" = 127.0.0.2 ] && good=$((good + 1))
	n=$((n + 1))
done
t1=$(now_ms)
is "$good" 20 "while they hold: 20 UDP queries answered, listed"
ok "... in $((t1 - t0)) ms (< 4000, the clients' hold: nothing waits for HTTP)" \
    test $((t1 - t0)) -lt 4000
is "$(q +tcp +short 99.2.0.192.bl.test TXT)" '"192.0.2.99 is listed: listed for the test; see http://127.0.0.1:'"$HPORT"'/lookup?ip=192.0.2.99"' \
    "while they hold: a TCP query answered"
is "$(curl -s --max-time 5 --interface 127.0.0.2 -o /dev/null \
    -w '%{http_code}' "$URL/healthz")" 200 \
    "while they hold: another client gets /healthz"
kill -0 "$CLIENTS" 2>/dev/null
is "$?" 0 "the clients were still holding during the queries"

kill -TERM "$CLIENTS" 2>/dev/null
wait "$CLIENTS" 2>/dev/null
is "$(q +short 99.2.0.192.bl.test A)" 127.0.0.2 "after the clients left: DNS answers"
is "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$URL/lookup?ip=192.0.2.99")" 200 \
    "after the clients left: the lookup page answers"
expect_log 'http: '
stop_daemon
done_testing
