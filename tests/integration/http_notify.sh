#!/bin/sh
# SPDX-License-Identifier: ISC
# http_notify.sh -- a flood of delisting requests cannot start a process
# each: 300 requests from 300 client addresses (through a trusted proxy)
# run notify-command for every one, but never more than two at once, the
# others waiting their turn; /metrics counts the runs. total-rate-limit
# bounds the requests of all clients together. Every socket of
# the daemon, an accepted DNS TCP connection too, is close-on-exec.

. "$top_srcdir/tests/integration/lib.sh"

CAP=2	# HTTP_NOTIFY_RUNNING
N=300

# Each run notes its start and end.
cat >"$work/notify.sh" <<EOF
#!/bin/sh
echo + >>"$work/notify.log"
sleep 0.05
echo - >>"$work/notify.log"
EOF
chmod +x "$work/notify.sh"
: >"$work/notify.log"

TRUSTED=127.0.0.0/8
RATE=1000
# The checks of the flood's addresses find no PTR, at once.
http_setup $(i=1; while [ $i -le $N ]; do
	echo "198.18.$((i / 256)).$((i % 256))"
	i=$((i + 1))
done)
# The requests accepted from everyone in an hour: exactly the flood.
sed "s/^\(	trusted-proxy:.*\)\$/\1\\
	total-rate-limit: $N/" "$CONF" >"$CONF.new" && mv "$CONF.new" "$CONF"
like "$(cat "$CONF")" "total-rate-limit: $N" "the config says total-rate-limit: $N"
ctl_must add black 198.18.0.0/16 --reason "listed for the flood"
start_daemon
URL="http://127.0.0.1:$HPORT"

# A DNS client holds a TCP connection open meanwhile.
perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
	    PeerPort => $ARGV[0]) or die "connect: $!\n";
	sleep 30;' "$PORT" &
HOLD=$!
UPIDS="$UPIDS $HOLD"
sleep 0.3

# Every socket of the daemon, the accepted TCP connection among them, is
# close-on-exec (O_CLOEXEC: 02000000 in the octal flags of fdinfo).
nsock=0
nexec=0
for f in /proc/$PID/fd/*; do
	case $(readlink "$f") in
	socket:*) ;;
	*) continue ;;
	esac
	nsock=$((nsock + 1))
	fl=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$PID/fdinfo/${f##*/}")
	[ $(((0$fl >> 19) & 1)) -eq 1 ] && nexec=$((nexec + 1))
done
ok "the daemon has sockets open ($nsock)" test "$nsock" -ge 5
is "$nexec" "$nsock" "every socket of the daemon is close-on-exec"

# The flood: N requests, 8 at a time (below max-clients-per-address:
# of the one proxy they come through), each from its own address.
i=1
: >"$work/curl.cfg"
while [ $i -le $N ]; do
	[ $i -gt 1 ] && echo next >>"$work/curl.cfg"
	cat >>"$work/curl.cfg" <<EOF
url = "$URL/delist"
header = "X-Forwarded-For: 10.9.$((i / 256)).$((i % 256))"
data = "ip=198.18.$((i / 256)).$((i % 256))&email=a$i@example.org&description=flood"
output = "/dev/null"
write-out = "%{http_code}\n"
EOF
	i=$((i + 1))
done
curl -s --parallel --parallel-max 8 --max-time 60 -K "$work/curl.cfg" \
    >"$work/codes"
is "$(grep -c '^202$' "$work/codes")" $N "all $N requests are queued (202)"

# One more, from yet another address: over the limit in total.
delist ip=198.18.9.9 email=late@example.org description=late \
    -H "X-Forwarded-For: 10.99.0.1"
is "$WEB_CODE" 429 "request $((N + 1)), from a new address, is refused (429)"
contains "429: it says the server takes no more" 'takes no more requests'

web /metrics
like "$WEB_BODY" 'rdnsbl_notify_runs_total\{event="queued"\} 300' \
    "metrics: $N notify runs asked for"
running=$(printf '%s\n' "$WEB_BODY" | sed -n 's/^rdnsbl_notify_running //p')
ok "metrics: at most $CAP running (got $running)" test "${running:-99}" -le $CAP

# Wait for every run to end.
i=0
while [ "$(grep -c -- - "$work/notify.log")" -lt $N ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
is "$(grep -c -- + "$work/notify.log")" $N "notify-command ran $N times"
max=$(awk '/\+/ { n++; if (n > m) m = n } /-/ { n-- } END { print m + 0 }' \
    "$work/notify.log")
ok "never more than $CAP notify-command processes at once (max $max)" \
    test "$max" -le $CAP
is "$max" $CAP "the flood kept $CAP runs going at once"

web /metrics
like "$WEB_BODY" 'rdnsbl_notify_runs_total\{event="started"\} 300' \
    "metrics: $N processes started"
like "$WEB_BODY" 'rdnsbl_notify_runs_total\{event="dropped"\} 0' \
    "metrics: none dropped"
like "$WEB_BODY" 'rdnsbl_notify_waiting 0' "metrics: none waiting at the end"

# Only stdin, stdout, stderr and the descriptor ls itself opens.

is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 "DNS still answers"
kill "$HOLD" 2>/dev/null
wait "$HOLD" 2>/dev/null

stop_daemon
done_testing
