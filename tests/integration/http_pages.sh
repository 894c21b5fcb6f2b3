#!/bin/sh
# SPDX-License-Identifier: ISC
# http_pages.sh -- the delisting pages with curl: every page and every
# error path. Lookups (no-ptr, unconfirmed, dynamic, blacklisted, not
# listed, whitelisted), the TXT $url, a request queued with its status
# page and notify-command, script and HTML injected into every field
# coming back escaped, bad addresses and e-mails, oversized bodies (413),
# the honeypot, one open request per address (409), a request for an
# address that is not listed, the review with rdnsblctl queue (usage and
# errors too), /healthz, /metrics and allow-metrics, the rate limits per
# client and per address (429), and self-service removal with its
# cooldown.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_tool ldns-testns
need_programs

# --- the fake internet ------------------------------------------------------
: >"$TNS"
for n in 1 2 3 4 6 7 8; do
	tns_nx "$(dns_ptrname 192.0.2.$n)" PTR
done
tns_ptr 192.0.2.15 mail15.example.com
tns_addr mail15.example.com 198.51.100.215
tns_ptr 192.0.2.25 dhcp-192-0-2-25.pool.example.net
tns_addr dhcp-192-0-2-25.pool.example.net 192.0.2.25
tns_ptr 192.0.2.5 relay.example.com
tns_addr relay.example.com 192.0.2.5
start_upstream "$TNS"

# notify-command: each event's environment in its own file.
cat >"$work/notify.sh" <<EOF
#!/bin/sh
env | grep '^RDNSBL_' | sort >"$work/notify.\$RDNSBL_EVENT.\$RDNSBL_ID"
EOF
chmod +x "$work/notify.sh"

write_conf http.conf.in
start_daemon
URL="http://127.0.0.1:$HPORT"

XSS='<script>alert("x")</script>'
XSS_ESC='&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'

# --- the pages -----------------------------------------------------------
web /
is "$WEB_CODE" 200 "GET / is 200"
contains "/ has the viewport for phones" 'name="viewport" content="width=device-width'
contains "/ has the lookup form" 'action="/lookup"'
lacks "/ loads no script" "<script"
lacks "/ loads nothing from elsewhere" "src="
lacks "/ links no stylesheet" "<link"
like "$(grep -i '^content-type' "$work/web.head")" 'text/html; charset=utf-8' \
    "/ is HTML in UTF-8"
like "$(grep -i '^content-security-policy' "$work/web.head")" \
    "default-src 'none'" "/ sends a CSP that forbids other sources"

web /healthz
is "$WEB_CODE $WEB_BODY" "200 ok" "/healthz says ok"

web "/lookup?ip=192.0.2.1"
is "$WEB_CODE" 200 "lookup no-ptr is 200"
contains "no-ptr: listed with its code" 'Listed (127.0.0.3)'
contains "no-ptr: the reason in plain words" 'has no reverse DNS'
contains "no-ptr: ask the provider for a PTR for the address" \
    'reverse DNS (PTR) record for 192.0.2.1'
contains "no-ptr: the request form" 'name="email"'
contains "no-ptr: the honeypot field is hidden" 'class="hp"'
contains "no-ptr: the whitelist zone shown" 'wl.test'

web "/lookup?ip=192.0.2.15"
contains "unconfirmed: listed with its code" 'Listed (127.0.0.4)'
contains "unconfirmed: the PTR name" 'mail15.example.com'
contains "unconfirmed: its addresses, without the address" \
    'does not resolve back to 192.0.2.15 (it resolves to 198.51.100.215)'

web "/lookup?ip=192.0.2.25"
contains "dynamic: listed with its code" 'Listed (127.0.0.5)'
contains "dynamic: the name" 'dhcp-192-0-2-25.pool.example.net'
contains "dynamic: the rule" 'matched the rule <code>s25r-'

web "/lookup?ip=192.0.2.5"
contains "confirmed: not listed" 'Not listed.'
contains "confirmed: confirmed by its name" 'forward-confirmed by relay.example.com'
lacks "confirmed: no request form" 'name="email"'

ctl_must add black 192.0.2.40 --reason "<b>spam</b> & co"
web "/lookup?ip=192.0.2.40"
contains "blacklisted: listed by the administrator" 'Listed (127.0.0.2)'
contains "blacklisted: the entry's reason escaped" '&lt;b&gt;spam&lt;/b&gt; &amp; co'
lacks "blacklisted: no raw HTML from the reason" '<b>spam'

ctl_must add white 192.0.2.41 --reason "customer"
web "/lookup?ip=192.0.2.41"
contains "whitelisted: not listed in the dnsbl" 'the address is whitelisted'
contains "whitelisted: whitelisted in the dnswl" 'Whitelisted.'

