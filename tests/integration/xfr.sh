#!/bin/sh
# SPDX-License-Identifier: ISC
# xfr.sh -- zone transfer to real secondaries: NSD transfers the dnsbl
# and dnswl zones from rdnsbld (AXFR over TCP), Knot the dnsbl zone; both
# then answer thousands of
# sampled addresses as rdnsbld does (A and TXT; NODATA counts as not
# listed): /32s, ranges on and off label boundaries, exclusions, white
# entries and delisting exemptions inside black ranges, IPv6, the labels both families share, the
# RFC 5782 test points. An add, a del, an expiry and a replace import
# reach NSD by NOTIFY within 2 s, by IXFR increments (the import: the
# whole zone). A zone without allow-transfer is refused. The SOA
# serial follows the data and a restart does not lower it.

. "$top_srcdir/tests/integration/lib.sh"
xfr_begin xfr.conf.in
APEX=bl.test

# --- the data ------------------------------------------------------------------
cat >"$work/black.txt" <<'EOF'
:127.0.0.2:black: $
10.0.0.0/20 :127.0.0.3:a /20 off the boundary
10.0.3.0/24 :127.0.0.4:its own /24 inside
!10.0.3.77
10.0.5.0/28 :127.0.0.5:a /28, each by name: $
10.0.5.9 :127.0.0.6:one address: $
10.1.0.0/16 two octets
!10.1.2.0/24
10.1.2.128/25 :127.0.0.7:back inside the hole: $
192.0.2.0/24 doc range
198.51.100.7 one
1.2.3.4 :127.0.0.8:labels both families use: $
2.0.0.0/8 :127.0.0.9:a /8 whose labels IPv6 shares
2.0.0.1 :127.0.0.10:inside it: $
2001:db8::/32 :127.0.0.11:v6 /32
2001:db8:1::/48 :127.0.0.12:v6 /48 inside
!2001:db8:1:2::/64
2001:db8:1:2::5 :127.0.0.13:v6 one: $
2001:db8:4::/46 v6 /46 off the nibble
2001:db8:ffff::/126 :127.0.0.14:v6 /126: $
3ffe::/15 a wide IPv6 range
EOF
ctl_ok "import black" import black "$work/black.txt"
ctl_ok "white inside black" add white 10.0.0.77 --reason "a customer"
ctl_ok "white /24 inside black" add white 192.0.2.128/26 --reason "hosting"
ctl_ok "white v6" add white 2001:db8::1:0/112 --reason "v6 customer"
ctl_ok "white 2/8 part" add white 2.0.0.0/24 --reason "white in shared labels"
ctl_ok "a delisting exemption" add exempt 10.1.0.5 --reason "request 1"

start_daemon

# --- refused -------------------------------------------------------------------
o=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 closed.test AXFR 2>&1)
like "$o" "Transfer failed|REFUSED" "a zone without allow-transfer is refused"

# --- the secondary -------------------------------------------------------------
NSD_DIR="$work/nsd"
KNOT_DIR="$work/knot"
start_nsd "$NSD_DIR" "$NPORT" NOKEY bl.test wl.test
start_knot "$KNOT_DIR" "$KPORT" NOKEY bl.test

ok "NSD transferred bl.test" xfr_wait_serial bl.test "$NPORT"
ok "NSD transferred wl.test" xfr_wait_serial wl.test "$NPORT"
ok "Knot transferred bl.test" xfr_wait_serial bl.test "$KPORT"
ok "rdnsbld logged the transfer" grep -q 'AXFR of zone bl.test serial' \
    "$work/log"

