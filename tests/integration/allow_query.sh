#!/bin/sh
# SPDX-License-Identifier: ISC
# allow_query.sh -- only sources inside allow-query: get answers; others
# get REFUSED, over UDP and TCP, IPv4 and IPv6.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_programs

# Run 1: only 127.0.0.2 may ask.
ALLOW="127.0.0.2/32"
write_conf base.conf.in
ctl_must add black 192.0.2.0/24 --reason "spam source"
start_daemon

for tcp in "" +tcp; do
	P=${tcp:-+notcp}
	o=$(q $tcp -b 127.0.0.2 2.0.0.127.bl.test A)
	is "$(dig_status "$o")" NOERROR "$P: 127.0.0.2 (allowed) gets NOERROR"
	is "$(dig_section "$o" ANSWER)" "2.0.0.127.bl.test. 300 IN A 127.0.0.2" \
	    "$P: 127.0.0.2 (allowed) gets the answer"
	is "$(q $tcp -b 127.0.0.2 +short 5.2.0.192.bl.test TXT)" \
	    '"192.0.2.5 is listed (spam source)"' "$P: 127.0.0.2 (allowed) gets a listing"
	is "$(dig_status "$(q $tcp -b 127.0.0.2 bl.test SOA)")" NOERROR \
	    "$P: 127.0.0.2 (allowed) gets the apex SOA"
	is "$(dig_status "$(q $tcp -b 127.0.0.2 1.0.0.127.bl.test A)")" NXDOMAIN \
	    "$P: 127.0.0.2 (allowed) gets NXDOMAIN for 127.0.0.1"
	for n in 2.0.0.127.bl.test 5.2.0.192.bl.test 1.0.0.127.bl.test bl.test; do
		o=$(q $tcp -b 127.0.0.1 $n A)
		is "$(dig_status "$o")" REFUSED "$P: 127.0.0.1 (not allowed) asking $n gets REFUSED"
		is "$(dig_count "$o" ANSWER)/$(dig_count "$o" AUTHORITY)" 0/0 \
		    "$P: REFUSED for 127.0.0.1 asking $n has no records"
	done
	o=$(q $tcp -b 127.0.0.3 2.0.0.127.wl.test A)
	is "$(dig_status "$o")" REFUSED "$P: 127.0.0.3 (not allowed) gets REFUSED in wl.test"
	o=$(q6 $tcp 2.0.0.127.bl.test A)
	is "$(dig_status "$o")" REFUSED "$P: ::1 (not allowed) gets REFUSED"
done
stop_daemon

# Run 2: only ::1 may ask.
ALLOW="::1"
write_conf base.conf.in
start_daemon
for tcp in "" +tcp; do
	P=${tcp:-+notcp}
	is "$(q6 $tcp +short 5.2.0.192.bl.test A)" 127.0.0.2 "$P: ::1 (allowed) gets the answer"
	is "$(dig_status "$(q $tcp 5.2.0.192.bl.test A)")" REFUSED \
	    "$P: 127.0.0.1 (not allowed) gets REFUSED"
	is "$(dig_status "$(q $tcp -b 127.0.0.2 5.2.0.192.bl.test A)")" REFUSED \
	    "$P: 127.0.0.2 (not allowed) gets REFUSED"
done
stop_daemon

# Run 3: several networks in one allow-query: line, IPv4-mapped not
# confused with IPv4.
ALLOW="127.0.0.4/30, 127.0.0.8, ::1"
write_conf base.conf.in
start_daemon
for src in 127.0.0.4 127.0.0.7 127.0.0.8; do
	is "$(q -b $src +short 5.2.0.192.bl.test A)" 127.0.0.2 "$src (allowed by $ALLOW) gets the answer"
done
for src in 127.0.0.1 127.0.0.3 127.0.0.9; do
	is "$(dig_status "$(q -b $src 5.2.0.192.bl.test A)")" REFUSED \
	    "$src (not in $ALLOW) gets REFUSED"
done
is "$(q6 +tcp +short 5.2.0.192.bl.test A)" 127.0.0.2 "::1 (allowed by $ALLOW) gets the answer"

stop_daemon
done_testing
