#!/bin/sh
# SPDX-License-Identifier: ISC
# rulestats.sh -- the statistics per rule and reason: DNS answers that
# list for several reasons and rules (two S25R rules, no PTR, an
# unconfirmed name, the black list and a named list, two HELO reasons),
# delisting requests and an approval, counted by what listed. /metrics
# has them as labelled counters at once; rdnsblctl stats (table and
# --json) after the daemon has written them (at a reload, when it
# stops); they survive a restart; the /stats page draws them as SVG
# (well-formed, each rule in it), only for the metrics clients, and in
# the browser (a screenshot kept in tests/artefacts/rulestats). A
# database made before the statistics gets their table from the daemon.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_tool perl
need_tool python3
need_tool setsid
need_tool ldns-testns
need_tool chromedriver
need_tool chromium
need_programs

SHOTS="$top_builddir/tests/artefacts/rulestats"
rm -rf "$SHOTS"
mkdir -p "$SHOTS" || bail "cannot create $SHOTS"

# confirmed ADDR NAME: the upstream gives ADDR the PTR NAME, and NAME ADDR.
confirmed()
{
	tns_ptr "$1" "$2"
	tns_addr "$2" "$1"
}

: >"$TNS"
confirmed 198.51.100.3 host12345.example.com	# s25r-2
confirmed 198.51.100.4 host67890.example.com	# s25r-2
confirmed 198.51.100.11 dhcp123.example.com	# s25r-6
tns_nx "$(dns_ptrname 192.0.2.30)" PTR		# no-ptr
tns_ptr 198.51.100.31 mail31.example.com	# unconfirmed
tns_addr mail31.example.com 203.0.113.31
start_upstream "$TNS"
ALLOW_METRICS=127.0.0.1
write_conf rulestats.conf.in
start_daemon
URL="http://127.0.0.1:$HPORT"
ctl_must add black 192.0.2.99
ctl_must add spam 192.0.2.98

# ask N NAME WANT: query NAME (A) N times, each answer WANT.
ask()
{
	as_i=0
	as_bad=
	while [ $as_i -lt "$1" ]; do
		as_got=$(q +short "$2" A)
		[ "$as_got" = "$3" ] || as_bad="$as_bad $as_got"
		as_i=$((as_i + 1))
	done
	is "$as_bad" "" "$2 answered $3 $1 time(s)"
}

ask 3 3.100.51.198.bl.test 127.0.0.5
ask 1 4.100.51.198.bl.test 127.0.0.5
ask 2 11.100.51.198.bl.test 127.0.0.5
ask 1 30.2.0.192.bl.test 127.0.0.3
ask 1 31.100.51.198.bl.test 127.0.0.4
ask 2 99.2.0.192.bl.test 127.0.0.2
ask 1 98.2.0.192.bl.test 127.0.0.6
ask 1 nodot.helo.test 127.0.0.3
ask 1 dhcp123.good.test.helo.test 127.0.0.6
# the RFC 5782 test point lists, and is counted under no rule
ask 1 2.0.0.127.bl.test 127.0.0.2
is "$(dig_status "$(q 1.0.0.127.bl.test A)")" NXDOMAIN "not listed: not counted"

# Delisting requests (self-delist off: queued), one approved.
request 198.51.100.3
REQ_DYN=$REQ
request 192.0.2.99
request 198.51.100.11
ctl_ok "queue approve the s25r-2 request" queue approve "$REQ_DYN"
ctl_ok "queue show" queue show "$REQ_DYN"
like "$CTL_OUT" 'bl\.test: dynamic \(s25r-2\)' \
    "the request records the rule that listed the address"