# --- the samples ---------------------------------------------------------------
# Every entry's first and last address, one off each side, plus random
# addresses in the ranges used; IPv6 as 32 nibbles.
awk -v seed=7 '
function v4name(a, b, c, d) { return d "." c "." b "." a }
BEGIN {
	srand(seed)
	split("10.0.0.0 10.0.2.255 10.0.3.0 10.0.3.76 10.0.3.77 10.0.3.78 " \
	    "10.0.3.255 10.0.4.0 10.0.5.0 10.0.5.8 10.0.5.9 10.0.5.10 " \
	    "10.0.5.15 10.0.5.16 10.0.15.255 10.0.16.0 10.0.0.77 10.0.0.76 " \
	    "10.1.0.0 10.1.0.4 10.1.0.5 10.1.0.6 10.1.1.255 10.1.2.0 10.1.2.127 10.1.2.128 10.1.2.255 " \
	    "10.1.3.0 10.1.255.255 10.2.0.0 192.0.2.0 192.0.2.127 " \
	    "192.0.2.128 192.0.2.191 192.0.2.192 192.0.2.255 192.0.3.0 " \
	    "198.51.100.6 198.51.100.7 198.51.100.8 1.2.3.4 1.2.3.5 1.2.3.3 " \
	    "1.2.3.0 2.0.0.0 2.0.0.1 2.0.0.2 2.0.0.255 2.0.1.0 2.0.1.1 " \
	    "2.0.0.10 2.1.0.1 2.9.9.9 2.255.255.255 3.0.0.0 1.0.0.2 " \
	    "127.0.0.1 127.0.0.2 127.0.0.3", fixed, " ")
	for (i in fixed) { split(fixed[i], o, "."); print v4name(o[1], o[2], o[3], o[4]) }
	for (i = 0; i < 1500; i++) {
		r = rand()
		if (r < 0.3) print v4name(10, 0, int(rand() * 20), int(rand() * 256))
		else if (r < 0.5) print v4name(10, 1, int(rand() * 4), int(rand() * 256))
		else if (r < 0.6) print v4name(192, 0, 2, int(rand() * 256))
		else if (r < 0.8) print v4name(2, int(rand() * 3), int(rand() * 10), int(rand() * 10))
		else print v4name(int(rand() * 10), int(rand() * 10), int(rand() * 10), int(rand() * 10))
	}
}' >"$work/names4"
awk -v seed=8 '
function nib(h,    s, i) {	# 32 hex digits, reversed and dotted
	s = ""
	for (i = 32; i >= 1; i--) s = s substr(h, i, 1) (i > 1 ? "." : "")
	return s
}
function hx(n,    s) { s = ""; while (n-- > 0) s = s substr("0123456789abcdef", int(rand() * 16) + 1, 1); return s }
BEGIN {
	srand(seed)
	n = split("20010db8000000000000000000000000 20010db8000000000000000000000001 " \
	    "20010db8000000000000000000010000 20010db8000000000000000000010001 " \
	    "20010db800000000000000000001ffff 20010db8000000000000000000020000 " \
	    "20010db8000100000000000000000000 20010db8000100020000000000000005 " \
	    "20010db8000100020000000000000006 20010db8000100030000000000000000 " \
	    "20010db8000200000000000000000000 20010db80003ffffffffffffffffffff " \
	    "20010db8000400000000000000000000 20010db8ffff00000000000000000000 " \
	    "20010db8ffff00000000000000000003 20010db8ffff00000000000000000004 " \
	    "20010db9000000000000000000000000 3ffe0000000000000000000000000000 " \
	    "3fff0000000000000000000000000001 3ffd0000000000000000000000000000 " \
	    "00000000000000000000ffff7f000002 00000000000000000000ffff7f000001 " \
	    "00000000000000000000000000000001", fixed, " ")
	for (i = 1; i <= n; i++) print nib(fixed[i])
	for (i = 0; i < 1500; i++) {
		r = rand()
		if (r < 0.3) print nib("20010db8000" hx(1) hx(20))
		else if (r < 0.5) print nib("20010db800010002" hx(16))
		else if (r < 0.6) print nib("3ff" hx(29))
		else if (r < 0.8) print nib("2" substr("0123456789", int(rand() * 10) + 1, 1) hx(30))
		else print nib(hx(32))
	}
}' >"$work/names6"


for z in bl.test wl.test; do
	cat "$work/names4" "$work/names6" >"$work/names"
	xfr_answers "$PORT" "$z" "$work/names" >"$work/primary.$z"
	xfr_answers "$NPORT" "$z" "$work/names" >"$work/secondary.$z"
	nl=$(grep -vc ' -$' "$work/primary.$z")
	nn=$(wc -l <"$work/names")
	diag "$z: $nn names, $nl answers of listed ones on the primary"
	if diff "$work/primary.$z" "$work/secondary.$z" >"$work/diff.$z"; then
		pass "$z: NSD answers the $nn names as rdnsbld does"
	else
		fail "$z: NSD answers differently"
		head -30 "$work/diff.$z" | sed 's/^/# /'
	fi
done
xfr_answers "$KPORT" bl.test "$work/names" >"$work/knot.bl.test"
if diff "$work/primary.bl.test" "$work/knot.bl.test" >"$work/diff.knot"; then
	pass "bl.test: Knot answers the $nn names as rdnsbld does"
else
	fail "bl.test: Knot answers differently"
	head -30 "$work/diff.knot" | sed 's/^/# /'
fi
ok "bl.test: the samples list hundreds of addresses" \
    [ "$(grep -c ' A 127' "$work/primary.bl.test")" -gt 500 ]
ok "bl.test: ... and leave hundreds unlisted" \
    [ "$(grep -c ' -$' "$work/primary.bl.test")" -gt 500 ]

# A wildcard's TXT names the listed range where the template has "$".
o=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 bl.test AXFR 2>&1)
like "$o" '\*\.3\.0\.10\.bl\.test\.[[:space:]].*TXT[[:space:]]+"listed: its own /24 inside"' \
    "a /24 is one wildcard"
like "$o" '\*\.15\.0\.10\.bl\.test\.[[:space:]].*A[[:space:]]+127\.0\.0\.3' \
    "a /20 is sixteen wildcards"
