#!/bin/sh
# SPDX-License-Identifier: ISC
# import_partial.sh -- an import leaves a trail: a record when it starts
# (with its first batch) and one when it ends, with the count. An import
# killed (SIGKILL) after its first batches shows as partial in
# rdnsblctl log, its committed entries stay, import --undo takes them
# back, and importing the file again finishes it.

. "$top_srcdir/tests/integration/lib.sh"
need_programs

N=600000	# six batches of 100000

awk -v n="$N" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "10.%d.%d.%d\n", int(i / 65536), int(i / 256) % 256,
		    i % 256
}' >"$work/big.txt"

write_conf base.conf.in

# A small import that ends: both records, with the count.
printf '192.0.2.1\n192.0.2.2\n' >"$work/small.txt"
ctl_ok "a small import works" import black "$work/small.txt"
ctl_ok "log works" log
like "$CTL_OUT" "import-start black [^ ]*small.txt \"started\"" \
    "log: the small import's start"
like "$CTL_OUT" "import black [^ ]*small.txt \"2 entries\"" \
    "log: the small import's end with its count"
unlike "$CTL_OUT" "partial" "log: a finished import is not partial"

# The big one, killed once its first batch is in.
"$RDNSBLCTL" -c "$CONF" import black "$work/big.txt" \
    >"$work/imp.out" 2>"$work/imp.err" &
IMP=$!
UPIDS="$UPIDS $IMP"
i=0
while [ $i -lt 600 ]; do
	"$RDNSBLCTL" -c "$CONF" log 2>/dev/null | grep -q 'big.txt' && break
	kill -0 "$IMP" 2>/dev/null || break
	sleep 0.05
	i=$((i + 1))
done
kill -KILL "$IMP" 2>/dev/null
wait "$IMP" 2>/dev/null
ctl_ok "list after the kill" list black
n=$(printf '%s\n' "$CTL_OUT" | grep -c '^black 10\.')
ok "part of the import was committed ($n of $N)" \
    test "$n" -gt 0 -a "$n" -lt $N
ctl_ok "log after the kill" log
like "$CTL_OUT" \
    "import-start black [^ ]*big.txt \"partial: started, no end recorded" \
    "log: the killed import shows as partial"
unlike "$CTL_OUT" "import black [^ ]*big.txt" "log: and has no end"

# Undo: --undo deletes what the file put, the partial part included.
ctl_ok "import --undo" import black "$work/big.txt" --undo
like "$CTL_OUT" "^deleted $n entries of .*big.txt from black\$" \
    "--undo deleted the $n committed entries"
ctl_ok "list after the undo" list black
is "$(printf '%s\n' "$CTL_OUT" | grep -c '^black 10\.')" 0 \
    "none of the file's entries is left"
like "$CTL_OUT" '^black 192\.0\.2\.1 ' "the other entries stay"
ctl_ok "log after the undo" log
like "$CTL_OUT" "import-undo black [^ ]*big.txt \"$n entries deleted\"" \
    "log: the undo, with its count"
ctl import black "$work/big.txt" --undo --replace
is "$CTL_RC" 2 "--undo with --replace is a usage error"

# Resume: the same import again finishes it.
ctl_ok "the import again" import black "$work/big.txt"
ctl_ok "list after the second import" list black
is "$(printf '%s\n' "$CTL_OUT" | grep -c '^black 10\.')" $N "every entry is in"
ctl_ok "log after the second import" log
like "$CTL_OUT" "import black [^ ]*big.txt \"$N entries\"" \
    "log: the second import ended, with its count"
done_testing
