#!/bin/sh
# SPDX-License-Identifier: ISC
# errors.sh -- the mistakes of a first hour, each with an error that says
# what to do: rdnsbld's -h, --help and --version, the missing default
# configuration, a listen address that cannot be bound (its file:line), a
# database: whose parent does not exist (refused, nothing created), a
# database the user may not open (the file, the user, what to run), a
# zone line without its colon (one error), a duration in two words, a
# mistyped key; rdnsblctl's --help, -V, --version, a mistyped command or
# option, "--expires 1 hour", check of a name, del of an address inside
# a listed range, check with no resolver where resolver: points.

. "$top_srcdir/tests/integration/lib.sh"
need_programs
need_tool dig

# --- rdnsbld's options --------------------------------------------------------
o=$("$RDNSBLD" -h 2>&1)
rc=$?
is "$rc" 0 "rdnsbld -h: exit 0"
like "$o" '^  -c file +read this configuration \(default: /.*/rdnsbl/rdnsbld\.conf\)$' \
    "rdnsbld -h: describes -c with the default configuration path"
like "$o" '^  -n +check the configuration' "rdnsbld -h: describes -n"
like "$o" '^  /.*/rdnsbl/rdnsbld\.conf\.sample$' "rdnsbld -h: names the sample"
like "$o" 'src/rdnsbld -d -c zones/example\.conf' "rdnsbld -h: and the source tree's example"
is "$("$RDNSBLD" --help 2>&1)" "$o" "rdnsbld --help: the same as -h"
like "$("$RDNSBLD" --version 2>&1)" '^rdnsbld [0-9]' "rdnsbld --version: the version"
o=$("$RDNSBLD" -x 2>&1)
rc=$?
is "$rc" 2 "rdnsbld -x: exit 2"
like "$o" 'rdnsbld -h describes the options' "rdnsbld -x: points at -h"
def=$("$RDNSBLD" -h | sed -n 's/.*(default: \(.*\))$/\1/p')
if [ -n "$def" ] && [ ! -e "$def" ]; then
	o=$("$RDNSBLD" -n 2>&1)
	like "$o" "$def: cannot open: No such file or directory \\(copy the sample $def\\.sample there and edit it, or give one with -c; from the source tree: -c zones/example\\.conf\\)" \
	    "rdnsbld without a configuration: points at the sample"
else
	pass "rdnsbld without a configuration: $def exists here, not tried"
fi

# --- configuration mistakes ---------------------------------------------------
# conf_n TEXT: rdnsbld -n on a configuration of TEXT after a valid server:
conf_n()
{
	{
		printf 'server:\n\tlisten: 127.0.0.1@5300\n\tdatabase: %s\n' "$DB"
		printf '%b' "$1"
	} >"$work/t.conf"
	CONF_OUT=$("$RDNSBLD" -n -c "$work/t.conf" 2>&1)
	CONF_RC=$?
}
zone='zone:\n\tname: bl.test\n\ttype: dnsbl\n'
conf_n "zone\n\tname: bl.test\n\ttype: dnsbl\n\tttl: 5m\n\tsoa: ns.bl.test hostmaster.bl.test\n"
is "$CONF_OUT" "rdnsbld: error: $work/t.conf:4: \"zone\" without its colon: write \"zone:\"
rdnsbld: error: conf: 1 error in $work/t.conf" "a zone line without its colon: one error, saying so"
conf_n "$zone\tttl: 5 minutes\n"
like "$CONF_OUT" "t\\.conf:7: ttl: bad value \"5 minutes\": bad duration \\(use 30, 30s, 5m, 1h, 2d or 1w: one number, at most one unit, no space\\)" \
    "ttl: 5 minutes: the accepted syntax"
conf_n "$zone\tnegativ-ttl: 5m\n"
like "$CONF_OUT" "t\\.conf:7: unknown key \"negativ-ttl\" in zone: clause \\(did you mean \"negative-ttl:\"\\?\\)" \
    "a mistyped key: did you mean"

