# SPDX-License-Identifier: ISC
# lib.sh -- shared code of the integration tests: a work directory, the
# real rdnsbld on loopback and a random free port, dig wrappers and TAP
# helpers, and a fake upstream resolver (ldns-testns) for the checks.
# Sourced by the test scripts (POSIX sh, no bashisms).
#
# The driver exports top_builddir and top_srcdir (absolute paths). Nothing
# is ever written below $top_srcdir (make distcheck makes it read-only).
#
#	. "$top_srcdir/tests/integration/lib.sh"
#	need_tool dig
#	write_conf base.conf.in
#	start_daemon
#	is "$(q +short 2.0.0.127.bl.test A)" "127.0.0.2" "test point listed"
#	stop_daemon
#	done_testing

: "${top_builddir:?top_builddir is not set}"
: "${top_srcdir:?top_srcdir is not set}"

RDNSBLD_BIN="$top_builddir/src/rdnsbld"
RDNSBLCTL="$top_builddir/src/rdnsblctl"
DATA="$top_srcdir/tests/data"

T_N=0
T_PASS=0
T_FAIL=0
PID=
PORT=
UPIDS=
PGIDS=
U_N=0
EXPECT_LOG=
work=$(mktemp -d "${TMPDIR:-/tmp}/rdnsbl-it.XXXXXX") || {
	echo "Bail out! mktemp -d failed"
	exit 99
}
DB="$work/db"
CONF="$work/rdnsbld.conf"
# rdnsbld goes to the background unless -d: the tests run "$RDNSBLD",
# which is rdnsbld -d (in the foreground, the log on stderr), as a child
# they wait for and end by its PID; "$RDNSBLD_BIN" is rdnsbld itself.
RDNSBLD="$work/rdnsbld-d"
printf '#!/bin/sh\nexec "%s" -d "$@"\n' "$RDNSBLD_BIN" >"$RDNSBLD" &&
    chmod 755 "$RDNSBLD" || {
	echo "Bail out! cannot write $RDNSBLD"
	exit 99
}

# Kill only the daemon and the upstreams this script started, then remove
# the work dir.
lib_cleanup()
{
	if [ -n "$PID" ]; then
		kill -TERM "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
		PID=
	fi
	for lc_p in $UPIDS; do
		kill -TERM "$lc_p" 2>/dev/null
		wait "$lc_p" 2>/dev/null
	done
	UPIDS=
	# process groups a test started with setsid (a browser and its
	# children): the whole group, which is ours alone
	for lc_p in $PGIDS; do
		kill -TERM "-$lc_p" 2>/dev/null
		lc_i=0
		while kill -0 "-$lc_p" 2>/dev/null && [ $lc_i -lt 20 ]; do
			sleep 0.1
			lc_i=$((lc_i + 1))
		done
		kill -KILL "-$lc_p" 2>/dev/null
		wait "$lc_p" 2>/dev/null
	done
	PGIDS=
	rm -rf "$work"
}
# A signal (a reader of our output gone: PIPE) must still run the cleanup.
trap lib_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

# --- TAP -------------------------------------------------------------------

# pass NAME / fail NAME [DIAGNOSTIC...]
pass()
{
	T_N=$((T_N + 1))
	T_PASS=$((T_PASS + 1))
	echo "ok $T_N - $1"
}

fail()
{
	T_N=$((T_N + 1))
	T_FAIL=$((T_FAIL + 1))
	echo "not ok $T_N - $1"
	shift
	for d in "$@"; do
		printf '%s\n' "$d" | sed 's/^/#   /'
	done
}

# ok NAME COMMAND [ARGS...]: passes when the command succeeds.
ok()
{
	ok_name=$1
	shift
	if "$@"; then
		pass "$ok_name"
	else
		fail "$ok_name" "command failed: $*"
	fi
}

# is GOT WANT NAME
is()
{
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "got:  '$1'" "want: '$2'"
	fi
}

# like GOT EXTENDED-REGEX NAME: GOT (all of it) has a line matching.
like()
{
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		pass "$3"
	else
		fail "$3" "got:  '$1'" "want match: /$2/"
	fi
}

# unlike GOT EXTENDED-REGEX NAME: no line of GOT matches.
unlike()
{
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		fail "$3" "got:  '$1'" "want no match: /$2/"
	else
		pass "$3"
	fi
}

skip()
{
	T_N=$((T_N + 1))
	echo "ok $T_N # SKIP $1"
}

diag()
{
	printf '%s\n' "$*" | sed 's/^/# /'
}

# Print the plan and the closing line; exit 1 on any failure.
done_testing()
{
	if [ -n "$PID" ]; then
		stop_daemon
	fi
	echo "1..$T_N"
	echo "$T_PASS passed, $T_FAIL failed"
	if [ "$T_FAIL" -ne 0 ] || [ "$T_N" -eq 0 ]; then
		exit 1
	fi
	exit 0
}

# bail MESSAGE: a fixture failed; the rest cannot run.
bail()
{
	echo "Bail out! $*"
	exit 99
}

# need_tool NAME: skip the whole script when a tool is missing. A TAP
# skip plan and exit 0: automake's tap-driver reports exit 77 as an ERROR.
# CI installs every tool and counts a skip as a failure.
need_tool()
{
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "1..0 # SKIP $1 not installed"
		exit 0
	fi
}

# need_root WHAT: a test that needs root. Not root: a skip, except in CI
# (CI=true), where it is a failure (as any skip counts there).
need_root()
{
	[ "$(id -u)" = 0 ] && return 0
	if [ "$CI" = true ]; then
		echo "Bail out! needs root in CI: $1"
		exit 1
	fi
	echo "1..0 # SKIP needs root: $1"
	exit 0
}

need_programs()
{
	for p in "$RDNSBLD_BIN" "$RDNSBLCTL"; do
		[ -x "$p" ] || bail "$p is not built"
	done
}

# --- configuration ---------------------------------------------------------

