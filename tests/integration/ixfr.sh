#!/bin/sh
# SPDX-License-Identifier: ISC
# ixfr.sh -- IXFR (RFC 1995) queries, with the serial the requester has
# in the authority section: from the current serial the answer is that
# one SOA; from a serial the journal cannot lead from (before the zone's
# last configuration change, after the current one, across an import of
# more than 16384 changes) the whole zone goes, AXFR-form, and the log
# says why; a smaller import or replace goes by an increment. From a serial
# the journal leads from, the increment: the four SOAs of RFC 1995
# around exactly the records of the change, smaller
# than the AXFR. NSD and Knot as secondaries follow a /32, a /24, a /20
# off the label boundary, an IPv6 /48, a white entry inside a black
# range, a del, an expiry's purge and an import --replace by increments
# within 2 s, then a
# series of random changes, after which they answer 3000 sampled
# addresses as rdnsbld.

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

# --- across imports -----------------------------------------------------------
# A merging import or a replace of up to 16384 changes journals each
# entry it changes: an increment. More: "an import", the whole zone.
printf '10.8.0.0/16 imported\n' >"$work/more.txt"
ctl_ok "import more" import black "$work/more.txt"
S2=$(moved "$S1")
o=$(ixfr "$S1")
is "$(soas "$o")" 4 "IXFR across a small import: an increment"
like "$o" '\*\.8\.10\.bl\.test\..*A[[:space:]]+127\.0\.0\.2' \
    "... with the imported range"
ok "... logged as one added" await_log \
    "IXFR of zone bl.test serial $S1->$S2 to 127.0.0.1: 0 deleted, 2 added"
printf '10.0.0.0/24 :127.0.0.3:a range\n192.0.2.1 one\n10.8.0.0/16 imported\n10.3.3.3 fed\n' \
    >"$work/feed.txt"
ctl_ok "import --replace, one entry more" import --replace black \
    "$work/feed.txt"
S3=$(moved "$S2")
o=$(ixfr "$S2")
is "$(soas "$o")" 4 "IXFR across a replace: an increment"
like "$o" '3\.3\.3\.10\.bl\.test\..*TXT[[:space:]]+"listed: fed"' \
    "... with the new entry"
ok "... logged as that one added, nothing else" await_log \
    "IXFR of zone bl.test serial $S2->$S3 to 127.0.0.1: 0 deleted, 2 added"
awk 'BEGIN { for (i = 0; i < 16385; i++)
	printf "10.20.%d.%d big\n", int(i / 256), i % 256 }' >"$work/big.txt"
ctl_ok "import 16385 entries" import black "$work/big.txt"
S4=$(moved "$S3")
o=$(ixfr "$S3")
is "$(soas "$o")" 2 "IXFR across a big import: the whole zone"
ok "... logged with why" await_log \
    "from serial $S3 to 127.0.0.1: the whole zone: an import"
ctl_ok "import --replace back" import --replace black "$work/feed.txt"
S5=$(moved "$S4")
o=$(ixfr "$S4")
is "$(soas "$o")" 2 "IXFR across a replace of 16385 deletes: the whole zone"
o=$(ixfr "$S5")
is "$(soas "$o")" 1 "IXFR from the serial after the imports: one SOA"

# --- a query without the SOA --------------------------------------------------
o=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 bl.test IXFR 2>&1)
ok "IXFR without a serial: answered" [ "$(soas "$o")" -ge 1 ]

# --- NSD and Knot follow each change by an increment -------------------------
NSD_DIR="$work/nsd"
KNOT_DIR="$work/knot"
start_nsd "$NSD_DIR" "$NPORT" NOKEY bl.test
start_knot "$KNOT_DIR" "$KPORT" NOKEY bl.test
ok "NSD transferred bl.test" xfr_wait_serial bl.test "$NPORT"
ok "Knot transferred bl.test" xfr_wait_serial bl.test "$KPORT"

