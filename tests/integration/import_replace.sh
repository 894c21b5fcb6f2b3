#!/bin/sh
# SPDX-License-Identifier: ISC
# import_replace.sh -- rdnsblctl import --replace: a list switched from
# one feed to the next in one transaction while the daemon answers a
# stream of queries (probe.pl). Every query is answered, an address of
# the old feed only is listed until the switch and never after it, one
# of the new feed only the other way round, one of both never drops out,
# and its value changes once. A bad file changes nothing, an empty file
# empties the list, and an old entry's expiry does not take the new
# entry of the same prefix with it.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool perl
need_programs

N=100000

# feed FILE NET CODE TEXT: N /32 entries from NET.0.0.0 on, then the
# shared address 192.0.2.10 and 192.0.2.20.
feed()
{
	awk -v n="$N" -v net="$2" -v c="$3" -v t="$4" 'BEGIN {
		print "# a feed of " n " addresses"
		for (i = 0; i < n; i++)
			printf "%d.%d.%d.%d :%d:%s\n", net, int(i / 65536),
			    int(i / 256) % 256, i % 256, c, t
		printf "192.0.2.10 :%d:%s shared\n", c, t
	}' >"$1"
}
feed "$work/old.txt" 10 2 old
feed "$work/new.txt" 11 3 new
echo "192.0.2.20 :3:only new" >>"$work/new.txt"

write_conf base.conf.in

# count LIST: the number of entries the list holds
count()
{
	ctl_must list "$1"
	printf '%s\n' "$CTL_OUT" | grep -c .
}

# --- the first feed --------------------------------------------------------

ctl import black "$work/old.txt" --replace
is "$CTL_RC" 0 "import --replace into an empty list exits 0"
like "$CTL_OUT" "^replaced black with $((N + 1)) entries from " \
    "it says how many entries the list holds now"
is "$(count black)" $((N + 1)) "the list holds the first feed"
# an entry the feed does not have, which the switch must remove
ctl_must add black 192.0.2.99 --reason "added by hand"
# an entry of the new feed's, with an expiry that must not outlive it
ctl_must add black 192.0.2.20 --expires 2s --reason "expiring soon"
start_daemon

is "$(dig_answer "$(q 5.0.0.10.bl.test A)")" 127.0.0.2 \
    "an address of the first feed is listed"
is "$(dig_answer "$(q 5.0.0.11.bl.test A)")" NXDOMAIN \
    "an address of the second feed is not listed yet"

# --- the switch under a stream of queries -----------------------------------

perl "$top_srcdir/tests/integration/probe.pl" "$PORT" "$work/stop" \
    5.0.0.10.bl.test 5.0.0.11.bl.test 10.2.0.192.bl.test \
    99.2.0.192.bl.test >"$work/probe.out" 2>"$work/probe.err" &
PROBE=$!
UPIDS="$UPIDS $PROBE"

# rounds: how many rounds the probe has finished
rounds()
{
	tail -n 1 "$work/probe.out" 2>/dev/null | cut -d' ' -f1
}
i=0
while [ "$(rounds)" = "" ] || [ "$(rounds)" -lt 50 ]; do
	i=$((i + 1))
	[ $i -gt 200 ] && bail "the probe made no 50 rounds in 20 s"
	sleep 0.1
done

ctl import black "$work/new.txt" --replace
is "$CTL_RC" 0 "import --replace under queries exits 0"
like "$CTL_OUT" "^replaced black with $((N + 2)) entries from " \
    "the list holds the second feed's entries"
at=$(rounds)
i=0
while [ "$(rounds)" -lt $((at + 50)) ]; do
	i=$((i + 1))
	[ $i -gt 200 ] && bail "the probe made no 50 rounds in 20 s after the switch"
	sleep 0.1
done
touch "$work/stop"
wait "$PROBE"
UPIDS=

is "$(grep -c timeout "$work/probe.out")" 0 "every query of the probe was answered"
# seq NAME: the answers to NAME, runs of equal answers made one line
seq_of()
{
	awk -v n="$1" '$2 == n { a = $3 " " $4; if (a != last) print a; last = a }' \
	    "$work/probe.out" | tr '\n' '|'
}
is "$(seq_of 5.0.0.10.bl.test)" "0 127.0.0.2|3 -|" \
    "an address of the old feed only: listed, then not, and never again"
is "$(seq_of 5.0.0.11.bl.test)" "3 -|0 127.0.0.3|" \
    "an address of the new feed only: not listed, then listed"
is "$(seq_of 10.2.0.192.bl.test)" "0 127.0.0.2|0 127.0.0.3|" \
    "an address of both feeds is never unlisted; its value changes once"
is "$(seq_of 99.2.0.192.bl.test)" "0 127.0.0.2|3 -|" \
    "an entry added by hand goes with the switch"
ok "the probe ran through the switch ($(rounds) rounds)" \
    test "$(wc -l <"$work/probe.out")" -ge 400

ctl_ok "log exits 0" log
like "$CTL_OUT" " replace black .*new\\.txt.*$((N + 2)) entries, the whole list" \
    "the switch is one audit record"

# the old entry's expiry comes, and a purge runs: the new entry stays
sleep 3
ctl_must flush all
is "$(dig_answer "$(q 20.2.0.192.bl.test A)")" 127.0.0.3 \
    "the expiry of a replaced entry does not remove the new one"
is "$(count black)" $((N + 2)) "the list holds the second feed after a purge"

# --- a bad file changes nothing ---------------------------------------------

