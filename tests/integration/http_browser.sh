#!/bin/sh
# SPDX-License-Identifier: ISC
# http_browser.sh -- the delisting pages in a real browser: Debian's
# headless Chromium driven through chromedriver (W3C WebDriver, from
# webdriver.pl with core Perl modules). From a listed address's TXT
# answer, follow its URL, read the reason, send the request form, see
# the request pending; approve it with rdnsblctl; the status page says
# approved, and dig shows the address no longer listed and not
# whitelisted (an exemption).
# The screenshots stay in the build tree under tests/artefacts/.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_tool perl
need_tool setsid
need_tool ldns-testns
need_tool chromedriver
need_tool chromium
need_programs

SHOTS="$top_builddir/tests/artefacts/http_browser"
rm -rf "$SHOTS"
mkdir -p "$SHOTS" || bail "cannot create $SHOTS"

: >"$TNS"
tns_nx "$(dns_ptrname 192.0.2.30)" PTR
start_upstream "$TNS"
NOTIFY=/bin/true
write_conf http.conf.in
start_daemon

start_chromedriver

TXT=$(q +short 30.2.0.192.bl.test TXT)
like "$TXT" 'has no reverse DNS' "the TXT answer gives the reason"
TXT_URL=$(printf '%s\n' "$TXT" | sed -n 's|.*see \(http://[^ "]*\).*|\1|p')
is "$TXT_URL" "http://127.0.0.1:$HPORT/lookup?ip=192.0.2.30" \
    "the TXT answer carries the lookup page"

browse request "$TXT_URL"
is "$BROWSE_RC" 0 "the browser opened the TXT URL and sent the form"
like "$BROWSE" '^reason: Listed \(127\.0\.0\.3\): the address has no reverse DNS' \
    "the page shows the reason in plain words"
like "$BROWSE" '^advice: Ask whoever runs the network of 192\.0\.2\.30' \
    "the page says what to do"
like "$BROWSE" '^phone-width: fits' "the lookup page fits a phone's width"
like "$BROWSE" '^phone-width-pending: fits' \
    "the status page fits a phone's width"
like "$BROWSE" '^status: Pending: waiting for review' "the request is pending"
like "$BROWSE" '^description: Our outbound relay\.' \
    "the description is shown"
like "$BROWSE" 'invoices <b>to customers</b>\.' \
    "the HTML in it is shown as text, not markup"
LINK=$(printf '%s\n' "$BROWSE" | sed -n 's/^link: //p')
like "$LINK" "^http://127.0.0.1:$HPORT/request/[0-9a-f]{32}\$" \
    "the status link"

ctl_ok "rdnsblctl queue approve" queue approve 1 --note "checked"
like "$CTL_OUT" 'approved request 1: 192.0.2.30 exempted from the dnsbl zones \(not whitelisted\); every MX sees it by' \
    "approve says when every MX sees it"

browse status "$LINK"
is "$BROWSE_RC" 0 "the browser opened the status page"
like "$BROWSE" '^status: Approved on .* sees it by ' \
    "the status page: approved, and by when every MX sees it"

is "$(dig_status "$(q 30.2.0.192.wl.test)")" NXDOMAIN \
    "dig: an exemption, not whitelisted"
is "$(dig_status "$(q 30.2.0.192.bl.test)")" NXDOMAIN "dig: no longer listed"

n=0
for f in "$SHOTS"/*.png; do
	[ -f "$f" ] && head -c 8 "$f" | grep -q PNG && n=$((n + 1))
done
is "$n" 4 "four screenshots kept in tests/artefacts/http_browser"

stop_daemon
done_testing
