#!/bin/sh
# SPDX-License-Identifier: ISC
# faults_disk.sh -- the database under faults of its storage: a full
# disk (a small tmpfs), a full map (map-size), a corrupted or truncated
# data.mdb, and a database directory that is not writable (a read-only
# bind mount, which holds for root too). Each gets an error that names
# the file and says what to do; nothing committed is lost; the running
# daemon goes on answering from what it has. Needs root (mount); CI runs
# it as root.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool perl
need_tool mount
need_root "mounts a small tmpfs and a read-only bind mount"
need_programs

# Mounts come off before lib_cleanup removes the work directory.
MOUNTS=
fd_cleanup()
{
	for m in $MOUNTS; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	lib_cleanup
}
trap fd_cleanup EXIT

A()
{
	dig_answer "$(q "$(rev4 "$1").bl.test" A)"
}

LONG=$(printf '%0900d' 0 | tr 0 x)

# --- a full disk ---------------------------------------------------------------

mnt="$work/small"
mkdir -p "$mnt" || bail "mkdir $mnt"
mount -t tmpfs -o size=600k tmpfs "$mnt" || bail "cannot mount a tmpfs"
MOUNTS="$mnt"
DB="$mnt/db"
write_conf base.conf.in
ctl_must add black 192.0.2.1
start_daemon
n=0 err=
while [ $n -lt 3000 ]; do
	if ! ctl add black "10.66.$((n / 256)).$((n % 256))" --reason "$LONG"
	then
		err=$CTL_ERR
		break
	fi
	n=$((n + 1))
done
diag "the disk was full after $n adds"
is "$CTL_RC" 1 "full disk: rdnsblctl add fails with exit 1"
ok "full disk: some adds went in first" [ "$n" -gt 10 ]
like "$err" 'No space left on device' \
    "full disk: the error says the disk is full"
like "$err" "$mnt/db/data\\.mdb" "full disk: the error names the database"
ctl list black
is "$(printf '%s\n' "$CTL_OUT" | grep -c '^black ')" "$((n + 1))" \
    "full disk: every add reported done is there, the failed one not"
last="10.66.$(((n - 1) / 256)).$(((n - 1) % 256))"
is "$(A 192.0.2.1)/$(A 10.66.0.0)/$(A "$last")" \
    "127.0.0.2/127.0.0.2/127.0.0.2" \
    "full disk: the daemon answers the first, the early and the last entry"
is "$(A "10.66.$((n / 256)).$((n % 256))")" NXDOMAIN \
    "full disk: the failed add is not answered"
mount -o remount,size=64m "$mnt" || bail "cannot grow the tmpfs"
ctl_ok "space again: rdnsblctl add works" add black 192.0.2.99
is "$(A 192.0.2.99)" 127.0.0.2 "space again: the daemon answers the new entry"
stop_daemon

# --- a full map -------------------------------------------------------------------

DB="$work/mapdb"
write_conf base.conf.in
sed "s|^	database: .*|&\\
	map-size: 1m|" "$CONF" >"$CONF.new" && mv "$CONF.new" "$CONF"
ctl_must add black 192.0.2.1
start_daemon
awk -v t="$LONG" 'BEGIN { for (i = 0; i < 3000; i++)
	printf "10.55.%d.%d %s\n", int(i / 256), i % 256, t }' >"$work/fill.txt"
ctl import black "$work/fill.txt"
is "$CTL_RC" 1 "full map: an import larger than the map fails"
like "$CTL_ERR" "database full: $DB/data\\.mdb has reached map-size \\(now 1 MB\\): raise map-size:" \
    "full map: the error names the file, the key and what to do"
ctl list black
is "$CTL_OUT" "$(printf '%s\n' "$CTL_OUT" | grep ' 192\.0\.2\.1 ')" \
    "full map: the failed import left nothing, the entry before it is there"
is "$(A 192.0.2.1)/$(A 10.55.0.1)" 127.0.0.2/NXDOMAIN \
    "full map: the daemon answers what is committed"
n=0
while [ $n -lt 3000 ]; do
	ctl add black "10.44.$((n / 256)).$((n % 256))" --reason "$LONG" ||
	    break
	n=$((n + 1))
done
diag "the map was full after $n adds"
like "$CTL_ERR" "raise map-size" "full map: adds one by one end in the same error"
is "$(A 10.44.0.0)/$(A "10.44.$(((n - 1) / 256)).$(((n - 1) % 256))")" \
    127.0.0.2/127.0.0.2 "full map: the daemon answers the adds reported done"
