#!/bin/sh
# SPDX-License-Identifier: ISC
# lists_domain.sh -- domain lists (rbldnsd's dnset): name, .name, *.name
# and ! exclusions added with rdnsblctl and answered by an rhsbl zone as
# rbldnsd answers them (checked against Debian's rbldnsd: the name itself
# first, then the wildcard of its longest parent; "$" in TXT is the
# listed entry's name), the RFC 5782 test names, a zone of two domain
# lists, a helo zone that takes its bad names from a domain list, and
# dnset files: import (also --replace), export, round trip.
# rbldnsd_oracle.sh compares generated dnset files with rbldnsd.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_programs

write_conf lists-domain.conf.in
ctl_ok "add a name" add dbl plain.example --reason "spam domain"
is "$CTL_OUT" "added dbl plain.example" "add prints the entry"
ctl_ok "add *.name" add dbl '*.wild.example'
ctl_ok "add .name" add dbl .Dot.Example.
is "$CTL_OUT" "added dbl dot.example
added dbl *.dot.example" ".name is the name and the names below it"
ctl_ok "add !name" add dbl '!ex.wild.example'
ctl_ok "add !*.name" add dbl '!*.sub.dot.example'
ctl_ok "add to policy" add policy plain.example --reason "policy"
ctl "add" "dbl" "bad name.example"
is "$CTL_RC" 1 "a name with a blank is refused"
ctl "add" "dbl" "192.0.2.0/24"
is "$CTL_RC" 0 "an address-like name is a name in a domain list"
ctl_ok "del it" del dbl 192.0.2.0/24
ctl "add" "bl.test" "x"
is "$CTL_RC" 2 "a zone is not a list"
ctl "add" "black" "spam.example"
is "$CTL_RC" 1 "a name on an ip list is refused"
ctl_ok "list dbl" list dbl
like "$CTL_OUT" "^dbl \\*\\.wild\\.example - " "list shows a wildcard"
like "$CTL_OUT" "^dbl !ex\\.wild\\.example - " "list shows an exclusion"
ctl_ok "list dbl --json" list dbl --json
like "$CTL_OUT" '"prefix":"\*\.sub\.dot\.example","exclude":true' \
    "list --json: a wildcard exclusion"

start_daemon

# name ANSWER-A ANSWER-TXT: what dbl.test answers for name
dbl()
{
	is "$(dig_answer "$(q "$1.dbl.test" A)")" "$2" "dbl.test A $1: $2"
	[ -n "$3" ] && is "$(dig_answer "$(q "$1.dbl.test" TXT)")" "$3" \
	    "dbl.test TXT $1: $3"
}
dbl plain.example 127.0.0.2 '"listed plain.example"'
dbl x.plain.example NXDOMAIN
dbl wild.example NXDOMAIN
dbl x.wild.example 127.0.0.2 '"listed wild.example"'
dbl y.x.wild.example 127.0.0.2 '"listed wild.example"'
dbl ex.wild.example NXDOMAIN
dbl EX.Wild.example NXDOMAIN
dbl dot.example 127.0.0.2
dbl x.dot.example 127.0.0.2 '"listed dot.example"'
dbl sub.dot.example 127.0.0.2
dbl x.sub.dot.example NXDOMAIN
dbl test 127.0.0.2 '"listed test"'
dbl invalid NXDOMAIN
is "$(dig_status "$(q dbl.test SOA)")" NOERROR "dbl.test: the apex answers"

is "$(dig_answer "$(q plain.example.both.test A)" | sort)" \
"127.0.0.2
127.0.1.2" "both.test: one A per list"
is "$(dig_answer "$(q plain.example.both.test TXT)" | sort)" \
"\"policy\"
\"spam domain\"" "both.test: one TXT per list"

# a helo zone's bad names from the domain list
is "$(dig_answer "$(q x.wild.example.helo.test A)")" 127.0.0.2 \
    "helo.test: a HELO name on the domain list is bad-name"
like "$(dig_answer "$(q x.wild.example.helo.test TXT)")" \
    '\(\*\.wild\.example\)' "helo.test: the TXT names the entry"
is "$(dig_answer "$(q ex.wild.example.helo.test A)")" NXDOMAIN \
    "helo.test: an excluded name is not"

