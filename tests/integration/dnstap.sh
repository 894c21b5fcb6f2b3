#!/bin/sh
# SPDX-License-Identifier: ISC
# dnstap.sh -- dnstap output (dnstap-socket-path:): a collector
# (fstrm_capture) receives an AUTH_QUERY and an AUTH_RESPONSE frame for
# each query, UDP and TCP, IPv4 and IPv6, with the name, the transport,
# the client, our address and the answer's code, read back with
# dnstap-ldns; the frames are counted in /metrics. A reload turns the queries' frames off
# and says that a new socket path needs a restart. A query held for a
# check has its answer's frame when the check ends, with the query's time. With the collector gone, or never
# there, the daemon answers as before and stops at once; a collector
# that comes back is connected to again; with user: (as root) the I/O
# thread runs, and connects, as the user. Built without dnstap, the key
# is a clear error at startup.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_programs

TAPSOCK="$work/tap.sock"

write_conf base.conf.in
cat >>"$CONF" <<EOF2
server:
	dnstap-socket-path: "$TAPSOCK"
	dnstap-identity: dnsbl-test
http:
	listen: 127.0.0.1@$HPORT
	allow-metrics: 127.0.0.0/8
EOF2

if ! grep -q '^#define HAVE_DNSTAP 1' "$top_builddir/config.h"; then
	# built without: the key says what to do, and nothing starts
	"$RDNSBLD" -c "$CONF" >"$work/log" 2>&1
	is "$?" 1 "built without dnstap: dnstap-socket-path is refused (exit 1)"
	like "$(cat "$work/log")" 'built without dnstap.*libfstrm-dev' \
	    "the error says how to build it"
	done_testing
fi
need_tool fstrm_capture
need_tool dnstap-ldns

URL="http://127.0.0.1:$HPORT"
metric()
{
	curl -s "$URL/metrics" | awk -v k="$1" '$1 == k { print $2 }'
}

# collector FILE: start fstrm_capture on $TAPSOCK writing FILE (CPID),
# and wait until its socket is there.
collector()
{
	rm -f "$TAPSOCK"
	fstrm_capture -t protobuf:dnstap.Dnstap -u "$TAPSOCK" -w "$1" \
	    >"$1.log" 2>&1 &
	CPID=$!
	UPIDS="$UPIDS $CPID"
	await_socket "$TAPSOCK" ||
	    bail "fstrm_capture did not listen on $TAPSOCK: $(cat "$1.log")"
}

# collector_stop: end it (it closes its file) and wait.
collector_stop()
{
	kill -TERM "$CPID" 2>/dev/null
	wait "$CPID" 2>/dev/null
}

# frames FILE: one line a frame: its type, transport, client, identity,
# question (name and type) and the code of its DNS message.
frames()
{
	dnstap-ldns -r "$1" -y | awk '
	function out() {
		if (t != "")
			print t, p, a, id, q, rc
		t = p = a = q = rc = ""
	}
	/^---/ { out() }
	/^identity: / { id = $2 }
	/^  type: / { t = $2 }
	/^  socket_protocol: / { p = $2 }
	/^  query_address: / { a = $2 }
	/->>HEADER<<-/ { rc = $0; sub(/.*rcode: /, "", rc); sub(/,.*/, "", rc) }
	/^    ;[^;]/ { q = substr($1, 2) " " $3 }
	END { out() }'
}

# --- the collector there ---------------------------------------------------
collector "$work/a.fstrm"
start_daemon
ok "the log says where the frames go" \
    await_log "^rdnsbld: dnstap: frames to $TAPSOCK\$"
ctl_must add black 192.0.2.0/24 --reason "dnstap"
is "$(q +short 9.2.0.192.bl.test A)" 127.0.0.2 "udp: 192.0.2.9 listed"
is "$(dig_status "$(q 9.2.0.198.bl.test A)")" NXDOMAIN "udp: 198.0.2.9 not listed"
is "$(dig_status "$(q www.example.com A)")" REFUSED "udp: outside the zones refused"
is "$(q +short +tcp 9.2.0.192.bl.test TXT | head -c 11)" '"192.0.2.9 ' \
    "tcp: the TXT of 192.0.2.9"
is "$(dig_status "$(q6 +tcp 7.2.0.198.bl.test A)")" NXDOMAIN "tcp over IPv6: not listed"
# a reload: the queries no longer, the answers still; a new path waits
# for a restart
cp "$CONF" "$work/tap.conf"
sed -i "s|^\tdnstap-socket-path: .*|\tdnstap-socket-path: \"$work/other.sock\"|" \
    "$CONF"
printf 'server:\n\tdnstap-log-auth-query-messages: no\n' >>"$CONF"
expect_log "dnstap-socket-path, dnstap-identity: changed in .*: a restart applies them"
kill -HUP "$PID"
ok "the reload is applied" await_log "^rdnsbld: reloaded $CONF"
like "$(cat "$work/log")" \
    "^rdnsbld: warning: dnstap-socket-path, dnstap-identity: changed in $CONF: a restart applies them\$" \
    "a new dnstap-socket-path: a restart applies it, says the log"