web "/lookup?ip=2001:db8::ffff"
is "$WEB_CODE" 200 "lookup of an IPv6 address is 200"

# The TXT answer points at the lookup page.
like "$(q +short 1.2.0.192.bl.test TXT)" \
    "see http://127.0.0.1:$HPORT/lookup\\?ip=192.0.2.1" \
    "TXT \$url is the lookup page under public-url"

# --- bad lookups ----------------------------------------------------------
web "/lookup?ip=%3Cscript%3Ealert(%22x%22)%3C/script%3E"
is "$WEB_CODE" 400 "lookup of script is 400"
contains "lookup of script: the value comes back escaped" "$XSS_ESC"
lacks "lookup of script: never raw" '<script>'
for bad in 999.1.1.1 192.0.2.0/24 1.2.3 "192.0.2.1%20x" ""; do
	web "/lookup?ip=$bad"
	is "$WEB_CODE" 400 "lookup of \"$bad\" is 400"
done
web "/lookup"
is "$WEB_CODE" 400 "lookup without ip is 400"
web /no/such/page
is "$WEB_CODE" 404 "an unknown page is 404"
web /lookup -d ip=192.0.2.1
is "$WEB_CODE" 405 "POST /lookup is 405"
web /delist
is "$WEB_CODE" 405 "GET /delist is 405"
web /request/zzz
is "$WEB_CODE" 404 "a malformed token is 404"
web /request/0123456789abcdef0123456789abcdef
is "$WEB_CODE" 404 "an unknown token is 404"

# --- a request ------------------------------------------------------------
delist ip=192.0.2.1 "email=postmaster+x@example.org" \
    "description=$XSS & \"q\""
is "$WEB_CODE" 202 "POST /delist for a listed address is 202 (queued)"
contains "request: pending" 'Pending: waiting for review'
contains "request: the description escaped" "$XSS_ESC &amp; &quot;q&quot;"
lacks "request: no raw script" '<script'
contains "request: what listed it" 'bl.test: no-ptr'
TOKEN=$(printf '%s' "$WEB_BODY" | sed -n 's|.*href="/request/\([0-9a-f]*\)".*|\1|p')
is "${#TOKEN}" 32 "request: a 32-digit status token"
web "/request/$TOKEN"
is "$WEB_CODE" 200 "status page is 200"
contains "status page: pending" 'Pending: waiting for review'
contains "status page: the description escaped" "$XSS_ESC"
like "$(grep -i '^referrer-policy' "$work/web.head")" no-referrer \
    "status page: the token never leaks in a Referer"

