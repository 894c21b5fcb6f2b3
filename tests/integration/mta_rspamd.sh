#!/bin/sh
# SPDX-License-Identifier: ISC
# mta_rspamd.sh -- end to end with Debian's rspamd, in a network namespace
# of the test's as mta.sh (a resolv.conf of the test's bind-mounted over
# /etc/resolv.conf, rdnsbld on 127.0.0.1 port 53): the rbl module is
# configured with the local.d/rbl.conf of doc/mta.md, read from the file
# as it is (zone names example.net -> test), and rspamc scans a message
# as from a listed, a not listed and a whitelisted client and with each
# HELO case; the monitored check runs every few seconds here (it is 60 s
# by default), and once rdnsbld has seen its probe the HELO symbols still
# fire. Needs root (namespaces, port 53 in the namespace only).

if [ -z "$RDNSBL_NETNS" ]; then
	. "$top_srcdir/tests/integration/netns.sh"
	netns_enter "$0" "$(netns_why ip rspamd rspamc dig ldns-testns)"
fi

. "$top_srcdir/tests/integration/lib.sh"
need_programs

mta_namespace

# --- rdnsbld on 127.0.0.1@53, every query logged ----------------------------
PORT=53
write_conf mta.conf.in
sed 's/^\(	verbosity: .*\)$/\1\n	log-queries: yes/' "$CONF" >"$CONF.new" &&
    mv "$CONF.new" "$CONF" || bail "cannot turn log-queries on"
start_daemon
ctl_must add black 192.0.2.10 --reason "spam run 4711"
ctl_must add white 192.0.2.30 --reason "our partner"

# --- rspamd: Debian's configuration, local.d from doc/mta.md ----------------
R="$work/rspamd"
mkdir -p "$R/local.d" "$R/db" "$R/run" "$R/log"
# the first indented block of the "## rspamd" section
awk '/^## / { on = ($0 == "## rspamd"); next }
    on && /^    / { sub(/^    /, ""); print; got = 1; next }
    on && got && /^$/ { print; next }
    on && got { exit }' "$top_srcdir/doc/mta.md" |
    sed 's/\.example\.net"/.test"/' >"$R/local.d/rbl.conf"
like "$(cat "$R/local.d/rbl.conf")" '^ *rdnsbl_helo \{' \
    "doc/mta.md's rbl.conf has the helo rule"
is "$(grep -c 'random_monitored = false;' "$R/local.d/rbl.conf")" 3 \
    "... and random_monitored = false; in each of its three rules"
cat >"$R/local.d/options.inc" <<EOR
dns { nameserver = ["127.0.0.1:53"]; timeout = 2s; retransmits = 2; }
monitoring_watch_interval = 3s;
EOR
cat >"$R/local.d/logging.inc" <<EOR
type = "file";
filename = "$R/log/rspamd.log";
level = "info";
EOR
cat >"$R/local.d/worker-normal.inc" <<EOR
bind_socket = "127.0.0.1:11333";
EOR
cat >"$R/local.d/worker-controller.inc" <<EOR
bind_socket = "127.0.0.1:11334";
EOR
cat >"$R/local.d/worker-proxy.inc" <<EOR
bind_socket = "127.0.0.1:11332";
EOR
chown -R _rspamd "$R" 2>/dev/null || chmod -R 777 "$R"
chmod 755 "$work"
rspamd -f -u _rspamd -g _rspamd -c /etc/rspamd/rspamd.conf \
    --var="LOCAL_CONFDIR=$R" --var="DBDIR=$R/db" --var="RUNDIR=$R/run" \
    --var="LOGDIR=$R/log" >"$work/rspamd.out" 2>&1 &
RSPAMD_PID=$!
UPIDS="$UPIDS $RSPAMD_PID"	# lib_cleanup stops it with the upstreams

msg="$work/msg"
printf 'From: a@good.test\nTo: b@rdnsbl.test\nSubject: hi\nMessage-Id: <1@good.test>\n\nhello\n' >"$msg"

