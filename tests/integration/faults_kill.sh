#!/bin/sh
# SPDX-License-Identifier: ISC
# faults_kill.sh -- kill -9 at random moments: of rdnsblctl in a loop of
# adds and deletes, of rdnsblctl and of rdnsbld during an import, and of
# rdnsbld under a load of queries that run computed checks (and write
# their results to the cache). Afterwards every change that rdnsblctl
# reported as done is in the database, no change it did not make is, an
# import is there whole or not at all, and the restarted daemon answers
# all of it. FAULT_OPS sets the number of adds and deletes (default 2000).
# The last lines give the figures of doc/robustness.md: operations,
# kills, changes reported done, entries lost.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool ldns-testns
need_tool perl
need_tool mdb_stat
need_programs

OPS=${FAULT_OPS:-2000}
NADDR=200	# the addresses 10.77.X.Y the loop adds and deletes

write_conf base.conf.in
ctl_must add black 198.18.255.1
start_daemon

# The schedule, drawn once: "OP N KILL DELAY" a line, OP add or del of
# address N, KILL 1 to kill -9 that rdnsblctl after DELAY seconds.
awk -v ops="$OPS" -v n="$NADDR" -v seed="$$" 'BEGIN {
	srand(seed)
	for (i = 0; i < ops; i++)
		printf "%s %d %d %.3f\n", rand() < 0.6 ? "add" : "del",
		    int(rand() * n), rand() < 0.3, rand() * 0.012
}' >"$work/schedule"

addr_of()
{
	echo "10.77.$(($1 / 256)).$(($1 % 256))"
}

# State of address N: st_N is 1 (listed), 0 (not listed) or u (unknown:
# its last change was killed before it said anything).
i=0
while [ $i -lt $NADDR ]; do
	eval "st_$i=0"
	i=$((i + 1))
