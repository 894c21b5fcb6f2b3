#!/bin/sh
# SPDX-License-Identifier: ISC
# udp_df.sh -- UDP answers are never fragmented: they go out with DF set,
# and one larger than the interface takes goes out truncated, TC set, so
# that the client asks again over TCP. In a network namespace of its own
# whose loopback has an MTU of 1000 bytes, with udp-size 4096: a 690-byte
# TXT answer comes whole over UDP, a 1,090-byte one comes with TC set and
# its OPT record, and whole over TCP. Needs root (the namespace).

if [ -z "$RDNSBL_NETNS" ]; then
	. "$top_srcdir/tests/integration/netns.sh"
	netns_enter "$0" "$(netns_why ip dig perl)"
fi

. "$top_srcdir/tests/integration/lib.sh"
need_programs

ip link set lo mtu 1000 up || bail "cannot set the loopback's MTU"
like "$(ip -o link show lo)" ' mtu 1000 ' "the namespace's loopback has an MTU of 1000"

# answer OUTPUT: the answer section with a TXT's strings joined.
answer()
{
	dig_section "$1" ANSWER | sed 's/" "//g'
}
long()
{
	perl -e 'print substr("0123456789" x 1000, 0, $ARGV[0])' "$1"
}
R600=$(long 600)
R1000=$(long 1000)
write_conf df.conf.in
ctl_must add black 192.0.2.200 --reason "$R600"
ctl_must add black 192.0.2.201 --reason "$R1000"
start_daemon

o=$(q +bufsize=4096 +ignore 200.2.0.192.bl.test TXT)
no_flag "$o" tc "a TXT answer under the MTU: TC not set"
like "$o" "MSG SIZE  rcvd: 6[0-9][0-9]\$" "a TXT answer under the MTU: about 690 bytes over UDP"
like "$(answer "$o")" "($R600)" "a TXT answer under the MTU: the whole reason"

o=$(q +bufsize=4096 +ignore 201.2.0.192.bl.test TXT)
is "$(dig_status "$o")" NOERROR "a TXT answer over the MTU: NOERROR"
ok "a TXT answer over the MTU: TC set" has_flag "$o" tc
is "$(dig_count "$o" ANSWER)" 0 "a TXT answer over the MTU: no answer records"
like "$o" '^; EDNS: version: 0, flags:; udp: 4096$' \
    "a TXT answer over the MTU: the OPT record kept, udp 4096"
o=$(q +bufsize=4096 201.2.0.192.bl.test TXT)
like "$o" "Truncated, retrying in TCP mode" "dig retries over TCP"
like "$(answer "$o")" "($R1000)" "over TCP: the whole 1000-byte reason"
o=$(q +bufsize=4096 +ignore 201.2.0.192.bl.test A)
is "$(dig_section "$o" ANSWER)" "201.2.0.192.bl.test. 300 IN A 127.0.0.2" \
    "the A answer of the same name: whole over UDP"
o=$(q +bufsize=4096 +ignore 200.2.0.192.bl.test TXT)
like "$(answer "$o")" "($R600)" "the daemon still answers after a truncation"

done_testing
