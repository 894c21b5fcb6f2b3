#!/bin/sh
# SPDX-License-Identifier: ISC
# lists_domain.sh -- domain lists (rbldnsd's dnset): name, .name, *.name
# and ! exclusions added with rdnsblctl and answered by an rhsbl zone as
# rbldnsd answers them (checked against Debian's rbldnsd: the name itself
# first, then the wildcard of its longest parent; "$" in TXT is the
# listed entry's name), the RFC 5782 test names, a zone of two domain
# lists, and a helo zone that takes its bad names from a domain list.

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
stop_daemon
done_testing
