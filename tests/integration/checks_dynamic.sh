#!/bin/sh
# SPDX-License-Identifier: ISC
# checks_dynamic.sh -- the dynamic check with the shipped S25R rules
# (zones/s25r.rules): for each rule s25r-1..s25r-6 a forward-confirmed PTR
# name it lists (127.0.0.5, the TXT naming the rule) and a similar
# confirmed name it must not list; the exceptions of the big senders (and
# their label boundary); the first matching rule is the one reported; only
# the confirmed name counts; names are matched whatever their case; IPv6.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool perl
need_tool ldns-testns
need_programs

# confirmed ADDR NAME: the upstream gives ADDR the PTR NAME, and NAME ADDR.
confirmed()
{
	tns_ptr "$1" "$2"
	tns_addr "$2" "$1"
}

# The cases: ADDR NAME WANT, WANT a rule name or "pass".
cat >"$work/cases" <<'EOF'
198.51.100.1 p1234-ipngn100.example.ne.jp s25r-1
198.51.100.2 p1234ipngn.example.ne.jp pass
198.51.100.3 host12345.example.com s25r-2
198.51.100.4 host1234.example.com pass
198.51.100.5 123.45.67.89.isp.example.com s25r-3
198.51.100.6 123.example.com pass
198.51.100.7 pc7.12-34.example.net s25r-4
198.51.100.8 pc.12-34.example.net pass
198.51.100.9 host1.pool2.isp.example.com s25r-5
198.51.100.10 host1.pool2.example.com pass
198.51.100.11 dhcp123.example.com s25r-6
198.51.100.12 dhcp.example.com pass
198.51.100.21 adsl-pool7.example.net s25r-6
198.51.100.22 ppp99.example.org s25r-6
198.51.100.13 mail-ua0-f172.google.com pass
198.51.100.14 a8-41.smtp-out.amazonses.com pass
198.51.100.15 mail-ua0-f172.notgoogle.com s25r-1
198.51.100.16 static.71.8.9.5.clients.your-server.de pass
198.51.100.17 mail-db5eur03on2100.outbound.protection.outlook.com pass
198.51.100.18 DHCP77.Example.COM s25r-6
EOF

: >"$TNS"
while read -r addr name want; do
	confirmed "$addr" "$name"
done <"$work/cases"
# 198.51.100.30: a dynamic name that does not confirm, and a plain one
# that does: pass. 198.51.100.31: only the dynamic name, unconfirmed.
tns_ptr 198.51.100.30 dhcp30.example.com mail30.example.com
tns_addr dhcp30.example.com 203.0.113.30
tns_addr mail30.example.com 198.51.100.30
tns_ptr 198.51.100.31 dhcp31.example.com
tns_addr dhcp31.example.com 203.0.113.31
# IPv6: a confirmed dynamic name and a confirmed plain one.
confirmed 2001:db8:5::1 dsl-2001-db8.example.net
confirmed 2001:db8:5::2 mx.example.net
start_upstream "$TNS"

write_conf checks-base.conf.in
start_daemon

while read -r addr name want; do
	qn="$(rev4 "$addr").bl.test"
	lname=$(echo "$name" | tr A-Z a-z)
	if [ "$want" = pass ]; then
		o=$(q "$qn" A)
		is "$(dig_status "$o")/$(soa_ttl "$o")" NXDOMAIN/120 \
		    "$addr $name (confirmed) is not listed"
		continue
	fi
	is "$(q +short "$qn" A)" 127.0.0.5 "$addr $name (confirmed) is listed 127.0.0.5 ($want)"
	o=$(q "$qn" TXT)
	txt=$(dig_section "$o" ANSWER | sed -n 's/^[^ ]* [0-9]* IN TXT //p')
	like "$txt" "^\"$addr is listed: .*\\(rule $want\\)\"\$" \
	    "$addr TXT names the rule $want"
	like "$txt" "$(echo "$lname" | sed 's/\./\\./g')" "$addr TXT names the PTR name $lname"
done <"$work/cases"

# The trace and the cache record the rule; an exception is shown as such.
ctl_ok "check 198.51.100.5 --fresh exits 0" check 198.51.100.5 --fresh
like "$CTL_OUT" 'dynamic: 123\.45\.67\.89\.isp\.example\.com\.? matches rule s25r-3' \
    "check: the first matching rule (s25r-3, though s25r-5 matches too) is reported"
is "$(printf '%s\n' "$CTL_OUT" | tail -n1)" "198.51.100.5 dynamic" "check 198.51.100.5: dynamic"
ctl_ok "lookup 198.51.100.5 exits 0" lookup 198.51.100.5
like "$CTL_OUT" '^  computed: dynamic .* confirmed 123\.45\.67\.89\.isp\.example\.com .*rule s25r-3' \
    "lookup: the cached verdict records the confirmed name and the rule"
ctl_ok "check 198.51.100.13 --fresh exits 0" check 198.51.100.13 --fresh
like "$CTL_OUT" 'mail-ua0-f172\.google\.com.*(exempt|exception).*google\.com' \
    "check: mail-ua0-f172.google.com is exempt by the google.com exception"
is "$(printf '%s\n' "$CTL_OUT" | tail -n1)" "198.51.100.13 pass" "check 198.51.100.13: pass"

# Only the forward-confirmed name is matched.
o=$(q 30.100.51.198.bl.test A)
is "$(dig_status "$o")/$(soa_ttl "$o")" NXDOMAIN/120 \
    "198.51.100.30: the dynamic PTR name does not confirm, the plain one does: not listed"
is "$(q +short 31.100.51.198.bl.test A)" 127.0.0.4 \
    "198.51.100.31: an unconfirmed dynamic name is 127.0.0.4 (unconfirmed), not dynamic"

# IPv6.
is "$(q +short "$(rev6 2001:db8:5::1).bl.test" A)" 127.0.0.5 \
    "2001:db8:5::1 dsl-2001-db8.example.net (AAAA confirms) is listed 127.0.0.5"
like "$(q6 +short "$(rev6 2001:db8:5::1).bl.test" TXT)" \
    '^"2001:db8:5::1 is listed: .*\(rule s25r-1\)"$' "2001:db8:5::1 TXT names rule s25r-1"
o=$(q "$(rev6 2001:db8:5::2).bl.test" A)
is "$(dig_status "$o")/$(soa_ttl "$o")" NXDOMAIN/120 \
    "2001:db8:5::2 mx.example.net (AAAA confirms) is not listed"

stop_daemon
done_testing
