#!/bin/sh
# SPDX-License-Identifier: ISC
# syslog.sh -- log: syslog (the default without -d): the messages reach
# syslog(3) as "rdnsbld[PID]: ..." with the facility daemon and their
# severities (info, warning, error), and none goes to stderr after the
# start. rdnsbld runs in a mount namespace of the test's in which /dev
# is a directory of the test's: its /dev/log is a socket that a reader of
# the test's listens on (nothing of the machine's syslog is touched).
# Needs root (the namespace): in CI (CI=true) not being root is a failure.

. "$top_srcdir/tests/integration/lib.sh"
need_root "for a mount namespace"
need_tool dig
need_tool perl
need_tool unshare
need_programs
unshare -m true 2>/dev/null || bail "cannot create a mount namespace"

# The reader of the log socket: one datagram a line in $work/msgs.
mkdir "$work/dev"
perl -MIO::Socket::UNIX -MSocket -e '
	my ($path, $out) = @ARGV;
	my $s = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => $path)
	    or die "socket $path: $!";
	open(my $fh, ">>", $out) or die "$out: $!";
	$fh->autoflush(1);
	while (defined($s->recv(my $m, 8192))) { print $fh "$m\n"; }
' "$work/dev/log" "$work/msgs" 2>"$work/reader.err" &
UPIDS="$UPIDS $!"
await_socket "$work/dev/log" || bail "the log reader did not start: $(cat "$work/reader.err")"
for n in null zero random urandom; do
	: >"$work/dev/$n" || bail "cannot make $work/dev/$n"
done

# await_msg REGEX: wait up to 5 s for a syslog message.
await_msg()
{
	am_i=0
	while [ $am_i -lt 50 ]; do
		grep -Eq -- "$1" "$work/msgs" 2>/dev/null && return 0
		sleep 0.1
		am_i=$((am_i + 1))
	done
	return 1
}

write_conf base.conf.in
unshare -m --propagation private sh -c '
	for n in null zero random urandom; do
		mount --bind "/dev/$n" "$1/dev/$n" || exit 1
	done
	mount --rbind "$1/dev" /dev || exit 1
	exec "$2" -c "$3" -P "$1/rdnsbld.pid"' sh "$work" "$RDNSBLD_BIN" "$CONF" \
    >"$work/log" 2>&1
is "$?" 0 "rdnsbld starts in the background, in the namespace"
DPID=$(cat "$work/rdnsbld.pid" 2>/dev/null)
case $DPID in
''|*[!0-9]*) bail "no pid in $work/rdnsbld.pid: $(cat "$work/log")" ;;
esac
UPIDS="$DPID $UPIDS"	# ended first by the cleanup
is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 "it answers"

# <PRI>: facility daemon (3) times 8, plus the severity.
V=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")
ok "the start is logged at daemon.info: <30>" \
    await_msg "^<30>.* rdnsbld\\[$DPID\\]: rdnsbld $V started: [0-9]+ zones, database $DB\$"

# a warning: a changed log: waits for a restart
printf 'server:\n\tlog: stderr\n' >>"$CONF"
kill -HUP "$DPID"
ok "a warning is logged at daemon.warning: <28>" \
    await_msg "^<28>.* rdnsbld\\[$DPID\\]: log: changed in $CONF: a restart applies it\$"
ok "the reload at daemon.info" await_msg "^<30>.* rdnsbld\\[$DPID\\]: reloaded $CONF"

# errors: a broken configuration on reload
l=$(($(wc -l <"$CONF") + 1))
printf '\tbogus-key: 1\n' >>"$CONF"
kill -HUP "$DPID"
ok "a configuration error is logged at daemon.err: <27>" \
    await_msg "^<27>.* rdnsbld\\[$DPID\\]: $CONF:$l: unknown key \"bogus-key\""
ok "and the failed reload at daemon.err" \
    await_msg "^<27>.* rdnsbld\\[$DPID\\]: reload failed, keeping the running configuration\$"
is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 "it still answers"

kill -TERM "$DPID"
ok "the exit is logged" await_msg "^<30>.* rdnsbld\\[$DPID\\]: exited\$"
unlike "$(cat "$work/log")" 'started|changed|reload|exited' \
    "after the start, nothing went to stderr"
like "$(cat "$work/log")" "^rdnsbld: listening on 127\\.0\\.0\\.1@$PORT " \
    "the startup lines before it did"
done_testing