# scan IP HELO: rspamc's symbols for a message from IP after HELO.
scan()
{
	rspamc -h 127.0.0.1:11333 -t 20 -i "$1" --helo "$2" symbols <"$msg" 2>&1
}

i=0
until scan 192.0.2.20 mail.good.test | grep -q '^Action'; do
	i=$((i + 1))
	if [ $i -ge 60 ] || ! kill -0 "$RSPAMD_PID" 2>/dev/null; then
		sed 's/^/# rspamd: /' "$work/rspamd.out" "$R"/log/* 2>/dev/null | tail -40
		bail "rspamd did not start"
	fi
	sleep 0.5
done
pass "rspamd scans on 127.0.0.1:11333"

# symbols IP HELO: the RDNSBL_ symbols of that scan, sorted, on one line.
symbols()
{
	scan "$1" "$2" | sed -n 's/^Symbol: \(RDNSBL_[A-Z_]*\).*/\1/p' |
	    sort | tr '\n' ' ' | sed 's/ $//'
}

# every_case: the listed, not listed and whitelisted clients, each HELO.
every_case()
{
	ec_when=$1
	is "$(symbols 192.0.2.10 mail.good.test)" RDNSBL_BLACKLIST \
	    "$ec_when: a blacklisted client: RDNSBL_BLACKLIST"
	is "$(symbols 192.0.2.20 mail.good.test)" "" \
	    "$ec_when: a client not listed, a good HELO: no symbol"
	is "$(symbols 192.0.2.30 mail.good.test)" RDNSBL_WHITELIST \
	    "$ec_when: a whitelisted client: RDNSBL_WHITELIST"
	is "$(symbols 192.0.2.20 localhost)" "RDNSBL_HELO_BAD RDNSBL_HELO_NODOT" \
	    "$ec_when: HELO localhost: bad name and no dot"
	is "$(symbols 192.0.2.20 mailserver)" RDNSBL_HELO_NODOT \
	    "$ec_when: a one-word HELO: RDNSBL_HELO_NODOT"
	is "$(symbols 192.0.2.20 mx.rdnsbl.test)" RDNSBL_HELO_OWN \
	    "$ec_when: HELO with the MX's own name: RDNSBL_HELO_OWN"
	is "$(symbols 192.0.2.20 nowhere.bad.test)" RDNSBL_HELO_NODNS \
	    "$ec_when: HELO of a name without addresses: RDNSBL_HELO_NODNS"
	is "$(symbols 192.0.2.20 dhcp123.good.test)" RDNSBL_HELO_DYNAMIC \
	    "$ec_when: HELO of a dynamic-looking name: RDNSBL_HELO_DYNAMIC"
	is "$(symbols 192.0.2.20 192.0.2.20)" RDNSBL_HELO_BAREIP \
	    "$ec_when: a bare-IP HELO: RDNSBL_HELO_BAREIP"
}

every_case "first scans"

# The monitored check: with random_monitored = false each rule asks
# 1.0.0.127 of its zone; wait until rdnsbld has answered the helo rule's
# probe twice (a 3 s interval here), then ask again.
i=0
until [ "$(grep -c '1\.0\.0\.127\.helo\.test' "$work/log")" -ge 2 ]; do
	i=$((i + 1))
	if [ $i -ge 90 ]; then
		grep 'helo\.test' "$work/log" | tail -5 | sed 's/^/# log: /'
		fail "rspamd's monitored check asked the helo zone"
		break
	fi
	sleep 1
done
[ $i -lt 90 ] && pass "rspamd's monitored check asked 1.0.0.127.helo.test (twice)"
like "$(grep '1\.0\.0\.127\.helo\.test' "$work/log" | tail -n 1)" ' nxdomain$' \
    "... and rdnsbld answered NXDOMAIN: the rule stays on"
# (Debian's own rules of public lists are refused here, and disabled)
unlike "$(cat "$R"/log/rspamd.log)" '(bl|wl|helo)\.test.*disable object' \
    "rspamd disabled none of the rdnsbl rules"
every_case "after the monitored checks"

kill -TERM "$RSPAMD_PID" 2>/dev/null
wait "$RSPAMD_PID" 2>/dev/null
stop_daemon
done_testing