cp "$work/new.txt" "$work/bad.txt"
echo "192.0.2.300 :3:bad" >>"$work/bad.txt"
ctl import black "$work/bad.txt" --replace
is "$CTL_RC" 1 "import --replace of a file with a bad line exits 1"
like "$CTL_ERR" "bad\\.txt:$((N + 4)):" "the bad line is named as FILE:LINE"
like "$CTL_ERR" "nothing imported" "the error says nothing was imported"
is "$(count black)" $((N + 2)) "the list is unchanged after the bad file"
is "$(dig_answer "$(q 5.0.0.11.bl.test A)")" 127.0.0.3 \
    "the daemon still answers from the second feed"

# --- the white list, and an empty file -------------------------------------

echo "192.0.2.10 :2:partner" >"$work/white.txt"
ctl import white "$work/white.txt" --replace
is "$CTL_RC" 0 "import white --replace exits 0"
is "$(dig_answer "$(q 10.2.0.192.bl.test A)")" NXDOMAIN \
    "the white list's new entry beats the black list"
is "$(dig_answer "$(q 10.2.0.192.wl.test A)")" 127.0.0.2 \
    "and the dnswl zone lists it"

: >"$work/empty.txt"
ctl import black "$work/empty.txt" --replace
is "$CTL_RC" 0 "import --replace of an empty file exits 0"
like "$CTL_OUT" "^replaced black with 0 entries" "it says the list is empty now"
is "$(count black)" 0 "an empty file empties the list"
is "$(dig_answer "$(q 5.0.0.11.bl.test A)")" NXDOMAIN \
    "the daemon lists nothing from the emptied list"

# --- duplicates: the first line counts, as in rbldnsd's ip4trie -------------

printf '192.0.2.1 :2:first\n192.0.2.1 :3:second\n10.9.0.0/16\n' >"$work/dup.txt"
ctl import black "$work/dup.txt" --replace
is "$CTL_RC" 0 "import --replace of a file with a duplicate exits 0"
like "$CTL_ERR" "dup\\.txt:2: duplicate entry 192\\.0\\.2\\.1 \\(first at line 1\\): skipped" \
    "the duplicate is a warning naming both lines"
is "$(dig_answer "$(q 1.2.0.192.bl.test A)")" 127.0.0.2 "the first line's value is served"
printf '# a header\n192.0.2.1 :2:first\n10.8.0.0-10.8.0.2\n\n192.0.2.1\n10.8.0.2\n' \
    >"$work/dup2.txt"
ctl import black "$work/dup2.txt" --replace
like "$CTL_ERR" "dup2\\.txt:5: duplicate entry 192\\.0\\.2\\.1 \\(first at line 2\\)" \
    "past a comment, a range of two prefixes and a blank line, both lines are right"
like "$CTL_ERR" "dup2\\.txt:6: duplicate entry 10\\.8\\.0\\.2 \\(first at line 3\\)" \
    "a duplicate of a range's second prefix names the range's line"

# --- a database made before shared values ----------------------------------
# tests/data/db-packed: a replace of the version before wrote every entry's
# value whole; this one serves it as it was, and its own replace, whose
# entries refer to one shared value, answers the same.

stop_daemon
mkdir -p "$work/packed"
cp "$DATA/db-packed/data.mdb" "$work/packed/" || bail "cannot copy the database"
chmod 600 "$work/packed/data.mdb"
DB="$work/packed"
write_conf base.conf.in
start_daemon
is "$(dig_answer "$(q 2.100.51.198.bl.test A)")" 127.0.0.2 \
    "old values: an entry answers"
is "$(dig_answer "$(q 2.100.51.198.bl.test TXT)")" \
    '"198.51.100.2 is listed (feed entry)"' "old values: with its TXT"
is "$(dig_answer "$(q 77.100.51.198.bl.test TXT)")" \
    '"198.51.100.77 is listed (its own)"' "old values: one of its own"
is "$(dig_answer "$(q 3.100.51.198.bl.test A)")" NXDOMAIN \
    "old values: the exclusion"
is "$(dig_answer "$(q 9.100.51.198.bl.test A)")" 127.0.0.2 \
    "old values: the /28"
ctl_must list black
old_list=$(printf '%s\n' "$CTL_OUT" | cut -d' ' -f2,3,7-)
printf '%s\n' ':127.0.0.2:feed entry' 198.51.100.1 198.51.100.2 \
    198.51.100.0/28 '198.51.100.77 :127.0.0.5:its own' '!198.51.100.3' \
    >"$work/packed.txt"
ctl import black "$work/packed.txt" --replace
is "$CTL_RC" 0 "old values: the same file imported again with --replace"
ctl_must list black
is "$(printf '%s\n' "$CTL_OUT" | cut -d' ' -f2,3,7-)" "$old_list" \
    "old values: the list reads as before"
is "$(dig_answer "$(q 1.100.51.198.bl.test TXT)")" \
    '"198.51.100.1 is listed (feed entry)"' "shared values: the TXT"
is "$(dig_answer "$(q 77.100.51.198.bl.test TXT)")" \
    '"198.51.100.77 is listed (its own)"' "shared values: one of its own"
is "$(dig_answer "$(q 3.100.51.198.bl.test A)")" NXDOMAIN \
    "shared values: the exclusion"
ctl_must add black 198.51.100.200 --reason "by hand"
is "$(dig_answer "$(q 200.100.51.198.bl.test TXT)")" \
    '"198.51.100.200 is listed (by hand)"' \
    "shared values: an entry added by hand beside them"

# --- usage ------------------------------------------------------------------

ctl import nosuchlist "$work/new.txt" --replace
is "$CTL_RC" 2 "import --replace into an unknown list exits 2"
ctl del black 192.0.2.10 --replace
is "$CTL_RC" 2 "--replace is an option of import alone"

stop_daemon
done_testing