# Defaults of the template variables; a test sets them before write_conf.
ALLOW="127.0.0.0/8, ::1"
TTL=5m
NEGTTL=2m
UDPSIZE=1232
# The computed checks (checks-*.conf.in); UPORT is the fake upstream's
# port (start_upstream), UPORT2 a second one.
UPORT=
UPORT2=
CHECK_TIMEOUT=2s
CACHE_TTL=1h
FAILURE_TTL=30s
MAX_CHECKS=1000
# The delisting pages (http.conf.in): HPORT is the HTTP port (picked by
# write_conf when empty), NOTIFY the notify-command.
HPORT=
RATE=100
ARATE=100
SELF_DELIST=off
ALLOW_METRICS="127.0.0.0/8, ::1"
TRUSTED=192.0.2.255
NOTIFY="$work/notify.sh"

# pick_port: a random port below the kernel's ephemeral range (10000 up
# to its start, 32768 by default), used by no socket on this host now.
# Above it, the source port of a dig, curl or browser connection of a
# test running beside this one could take the port between the pick and
# the bind (a daemon that starts retries; a reload would fail).
pick_port()
{
	pp_top=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	case $pp_top in
	''|*[!0-9]*) pp_top=32768 ;;
	esac
	[ "$pp_top" -gt 12000 ] || pp_top=32768
	while :; do
		n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
		PORT=$((10000 + n % (pp_top - 10000)))
		if command -v ss >/dev/null 2>&1 &&
		    ss -Htuan 2>/dev/null | awk '{ print $5 }' |
		    grep -Eq "[:.]$PORT\$"; then
			continue
		fi
		return 0
	done
}

# pick_port_not PORT...: pick_port until $PORT is none of the PORTs (of
# other servers the test starts).
pick_port_not()
{
	while :; do
		pick_port
		ppn_free=1
		for ppn_p in "$@"; do
			[ "$PORT" = "$ppn_p" ] && ppn_free=0
		done
		[ $ppn_free = 1 ] && return 0
	done
}

# write_conf TEMPLATE [OUTPUT]: fill in a template of tests/data.
write_conf()
{
	wc_out=${2:-$CONF}
	[ -n "$PORT" ] || pick_port
	if [ -z "$HPORT" ]; then
		wc_save=$PORT
		while :; do
			pick_port
			[ "$PORT" != "$wc_save" ] && [ "$PORT" != "$UPORT" ] &&
			    break
		done
		HPORT=$PORT
		PORT=$wc_save
	fi
	sed -e "s|@PORT@|$PORT|g" \
	    -e "s|@DB@|$DB|g" \
	    -e "s|@WORK@|$work|g" \
	    -e "s|@ALLOW@|$ALLOW|g" \
	    -e "s|@TTL@|$TTL|g" \
	    -e "s|@NEGTTL@|$NEGTTL|g" \
	    -e "s|@UDPSIZE@|$UDPSIZE|g" \
	    -e "s|@UPORT@|$UPORT|g" \
	    -e "s|@UPORT2@|$UPORT2|g" \
	    -e "s|@SRCDIR@|$top_srcdir|g" \
	    -e "s|@CHECK_TIMEOUT@|$CHECK_TIMEOUT|g" \
	    -e "s|@CACHE_TTL@|$CACHE_TTL|g" \
	    -e "s|@FAILURE_TTL@|$FAILURE_TTL|g" \
	    -e "s|@MAX_CHECKS@|$MAX_CHECKS|g" \
	    -e "s|@HPORT@|$HPORT|g" \
	    -e "s|@RATE@|$RATE|g" \
	    -e "s|@ARATE@|$ARATE|g" \
	    -e "s|@SELF_DELIST@|$SELF_DELIST|g" \
	    -e "s|@ALLOW_METRICS@|$ALLOW_METRICS|g" \
	    -e "s|@TRUSTED@|$TRUSTED|g" \
	    -e "s|@NOTIFY@|$NOTIFY|g" \
	    "$DATA/$1" >"$wc_out" || bail "cannot write $wc_out from $1"
}

# --- the daemon ------------------------------------------------------------

# The apex that wait_ready asks for.
APEX=bl.test

# start_daemon: start rdnsbld on $CONF and wait until it answers. On a
# bind failure, pick another port, rewrite the config and try again.
start_daemon()
{
	tries=0
	while :; do
		tries=$((tries + 1))
		"$RDNSBLD" -c "$CONF" >"$work/log" 2>&1 &
		PID=$!
		if wait_ready; then
			return 0
		fi
		if [ "$tries" -lt 5 ] &&
		    grep -Eqi 'address already in use|bind' "$work/log"; then
			diag "port $PORT or $HPORT busy, retrying"
			# new ports in the configuration as the test left it
			# (it may have added to it since write_conf)
			sd_port=$PORT sd_hport=$HPORT
			pick_port_not "$sd_port" "$sd_hport"
			sd_new=$PORT
			pick_port_not "$sd_port" "$sd_hport" "$sd_new"
			HPORT=$PORT
			PORT=$sd_new
			sed -e "s/\([@:]\)$sd_port\([^0-9]\|\$\)/\1$PORT\2/g" \
			    -e "s/\([@:]\)$sd_hport\([^0-9]\|\$\)/\1$HPORT\2/g" \
			    "$CONF" >"$work/conf.retry" &&
			    cat "$work/conf.retry" >"$CONF"
			continue
		fi
		sed 's/^/# log: /' "$work/log"
		bail "rdnsbld did not start"
	done
}

# wait_ready: poll the apex SOA until any answer comes, for up to ~10 s.
# Fails at once when the process has exited (reaping it, PID cleared).
wait_ready()
{
	i=0
	while [ $i -lt 50 ]; do
		if ! kill -0 "$PID" 2>/dev/null; then
			wait "$PID"
			diag "rdnsbld exited with status $? before answering"
			PID=
			return 1
		fi
		if dig +tries=1 +time=1 @127.0.0.1 -p "$PORT" "$APEX" SOA \
		    2>/dev/null | grep -q 'status: '; then
			return 0
		fi
		sleep 0.2
		i=$((i + 1))
	done
	kill -TERM "$PID" 2>/dev/null
	wait "$PID"
	PID=
	diag "rdnsbld did not answer within 10 s"
	return 1
}