ctl_ok "lookup a name" lookup X.Wild.Example
like "$CTL_OUT" "dbl\\.test rhsbl listed 127\\.0\\.0\\.2 blacklist" \
    "lookup NAME: the rhsbl zone lists it"
like "$CTL_OUT" "  entry: dbl \\*\\.wild\\.example " "lookup NAME: the entry"
like "$CTL_OUT" "  query: x\\.wild\\.example\\.dbl\\.test" \
    "lookup NAME: the query name"
unlike "$CTL_OUT" "helo\\.test" "lookup NAME: no helo zone (rdnsblctl helo)"

ctl_ok "del *.name" del dbl '*.wild.example'
dbl x.wild.example NXDOMAIN
ctl_ok "del .name" del dbl .dot.example
is "$CTL_OUT" "deleted dbl dot.example
deleted dbl *.dot.example" "del .name deletes both entries"
dbl dot.example NXDOMAIN
ctl_ok "log" log
like "$CTL_OUT" " add dbl \\*\\.wild\\.example " "the audit log names entries"

# --- dnset files ---------------------------------------------------------------

cat >"$work/dnset.txt" <<'EOF'
# a dnset file
:3:Listed: $
Feed.Example
.both.feed.example :4:both
*.below.feed.example :127.0.0.5:
!no.below.feed.example
EOF
ctl import dbl "$work/dnset.txt"
is "$CTL_RC/$CTL_ERR" "0/" "import of a dnset file into a domain list exits 0"
is "$CTL_OUT" "imported 5 entries into dbl from $work/dnset.txt" \
    "import counts .name as two entries"
dbl feed.example 127.0.0.3 '"listed feed.example"'
is "$(dig_answer "$(q feed.example.both.test TXT)")" '"Listed: feed.example"' \
    "an imported TXT with \$: the listed name"
dbl x.both.feed.example 127.0.0.4 '"listed both.feed.example"'
dbl both.feed.example 127.0.0.4
dbl x.below.feed.example 127.0.0.5
R=$(q x.below.feed.example.dbl.test TXT)
is "$(dig_status "$R")/$(dig_count "$R" ANSWER)" NOERROR/0 \
    "an imported name without TXT has no TXT record, as in rbldnsd"
dbl below.feed.example NXDOMAIN
dbl no.below.feed.example NXDOMAIN
dbl plain.example 127.0.0.2 '"listed plain.example"'

printf 'ok.example\nbad:2:name.example\n' >"$work/bad-dnset.txt"
ctl import dbl "$work/bad-dnset.txt"
is "$CTL_RC" 1 "a dnset file with a bad name is refused"
like "$CTL_ERR" "bad-dnset\\.txt:2: bad domain name \"bad:2:name\\.example\": a value goes after a blank" \
    "the bad name is named with FILE:LINE and why"
dbl ok.example NXDOMAIN
ctl import black "$work/dnset.txt"
is "$CTL_RC" 1 "a dnset file does not go into an ip list"

ctl_ok "export dbl" export dbl
printf '%s\n' "$CTL_OUT" >"$work/dbl-1.txt"
like "$CTL_OUT" "^# format: rbldnsd dnset data" "export names the dnset format"
like "$CTL_OUT" "^\\*\\.below\\.feed\\.example :127\\.0\\.0\\.5:\$" \
    "export writes a wildcard with its value"
like "$CTL_OUT" "^!no\\.below\\.feed\\.example\$" "export writes an exclusion"
ctl import dbl "$work/dbl-1.txt" --replace
is "$CTL_RC/$CTL_ERR" "0/" "import --replace of the export exits 0"
ctl_ok "export dbl again" export dbl
printf '%s\n' "$CTL_OUT" >"$work/dbl-2.txt"
is "$(grep -v '^# ' "$work/dbl-2.txt")" "$(grep -v '^# ' "$work/dbl-1.txt")" \
    "export -> import --replace -> export of a domain list is identical"
dbl plain.example 127.0.0.2 '"listed plain.example"'

printf 'only.example :6:one\n' >"$work/one.txt"
ctl import dbl "$work/one.txt" --replace
is "$CTL_OUT" "replaced dbl with 1 entry from $work/one.txt" \
    "import --replace of a domain list"
dbl only.example 127.0.0.6 '"listed only.example"'
dbl feed.example NXDOMAIN
dbl plain.example NXDOMAIN
stop_daemon
done_testing
