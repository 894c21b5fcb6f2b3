#!/bin/sh
# SPDX-License-Identifier: ISC
# mail_decision.sh -- the requester gets a mail when rdnsblctl queue
# approve or deny decides a request: through mail-command: (argv "-i -f
# FROM -- RCPT", no shell), with the decision, the note or reason, the
# listing reason, when every MX sees it and the status page; free text
# stays in the body (no header injection); a failing mail-command is
# reported and the decision kept. First a mail-command script of the
# test that keeps its arguments and message, then Debian's Exim (run
# from the command line with a configuration of the test, no daemon)
# delivering to a mailbox file the test reads.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool curl
need_tool exim4
need_root "Exim delivers as Debian-exim with a configuration of the test (-C)"
need_programs

# The keeping mail-command: mail.N.args (one argument a line), mail.N.msg.
cat >"$work/sendmail" <<EOS
#!/bin/sh
n=\$(ls "$work" | grep -c '^mail\\.[0-9]*\\.msg\$')
n=\$((n + 1))
printf '%s\\n' "\$@" >"$work/mail.\$n.args"
cat >"$work/mail.\$n.msg"
EOS
chmod 755 "$work/sendmail"

write_conf mail.conf.in
start_daemon
URL="http://127.0.0.1:$HPORT"

# headers FILE / body FILE: the part before / after the first blank line.
headers()
{
	sed '/^$/q' "$1"
}
body()
{
	sed '1,/^$/d' "$1"
}

ctl_must add black 192.0.2.10 --reason "spam run 4711"
ctl_must add black 192.0.2.20 --reason "spam run 4712"
ctl_must add black 192.0.2.30 --reason "spam run 4713"

# --- an approval -----------------------------------------------------------
request 192.0.2.10 postmaster@requester.test
ls "$work"/mail.*.msg >/dev/null 2>&1 && fail "no mail for a new request" ||
    pass "no mail for a new request"
ctl_ok "queue approve" queue approve "$REQ" --note "known relay, fixed" \
    --expires 30d
like "$CTL_OUT" '^decision mailed to postmaster@requester\.test$' \
    "queue approve says the decision was mailed"
seen=$(printf '%s\n' "$CTL_OUT" | sed -n 's/.*every MX sees it by \([^ ;]*\).*/\1/p')
is "$(cat "$work/mail.1.args" 2>/dev/null | tr '\n' ' ')" \
    "-i -f bl-admin@rdnsbl.test -- postmaster@requester.test " \
    "mail-command gets -i, the sender and the requester, after --"
m="$work/mail.1.msg"
h=$(headers "$m")
like "$h" '^To: <postmaster@requester\.test>$' "approval mail: To: the requester"
like "$h" '^From: <bl-admin@rdnsbl\.test>$' "approval mail: From: mail-from:"
like "$h" "^Subject: Delisting request $REQ for 192\\.0\\.2\\.10: approved\$" \
    "approval mail: Subject: the request, the address, approved"
like "$h" '^Date: [A-Z][a-z][a-z], [0-9][0-9] [A-Z][a-z][a-z] 20[0-9][0-9] [0-9:]* \+0000$' \
    "approval mail: a Date:"
like "$h" '^Content-Type: text/plain; charset=utf-8$' "approval mail: UTF-8 text"
b=$(body "$m")
like "$b" "^Your request $REQ to delist 192\\.0\\.2\\.10 was approved\\.\$" \
    "approval mail: the decision"
like "$b" '^Note: known relay, fixed$' "approval mail: the note"
like "$b" '^192\.0\.2\.10 is no longer listed in our dnsbl zones until 20[0-9T:-]*Z\.$' \
    "approval mail: not listed until the exemption ends"
ok "the rdnsblctl output gave the visible time" [ -n "$seen" ]
like "$b" "^Every mail server that asks us sees it by $seen at the latest\$" \
    "approval mail: when every MX sees it, as queue approve says"
like "$b" '^It was listed for: bl\.test: blacklist \(black\)$' \
    "approval mail: what listed it"
like "$b" "^Status: http://127\\.0\\.0\\.1:$HPORT/request/$TOKEN\$" \
    "approval mail: the status page"

# --- a denial: its reason stays in the body ---------------------------------
request 192.0.2.20 postmaster@requester.test
ctl_ok "queue deny" queue deny "$REQ" --reason "Subject: still spamming"
like "$CTL_OUT" '^decision mailed to postmaster@requester\.test$' \
    "queue deny says the decision was mailed"
m="$work/mail.2.msg"
h=$(headers "$m")
like "$h" "^Subject: Delisting request $REQ for 192\\.0\\.2\\.20: denied\$" \
    "denial mail: Subject: denied"
is "$(printf '%s\n' "$h" | grep -c '^Subject:')" 1 \
    "denial mail: the reason added no header"
b=$(body "$m")
like "$b" "^Your request $REQ to delist 192\\.0\\.2\\.20 was denied\\.\$" \
    "denial mail: the decision"
like "$b" '^Reason: Subject: still spamming$' "denial mail: the reason, in the body"
like "$b" '^192\.0\.2\.20 stays listed' "denial mail: still listed"

# --- a failing mail-command: said, the decision kept --------------------------
cp "$work/sendmail" "$work/sendmail.keep"
printf '#!/bin/sh\ncat >/dev/null\nexit 75\n' >"$work/sendmail"
request 192.0.2.30 postmaster@requester.test
ctl queue approve "$REQ"
is "$CTL_RC" 0 "a failing mail-command does not undo the approval"
like "$CTL_ERR" 'decision mail to postmaster@requester\.test not sent: .*failed \(status 75\)' \
    "... and rdnsblctl says the mail was not sent, and why"
is "$(dig_status "$(q 30.2.0.192.bl.test A)")" NXDOMAIN \
    "... the address is exempted all the same"

# --- Exim delivers it to the requester's mailbox ----------------------------
exim_sendmail
ctl_must add black 192.0.2.40 --reason "spam run 4714"
request 192.0.2.40 postmaster@requester.test
ctl_ok "queue approve, mailed by Exim" queue approve "$REQ"
like "$CTL_OUT" '^decision mailed to postmaster@requester\.test$' \
    "Exim accepted the decision mail"
mb=$(cat "$work/mailbox" 2>/dev/null)
[ -n "$mb" ] || sed 's/^/# exim: /' "$work"/exim/log/* 2>/dev/null
like "$mb" '^Envelope-to: postmaster@requester\.test$' \
    "the mailbox has the mail for the requester"
like "$mb" '^Return-path: <bl-admin@rdnsbl\.test>$' \
    "... from the envelope sender mail-from:"
like "$mb" "^Subject: Delisting request $REQ for 192\\.0\\.2\\.40: approved\$" \
    "... with the decision in its Subject:"
like "$mb" "^Your request $REQ to delist 192\\.0\\.2\\.40 was approved\\.\$" \
    "... and in its body"

stop_daemon
done_testing