# await_log REGEX: wait up to 5 s for a line of the daemon's log.
await_log()
{
	al_i=0
	while [ $al_i -lt 50 ]; do
		grep -Eq -- "$1" "$work/log" && return 0
		sleep 0.1
		al_i=$((al_i + 1))
	done
	return 1
}

# await_socket PATH: wait up to 5 s for a unix socket to be there.
await_socket()
{
	as_i=0
	while [ ! -S "$1" ] && [ $as_i -lt 50 ]; do
		sleep 0.1
		as_i=$((as_i + 1))
	done
	[ -S "$1" ]
}

# await_reloads N: wait up to 5 s until the log says "reloaded" N times.
await_reloads()
{
	al_i=0
	while [ "$(grep -c '^rdnsbld: reloaded ' "$work/log")" -lt "$1" ]; do
		[ $al_i -lt 50 ] || return 1
		sleep 0.1
		al_i=$((al_i + 1))
	done
}

# expect_log REGEX: log lines matching it are not unexpected.

expect_log()
{
	if [ -z "$EXPECT_LOG" ]; then
		EXPECT_LOG=$1
	else
		EXPECT_LOG="$EXPECT_LOG|$1"
	fi
}

# stop_daemon: SIGTERM, exit status 0, no unexpected error/warning lines.
stop_daemon()
{
	if [ -z "$PID" ]; then
		fail "rdnsbld stops with status 0 on SIGTERM" "not running"
		return
	fi
	kill -TERM "$PID"
	wait "$PID"
	sd_rc=$?
	PID=
	if [ "$sd_rc" -ne 0 ]; then
		sed 's/^/# log: /' "$work/log"
	fi
	is "$sd_rc" 0 "rdnsbld exits 0 on SIGTERM"
	# a log without the startup line is not rdnsbld's: its warnings
	# went elsewhere, and an empty grep would see none of them
	if ! grep -q 'listening on ' "$work/log"; then
		fail "no unexpected error/warning lines in the log" \
		    "no \"listening on\" line: the log is not rdnsbld's"
		return
	fi
	sd_bad=$(grep -Ei 'error|warn' "$work/log" |
	    if [ -n "$EXPECT_LOG" ]; then grep -Ev -- "$EXPECT_LOG"; else cat; fi)
	is "$sd_bad" "" "no unexpected error/warning lines in the log"
}

# --- queries ---------------------------------------------------------------

# dig_at SERVER ARGS...: dig against the daemon at SERVER, one try of
# 2 s. A query without an answer is asked once more, with a line in the
# log (stderr): a datagram lost on a loaded machine is not what a test
# asserts, and no test expects silence from dig (protocol.sh sends the
# queries that must go unanswered itself).
dig_at()
{
	da_s=$1
	shift
	da_o=$(dig "$da_s" -p "$PORT" +tries=1 +time=2 "$@" 2>&1)
	case $da_o in
	*"timed out"*|*"no servers could be reached"*)
		echo "# no answer from $da_s port $PORT to: $*; asking again" >&2
		da_o=$(dig "$da_s" -p "$PORT" +tries=1 +time=2 "$@" 2>&1)
		;;
	esac
	printf '%s\n' "$da_o"
}

# q ARGS...: dig against the daemon's IPv4 listener.
q()
{
	dig_at @127.0.0.1 "$@"
}

# q6 ARGS...: the same on the IPv6 listener.
q6()
{
	dig_at @::1 "$@"
}

# Parsers of a full dig output (argument 1).
# status: NOERROR, NXDOMAIN, ...; without an answer, "no answer" and
# what dig said, so that a failed test shows it
dig_status()
{
	ds=$(printf '%s\n' "$1" |
	    sed -n 's/.*->>HEADER<<-.* status: \([A-Z]*\),.*/\1/p' | head -n1)
	if [ -n "$ds" ]; then
		echo "$ds"
	else
		printf 'no answer: %s\n' "$(printf '%s\n' "$1" |
		    grep '^;;' | grep -v 'global options' | head -n2 |
		    tr '\n' ' ')"
	fi
}

# flags: "qr aa rd"
dig_flags()
{
	printf '%s\n' "$1" | sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' | head -n1
}

# has_flag OUTPUT FLAG
has_flag()
{
	case " $(dig_flags "$1") " in
	*" $2 "*) return 0 ;;
	esac
	return 1
}

# answered OUTPUT: dig got an answer (a status and a flags line). What a
# test says is absent from an answer (a flag, an OPT, a line) is absent
# from no answer at all too: such a test asks this first.
answered()
{
	case $(dig_status "$1") in
	"no answer"*) return 1 ;;
	esac
	printf '%s\n' "$1" | grep -q '^;; flags: '
}

# no_flag OUTPUT FLAG NAME: a test that an answer came and FLAG is not
# among its header flags.
no_flag()
{
	if ! answered "$1"; then
		fail "$3" "$(dig_status "$1")"
	elif has_flag "$1" "$2"; then
		fail "$3" "flags: $(dig_flags "$1")" "$1"
	else
		pass "$3"
	fi
}

# dig_unlike OUTPUT EXTENDED-REGEX NAME: unlike, of an answer that came.
dig_unlike()
{
	if answered "$1"; then
		unlike "$1" "$2" "$3"
	else
		fail "$3" "$(dig_status "$1")"
	fi
}

# dig_answer OUTPUT: the data of the ANSWER records, one a line, of a
# NOERROR answer; otherwise the status (NXDOMAIN, SERVFAIL, "no answer:
# ..."). Not dig +short, whose empty output is "not listed" and also a
# SERVFAIL, a REFUSED or an error.
dig_answer()
{
	dn_s=$(dig_status "$1")
	if [ "$dn_s" = NOERROR ]; then
		dig_section "$1" ANSWER | cut -d' ' -f5-
	else
		echo "$dn_s"
	fi
}

