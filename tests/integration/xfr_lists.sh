#!/bin/sh
# SPDX-License-Identifier: ISC
# xfr_lists.sh -- zone transfer of the zones of several lists and of the
# domain-list zones: NSD and Knot transfer a combined dnsbl zone (two
# address lists, each with its code and TXT, a white entry and a
# delisting exemption) and an rhsbl zone of two domain lists ("name",
# ".name", "*.name", "!name", "!*.name", per-entry code and TXT), and
# then answer sampled addresses and names as rdnsbld does (A and TXT;
# NODATA counts as not listed): listed, excluded, wildcard, the names
# above an entry, the apex, the RFC 5782 test points. An add and a del
# reach both by NOTIFY; more changes (a del of an exclusion, a new TXT,
# a wildcard, a small import, a white entry, a new code) reach them by
# IXFR increments, and every sample is compared again; a top-level
# domain's entry by the whole zone. A helo zone is refused.

. "$top_srcdir/tests/integration/lib.sh"
xfr_begin xfr-lists.conf.in

# --- the data ------------------------------------------------------------------
cat >"$work/black.txt" <<'EOF2'
:127.0.0.2:black: $
10.0.0.0/16 :127.0.0.3:black /16
!10.0.5.0/24
10.0.7.0/28 :127.0.0.4:black /28
10.0.9.9 black one
192.0.2.0/25 black doc
2001:db8::/32 :127.0.0.5:black v6
EOF2
cat >"$work/spam.txt" <<'EOF2'
:127.0.0.20:spam: $
10.0.5.0/24 spam /24 in the black hole
10.0.7.3 :127.0.0.21:spam one inside black /28
10.0.9.9 spam the same one
10.0.8.0/21 spam /21 across black
192.0.2.64/26 :127.0.0.3:spam with the black code
!192.0.2.70
10.2.0.0/16 spam alone
2001:db8:1::/48 spam v6 inside black v6
EOF2
ctl_ok "import black" import black "$work/black.txt"
ctl_ok "import spam" import spam "$work/spam.txt"
ctl_ok "white inside both" add white 10.0.7.3 --reason customer
ctl_ok "an exemption" add exempt 10.0.9.9 --reason "request 1"
ctl_ok "a name" add dbl plain.example --reason "spam domain"
ctl_ok "*.name" add dbl '*.wild.example' --reason "wild"
ctl_ok "!name below it" add dbl '!ex.wild.example'
ctl_ok "a name deep below it" add dbl a.b.wild.example --reason "deep"
ctl_ok "another one, whose parent has no entry" add dbl q.r.wild.example \
    --reason "deep too"
ctl_ok "!*.name below it" add dbl '!*.sub.wild.example'
ctl_ok ".name" add dbl .dot.example --reason "both"
ctl_ok "the same name in the other list" add policy plain.example \
    --reason "policy"
ctl_ok "a wildcard of the other list" add policy '*.b.wild.example' \
    --reason "all below b"
ctl_ok "a name that only the other list lists" add policy only.test2 \
    --reason "policy only"

start_daemon

# --- refused -------------------------------------------------------------------
o=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 helo.test AXFR 2>&1)
like "$o" "Transfer failed|REFUSED" "a helo zone is refused"
ok "... with the reason logged" await_log \
    'AXFR of zone helo.test from 127.0.0.1 refused \(a helo zone'

# --- the secondaries -----------------------------------------------------------
NSD_DIR="$work/nsd"
KNOT_DIR="$work/knot"
start_nsd "$NSD_DIR" "$NPORT" NOKEY comb.test dbl.test
start_knot "$KNOT_DIR" "$KPORT" NOKEY comb.test dbl.test

for z in comb.test dbl.test; do
	ok "NSD transferred $z" xfr_wait_serial "$z" "$NPORT"
	ok "Knot transferred $z" xfr_wait_serial "$z" "$KPORT"
done
ok "rdnsbld logged the transfers" grep -q 'AXFR of zone dbl.test serial' \
    "$work/log"

