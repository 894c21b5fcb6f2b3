#!/bin/sh
# SPDX-License-Identifier: ISC
# http_hostile.sh -- what a hostile web client sends to the delisting
# form is refused before anything is stored: e-mail addresses a shell
# would read, a NUL encoded as %00 (refused like a raw one), and posts
# that a browser says another site's page made (Sec-Fetch-Site, Origin),
# while a post from the lookup page or from a script passes.

. "$top_srcdir/tests/integration/lib.sh"

http_setup 192.0.2.70 192.0.2.71 192.0.2.72 192.0.2.73 192.0.2.74 192.0.2.75
start_daemon
URL="http://127.0.0.1:$HPORT"

# --- e-mail addresses a shell would read -------------------------------------
for e in '`touch${IFS}x`@example.com' '$IFS|x&y@example.com' \
    "o'brien@example.org" 'a;b@example.org' 'a$(id)@example.org'; do
	delist ip=192.0.2.70 "email=$e" "description=our relay"
	is "$WEB_CODE" 400 "e-mail \"$e\" is 400"
done
contains "the page says which characters" 'only letters, digits and + = _ . -'
delist ip=192.0.2.70 email=first.last+dnsbl@example.org "description=x"
is "$WEB_CODE" 202 "an ordinary e-mail address passes"

# --- NUL, raw and encoded ----------------------------------------------------
web /delist --data-binary 'ip=192.0.2.71&email=a%40example.org%00x&description=relay'
is "$WEB_CODE" 400 "%00 in a field is 400"
contains "%00: not read as a form" 'could not be read as a form'
printf 'ip=192.0.2.71&email=a%%40example.org\000x&description=relay' \
    >"$work/nul.body"
web /delist --data-binary "@$work/nul.body"
is "$WEB_CODE" 400 "a raw NUL is 400 as well"
ctl_ok "queue" queue
unlike "$CTL_OUT" '192\.0\.2\.71' "nothing was stored for either"

# --- posts made by another site's page -----------------------------------------
delist ip=192.0.2.72 email=a@example.org description=relay \
    -H 'Origin: http://evil.example'
is "$WEB_CODE" 403 "Origin of another site: 403"
contains "403 says what to do" 'Send the form from the lookup page'
delist ip=192.0.2.72 email=a@example.org description=relay \
    -H 'Origin: null'
is "$WEB_CODE" 403 "Origin null without Sec-Fetch-Site: 403"
delist ip=192.0.2.72 email=a@example.org description=relay \
    -H 'Sec-Fetch-Site: cross-site'
is "$WEB_CODE" 403 "Sec-Fetch-Site cross-site: 403"
delist ip=192.0.2.72 email=a@example.org description=relay \
    -H 'Sec-Fetch-Site: same-site' -H "Origin: $URL"
is "$WEB_CODE" 403 "Sec-Fetch-Site same-site (a sibling host): 403"
delist ip=192.0.2.72 email=a@example.org description=relay \
    -H "Origin: http://127.0.0.1:$HPORT.evil.example"
is "$WEB_CODE" 403 "an Origin that only starts like ours: 403"
ctl_ok "queue" queue
unlike "$CTL_OUT" '192\.0\.2\.72' "nothing was stored for them"

delist ip=192.0.2.72 email=a@example.org description=relay \
    -H 'Sec-Fetch-Site: same-origin' -H "Origin: $URL"
is "$WEB_CODE" 202 "from our own page (same-origin, our Origin): accepted"
delist ip=192.0.2.73 email=a@example.org description=relay \
    -H "Origin: http://localhost:$HPORT" -H "Host: localhost:$HPORT"
is "$WEB_CODE" 202 "an Origin that matches the Host asked for: accepted"
delist ip=192.0.2.74 email=a@example.org description=relay
is "$WEB_CODE" 202 "no Origin, no Sec-Fetch-Site (a script): accepted"
delist ip=192.0.2.75 email=a@example.org description=relay \
    -H 'Sec-Fetch-Site: same-origin' -H 'Origin: null'
is "$WEB_CODE" 202 "same-origin with Origin null (Referrer-Policy no-referrer): accepted"
like "$(curl -s "$URL/metrics")" \
    '^rdnsbl_delist_requests_total\{outcome="cross_site"\} 5$' \
    "metrics: the cross-site posts counted"

stop_daemon
done_testing