# dig_section OUTPUT NAME: records of the section (ANSWER, AUTHORITY,
# ADDITIONAL), whitespace squeezed to single spaces.
dig_section()
{
	printf '%s\n' "$1" | awk -v s=";; $2 SECTION:" '
	    $0 == s { on = 1; next }
	    on && /^$/ { exit }
	    on { $1 = $1; print }'
}

# dig_count OUTPUT NAME: the ANSWER/AUTHORITY/ADDITIONAL count of the header.
dig_count()
{
	printf '%s\n' "$1" |
	    sed -n "s/^;; flags:.* $2: \\([0-9]*\\).*/\\1/p" | head -n1
}

# rev4 A.B.C.D -> D.C.B.A
rev4()
{
	echo "$1" | awk -F. '{ print $4 "." $3 "." $2 "." $1 }'
}

# rev6 ADDR -> the 32 reversed nibbles, dot-separated.
rev6()
{
	perl -MSocket=inet_pton,AF_INET6 -e '
	    my $a = inet_pton(AF_INET6, $ARGV[0]) or die "bad address\n";
	    print join(".", reverse split //, unpack("H*", $a)), "\n"' "$1"
}

# rawq PROTO HEX: send raw bytes (hex) to the daemon (PROTO udp or tcp,
# IPv4), print the reply as "id=N qr=N opcode=N aa=N tc=N rcode=N
# qd=N an=N ns=N ar=N len=N" or "noreply" after 2 seconds.
rawq()
{
	perl -MIO::Socket::INET -MIO::Select -e '
	    my ($proto, $port, $hex) = @ARGV;
	    my $pkt = pack("H*", $hex);
	    my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		PeerPort => $port, Proto => $proto) or die "socket: $!\n";
	    my $sel = IO::Select->new($s);
	    my $buf = "";
	    if ($proto eq "tcp") {
		$s->syswrite(pack("n", length $pkt) . $pkt);
		while ($sel->can_read(2)) {
		    my $n = $s->sysread($buf, 65537, length $buf);
		    last unless $n;
		    last if length($buf) >= 2 &&
			length($buf) >= 2 + unpack("n", $buf);
		}
		$buf = length($buf) >= 2 ? substr($buf, 2) : "";
	    } else {
		$s->send($pkt);
		$s->recv($buf, 65535) if $sel->can_read(2);
	    }
	    if (length($buf) < 12) { print "noreply\n"; exit 0 }
	    my ($id, $fl, $qd, $an, $ns, $ar) = unpack("n6", $buf);
	    printf "id=%d qr=%d opcode=%d aa=%d tc=%d rcode=%d " .
		"qd=%d an=%d ns=%d ar=%d len=%d\n", $id, $fl >> 15,
		($fl >> 11) & 15, ($fl >> 10) & 1, ($fl >> 9) & 1, $fl & 15,
		$qd, $an, $ns, $ar, length $buf;
	' "$1" "$PORT" "$2"
}

# --- rdnsblctl ---------------------------------------------------------------

# ctl ARGS...: run rdnsblctl on the test config; stdout in $CTL_OUT,
# stderr in $CTL_ERR, exit status in $CTL_RC.
ctl()
{
	"$RDNSBLCTL" -c "$CONF" "$@" >"$work/ctl.out" 2>"$work/ctl.err"
	CTL_RC=$?
	CTL_OUT=$(cat "$work/ctl.out")
	CTL_ERR=$(cat "$work/ctl.err")
	return $CTL_RC
}

# ctl_ok NAME ARGS...: a test that rdnsblctl ARGS exits 0 with no stderr.
ctl_ok()
{
	co_name=$1
	shift
	ctl "$@"
	if [ "$CTL_RC" -eq 0 ] && [ -z "$CTL_ERR" ]; then
		pass "$co_name"
	else
		fail "$co_name" "rdnsblctl $* exited $CTL_RC" \
		    "stdout: $CTL_OUT" "stderr: $CTL_ERR"
	fi
}

# ctl_must ARGS...: a fixture step that must work (bails otherwise).
ctl_must()
{
	ctl "$@" || bail "rdnsblctl $* failed ($CTL_RC): $CTL_ERR"
}

# --- the pages in a browser (http_browser.sh, rulestats.sh) ------------------

# start_chromedriver: chromedriver on a free port, in a process group of
# its own so that the cleanup ends the browsers it starts too; its URL in
# DRIVER. A port taken in between makes it exit: then another port, five
# times at most.
start_chromedriver()
{
	scd_tries=0
	while :; do
		scd_save=$PORT
		pick_port
		DPORT=$PORT
		PORT=$scd_save
		[ "$DPORT" != "$PORT" ] && [ "$DPORT" != "$HPORT" ] &&
		    [ "$DPORT" != "$UPORT" ] || continue
		setsid chromedriver --port="$DPORT" --allowed-ips=127.0.0.1 \
		    >"$work/chromedriver.log" 2>&1 &
		DPID=$!
		PGIDS="$PGIDS $DPID"
		DRIVER="http://127.0.0.1:$DPORT"
		scd_i=0
		while [ $scd_i -lt 100 ] && kill -0 "$DPID" 2>/dev/null; do
			curl -s "$DRIVER/status" 2>/dev/null |
			    grep -q '"ready": *true' && return 0
			scd_i=$((scd_i + 1))
			sleep 0.1
		done
		kill -TERM -- "-$DPID" 2>/dev/null
		scd_tries=$((scd_tries + 1))
		if [ $scd_tries -ge 5 ]; then
			sed 's/^/# chromedriver: /' "$work/chromedriver.log"
			bail "chromedriver did not start"
		fi
		diag "chromedriver on port $DPORT did not start, another port"
	done
}

# browse MODE URL: webdriver.pl MODE URL (its output in BROWSE, its exit
# status in BROWSE_RC), screenshots into $SHOTS.
browse()
{
	perl "$top_srcdir/tests/integration/webdriver.pl" "$DRIVER" \
	    "$work/profile" "$SHOTS" "$@" >"$work/browser.out" \
	    2>"$work/browser.err"
	BROWSE_RC=$?
	BROWSE=$(cat "$work/browser.out")
	if [ "$BROWSE_RC" -ne 0 ]; then
		sed 's/^/# webdriver: /' "$work/browser.err"
		sed 's/^/# chromedriver: /' "$work/chromedriver.log" | tail -20
	fi
}