# --- a listen address that cannot be bound ------------------------------------
pick_port
write_conf base.conf.in
printf 'server:\n\tlisten: 192.0.2.254@%s\n' "$PORT" >>"$CONF"
n=$(grep -n '192.0.2.254' "$CONF" | cut -d: -f1)
o=$("$RDNSBLD" -c "$CONF" 2>&1)
rc=$?
is "$rc" 1 "a listen address not of this host: rdnsbld exits 1"
like "$o" "rdnsbld: error: $CONF:$n: listen: cannot listen on 192\\.0\\.2\\.254@$PORT: Cannot assign requested address \\(no interface of this host has that address: see \"ip addr\"\\)" \
    "... naming the file:line of the listen: line and what to check"

# The running daemon's log lines: in a terminal with the time and the
# severity; to the journal with a syslog priority prefix; to a file plain.
if command -v script >/dev/null 2>&1; then
	script -qfec "\"$RDNSBLD\" -c \"$CONF\"" "$work/tty.out" \
	    </dev/null >/dev/null 2>&1
	o=$(tr -d '\r' <"$work/tty.out")
	like "$o" "^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z rdnsbld: fatal: $CONF:$n: listen: cannot listen on 192\\.0\\.2\\.254@$PORT" \
	    "log to a terminal: the time and the severity"
else
	fail "log to a terminal" "script(1) not installed (bsdutils)"
fi
: >"$work/journal.out"
JOURNAL_STREAM=$(stat -c '%d:%i' "$work/journal.out") \
    "$RDNSBLD" -c "$CONF" 2>>"$work/journal.out"
o=$(cat "$work/journal.out")
like "$o" "^<2>rdnsbld: error: $CONF:$n: listen: cannot listen on 192\\.0\\.2\\.254@$PORT" \
    "log to the journal (\$JOURNAL_STREAM): the syslog priority prefix (critical)"
: >"$work/plain.out"
JOURNAL_STREAM=1:1 "$RDNSBLD" -c "$CONF" 2>>"$work/plain.out"
like "$(cat "$work/plain.out")" "^rdnsbld: error: $CONF:$n: listen: cannot listen on" \
    "log to a file (another \$JOURNAL_STREAM): plain lines"

# A port in use: the http: listen line on the DNS port (its TCP socket).
write_conf base.conf.in
printf 'http:\n\tlisten: 127.0.0.1@%s\n' "$PORT" >>"$CONF"
n=$(grep -n "^	listen: 127.0.0.1@$PORT\$" "$CONF" | tail -1 | cut -d: -f1)
o=$("$RDNSBLD" -c "$CONF" 2>&1)
like "$o" "rdnsbld: error: $CONF:$n: listen: cannot listen on 127\\.0\\.0\\.1@$PORT: Address already in use \\(another program listens there: see \"ss -ltunp\", or choose another port\\)" \
    "a port in use: the http: clause's listen: line, and what to do"

# --- database: ----------------------------------------------------------------
write_conf base.conf.in
sed -i "s|database: .*|database: $work/no-such-dir/db|" "$CONF"
o=$("$RDNSBLD" -c "$CONF" 2>&1)
rc=$?
is "$rc" 1 "database: with a missing parent: rdnsbld exits 1"
like "$o" "store: cannot create the database directory $work/no-such-dir/db: its parent directory $work/no-such-dir does not exist \\(only the last component is created: check database: for a typo, or create the parent first: mkdir -p $work/no-such-dir\\)" \
    "... saying the parent is missing and what to run"
ok "... and creating nothing" test ! -e "$work/no-such-dir"
ctl add black 192.0.2.1
like "$CTL_ERR" "cannot create the database directory $work/no-such-dir/db: its parent directory" \
    "rdnsblctl add: the same refusal"
ok "... creating nothing" test ! -e "$work/no-such-dir"

# The last component alone is created (var/ of the example).
write_conf base.conf.in
ctl_ok "database: a missing last component is created" add black 192.0.2.1
ok "... as a directory" test -d "$DB"

# Permission denied: as another user (root: nobody), or a database that
# even its owner may not open (not root).
chmod 755 "$work"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
    id nobody >/dev/null 2>&1; then
	o=$(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
	    "$RDNSBLCTL" -c "$CONF" add black 192.0.2.2 2>&1)
	who=nobody owner=root
else
	chmod 0 "$DB/data.mdb"
	o=$("$RDNSBLCTL" -c "$CONF" add black 192.0.2.2 2>&1)
	who=$(id -un) owner=$(id -un)