is "$(dig_status "$(q 5.2.0.198.bl.test A)")" NXDOMAIN "after the reload: answered"
queued=$(metric 'rdnsbl_dnstap_frames_total{result="queued"}')
ok "/metrics: frames queued ($queued)" test "${queued:-0}" -ge 10
is "$(metric 'rdnsbl_dnstap_frames_total{result="dropped"}')" 0 \
    "/metrics: none dropped"
stop_daemon
collector_stop
cp "$work/tap.conf" "$CONF"
f=$(frames "$work/a.fstrm")
diag "$f"
I='"127\.0\.0\.1" "dnsbl-test"'
like "$f" "^AUTH_QUERY UDP $I 9\\.2\\.0\\.192\\.bl\\.test\\. A NOERROR\$" \
    "AUTH_QUERY: udp, the client, the identity, the name and type"
like "$f" "^AUTH_RESPONSE UDP $I 9\\.2\\.0\\.192\\.bl\\.test\\. A NOERROR\$" \
    "AUTH_RESPONSE of the listed address: NOERROR"
like "$f" "^AUTH_QUERY UDP $I 9\\.2\\.0\\.198\\.bl\\.test\\. A NOERROR\$" \
    "AUTH_QUERY of the unlisted address"
like "$f" "^AUTH_RESPONSE UDP $I 9\\.2\\.0\\.198\\.bl\\.test\\. A NXDOMAIN\$" \
    "AUTH_RESPONSE of the unlisted address: NXDOMAIN"
like "$f" "^AUTH_RESPONSE UDP $I www\\.example\\.com\\. A REFUSED\$" \
    "AUTH_RESPONSE outside the zones: REFUSED"
like "$f" "^AUTH_QUERY TCP $I 9\\.2\\.0\\.192\\.bl\\.test\\. TXT NOERROR\$" \
    "AUTH_QUERY over tcp"
like "$f" "^AUTH_RESPONSE TCP $I 9\\.2\\.0\\.192\\.bl\\.test\\. TXT NOERROR\$" \
    "AUTH_RESPONSE over tcp"
like "$f" "^AUTH_RESPONSE TCP \"::1\" \"dnsbl-test\" 7\\.2\\.0\\.198\\.bl\\.test\\. A NXDOMAIN\$" \
    "AUTH_RESPONSE over tcp to ::1"
like "$f" "^AUTH_RESPONSE UDP $I 5\\.2\\.0\\.198\\.bl\\.test\\. A NXDOMAIN\$" \
    "after the reload: the answer, to the same socket"
unlike "$f" "^AUTH_QUERY .* 5\\.2\\.0\\.198\\.bl\\.test\\. " \
    "after the reload: not the query (dnstap-log-auth-query-messages: no)"
is "$(printf '%s\n' "$f" | grep -c '^AUTH_QUERY')" \
    "$(($(printf '%s\n' "$f" | grep -c '^AUTH_RESPONSE') - 1))" \
    "as many answers as queries, but the one after the reload"
