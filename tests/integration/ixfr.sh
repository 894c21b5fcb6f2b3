#!/bin/sh
# SPDX-License-Identifier: ISC
# ixfr.sh -- IXFR (RFC 1995) queries, with the serial the requester has
# in the authority section: from the current serial the answer is that
# one SOA; from a serial the journal cannot lead from (before the zone's
# last configuration change, after the current one, across an import)
# the whole zone goes, AXFR-form, and the log says why. From a serial the journal leads from, the increment: the four
# SOAs of RFC 1995 around exactly the records of the change.

. "$top_srcdir/tests/integration/lib.sh"
xfr_begin xfr.conf.in

printf '10.0.0.0/24 :127.0.0.3:a range\n192.0.2.1 one\n' >"$work/black.txt"
ctl_ok "import black" import black "$work/black.txt"
start_daemon

ixfr() {	# SERIAL [DIG ARGS...]: dig IXFR of bl.test from SERIAL
	ix_s=$1
	shift
	dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 "$@" bl.test \
	    "IXFR=$ix_s" 2>&1
}
moved() {	# SERIAL: wait until bl.test's serial is another (~5 s)
	mv_i=0
	while [ "$(xfr_serial "$PORT" bl.test)" = "$1" ] && [ $mv_i -lt 50 ]; do
		sleep 0.1
		mv_i=$((mv_i + 1))
	done
	xfr_serial "$PORT" bl.test
}
soas() {	# the SOA records of a dig answer
	printf '%s\n' "$1" | grep -c '^bl\.test\..*IN[[:space:]]*SOA'
}

S0=$(xfr_serial "$PORT" bl.test)
ok "the zone has a serial ($S0)" [ -n "$S0" ]

# --- up to date: one SOA ----------------------------------------------------
o=$(ixfr "$S0")
is "$(soas "$o")" 1 "IXFR from the current serial: one SOA"
like "$o" "SOA.* $S0 " "... the current one"
unlike "$o" '127\.0\.0\.3' "... and no record of the zone"
ok "... logged as up to date" \
    await_log "IXFR of zone bl.test serial $S0 to 127.0.0.1: up to date"

# --- a change: the increment -------------------------------------------------
ctl_ok "add 10.9.9.9" add black 10.9.9.9 --reason change
S1=$(moved "$S0")
ok "the serial moved ($S0 -> $S1)" [ "$S1" != "$S0" ]
o=$(ixfr "$S0")
is "$(soas "$o")" 4 "IXFR from before the change: an increment (four SOAs)"
like "$o" '9\.9\.9\.10\.bl\.test\..*A[[:space:]]+127\.0\.0\.2' \
    "... with the new record"
is "$(printf '%s\n' "$o" | grep -v '^;' | grep -v 'SOA' | grep -c .)" 2 \
    "... and nothing else than its A and TXT"
ok "... logged as an increment" await_log \
    "IXFR of zone bl.test serial $S0->$S1 to 127.0.0.1: 0 deleted, 2 added"
ib=$(printf '%s\n' "$o" | sed -n 's/.*XFR size: .*bytes \([0-9]*\)).*/\1/p')
o=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 bl.test AXFR 2>&1)
ab=$(printf '%s\n' "$o" | sed -n 's/.*XFR size: .*bytes \([0-9]*\)).*/\1/p')
diag "one change: IXFR $ib bytes, AXFR $ab bytes"
ok "... smaller than the AXFR ($ib < $ab bytes)" [ "${ib:-99999}" -lt "${ab:-0}" ]
ctl_ok "del 10.9.9.9" del black 10.9.9.9
S1B=$(moved "$S1")
o=$(ixfr "$S1")
like "$o" '9\.9\.9\.10\.bl\.test\..*A[[:space:]]+127\.0\.0\.2' \
    "IXFR of the del: the record to delete"
ok "... logged as two deleted" await_log \
    "IXFR of zone bl.test serial $S1->$S1B to 127.0.0.1: 2 deleted, 0 added"
o=$(ixfr "$S0")
ok "IXFR across the add and the del: nothing to send" await_log \
    "IXFR of zone bl.test serial $S0->$S1B to 127.0.0.1: 0 deleted, 0 added"
S1=$S1B

# --- outside the window -------------------------------------------------------
old=$(( (S0 + 4294967296 - 1000) % 4294967296 ))
o=$(ixfr "$old")
is "$(soas "$o")" 2 "IXFR from a serial before the zone's base: the whole zone"
ok "... logged with why" await_log \
    "from serial $old to 127.0.0.1: the whole zone: its serial is not between"
new=$(( (S1 + 5) % 4294967296 ))
o=$(ixfr "$new")
is "$(soas "$o")" 2 "IXFR from a serial after the current one: the whole zone"

# --- across an import ---------------------------------------------------------
printf '10.8.0.0/16 imported\n' >"$work/more.txt"
ctl_ok "import more" import black "$work/more.txt"
S2=$(moved "$S1")
o=$(ixfr "$S1")
is "$(soas "$o")" 2 "IXFR across an import: the whole zone"
ok "... logged with why" await_log \
    "from serial $S1 to 127.0.0.1: the whole zone: an import"
o=$(ixfr "$S2")
is "$(soas "$o")" 1 "IXFR from the serial after the import: one SOA"

# --- a query without the SOA --------------------------------------------------
o=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 bl.test IXFR 2>&1)
ok "IXFR without a serial: answered" [ "$(soas "$o")" -ge 1 ]

stop_daemon
done_testing