fi
like "$o" "store: cannot open the database: $DB(/data\\.mdb)?: permission denied for user $who \\(it belongs to $owner; rdnsbld and rdnsblctl need to read and write the database\\): run this as $owner \\(sudo -u $owner \\.\\.\\.\\), or give $who the database: chown -R $who $DB" \
    "permission denied: the file, the user, the owner and what to run"
chmod 640 "$DB/data.mdb"

# --- rdnsblctl's options ------------------------------------------------------
write_conf base.conf.in
o=$("$RDNSBLCTL" --help 2>&1)
rc=$?
is "$rc" 0 "rdnsblctl --help: exit 0"
like "$o" '^usage: rdnsblctl \[-c FILE\] add LIST' "rdnsblctl --help: the usage"
is "$o" "$("$RDNSBLCTL" -h 2>&1)" "rdnsblctl --help: the same as -h"
like "$("$RDNSBLCTL" -V 2>&1)" '^rdnsblctl [0-9]' "rdnsblctl -V: the version"
like "$("$RDNSBLCTL" --version 2>&1)" '^rdnsblctl [0-9]' "rdnsblctl --version: the version"
ctl lsit
is "$CTL_RC" 2 "a mistyped command: exit 2"
like "$CTL_ERR" '^rdnsblctl: unknown command "lsit" \(did you mean "list"\?\)$' \
    "a mistyped command: did you mean"
ctl add black 192.0.2.3 --expire 1h
like "$CTL_ERR" '^rdnsblctl: unknown option "--expire" \(did you mean "--expires"\?\)$' \
    "a mistyped option: did you mean"
like "$CTL_ERR" '^usage: rdnsblctl \[-c FILE\] add LIST ADDR' \
    "... then the command's usage"
ctl add black 192.0.2.3 --expires 1 hour
is "$CTL_RC" 2 "--expires 1 hour: exit 2"
like "$CTL_ERR" '^rdnsblctl: --expires 1 hour: a duration is one word: write --expires 1h \(30, 30s, 5m, 1h, 2d or 1w\)$' \
    "--expires 1 hour: how to write it"
ctl add black 192.0.2.3 --reason spam run
like "$CTL_ERR" 'add: wrong number of arguments: 3 given, at most 2 \(add LIST ADDR.*\); quote a value that has spaces, such as --reason "spam run"' \
    "too many arguments: how many, and the quoting"
ctl check example.com
is "$CTL_RC" 1 "check example.com: exit 1"
like "$CTL_ERR" '^rdnsblctl: error: check takes an IP address, not the name "example\.com"; for a HELO name: rdnsblctl helo example\.com$' \
    "check example.com: not an address, and the command for a name"
ctl_ok "add black 192.0.2.0/24" add black 192.0.2.0/24
ctl del black 192.0.2.7
is "$CTL_RC" 1 "del inside a listed range: exit 1"
like "$CTL_ERR" '^rdnsblctl: error: no black entry for 192\.0\.2\.7: the black entry 192\.0\.2\.0/24 covers it \("rdnsblctl del black 192\.0\.2\.0/24" removes the whole range; "rdnsblctl add white 192\.0\.2\.7" excepts 192\.0\.2\.7 alone\)$' \
    "del inside a listed range: names the range, and both ways out"
ctl del black 198.51.100.7
like "$CTL_ERR" '^rdnsblctl: error: no black entry for 198\.51\.100\.7 \(see rdnsblctl list black\)$' \
    "del of an address nothing covers: as before"

# --- check with no resolver at resolver: -------------------------------------
pick_port
cat >"$work/r.conf" <<EOF
server:
	listen: 127.0.0.1@$PORT
	database: $work/rdb
	resolver: 127.0.0.1@$PORT
	check-timeout: 2s
zone:
	name: bl.test
	type: dnsbl
	checks: blacklist, no-ptr
EOF
o=$("$RDNSBLCTL" -c "$work/r.conf" check 198.51.100.13 2>&1)
like "$o" "^  PTR 13\.100\.51\.198\.in-addr\.arpa: error \(connection refused by 127\.0\.0\.1@$PORT: is a resolver running there\?\)\$" \
    "check with nothing at resolver:: connection refused, and what to check"
like "$o" '^198\.51\.100\.13 unknown$' "... and the verdict unknown"

done_testing
