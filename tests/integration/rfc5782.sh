#!/bin/sh
# SPDX-License-Identifier: ISC
# rfc5782.sh -- the RFC 5782 rules every IP zone keeps: apex SOA and NS,
# the 127.0.0.2 / ::ffff:7f00:2 test points listed and 127.0.0.1 /
# ::ffff:7f00:1 not (even when the database lists them), NXDOMAIN with
# the SOA for an unlisted name, REFUSED outside every zone; over UDP and
# TCP, on the IPv4 and the IPv6 listener.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool perl
need_programs

write_conf base.conf.in
# The database lists 127.0.0.1 (and all of 127/8 and ::ffff:0:0/96 in the
# blacklist, and the whitelist): the test points must not care.
ctl_must add black 127.0.0.0/8 --reason "loopback block"
ctl_must add black 127.0.0.1 --reason "should never show"
ctl_must add white 127.0.0.1 --reason "should never show"
ctl_must add black ::ffff:0:0/96 --reason "mapped block"
start_daemon

T4_2=2.0.0.127
T4_1=1.0.0.127
T6_2=$(rev6 ::ffff:7f00:2)
T6_1=$(rev6 ::ffff:7f00:1)
is "$T6_2" "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0" \
    "rev6 makes the nibble name of ::ffff:7f00:2"

# Q ARGS...: query over the current transport $T.
Q()
{
	case $T in
	udp4) q "$@" ;;
	tcp4) q +tcp "$@" ;;
	udp6) q6 "$@" ;;
	tcp6) q6 +tcp "$@" ;;
	esac
}

# soa_ok OUTPUT SECTION ZONE MNAME RNAME TTL MINIMUM NAME
soa_ok()
{
	so_rr=$(dig_section "$1" "$2")
	so_want="$3. $6 IN SOA $4. $5. "
	case $so_rr in
	"$so_want"*) ;;
	*)
		fail "$8" "got:  '$so_rr'" "want: '$so_want<serial> ... $7'"
		return
		;;
	esac
	# serial refresh retry expire minimum, all numbers, minimum as given
	if echo "$so_rr" | awk -v m="$7" '
	    NF == 11 && $7 ~ /^[0-9]+$/ && $8 ~ /^[0-9]+$/ && $9 ~ /^[0-9]+$/ &&
	    $10 ~ /^[0-9]+$/ && $11 == m { ok = 1 } END { exit !ok }'; then
		pass "$8"
	else
		fail "$8" "got:  '$so_rr'" "want: '$so_want<serial> ... $7'"
	fi
}

# nx NAME ZONE MNAME RNAME NEGTTL: NXDOMAIN, AA, no answer, SOA.
nx()
{
	o=$(Q "$1" A)
	is "$(dig_status "$o")" NXDOMAIN "$T: $1 A is NXDOMAIN"
	ok "$T: $1 NXDOMAIN has AA" has_flag "$o" aa
	is "$(dig_count "$o" ANSWER)" 0 "$T: $1 NXDOMAIN has no answer"
	soa_ok "$o" AUTHORITY "$2" "$3" "$4" "$5" "$5" \
	    "$T: $1 NXDOMAIN carries the SOA (TTL and minimum $5)"
}

for T in udp4 tcp4 udp6 tcp6; do
	# Apex SOA and NS, zone ttl 300, negative-ttl 120.
	o=$(Q bl.test SOA)
	is "$(dig_status "$o")" NOERROR "$T: bl.test SOA is NOERROR"
	ok "$T: bl.test SOA has AA" has_flag "$o" aa
	soa_ok "$o" ANSWER bl.test ns.bl.test hostmaster.bl.test 300 120 \
	    "$T: bl.test SOA answers mname, rname, ttl 300, minimum 120"
	o=$(Q bl.test NS)
	is "$(dig_section "$o" ANSWER)" "bl.test. 300 IN NS ns.bl.test." \
	    "$T: bl.test NS answers ns.bl.test"
	ok "$T: bl.test NS has AA" has_flag "$o" aa
	o=$(Q bl2.test NS)
	is "$(dig_section "$o" ANSWER | sort)" \
	    "bl2.test. 3600 IN NS ns1.bl2.test.
bl2.test. 3600 IN NS ns2.bl2.test." \
	    "$T: bl2.test NS answers both ns: names with ttl 1h"
	o=$(Q bl.test ANY)
	is "$(dig_section "$o" ANSWER | awk '{ print $1, $2, $4 }' | sort)" \
	    "bl.test. 300 NS
