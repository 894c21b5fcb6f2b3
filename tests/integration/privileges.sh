#!/bin/sh
# SPDX-License-Identifier: ISC
# privileges.sh -- rdnsbld started as root with user: binds, opens the
# database, then becomes that user for good: every thread's real,
# effective, saved and file system IDs are the user's, no supplementary
# group and no capability is left; it still answers, sees rdnsblctl's
# changes, including those of an operator of the database's group, while
# another user is refused. A reload keeps the sockets and says that a new
# listen: needs a restart. A drop that fails ends the run, never goes on
# as root. Needs root: in CI (CI=true) not being root is a failure.

. "$top_srcdir/tests/integration/lib.sh"
need_root "to start rdnsbld as root"
need_tool dig
need_tool setpriv
need_programs

# The user: nobody, whose group (nogroup on Debian) becomes the
# database's. The operators are made-up IDs in that group or not.
USER_NAME=nobody
UID_N=$(id -u "$USER_NAME") || bail "no user $USER_NAME"
GID_N=$(id -g "$USER_NAME") || bail "no group for $USER_NAME"
GROUP_NAME=$(getent group "$GID_N" | cut -d: -f1)
OPERATOR=4242
STRANGER=4243

# The daemon's user must reach the database through the work directory.
chmod 755 "$work"
# Started with supplementary groups (adm, dialout), which the drop clears.
printf '#!/bin/sh\nexec setpriv --groups 4,20 "%s" "$@"\n' "$RDNSBLD" \
    >"$work/rdnsbld-groups" && chmod 755 "$work/rdnsbld-groups" ||
    bail "cannot write $work/rdnsbld-groups"
RDNSBLD_ROOT=$RDNSBLD
RDNSBLD="$work/rdnsbld-groups"
write_conf base.conf.in
printf 'server:\n\tuser: %s\n\tpidfile: %s\n' "$USER_NAME" \
    "$work/rdnsbld.pid" >>"$CONF"
ok "rdnsbld -n accepts user: $USER_NAME" "$RDNSBLD" -n -c "$CONF"
start_daemon

like "$(cat "$work/log")" "^rdnsbld: running as user $USER_NAME \\(uid $UID_N, gid $GID_N\\), no supplementary group\$" \
    "the log says it runs as $USER_NAME"
is "$(cat "$work/rdnsbld.pid" 2>&1)" "$PID" "the pid file, written as root, holds the daemon's PID"

