#!/bin/sh
# SPDX-License-Identifier: ISC
# config.sh -- rdnsbld -V and -n (every error as FILE:LINE, exit 1), a bad
# config at startup, a relative database path, the "listening on" lines,
# SIGHUP reload (a changed ttl; answers go on during the reload; a broken
# config keeps the old one) and SIGTERM (exit 0).

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_programs

VERSION=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")

# --- -V, -n ---------------------------------------------------------------------

o=$("$RDNSBLD" -V 2>&1)
is "$?" 0 "rdnsbld -V exits 0"
like "$o" "^rdnsbld.* $VERSION\$" "rdnsbld -V prints the version $VERSION"

write_conf base.conf.in
o=$("$RDNSBLD" -n -c "$CONF" 2>&1)
is "$?" 0 "rdnsbld -n on the base config exits 0"
unlike "$o" 'error|warning' "rdnsbld -n on the base config reports no problem"
ok "rdnsbld -n does not create the database" test ! -e "$DB"

write_conf bad3.conf.in "$work/bad3.conf"
o=$("$RDNSBLD" -n -c "$work/bad3.conf" 2>&1)
is "$?" 1 "rdnsbld -n on a config with 3 errors exits 1"
for l in 7 12 19; do
	like "$o" "$work/bad3\\.conf:$l: " "rdnsbld -n prints the error of line $l as FILE:$l"
done
is "$(printf '%s\n' "$o" | grep -Ec "$work/bad3\\.conf:[0-9]+: ")" 3 \
    "rdnsbld -n prints exactly 3 FILE:LINE errors"
like "$o" "$work/bad3\\.conf:7: .*no-such-key" "the line 7 error names the unknown key"
like "$o" "$work/bad3\\.conf:12: .*forever" "the line 12 error names the bad value"
like "$o" "$work/bad3\\.conf:19: .*dnsfoo" "the line 19 error names the bad type"

# Starting with a broken config: the same errors, exit 1, nothing served.
"$RDNSBLD" -c "$work/bad3.conf" >"$work/bad.log" 2>&1 &
BADPID=$!
i=0
while kill -0 $BADPID 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 $BADPID 2>/dev/null; then
	kill -TERM $BADPID
	wait $BADPID
	fail "rdnsbld -c bad3.conf exits at once"
else
	wait $BADPID
	is "$?" 1 "rdnsbld -c bad3.conf exits 1 at startup"
fi
is "$(grep -Ec "$work/bad3\\.conf:[0-9]+: " "$work/bad.log")" 3 \
    "rdnsbld -c bad3.conf logs the 3 FILE:LINE errors"

o=$("$RDNSBLD" -n -c "$work/no-such.conf" 2>&1)
is "$?" 1 "rdnsbld -n on a missing file exits 1"
like "$o" 'no-such\.conf' "the error names the missing file"

# bad_conf NAME WHERE TEXT REGEX: a copy of the base config with one bad
# line TEXT must fail rdnsbld -n with that line's FILE:LINE and a message
# matching REGEX, and no other error. WHERE: "server" (inserted after the
# server: line), "end" (appended, in the last zone) or "KEY" (replacing
# the last KEY: line, so that the key is not given twice).
bad_conf()
{
	f="$work/one.conf"
	case $2 in
	server)
		l=$(($(grep -n '^server:' "$CONF" | cut -d: -f1) + 1))
		awk -v l=$l -v t="$3" 'NR == l { print t } { print }' "$CONF" >"$f"
		;;
	end)
		l=$(($(wc -l <"$CONF") + 1))
		{ cat "$CONF"; printf '%s\n' "$3"; } >"$f"
		;;
	*)
		l=$(grep -n "^[[:space:]]*$2:" "$CONF" | tail -n1 | cut -d: -f1)
		awk -v l=$l -v t="$3" 'NR == l { print t; next } { print }' \
		    "$CONF" >"$f"
		;;
	esac
	# a TEXT of several lines: the error may be on any of them
	n=$(printf '%s\n' "$3" | wc -l)
	lre=$l
	while [ "$n" -gt 1 ]; do
		n=$((n - 1))
		lre="$lre|$((l + n))"
	done
	o=$("$RDNSBLD" -n -c "$f" 2>&1)
	rc=$?
	if [ "$rc" -eq 1 ] && printf '%s\n' "$o" | grep -Eq "$f:($lre): .*$4" &&
	    [ "$(printf '%s\n' "$o" | grep -Ec "$f:[0-9]+: ")" -eq 1 ]; then
		pass "rdnsbld -n: $1 is one error at FILE:$l"
	else
		fail "rdnsbld -n: $1 is one error at FILE:$l" "rc $rc" "$o"
	fi
}
TAB=$(printf '\t')
bad_conf "an unknown clause" end "frobnicate:" frobnicate
bad_conf "an unknown key" server "${TAB}frobnicate: 1" frobnicate
bad_conf "a port out of range" server "${TAB}listen: 127.0.0.1@99999" 99999
bad_conf "a bad listen address" server "${TAB}listen: 127.0.0.256@5353" 127.0.0.256
bad_conf "a bad allow-query network" allow-query "${TAB}allow-query: 10.0.0.0/33" 33
bad_conf "a bad verbosity" verbosity "${TAB}verbosity: lots" lots
bad_conf "a bad udp-size" udp-size "${TAB}udp-size: big" big
bad_conf "a udp-size below 512" udp-size "${TAB}udp-size: 100" 100
bad_conf "a key given twice" udp-size "${TAB}udp-size: 1232
${TAB}udp-size: 1232" twice
bad_conf "a negative ttl" ttl "${TAB}ttl: -5" -5
bad_conf "a bad negative-ttl" negative-ttl "${TAB}negative-ttl: 5x" 5x
bad_conf "a code of 127.0.0.1" code "${TAB}code: blacklist 127.0.0.1" 127.0.0.1
# a code anywhere else in 127.0.0.0/8 is accepted, as rbldnsd accepts it
sed "s/^\([[:space:]]*code:\).*/\1 blacklist 127.255.255.2/" "$CONF" \
    >"$work/code.conf"
