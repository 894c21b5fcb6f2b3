#!/bin/sh
# SPDX-License-Identifier: ISC
# disk_full.sh -- a full disk is named as such, not "Input/output error"
# (LMDB's word for the short write a full disk gives): the database on a
# 512 KB tmpfs (in a mount namespace of its own), an import too large for
# it fails with the message that says to free space, and the database
# still takes a small add afterwards.

. "$top_srcdir/tests/integration/lib.sh"
need_root "a tmpfs mount in a private mount namespace"
need_tool unshare
need_programs

mkdir "$work/small" || bail "cannot make $work/small"
DB="$work/small/db"
write_conf base.conf.in
awk 'BEGIN { for (i = 0; i < 100000; i++)
	printf "11.%d.%d.%d\n", int(i / 65536), int(i / 256) % 256, i % 256 }' \
    >"$work/big.txt"

# All in one namespace: the mount goes away with it.
unshare -m sh -c '
	mount -t tmpfs -o size=512k tmpfs "$1" || exit 99
	"$2" -c "$3" add black 192.0.2.1 >"$4/add1.out" 2>&1
	echo $? >"$4/add1.rc"
	"$2" -c "$3" import black "$4/big.txt" >"$4/imp.out" 2>&1
	echo $? >"$4/imp.rc"
	"$2" -c "$3" add black 192.0.2.2 >"$4/add2.out" 2>&1
	echo $? >"$4/add2.rc"
' sh "$work/small" "$RDNSBLCTL" "$CONF" "$work"
is "$?" 0 "the tmpfs is mounted in the namespace"
is "$(cat "$work/add1.rc")" 0 "an add onto the small disk works"
is "$(cat "$work/imp.rc")" 1 "an import larger than the disk fails"
like "$(cat "$work/imp.out")" \
    "$work/small/db/data\\.mdb: No space left on device \\(the disk that holds the database is full\\): free some" \
    "the import says the disk is full"
unlike "$(cat "$work/imp.out")" 'Input/output error' \
    "and not \"Input/output error\""
is "$(cat "$work/add2.rc")" 0 "a small add works again after it"
done_testing
