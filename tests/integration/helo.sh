#!/bin/sh
# SPDX-License-Identifier: ISC
# helo.sh -- the helo zone type through the real interfaces, against a
# fake internet (ldns-testns): every reason (bad-name, no-dot, own-name,
# no-dns, dynamic, bare-ip) and several at once, names that must not be
# listed (a real FQDN, an IPv6-only name, a name without addresses, a
# literal of another address), own names in another case, RFC 5782 test
# points, temporary failures (SERVFAIL, a silent upstream) that list
# nothing, the shared verdict cache, per-zone checks, codes and texts,
# rdnsblctl helo, and a broken bad-HELO file.

. "$top_srcdir/tests/integration/lib.sh"

# --- the fake internet ------------------------------------------------------
tns_begin
both_nx()
{
	tns_nx "$1" A
	tns_nx "$1" AAAA
}
# Names that resolve.
tns_addr mail.example.com 198.51.100.10
tns_entry mail.example.com AAAA NOERROR
tns_entry v6only.example.com A NOERROR
tns_addr v6only.example.com 2001:db8::10
tns_addr mx1.example.net 192.0.2.25
tns_entry mx1.example.net AAAA NOERROR
tns_addr mx2.example.net 192.0.2.26
tns_entry mx2.example.net AAAA NOERROR
tns_addr dhcp123.example.com 198.51.100.11
tns_entry dhcp123.example.com AAAA NOERROR
tns_addr dhcp.example.com 198.51.100.12
tns_entry dhcp.example.com AAAA NOERROR
tns_addr mail.localhost 127.0.0.1
tns_entry mail.localhost AAAA NOERROR
# Names that do not exist.
both_nx nowhere.example.org
both_nx localhost.localdomain
both_nx p1234-adsl5.nowhere.example.org
# A name that exists without address records (an MX-only domain).
tns_entry mx-only.example.org A NOERROR
tns_entry mx-only.example.org AAAA NOERROR
# Temporary failures.
tns_rcode flaky.example.org A SERVFAIL
tns_nx flaky.example.org AAAA
tns_rcode refused.example.org A REFUSED
tns_rcode refused.example.org AAAA REFUSED
tns_rcode host.localdomain A SERVFAIL
tns_rcode host.localdomain AAAA SERVFAIL
# silent.example.org: no entry, the upstream never answers.
start_upstream "$TNS"

CHECK_TIMEOUT=1s
FAILURE_TTL=7s
APEX=helo.test
write_conf helo.conf.in
start_daemon

# codes NAME [ZONE]: the sorted A answers, space-separated.
codes()
{
	q +short "$1.${2:-helo.test}" A | sort | tr '\n' ' ' | sed 's/ $//'
}
# txt NAME [ZONE]
txt()
{
	q +short "$1.${2:-helo.test}" TXT
}
status()
{
	dig_status "$(q "$1" "${2:-A}")"
}
ups()
{
	upstream_count "$1" A
}

# --- RFC 5782 test points ------------------------------------------------------
is "$(codes test)" 127.0.0.2 "test is listed (RFC 5782), code 127.0.0.2"
is "$(txt test)" '"test is listed: RFC 5782 test point"' "test: TXT names the test point"
is "$(status invalid.helo.test)" NXDOMAIN "invalid is not listed (RFC 5782), though it has no dot"
is "$(status 1.0.0.127.helo.test)" NXDOMAIN "1.0.0.127 (rspamd's probe) is not listed, though a bare IP"
is "$(upstream_count test A)$(upstream_count invalid A)" 00 "test points: nothing looked up"

# --- each reason ------------------------------------------------------------
is "$(codes localhost.localdomain)" "127.0.0.2 127.0.0.5" \
    "localhost.localdomain: bad-name and no-dns (NXDOMAIN upstream)"
is "$(codes mail.localhost)" 127.0.0.2 "mail.localhost: bad-name by *.localhost, resolves"
like "$(txt mail.localhost)" 'on the list of names no mail server may use \(\*\.localhost\)' \
    "mail.localhost: TXT names the list entry"
is "$(codes COMPUTER)" 127.0.0.3 "COMPUTER: no-dot"
is "$(txt computer)" '"computer is listed: the HELO name is a single label, not a domain name"' \
    "computer: the no-dot TXT, name in lower case"
is "$(upstream_count computer A)" 0 "a single label is not looked up"
is "$(codes localhost)" "127.0.0.2 127.0.0.3" "localhost: bad-name and no-dot, two A records"
like "$(txt localhost)" 'no mail server may use \(localhost\); the HELO name is a single label' \
    "localhost: one TXT with both reasons"