# Every thread, from /proc: Uid/Gid are real, effective, saved, fs.
ntask=0
bad=
for st in /proc/"$PID"/task/*/status; do
	[ -r "$st" ] || continue
	ntask=$((ntask + 1))
	u=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "$st")
	g=$(awk '/^Gid:/ { print $2, $3, $4, $5 }' "$st")
	gr=$(awk '/^Groups:/ { $1 = ""; print }' "$st" | tr -d ' ')
	[ "$u" = "$UID_N $UID_N $UID_N $UID_N" ] || bad="$bad [$st Uid $u]"
	[ "$g" = "$GID_N $GID_N $GID_N $GID_N" ] || bad="$bad [$st Gid $g]"
	[ -z "$gr" ] || bad="$bad [$st Groups $gr]"
	for c in CapInh CapPrm CapEff CapAmb; do
		v=$(awk -v c="$c:" '$1 == c { print $2 }' "$st")
		[ "$v" = 0000000000000000 ] || bad="$bad [$st $c $v]"
	done
done
ok "/proc/$PID/task has at least one thread ($ntask)" test "$ntask" -ge 1
is "$bad" "" "every thread: uid $UID_N and gid $GID_N (real, effective, saved, fs), no group, no capability"

is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 "as $USER_NAME it answers the test point"
is "$(dig_status "$(q 9.2.0.192.bl.test A)")" NXDOMAIN "192.0.2.9 is not listed yet"

# The database: the directory the daemon made as root is the user's and
# its group's, 2770; the files are the group's, 0660; others get nothing.
is "$(stat -c '%a %U %G' "$DB")" "2770 $USER_NAME $GROUP_NAME" \
    "the database directory: 2770, $USER_NAME, $GROUP_NAME"
for f in data.mdb lock.mdb; do
	is "$(stat -c '%a %G' "$DB/$f")" "660 $GROUP_NAME" "$f: 0660, group $GROUP_NAME"
done

# root's rdnsblctl, then an operator of the group's, then a stranger's.
ctl_ok "rdnsblctl add as root" add black 192.0.2.9 --reason "root run"
is "$(q +short 9.2.0.192.bl.test A)" 127.0.0.2 "the daemon sees root's add at once"
op() { # op UID GID ARGS...: rdnsblctl as that user, no other group
	op_u=$1 op_g=$2
	shift 2
	setpriv --reuid="$op_u" --regid="$op_g" --clear-groups \
	    "$RDNSBLCTL" -c "$CONF" "$@" >"$work/op.out" 2>"$work/op.err"
}
ok "an operator in group $GROUP_NAME may add" op "$OPERATOR" "$GID_N" \
    add black 192.0.2.10 --reason "operator run"
is "$(cat "$work/op.err")" "" "the operator's add says nothing on stderr"
is "$(q +short 10.2.0.192.bl.test A)" 127.0.0.2 "the daemon sees the operator's add at once"
if op "$STRANGER" "$STRANGER" list black; then
	fail "a user outside the group cannot read the database" \
	    "$(cat "$work/op.out")"
else
	pass "a user outside the group cannot read the database"
fi
like "$(cat "$work/op.err")" "[Pp]ermission denied" "the stranger is told: permission denied"
is "$(stat -c '%a %G' "$DB/data.mdb") $(stat -c '%a %G' "$DB/lock.mdb")" \
    "660 $GROUP_NAME 660 $GROUP_NAME" "after the operator's write the files are still 0660 and the group's"

# A reload with another port: kept sockets, a clear line, still answering.
OLDPORT=$PORT
sed "s/@$OLDPORT\$/@$((OLDPORT + 1))/" "$CONF" >"$work/new.conf" &&
    cat "$work/new.conf" >"$CONF"
kill -HUP "$PID"
ok "a changed listen: after the drop is logged as needing a restart" \
    await_log "listen: changed in $CONF, but rdnsbld runs as user $USER_NAME and keeps its sockets: restart it"
expect_log "listen: changed in "
ok "the reload is applied otherwise" await_log "^rdnsbld: reloaded $CONF"
is "$(q +short 9.2.0.192.bl.test A)" 127.0.0.2 "after the reload it answers on the old port $OLDPORT"
stop_daemon
RDNSBLD=$RDNSBLD_ROOT

# A drop that fails ends the run: root without CAP_SETUID/CAP_SETGID.
write_conf base.conf.in
printf 'server:\n\tuser: %s\n' "$USER_NAME" >>"$CONF"
setpriv --bounding-set=-setuid,-setgid "$RDNSBLD" -c "$CONF" \
    >"$work/fail.log" 2>&1 &
FPID=$!
i=0
while kill -0 "$FPID" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$FPID" 2>/dev/null; then
	kill -TERM "$FPID"
	wait "$FPID"
	fail "a failed drop ends the run" "$(cat "$work/fail.log")"
else
	wait "$FPID"
	is "$?" 1 "a failed drop ends the run with status 1"
fi
like "$(cat "$work/fail.log")" "^rdnsbld: error: cannot run as user $USER_NAME: setgroups: Operation not permitted; not going on as root\$" \
    "the failed drop is logged as an error: not going on as root"

# An unknown user: rdnsbld -n and the start both refuse it.
write_conf base.conf.in
printf 'server:\n\tuser: no-such-user-rdnsbl\n' >>"$CONF"
o=$("$RDNSBLD" -n -c "$CONF" 2>&1)
is "$?" 1 "rdnsbld -n with an unknown user: exits 1"
like "$o" "^rdnsbld: error: user no-such-user-rdnsbl: no such user\$" \
    "rdnsbld -n names the unknown user"
write_conf base.conf.in
o=$("$RDNSBLD" -u no-such-user-rdnsbl -c "$CONF" 2>&1)
is "$?" 1 "rdnsbld -u with an unknown user: exits 1 at startup"
like "$o" "^rdnsbld: error: user no-such-user-rdnsbl: no such user\$" \
    "rdnsbld -u names the unknown user"
done_testing
