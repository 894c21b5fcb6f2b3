#!/bin/sh
# SPDX-License-Identifier: ISC
# mta_postfix.sh -- the Postfix snippets of doc/mta.md, read from the
# file as it is, fed to Postfix's own postconf and postmap: every main.cf
# parameter is known to Postfix, each reject_rbl_client argument finds
# its line in rbl_reply_maps (Postfix looks it up with the whole
# argument, filter included), no reject_rhsbl_helo filter counts on a
# bare-IP HELO and the check_helo_access table refuses bare addresses and
# nothing else, the master.cf lines bound an smtpd process to what
# mta-cache: says, and the postscreen reply map gives the link. No SMTP
# session: Debian's postfix package conflicts with Exim's, so
# tools/deps.sh unpacks its binaries instead of installing it.

. "$top_srcdir/tests/integration/lib.sh"

# The unpacked package, or an installed Postfix.
PFROOT=${RDNSBL_POSTFIX:-/usr/local/lib/rdnsbl-test/postfix}
if [ -x "$PFROOT/usr/sbin/postconf" ]; then
	LD_LIBRARY_PATH="$PFROOT/usr/lib/postfix${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	export LD_LIBRARY_PATH
	PF="$PFROOT/usr/sbin"
elif [ -x /usr/sbin/postconf ] && [ -x /usr/sbin/postmap ]; then
	PF=/usr/sbin
else
	echo "1..0 # SKIP no Postfix binaries (tools/deps.sh unpacks them into $PFROOT)"
	exit 77
fi
"$PF/postconf" -d mail_version >/dev/null 2>&1 ||
    bail "$PF/postconf does not run: $("$PF/postconf" -d mail_version 2>&1 | head -n1)"

DOC="$top_srcdir/doc/mta.md"
pf="$work/pf"
mkdir -p "$pf/cf" "$pf/pm" "$pf/blocks"
: >"$pf/cf/master.cf"

# The indented blocks of the "## Postfix" section, one file each
# (blocks/N), the indent removed; blank lines inside a block kept.
awk -v dir="$pf/blocks" '
    /^## / { on = ($0 == "## Postfix"); next }
    !on { next }
    /^    / || (/^$/ && inblock) {
	if (!inblock) { n++; inblock = 1 }
	sub(/^    /, "")
	print >> (dir "/" n)
	next
    }
    { inblock = 0 }' "$DOC"
nblocks=$(ls "$pf/blocks" | wc -l)
ok "doc/mta.md has Postfix snippets" [ "$nblocks" -ge 6 ]

# Split each block: the lines after "# /etc/postfix/NAME" are that table
# (tables/NAME), the lines before are main.cf (main/N) or, from a line
# of the smtpd service, master.cf (master/N). Paths of /etc/postfix/
# point into the work directory.
mkdir -p "$pf/main" "$pf/master" "$pf/tables"
for b in $(ls "$pf/blocks" | sort -n); do
	sed "s|/etc/postfix/|$pf/tables/|g" "$pf/blocks/$b" | awk -v pf="$pf" -v b="$b" '
	    /^# / && index($0, pf "/tables/") {
		out = $0; sub(/^# /, "", out); sub(/ .*/, "", out); next
	    }
	    out == "" && /^smtp +inet / { master = 1 }
	    out == "" && /^$/ { next }
	    out != "" && /^$/ { next }
	    {
		if (out != "") print >> out
		else if (master) print >> (pf "/master/" b)
		else print >> (pf "/main/" b)
	    }'
done
nmain=$(ls "$pf/main" | wc -l)
ok "main.cf snippets found" [ "$nmain" -ge 4 ]
for t in rbl_reply helo_bare_ip dnsbl_reply; do
	ok "the table $t is in the doc" [ -s "$pf/tables/$t" ]
done

# postmap's own main.cf: a mail_owner, default_privs and setgid_group
# that exist and differ, as Postfix insists.
cat >"$pf/pm/main.cf" <<EOF
compatibility_level = 3.6
mail_owner = daemon
default_privs = nobody
setgid_group = adm
EOF
pmq()
{
	"$PF/postmap" -c "$pf/pm" -q "$1" "$2" 2>"$pf/pm.err"
}