# The listings' lines of /metrics, sorted.
WANT_LISTINGS='rdnsbl_listings_total{reason="blacklist",rule="black"} 2
rdnsbl_listings_total{reason="blacklist",rule="spam"} 1
rdnsbl_listings_total{reason="dynamic",rule="s25r-2"} 4
rdnsbl_listings_total{reason="dynamic",rule="s25r-6"} 2
rdnsbl_listings_total{reason="helo-dynamic",rule="s25r-6"} 1
rdnsbl_listings_total{reason="helo-no-dot",rule=""} 1
rdnsbl_listings_total{reason="no-ptr",rule=""} 1
rdnsbl_listings_total{reason="unconfirmed",rule=""} 1'
WANT_REQUESTS='rdnsbl_delist_requests_by_rule_total{reason="blacklist",rule="black"} 1
rdnsbl_delist_requests_by_rule_total{reason="dynamic",rule="s25r-2"} 1
rdnsbl_delist_requests_by_rule_total{reason="dynamic",rule="s25r-6"} 1'
WANT_APPROVALS='rdnsbl_delist_approvals_total{reason="dynamic",rule="s25r-2"} 1'

# metrics_check WHEN: /metrics has exactly the lines above.
metrics_check()
{
	web /metrics
	is "$WEB_CODE" 200 "$1: /metrics answers"
	is "$(printf '%s\n' "$WEB_BODY" | grep '^rdnsbl_listings_total{' |
	    sort)" "$WANT_LISTINGS" "$1: listings by reason and rule"
	is "$(printf '%s\n' "$WEB_BODY" |
	    grep '^rdnsbl_delist_requests_by_rule_total{' | sort)" \
	    "$WANT_REQUESTS" "$1: requests by what listed"
	is "$(printf '%s\n' "$WEB_BODY" |
	    grep '^rdnsbl_delist_approvals_total{' | sort)" \
	    "$WANT_APPROVALS" "$1: approvals by what had listed"
	contains "$1: the listings are a counter" \
	    '# TYPE rdnsbl_listings_total counter'
}
metrics_check "in memory"

# The daemon writes its counts every minute, at a reload and when it
# stops; the approval rdnsblctl made is in the database at once.
ctl_ok "stats before the daemon wrote" stats
like "$CTL_OUT" '^approval +dynamic +s25r-2 +1 +1$' \
    "stats: the approval is there at once"
unlike "$CTL_OUT" '^listing ' "stats: the listings not yet written"
kill -HUP "$PID"
await_reloads 1
ok "the reload took" grep -q "reloaded " "$work/log"
ctl_ok "stats after a reload" stats
like "$CTL_OUT" '^listing +dynamic +s25r-2 +4 +4$' \
    "stats: a reload wrote the daemon's counts"
metrics_check "after the reload"
stop_daemon

ctl_ok "stats" stats
like "$CTL_OUT" '^KIND +REASON +RULE +KEPT +TOTAL$' "stats: the header"
like "$CTL_OUT" '^listing +dynamic +s25r-2 +4 +4$' \
    "stats: dynamic s25r-2, the most, first"
is "$(printf '%s\n' "$CTL_OUT" | sed -n 2p)" \
    "$(printf '%-9s %-12s %-24s %10s %10s' listing dynamic s25r-2 4 4)" \
    "stats: the rule that lists most is the first line"
like "$CTL_OUT" '^listing +no-ptr +- +1 +1$' "stats: no-ptr, no rule"
like "$CTL_OUT" '^listing +blacklist +spam +1 +1$' \
    "stats: the named list that listed"
like "$CTL_OUT" '^request +blacklist +black +1 +1$' \
    "stats: the request for a black list entry"
like "$CTL_OUT" '^\(KEPT: since .*, the last 48 h;' \
    "stats: the hours kept (stats-keep: 2d)"

ctl_ok "stats --json" stats --json
printf '%s\n' "$CTL_OUT" >"$work/stats.json"
JSON=$(python3 - "$work/stats.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["hours"] == 48, d["hours"]
for s in d["series"]:
    n = sum(h["count"] for h in s["hours"])
    assert n == s["recent"], s
    print("%s %s %s %d %d" % (s["kind"], s["reason"], s["rule"] or "-",
        s["recent"], s["total"]))
PY
)
is "$?" 0 "stats --json parses, the hourly counts add up"
is "$(printf '%s\n' "$JSON" | sort)" "approval dynamic s25r-2 1 1
listing blacklist black 2 2
listing blacklist spam 1 1
listing dynamic s25r-2 4 4
listing dynamic s25r-6 2 2
listing helo-dynamic s25r-6 1 1
listing helo-no-dot - 1 1
listing no-ptr - 1 1
listing unconfirmed - 1 1
request blacklist black 1 1
request dynamic s25r-2 1 1
request dynamic s25r-6 1 1" "stats --json: every count"

