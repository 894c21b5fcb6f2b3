#!/bin/sh
# SPDX-License-Identifier: ISC
# http_exempt.sh -- a delisting is an exemption, not a whitelisting: an
# approved request takes the address out of the dnsbl zones and lists it
# in no dnswl zone; the approval deletes a black entry of exactly the
# address (with an audit record, and says so) and carves the address out
# of a wider one; queue approve --whitelist whitelists; self-service
# never removes a black entry (http_selfdelist.sh); rdnsblctl
# list, lookup, export and the pages name the kind; a database whose
# approvals made white entries (tests/data/db-approvals) is converted.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_programs

write_conf exempt.conf.in
start_daemon
URL="http://127.0.0.1:$HPORT"

ctl_must add black 192.0.2.10 --reason spam
ctl_must add black 198.51.100.0/24 --reason "spam range"
is "$(dig_answer "$(q 10.2.0.192.bl.test A)")" 127.0.0.2 \
    "192.0.2.10 listed before"

# --- an exact black /32 ---------------------------------------------------
request 192.0.2.10
ctl_ok "queue approve" queue approve "$REQ" --note "known relay" \
    --expires 30d
like "$CTL_OUT" "^approved request $REQ: 192\\.0\\.2\\.10 exempted from the dnsbl zones \\(not whitelisted\\) until [0-9T:-]*Z; black list entry 192\\.0\\.2\\.10 deleted; every MX sees it by " \
    "queue approve says exempted, not whitelisted, and the black entry deleted"
is "$(dig_status "$(q 10.2.0.192.bl.test A)")" NXDOMAIN \
    "approved: not listed in the dnsbl zone"
is "$(dig_status "$(q 10.2.0.192.bl.test TXT)")" NXDOMAIN \
    "approved: no TXT in the dnsbl zone"
is "$(dig_status "$(q 10.2.0.192.wl.test A)")" NXDOMAIN \
    "approved: NXDOMAIN in the dnswl zone"
ctl_ok "list black" list black
unlike "$CTL_OUT" '192\.0\.2\.10 ' "the black /32 is gone"
like "$CTL_OUT" '198\.51\.100\.0/24' "... the other black entry stays"
ctl_ok "list exempt" list exempt
like "$CTL_OUT" "^exempt 192\\.0\\.2\\.10 - [0-9T:-]*Z 20[0-9T:-]*Z [^ ]* \"delisting request $REQ: known relay\"\$" \
    "list exempt: the exemption, its expiry and its request"
ctl_ok "list white" list white
is "$CTL_OUT" "" "nothing whitelisted"
ctl_ok "list (every list)" list
like "$CTL_OUT" '^exempt 192\.0\.2\.10 ' "list: the exemption among the lists"
ctl_ok "log" log
like "$CTL_OUT" " del black 192\\.0\\.2\\.10 \"request $REQ\"" \
    "the deletion of the black entry has its audit record"
ctl_ok "lookup" lookup 192.0.2.10
like "$CTL_OUT" 'bl\.test dnsbl not-listed' "lookup: not listed"
like "$CTL_OUT" "exempted: exempt 192\\.0\\.2\\.10 .*delisting request $REQ" \
    "lookup: the exemption named"
like "$CTL_OUT" 'wl\.test dnswl not-listed' "lookup: not whitelisted"
ctl_ok "lookup --json" lookup 192.0.2.10 --json
like "$CTL_OUT" '"exempted":true' "lookup --json: exempted"
ctl_ok "queue show" queue show "$REQ"
like "$CTL_OUT" 'granted: exemption, black entry deleted' \
    "queue show: the kind of the approval"
web "/request/$TOKEN"
contains "status page: exempted" 'exempted from the blocklists (it is not whitelisted)'
contains "status page: the black entry went" 'Its blocklist entry was removed.'
contains "status page: the exemption's end" 'The exemption ends on'
web "/lookup?ip=192.0.2.10"
contains "lookup page: the exemption" 'has a delisting exemption'
contains "lookup page: not whitelisted" 'Not whitelisted.'

