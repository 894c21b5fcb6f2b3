#!/bin/sh
# SPDX-License-Identifier: ISC
# http_lookup_limit.sh -- the lookup page is rate-limited by client and
# in total (each lookup of a new address runs the checks and caches a
# verdict): lookup-rate-limit: 3 gives one client three lookups a minute
# and then 429, another client goes on until lookup-total-limit: 5 stops
# everyone; the index page without an address is not counted.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_tool ldns-testns
need_programs

# Every PTR query: NXDOMAIN at once.
: >"$TNS"
tns_ptr_nx_all
start_upstream "$TNS"

TRUSTED=127.0.0.0/8
write_conf http.conf.in
sed 's/^\(	trusted-proxy:.*\)$/\1\
	lookup-rate-limit: 3\
	lookup-total-limit: 5/' "$CONF" >"$CONF.new" && mv "$CONF.new" "$CONF"
like "$(cat "$CONF")" 'lookup-total-limit: 5' "the config has the limits"
start_daemon
URL="http://127.0.0.1:$HPORT"

for i in 1 2 3; do
	web "/lookup?ip=192.0.2.$i" -H "X-Forwarded-For: 10.1.1.1"
	is "$WEB_CODE" 200 "client A: lookup $i is 200"
done
web "/lookup?ip=192.0.2.4" -H "X-Forwarded-For: 10.1.1.1"
is "$WEB_CODE" 429 "client A: lookup 4 is 429"
contains "429: too many from the address" 'Too many lookups from your address'
web "/" -H "X-Forwarded-For: 10.1.1.1"
is "$WEB_CODE" 200 "client A: the index without an address is not limited"

for i in 5 6; do
	web "/lookup?ip=192.0.2.$i" -H "X-Forwarded-For: 10.2.2.2"
	is "$WEB_CODE" 200 "client B: lookup of 192.0.2.$i is 200"
done
web "/lookup?ip=192.0.2.7" -H "X-Forwarded-For: 10.2.2.2"
is "$WEB_CODE" 429 "client B: its third lookup passes the total: 429"
contains "429: no more lookups from anyone" 'takes no more lookups just now'
web "/lookup?ip=192.0.2.8" -H "X-Forwarded-For: 10.3.3.3"
is "$WEB_CODE" 429 "client C, new: also 429 (the total)"

is "$(q +short 2.0.0.127.bl.test A)" 127.0.0.2 "DNS answers all along"
stop_daemon
done_testing
