#!/bin/sh
# SPDX-License-Identifier: ISC
# cache_full.sh -- the verdict cache cannot crowd out the lists. With a
# 1 MB map, a flood of checked queries for 16000 never-seen addresses
# (each leaving a cached verdict, more than the map holds) never stops
# rdnsblctl add from working: the cache keeps to its share of the map,
# and /metrics counts the verdicts it evicted for that.
# When the lists themselves fill the map, rdnsblctl flush all and del
# still work while the daemon runs, and the import says to raise
# map-size.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool ldns-testns
need_programs

N=16000

# Every PTR query: NXDOMAIN at once (a no-ptr listing for each address).
: >"$TNS"
tns_ptr_nx_all
start_upstream "$TNS"

write_conf checks-base.conf.in
sed 's|^\(	database:.*\)$|\1\
	map-size: 1m|' "$CONF" >"$CONF.new" && mv "$CONF.new" "$CONF"
like "$(cat "$CONF")" 'map-size: 1m' "the config has map-size: 1m"
cat >>"$CONF" <<EOF
http:
	listen: 127.0.0.1@$HPORT
	public-url: http://127.0.0.1:$HPORT
	allow-metrics: 127.0.0.1
EOF
URL="http://127.0.0.1:$HPORT"
expect_log 'database full'
start_daemon

# evictions METRICS: the value of rdnsbl_cache_evictions_total in them.
evictions()
{
	printf '%s\n' "$1" | awk '$1 == "rdnsbl_cache_evictions_total" {
	    print $2 }'
}
web /metrics
is "$WEB_CODE/$(evictions "$WEB_BODY")" 200/0 \
    "/metrics: no verdict evicted from the cache yet"

is "$(q +short 1.0.0.10.bl.test A)" 127.0.0.3 \
    "a checked address is listed (no-ptr)"

# The flood, with an add after every 2000 queries.
i=0
adds=0
addok=0
while [ $i -lt $N ]; do
	j=0
	: >"$work/batch"
	while [ $j -lt 2000 ]; do
		echo "$((i % 250 + 1)).$((i / 250 % 250)).$((i / 62500 + 20)).10.bl.test A" \
		    >>"$work/batch"
		i=$((i + 1))
		j=$((j + 1))
	done
	dig -p "$PORT" @127.0.0.1 +tries=1 +time=2 +short -f "$work/batch" \
	    >"$work/answers" 2>&1
	adds=$((adds + 1))
	ctl add black "203.0.113.$adds" --reason "during the flood" &&
	    addok=$((addok + 1))
done
is "$(grep -c '^127\.0\.0\.3$' "$work/answers")" 2000 \
    "the last 2000 queries of the flood were answered, listed"
is "$addok" "$adds" "rdnsblctl add worked throughout the flood ($addok of $adds)"
web /metrics
n=$(evictions "$WEB_BODY")
ok "/metrics counts the verdicts evicted to bound the cache (${n:-none})" \
    test "${n:-0}" -gt 0
like "$WEB_BODY" '# TYPE rdnsbl_cache_evictions_total counter' \
    "/metrics: the evictions are a counter"
ctl_ok "rdnsblctl add after the flood" add black 198.51.100.1
ctl_ok "lookup" lookup 198.51.100.1
like "$CTL_OUT" 'black' "the entry is there"

# The lists fill the map: the import stops and names map-size.
awk 'BEGIN { for (i = 0; i < 300000; i++)
	printf "11.%d.%d.%d\n", int(i / 65536), int(i / 256) % 256, i % 256 }' \
    >"$work/big.txt"
ctl import black "$work/big.txt"
ok "an import larger than the map fails" test "$CTL_RC" -ne 0
like "$CTL_ERR" 'database full: .*raise map-size' \
    "the import says to raise map-size"
ctl_ok "flush all works on the full map" flush all
ctl_ok "del works on the full map" del black 203.0.113.1
ctl_ok "log works on the full map" log
like "$CTL_OUT" 'flush - all "[0-9]+ verdicts"' "the flush is in the audit trail"
ctl_ok "list works on the full map" list black
unlike "$CTL_OUT" '203\.0\.113\.1 ' "the deleted entry is gone"
like "$CTL_OUT" '203\.0\.113\.2 ' "the others stay"

stop_daemon
done_testing