# --- the samples ---------------------------------------------------------------
awk -v seed=11 '
function v4(a, b, c, d) { return d "." c "." b "." a }
BEGIN {
	srand(seed)
	split("10.0.0.0 10.0.5.0 10.0.5.255 10.0.6.0 10.0.7.0 10.0.7.3 " \
	    "10.0.7.4 10.0.7.15 10.0.7.16 10.0.8.0 10.0.9.9 10.0.9.8 " \
	    "10.0.15.255 10.0.16.0 10.1.0.0 10.2.3.4 192.0.2.0 192.0.2.63 " \
	    "192.0.2.64 192.0.2.70 192.0.2.71 192.0.2.127 192.0.2.128 " \
	    "127.0.0.1 127.0.0.2 127.0.0.3", fixed, " ")
	for (i in fixed) { split(fixed[i], o, "."); print v4(o[1], o[2], o[3], o[4]) }
	for (i = 0; i < 600; i++) {
		r = rand()
		if (r < 0.6) print v4(10, 0, int(rand() * 20), int(rand() * 256))
		else if (r < 0.8) print v4(192, 0, 2, int(rand() * 256))
		else print v4(10, int(rand() * 3), int(rand() * 5), int(rand() * 256))
	}
	# IPv6: 2001:db8::, 2001:db8:1::1, 2001:db8:2::1, 2001:db9::
	print "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2"
	print "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2"
	print "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.8.b.d.0.1.0.0.2"
	print "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.9.b.d.0.1.0.0.2"
}' >"$work/addrs"
# listed, excluded, below a wildcard, above an entry, the test names
cat >"$work/names" <<'EOF2'
plain.example
x.plain.example
example
x.example
wild.example
x.wild.example
y.x.wild.example
ex.wild.example
y.ex.wild.example
b.wild.example
z.b.wild.example
a.b.wild.example
z.a.b.wild.example
r.wild.example
z.r.wild.example
y.z.r.wild.example
q.r.wild.example
sub.wild.example
z.sub.wild.example
y.z.sub.wild.example
dot.example
x.dot.example
y.x.dot.example
only.test2
x.only.test2
test2
test
invalid
x.test
nothing.invalid
unknown.org
EOF2


# same ZONE NAMESFILE WHAT: NSD and Knot answer as rdnsbld
same() {
	xfr_answers "$PORT" "$1" "$2" >"$work/primary.$1"
	for s in "NSD $NPORT" "Knot $KPORT"; do
		xfr_answers "${s#* }" "$1" "$2" >"$work/secondary.$1"
		if diff "$work/primary.$1" "$work/secondary.$1" \
		    >"$work/diff.$1"; then
			pass "$1: ${s% *} answers $3 as rdnsbld does"
		else
			fail "$1: ${s% *} answers $3 differently"
			head -30 "$work/diff.$1" | sed 's/^/# /'
		fi
	done
}
same comb.test "$work/addrs" "$(wc -l <"$work/addrs") addresses"
ok "comb.test: an address both lists list has the black code" \
    grep -q '^0\.8\.0\.10\.comb\.test\. A 127\.0\.0\.3$' \
    "$work/primary.comb.test"
ok "... and the spam list's" \
    grep -q '^0\.8\.0\.10\.comb\.test\. A 127\.0\.0\.20$' \
    "$work/primary.comb.test"
ok "... and both TXT" grep -q \
    '^0\.8\.0\.10\.comb\.test\. TXT "listed: spam /21 across black"$' \
    "$work/primary.comb.test"
ok "comb.test: the samples list hundreds" \
    [ "$(grep -c ' A 127' "$work/primary.comb.test")" -gt 300 ]
ok "comb.test: ... and leave some unlisted" \
    [ "$(grep -c ' -$' "$work/primary.comb.test")" -gt 20 ]
same dbl.test "$work/names" "$(wc -l <"$work/names") names"
ok "dbl.test: the test name is listed" \
    grep -q '^test\.dbl\.test\. A 127\.0\.0\.2$' "$work/primary.dbl.test"
ok "dbl.test: invalid is not" \
    grep -q '^invalid\.dbl\.test\. -$' "$work/primary.dbl.test"
ok "dbl.test: an exclusion below a wildcard is not listed" \
    grep -q '^ex\.wild\.example\.dbl\.test\. -$' "$work/primary.dbl.test"
ok "dbl.test: ... and the names below it are" \
    grep -q '^y\.ex\.wild\.example\.dbl\.test\. A 127\.0\.0\.2$' \
    "$work/primary.dbl.test"
o=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 dbl.test AXFR 2>&1)
like "$o" 'ex\.wild\.example\.dbl\.test\.[[:space:]].*HINFO' \
    "the exclusion is a name without an A record"