incs() {	# the number of increments sent so far
	grep -Ec 'IXFR of zone bl.test serial [0-9]+->[0-9]+ to 127.0.0.1: [0-9]+ deleted' \
	    "$work/log"
}
both() {	# WHAT NAME WANT: both secondaries answer NAME with WANT
	ok "$1: NSD answers $2 with $3" xfr_says "$2.bl.test" "$3" "$NPORT"
	ok "$1: Knot too" xfr_says "$2.bl.test" "$3" "$KPORT"
}
n0=$(incs)
ctl_ok "add a /32" add black 10.5.5.5 --reason one
both "a /32" 5.5.5.10 127.0.0.2
ctl_ok "add a /24" add black 10.6.7.0/24 --reason range
both "a /24" 200.7.6.10 127.0.0.2
ctl_ok "add a /20 off the label boundary" add black 10.7.16.0/20 --reason off
both "a /20" 1.31.7.10 127.0.0.2
both "... not past it" 1.32.7.10 NXDOMAIN
ctl_ok "add an IPv6 /48" add black 2001:db8:5::/48 --reason v6
both "an IPv6 /48" 1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.5.0.0.0.8.b.d.0.1.0.0.2 127.0.0.2
ctl_ok "a white entry inside the /24" add white 10.6.7.20 --reason customer
both "a white entry" 20.7.6.10 NOTLISTED
ctl_ok "del the /32" del black 10.5.5.5
both "a del" 5.5.5.10 NXDOMAIN
ctl_ok "add with an expiry" add black 10.4.4.4 --reason soon --expires 3s
both "an entry that expires" 4.4.4.10 127.0.0.2
sleep 2
both "... and its purge" 4.4.4.10 NXDOMAIN
ctl_ok "export black" export black
{ printf '%s\n' "$CTL_OUT" | awk '/^#@/ { m = $0; next }
	!/^10\.6\.7\.0\/24/ { if (m != "") print m; print } { m = "" }'
  printf '10.2.2.2 replaced\n'; } >"$work/replace.txt"
ctl_ok "import --replace: one entry more, one less" import --replace black \
    "$work/replace.txt"
both "a replace's new entry" 2.2.2.10 127.0.0.2
both "... and the entry it took away" 200.7.6.10 NXDOMAIN
both "... the rest stays" 1.31.7.10 127.0.0.2
n1=$(incs)
ok "each change went by IXFR increments ($n0 -> $n1)" [ $((n1 - n0)) -ge 18 ]
unlike "$(sed -n '/add a \/32/,$p' "$work/log" | grep 'the whole zone')" . \
    "... none of them as the whole zone"

# --- a series of random changes, then thousands of samples -------------------
awk -v seed=11 'BEGIN {
	srand(seed)
	for (i = 0; i < 40; i++) {
		r = rand()
		a = int(rand() * 4) + 5
		p = "10." a "." int(rand() * 64) "." int(rand() * 256)
		if (r < 0.35) print "add black " p
		else if (r < 0.5) print "add black 10." a "." int(rand() * 64) ".0/" (20 + int(rand() * 8))
		else if (r < 0.7) print "add white " p
		else if (r < 0.8) print "add black 2001:db8:" a ":" int(rand() * 16) "::/64"
		else print "del black 10.6.7.0/24"
	}
}' >"$work/changes"
while read -r c1 c2 c3; do
	ctl "$c1" "$c2" "$c3" --reason random >/dev/null 2>&1 || true
done <"$work/changes"
axfr_serial() {	# the serial a transfer of bl.test carries now
	dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 bl.test AXFR 2>/dev/null |
	    awk '$4 == "SOA" { print $7; exit }'
}
caught_up() {	# PORT: until the secondary has the store's serial (~20 s)
	cu_i=0
	while [ "$(xfr_serial "$1" bl.test)" != "$(axfr_serial)" ] &&
	    [ $cu_i -lt 100 ]; do
		sleep 0.2
		cu_i=$((cu_i + 1))
	done
	[ "$(xfr_serial "$1" bl.test)" = "$(axfr_serial)" ]
}
ok "NSD follows the random changes" caught_up "$NPORT"
ok "Knot too" caught_up "$KPORT"
awk -v seed=12 'BEGIN {
	srand(seed)
	for (i = 0; i < 2500; i++)
		print int(rand() * 256) "." int(rand() * 64) "." int(rand() * 4) + 5 ".10"
	for (i = 0; i < 500; i++) {
		s = ""
		for (k = 0; k < 16; k++) s = s substr("0123456789abcdef", int(rand() * 16) + 1, 1) "."
		print s substr("0123456789abcdef", int(rand() * 16) + 1, 1) ".0.0.0." int(rand() * 4) + 5 ".0.0.0.8.b.d.0.1.0.0.2"
	}
}' >"$work/names"
xfr_answers "$PORT" bl.test "$work/names" >"$work/primary"
nl=$(grep -c ' A 127' "$work/primary")
diag "$(wc -l <"$work/names") names, $nl A answers on the primary"
ok "the samples list hundreds of addresses ($nl)" [ "$nl" -gt 200 ]
for sp in "$NPORT" "$KPORT"; do
	xfr_answers "$sp" bl.test "$work/names" >"$work/secondary.$sp"
	if diff "$work/primary" "$work/secondary.$sp" >"$work/diff.$sp"; then
		pass "the secondary on $sp answers the samples as rdnsbld does"
	else
		fail "the secondary on $sp answers differently"
		head -20 "$work/diff.$sp" | sed 's/^/# /'
	fi
done
diag "served serial $(xfr_serial "$PORT" bl.test), transferred $(axfr_serial)"

stop_daemon
done_testing