o=$(q localhost.helo.test TXT)
is "$(dig_count "$o" ANSWER)" 1 "several reasons: one TXT record"
is "$(codes MX1.EXAMPLE.NET)" 127.0.0.4 "MX1.EXAMPLE.NET: own-name (configured as MX1.Example.NET.)"
is "$(codes Mx2.Example.Net)" 127.0.0.4 "Mx2.Example.Net: own-name"
is "$(codes 192.0.2.25)" "127.0.0.4 127.0.0.7" "192.0.2.25: own address, bare: own-name and bare-ip"
is "$(codes '[192.0.2.25]')" 127.0.0.4 "[192.0.2.25]: own address literal: own-name"
is "$(codes '[IPv6:2001:DB8::25]')" 127.0.0.4 "[IPv6:2001:DB8::25]: own IPv6 literal: own-name"
is "$(status '[192.0.2.99].helo.test')" NXDOMAIN "[192.0.2.99]: a literal of another address is fine"
is "$(codes nowhere.example.org)" 127.0.0.5 "nowhere.example.org: no-dns (NXDOMAIN for A and AAAA)"
is "$(txt nowhere.example.org)" \
    '"nowhere.example.org is listed: nowhere.example.org does not exist in the DNS (NXDOMAIN for A and AAAA)"' \
    "no-dns: the TXT says why"
is "$(codes dhcp123.example.com)" 127.0.0.6 "dhcp123.example.com: dynamic (resolves)"
like "$(txt dhcp123.example.com)" 'dhcp123\.example\.com looks like a dynamic or end-user host \(rule s25r-6\)' \
    "dynamic: the TXT names the rule"
is "$(codes p1234-adsl5.nowhere.example.org)" "127.0.0.5 127.0.0.6" \
    "p1234-adsl5.nowhere.example.org: no-dns and dynamic"
is "$(codes 198.51.100.7)" 127.0.0.7 "198.51.100.7: bare-ip"
is "$(codes 2001:db8::7)" 127.0.0.7 "2001:db8::7: bare-ip (IPv6)"
is "$(upstream_count 198.51.100.7 A)" 0 "a bare IP is not looked up"

# --- names that must not be listed ---------------------------------------
is "$(status mail.example.com.helo.test)" NXDOMAIN "mail.example.com: a real FQDN, not listed"
is "$(status v6only.example.com.helo.test)" NXDOMAIN "v6only.example.com: AAAA only, not listed"
is "$(status mx-only.example.org.helo.test)" NXDOMAIN "mx-only.example.org: exists without addresses (NODATA), not listed"
is "$(status dhcp.example.com.helo.test)" NXDOMAIN "dhcp.example.com: close to a dynamic name, not listed"
is "$(status mx1.example.net.bl.test)" NXDOMAIN "a helo name in a dnsbl zone: not an address, NXDOMAIN"
o=$(q 'a\032b.example.com.helo.test' A)
is "$(dig_status "$o")" NXDOMAIN "a label with a space: NXDOMAIN"

# --- answer shapes ------------------------------------------------------------
o=$(q localhost.helo.test AAAA)
is "$(dig_status "$o")/$(dig_count "$o" ANSWER)" NOERROR/0 "a listed name asked AAAA: NODATA"
o=$(q localhost.helo.test ANY)
is "$(dig_count "$o" ANSWER)" 3 "ANY: two A records and the TXT"
o=$(q +tcp nowhere.example.org.helo.test A)
is "$(dig_section "$o" ANSWER | awk '{ print $5 }')" 127.0.0.5 "over TCP too"

# --- the cache and the checker ---------------------------------------------------
n0=$(ups nowhere.example.org)
is "$(codes nowhere.example.org)" 127.0.0.5 "nowhere.example.org again: still listed"
is "$(ups nowhere.example.org)" "$n0" "the second query used the cached verdict"
is "$(codes nowhere.example.org sf-helo.test)" 127.0.0.5 "another zone shares the cached verdict"
is "$(ups nowhere.example.org)" "$n0" "... without a new lookup"

# --- temporary failures list nothing ---------------------------------------------
o=$(q flaky.example.org.helo.test A)
is "$(dig_status "$o")/$(dig_count "$o" ANSWER)/$(soa_ttl "$o")" NXDOMAIN/0/7 \
    "A SERVFAIL, AAAA NXDOMAIN: not listed, failure-ttl 7 on the SOA"
is "$(status flaky.example.org.sf-helo.test)" SERVFAIL \
    "the same in the on-lookup-failure: servfail zone: SERVFAIL"
is "$(status refused.example.org.helo.test)" NXDOMAIN "REFUSED upstream: not listed"
t0=$(now_ms)
o=$(q +time=4 silent.example.org.helo.test A)
t1=$(now_ms)
is "$(dig_status "$o")/$(dig_count "$o" ANSWER)" NXDOMAIN/0 "a silent upstream: not listed"
ok "a silent upstream: answered at check-timeout (1 s), in $((t1 - t0)) ms (800-3900)" \
    test $((t1 - t0)) -ge 800 -a $((t1 - t0)) -lt 3900
is "$(codes host.localdomain)" 127.0.0.2 \
    "host.localdomain: the lookup fails, bad-name (*.localdomain) still answered"

# --- a zone with fewer checks, its own code and text --------------------------
is "$(status nowhere.example.org.lenient-helo.test)" NXDOMAIN \
    "lenient-helo.test (no no-dns): nowhere.example.org not listed"
is "$(status dhcp123.example.com.lenient-helo.test)" NXDOMAIN \
    "lenient-helo.test (no dynamic): dhcp123.example.com not listed"