i=0
while [ ! -s "$work/notify.new.1" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
N=$(cat "$work/notify.new.1" 2>/dev/null)
like "$N" 'RDNSBL_ADDRESS=192.0.2.1' "notify-command ran for the new request"
like "$N" 'RDNSBL_EMAIL=postmaster\+x@example.org' "notify: the e-mail"
like "$N" "RDNSBL_URL=$URL/request/$TOKEN" "notify: the status page"

delist ip=192.0.2.1 email=other@example.org description=again
is "$WEB_CODE" 409 "a second request for the address is 409"
web "/lookup?ip=192.0.2.1"
contains "lookup: the pending request is named" 'id="queued"'
lacks "lookup: no second form" 'name="email"'

# --- bad requests -----------------------------------------------------------
for e in not-an-email a@b "@example.org" "a..b@example.org" \
    "<script>@example.org" "a@-x.example.org" "a b@example.org"; do
	delist ip=192.0.2.2 "email=$e" description=relay
	is "$WEB_CODE" 400 "e-mail \"$e\" is 400"
done
delist ip=192.0.2.2 "email=$XSS" description=relay
is "$WEB_CODE" 400 "a script e-mail is 400"
lacks "a script e-mail is not echoed raw" '<script'
# the script last: lacks reads the last page
for a in 300.1.1.1 192.0.2.0/24 "" "$XSS"; do
	delist "ip=$a" email=a@example.org description=relay
	is "$WEB_CODE" 400 "address \"$a\" is 400"
done
lacks "a script address is not echoed raw" '<script'
delist ip=192.0.2.2 email=a@example.org "description=   "
is "$WEB_CODE" 400 "a blank description is 400"
delist ip=192.0.2.2 email=a@example.org \
    "description=$(printf '%2001s' x)"
is "$WEB_CODE" 400 "a description over 2000 bytes is 400"
web /delist --data 'ip=192.0.2.2&email=a@example.org&description=a%01b'
is "$WEB_CODE" 400 "a control character in the description is 400"
web /delist --data 'ip=192.0.2.2&email=a@example.org&description=a%ffb'
is "$WEB_CODE" 400 "invalid UTF-8 in the description is 400"
delist ip=192.0.2.2 email=a@example.org description=relay \
    website=http://spam.example
is "$WEB_CODE" 400 "the honeypot filled is 400"
contains "the honeypot gets no hint" 'The request was refused.'
web /delist -H 'Content-Type: text/plain' --data 'ip=192.0.2.2'
is "$WEB_CODE" 415 "a body that is not a form is 415"
head -c 5000 /dev/zero | tr '\0' a >"$work/big"
web /delist --data-binary "@$work/big"
is "$WEB_CODE" 413 "a body over max-body is 413"
contains "413 says the limit" 'larger than 4096 bytes'
head -c 200000 /dev/zero | tr '\0' a >"$work/huge"
web /delist --data-binary "@$work/huge"
is "$WEB_CODE" 413 "a huge body is 413"
delist ip=192.0.2.5 email=a@example.org description=relay
is "$WEB_CODE" 200 "a request for an address not listed is 200"
contains "not listed: said so" 'not listed, so there is nothing to remove'

# Nothing but the one request was stored.
ctl_ok "queue lists" queue
is "$(printf '%s\n' "$CTL_OUT" | grep -c .)" 1 "queue: one request"
like "$CTL_OUT" '^1 pending 192.0.2.1 [0-9T:-]*Z postmaster\+x@example.org "bl.test: no-ptr"$' \
    "queue: the line of request 1"

# --- review with rdnsblctl ----------------------------------------------------
ctl_ok "queue show" queue show 1
like "$CTL_OUT" 'description: "<script>alert\(\\"x\\"\)</script> & \\"q\\""' \
    "queue show: the description quoted"
like "$CTL_OUT" 'client: 127.0.0.1' "queue show: the client"
ctl queue show 99
is "$CTL_RC" 1 "queue show of an unknown id exits 1"
like "$CTL_ERR" 'no request 99$' "... and says there is no such request"
ctl queue frob
is "$CTL_RC" 2 "an unknown queue subcommand exits 2"
ctl queue deny 1
is "$CTL_RC" 2 "queue deny without --reason exits 2"
ctl queue approve x
is "$CTL_RC" 2 "queue approve of a non-number exits 2"
ctl queue approve 1 --reason x
is "$CTL_RC" 2 "queue approve --reason exits 2"
ctl queue show
is "$CTL_RC" 2 "queue show without an id exits 2"
ctl_ok "queue deny" queue deny 1 --reason "<i>not a mail server</i>"
like "$CTL_OUT" '^denied request 1 for 192.0.2.1$' "queue deny says so"
ctl queue approve 1
is "$CTL_RC" 1 "a decided request cannot be approved"
like "$CTL_ERR" 'already denied' "... and says it is denied"
web "/request/$TOKEN"
contains "status page: denied" 'Denied on'
contains "status page: the reason escaped" '&lt;i&gt;not a mail server&lt;/i&gt;'
i=0
while [ ! -s "$work/notify.denied.1" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
like "$(cat "$work/notify.denied.1" 2>/dev/null)" \
    'RDNSBL_NOTE=<i>not a mail server</i>' "notify-command ran for the denial"
ctl_ok "log" log
like "$CTL_OUT" 'web:127.0.0.1 request - 192.0.2.1 "request 1: pending' \
    "log: the request"
like "$CTL_OUT" ' deny - 192.0.2.1 "request 1: <i>not a mail server</i>"' \
    "log: the denial"
web "/lookup?ip=192.0.2.1"
contains "after the denial the form is back" 'name="email"'

# --- metrics --------------------------------------------------------------
q +short 1.2.0.192.bl.test >/dev/null
web /metrics
is "$WEB_CODE" 200 "/metrics from loopback is 200"
like "$(grep -i '^content-type' "$work/web.head")" 'text/plain; version=0.0.4' \
    "/metrics is the Prometheus text format"
contains "metrics: answers by zone and result" \
    'rdnsbl_dns_answers_total{zone="bl.test",result="listed"} 2'
contains "metrics: cache hits" 'rdnsbl_cache_hits_total '
contains "metrics: check outcomes" 'rdnsbl_check_verdicts_total{verdict="no-ptr"}'
contains "metrics: requests queued" \
    'rdnsbl_delist_requests_total{outcome="pending"} 1'
contains "metrics: requests refused by the honeypot" \
    'rdnsbl_delist_requests_total{outcome="honeypot"} 1'
contains "metrics: requests for addresses not listed" \
    'rdnsbl_delist_requests_total{outcome="not_listed"} 1'
stop_daemon

# --- allow-metrics, the rate limits, trusted-proxy ----------------------------
ALLOW_METRICS=192.0.2.0/24
RATE=3
write_conf http.conf.in
start_daemon
web /metrics
is "$WEB_CODE" 403 "/metrics outside allow-metrics is 403"
for i in 1 2 3; do
	delist ip=192.0.2.7 email=a@example.org "description=try $i"
done
is "$WEB_CODE" 409 "the third request from one client still passes the limit"
delist ip=192.0.2.8 email=a@example.org description=again
is "$WEB_CODE" 429 "the fourth request from one client in an hour is 429"
contains "429 says why" 'Too many requests from your address'
delist ip=192.0.2.8 email=a@example.org description=again \
    -H 'X-Forwarded-For: 198.51.100.9'
is "$WEB_CODE" 429 "X-Forwarded-For from a proxy not trusted is ignored"
stop_daemon

# Behind a trusted proxy, each client counts on its own.
TRUSTED=127.0.0.0/8
write_conf http.conf.in
start_daemon
for i in 1 2 3 4; do
	delist ip=192.0.2.8 email=a@example.org "description=try $i" \
	    -H "X-Forwarded-For: 203.0.113.$i, 198.51.100.$i"
done
is "$WEB_CODE" 409 "trusted-proxy: four clients, none limited"
for i in 1 2 3; do
	delist ip=192.0.2.8 email=a@example.org "description=try $i" \
	    -H "X-Forwarded-For: 198.51.100.1"
done
is "$WEB_CODE" 429 "trusted-proxy: the forwarded client is limited"
ctl_ok "queue show 3" queue show 3
like "$CTL_OUT" 'client: 198.51.100.1$' "trusted-proxy: the request names the client"
TRUSTED=192.0.2.255
web "/lookup?ip=192.0.2.8"
is "$WEB_CODE" 200 "lookups are not rate-limited"
stop_daemon

RATE=100
ARATE=2
write_conf http.conf.in
start_daemon
delist ip=192.0.2.7 email=a@example.org description=one
is "$WEB_CODE" 409 "request 1 for an address (still pending)"
delist ip=192.0.2.7 email=b@example.org description=two
delist ip=192.0.2.7 email=c@example.org description=three
is "$WEB_CODE" 429 "the third request for one address in a day is 429"
contains "429 says why" 'Too many requests for this address'
stop_daemon

# --- self-service removal ---------------------------------------------------------
ARATE=100
SELF_DELIST=1h
write_conf http.conf.in
start_daemon
delist ip=192.0.2.3 email=a@example.org description="our relay"
is "$WEB_CODE" 200 "self-delist: delisted at once"
contains "self-delist: said so" 'Approved by self-service'
contains "self-delist: the time every MX sees it" 'sees it by'
contains "self-delist: the exemption's end" 'The exemption ends on'
is "$(dig_status "$(q 3.2.0.192.wl.test)")" NXDOMAIN \
    "self-delist: exempted, not whitelisted"
ctl_ok "list exempt after self-service" list exempt
like "$CTL_OUT" '^exempt 192.0.2.3 .*"delisting request [0-9]+: self-service"$' \
    "self-delist: the exemption names its request"
is "$(dig_status "$(q 3.2.0.192.bl.test)")" NXDOMAIN "self-delist: not listed"
ctl_must del exempt 192.0.2.3
delist ip=192.0.2.3 email=a@example.org description="our relay"
is "$WEB_CODE" 202 "self-delist: once per cooldown, then queued"
ctl_ok "queue after self-service" queue
like "$CTL_OUT" 'approved 192.0.2.3' "queue: the self-service request approved"
like "$CTL_OUT" 'pending 192.0.2.3' "queue: the second one pending"

# SIGHUP moves the pages to another port.
OLD_URL=$URL
HPORT=
write_conf http.conf.in
URL="http://127.0.0.1:$HPORT"
kill -HUP "$PID"
i=0
until curl -s --max-time 2 "$URL/healthz" >/dev/null 2>&1 || [ $i -ge 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
web /healthz
[ "$WEB_CODE $WEB_BODY" = "200 ok" ] ||
    grep -i 'reload\|http' "$work/log" | sed 's/^/# log: /'
is "$WEB_CODE $WEB_BODY" "200 ok" "after SIGHUP the pages answer on the new port"
is "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$OLD_URL/healthz")" \
    000 "... and no longer on the old one"
stop_daemon

done_testing