bl.test. 300 SOA" "$T: bl.test ANY answers the SOA and the NS"
	for t in A TXT AAAA; do
		o=$(Q bl.test $t)
		is "$(dig_status "$o")/$(dig_count "$o" ANSWER)" NOERROR/0 \
		    "$T: bl.test $t is NODATA"
		like "$(dig_section "$o" AUTHORITY)" \
		    '^bl\.test\. 120 IN SOA ns\.bl\.test\. hostmaster\.bl\.test\. [0-9]+ [0-9]+ [0-9]+ [0-9]+ 120$' \
		    "$T: bl.test $t NODATA carries the SOA"
	done
	o=$(Q wl.test SOA)
	soa_ok "$o" ANSWER wl.test ns.wl.test hostmaster.wl.test 300 120 \
	    "$T: wl.test SOA answers mname, rname, ttl 300, minimum 120"

	# IPv4 test points.
	o=$(Q $T4_2.bl.test A)
	is "$(dig_status "$o")" NOERROR "$T: $T4_2.bl.test A is NOERROR"
	ok "$T: $T4_2.bl.test A has AA" has_flag "$o" aa
	is "$(dig_section "$o" ANSWER)" "$T4_2.bl.test. 300 IN A 127.0.0.2" \
	    "$T: $T4_2.bl.test A is 127.0.0.2 with ttl 300"
	o=$(Q $T4_2.bl.test TXT)
	is "$(dig_section "$o" ANSWER)" \
	    "$T4_2.bl.test. 300 IN TXT \"127.0.0.2 is listed (RFC 5782 test point)\"" \
	    "$T: $T4_2.bl.test TXT fills in the template"
	nx $T4_1.bl.test bl.test ns.bl.test hostmaster.bl.test 120
	is "$(dig_answer "$(Q $T4_1.bl.test TXT)")" NXDOMAIN \
	    "$T: $T4_1.bl.test TXT has no answer (NXDOMAIN)"

	# IPv6 test points.
	o=$(Q $T6_2.bl.test A)
	is "$(dig_section "$o" ANSWER)" "$T6_2.bl.test. 300 IN A 127.0.0.2" \
	    "$T: ::ffff:7f00:2 nibbles A is 127.0.0.2"
	ok "$T: ::ffff:7f00:2 A has AA" has_flag "$o" aa
	is "$(Q +short $T6_2.bl.test TXT)" \
	    '"::ffff:127.0.0.2 is listed (RFC 5782 test point)"' \
	    "$T: ::ffff:7f00:2 nibbles TXT fills in the template"
	nx $T6_1.bl.test bl.test ns.bl.test hostmaster.bl.test 120

	# The whitelist zone keeps the same test points (whitelist code).
	is "$(Q +short $T4_2.wl.test A)" 127.0.0.2 "$T: $T4_2.wl.test A is 127.0.0.2"
	is "$(Q +short $T4_2.wl.test TXT)" \
	    '"127.0.0.2 is whitelisted (RFC 5782 test point)"' \
	    "$T: $T4_2.wl.test TXT fills in the template"
	is "$(Q +short $T6_2.wl.test A)" 127.0.0.2 "$T: ::ffff:7f00:2 in wl.test is 127.0.0.2"
	nx $T4_1.wl.test wl.test ns.wl.test hostmaster.wl.test 120
	nx $T6_1.wl.test wl.test ns.wl.test hostmaster.wl.test 120

	# bl2.test: the test point answers with the zone's blacklist code.
	is "$(Q +short $T4_2.bl2.test A)" 127.0.0.10 \
	    "$T: $T4_2.bl2.test A is the zone's blacklist code 127.0.0.10"
	is "$(Q +short $T4_2.bl2.test TXT)" \
	    '"127.0.0.2 blocked: RFC 5782 test point, see http://example.test/lookup?ip=127.0.0.2"' \
	    "$T: $T4_2.bl2.test TXT uses the blacklist template and \$url"
	nx $T4_1.bl2.test bl2.test ns1.bl2.test admin.bl2.test 30
	nx $T6_1.bl2.test bl2.test ns1.bl2.test admin.bl2.test 30

	# An unlisted address: NXDOMAIN with the SOA.
	nx 4.113.0.203.bl.test bl.test ns.bl.test hostmaster.bl.test 120
	nx "$(rev6 2001:db8::1).bl.test" bl.test ns.bl.test hostmaster.bl.test 120

	# Outside every zone: REFUSED, no AA, no records.
	for n in example.com 2.0.0.127.bl.test.example test; do
		o=$(Q "$n" A)
		is "$(dig_status "$o")" REFUSED "$T: $n (outside every zone) is REFUSED"
		is "$(dig_count "$o" ANSWER)/$(dig_count "$o" AUTHORITY)" 0/0 \
		    "$T: $n REFUSED has no records"
	done
done

# A parent of a zone is outside it too.
is "$(dig_status "$(q test SOA)")" REFUSED "the parent zone test. SOA is REFUSED"

# The database does list 127.0.0.2's range in the blacklist: still the
# test-point answer (the whitelist lists 127.0.0.1, never wl.test-listed).
is "$(q +short 3.0.0.127.bl.test A)" 127.0.0.2 "127.0.0.3 is listed by the 127/8 entry"
is "$(q +short 3.0.0.127.bl.test TXT)" '"127.0.0.3 is listed (loopback block)"' \
    "127.0.0.3 TXT gives the entry's reason"

stop_daemon
done_testing