# --- inside a black /24 ---------------------------------------------------
request 198.51.100.20
ctl_ok "queue approve in a /24" queue approve "$REQ"
unlike "$CTL_OUT" 'deleted' "a wider black entry is not deleted"
is "$(dig_status "$(q 20.100.51.198.bl.test A)")" NXDOMAIN \
    "the exemption carves the address out of the /24"
is "$(dig_answer "$(q 21.100.51.198.bl.test A)")" 127.0.0.2 \
    "its neighbour is still listed"
is "$(dig_status "$(q 20.100.51.198.wl.test A)")" NXDOMAIN \
    "... and it is not whitelisted"
ctl_ok "export black" export black
like "$CTL_OUT" '^!198\.51\.100\.20$' "export black: the exemption as an exception"
unlike "$CTL_OUT" '192\.0\.2\.10' \
    "export black: no exception where no black entry is left to except"
like "$CTL_OUT" 'delisting exemptions as exceptions' "export black: says so"
ctl_ok "export exempt" export exempt
like "$CTL_OUT" '^# rdnsbl export of the exempt list' \
    "export exempt: the list named"

# --- export black: white exclusions and exemptions together ---------------
# 203.0.113.0/24 black, white /25 with a white exclusion /28, an exemption
# /29 inside it: .3 exempt, .9 listed (the exclusion), .20 white.
# 198.18.0.0/16 black, white /20 with a white exclusion 198.18.1.0/24
# inside an exemption /23: the exemption holds for 198.18.1.5.
printf '203.0.113.0/25\n!203.0.113.0/28\n198.18.0.0/20\n!198.18.1.0/24\n' \
    >"$work/white.txt"
ctl_must import white "$work/white.txt"
ctl_must add black 203.0.113.0/24 --reason range
ctl_must add black 198.18.0.0/16 --reason range
ctl_must add exempt 203.0.113.0/29 --reason "by hand"
ctl_must add exempt 198.18.0.0/23 --reason "by hand"
for c in "3.113.0.203 NXDOMAIN" "9.113.0.203 127.0.0.2" \
    "20.113.0.203 NXDOMAIN" "200.113.0.203 127.0.0.2" \
    "5.1.18.198 NXDOMAIN" "5.2.18.198 NXDOMAIN" "5.20.18.198 127.0.0.2"; do
	is "$(dig_answer "$(q "${c% *}.bl.test" A)")" "${c#* }" \
	    "white, white exclusion and exemption: ${c% *} answers ${c#* }"
done
ctl_ok "export black with exclusions and exemptions" export black
X=$(printf '%s\n' "$CTL_OUT" | grep -Ev '^#' | cut -d' ' -f1)
like "$X" '^!203\.0\.113\.0/25$' "export: the white /25 is an exception"
like "$X" '^203\.0\.113\.0/28$' "export: its exclusion lists again"
like "$X" '^!203\.0\.113\.0/29$' "export: the exemption inside it is an exception"
like "$X" '^!198\.18\.0\.0/20$' "export: the white /20 is an exception"
unlike "$X" '198\.18\.1\.0/24' \
    "export: a white exclusion inside an exemption does not list again"

# --- the exemption list is no list to list from or to exclude in ----------
printf '!192.0.2.99\n' >"$work/excl.txt"
ctl import exempt "$work/excl.txt"
is "$CTL_RC" 1 "an exclusion in exempt is refused"
like "$CTL_ERR" 'takes no exclusions' "... and says why"
ctl_ok "add exempt by hand" add exempt 192.0.2.99 --reason "by hand"
is "$(dig_status "$(q 99.2.0.192.wl.test A)")" NXDOMAIN \
    "an exemption by hand is no whitelisting either"

# --- queue approve --whitelist ----------------------------------------------
ctl_must add black 192.0.2.30 --reason spam
request 192.0.2.30
ctl queue deny "$REQ" --reason x --whitelist
is "$CTL_RC" 2 "queue deny --whitelist is a usage error"
ctl_ok "queue approve --whitelist" queue approve "$REQ" --whitelist
like "$CTL_OUT" '192\.0\.2\.30 whitelisted .*black list entry 192\.0\.2\.30 deleted' \
    "queue approve --whitelist says whitelisted"
