#!/bin/sh
# SPDX-License-Identifier: ISC
# feeds.sh -- rbldnsd feeds read as rbldnsd reads them: A values in
# 127.0.0.0/8, what the daemon answers for them, and the FILE:LINE
# messages of import.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_programs

write_conf base.conf.in

# A: the A answer of ADDR in bl.test, or its status (NXDOMAIN).
A()
{
	dig_answer "$(q "$(rev4 "$1").bl.test" A)"
}

# --- A values: 127.0.0.0/8 but 127.0.0.1 --------------------------------------

cat >"$work/codes.txt" <<'DATA'
192.0.2.1 :127.0.1.2:sub-list one
192.0.2.2 :127.255.255.254:odd code
192.0.2.3 :127.0.1.2:again
192.0.2.4 :9:usual
DATA
ctl import black "$work/codes.txt"
is "$CTL_RC" 0 "import of A values outside 127.0.0.2-127.0.0.254 exits 0"
like "$CTL_ERR" '^rdnsblctl: warning: .*codes\.txt:1: A value 127\.0\.1\.2 is outside 127\.0\.0\.2-127\.0\.0\.254' \
    "an unusual A value is a warning with FILE:LINE"
like "$CTL_ERR" 'codes\.txt:2: A value 127\.255\.255\.254 is outside' \
    "each unusual value is reported"
unlike "$CTL_ERR" 'codes\.txt:[34]:' \
    "a value already reported, or a usual one, is not reported again"

printf '%s\n' "192.0.2.9 :127.0.0.1:test point" "192.0.2.10 :10.0.0.2:x" \
    >"$work/badcodes.txt"
ctl import black "$work/badcodes.txt"
is "$CTL_RC" 1 "import of A value 127.0.0.1 or outside 127/8 exits 1"
like "$CTL_ERR" 'badcodes\.txt:1: A value 127\.0\.0\.1 not allowed' \
    "127.0.0.1 is refused with FILE:LINE"
like "$CTL_ERR" 'badcodes\.txt:2: A value 10\.0\.0\.2 out of range' \
    "an A value outside 127.0.0.0/8 is refused with FILE:LINE"

start_daemon
is "$(A 192.0.2.1)" 127.0.1.2 "the daemon answers the imported code 127.0.1.2"
is "$(A 192.0.2.2)" 127.255.255.254 \
    "the daemon answers the imported code 127.255.255.254"
is "$(A 192.0.2.4)" 127.0.0.9 "a usual code is answered as before"
is "$(A 192.0.2.9)" NXDOMAIN "nothing of the refused file was imported"
stop_daemon

done_testing