port=$(dnstap-ldns -r "$work/a.fstrm" -y | awk '/^  query_port: / { print $2; exit }')
ok "the client's port is there ($port)" test "${port:-0}" -gt 0
# our end: the listener's address and port, UDP and TCP, v4 and v6
y=$(dnstap-ldns -r "$work/a.fstrm" -y)
ends=$(printf '%s\n' "$y" | awk '
	/^---/ { if (p != "") print p, ra, rp; p = ra = rp = "" }
	/^  socket_protocol: / { p = $2 }
	/^  response_address: / { ra = $2 }
	/^  response_port: / { rp = $2 }
	END { if (p != "") print p, ra, rp }' | sort -u)
like "$ends" "^UDP \"127\\.0\\.0\\.1\" $PORT\$" "our address and port in the UDP frames"
like "$ends" "^TCP \"127\\.0\\.0\\.1\" $PORT\$" "... and in the TCP frames"
like "$ends" "^TCP \"::1\" $PORT\$" "... and over IPv6"
is "$(printf '%s\n' "$ends" | awk 'NF != 3' | wc -l)" 0 \
    "every frame has them"

# --- the collector dies, and comes back -------------------------------------
collector "$work/b.fstrm"
start_daemon
collector_stop
rm -f "$TAPSOCK"
bad=
for i in 1 2 3 4 5 6 7 8 9 10; do
	a=$(q +short 9.2.0.192.bl.test A)
	[ "$a" = 127.0.0.2 ] || bad="$bad udp:$i:$a"
	a=$(q +short +tcp 9.2.0.192.bl.test A)
	[ "$a" = 127.0.0.2 ] || bad="$bad tcp:$i:$a"
done
is "$bad" "" "the collector gone: 10 of 10 answered over UDP and TCP"
collector "$work/c.fstrm"
# the writer tries again every 5 s
sleep 6
is "$(q +short 9.2.0.192.bl.test A)" 127.0.0.2 "asked again, the collector back"
stop_daemon
collector_stop
like "$(frames "$work/c.fstrm")" \
    "^AUTH_RESPONSE UDP $I 9\\.2\\.0\\.192\\.bl\\.test\\. A NOERROR\$" \
    "the collector back: connected to again, the frames come"

# --- no collector at all -------------------------------------------------
rm -f "$TAPSOCK"
start_daemon
is "$(q +short 9.2.0.192.bl.test A)" 127.0.0.2 "no collector: answered"
is "$(q +short +tcp 9.2.0.192.bl.test A)" 127.0.0.2 "no collector: answered over tcp"
t0=$(date +%s)
stop_daemon
ok "no collector: stopped within 3 s" test $(($(date +%s) - t0)) -le 3

# --- a query held for a check ------------------------------------------------
# its AUTH_QUERY when it comes, its AUTH_RESPONSE when the check ends,
# with the time of the query
if command -v ldns-testns >/dev/null 2>&1; then
	: >"$TNS"
	tns_ptr 203.0.113.20 mail20.example.com
	tns_addr mail20.example.com 203.0.113.20
	start_upstream "$TNS"
	write_conf checks-base.conf.in
	printf 'server:\n\tdnstap-socket-path: "%s"\n\tdnstap-identity: h\n' \
	    "$TAPSOCK" >>"$CONF"
	collector "$work/h.fstrm"
	start_daemon
	is "$(dig_status "$(q 20.113.0.203.bl.test A)")" NXDOMAIN \
	    "held over udp: answered when checked"
	is "$(dig_status "$(q +tcp 20.113.0.202.bl.test A)")" NXDOMAIN \
	    "held over tcp: answered when checked"
	stop_daemon
	collector_stop
	h=$(frames "$work/h.fstrm")
	like "$h" '^AUTH_RESPONSE UDP "127\.0\.0\.1" "h" 20\.113\.0\.203\.bl\.test\. A NXDOMAIN$' \
	    "held over udp: the AUTH_RESPONSE"
	like "$h" '^AUTH_RESPONSE TCP "127\.0\.0\.1" "h" 20\.113\.0\.202\.bl\.test\. A NXDOMAIN$' \
	    "held over tcp: the AUTH_RESPONSE"
	# query_time of the query and of its answer: the same
	qt=$(dnstap-ldns -r "$work/h.fstrm" -y | awk '
	/^---/ { t = "" }
	/^  type: / { t = $2 }
	/^  query_time: / { q = $3 " " $4 }
	/^    ;20\.113\.0\.203\.bl\.test\./ && t != "" { print t, q; t = "" }')
	diag "$qt"
	is "$(printf '%s\n' "$qt" | awk '{ print $2, $3 }' | sort -u | wc -l)" 1 \
	    "held: the answer's frame has the query's time"
	is "$(printf '%s\n' "$qt" | wc -l)" 2 "held: one query, one answer"
	stop_upstream "$UPID"
else
	skip "a held query: ldns-testns is not installed"
fi

# --- as user: the I/O thread connects as the user -------------------------
# (as root only; CI runs as root)
if [ "$(id -u)" = 0 ] && UID_N=$(id -u nobody 2>/dev/null); then
	chmod 755 "$work"
	DB="$work/db-nobody"
	write_conf base.conf.in
	printf 'server:\n\tuser: nobody\n\tdnstap-socket-path: "%s"\n' \
	    "$TAPSOCK" >>"$CONF"
	collector "$work/d.fstrm"
	chmod 666 "$TAPSOCK"
	start_daemon
	is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 "as nobody: answered"
	# a line a thread: real, effective, saved and file system uid
	ids=$(ps -L -p "$PID" -o ruid=,euid=,suid=,fsuid=)
	ntask=$(printf '%s\n' "$ids" | grep -c .)
	bad=$(printf '%s\n' "$ids" | awk -v u="$UID_N" \
	    '$1 != u || $2 != u || $3 != u || $4 != u')
	ok "as nobody: the I/O thread beside the main one ($ntask threads)" \
	    test "$ntask" -ge 2
	is "$bad" "" "as nobody: every thread's uid is nobody's"
	stop_daemon
	collector_stop
	# no dnstap-identity: the host name
	H=$(hostname | sed 's/[.]/\\./g')
	like "$(frames "$work/d.fstrm")" \
	    "^AUTH_RESPONSE UDP \"127\\.0\\.0\\.1\" \"$H\" 2\\.0\\.0\\.127\\.bl\\.test\\. A NOERROR\$" \
	    "as nobody: the frames come, with the host name for identity"
	# a socket only root may connect to: nobody's thread cannot, not
	# even the first time (it starts after the drop)
	collector "$work/e.fstrm"
	chmod 755 "$TAPSOCK"
	start_daemon
	is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 \
	    "a socket nobody may not use: answered all the same"
	stop_daemon
	collector_stop
	is "$(frames "$work/e.fstrm")" "" \
	    "a socket nobody may not use: no frame, not even as root at first"
else
	skip "as a user: needs root"
fi

done_testing