is "$(dig_answer "$(q 30.2.0.192.wl.test A)")" 127.0.0.2 \
    "--whitelist: listed in the dnswl zone"
is "$(dig_status "$(q 30.2.0.192.bl.test A)")" NXDOMAIN \
    "--whitelist: not listed in the dnsbl zone"
ctl_ok "list exempt after --whitelist" list exempt
unlike "$CTL_OUT" '192\.0\.2\.30' "--whitelist makes no exemption"
stop_daemon

# --- self-service never removes a black entry ----------------------------
SELF_DELIST=1h
write_conf exempt.conf.in
start_daemon
ctl_must add black 192.0.2.40 --reason spam
delist ip=192.0.2.40 email=a@example.org "description=our relay"
is "$WEB_CODE" 202 "self-service: a black entry is queued for review"
contains "self-service: the page says why" \
    'such a listing is never removed by self-service'
is "$(dig_answer "$(q 40.2.0.192.bl.test A)")" 127.0.0.2 \
    "self-service: still listed"
ctl_ok "list exempt after self-service" list exempt
unlike "$CTL_OUT" '192\.0\.2\.40' "self-service: no exemption"
stop_daemon

# --- a database whose approvals made white entries ------------------------
old="$work/olddb"
mkdir -p "$old"
cp "$DATA/db-approvals/data.mdb" "$old/" || bail "cannot copy the old database"
chmod 600 "$old/data.mdb"
DB=$old
SELF_DELIST=off
write_conf exempt.conf.in
ctl_ok "old database: a reader converts nothing" list white
like "$CTL_OUT" '^white 192\.0\.2\.10 .*"delisting request 1: known relay"$' \
    "old database: the approval's white entry before the upgrade"
start_daemon
ok "old database: the daemon says what it converted" grep -q \
    'store: 2 white list entries of approved delisting requests converted to exemptions' \
    "$work/log"
is "$(dig_status "$(q 10.2.0.192.wl.test A)")" NXDOMAIN \
    "old database: an approved address is no longer whitelisted"
is "$(dig_status "$(q 10.2.0.192.bl.test A)")" NXDOMAIN \
    "old database: ... and still not listed"
is "$(dig_status "$(q 20.100.51.198.bl.test A)")" NXDOMAIN \
    "old database: the exemption in the /24"
is "$(dig_answer "$(q 21.100.51.198.bl.test A)")" 127.0.0.2 \
    "old database: the /24 still lists the rest"
is "$(dig_answer "$(q 5.113.0.203.wl.test A)")" 127.0.0.2 \
    "old database: a white entry by hand stays white"
ctl_ok "old database: list exempt" list exempt
like "$CTL_OUT" '^exempt 192\.0\.2\.10 .*"delisting request 1: known relay"$' \
    "old database: the first approval converted, note kept"
like "$CTL_OUT" '^exempt 198\.51\.100\.20 .*"delisting request 2"$' \
    "old database: the second converted"
ctl_ok "old database: list white" list white
is "$(printf '%s\n' "$CTL_OUT" | grep -c .)" 1 \
    "old database: one white entry left"
ctl_ok "old database: log" log
like "$CTL_OUT" ' del white 192\.0\.2\.10 "request 1: converted to a delisting exemption"' \
    "old database: the conversion has its audit record"
ctl_ok "old database: approve the pending request" queue approve 3
like "$CTL_OUT" 'exempted .*black list entry 192\.0\.2\.11 deleted' \
    "old database: a request pending before is approved as an exemption"
is "$(dig_status "$(q 11.2.0.192.bl.test A)")" NXDOMAIN \
    "old database: ... and not listed"
stop_daemon
start_daemon
ctl_ok "old database: list white after a restart" list white
is "$(printf '%s\n' "$CTL_OUT" | grep -c .)" 1 \
    "old database: converted once"
stop_daemon

done_testing
