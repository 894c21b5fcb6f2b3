#!/bin/sh
# SPDX-License-Identifier: ISC
# mta.sh -- end to end with a real MTA: Debian's Exim, in a network
# namespace this test creates (with a mount namespace in which a resolv.conf
# of the test's is bind-mounted over /etc/resolv.conf), receives SMTP
# sessions from addresses of that namespace and asks rdnsbld, running there
# on 127.0.0.1 port 53, about the client address (bl.test, wl.test) and
# the HELO name (helo.test). A listed client and a listed HELO are refused,
# others accepted; a whitelisting takes effect at the next session; a
# stopped rdnsbld fails open. Needs root (namespaces, port 25 and 53 inside
# the namespace only); nothing outside the namespace is touched.

if [ -z "$RDNSBL_NETNS" ]; then
	. "$top_srcdir/tests/integration/netns.sh"
	why=$(netns_why ip exim4 perl dig ldns-testns)
	# tools/deps.sh --test does not replace another mail server with
	# Exim: say whose machine it is.
	if [ "$why" = "exim4 not installed" ] &&
	    mta=$(dpkg -S /usr/sbin/sendmail 2>/dev/null); then
		why="exim4 is not installed because ${mta%%:*} is this machine's mail server (it provides /usr/sbin/sendmail), and tools/deps.sh --test does not replace it with exim4-daemon-light"
	fi
	netns_enter "$0" "$why"
fi

. "$top_srcdir/tests/integration/lib.sh"
need_programs

mta_namespace

# --- rdnsbld on 127.0.0.1@53 of the namespace -------------------------------
PORT=53
write_conf mta.conf.in
start_daemon
ctl_must add black 192.0.2.10 --reason "spam run 4711"
ctl_must add black 192.0.2.30 --reason "also listed"
is "$(q +short 10.2.0.192.bl.test A)" 127.0.0.2 "rdnsbld answers on 127.0.0.1:53 in the namespace"
is "$(dig +short +tries=1 +time=2 10.2.0.192.bl.test A)" 127.0.0.2 \
    "the namespace's resolv.conf points at it"

# --- Exim -------------------------------------------------------------------
# Exim receives as Debian-exim: its spool must be reachable.
chmod 755 "$work"
mkdir -p "$work/exim/spool" "$work/exim/log"
chown -R Debian-exim:Debian-exim "$work/exim" 2>/dev/null ||
    chmod -R 777 "$work/exim"