# --- the delisting pages (curl) ------------------------------------------------
#
# The tests of the pages set URL (http://127.0.0.1:$HPORT) first.

# http_setup [ADDR...]: the start of a test of the pages: dig, curl, perl
# and ldns-testns needed (else skip), a fake upstream that answers
# NXDOMAIN for the PTR of each ADDR, a notify-command that does nothing
# unless the test wrote $work/notify.sh first, and $CONF from
# http.conf.in (with the variables the test set). start_daemon next.
http_setup()
{
	need_tool dig
	need_tool curl
	need_tool perl
	need_tool ldns-testns
	need_programs
	: >"$TNS"
	for hs_a in "$@"; do
		tns_nx "$(dns_ptrname "$hs_a")" PTR
	done
	start_upstream "$TNS"
	if [ ! -e "$work/notify.sh" ]; then
		printf '#!/bin/sh\nexit 0\n' >"$work/notify.sh"
		chmod +x "$work/notify.sh"
	fi
	write_conf http.conf.in
}

# web PATH [CURL-ARGS...]: status in WEB_CODE, body in WEB_BODY.
web()
{
	we_path=$1
	shift
	rm -f "$work/web.head" "$work/web.body"
	WEB_CODE=$(curl -s -D "$work/web.head" -o "$work/web.body" \
	    -w '%{http_code}' --max-time 15 "$@" "$URL$we_path")
	WEB_BODY=$(cat "$work/web.body" 2>/dev/null)
}

# delist FIELD=VALUE... [CURL-ARGS...]: POST /delist, each field
# url-encoded; from the first argument starting with "-", curl's own.
delist()
{
	de_n=$#
	de_i=0
	de_curl=
	while [ $de_i -lt $de_n ]; do
		case $1 in
		-*) de_curl=1 ;;
		esac
		if [ -n "$de_curl" ]; then
			set -- "$@" "$1"
		else
			set -- "$@" --data-urlencode "$1"
		fi
		shift
		de_i=$((de_i + 1))
	done
	web /delist "$@"
}

# mta_namespace: in the network namespace of an end-to-end MTA test
# (mta.sh, mta_rspamd.sh): lo up with the addresses 192.0.2.1 (the MX),
# .10, .20 and .30 (clients), a resolv.conf of the test's naming
# 127.0.0.1 bind-mounted over /etc/resolv.conf, and the fake internet of
# the HELO checks (mail.good.test, dhcp123.good.test and mx.rdnsbl.test
# have addresses, nowhere.bad.test none) served by a started upstream.
mta_namespace()
{
	ip link set lo up || bail "ip link set lo up failed"
	for a in 192.0.2.1 192.0.2.10 192.0.2.20 192.0.2.30; do
		ip addr add "$a/32" dev lo || bail "cannot add $a to lo"
	done
	echo "nameserver 127.0.0.1" >"$work/resolv.conf"
	mount --bind "$work/resolv.conf" /etc/resolv.conf ||
	    bail "cannot bind-mount a resolv.conf in the mount namespace"

	: >"$TNS"
	tns_addr mail.good.test 192.0.2.20
	tns_entry mail.good.test AAAA NOERROR
	tns_addr dhcp123.good.test 192.0.2.20
	tns_entry dhcp123.good.test AAAA NOERROR
	tns_addr mx.rdnsbl.test 192.0.2.1
	tns_entry mx.rdnsbl.test AAAA NOERROR
	tns_nx nowhere.bad.test A
	tns_nx nowhere.bad.test AAAA
	start_upstream "$TNS"
}

# request IP [EMAIL]: a delisting request for IP from EMAIL (by default
# postmaster@example.net) that must be queued (202, pending): its id in
# REQ, its status page's token in TOKEN.
request()
{
	delist "ip=$1" "email=${2:-postmaster@example.net}" \
	    "description=our relay"
	REQ=$(printf '%s' "$WEB_BODY" |
	    sed -n 's|.*<dt>Request</dt><dd>\([0-9]*\)</dd>.*|\1|p')
	TOKEN=$(printf '%s' "$WEB_BODY" |
	    sed -n 's|.*href="/request/\([0-9a-f]*\)".*|\1|p')
	[ "$WEB_CODE" = 202 ] && [ -n "$REQ" ] ||
	    bail "the request for $1 was not queued ($WEB_CODE)"
}

# exim_sendmail: $work/sendmail, a mail-command that hands the message
# to Debian's Exim with tests/data/mail-exim.conf.in (no daemon, no DNS),
# which delivers mail for requester.test to $work/mailbox at once (its
# log in $work/exim/log, its stderr in $work/exim.stderr). Needs root.
exim_sendmail()
{
	mkdir -p "$work/exim/spool" "$work/exim/log"
	chown -R Debian-exim:Debian-exim "$work/exim" ||
	    bail "cannot chown exim's spool"
	chmod 777 "$work"
	write_conf mail-exim.conf.in "$work/exim.conf"
	cat >"$work/sendmail" <<EOS
#!/bin/sh
# (Exim says on stderr that -C costs it its privilege: it needs none)
exec /usr/sbin/exim4 -C "$work/exim.conf" -odi "\$@" 2>>"$work/exim.stderr"
EOS
	chmod 755 "$work/sendmail"
}

# contains NAME TEXT: the last body contains TEXT (a fixed string).
contains()
{
	if printf '%s' "$WEB_BODY" | grep -qF -- "$2"; then
		pass "$1"
	else
		fail "$1" "no \"$2\" in the page" "$(printf '%s' "$WEB_BODY" |
		    head -c 600)"
	fi
}

# lacks NAME TEXT: the last body is a page, without TEXT.
lacks()
{
	if [ -z "$WEB_BODY" ]; then
		fail "$1" "no page (HTTP $WEB_CODE) to look for \"$2\" in"
	elif printf '%s' "$WEB_BODY" | grep -qF -- "$2"; then
		fail "$1" "\"$2\" in the page"
	else
		pass "$1"
	fi
}

