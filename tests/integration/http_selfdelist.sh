#!/bin/sh
# SPDX-License-Identifier: ISC
# http_selfdelist.sh -- self-service removal applies to computed listings
# only: an address listed by the checks (the fake upstream has no PTR
# for it) is exempted at once and is not listed in the dnswl zone, and
# the cooldown holds; an address listed by hand is never self-delisted
# (the request is queued and the page says why), nor is one in a named
# list, and a black entry added after a self-service exemption lists the
# address again, in a zone transfer too.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_tool ldns-testns
need_programs

: >"$TNS"
for n in 50 51 52; do
	tns_nx "$(dns_ptrname 192.0.2.$n)" PTR
done
start_upstream "$TNS"
printf '#!/bin/sh\nexit 0\n' >"$work/notify.sh"
chmod +x "$work/notify.sh"
SELF_DELIST=1h
write_conf http.conf.in
sed -i 's/^\(	ns: ns\.bl\.test\)$/\1\n	allow-transfer: 127.0.0.1/' "$CONF"
start_daemon
URL="http://127.0.0.1:$HPORT"

# --- a computed listing: exempted at once, never whitelisted ---------------
is "$(q +short 50.2.0.192.bl.test)" 127.0.0.3 "192.0.2.50 listed: no-ptr"
delist ip=192.0.2.50 email=postmaster@example.net "description=our relay"
is "$WEB_CODE" 200 "computed listing: self-delisted at once"
contains "computed listing: the page says self-service" \
    'Approved by self-service'
is "$(dig_status "$(q 50.2.0.192.bl.test)")" NXDOMAIN \
    "computed listing: no longer listed"
is "$(dig_status "$(q 50.2.0.192.wl.test)")" NXDOMAIN \
    "computed listing: not listed in the dnswl zone"
ctl_ok "list white" list white
is "$CTL_OUT" "" "self-service whitelists nothing"

# --- the cooldown ------------------------------------------------------------
ctl_must del exempt 192.0.2.50
is "$(q +short 50.2.0.192.bl.test)" 127.0.0.3 "192.0.2.50 listed again"
delist ip=192.0.2.50 email=postmaster@example.net "description=our relay"
is "$WEB_CODE" 202 "within the cooldown: queued for review"
is "$(q +short 50.2.0.192.bl.test)" 127.0.0.3 "... and still listed"

# --- a manual black entry is never self-delisted -----------------------------
ctl_must add black 192.0.2.60 --reason "listed by hand"
delist ip=192.0.2.60 email=postmaster@example.net "description=our relay"
is "$WEB_CODE" 202 "listed by hand: queued, not self-delisted"
contains "listed by hand: the page says why" \
    'such a listing is never removed by self-service'
is "$(q +short 60.2.0.192.bl.test)" 127.0.0.2 "listed by hand: still listed"
ctl_ok "list exempt" list exempt
unlike "$CTL_OUT" '192\.0\.2\.60' "listed by hand: no exemption"

# Listed by hand and by the checks: still a listing by hand.
ctl_must add black 192.0.2.51 --reason "listed by hand"
delist ip=192.0.2.51 email=postmaster@example.net "description=our relay"
is "$WEB_CODE" 202 "listed by hand and by the checks: queued"
is "$(q +short 51.2.0.192.bl.test)" 127.0.0.2 "... still listed"

# A self-service exemption does not cover a black entry made later.
delist ip=192.0.2.52 email=postmaster@example.net "description=our relay"
is "$WEB_CODE" 200 "192.0.2.52 self-delisted"
is "$(dig_status "$(q 52.2.0.192.bl.test)")" NXDOMAIN "192.0.2.52 not listed"
ctl_must add black 192.0.2.52 --reason "listed by hand after"
is "$(q +short 52.2.0.192.bl.test)" 127.0.0.2 \
    "a black entry made after a self-service exemption lists again"

# A transfer carries the lists only: a self-service exemption, which
# exempts from the computed checks, does not unlist the black entry.
o=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=3 bl.test AXFR 2>&1)
like "$o" '52\.2\.0\.192\.bl\.test\.[[:space:]].*A[[:space:]]+127\.0\.0\.2' \
    "the transfer lists 192.0.2.52 despite its self-service exemption"

# An export of the exemptions marks the self-service one, and an import
# keeps the mark: the black entry still lists 192.0.2.52 after the
# exemption was deleted and imported again (unmarked, it would exempt).
ctl_ok "export exempt" export exempt
printf '%s\n' "$CTL_OUT" >"$work/exempt.txt"
like "$CTL_OUT" '#@ .*scope=self' "export exempt: the self-service mark"
ctl_ok "del the exemption" del exempt 192.0.2.52
ctl_ok "import the exported exemptions" import exempt "$work/exempt.txt"
ctl_ok "list exempt" list exempt
like "$CTL_OUT" '192\.0\.2\.52' "... the exemption is back"
is "$(q +short 52.2.0.192.bl.test)" 127.0.0.2 \
    "... and still yields to the black entry"

ctl_ok "queue" queue
like "$CTL_OUT" 'approved 192\.0\.2\.50 ' "queue: the first request approved"
like "$CTL_OUT" 'pending 192\.0\.2\.50 ' "queue: the second one pending"
like "$CTL_OUT" 'pending 192\.0\.2\.60 ' "queue: the manual listing pending"

stop_daemon
done_testing
