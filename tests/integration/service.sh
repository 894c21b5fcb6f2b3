#!/bin/sh
# SPDX-License-Identifier: ISC
# service.sh -- rdnsbld as a service: without -d it goes to the
# background once it answers (the command exits 0, the pid file names the
# daemon, a session of its own), a failed start exits 1 with its errors
# on stderr; the log's severities on stderr ("error:", "warning:"); a
# reload that changes log: or pidfile: says a restart applies it; the
# systemd unit, sysusers.d and tmpfiles.d files that make install puts
# in place carry the configured paths, the unit passes systemd-analyze
# verify, and systemd-sysusers and systemd-tmpfiles apply the other two
# in a root directory of the test's (none of it needs systemd as PID 1).

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool systemd-analyze
need_tool systemd-sysusers
need_tool systemd-tmpfiles
need_programs
: "${sbindir:?sbindir is not set}"
: "${localstatedir:?localstatedir is not set}"

# --- the background ----------------------------------------------------------

# start_bg LOG NAME: rdnsbld without -d, its output to LOG; the test NAME
# is that it exits 0; DPID is the daemon's, from its pid file. It starts
# in the work directory with relative paths, which must still hold once
# it has moved to / (the reload, the pid file's removal).
start_bg()
{
	(cd "$work" && exec "$RDNSBLD_BIN" -c "${CONF#"$work"/}" \
	    -P rdnsbld.pid) >"$1" 2>&1
	is "$?" 0 "$2"
	DPID=$(cat "$work/rdnsbld.pid" 2>/dev/null)
	case $DPID in
	''|*[!0-9]*) bail "no pid in $work/rdnsbld.pid: $(cat "$1")" ;;
	esac
	UPIDS="$UPIDS $DPID"	# the cleanup ends it
}

write_conf base.conf.in
printf 'server:\n\tlog: stderr\n' >>"$CONF"
start_bg "$work/log" "rdnsbld without -d exits 0 once the daemon is started"
ok "the pid file names a running process" kill -0 "$DPID"
is "$(ps -o comm= -p "$DPID")" rdnsbld "that process is rdnsbld"
is "$(ps -o sid= -p "$DPID" | tr -d ' ')" "$DPID" "it leads a session of its own"
is "$(readlink "/proc/$DPID/cwd")" / "its working directory is /"
is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 "it answers at once: the start waited for the sockets"
like "$(cat "$work/log")" "^rdnsbld: listening on 127\\.0\\.0\\.1@$PORT \\(udp, tcp\\)\$" \
    "the startup lines went to the starter's stderr"

# log: stderr keeps stderr: a reload's lines still come; a changed log:
# and pidfile: are warnings that a restart applies them.
sed -e 's/^\tlog: stderr$/\tlog: syslog/' "$CONF" >"$work/c2" &&
    cat "$work/c2" >"$CONF"
printf '\tpidfile: %s\n' "$work/other.pid" >>"$CONF"
kill -HUP "$DPID"
ok "log: stderr: the reload is logged on the kept stderr" \
    await_log "^rdnsbld: reloaded $CONF"
like "$(cat "$work/log")" "^rdnsbld: warning: log: changed in $CONF: a restart applies it\$" \
    "a changed log: is a warning: a restart applies it"
like "$(cat "$work/log")" "^rdnsbld: warning: pidfile: changed in $CONF: a restart applies it\$" \
    "a changed pidfile: is a warning: a restart applies it"
ok "the other pid file is not written" test ! -e "$work/other.pid"
kill -TERM "$DPID"
i=0
while kill -0 "$DPID" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
ok "SIGTERM ends the daemon" test "$i" -lt 50
ok "it removed its pid file" test ! -e "$work/rdnsbld.pid"
like "$(cat "$work/log")" "^rdnsbld: exited\$" "its last line: exited"

# log: syslog (the default): after the start nothing more on stderr.
write_conf base.conf.in
start_bg "$work/log2" "with log: syslog, the start exits 0"
is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 "it answers"
n=$(wc -l <"$work/log2")
kill -HUP "$DPID"
sleep 0.5
is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 "it answers after the reload"
is "$(wc -l <"$work/log2")" "$n" "with log: syslog, the reload wrote nothing on stderr"
ok "stderr is /dev/null" test "$(readlink "/proc/$DPID/fd/2")" = /dev/null
kill -TERM "$DPID"

# A failed start: exit 1, the errors, with their severity, on stderr.
printf 'server:\n\tbogus-key: 1\nzone:\n\tname: x.test\n\ttype: dnsbl\n' \
    >"$work/bad.conf"
o=$("$RDNSBLD_BIN" -c "$work/bad.conf" 2>&1)
is "$?" 1 "a failed start without -d exits 1"
like "$o" "^rdnsbld: error: $work/bad\\.conf:2: unknown key \"bogus-key\"" \
    "its error is on stderr, as error: FILE:LINE"
like "$o" "^rdnsbld: error: cannot start with $work/bad\\.conf\$" \
    "and the summary line"