like "$o" '77\.3\.0\.10\.bl\.test\.[[:space:]].*HINFO' \
    "an exclusion inside a range is a name without an A record"
like "$o" '5\.0\.1\.10\.bl\.test\.[[:space:]].*HINFO' \
    "... and so is a delisting exemption"
like "$o" '9\.5\.0\.10\.bl\.test\.[[:space:]].*TXT[[:space:]]+"listed: one address: 10\.0\.5\.9"' \
    "an explicit name's TXT has \$ expanded"

# The documented difference (design.md, "Zone transfer"): a mapped name
# that no IPv6 entry covers is answered from the IPv4 entries by
# rdnsbld, and from the transfer's IPv6 data (not listed) by NSD.
m="$(rev6 ::ffff:c633:6407).bl.test"
is "$(dig_answer "$(q "$m" A)")" 127.0.0.2 \
    "rdnsbld answers ::ffff:198.51.100.7 from its IPv4 entry"
is "$(dig_answer "$(dig @127.0.0.1 -p "$NPORT" +tries=2 +time=2 "$m" A)")" \
    NXDOMAIN "NSD answers it from the IPv6 entries of the transfer"

# --- changes reach the secondary by NOTIFY -----------------------------------
ctl_ok "add after the transfer" add black 203.0.113.9 --reason late
ok "an add reaches NSD within 2 s" \
    xfr_says 9.113.0.203.bl.test 127.0.0.2 "$NPORT"
ok "... and Knot" xfr_says 9.113.0.203.bl.test 127.0.0.2 "$KPORT"
ctl_ok "del" del black 198.51.100.7
ok "a del reaches NSD within 2 s" \
    xfr_says 7.100.51.198.bl.test NXDOMAIN "$NPORT"
printf '203.0.113.0/24 :127.0.0.5:replaced\n10.0.0.0/20 :127.0.0.3:kept\n' \
    >"$work/replace.txt"
ctl_ok "import --replace" import black "$work/replace.txt" --replace
ok "a replace import reaches NSD within 2 s: a new range" \
    xfr_says 1.113.0.203.bl.test 127.0.0.5 "$NPORT"
ok "... and a removed range" xfr_says 5.2.0.192.bl.test NXDOMAIN "$NPORT"
ok "... and a kept one" xfr_says 1.1.0.10.bl.test 127.0.0.3 "$NPORT"
ok "... and Knot has the replaced list" xfr_says 5.2.0.192.bl.test NXDOMAIN \
    "$KPORT"
ctl_ok "add with an expiry" add black 203.0.114.1 --reason soon --expires 3s
ok "an entry that expires reaches NSD" \
    xfr_says 1.114.0.203.bl.test 127.0.0.2 "$NPORT"
sleep 2
ok "... and its expiry too, within 2 s" \
    xfr_says 1.114.0.203.bl.test NXDOMAIN "$NPORT"
ok "rdnsbld sent NOTIFYs and NSD answered them" \
    grep -q "NOTIFY of zone bl.test to 127.0.0.1@$NPORT answered" "$work/log"
ok "NSD asked again with IXFR, answered with the increment" \
    grep -Eq "IXFR of zone bl.test serial [0-9]+->[0-9]+ to 127.0.0.1: [0-9]+ deleted, [0-9]+ added" "$work/log"
ok "... the expiry's purge among them: its records deleted" \
    grep -Eq "IXFR of zone bl.test serial [0-9]+->[0-9]+ to 127.0.0.1: 2 deleted, 0 added" "$work/log"
ok "... and across the small replace import, an increment, not the whole zone" \
    sh -c '! grep -q "the whole zone: an import changed" "$1"' sh "$work/log"

# --- the serial follows the data ---------------------------------------------
s1=$(xfr_serial "$PORT" bl.test)
ctl_ok "add" add black 203.0.113.5 --reason "new"
i=0
while [ $i -lt 20 ] && [ "$(xfr_serial "$PORT" bl.test)" = "$s1" ]; do
	sleep 0.1; i=$((i + 1))
done
s2=$(xfr_serial "$PORT" bl.test)
ok "a change moves the serial on ($s1 -> $s2)" [ "$s2" -gt "$s1" ]
stop_daemon
start_daemon
s3=$(xfr_serial "$PORT" bl.test)
is "$s3" "$s2" "a restart keeps the serial"
sed -i 's/txt: "listed: $reason"/txt: "now listed: $reason"/' "$CONF"
kill -HUP "$PID"
i=0
while [ $i -lt 30 ] && [ "$(xfr_serial "$PORT" bl.test)" = "$s3" ]; do
	sleep 0.1; i=$((i + 1))
done
s4=$(xfr_serial "$PORT" bl.test)
ok "a change of the zone's configuration moves it on ($s3 -> $s4)" \
    [ "$s4" -gt "$s3" ]
is "$(xfr_serial "$PORT" wl.test)" "$(xfr_serial "$PORT" wl.test)" \
    "wl.test keeps answering"

done_testing