done
kills=0 done_ops=0 odd=0
while read -r op n kill delay; do
	a=$(addr_of "$n")
	if [ "$op" = add ]; then
		"$RDNSBLCTL" -c "$CONF" add black "$a" --reason "fault $n" \
		    >"$work/op.out" 2>"$work/op.err" &
	else
		"$RDNSBLCTL" -c "$CONF" del black "$a" \
		    >"$work/op.out" 2>"$work/op.err" &
	fi
	cpid=$!
	if [ "$kill" = 1 ]; then
		sleep "$delay"
		kill -KILL "$cpid" 2>/dev/null && kills=$((kills + 1))
	fi
	{ wait "$cpid"; } 2>/dev/null
	rc=$?
	out=$(cat "$work/op.out")
	case $rc/$op/$out in
	0/add/added*|0/add/replaced*)
		eval "st_$n=1"; done_ops=$((done_ops + 1)) ;;
	0/del/deleted*)
		eval "st_$n=0"; done_ops=$((done_ops + 1)) ;;
	1/del/*)
		# "no black entry": it read the committed state
		if grep -q 'no black entry' "$work/op.err"; then
			eval "st_$n=0"
		else
			odd=$((odd + 1))
			diag "del $a: $(cat "$work/op.err")"
		fi ;;
	137/*)	eval "st_$n=u" ;;
	*)	odd=$((odd + 1))
		diag "$op $a: exit $rc: $out $(cat "$work/op.err")" ;;
	esac
done <"$work/schedule"
is "$odd" 0 "every rdnsblctl of the loop either finished or was killed"
diag "$OPS operations, $kills rdnsblctl killed with kill -9," \
    "$done_ops reported done"
ok "some rdnsblctl were killed mid-way" [ "$kills" -gt 0 ]

# check_state NAME: the database and the daemon agree with the states.
check_state()
{
	ctl list black
	is "$CTL_RC" 0 "$1: rdnsblctl list works after the kills"
	printf '%s\n' "$CTL_OUT" | awk '{ print $2 }' >"$work/listed"
	: >"$work/digs"
	lost=0 extra=0 known=0
	cs_i=0
	while [ $cs_i -lt $NADDR ]; do
		eval "cs_s=\$st_$cs_i"
		cs_a=$(addr_of $cs_i)
		if [ "$cs_s" != u ]; then
			known=$((known + 1))
			if grep -qx "$cs_a" "$work/listed"; then
				[ "$cs_s" = 1 ] || extra=$((extra + 1))
			else
				[ "$cs_s" = 0 ] || lost=$((lost + 1))
			fi
			echo "$(rev4 "$cs_a").bl.test A $cs_s" >>"$work/digs"
		fi
		cs_i=$((cs_i + 1))
	done
	is "$lost" 0 "$1: no change reported done is lost ($known addresses known)"
	is "$extra" 0 "$1: no deletion reported done is undone"
	# the daemon: one dig for all, listed -> 127.0.0.2, else nothing
	cs_try=0
	while :; do
		cut -d' ' -f1,2 "$work/digs" >"$work/digs.q"
		dig @127.0.0.1 -p "$PORT" +tries=2 +time=2 +noall +answer \
		    -f "$work/digs.q" 2>/dev/null |
		    awk '$4 == "A" { print $1 }' | sed 's/\.$//' |
		    sort >"$work/answered"
		awk '$3 == 1 { print $1 }' "$work/digs" | sort >"$work/want"
		cmp -s "$work/answered" "$work/want" && break
		cs_try=$((cs_try + 1))
		[ $cs_try -lt 10 ] || break
		sleep 0.5
	done
	is "$(comm -3 "$work/answered" "$work/want" | wc -l | tr -d ' ')" 0 \
	    "$1: the daemon answers every known address as the database says"
}
check_state "after the loop"

# --- rdnsbld killed, restarted --------------------------------------------------

kill -KILL "$PID"
wait "$PID"
PID=
start_daemon
check_state "rdnsbld killed and restarted"
LOST_LOOP=$lost

# --- import: rdnsblctl killed, rdnsbld killed ----------------------------------

# 20000 addresses 10.88.X.Y, one a line, imported into the white list
# (which has nothing else, so that import --replace empties it again)
awk 'BEGIN { for (i = 0; i < 20000; i++)
	printf "10.88.%d.%d import\n", int(i / 256), i % 256 }' >"$work/big.txt"
count88()
{
	"$RDNSBLCTL" -c "$CONF" list white | grep -c ' 10\.88\.'
}
: >"$work/empty.txt"
# how long one import takes here: the kills fall before, during and
# after its commit
t0=$(date +%s%N)
"$RDNSBLCTL" -c "$CONF" import white "$work/big.txt" >/dev/null ||
    bail "import of $work/big.txt failed"
t1=$(date +%s%N)
is "$(count88)" 20000 "an import of 20000 entries"
"$RDNSBLCTL" -c "$CONF" import --replace white "$work/empty.txt" \
    >/dev/null 2>&1
ms=$(((t1 - t0) / 1000000))
diag "an import of 20000 entries takes $ms ms"
partial=0 whole=0 none=0
for f in 10 30 50 70 85 95 105 120; do
	d=$(awk -v ms="$ms" -v f="$f" 'BEGIN { printf "%.3f", ms * f / 100000 }')
	"$RDNSBLCTL" -c "$CONF" import white "$work/big.txt" \
	    >/dev/null 2>"$work/imp.err" &
	ipid=$!
	sleep $d
	kill -KILL "$ipid" 2>/dev/null
	{ wait "$ipid"; } 2>/dev/null
	irc=$?
	c=$(count88)
	case $irc/$c in
	137/0) none=$((none + 1)) ;;
	0/20000|137/20000) whole=$((whole + 1)) ;;
	*) partial=$((partial + 1))
	   diag "import killed after $d s: exit $irc, $c entries" ;;
	esac
	# back to none for the next round
	if [ "$c" != 0 ]; then
		"$RDNSBLCTL" -c "$CONF" import --replace white "$work/empty.txt" \
		    >/dev/null 2>&1
	fi
done
diag "imports killed: $none left nothing, $whole were done whole"
is "$partial" 0 "an import killed with kill -9 leaves all or nothing"

# rdnsbld killed while rdnsblctl imports: the import completes
"$RDNSBLCTL" -c "$CONF" import white "$work/big.txt" >/dev/null \
    2>"$work/imp.err" &
ipid=$!
sleep 0.05
kill -KILL "$PID"
wait "$PID"
PID=
wait "$ipid"
is "$?" 0 "an import finishes while rdnsbld is killed with kill -9"
is "$(count88)" 20000 "every imported entry is in the database"
start_daemon
is "$(dig_answer "$(q 5.2.88.10.wl.test A)")/$(dig_answer \
    "$(q 31.78.88.10.wl.test A)")" 127.0.0.2/127.0.0.2 \
    "the restarted rdnsbld answers imported entries"
check_state "after the import"
stop_daemon

# --- rdnsbld killed under a load of checks ------------------------------------

: >"$TNS"
i=0
while [ $i -lt 100 ]; do
	tns_nx "$(dns_ptrname "198.51.100.$i")" PTR
	i=$((i + 1))
done
start_upstream "$TNS"
CHECK_TIMEOUT=1s
write_conf checks-base.conf.in
start_daemon
# a flood: every address of 198.51.100.0/25 and 203.0.113.0/24 asked,
# over and over, without waiting for answers
perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
	    PeerPort => $ARGV[0], Proto => "udp") or die "socket: $!\n";
	my $id = 0;
	for my $round (1 .. 200) {
		for my $net ("100.51.198", "113.0.203") {
			for my $h (0 .. 127) {
				my $q = pack("n6", $id++ & 0xffff, 0x0100, 1, 0, 0, 0);
				$q .= join("", map { chr(length) . $_ }
				    split /\./, "$h.$net.bl.test") . "\0";
				$q .= pack("n2", 1, 1);
				$s->send($q);
			}
		}
		select(undef, undef, undef, 0.01);
	}' "$PORT" &
LPID=$!
UPIDS="$UPIDS $LPID"
sleep 1.5
kill -KILL "$PID"
wait "$PID"
PID=
kill -TERM "$LPID" 2>/dev/null
wait "$LPID" 2>/dev/null
write_conf base.conf.in
start_daemon
ncache=$(mdb_stat -s cache "$DB" 2>/dev/null | awk '/Entries:/ { print $2 }')
diag "checks cached when rdnsbld was killed: ${ncache:-none}"
ok "the checks under load wrote to the database" [ "${ncache:-0}" -gt 0 ]
check_state "rdnsbld killed under check load"
ctl_ok "rdnsblctl adds after rdnsbld was killed under load" \
    add black 198.18.255.2
is "$(dig_answer "$(q 2.255.18.198.bl.test A)")" 127.0.0.2 \
    "the restarted rdnsbld answers the new entry"

diag "figures: $OPS adds and deletes, $kills rdnsblctl kill -9," \
    "10 more kill -9 (8 imports, rdnsbld during an import, under load)," \
    "$done_ops changes reported done, $((LOST_LOOP + lost)) lost"
done_testing
