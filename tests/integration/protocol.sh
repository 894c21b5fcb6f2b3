#!/bin/sh
# SPDX-License-Identifier: ISC
# protocol.sh -- DNS protocol handling: EDNS0 (OPT echoed with our
# udp-size, BADVERS), the 512-byte limit without EDNS (TC, dig's retry
# over TCP), the requester's buffer size capped by udp-size, TXT strings
# split at 255 bytes, several queries on one TCP connection, malformed
# packets (dropped, FORMERR, NOTIMP) followed by a good query.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool perl
need_programs

write_conf base.conf.in

# long N: N bytes of "0123456789" repeated.
long()
{
	perl -e 'print substr("0123456789" x 1000, 0, $ARGV[0])' "$1"
}
R600=$(long 600)
R1000=$(long 1000)
ctl_must add black 192.0.2.200 --reason "$R600"
ctl_must add black 192.0.2.201 --reason "$R1000"
start_daemon

# --- EDNS ------------------------------------------------------------------

o=$(q 2.0.0.127.bl.test A)
like "$o" '^; EDNS: version: 0, flags:; udp: 1232$' "UDP: the OPT record is echoed with udp: 1232"
o=$(q +tcp 2.0.0.127.bl.test A)
like "$o" '^; EDNS: version: 0, flags:; udp: 1232$' "TCP: the OPT record is echoed with udp: 1232"
o=$(q6 +bufsize=4096 2.0.0.127.bl.test A)
like "$o" '^; EDNS: version: 0, flags:; udp: 1232$' "::1: bufsize 4096 asked, our udp-size 1232 advertised"
o=$(q +noedns 2.0.0.127.bl.test A)
dig_unlike "$o" 'OPT PSEUDOSECTION|EDNS:' "no EDNS asked: no OPT in the answer"
is "$(dig_section "$o" ANSWER)" "2.0.0.127.bl.test. 300 IN A 127.0.0.2" \
    "no EDNS: the answer is complete"

o=$(q +edns=1 +noednsnegotiation 2.0.0.127.bl.test A)
is "$(dig_status "$o")" BADVERS "EDNS version 1: BADVERS"
like "$o" '^; EDNS: version: 0, ' "BADVERS answer carries an OPT of version 0"
is "$(dig_count "$o" ANSWER)" 0 "BADVERS answer has no answer records"
o=$(q +tcp +edns=1 +noednsnegotiation 2.0.0.127.bl.test A)
is "$(dig_status "$o")" BADVERS "EDNS version 1 over TCP: BADVERS"

# --- truncation ------------------------------------------------------------

T600="192.0.2.200 is listed ($R600)"
T1000="192.0.2.201 is listed ($R1000)"

# txt_join: the strings of one TXT record from dig +short, concatenated.
txt_join()
{
	sed -e 's/^"//' -e 's/"$//' -e 's/" "//g'
}
# txt_lens: the lengths of the strings of one TXT record from dig +short.
txt_lens()
{
	sed -e 's/^"//' -e 's/"$//' | awk -F'" "' '{
	    for (i = 1; i <= NF; i++) printf "%s%d", (i > 1 ? " " : ""), length($i)
	    print "" }'
}

o=$(q +noedns +ignore 200.2.0.192.bl.test TXT)
is "$(dig_status "$o")" NOERROR "no EDNS, 624-byte TXT: NOERROR"
ok "no EDNS, 624-byte TXT over UDP: TC set" has_flag "$o" tc
o=$(q6 +noedns +ignore 200.2.0.192.bl.test TXT)
ok "no EDNS, 624-byte TXT over UDP on ::1: TC set" has_flag "$o" tc
o=$(q +noedns +ignore +notcp 200.2.0.192.bl.test ANY)	# dig asks ANY over TCP by default
ok "no EDNS, ANY with the 624-byte TXT: TC set" has_flag "$o" tc
o=$(q +bufsize=512 +ignore 200.2.0.192.bl.test TXT)
ok "EDNS bufsize 512, 624-byte TXT: TC set" has_flag "$o" tc
o=$(q +noedns +ignore 200.2.0.192.bl.test A)
no_flag "$o" tc "no EDNS, the A of the same name fits: TC not set"

o=$(q +noedns 200.2.0.192.bl.test TXT)
like "$o" 'Truncated, retrying in TCP mode' "no EDNS: dig retries over TCP"
is "$(q +noedns +short 200.2.0.192.bl.test TXT | txt_join)" "$T600" \
    "no EDNS: the TCP retry gets the whole 624-byte TXT"
is "$(q +noedns +short 200.2.0.192.bl.test TXT | txt_lens)" "255 255 114" \
    "the 624-byte TXT is split into strings of 255, 255 and 114 bytes"

o=$(q +bufsize=4096 200.2.0.192.bl.test TXT)
no_flag "$o" tc "EDNS bufsize 4096: 624-byte TXT fits, TC not set"
dig_unlike "$o" 'Truncated' "EDNS bufsize 4096: no TCP retry needed"
like "$o" '^;; SERVER: .*\(UDP\)$' "EDNS bufsize 4096: answered over UDP"
is "$(q +bufsize=4096 +short 200.2.0.192.bl.test TXT | txt_join)" "$T600" \
    "EDNS bufsize 4096: the whole 624-byte TXT over UDP"
