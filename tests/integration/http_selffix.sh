#!/bin/sh
# SPDX-License-Identifier: ISC
# http_selffix.sh -- no review needed once the sender fixed its reverse
# DNS: listed as unconfirmed (and as no-ptr) by the fake internet, the
# records are fixed there, the form is sent, the checks run again with
# fresh lookups whatever is cached, and the address is delisted at once,
# in DNS too, with no whitelist entry and nothing left pending. A check
# that cannot complete never refuses the request: it is queued as
# pending with that fact recorded, for a listing by the checks (from the
# cache) and for one by hand alike, and never resolved.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_tool ldns-testns
need_programs

CHECK_TIMEOUT=1s
: >"$TNS"
# 192.0.2.20: the PTR name resolves elsewhere (unconfirmed).
tns_ptr 192.0.2.20 mail20.example.net
tns_addr mail20.example.net 198.51.100.20
# 192.0.2.22: no PTR at all.
tns_nx "$(dns_ptrname 192.0.2.22)" PTR
# 192.0.2.23: no PTR; later the upstream stops answering for it.
tns_nx "$(dns_ptrname 192.0.2.23)" PTR
start_upstream "$TNS"

cat >"$work/notify.sh" <<EOF2
#!/bin/sh
env | grep '^RDNSBL_' | sort >"$work/notify.\$RDNSBL_EVENT.\$RDNSBL_ID"
EOF2
chmod +x "$work/notify.sh"
write_conf http.conf.in
start_daemon
URL="http://127.0.0.1:$HPORT"

is "$(q +short 20.2.0.192.bl.test)" 127.0.0.4 "192.0.2.20 listed: unconfirmed"
is "$(q +short 22.2.0.192.bl.test)" 127.0.0.3 "192.0.2.22 listed: no-ptr"
is "$(q +short 23.2.0.192.bl.test)" 127.0.0.3 "192.0.2.23 listed: no-ptr"
like "$(curl -s "$URL/lookup?ip=192.0.2.20")" \
    'mail20.example.net does not resolve back to 192.0.2.20 \(it resolves to 198.51.100.20\)' \
    "the page says what is wrong"

# The owner fixes the records.
: >"$work/fixed.testns"
TNS="$work/fixed.testns"
tns_ptr 192.0.2.20 mail20.example.net
tns_addr mail20.example.net 192.0.2.20
tns_ptr 192.0.2.22 mail22.example.net
tns_addr mail22.example.net 192.0.2.22
restart_upstream "$TNS"

is "$(q +short 20.2.0.192.bl.test)" 127.0.0.4 \
    "until asked, the cached verdict still lists 192.0.2.20"

post()
{
	CODE=$(curl -s -o "$work/page" -w '%{http_code}' --max-time 15 \
	    --data-urlencode "ip=$1" --data-urlencode email=postmaster@example.net \
	    --data-urlencode "description=our outbound relay" "$URL/delist")
	PAGE=$(cat "$work/page")
}

post 192.0.2.20
is "$CODE" 200 "the form for the fixed address: delisted at once (200)"
like "$PAGE" 'Resolved: the address passes the checks now' "the page says so"
like "$PAGE" 'sees it by <time>' "the page gives the time every MX sees it"
is "$(dig_status "$(q 20.2.0.192.bl.test)")" NXDOMAIN \
    "192.0.2.20 is no longer listed, at once"
is "$(dig_status "$(q 20.2.0.192.wl.test)")" NXDOMAIN \
    "192.0.2.20 needed no whitelist entry"
TOKEN=$(printf '%s' "$PAGE" | sed -n 's|.*href="/request/\([0-9a-f]*\)".*|\1|p')
like "$(curl -s "$URL/request/$TOKEN")" 'Resolved' "the status page says resolved"

post 192.0.2.22
is "$CODE" 200 "the form for the address with a new PTR: delisted at once"
is "$(dig_status "$(q 22.2.0.192.bl.test)")" NXDOMAIN \
    "192.0.2.22 is no longer listed"

# The upstream no longer answers for 192.0.2.23: a timeout queues it.
post 192.0.2.23
is "$CODE" 202 "a check that cannot complete: queued all the same (202)"
like "$PAGE" 'Pending: waiting for review' "... pending"
like "$PAGE" 'The checks could not run when it was sent \(a DNS lookup failed or took too long\), so an administrator decides it\.' \
    "... and the page says the checks could not run"

# Listed by hand, and no resolver answers: no lookup is needed to queue it.
ctl_must add black 192.0.2.24 --reason "listed by hand"
post 192.0.2.24
is "$CODE" 202 "listed by hand, the resolver silent: queued (202), not 503"

ctl_ok "queue" queue
like "$CTL_OUT" '^1 resolved 192.0.2.20 ' "queue: request 1 resolved"
like "$CTL_OUT" '^2 resolved 192.0.2.22 ' "queue: request 2 resolved"
like "$CTL_OUT" '^3 pending 192\.0\.2\.23 .* "bl\.test: no-ptr; the checks could not run: a DNS lookup failed or took too long"$' \
    "queue: request 3 pending, listed for the cached no-ptr, checks not run"
like "$CTL_OUT" '^4 pending 192\.0\.2\.24 .* "bl\.test: blacklist \(black\); the checks could not run: a DNS lookup failed or took too long"$' \
    "queue: request 4 pending, listed by hand, checks not run"
ctl_ok "queue show 4" queue show 4
like "$CTL_OUT" '^status: pending \(the checks could not run\)$' \
    "queue show: the status says the checks could not run"
like "$(curl -s "$URL/metrics")" '^rdnsbl_delist_requests_total\{outcome="check_failed"\} 2$' \
    "metrics: both counted as check_failed"
ctl_ok "list white" list white
is "$CTL_OUT" "" "no whitelist entry was made"
i=0
while [ ! -s "$work/notify.resolved.1" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
like "$(cat "$work/notify.resolved.1" 2>/dev/null)" 'RDNSBL_STATUS=resolved' \
    "notify-command ran for the resolved request"

stop_daemon
done_testing