# --- main.cf: every snippet, on its own, is Postfix syntax it knows ------
for m in $(ls "$pf/main" | sort -n); do
	{
		echo "compatibility_level = 3.6"
		cat "$pf/main/$m"
	} >"$pf/cf/main.cf"
	first=$(head -n1 "$pf/main/$m" | sed "s|$pf/tables/|/etc/postfix/|")
	"$PF/postconf" -c "$pf/cf" -n >"$pf/postconf.out" 2>"$pf/postconf.err"
	rc=$?
	is "$rc $(cat "$pf/postconf.err")" "0 " \
	    "postconf reads the snippet \"$first\" without a warning"
	# every parameter of the snippet is one postconf -n shows
	for p in $(sed -n 's/^\([a-z_]*\) *=.*/\1/p' "$pf/main/$m"); do
		grep -q "^$p = " "$pf/postconf.out" ||
		    fail "postconf knows $p" "$(cat "$pf/postconf.out")"
	done
done
cat "$pf"/main/* >"$pf/main.all"
like "$(cat "$pf/main.all")" 'rbl_reply_maps = hash:' \
    "the doc gives rbl_reply_maps"

# --- rbl_reply_maps: keyed by the whole reject_rbl_client argument --------
"$PF/postmap" -c "$pf/pm" "hash:$pf/tables/rbl_reply" 2>"$pf/pm.err"
is "$?" 0 "postmap builds rbl_reply ($(cat "$pf/pm.err"))"
args=$(grep -o 'reject_rbl_client [^,]*' "$pf/main.all" | cut -d' ' -f2)
n=0
for a in $args; do
	n=$((n + 1))
	r=$(pmq "$a" "hash:$pf/tables/rbl_reply")
	like "$r" '^450 4\.7\.1 ' \
	    "rbl_reply_maps answers reject_rbl_client $a with its 450"
done
ok "reject_rbl_client arguments were looked up" [ "$n" -ge 2 ]
pmq bl.example.net "hash:$pf/tables/rbl_reply"
is "$? $(cat "$pf/pm.err")" "1 " \
    "the bare zone name is no key (Postfix never asks for it)"

# --- bare-IP HELO: not the helo zone's filter, a table of its own ---------
filters=$(grep -o 'reject_rhsbl_helo helo\.example\.net=[^,]*' "$pf/main.all")
ok "reject_rhsbl_helo lines found" [ -n "$filters" ]
unlike "$filters" '127\.0\.0\.(7|\[[^]]*7)' \
    "no reject_rhsbl_helo filter counts on 127.0.0.7 (Postfix never asks)"
like "$(cat "$pf/main.all")" 'check_helo_access regexp:' \
    "check_helo_access with the bare-IP table is in the restrictions"
for h in 192.0.2.25 2001:db8::25 ::1; do
	like "$(pmq "$h" "regexp:$pf/tables/helo_bare_ip")" '^REJECT ' \
	    "the bare-IP table refuses HELO $h"
done
for h in '[192.0.2.25]' '[IPv6:2001:db8::25]' mail.example.com \
    192.0.2.example.com 1.2.3; do
	pmq "$h" "regexp:$pf/tables/helo_bare_ip" >/dev/null
	is "$? $(cat "$pf/pm.err")" "1 " \
	    "the bare-IP table lets HELO $h through"
done

# --- master.cf: an smtpd process lives about max_use x max_idle -----------
ok "a master.cf snippet" [ "$(ls "$pf/master" | wc -l)" -eq 1 ]
cp "$pf"/master/* "$pf/cf/master.cf"
printf 'compatibility_level = 3.6\n' >"$pf/cf/main.cf"
use=$("$PF/postconf" -c "$pf/cf" -Ph smtp/inet/max_use 2>&1)
idle=$("$PF/postconf" -c "$pf/cf" -Ph smtp/inet/max_idle 2>&1)
is "$use $idle" "10 30s" "master.cf: postconf reads max_use and max_idle"
case $idle in
*s) idle=${idle%s} ;;
esac
like "$(cat "$DOC")" "mta-cache: $((use * idle / 60))m" \
    "the doc's mta-cache: is max_use x max_idle ($use x ${idle}s)"

# --- postscreen: no TXT, so the reply map gives the link ------------------
like "$(pmq bl.example.net "texthash:$pf/tables/dnsbl_reply")" \
    '^bl\.example\.net, see https?://' \
    "postscreen_dnsbl_reply_map puts the lookup page in the reply"

done_testing