# --- clients that hold connections (tcphold.pl) --------------------------------

# hold_start NAME SOURCE COUNT MODE SECONDS: tcphold.pl in the background,
# COUNT connections from SOURCE to 127.0.0.1 port $HOLD_PORT (default
# $PORT), idle or slow (tcphold.pl); its output in $work/NAME.out, its
# pid in HPID_NAME and UPIDS.
hold_start()
{
	perl "$top_srcdir/tests/integration/tcphold.pl" 127.0.0.1 \
	    "${HOLD_PORT:-$PORT}" "$2" "$3" "$4" "$5" >"$work/$1.out" 2>&1 &
	UPIDS="$UPIDS $!"
	eval "HPID_$1=$!"
}

# hold_ready NAME: wait for its "ready" line; HELD is its count.
hold_ready()
{
	h_i=0
	until grep -q '^ready' "$work/$1.out" 2>/dev/null; do
		h_i=$((h_i + 1))
		[ $h_i -lt 300 ] || bail "tcphold.pl $1 did not get ready"
		sleep 0.1
	done
	HELD=$(sed -n 's/^ready //p' "$work/$1.out")
}

# --- the fake internet: ldns-testns as the resolver of the checks ------------
#
# A test writes the canned answers into $TNS with the tns_* helpers (or
# appends a hand-written entry), then start_upstream "$TNS" and puts
# "resolver: 127.0.0.1@@UPORT@" in its config. A query that matches no
# entry gets no reply at all: a silent server, a timeout for the daemon.

TNS="$work/upstream.testns"

# old_db: DB becomes a copy of the database made before named lists
# (tests/data/db-0.1), for the tests of an upgrade.
old_db()
{
	mkdir -p "$work/olddb"
	cp "$DATA/db-0.1/data.mdb" "$work/olddb/" ||
	    bail "cannot copy the old database"
	chmod 600 "$work/olddb/data.mdb"
	DB="$work/olddb"
}

# tns_begin: a test of the checks needs dig, perl, ldns-testns and the
# programs; $TNS starts empty.
tns_begin()
{
	need_tool dig
	need_tool perl
	need_tool ldns-testns
	need_programs
	: >"$TNS"
}

# dns_ptrname ADDR: the in-addr.arpa or ip6.arpa name of an address.
dns_ptrname()
{
	case $1 in
	*:*) echo "$(rev6 "$1").ip6.arpa" ;;
	*) echo "$(rev4 "$1").in-addr.arpa" ;;
	esac
}

# tns_entry QNAME QTYPE RCODE [ANSWER-RR...]: append to $TNS an entry that
# answers QNAME QTYPE (no final dot) with RCODE (NOERROR, NXDOMAIN,
# SERVFAIL, REFUSED) and the answer records given, one argument each, in
# order. NXDOMAIN and NODATA (NOERROR, no records) carry an SOA. Extra
# ADJUST words (sleep=N) come from $TNS_ADJUST.
tns_entry()
{
	te_name=$1
	te_type=$2
	te_rcode=$3
	shift 3
	{
		echo "ENTRY_BEGIN"
		echo "MATCH opcode qtype qname"
		echo "ADJUST copy_id copy_query${TNS_ADJUST:+ $TNS_ADJUST}"
		echo "REPLY QR RD RA $te_rcode"
		echo "SECTION QUESTION"
		echo "$te_name. IN $te_type"
		echo "SECTION ANSWER"
		for te_rr in "$@"; do
			echo "$te_rr"
		done
		if [ $# -eq 0 ] && { [ "$te_rcode" = NXDOMAIN ] ||
		    [ "$te_rcode" = NOERROR ]; }; then
			echo "SECTION AUTHORITY"
			echo "$(echo "$te_name" | awk -F. '{ print $(NF - 1) "." $NF }')." \
			    "300 IN SOA ns.upstream.test. hostmaster.upstream.test." \
			    "1 3600 600 86400 300"
		fi
		echo "ENTRY_END"
	} >>"$TNS"
}

# tns_ptr ADDR NAME...: ADDR has these PTR names (in this order).
tns_ptr()
{
	tp_q=$(dns_ptrname "$1")
	shift
	tp_n=$#
	tp_i=0
	while [ $tp_i -lt $tp_n ]; do
		tp_name=$1
		shift
		set -- "$@" "$tp_q. 300 IN PTR $tp_name."
		tp_i=$((tp_i + 1))
	done
	tns_entry "$tp_q" PTR NOERROR "$@"
}

# tns_addr NAME ADDR...: NAME has these A (IPv4) or AAAA (IPv6) records.
# Give only addresses of one family; none: NODATA for A.
tns_addr()
{
	ta_name=$1
	shift
	case $1 in
	*:*) ta_type=AAAA ;;
	*) ta_type=A ;;
	esac
	ta_n=$#
	ta_i=0
	while [ $ta_i -lt $ta_n ]; do
		ta_a=$1
		shift
		set -- "$@" "$ta_name. 300 IN $ta_type $ta_a"
		ta_i=$((ta_i + 1))
	done
	tns_entry "$ta_name" $ta_type NOERROR "$@"
}

# tns_ptr_nx_all: NXDOMAIN for every PTR query (entries before it win).
tns_ptr_nx_all()
{
	{
		echo "ENTRY_BEGIN"
		echo "MATCH opcode qtype"
		echo "ADJUST copy_id copy_query"
		echo "REPLY QR RD RA NXDOMAIN"
		echo "SECTION QUESTION"
		echo "1.2.0.192.in-addr.arpa. IN PTR"
		echo "ENTRY_END"
	} >>"$TNS"
}

# tns_nx NAME TYPE: NXDOMAIN.  tns_rcode NAME TYPE RCODE: a bare RCODE.
tns_nx()
{
	tns_entry "$1" "$2" NXDOMAIN
}

tns_rcode()
{
	tns_entry "$1" "$2" "$3"
}