is "$(codes mx1.example.net lenient-helo.test)" 127.0.0.10 "lenient-helo.test: own-name code 127.0.0.10"
is "$(txt mx1.example.net lenient-helo.test)" \
    "\"HELO mx1.example.net rejected: the HELO name claims to be this site's own host\"" \
    "lenient-helo.test: its TXT template"
is "$(upstream_count zzz.example.org A)" 0 "(nothing asked for names never queried)"
is "$(status zzz.example.org.lenient-helo.test)" NXDOMAIN "lenient-helo.test: a dotted name, not listed"
is "$(upstream_count zzz.example.org A)" 0 "lenient-helo.test: no lookup when no-dns is not checked"

# --- rdnsblctl helo -----------------------------------------------------------
ctl_ok "helo Mx1.Example.Net. exits 0" helo Mx1.Example.Net.
like "$CTL_OUT" '^mx1\.example\.net:$' "helo: the name normalised"
like "$CTL_OUT" '^  own-name: yes, mx1\.example\.net$' "helo: own-name, with the entry"
like "$CTL_OUT" '^helo\.test helo listed 127\.0\.0\.4 own-name$' "helo: helo.test lists it as own-name"
like "$CTL_OUT" '^lenient-helo\.test helo listed 127\.0\.0\.10 own-name$' "helo: lenient-helo.test with its code"
like "$CTL_OUT" '^sf-helo\.test helo not-listed$' "helo: sf-helo.test (no-dns only) does not"
ctl_ok "helo nowhere.example.org exits 0" helo nowhere.example.org
like "$CTL_OUT" 'no-dns: yes \(cached; --fresh looks it up again\)' "helo: the cached no-dns verdict"
n0=$(ups nowhere.example.org)
ctl_ok "helo nowhere.example.org --fresh exits 0" helo nowhere.example.org --fresh
like "$CTL_OUT" '^  A nowhere\.example\.org: nxdomain$' "helo --fresh: the A lookup in the trace"
like "$CTL_OUT" '^  AAAA nowhere\.example\.org: nxdomain$' "helo --fresh: the AAAA lookup in the trace"
ok "helo --fresh: asked the upstream again" test "$(ups nowhere.example.org)" -gt "$n0"
ctl_ok "helo localhost exits 0" helo localhost
like "$CTL_OUT" '^  bad-name: yes, listed as localhost in ' "helo localhost: bad-name entry"
like "$CTL_OUT" '^  no-dot: yes, a single label$' "helo localhost: no-dot"
like "$CTL_OUT" '^  no-dns: not looked up \(a single label\)$' "helo localhost: no lookup"
like "$CTL_OUT" '^helo\.test helo listed 127\.0\.0\.2 bad-name 127\.0\.0\.3 no-dot$' \
    "helo localhost: both codes"
ctl_ok "helo flaky.example.org exits 0" helo flaky.example.org --fresh
like "$CTL_OUT" 'no-dns: unknown, a temporary failure \(never a listing\)' "helo: a failure is unknown"
like "$CTL_OUT" '^helo\.test helo not-listed \(lookup failed' "helo: and not listed"
n0=$(ups nowhere.example.org)
ctl_ok "flush NOWHERE.example.org. exits 0" flush NOWHERE.example.org.
is "$CTL_OUT" "flushed NOWHERE.example.org." "flush NAME forgets a HELO name's verdict"
is "$(codes nowhere.example.org)" 127.0.0.5 "after flush: still listed"
ok "after flush: looked up again" test "$(ups nowhere.example.org)" -gt "$n0"
ctl helo 'bad name'
is "$CTL_RC" 1 "helo 'bad name': exit 1"
like "$CTL_ERR" 'cannot be a HELO name' "helo 'bad name': says why"

# A configuration without a helo zone.
sed -e '/^# Every reason/,$d' "$CONF" >"$work/nohelo.conf"
cat >>"$work/nohelo.conf" <<EOF
zone:
	name: bl.test
	type: dnsbl
EOF
"$RDNSBLCTL" -c "$work/nohelo.conf" helo mail.example.com >"$work/o" 2>"$work/e"
is "$?" 1 "helo without a helo zone: exit 1"
like "$(cat "$work/e")" 'has no zone of type helo' "helo without a helo zone: says so"

stop_daemon

# --- a broken bad-HELO file ----------------------------------------------------------
printf 'localhost\nfoo bar\n*.\n' >"$work/bad-helo.txt"
sed -e "s|bad-helo-names: .*|bad-helo-names: $work/bad-helo.txt|" "$CONF" >"$work/broken.conf"
"$RDNSBLD" -n -c "$work/broken.conf" >"$work/o" 2>&1
rc=$?
is "$rc" 1 "rdnsbld -n with a broken bad-helo-names file: exit 1"
like "$(cat "$work/o")" "bad-helo.txt:2: one name a line" "the error names file:line (2)"
like "$(cat "$work/o")" "bad-helo.txt:3: \"\\*\\.\" is not a name" "the error names file:line (3)"

done_testing