write_conf mta-exim.conf.in "$work/exim.conf"
exim4 -C "$work/exim.conf" -bdf -oX 25 >"$work/exim.out" 2>&1 &
EXIM_PID=$!
UPIDS="$UPIDS $EXIM_PID"	# lib_cleanup stops it with the upstreams
i=0
until perl -MIO::Socket::INET -e 'exit !IO::Socket::INET->new(
    PeerAddr => "192.0.2.1:25", Timeout => 1)' 2>/dev/null; do
	i=$((i + 1))
	if [ $i -ge 50 ] || ! kill -0 "$EXIM_PID" 2>/dev/null; then
		sed 's/^/# exim: /' "$work/exim.out" "$work"/exim/log/* 2>/dev/null
		bail "exim did not start"
	fi
	sleep 0.2
done
pass "exim listens on 192.0.2.1:25"

# smtp FROM-ADDR HELO: one session; prints "ehlo CODE", then "mail CODE"
# and "rcpt CODE" when the EHLO was accepted, and "text: ..." for the last
# reply, continuation lines joined.
smtp()
{
	perl -MIO::Socket::INET -e '
	    my ($src, $helo) = @ARGV;
	    my $s = IO::Socket::INET->new(PeerAddr => "192.0.2.1",
		PeerPort => 25, LocalAddr => $src, Proto => "tcp",
		Timeout => 20) or die "connect from $src: $!\n";
	    my $last = "";
	    sub reply {
		my $all = "";
		while (my $l = <$s>) {
		    $l =~ s/\r?\n$//;
		    $all .= ($all eq "" ? "" : " ") . substr($l, 4);
		    return (substr($l, 0, 3), $all) if $l =~ /^\d{3} /;
		}
		return ("EOF", $all);
	    }
	    sub cmd { print $s "$_[0]\r\n"; return reply(); }
	    my ($c, $t) = reply();
	    die "banner: $c $t\n" unless $c eq "220";
	    ($c, $t) = cmd("EHLO $helo");
	    print "ehlo $c\n";
	    $last = $t;
	    if ($c eq "250") {
		($c, $t) = cmd("MAIL FROM:<sender\@good.test>");
		print "mail $c\n";
		($c, $t) = cmd("RCPT TO:<postmaster\@rdnsbl.test>");
		print "rcpt $c\n";
		$last = $t;
	    }
	    print "text: $last\n";
	    cmd("QUIT");
	' "$1" "$2" 2>&1
}

o=$(smtp 192.0.2.20 mail.good.test)
is "$(printf '%s\n' "$o" | grep -v '^text')" "ehlo 250
mail 250
rcpt 250" "an unlisted client with a good HELO: accepted"

o=$(smtp 192.0.2.10 mail.good.test)
like "$o" 'rcpt 550' "a blacklisted client (192.0.2.10): RCPT refused with 550"
like "$o" 'text: 192\.0\.2\.10 is listed by bl\.test \(127\.0\.0\.2\): 192\.0\.2\.10 is listed: spam run 4711' \
    "the refusal carries rdnsbld's TXT"
like "$(cat "$work"/exim/log/rejectlog)" 'H=\(mail\.good\.test\) \[192\.0\.2\.10\] .*rejected RCPT' \
    "exim's rejectlog records it"

o=$(smtp 192.0.2.20 localhost)
like "$o" 'ehlo 550' "HELO localhost: refused with 550"
like "$o" 'refused by helo\.test \(127\.0\.0\.2, 127\.0\.0\.3\)' \
    "HELO localhost: both codes (bad-name, no-dot) reach exim"
like "$o" 'HELO localhost refused: .*single label' "HELO localhost: the helo zone's TXT"

# refused_helo HELO CODES DESC: the EHLO is refused with these codes.
refused_helo()
{
	o=$(smtp 192.0.2.20 "$1")
	if printf '%s\n' "$o" | grep -q '^ehlo 550$' &&
	    printf '%s\n' "$o" | grep -Fq "refused by helo.test ($2)"; then
		pass "$3"
	else
		fail "$3" "$o"
	fi
}
refused_helo nowhere.bad.test 127.0.0.5 \
    "HELO of a name that does not exist: refused (no-dns)"
refused_helo MX.RDNSBL.TEST 127.0.0.4 \
    "HELO with the MX's own name, upper case: refused (own-name)"
refused_helo 192.0.2.1 "127.0.0.4, 127.0.0.7" \
    "HELO with the MX's own address, bare (exim asks 1.2.0.192): own-name and bare-ip"
refused_helo 192.0.2.20 127.0.0.7 "HELO with a bare IP: refused (bare-ip)"
is "$(q +short dhcp123.good.test.helo.test A)" 127.0.0.6 "dhcp123.good.test is listed as dynamic"
o=$(smtp 192.0.2.20 dhcp123.good.test)
like "$o" 'rcpt 250' "... but this exim's return-code filter ignores 127.0.0.6: accepted"

# A delisting reaches the MTA at its next session.
ctl_must add white 192.0.2.10 --reason "delisted after review"
o=$(smtp 192.0.2.10 mail.good.test)
like "$o" 'rcpt 250' "whitelisted with rdnsblctl: the next session is accepted"

# rdnsbld stopped: the MTA fails open (Exim: a DNS failure is not a listing).
stop_daemon
o=$(smtp 192.0.2.30 mail.good.test)
like "$o" 'rcpt 250' "rdnsbld not answering: the blacklisted 192.0.2.30 is accepted (fail open)"
like "$o" 'ehlo 250' "rdnsbld not answering: the HELO is accepted"

kill -TERM "$EXIM_PID" 2>/dev/null
wait "$EXIM_PID" 2>/dev/null
done_testing