# upstream_prepare FILE: a copy of FILE for a new upstream, plus the
# upstream-ready.test A entry that shows it answers; sets UFILE and ULOG.
upstream_prepare()
{
	U_N=$((U_N + 1))
	UFILE="$work/upstream.$U_N.testns"
	ULOG="$work/upstream.$U_N.log"
	cat "$1" >"$UFILE" || bail "cannot copy $1"
	up_tns=$TNS
	TNS=$UFILE
	tns_entry upstream-ready.test A NOERROR \
	    "upstream-ready.test. 300 IN A 127.0.0.9"
	TNS=$up_tns
}

# upstream_answers PORT: the upstream on PORT answers its ready entry.
upstream_answers()
{
	dig @127.0.0.1 -p "$1" +tries=1 +time=1 upstream-ready.test A \
	    2>/dev/null | grep -q 'status: NOERROR'
}

# start_upstream FILE: run ldns-testns on FILE (plus an entry for
# upstream-ready.test A, polled until it answers) on a random free port.
# Sets UPORT, UPID and ULOG (its -v log: one line per query received).
# Several may run; lib_cleanup kills them all (by PID).
start_upstream()
{
	upstream_prepare "$1"
	su_tries=0
	while :; do
		su_tries=$((su_tries + 1))
		su_save=$PORT
		pick_port
		UPORT=$PORT
		PORT=$su_save
		[ "$UPORT" = "$PORT" ] && continue
		ldns-testns -v -p "$UPORT" "$UFILE" >"$ULOG" 2>&1 &
		UPID=$!
		UPIDS="$UPIDS $UPID"
		su_i=0
		while [ $su_i -lt 50 ]; do
			kill -0 "$UPID" 2>/dev/null || break
			upstream_answers "$UPORT" && return 0
			sleep 0.2
			su_i=$((su_i + 1))
		done
		stop_upstream "$UPID"
		[ "$su_tries" -lt 5 ] || {
			sed 's/^/# upstream: /' "$ULOG"
			bail "ldns-testns did not start"
		}
	done
}

# restart_upstream FILE: replace the upstream of start_upstream (UPID) by
# one serving FILE on the same port UPORT (the fake internet changed).
restart_upstream()
{
	stop_upstream "$UPID"
	UPID=
	upstream_prepare "$1"
	ru_i=0
	while [ $ru_i -lt 50 ]; do
		if [ -z "$UPID" ] || ! kill -0 "$UPID" 2>/dev/null; then
			ldns-testns -v -p "$UPORT" "$UFILE" >"$ULOG" 2>&1 &
			UPID=$!
			UPIDS="$UPIDS $UPID"
		fi
		upstream_answers "$UPORT" && return 0
		sleep 0.2
		ru_i=$((ru_i + 1))
	done
	sed 's/^/# upstream: /' "$ULOG"
	bail "ldns-testns did not restart on port $UPORT"
}

# stop_upstream PID: stop one upstream started by start_upstream.
stop_upstream()
{
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	su_left=
	for su_p in $UPIDS; do
		[ "$su_p" = "$1" ] || su_left="$su_left $su_p"
	done
	UPIDS=$su_left
}

# upstream_count NAME TYPE [LOG]: how many NAME TYPE queries the upstream
# received (any case: the daemon randomises it).
upstream_count()
{
	grep -Fic "$(printf ': %s.\tIN\t%s' "$1" "$2")" "${3:-$ULOG}"
}

# soa_ttl OUTPUT: the TTL of the SOA in the AUTHORITY section of a dig output.
soa_ttl()
{
	dig_section "$1" AUTHORITY | awk '$4 == "SOA" { print $2; exit }'
}

# now_ms: a wall clock in milliseconds.
now_ms()
{
	perl -MTime::HiRes=time -e 'printf "%d\n", time * 1000'
}

# --- secondaries of rdnsbld (zone transfer) ----------------------------------

# xfr_begin CONF.IN: a test of zone transfer to NSD and Knot (skipped
# without them): their ports in NPORT and KPORT, the daemon's in PORT,
# and CONF from CONF.IN with a notify: of both after each
# "allow-transfer: 127.0.0.1" line.
xfr_begin()
{
	need_tool dig
	need_tool nsd
	need_tool knotd
	need_programs
	pick_port
	NPORT=$PORT
	pick_port_not "$NPORT"
	KPORT=$PORT
	pick_port_not "$NPORT" "$KPORT"
	write_conf "$1"
	sed -i "s/^\(	allow-transfer: 127.0.0.1\)\$/\1\n	notify: 127.0.0.1@$NPORT, 127.0.0.1@$KPORT/" "$CONF"
}

# xfr_serial PORT ZONE: the SOA serial that 127.0.0.1@PORT serves for
# ZONE, or nothing.
xfr_serial()
{
	dig @127.0.0.1 -p "$1" +tries=1 +time=2 +short "$2" SOA 2>/dev/null |
	    awk '{ print $3 }'
}

# xfr_wait_serial ZONE PORT: until the secondary on PORT serves the
# daemon's serial of ZONE (~20 s); else 1, with the secondaries' logs
# (NSD_DIR, KNOT_DIR) as diagnostics.
xfr_wait_serial()
{
	xw_i=0
	while [ $xw_i -lt 100 ]; do
		# the primary's served SOA can lag its store (and a transfer)
		# briefly: read it again each time
		xw_want=$(xfr_serial "$PORT" "$1")
		[ "$(xfr_serial "$2" "$1")" = "$xw_want" ] && return 0
		sleep 0.2
		xw_i=$((xw_i + 1))
	done
	diag "port $2 serves $1 serial $(xfr_serial "$2" "$1"), rdnsbld $xw_want"
	sed 's/^/# log: /' "$NSD_DIR/nsd.log" "$NSD_DIR/stdout" \
	    "$KNOT_DIR/knot.log" 2>/dev/null | tail -20
	return 1
}