sed 's|map-size: 1m|map-size: 64m|' "$CONF" >"$CONF.new" && mv "$CONF.new" "$CONF"
ctl_ok "map-size raised: rdnsblctl add works" add black 192.0.2.98
is "$(A 192.0.2.98)" 127.0.0.2 \
    "map-size raised: the running daemon answers the new entry"
stop_daemon

# --- a directory that is not writable -------------------------------------------

DB="$work/rodb"
write_conf base.conf.in
ctl_must add black 192.0.2.1
start_daemon
# read-only for everyone, root included; the daemon's open files stay
mount --bind "$DB" "$DB" && MOUNTS="$DB $MOUNTS" &&
    mount -o remount,bind,ro "$DB" || bail "cannot make $DB read-only"
ctl add black 192.0.2.2
is "$CTL_RC" 1 "read-only directory: rdnsblctl add fails"
like "$CTL_ERR" "$DB" "read-only directory: the error names the database"
like "$CTL_ERR" "Read-only file system" \
    "read-only directory: the error says why"
is "$(A 192.0.2.1)/$(A 192.0.2.2)" 127.0.0.2/NXDOMAIN \
    "read-only directory: the daemon goes on answering what it has"
kill -TERM "$PID"
wait "$PID"
PID=
"$RDNSBLD" -c "$CONF" >"$work/ro.log" 2>&1
is "$?" 1 "read-only directory: rdnsbld refuses to start"
like "$(cat "$work/ro.log")" "error: store: .*$DB.*Read-only file system" \
    "read-only directory: rdnsbld says which database and why"
umount "$DB" && MOUNTS="$mnt"
ctl_ok "writable again: rdnsblctl add works" add black 192.0.2.2
start_daemon
is "$(A 192.0.2.2)" 127.0.0.2 "writable again: the daemon answers the entry"
stop_daemon

# --- a corrupted data.mdb ------------------------------------------------------

DB="$work/baddb"
write_conf base.conf.in
awk 'BEGIN { for (i = 0; i < 5000; i++)
	printf "10.33.%d.%d\n", int(i / 256), i % 256 }' >"$work/some.txt"
ctl_must import black "$work/some.txt"
ctl_must export black
printf '%s\n' "$CTL_OUT" >"$work/export.txt"
cp "$DB/data.mdb" "$work/good.mdb"
# garbage over 64 bytes of every page after the two meta pages
perl -e '
	open(my $f, "+<", $ARGV[0]) or die "$ARGV[0]: $!\n";
	my $size = -s $f;
	srand(14);
	for (my $off = 8192; $off < $size; $off += 4096) {
		seek($f, $off + 16, 0);
		print $f join("", map { chr(int(rand(256))) } 1 .. 64);
	}
	close($f);' "$DB/data.mdb"
for cmd in "list black" "add black 192.0.2.7" "export black"; do
	ctl $cmd
	is "$CTL_RC" 1 "corrupt data.mdb: rdnsblctl $cmd fails with exit 1 (no crash)"
	like "$CTL_ERR" "$DB/data\\.mdb is corrupt .*: restore the database from a backup" \
	    "corrupt data.mdb: rdnsblctl $cmd names the file and what to do"
done
"$RDNSBLD" -c "$CONF" >"$work/bad.log" 2>&1
is "$?" 1 "corrupt data.mdb: rdnsbld refuses to start (no crash)"
like "$(cat "$work/bad.log")" "error: store: $DB/data\\.mdb is corrupt" \
    "corrupt data.mdb: rdnsbld names the file"
# truncated (a copy cut short): the same
cp "$work/good.mdb" "$DB/data.mdb"
truncate -s 16384 "$DB/data.mdb"
ctl list black
like "$CTL_ERR" "$DB/data\\.mdb is corrupt" \
    "truncated data.mdb: rdnsblctl names the file (exit $CTL_RC)"
# what the message says to do: the export imported into a new database
mv "$DB" "$DB.corrupt" && mkdir -m 2770 "$DB" || bail "cannot move $DB"
ctl_ok "recovery: import of the export into a new database" \
    import black "$work/export.txt"
ctl_must list black
is "$(printf '%s\n' "$CTL_OUT" | grep -c '^black ')" 5000 \
    "recovery: every committed entry is back"
start_daemon
is "$(A 10.33.0.1)/$(A 10.33.19.135)" 127.0.0.2/127.0.0.2 \
    "recovery: the daemon answers them"
stop_daemon

done_testing
