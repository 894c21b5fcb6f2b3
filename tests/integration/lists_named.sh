#!/bin/sh
# SPDX-License-Identifier: ISC
# lists_named.sh -- named lists: declared in list: clauses, filled and
# read with rdnsblctl by name (add, del, list, import, export, lookup),
# answered by the zones that name them, each with its own code; a zone of
# several lists answers one A and one TXT record for each list that lists
# the address; the white list still beats every dnsbl zone; the audit log
# names the list; a reload adds a list; and a database made before named
# lists (tests/data/db-0.1) opens and works unchanged.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_programs

write_conf lists-named.conf.in

# --- rdnsblctl by list name --------------------------------------------------
ctl_ok "add to spam" add spam 192.0.2.0/24 --reason "spam run"
is "$CTL_OUT" "added spam 192.0.2.0/24" "add names the list"
ctl_ok "add to policy.v1" add policy.v1 192.0.2.1 --reason "policy"
ctl_ok "add to black" add black 192.0.2.1 --reason "by hand"
printf '198.51.100.0/24 :127.0.0.6:imported\n!198.51.100.7\n' >"$work/feed.txt"
ctl_ok "import into spam" import spam "$work/feed.txt"
is "$CTL_OUT" "imported 2 entries into spam from $work/feed.txt" \
    "import names the list"
ctl "add" "grey" 192.0.2.9
is "$CTL_RC" 2 "an unknown list is a usage error (exit 2)"
like "$CTL_ERR" "unknown list \"grey\" \\(the lists of .*: black, white, exempt, spam, policy\\.v1\\)" \
    "... naming the lists there are"
ctl_ok "list spam" list spam
like "$CTL_OUT" "^spam 192\\.0\\.2\\.0/24 - " "list spam shows its entry"
unlike "$CTL_OUT" "^black " "list spam shows no black entry"
ctl_ok "list (every list)" list
like "$CTL_OUT" "^policy\\.v1 192\\.0\\.2\\.1 - " "list shows the named lists too"
ctl_ok "log" log
like "$CTL_OUT" " add spam 192\\.0\\.2\\.0/24 \"spam run\"" \
    "the audit log names the list"
ctl_ok "export spam" export spam
like "$CTL_OUT" "^192\\.0\\.2\\.0/24 spam run\$" "export spam writes its entries"
like "$CTL_OUT" "rdnsbl export of the spam list" "... under its name"

start_daemon
A=1.2.0.192
B=5.2.0.192
is "$(dig_answer "$(q $A.bl.test A)")" "127.0.0.2" \
    "bl.test answers from black"
is "$(dig_answer "$(q $B.bl.test A)")" NXDOMAIN \
    "bl.test does not answer from spam"
is "$(dig_answer "$(q $B.spam.test A)")" "127.0.0.4" \
    "spam.test answers from spam with the list's code"
is "$(dig_answer "$(q $B.spam.test TXT)")" \
    "\"192.0.2.5 spam (spam run)\"" \
    "spam.test: the TXT of the spam entry"
is "$(dig_answer "$(q $A.combo.test A)" | sort)" \
"127.0.0.2
127.0.0.3
127.0.10.1" \
    "combo.test: one A per list that lists 192.0.2.1, each list's code"
is "$(dig_answer "$(q $A.combo.test TXT)" | sort)" \
"\"by hand\"
\"policy\"
\"spam run\"" \
    "combo.test: one TXT per list"
is "$(dig_answer "$(q $B.combo.test A)")" "127.0.0.3" \
    "combo.test: 192.0.2.5 only in spam"
is "$(dig_answer "$(q 5.100.51.198.spam.test A)")" \
    "127.0.0.6" \
    "spam.test: an imported entry's own code beats the list's"
is "$(dig_answer "$(q 7.100.51.198.spam.test A)")" NXDOMAIN \
    "spam.test: an exclusion of spam"

# The white list beats every dnsbl zone, whatever the lists.
ctl_ok "whitelist 192.0.2.1" add white 192.0.2.1 --reason partner
for z in bl.test spam.test combo.test; do
	is "$(dig_answer "$(q $A.$z A)")" NXDOMAIN \
	    "$z: whitelisted 192.0.2.1 is not listed"
done
is "$(dig_answer "$(q $A.wl.test A)")" "127.0.0.2" \
    "wl.test lists it"
ctl_ok "del white" del white 192.0.2.1

# lookup explains each list
ctl_ok "lookup 192.0.2.1" lookup 192.0.2.1
like "$CTL_OUT" "combo\\.test dnsbl listed 127\\.0\\.0\\.2 blacklist" \
    "lookup: combo.test listed by black first"
like "$CTL_OUT" "  also: spam 127\\.0\\.0\\.3" "lookup: also by spam"
like "$CTL_OUT" "  also: policy\\.v1 127\\.0\\.10\\.1" "lookup: also by policy.v1"
like "$CTL_OUT" "  entry: policy\\.v1 192\\.0\\.2\\.1 " \
    "lookup: the policy.v1 entry"

# del by name
ctl_ok "del spam" del spam 192.0.2.0/24
is "$(dig_answer "$(q $B.spam.test A)")" NXDOMAIN \
    "after del spam, spam.test no longer lists 192.0.2.5"
ctl "del" "spam" 192.0.2.0/24
is "$CTL_RC/$CTL_ERR" "1/rdnsblctl: error: no spam entry for 192.0.2.0/24 (see rdnsblctl list spam)" \
    "del of a missing entry names the list"

# --- a reload adds a list and a zone that answers from it -------------------
write_conf lists-named2.conf.in
kill -HUP "$PID"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	grep -q "reloaded .*: 2 zones" "$work/log" && break
	sleep 0.2
done
ok "the reload took" grep -q "reloaded .*: 2 zones" "$work/log"
ctl_ok "add to the new list" add late 192.0.2.2
is "$(dig_answer "$(q 2.2.0.192.late.test A)")" \
    "127.0.0.9" \
    "the new zone answers from the new list"
stop_daemon

# --- a database made before named lists -------------------------------------
old_db
write_conf lists-named.conf.in
start_daemon
is "$(dig_answer "$(q 5.100.51.198.bl.test A)")" \
    "127.0.0.2" \
    "old database: its black entry answers"
is "$(dig_answer "$(q 9.100.51.198.bl.test A)")" NXDOMAIN \
    "old database: its white entry still exempts"
is "$(dig_answer "$(q 1.113.0.203.combo.test A)")" \
    "127.0.0.4" \
    "old database: an imported entry keeps its code"
ctl_ok "old database: add to a new list" add spam 198.51.100.77
is "$(dig_answer "$(q 77.100.51.198.combo.test A)" | sort)" \
"127.0.0.2
127.0.0.3" \
    "old database: the new list answers beside black"
ctl_ok "old database: list black" list black
is "$(printf '%s\n' "$CTL_OUT" | grep -c .)" 4 \
    "old database: its four black entries are all there"
ctl_ok "old database: log" log
like "$CTL_OUT" "import black f\\.txt \"2 entries\"" \
    "old database: its audit log is kept"
stop_daemon

done_testing
