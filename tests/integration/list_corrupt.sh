#!/bin/sh
# SPDX-License-Identifier: ISC
# list_corrupt.sh -- one corrupt entry (written into the black table with
# mdb_load) does not hide the others: rdnsblctl list and export print
# every readable entry, then say how many they skipped and exit 1. The
# daemon, whose copy of the lists cannot be built from such a database,
# answers from the database and retries less and less often, logging the
# failure at the 1st, 2nd, 4th... time only (it was every second).

. "$top_srcdir/tests/integration/lib.sh"
need_tool mdb_load
need_tool dig
need_programs

write_conf base.conf.in
ctl_must add black 192.0.2.1 --reason one
ctl_must add black 203.0.113.9 --reason two
# A record whose key and value are no entry, between the two.
printf 'VERSION=3\nformat=bytevalue\ntype=btree\nHEADER=END\n 04c63364\n 79\nDATA=END\n' |
    mdb_load -s black "$DB" || bail "mdb_load failed"

ctl list black
is "$CTL_RC" 1 "list exits 1"
like "$CTL_OUT" '^black 192\.0\.2\.1 ' "list: the first entry"
like "$CTL_OUT" 'black 203\.0\.113\.9 ' "list: the entry after the corrupt one"
like "$CTL_ERR" '1 corrupt entry skipped: the list lacks it, the rest is complete' \
    "list says what it skipped"

ctl export black
is "$CTL_RC" 1 "export exits 1"
like "$CTL_OUT" '192\.0\.2\.1' "export: the first entry"
like "$CTL_OUT" '203\.0\.113\.9' "export: the entry after the corrupt one"
like "$CTL_ERR" '1 corrupt entry skipped: the export lacks it' \
    "export says what it skipped"
expect_log 'the copy of the lists: corrupt entry in black'
start_daemon
is "$(q +short 1.2.0.192.bl.test A)" 127.0.0.2 "the daemon answers"
is "$(q +short 9.113.0.203.bl.test A)" 127.0.0.2 \
    "the daemon answers past the corrupt entry"
sleep 6
n=$(grep -c 'the copy of the lists: corrupt entry' "$work/log")
ok "in 6 s, the failing copy is logged at most 3 times (got $n)" \
    test "$n" -ge 1 -a "$n" -le 3
like "$(cat "$work/log")" 'failed 2 times in a row, next try in 2s' \
    "the log says how often it failed and when it tries again"
stop_daemon
done_testing
