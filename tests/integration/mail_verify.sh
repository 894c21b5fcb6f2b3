#!/bin/sh
# SPDX-License-Identifier: ISC
# mail_verify.sh -- verify-email: a request from the form waits,
# unconfirmed and out of the queue, until its requester follows the link
# mailed to them. Debian's Exim (run from the command line with a
# configuration of the test, no daemon) delivers the mails to a mailbox
# file that the test reads: the link is taken from the delivered mail,
# its page confirms nothing, its form's POST queues the request, and a
# replayed or expired link is refused; the mails to one e-mail address
# (its +tag variants too) are limited an hour, and the unconfirmed
# requests of one client; a self-service removal after the confirmation
# mails the decision.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_tool exim4
need_tool ldns-testns
need_root "Exim delivers as Debian-exim with a configuration of the test (-C)"
need_programs

exim_sendmail

: >"$TNS"
for n in 10 20 30 31 32 33 34 40 41 50; do
	tns_nx "$(dns_ptrname 192.0.2.$n)" PTR
done
start_upstream "$TNS"
write_conf mail-verify.conf.in
start_daemon
URL="http://127.0.0.1:$HPORT"

# mails N: wait up to 10 s for N mails in the mailbox; the last in MAIL.
mails()
{
	ma_i=0
	while [ "$(grep -c '^Envelope-to: ' "$work/mailbox" 2>/dev/null)" \
	    -lt "$1" ]; do
		ma_i=$((ma_i + 1))
		if [ $ma_i -gt 100 ]; then
			sed 's/^/# exim: /' "$work"/exim/log/* \
			    "$work/exim.stderr" 2>/dev/null
			bail "no mail number $1 in the mailbox"
		fi
		sleep 0.1
	done
	MAIL=$(awk -v n="$1" '/^From / { m++ } m == n' "$work/mailbox")
	LINK=$(printf '%s\n' "$MAIL" |
	    grep -o "http://127\\.0\\.0\\.1:$HPORT/verify/[0-9a-f]*" | tail -1)
	VPATH_=${LINK#"$URL"}
}

# confirm: POST the confirmation form of the last link, as a browser of
# our page would.
confirm()
{
	web "$VPATH_" -X POST -H 'Sec-Fetch-Site: same-origin' \
	    -H 'Content-Type: application/x-www-form-urlencoded' --data ''
}

queued()
{
	ctl_must queue
	printf '%s\n' "$CTL_OUT" | grep -q -- "$1"
}

ctl_must add black 192.0.2.10 --reason "spam run 4711"
ctl_must add black 192.0.2.20 --reason "spam run 4712"
for n in 30 31 32 33 34 40 41; do
	ctl_must add black 192.0.2.$n --reason "spam run 47$n"
done

# --- the round trip -----------------------------------------------------------
web "/lookup?ip=192.0.2.10"
contains "the lookup page's form says a link is mailed first" \
    'A link to confirm the request goes to your e-mail address'
delist ip=192.0.2.10 email=postmaster@requester.test \
    "description=our relay, call 555-0100"
is "$WEB_CODE" 202 "a request: 202"
contains "... the page says to check the mail" 'Check your mail'
contains "... and names the address mailed" 'postmaster@requester.test'
lacks "... no status link yet" '/request/'
ok "... nothing in the queue" eval '! queued 192.0.2.10'
mails 1
like "$MAIL" '^Envelope-to: postmaster@requester\.test$' \
    "the mailbox has the mail for the requester"
like "$MAIL" '^Return-path: <bl-admin@rdnsbl\.test>$' \
    "... from the envelope sender mail-from:"
like "$MAIL" '^Subject: Confirm the delisting request for 192\.0\.2\.10$' \
    "... its Subject: names the address"
unlike "$MAIL" '555-0100' "... the requester's description is not in it"
like "$LINK" "^$URL/verify/[0-9a-f]{32}\$" \
    "... with a link under public-url: and a 128-bit token"
web "$VPATH_"
is "$WEB_CODE" 200 "the link's page: 200"
contains "... with the confirmation button" 'id="confirm"'
contains "... and the address" '192.0.2.10'
ok "... reading it queues nothing" eval '! queued 192.0.2.10'
web "$VPATH_" -X POST -H 'Sec-Fetch-Site: cross-site' \
    -H 'Content-Type: application/x-www-form-urlencoded' --data ''
is "$WEB_CODE" 403 "a confirmation from another site's page: refused"
ok "... and queues nothing" eval '! queued 192.0.2.10'
confirm
is "$WEB_CODE" 202 "the confirmation: 202, queued"
contains "... the page says it is received" 'Request received'
contains "... with its status link" 'id="statuslink"'
ok "rdnsblctl queue lists the confirmed request" queued '192\.0\.2\.10'
ctl_must queue
like "$CTL_OUT" '^[0-9]+ pending 192\.0\.2\.10 ' "... as pending"

# --- a replayed link ----------------------------------------------------------
confirm
is "$WEB_CODE" 404 "the link again: refused (404)"
contains "... the page says it was used" 'was used already'
web "$VPATH_"
is "$WEB_CODE" 404 "... its page too"
web /verify/0123456789abcdef0123456789abcdef
is "$WEB_CODE" 404 "a made-up token: 404"

# --- an unconfirmed request stays out of the queue ----------------------------
delist ip=192.0.2.20 email=postmaster@requester.test "description=our relay"
is "$WEB_CODE" 202 "a second request: 202"
mails 2
like "$MAIL" '^Subject: Confirm the delisting request for 192\.0\.2\.20$' \
    "... its mail came"
ok "... and unconfirmed, it is not in the queue" eval '! queued 192.0.2.20'
is "$(q +short 20.2.0.192.bl.test)" 127.0.0.2 "... the address stays listed"

# --- the mails to one e-mail address an hour ---------------------------------
for n in 30 31 32; do
	delist ip=192.0.2.$n email=limit@requester.test "description=our relay"
	is "$WEB_CODE" 202 "limit@: request $((n - 29)) of 3 mailed"
done
delist ip=192.0.2.33 email=limit@requester.test "description=our relay"
is "$WEB_CODE" 429 "limit@: the 4th in the hour refused (429)"
contains "... the page says why" 'Too many confirmation mails'
delist ip=192.0.2.34 email=LIMIT+again@requester.test "description=our relay"
is "$WEB_CODE" 429 "... a +tag variant in other case counts as the same"
delist ip=192.0.2.33 email=other@requester.test "description=our relay"
is "$WEB_CODE" 202 "another e-mail address is not limited"
mails 6
ok "the refused ones sent no mail" \
    [ "$(grep -c '^Envelope-to: limit@' "$work/mailbox")" = 3 ]

# --- self-service after the confirmation mails the decision -------------------
is "$(q +short 50.2.0.192.bl.test)" 127.0.0.3 "192.0.2.50 listed: no-ptr"
delist ip=192.0.2.50 email=owner@requester.test "description=our relay"
is "$WEB_CODE" 202 "a computed listing: mailed first, not self-delisted"
is "$(q +short 50.2.0.192.bl.test)" 127.0.0.3 "... still listed"
mails 7
confirm
is "$WEB_CODE" 200 "its confirmation: self-delisted"
contains "... approved by self-service" 'Approved by self-service'
REQ=$(printf '%s' "$WEB_BODY" |
    sed -n 's|.*<dt>Request</dt><dd>\([0-9]*\)</dd>.*|\1|p')
TOKEN=$(printf '%s' "$WEB_BODY" |
    sed -n 's|.*href="/request/\([0-9a-f]*\)".*|\1|p')
is "$(dig_status "$(q 50.2.0.192.bl.test)")" NXDOMAIN "... no longer listed"
mails 8
like "$MAIL" '^Envelope-to: owner@requester\.test$' \
    "the decision mail went to the requester"
like "$MAIL" "^Subject: Delisting request $REQ for 192\\.0\\.2\\.50: approved\$" \
    "... Subject: the request, approved"
like "$MAIL" "^Your request $REQ to delist 192\\.0\\.2\\.50 was approved by self-service\\.\$" \
    "... the decision, by self-service"
like "$MAIL" '^It was listed for: bl\.test: no-ptr$' "... the reason"
like "$MAIL" '^Every mail server that asks us sees it by 20[0-9T:-]*Z at the latest$' \
    "... when every MX sees it"
like "$MAIL" "^Status: $URL/request/$TOKEN\$" "... and the status page"

# --- an expired link ------------------------------------------------------------
sed 's/^\(	verify-expire:\).*/\1 1s/' "$CONF" >"$CONF.new" &&
    mv "$CONF.new" "$CONF"
kill -HUP "$PID"
ok "the daemon reloads with verify-expire: 1s" await_reloads 1
delist ip=192.0.2.40 email=late@requester.test "description=our relay"
is "$WEB_CODE" 202 "a request with a link of 1 s"
mails 9
sleep 2
web "$VPATH_"
is "$WEB_CODE" 410 "the expired link's page: 410"
contains "... says it expired" 'Link expired'
confirm
is "$WEB_CODE" 410 "its confirmation: refused (410)"
ok "... nothing queued" eval '! queued 192.0.2.40'
confirm
is "$WEB_CODE" 404 "... and the link is gone (404)"

# --- unconfirmed requests from one client -------------------------------------
sed 's/^\(	verify-expire:\).*/\1 1h\
	verify-pending: 1/; /^	verify-pending: 20$/d' "$CONF" >"$CONF.new" &&
    mv "$CONF.new" "$CONF"
kill -HUP "$PID"
ok "the daemon reloads with verify-pending: 1" await_reloads 2
delist ip=192.0.2.41 email=busy@requester.test "description=our relay"
is "$WEB_CODE" 429 "a client with unconfirmed requests waiting: refused (429)"
contains "... the page says why" 'wait for their confirmation'
sleep 1
mails 9
ok "... and no mail went" \
    [ "$(grep -c '^Envelope-to: busy@' "$work/mailbox")" = 0 ]

stop_daemon
done_testing