o=$("$RDNSBLD" -n -c "$work/bad.conf" 2>&1)
like "$o" "^rdnsbld: error: $work/bad\\.conf:2: " "rdnsbld -n: error: FILE:LINE"
o=$("$RDNSBLD_BIN" -x 2>&1)
is "$?" 2 "an unknown option exits 2"
like "$o" "^usage: rdnsbld \\[-dhnVv\\] \\[-c file\\] \\[-P pidfile\\] \\[-u user\\]\$" \
    "and prints the usage"

# --- the systemd files ------------------------------------------------------
UNIT="$top_builddir/dist/rdnsbld.service"
SYSUSERS="$top_builddir/dist/sysusers.d/rdnsbl.conf"
TMPFILES="$top_builddir/dist/tmpfiles.d/rdnsbl.conf"
for f in "$UNIT" "$SYSUSERS" "$TMPFILES"; do
	[ -f "$f" ] || bail "$f is not built"
	unlike "$(cat "$f")" '@[a-z_]+@' "${f#"$top_builddir"/}: no placeholder left"
done
u=$(cat "$UNIT")
like "$u" "^ExecStart=$sbindir/rdnsbld -u rdnsbl -P /run/rdnsbl/rdnsbld\\.pid\$" \
    "the unit starts the installed rdnsbld ($sbindir), as user rdnsbl"
like "$u" "^ExecStartPre=$sbindir/rdnsbld -n -u rdnsbl\$" "it checks the configuration first"
like "$u" "^ReadWritePaths=$localstatedir/lib/rdnsbl\$" \
    "it may write the database directory ($localstatedir/lib/rdnsbl)"
for h in ProtectSystem=strict NoNewPrivileges=yes ProtectHome=yes \
    PrivateTmp=yes PrivateDevices=yes 'SystemCallFilter=@system-service' \
    'CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_SETUID CAP_SETGID CAP_DAC_OVERRIDE CAP_CHOWN CAP_FOWNER'; do
	like "$u" "^$h\$" "the unit has $h"
done

# systemd-analyze verify: the programs must exist, so the copy runs the
# built rdnsbld; the manual pages of Documentation= are looked up too.
mkdir -p "$work/unit" "$work/man/man8" "$work/man/man5"
ln -s "$top_srcdir/doc/rdnsbld.8" "$work/man/man8/rdnsbld.8"
ln -s "$top_srcdir/doc/rdnsbld.conf.5" "$work/man/man5/rdnsbld.conf.5"
sed "s|$sbindir/rdnsbld|$RDNSBLD_BIN|g" "$UNIT" >"$work/unit/rdnsbld.service"
o=$(MANPATH="$work/man" systemd-analyze verify "$work/unit/rdnsbld.service" 2>&1)
is "$?" 0 "systemd-analyze verify rdnsbld.service exits 0"
is "$o" "" "systemd-analyze verify says nothing"
# a broken copy must fail, or the check proves nothing
sed 's/^Type=forking/Type=forkin/' "$work/unit/rdnsbld.service" \
    >"$work/unit/broken.service"
o=$(MANPATH="$work/man" systemd-analyze verify "$work/unit/broken.service" 2>&1)
like "$o" "forkin" "systemd-analyze verify reports a broken copy"
o=$(systemd-analyze security --offline=true \
    "$work/unit/rdnsbld.service" 2>&1 | tail -1)
diag "systemd-analyze security: ${o#*: }"
like "$o" "Overall exposure level for rdnsbld\\.service: [0-3]\\.[0-9] " \
    "systemd-analyze security: an exposure level below 4"

# sysusers.d and tmpfiles.d applied in a root directory of our own.
ROOT="$work/root"
mkdir -p "$ROOT/etc"
o=$(systemd-sysusers --root="$ROOT" "$SYSUSERS" 2>&1)
is "$?" 0 "systemd-sysusers applies rdnsbl.conf"
like "$(cat "$ROOT/etc/passwd" 2>/dev/null)" \
    "^rdnsbl:x:[0-9]+:[0-9]+:rdnsbl DNSBL server:$localstatedir/lib/rdnsbl:/usr/sbin/nologin\$" \
    "it makes the system user rdnsbl"
like "$(cat "$ROOT/etc/group" 2>/dev/null)" "^rdnsbl:x:[0-9]+:" "and the group rdnsbl"
o=$(systemd-tmpfiles --root="$ROOT" --create "$TMPFILES" 2>&1)
is "$?" 0 "systemd-tmpfiles applies rdnsbl.conf"
ruid=$(awk -F: '$1 == "rdnsbl" { print $3 }' "$ROOT/etc/passwd")
rgid=$(awk -F: '$1 == "rdnsbl" { print $3 }' "$ROOT/etc/group")
is "$(stat -c '%a %u %g' "$ROOT$localstatedir/lib/rdnsbl" 2>&1)" "2770 $ruid $rgid" \
    "the database directory: 2770, rdnsbl, rdnsbl"
done_testing