# --- changes reach the secondaries by NOTIFY ---------------------------------
ctl_ok "add to spam" add spam 10.3.0.1 --reason late
ctl_ok "add to dbl" add dbl late.example --reason late
for s in "NSD $NPORT" "Knot $KPORT"; do
	ok "an add to the second list reaches ${s% *}" \
	    xfr_says 1.0.3.10.comb.test 127.0.0.20 "${s#* }"
	ok "an add to a domain list reaches ${s% *}" \
	    xfr_says late.example.dbl.test 127.0.0.2 "${s#* }"
done
ctl_ok "del from dbl" del dbl '*.wild.example'
ctl_ok "del from spam" del spam 10.2.0.0/16
for s in "NSD $NPORT" "Knot $KPORT"; do
	ok "a del of a wildcard reaches ${s% *}" \
	    xfr_says x.wild.example.dbl.test NOTLISTED "${s#* }"
	ok "a del from the second list reaches ${s% *}" \
	    xfr_says 4.3.2.10.comb.test NOTLISTED "${s#* }"
done
ok "... the name deep below it stays" \
    xfr_says a.b.wild.example.dbl.test 127.0.0.2 "$NPORT"

# --- more changes, then every sample again -------------------------------------
# Each change went by an increment (RFC 1995): the names of an rhsbl zone
# under the changed entries' top-level domains, the addresses of a combined
# zone under the changed first octets, compared before and after.
ctl_ok "del an exclusion" del dbl '!ex.wild.example'
ctl_ok "an entry's new TXT" add dbl plain.example --reason "spam domain, again"
ctl_ok "a wildcard in another domain" add policy '*.only.test2' \
    --reason "all below only.test2"
printf '.imported.example :127.0.0.9:feed\nplain.example\n' \
    >"$work/policy.txt"
ctl_ok "a small import into a domain list" import policy "$work/policy.txt"
ctl_ok "a white entry in the combined zone" add white 10.0.8.1 --reason w
printf '10.0.8.5 :127.0.0.22:new code\n' >"$work/spam2.txt"
ctl_ok "an entry with its own code in the second list" import spam \
    "$work/spam2.txt"
for z in comb.test dbl.test; do
	ok "NSD follows $z" xfr_wait_serial "$z" "$NPORT"
	ok "Knot follows $z" xfr_wait_serial "$z" "$KPORT"
done
printf 'x.imported.example\nimported.example\ny.x.only.test2\n' \
    >>"$work/names"
printf '1.8.0.10\n5.8.0.10\n' >>"$work/addrs"
same comb.test "$work/addrs" "$(wc -l <"$work/addrs") addresses, after them,"
same dbl.test "$work/names" "$(wc -l <"$work/names") names, after them,"
ok "dbl.test: the import's entry is listed with its code" \
    grep -q '^x\.imported\.example\.dbl\.test\. A 127\.0\.0\.9$' \
    "$work/primary.dbl.test"
ok "dbl.test: the entry's new TXT" \
    grep -q '^plain\.example\.dbl\.test\. TXT "listed plain\.example: spam domain, again"$' \
    "$work/primary.dbl.test"
ok "comb.test: the entry's new code" \
    grep -q '^5\.8\.0\.10\.comb\.test\. A 127\.0\.0\.22$' \
    "$work/primary.comb.test"
ok "comb.test: the new white entry is not listed" \
    grep -q '^1\.8\.0\.10\.comb\.test\. -$' "$work/primary.comb.test"
for z in comb.test dbl.test; do
	n=$(grep -Ec "IXFR of zone $z serial [0-9]+->[0-9]+ to 127.0.0.1: [0-9]+ deleted, [0-9]+ added" "$work/log")
	ok "$z: the changes went by increments ($n)" [ "$n" -ge 4 ]
	unlike "$(grep "IXFR of zone $z " "$work/log")" 'whole zone' \
	    "$z: ... and never as the whole zone"
done

# A top-level domain's entry makes records in every region: the whole
# zone, and the secondaries answer as rdnsbld does after it too.
ctl_ok "a top-level domain's wildcard" add dbl '*.test2' --reason tld
for s in "NSD $NPORT" "Knot $KPORT"; do
	ok "... reaches ${s% *}" xfr_says x.test2.dbl.test 127.0.0.2 "${s#* }"
	ok "... which follows dbl.test" xfr_wait_serial dbl.test "${s#* }"
done
ok "... as the whole zone, and the log says why" grep -q \
    "IXFR of zone dbl.test from serial [0-9]* to 127.0.0.1: the whole zone: a change of a top-level domain's entry" \
    "$work/log"
printf 'x.test2\ny.x.test2\n' >>"$work/names"
same dbl.test "$work/names" "$(wc -l <"$work/names") names, after it,"

done_testing