o=$(q +bufsize=4096 +notcp 200.2.0.192.bl.test ANY)
is "$(dig_flags "$o")/$(dig_count "$o" ANSWER)" "qr aa rd/2" \
    "EDNS bufsize 4096: ANY gets the A and the long TXT over UDP, no TC"

# 1024-byte TXT: fits our udp-size 1232, not the client's 1024.
o=$(q +bufsize=4096 201.2.0.192.bl.test TXT)
no_flag "$o" tc "EDNS bufsize 4096, 1024-byte TXT: TC not set"
is "$(q +bufsize=4096 +short 201.2.0.192.bl.test TXT | txt_join)" "$T1000" \
    "EDNS bufsize 4096: the whole 1024-byte TXT over UDP"
o=$(q +bufsize=1024 +ignore 201.2.0.192.bl.test TXT)
ok "EDNS bufsize 1024, 1024-byte TXT: TC set" has_flag "$o" tc
o=$(q +bufsize=1024 201.2.0.192.bl.test TXT)
like "$o" 'Truncated, retrying in TCP mode' "EDNS bufsize 1024: dig retries over TCP"
is "$(q +bufsize=1024 +short 201.2.0.192.bl.test TXT | txt_join)" "$T1000" \
    "EDNS bufsize 1024: the whole 1024-byte TXT over TCP"
is "$(q +tcp +short 201.2.0.192.bl.test TXT | txt_lens)" "255 255 255 255 4" \
    "the 1024-byte TXT is split into 255-byte strings"
is "$(q6 +tcp +short 201.2.0.192.bl.test TXT | txt_join)" "$T1000" \
    "1024-byte TXT over TCP on ::1"
ctl add black 192.0.2.202 --reason "$(long 1025)"
is "$CTL_RC" 1 "a reason over the 1024-byte limit is refused"
like "$CTL_ERR" 'reason is 1025 bytes long; the limit is 1024' \
    "... and the error says it is the reason's length"

# Several queries on one TCP connection.
o=$(q +tcp +keepopen +short 2.0.0.127.bl.test A 200.2.0.192.bl.test A \
    bl.test NS)
is "$o" "127.0.0.2
127.0.0.2
ns.bl.test." "three queries on one TCP connection are all answered"

# Not class IN, outside every zone: REFUSED.
is "$(dig_status "$(q CH TXT version.bind)")" REFUSED "version.bind CH TXT is REFUSED"

# --- malformed packets -----------------------------------------------------

HDR_ID=1234
QNAME=0132013001300331323702626c04746573740000010001	# 2.0.0.127.bl.test A IN
NX_QNAME=0131013001300331323702626c04746573740000010001	# 1.0.0.127.bl.test A IN

good_query()
{
	is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 "$1: then a normal query is answered"
}

# dropped HEX NAME: no reply to the UDP packet HEX, and a reply to a good
# raw query right after it (silence from a daemon that answers nothing
# would prove nothing).
dropped()
{
	dr_o=$(rawq udp "$1")
	dr_g=$(rawq udp ${HDR_ID}01000001000000000000$QNAME | cut -d' ' -f1-6)
	if [ "$dr_o" != noreply ]; then
		fail "$2" "got:  '$dr_o'" "want: 'noreply'"
	elif [ "$dr_g" != "id=4660 qr=1 opcode=0 aa=1 tc=0 rcode=0" ]; then
		fail "$2" "no reply, but a good query after it got: '$dr_g'"
	else
		pass "$2"
	fi
}

is "$(rawq udp ${HDR_ID}01000001000000000000$QNAME | cut -d' ' -f1-10)" \
    "id=4660 qr=1 opcode=0 aa=1 tc=0 rcode=0 qd=1 an=1 ns=0 ar=0" \
    "raw UDP query for 2.0.0.127.bl.test A is answered (the tool works)"
is "$(rawq tcp ${HDR_ID}01000001000000000000$NX_QNAME | cut -d' ' -f1-10)" \
    "id=4660 qr=1 opcode=0 aa=1 tc=0 rcode=3 qd=1 an=0 ns=1 ar=0" \
    "raw TCP query for 1.0.0.127.bl.test A is NXDOMAIN with the SOA"

dropped 12340100 "truncated header (4 bytes) is dropped"
good_query "truncated header"
dropped 123401000001000000 "truncated header (9 bytes) is dropped"
dropped ${HDR_ID}81000001000000000000$QNAME \
    "a response (QR=1) is dropped"
good_query "response dropped"

is "$(rawq udp ${HDR_ID}01000002000000000000$QNAME$QNAME | cut -d' ' -f1-6)" \
    "id=4660 qr=1 opcode=0 aa=0 tc=0 rcode=1" "QDCOUNT=2: FORMERR"
