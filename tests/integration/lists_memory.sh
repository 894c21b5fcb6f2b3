#!/bin/sh
# SPDX-License-Identifier: ISC
# lists_memory.sh -- the daemon's compact copy of the lists: after it is
# built, answers from it match the lists (nested prefixes, "!"
# exclusions, per-entry codes, the white list, TXT with the entry's
# reason, IPv4 and IPv6); a change by rdnsblctl is answered at once (from
# the database) and the copy catches up (its entry count in /metrics
# follows), for IPv4 and IPv6 entries; an entry that expires stops being
# listed on time; an import while the daemon runs is answered at once
# and the copy is rebuilt.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_programs

write_conf memory.conf.in

# 2000 /32s 10.0.0.0-10.0.7.207 (code 127.0.0.3 from the default line),
# a /16 with a "!" /24 inside, one entry with its own code; an IPv6 /48
# with its own code and a "!" /64 inside.
{
	echo ":127.0.0.3:Listed in the test set"
	i=0
	while [ $i -lt 2000 ]; do
		echo "10.0.$((i / 256)).$((i % 256))"
		i=$((i + 1))
	done
	echo "10.1.0.0/16"
	echo "!10.1.5.0/24"
	echo "10.2.0.1 :127.0.0.9:Its own code"
	echo "2001:db8:7::/48 :127.0.0.5:A v6 site"
	echo "!2001:db8:7:1::/64"
} >"$work/set1.txt"
ctl_must import black "$work/set1.txt"
ctl_must add white 10.0.0.5 --reason "a partner"
start_daemon

metric()
{
	curl -s --max-time 5 "http://127.0.0.1:$HPORT/metrics" |
	    awk -v m="$1" '$1 == m { print $2 }'
}

# in_step N: wait (up to 10 s) until the copy holds N entries and is
# not behind; a query first, since queries are what notice a change.
in_step()
{
	is_i=0
	while [ $is_i -lt 100 ]; do
		q +short 9.9.9.9.bl.test A >/dev/null
		if [ "$(metric rdnsbl_lists_in_memory_entries)" = "$1" ] &&
		    [ "$(metric rdnsbl_lists_in_memory_stale)" = 0 ]; then
			return 0
		fi
		sleep 0.1
		is_i=$((is_i + 1))
	done
	diag "entries $(metric rdnsbl_lists_in_memory_entries)," \
	    "stale $(metric rdnsbl_lists_in_memory_stale)"
	return 1
}

# a_of ADDR [ZONE]: the A answer (or the rcode) of ADDR in bl.test.
a_of()
{
	dig_answer "$(q "$(rev4 "$1").${2:-bl.test}" A)"
}

ok "the copy is built: 2006 entries, in step" in_step 2006
like "$(metric rdnsbl_lists_in_memory_bytes)" '^[0-9]{5,}$' \
    "the copy's memory is in /metrics"
is "$(a_of 10.0.0.1)" 127.0.0.3 "a /32 of the import is listed with the file's code"
is "$(a_of 10.0.7.207)" 127.0.0.3 "the last /32 of the import is listed"
is "$(a_of 10.0.7.208)" NXDOMAIN "the address after it is not"
is "$(a_of 10.0.0.5)" NXDOMAIN "a whitelisted address is not listed in the dnsbl"
is "$(a_of 10.0.0.5 wl.test)" 127.0.0.2 "and is listed in the dnswl"
is "$(a_of 10.1.6.10)" 127.0.0.3 "an address in the /16 is listed"
is "$(a_of 10.1.5.10)" NXDOMAIN "an address in the \"!\" /24 is not"
is "$(a_of 10.2.0.1)" 127.0.0.9 "an entry with its own code has it"
is "$(a_of 10.3.0.1)" NXDOMAIN "an address outside every entry is not listed"
is "$(q +short 1.0.0.10.bl.test TXT)" \
    '"10.0.0.1 is listed (Listed in the test set)"' \
    "TXT has the entry's reason"

# A change: answered at once, then from the caught-up copy.
ctl_must add black 10.3.0.1 --reason "fresh"
is "$(a_of 10.3.0.1)" 127.0.0.2 "an added entry is listed at the next query"
ok "the copy catches up: 2007 entries" in_step 2007
is "$(a_of 10.3.0.1)" 127.0.0.2 "the added entry is listed from the copy"
ctl_must del black 10.0.0.1
is "$(a_of 10.0.0.1)" NXDOMAIN "a deleted entry is gone at the next query"
ok "the copy catches up: 2006 entries" in_step 2006
is "$(a_of 10.0.0.1)" NXDOMAIN "the deleted entry is gone from the copy"
is "$(a_of 10.0.0.2)" 127.0.0.3 "its neighbour is still listed"

# The same for IPv6: from the copy, a change answered at once, the copy
# catching up.
a6_of()
{
	dig_answer "$(q "$(rev6 "$1").bl.test" A)"
}
is "$(a6_of 2001:db8:7:2::1)" 127.0.0.5 "an address in the IPv6 /48 has its code"
is "$(a6_of 2001:db8:7:1::1)" NXDOMAIN "an address in its \"!\" /64 is not listed"
is "$(a6_of 2001:db8:8::1)" NXDOMAIN "an address beside the /48 is not listed"
ctl_must add black 2001:db8:7:1::25 --reason "fresh v6"
is "$(a6_of 2001:db8:7:1::25)" 127.0.0.2 "an IPv6 /128 added in the \"!\" /64 is listed at the next query"
ok "the copy catches up: 2007 entries" in_step 2007
is "$(a6_of 2001:db8:7:1::25)" 127.0.0.2 "the added IPv6 entry is listed from the copy"
is "$(a6_of 2001:db8:7:1::26)" NXDOMAIN "its neighbour in the \"!\" /64 is not"
ctl_must del black 2001:db8:7::/48
is "$(a6_of 2001:db8:7:2::1)" NXDOMAIN "a deleted IPv6 /48 is gone at the next query"
ok "the copy catches up: 2006 entries" in_step 2006
is "$(a6_of 2001:db8:7:2::1)" NXDOMAIN "the deleted /48 is gone from the copy"
is "$(a6_of 2001:db8:7:1::25)" 127.0.0.2 "the /128 in it is still listed"
ctl_must del black 2001:db8:7:1::25
ok "the copy catches up: 2005 entries" in_step 2005

# An entry that expires: read from the database, listed until then.
ctl_must add black 10.3.0.2 --expires 3s --reason "short"
is "$(a_of 10.3.0.2)" 127.0.0.2 "an entry that expires is listed before"
ok "the copy catches up: 2006 entries" in_step 2006
sleep 4
is "$(a_of 10.3.0.2)" NXDOMAIN "and not after its expiry (the copy holds it)"
ctl del black 10.3.0.2		# unless the purge was first
ok "the copy catches up: 2005 entries" in_step 2005

# An import while running: answered at once, the copy rebuilt.
{
	i=0
	while [ $i -lt 500 ]; do
		echo "10.9.$((i / 256)).$((i % 256))"
		i=$((i + 1))
	done
} >"$work/set2.txt"
ctl_must import black "$work/set2.txt"
is "$(a_of 10.9.1.243)" 127.0.0.2 "an imported entry is listed at the next query"
ok "the copy is rebuilt: 2505 entries" in_step 2505
is "$(a_of 10.9.1.243)" 127.0.0.2 "the imported entry is listed from the copy"
is "$(a_of 10.9.1.244)" NXDOMAIN "the address after the import is not"
is "$(a_of 10.0.0.3)" 127.0.0.3 "the first import's entries are still listed"

stop_daemon
done_testing
