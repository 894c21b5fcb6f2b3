#!/bin/sh
# SPDX-License-Identifier: ISC
# http_private.sh -- the public lookup page answers only what is public:
# for an RFC 1918 address it gives the verdict but neither the PTR names
# nor the forward addresses nor the rule the daemon's resolver found,
# while a public address shows them; with lookup-detail: no (after a
# reload) no address shows them.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_tool ldns-testns
need_programs

# The resolver knows internal names: one confirmed, one dynamic-looking.
: >"$TNS"
tns_ptr 10.0.0.5 secret-db.corp.example
tns_addr secret-db.corp.example 10.0.0.5
tns_ptr 192.168.7.7 dhcp-192-168-7-7.pool.corp.example
tns_addr dhcp-192-168-7-7.pool.corp.example 192.168.7.7
tns_ptr 192.0.2.15 mail15.example.com
tns_addr mail15.example.com 198.51.100.215
start_upstream "$TNS"

write_conf http.conf.in
start_daemon
URL="http://127.0.0.1:$HPORT"

web "/lookup?ip=10.0.0.5"
is "$WEB_CODE" 200 "lookup of 10.0.0.5 is 200"
contains "10.0.0.5: the verdict" 'Not listed.'
lacks "10.0.0.5: no PTR name" 'secret-db'
lacks "10.0.0.5: no forward detail" 'corp.example'

web "/lookup?ip=192.168.7.7"
is "$WEB_CODE" 200 "lookup of 192.168.7.7 is 200"
contains "192.168.7.7: the verdict" 'Listed (127.0.0.'
lacks "192.168.7.7: no PTR name" 'dhcp-192-168-7-7'
lacks "192.168.7.7: no rule" 'matched the rule'

web "/lookup?ip=::ffff:10.0.0.5"
lacks "::ffff:10.0.0.5: no PTR name" 'secret-db'

# A public address shows what DNS said (the test above can fail).
web "/lookup?ip=192.0.2.15"
contains "192.0.2.15: listed" 'Listed (127.0.0.'
contains "192.0.2.15: its PTR name" 'mail15.example.com'

# lookup-detail: no shows the verdict alone, for every address.
sed 's/^\(	trusted-proxy:.*\)$/\1\
	lookup-detail: no/' "$CONF" >"$CONF.new" && mv "$CONF.new" "$CONF"
like "$(cat "$CONF")" 'lookup-detail: no' "the config now says lookup-detail: no"
kill -HUP "$PID"
ok "the daemon reloads" await_reloads 1
web "/lookup?ip=192.0.2.15"
contains "lookup-detail no: 192.0.2.15 listed" 'Listed (127.0.0.'
contains "lookup-detail no: when it was checked" 'Checked '
lacks "lookup-detail no: no PTR name" 'mail15.example.com'

stop_daemon
done_testing