# xfr_says NAME WANT PORT: 127.0.0.1@PORT answers NAME A with WANT
# within 2 s: an address, NXDOMAIN, or NOTLISTED (NXDOMAIN or NODATA).
xfr_says()
{
	xs_i=0
	while [ $xs_i -lt 20 ]; do
		xs_a=$(dig @127.0.0.1 -p "$3" +tries=1 +time=1 "$1" A 2>&1)
		case $2 in
		NXDOMAIN) echo "$xs_a" | grep -q 'status: NXDOMAIN' &&
		    return 0 ;;
		NOTLISTED) echo "$xs_a" |
		    grep -Eq 'status: NXDOMAIN|ANSWER: 0,' && return 0 ;;
		*) echo "$xs_a" | grep -Eq "IN[[:space:]]+A[[:space:]]+$2" &&
		    return 0 ;;
		esac
		sleep 0.1
		xs_i=$((xs_i + 1))
	done
	diag "port $3 still answers $1: $(echo "$xs_a" | grep -E 'status:|IN[[:space:]]+A')"
	return 1
}

# xfr_answers PORT ZONE NAMESFILE: what the server on 127.0.0.1@PORT
# answers for each name of NAMESFILE below ZONE, A and TXT, one line a
# record ("name A data"), sorted, or "name -" for a name without either
# (NXDOMAIN or NODATA: not listed), so that a primary's and a
# secondary's answers compare with diff. Scratch files in $work.
xfr_answers()
{
	sed "s/\$/.$2 A/" "$3" >"$work/q.a"
	sed "s/\$/.$2 TXT/" "$3" >"$work/q.t"
	{
		dig @127.0.0.1 -p "$1" +tries=2 +time=2 +noall +answer \
		    -f "$work/q.a"
		dig @127.0.0.1 -p "$1" +tries=2 +time=2 +noall +answer \
		    -f "$work/q.t"
	} | awk '$4 == "A" || $4 == "TXT" {
		t = $4; $1 = tolower($1); n = $1; $1 = $2 = $3 = $4 = ""
		sub(/^ +/, ""); print n, t, $0 }' | sort -u >"$work/ans.$1"
	sed "s/\$/.$2./" "$3" | sort -u | while read -r xa_n; do
		grep -q "^$xa_n " "$work/ans.$1" || echo "$xa_n -"
	done >>"$work/ans.$1"
	sort -o "$work/ans.$1" "$work/ans.$1"
	cat "$work/ans.$1"
}

# start_nsd DIR PORT KEY ZONE...: NSD on 127.0.0.1@PORT, its files in
# DIR (nsd.log there), a secondary of the daemon (127.0.0.1@$PORT) for
# each ZONE, which it transfers and takes NOTIFYs for with KEY: NOKEY, or
# NAME:ALGORITHM:SECRET of a TSIG key. Its PID joins UPIDS.
start_nsd()
{
	sn_dir=$1 sn_port=$2 sn_key=$3
	shift 3
	mkdir -p "$sn_dir"
	sn_kname=NOKEY
	{
		cat <<EOF
server:
	ip-address: 127.0.0.1@$sn_port
	port: $sn_port
	username: ""
	chroot: ""
	zonesdir: "$sn_dir"
	database: ""
	zonelistfile: "$sn_dir/zone.list"
	xfrdfile: "$sn_dir/xfrd.state"
	xfrdir: "$sn_dir"
	pidfile: "$sn_dir/nsd.pid"
	logfile: "$sn_dir/nsd.log"
	server-count: 1
	verbosity: 2
	xfrd-reload-timeout: 0
remote-control:
	control-enable: no
EOF
		if [ "$sn_key" != NOKEY ]; then
			sn_kname=${sn_key%%:*}
			sn_rest=${sn_key#*:}
			printf 'key:\n\tname: %s\n\talgorithm: %s\n\tsecret: "%s"\n' \
			    "$sn_kname" "${sn_rest%%:*}" "${sn_rest#*:}"
		fi
		for sn_z in "$@"; do
			printf 'zone:\n\tname: %s\n\tzonefile: "%s.zone"\n' \
			    "$sn_z" "$sn_z"
			printf '\trequest-xfr: 127.0.0.1@%s %s\n' "$PORT" \
			    "$sn_kname"
			printf '\tallow-notify: 127.0.0.1 %s\n' "$sn_kname"
		done
	} >"$sn_dir/nsd.conf"
	nsd -d -c "$sn_dir/nsd.conf" >"$sn_dir/stdout" 2>&1 &
	UPIDS="$UPIDS $!"
}

# start_knot DIR PORT KEY ZONE...: the same with Knot (knot.log in DIR).
start_knot()
{
	sk_dir=$1 sk_port=$2 sk_key=$3
	shift 3
	mkdir -p "$sk_dir"
	{
		cat <<EOF
server:
    rundir: "$sk_dir"
    listen: 127.0.0.1@$sk_port
database:
    storage: "$sk_dir"
log:
  - target: "$sk_dir/knot.log"
    any: info
EOF
		sk_use=
		if [ "$sk_key" != NOKEY ]; then
			sk_kname=${sk_key%%:*}
			sk_rest=${sk_key#*:}
			printf 'key:\n  - id: %s\n    algorithm: %s\n    secret: %s\n' \
			    "$sk_kname" "${sk_rest%%:*}" "${sk_rest#*:}"
			sk_use="    key: $sk_kname
"
		fi
		printf 'remote:\n  - id: primary\n    address: 127.0.0.1@%s\n%s' \
		    "$PORT" "$sk_use"
		printf 'acl:\n  - id: from-primary\n    address: 127.0.0.1\n'
		printf '%s    action: notify\n' "$sk_use"
		cat <<EOF
template:
  - id: default
    storage: "$sk_dir"
    zonefile-sync: -1
    zonefile-load: none
    journal-content: none
zone:
EOF
		for sk_z in "$@"; do
			printf '  - domain: %s\n    master: primary\n' "$sk_z"
			printf '    acl: from-primary\n'
		done
	} >"$sk_dir/knot.conf"
	knotd -c "$sk_dir/knot.conf" >"$sk_dir/stdout" 2>&1 &
	UPIDS="$UPIDS $!"
}