like "$(cat "$work/code.conf")" 'code: blacklist 127\.255\.255\.2$' \
    "the configuration with a code of 127.255.255.2"
ok "rdnsbld -n: a code of 127.255.255.2 is accepted" \
    "$RDNSBLD" -n -c "$work/code.conf"
bad_conf "a code outside 127/8" code "${TAB}code: blacklist 10.0.0.2" 10.0.0.2
bad_conf "a code for an unknown reason" code "${TAB}code: no-such-reason 127.0.0.3" no-such-reason
bad_conf "a txt for an unknown reason" end "${TAB}txt: no-such-reason \"x\"" no-such-reason
bad_conf "an unknown check" checks "${TAB}checks: blacklist, no-such-check" no-such-check
bad_conf "a whitelist reason in a dnsbl zone" code "${TAB}code: whitelist 127.0.0.3" whitelist
bad_conf "an unterminated string" end "${TAB}txt: \"no end" .
bad_conf "a duplicate zone" end "zone:
${TAB}name: bl.test
${TAB}type: dnsbl" bl\\.test

# --- a relative database path ------------------------------------------------------

mkdir "$work/rel"
write_conf relative.conf.in "$work/rel/r.conf"
(cd / && "$RDNSBLCTL" -c "$work/rel/r.conf" add black 192.0.2.1 >/dev/null 2>&1)
is "$?" 0 "rdnsblctl on a config with database: reldb works from /"
ok "database: reldb is taken relative to the config file's directory" \
    test -d "$work/rel/reldb"

# --- the daemon: listening lines, SIGHUP, SIGTERM ---------------------------------

ctl_must add black 192.0.2.0/24 --reason "spam source"
start_daemon
like "$(cat "$work/log")" "^rdnsbld: listening on 127\\.0\\.0\\.1@$PORT \\(udp, tcp\\)\$" \
    "the log says listening on 127.0.0.1@$PORT (udp, tcp)"
like "$(cat "$work/log")" "^rdnsbld: listening on ::1@$PORT \\(udp, tcp\\)\$" \
    "the log says listening on ::1@$PORT (udp, tcp)"
is "$(dig_section "$(q 5.2.0.192.bl.test A)" ANSWER)" "5.2.0.192.bl.test. 300 IN A 127.0.0.2" \
    "before the reload: ttl 300"

# Reload with ttl 10m while queries run.
TTL=10m
write_conf base.conf.in
(
	i=0
	while [ $i -lt 30 ]; do
		dig_status "$(q 5.2.0.192.bl.test A)"
		i=$((i + 1))
	done
) >"$work/during" &
QPID=$!
sleep 0.3
kill -HUP "$PID"
wait $QPID
is "$(sort "$work/during" | uniq -c | awk '{ print $1, $2 }')" "30 NOERROR" \
    "30 queries sent during the reload all get NOERROR"
ok "the log says reloaded $CONF" await_log "^rdnsbld: reloaded $CONF(:|\$)"
is "$(dig_section "$(q 5.2.0.192.bl.test A)" ANSWER)" "5.2.0.192.bl.test. 600 IN A 127.0.0.2" \
    "after the reload: the new ttl 600"
is "$(dig_section "$(q +tcp bl.test NS)" ANSWER)" "bl.test. 600 IN NS ns.bl.test." \
    "after the reload: the apex NS has ttl 600 over TCP"
is "$(q6 +short 5.2.0.192.bl.test A)" 127.0.0.2 "after the reload: ::1 still answers"
ok "the daemon still runs after SIGHUP" kill -0 "$PID"

# A broken config on SIGHUP: logged with FILE:LINE, the old one stays.
TTL=20m
write_conf base.conf.in
l=$(($(wc -l <"$CONF") + 1))
printf '\tbogus-key: 1\n' >>"$CONF"
kill -HUP "$PID"
ok "a broken config on SIGHUP is logged as FILE:LINE" await_log "$CONF:$l: "
expect_log "$CONF:$l: "
expect_log "conf: 1 error in $CONF$"
expect_log 'reload failed, keeping the running configuration'
is "$(dig_section "$(q 5.2.0.192.bl.test A)" ANSWER)" "5.2.0.192.bl.test. 600 IN A 127.0.0.2" \
    "after a failed reload: the old config (ttl 600) stays"
is "$(dig_section "$(q +tcp bl.test NS)" ANSWER)" "bl.test. 600 IN NS ns.bl.test." \
    "after a failed reload: the apex keeps ttl 600, not the broken file's 1200"
ok "the daemon still runs after a broken SIGHUP" kill -0 "$PID"
is "$(grep -c '^rdnsbld: reloaded ' "$work/log")" 1 "a failed reload does not say reloaded"

# Fixed again: the next SIGHUP works.
TTL=1m
write_conf base.conf.in
kill -HUP "$PID"
await_reloads 2
is "$(grep -c '^rdnsbld: reloaded ' "$work/log")" 2 "a fixed config reloads again"
is "$(dig_section "$(q 5.2.0.192.bl.test A)" ANSWER)" "5.2.0.192.bl.test. 60 IN A 127.0.0.2" \
    "after the second reload: ttl 60"

# SIGTERM: exit 0, no unexpected log lines.
stop_daemon
done_testing