# A restart: the counts are read back; new ones add to them.
start_daemon
metrics_check "after a restart"
# (198.51.100.3 is exempted now: its request was approved)
is "$(dig_status "$(q 3.100.51.198.bl.test A)")" NXDOMAIN \
    "the approved address is no longer listed, nor counted"
ask 1 4.100.51.198.bl.test 127.0.0.5
web /metrics
contains "after a restart: a new listing adds to the kept count" \
    'rdnsbl_listings_total{reason="dynamic",rule="s25r-2"} 5'

# The page: metrics clients only; SVG charts, well-formed, every rule.
web /stats --interface 127.0.0.2
is "$WEB_CODE" 403 "/stats: refused outside allow-metrics"
web /stats
is "$WEB_CODE" 200 "/stats answers a metrics client"
contains "/stats: the listings' section" '<section id="listing">'
cp "$work/web.body" "$work/stats.html"
SVG=$(python3 - "$work/stats.html" <<'PY'
import re, sys
import xml.etree.ElementTree as ET
page = open(sys.argv[1], encoding="utf-8").read()
svgs = re.findall(r"<svg .*?</svg>", page, re.S)
print("charts %d" % len(svgs))
ns = "{http://www.w3.org/2000/svg}"
for s in svgs:
    root = ET.fromstring(s)         # raises if not well-formed
    for g in root.iter(ns + "g"):
        if g.get("class") == "series" and g.get("data-rule"):
            print("rule %s %s" % (g.get("data-reason"), g.get("data-rule")))
print("script %d" % len(re.findall(r"<script", page)))
PY
)
is "$?" 0 "/stats: every SVG is well-formed XML"
like "$SVG" '^charts 3$' "/stats: a chart for listings, requests, approvals"
for r in "blacklist black" "blacklist spam" "dynamic s25r-2" \
    "dynamic s25r-6" "helo-dynamic s25r-6"; do
	like "$SVG" "^rule $r\$" "/stats: a line of $r in a chart"
done
like "$SVG" '^script 0$' "/stats: no script"
contains "/stats: the table counts dynamic s25r-2 (last hours and total)" \
    'dynamic (s25r-2)</td><td class="n">5</td><td class="n">5</td>'

start_chromedriver
browse stats "$URL/stats"
is "$BROWSE_RC" 0 "the browser opened /stats"
like "$BROWSE" '^title: Statistics per rule$' "browser: the page's title"
like "$BROWSE" '^charts: 3$' "browser: three charts drawn"
like "$BROWSE" '^series: 12$' \
    "browser: 12 lines drawn (8 listings, 3 requests, 1 approval)"
like "$BROWSE" '^row: dynamic \(s25r-2\) 5 5' \
    "browser: the first row is the rule that lists most"
like "$BROWSE" '^phone-width: fits' "browser: the page fits a phone"
[ -f "$SHOTS/01-stats.png" ] && head -c 8 "$SHOTS/01-stats.png" | grep -q PNG
is "$?" 0 "a screenshot kept in tests/artefacts/rulestats"
stop_daemon

# --- a database made before the statistics ----------------------------------
old_db
write_conf rulestats.conf.in
ctl_ok "old database: stats reads it as it is" stats
is "$(printf '%s\n' "$CTL_OUT" | grep -c '^listing')" 0 \
    "old database: no statistics yet"
start_daemon
ask 2 5.100.51.198.bl.test 127.0.0.2
stop_daemon
ctl_ok "old database: stats after the daemon" stats
like "$CTL_OUT" '^listing +blacklist +black +2 +2$' \
    "old database: the daemon added the table and its counts"
ctl_ok "old database: list black" list black
is "$(printf '%s\n' "$CTL_OUT" | grep -c .)" 4 \
    "old database: its black entries are all there"

done_testing