good_query "QDCOUNT=2"
is "$(rawq tcp ${HDR_ID}01000002000000000000$QNAME$QNAME | cut -d' ' -f1-6)" \
    "id=4660 qr=1 opcode=0 aa=0 tc=0 rcode=1" "QDCOUNT=2 over TCP: FORMERR"
is "$(rawq udp ${HDR_ID}01000000000000000000 | cut -d' ' -f1-6)" \
    "id=4660 qr=1 opcode=0 aa=0 tc=0 rcode=1" "QDCOUNT=0: FORMERR"
BADLABEL=40$(perl -e 'print "61" x 64')0000010001
is "$(rawq udp ${HDR_ID}01000001000000000000$BADLABEL | cut -d' ' -f1-6)" \
    "id=4660 qr=1 opcode=0 aa=0 tc=0 rcode=1" "a 64-byte label (bad label type): FORMERR"
good_query "bad label"
is "$(rawq udp ${HDR_ID}01000001000000000000013201300130 | cut -d' ' -f1-6)" \
    "id=4660 qr=1 opcode=0 aa=0 tc=0 rcode=1" "a name cut off by the end of the packet: FORMERR"
is "$(rawq udp ${HDR_ID}01000001000000000000c00c00010001 | cut -d' ' -f1-6)" \
    "id=4660 qr=1 opcode=0 aa=0 tc=0 rcode=1" "a compression pointer to itself: FORMERR"
LONGNAME=$(perl -e 'print "3f" . "61" x 63 for 1..5; print "00"')00010001
is "$(rawq udp ${HDR_ID}01000001000000000000$LONGNAME | cut -d' ' -f1-6)" \
    "id=4660 qr=1 opcode=0 aa=0 tc=0 rcode=1" "a 321-byte name: FORMERR"
is "$(rawq udp ${HDR_ID}0100000100000000000001320130013003313237 | cut -d' ' -f1-6)" \
    "id=4660 qr=1 opcode=0 aa=0 tc=0 rcode=1" "a question without type and class: FORMERR"
OPT=0000291000000000000000	# root, type 41, udp 4096, version 0, no data
is "$(rawq udp ${HDR_ID}01000001000000000002$QNAME$OPT$OPT | cut -d' ' -f1-6)" \
    "id=4660 qr=1 opcode=0 aa=0 tc=0 rcode=1" "two OPT records: FORMERR"
is "$(rawq udp ${HDR_ID}01000001000000000001$QNAME$OPT | cut -d' ' -f1-10)" \
    "id=4660 qr=1 opcode=0 aa=1 tc=0 rcode=0 qd=1 an=1 ns=0 ar=1" \
    "one OPT record: answered, with an OPT"
good_query "malformed names"

is "$(rawq udp ${HDR_ID}11000001000000000000$QNAME | cut -d' ' -f1-6)" \
    "id=4660 qr=1 opcode=2 aa=0 tc=0 rcode=4" "opcode 2 (STATUS): NOTIMP"
is "$(rawq udp ${HDR_ID}29000001000000000000$QNAME | cut -d' ' -f1-6)" \
    "id=4660 qr=1 opcode=5 aa=0 tc=0 rcode=4" "opcode 5 (UPDATE): NOTIMP"
is "$(rawq tcp ${HDR_ID}29000001000000000000$QNAME | cut -d' ' -f1-6)" \
    "id=4660 qr=1 opcode=5 aa=0 tc=0 rcode=4" "opcode 5 (UPDATE) over TCP: NOTIMP"
good_query "NOTIMP"
is "$(q +tcp +short 2.0.0.127.bl.test A)" 127.0.0.2 "TCP still answers after the malformed packets"
is "$(q6 +short 2.0.0.127.bl.test A)" 127.0.0.2 "::1 still answers after the malformed packets"

# A TCP client that sends half a message and goes away does no harm.
perl -MIO::Socket::INET -e '
    my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
	PeerPort => $ARGV[0], Proto => "tcp") or die "$!\n";
    $s->syswrite(pack("n", 40) . "\x12\x34");
    close $s' "$PORT"
good_query "a half TCP message"

stop_daemon

# udp-size: 512 caps what a client offering 4096 gets.
UDPSIZE=512
write_conf base.conf.in
start_daemon
o=$(q +bufsize=4096 +ignore 200.2.0.192.bl.test TXT)
like "$o" '^; EDNS: version: 0, flags:; udp: 512$' "udp-size 512: udp: 512 advertised"
ok "udp-size 512, client 4096, 624-byte TXT: TC set" has_flag "$o" tc
is "$(q +bufsize=4096 +short 200.2.0.192.bl.test TXT | txt_join)" "$T600" \
    "udp-size 512: dig's TCP retry gets the whole TXT"
o=$(q +bufsize=4096 5.2.0.192.bl.test A)
is "$(dig_status "$o")/$(dig_flags "$o")" "NXDOMAIN/qr aa rd" "udp-size 512: NXDOMAIN with the SOA fits, no TC"
is "$(q +bufsize=4096 +short 2.0.0.127.bl.test A)" 127.0.0.2 "udp-size 512: a short answer is not truncated"
stop_daemon
done_testing
