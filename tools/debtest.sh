#!/bin/sh
# SPDX-License-Identifier: ISC
# debtest.sh -- build the Debian package, check it with lintian, and
# install, run, upgrade, remove and purge it in a fresh Debian 12 root.
#
#	sh tools/debtest.sh [--keep]
#
# Needs root (debootstrap, chroot, mount), dpkg-buildpackage, debhelper,
# lintian, debootstrap and dig (sh tools/deps.sh --test installs them).
# The root is made with debootstrap (variant minbase, the package's
# dependencies included) from the mirror of DEBTEST_MIRROR, by default
# http://deb.debian.org/debian; its tarball is kept in
# /var/cache/rdnsbl-debtest (DEBTEST_CACHE), so later runs download
# nothing. The daemon runs in that root as the installed unit starts it:
# the unit's ExecStartPre= and ExecStart= command lines, run by chroot
# as root with the unit's UMask= and RuntimeDirectory=, on a free
# loopback port that the test writes into /etc/rdnsbl/rdnsbld.conf as
# an administrator would. systemd is not PID 1 there, so the
# maintainer scripts enable the unit without starting it, as in any
# chroot (doc/packaging.md). --keep leaves the work directory.
#
# Prints one "ok"/"not ok" line a check (TAP), then "debtest: PASS" or
# "debtest: FAIL", and exits 0 only when every check passed.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
mirror=${DEBTEST_MIRROR:-http://deb.debian.org/debian}
cache=${DEBTEST_CACHE:-/var/cache/rdnsbl-debtest}
suite=bookworm
keep=0
for a in "$@"; do
	case $a in
	--keep)	keep=1 ;;
	*)	echo "usage: sh tools/debtest.sh [--keep]" >&2; exit 2 ;;
	esac
done

n=0 failed=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	shift
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
}
# is GOT WANT NAME
is() {
	if [ "$1" = "$2" ]; then pass "$3"; else
		fail "$3" "got:  $1" "want: $2"; fi
}
# ok NAME COMMAND...: the command succeeds
ok() {
	t=$1; shift
	if o=$("$@" 2>&1); then pass "$t"; else fail "$t" "$*:" "$o"; fi
}
finish() {
	if [ $failed -eq 0 ] && [ $n -gt 0 ]; then
		echo "debtest: PASS ($n checks)"
		exit 0
	fi
	echo "debtest: FAIL ($failed of $n checks failed)"
	exit 1
}
# bail WHY...: a step the rest depends on failed
bail() {
	fail "$@"
	finish
}

[ "$(id -u)" = 0 ] || { echo "debtest: needs root (debootstrap, chroot)" >&2; exit 1; }
for t in dpkg-buildpackage dh lintian debootstrap dig; do
	command -v $t >/dev/null 2>&1 ||
	    { echo "debtest: $t is missing: run sh tools/deps.sh --test" >&2; exit 1; }
done

work=$(mktemp -d /var/tmp/rdnsbl-debtest.XXXXXX) || exit 1
root=$work/root
DPID=
cleanup() {
	[ -n "$DPID" ] && kill -TERM "$DPID" 2>/dev/null
	mountpoint -q "$root/proc" 2>/dev/null && umount "$root/proc"
	if [ $keep = 1 ]; then
		echo "# work directory kept: $work"
	elif ! mountpoint -q "$root/proc" 2>/dev/null; then
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- the package -------------------------------------------------------------
# Built from a copy of the tree (what git tracks, and new files it does
# not ignore), so the tree itself gets no build products.
mkdir "$work/src"
if [ -e "$top/.git" ]; then
	(cd "$top" && git ls-files -co --exclude-standard -z |
	    xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$work/src"
else
	(cd "$top" && tar -cf - .) | tar -xf - -C "$work/src"
fi
# the unit tests are left to CI's other runs (DEB_BUILD_OPTIONS=nocheck)
if (cd "$work/src" && DEB_BUILD_OPTIONS=nocheck \
    dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1); then
	pass "dpkg-buildpackage -us -uc -b builds the package"
else
	bail "dpkg-buildpackage -us -uc -b builds the package" \
	    "$(tail -30 "$work/build.log")"
fi
deb=$(ls "$work"/rdnsbl_*_*.deb 2>/dev/null | head -1)
[ -f "$deb" ] || bail "the build made rdnsbl_VERSION_ARCH.deb" "$(ls "$work")"
version=$(dpkg-deb -f "$deb" Version)
o=$(lintian --fail-on error "$work"/rdnsbl_*.changes 2>&1)
if [ $? -eq 0 ]; then
	pass "lintian --fail-on error: no error"
else
	fail "lintian --fail-on error: no error" "$o"
fi
printf '%s\n' "$o" | grep -v 'root privileges' | sed 's/^/# lintian: /'

# --- a fresh Debian 12 root --------------------------------------------------
# The package's dependencies, the first of each alternative, go into the
# root with it; the tarball's name follows them.
incl=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
    sed -e 's/|.*//' -e 's/(.*)//' -e 's/ //g' | grep . | sort -u |
    paste -sd, -)
tgz=$cache/$suite-minbase-$(printf '%s' "$incl" | md5sum | cut -c1-12).tgz
mkdir -p "$cache"
if [ ! -f "$tgz" ]; then
	echo "# debootstrap: downloading $suite with $incl into $tgz"
	if debootstrap --variant=minbase --include="$incl" \
	    --make-tarball="$tgz.part" "$suite" "$work/dl" "$mirror" \
	    >"$work/debootstrap.log" 2>&1; then
		mv "$tgz.part" "$tgz"
	else
		rm -f "$tgz.part"
		bail "debootstrap downloads $suite from $mirror" \
		    "$(tail -20 "$work/debootstrap.log")"
	fi
	rm -rf "$work/dl"
fi
if debootstrap --variant=minbase --include="$incl" --unpack-tarball="$tgz" \
    "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1; then
	pass "debootstrap makes a fresh $suite root (from $tgz)"
else
	bail "debootstrap makes a fresh $suite root (from $tgz)" \
	    "$(tail -20 "$work/debootstrap.log")"
fi
is "$(cut -d. -f1 "$root/etc/debian_version")" 12 "the root is Debian 12"
mount -t proc proc "$root/proc" || bail "mount /proc in the root"
in_root() { chroot "$root" "$@"; }

# state: the package's status in the root
state() { in_root dpkg-query -W -f='${Status} ${Version}' rdnsbl 2>/dev/null; }

cp "$deb" "$root/tmp/" || bail "copy the package into the root"
rdeb=/tmp/${deb##*/}
# dpkg_install DEB NAME: dpkg -i, and the package is then configured
dpkg_install() {
	if o=$(in_root dpkg -i "$1" 2>&1); then
		pass "$2"
	else
		fail "$2" "$o"
	fi
}
dpkg_install "$rdeb" "dpkg -i installs $version into the fresh root"
is "$(state)" "install ok installed $version" "the package is installed and configured"

# --- what the maintainer scripts did -----------------------------------------
sysusers=$(grep -v '^#' "$top/dist/rdnsbl.sysusers.in" |
    sed 's|@localstatedir@|/var|g')
# u NAME ID "GECOS" HOME SHELL: the last two fields
home=$(printf '%s\n' "$sysusers" | awk '{ print $(NF - 1) }')
shell=$(printf '%s\n' "$sysusers" | awk '{ print $NF }')
pw=$(grep '^rdnsbl:' "$root/etc/passwd")
like() { if printf '%s\n' "$1" | grep -Eq "$2"; then pass "$3"; else
	fail "$3" "got:  $1" "want: /$2/"; fi; }
like "$pw" "^rdnsbl:x:[0-9]+:[0-9]+:rdnsbl DNSBL server:$home:$shell\$" \
    "the system user rdnsbl, as dist/rdnsbl.sysusers.in says"
uid=$(printf '%s' "$pw" | cut -d: -f3)
gid=$(printf '%s' "$pw" | cut -d: -f4)
[ -n "$uid" ] && [ "$uid" -lt 1000 ] && [ "$uid" -gt 0 ] &&
    pass "rdnsbl is a system user (uid $uid)" ||
    fail "rdnsbl is a system user" "uid: $uid"
like "$(grep '^rdnsbl:' "$root/etc/group")" "^rdnsbl:x:$gid:" "and its group rdnsbl"
# numeric: the names are the root's, not this machine's
is "$(stat -c '%a %u %g' "$root/var/lib/rdnsbl" 2>&1)" "2770 $uid $gid" \
    "/var/lib/rdnsbl: 2770 rdnsbl:rdnsbl, as dist/rdnsbl.tmpfiles.in says"
unit=$root/lib/systemd/system/rdnsbld.service
is "$(readlink "$root/etc/systemd/system/multi-user.target.wants/rdnsbld.service")" \
    /lib/systemd/system/rdnsbld.service "the unit is enabled (multi-user.target)"
ok "the configuration is the sample: /etc/rdnsbl/rdnsbld.conf" \
    cmp "$root/etc/rdnsbl/rdnsbld.conf" "$work/src/debian/rdnsbl/etc/rdnsbl/rdnsbld.conf"
o=$(in_root rdnsbld -n 2>&1)
is "$?:$o" "0:/etc/rdnsbl/rdnsbld.conf: configuration ok" \
    "rdnsbld -n: the installed configuration is valid"

# --- the daemon as the unit starts it ----------------------------------------
# unitval KEY: the value of KEY= in the installed unit
unitval() { sed -n "s/^$1=//p" "$unit" | head -1; }
pre=$(unitval ExecStartPre)
start=$(unitval ExecStart)
pidfile=$(unitval PIDFile)
rundir=/run/$(unitval RuntimeDirectory)
umask=$(unitval UMask)
[ -n "$start" ] && [ -n "$pidfile" ] && [ -n "$pre" ] ||
    bail "the unit has ExecStartPre=, ExecStart= and PIDFile=" "$(cat "$unit")"
is "$(unitval User)" "" "the unit starts rdnsbld as root (it drops to rdnsbl itself)"

# A free loopback port, written into the configuration as an
# administrator would (the sample listens on port 53).
while :; do
	PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000))
	ss -Htuan 2>/dev/null | awk '{ print $5 }' | grep -Eq "[:.]$PORT\$" ||
	    break
done
printf '\n# debtest: a free port\nserver:\n\tlisten: 127.0.0.1@%s\n' "$PORT" \
    >>"$root/etc/rdnsbl/rdnsbld.conf"

# start_unit NAME: ExecStartPre=, then ExecStart=, as systemd would
start_unit() {
	mkdir -p "$root$rundir"
	o=$(in_root sh -c "umask ${umask:-0022} && $pre && exec $start" 2>&1)
	if [ $? -ne 0 ]; then
		bail "$1: $pre; $start" "$o"
	fi
	DPID=$(cat "$root$pidfile" 2>/dev/null)
	case $DPID in
	''|*[!0-9]*) bail "$1: $start writes $pidfile" "$o" ;;
	esac
	pass "$1: $start exits 0 with the daemon in the background"
}
stop_unit() {
	kill -TERM "$DPID"
	i=0
	while kill -0 "$DPID" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ $i -lt 50 ]; then pass "$1: SIGTERM stops it"; DPID=; else
		fail "$1: SIGTERM stops it"; fi
}
q() { dig +tries=2 +time=2 @127.0.0.1 -p "$PORT" "$@"; }
status() { q "$@" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p'; }

start_unit "install"
is "$(readlink "/proc/$DPID/root")" "$root" "the daemon runs in the root"
ids=$(awk '/^(Uid|Gid):/ { print $1, $2, $3, $4, $5 }' "/proc/$DPID/status")
is "$ids" "Uid: $uid $uid $uid $uid
Gid: $gid $gid $gid $gid" "it runs as rdnsbl: every user and group ID"
is "$(awk '/^Groups:/ { print $2 }' "/proc/$DPID/status")" "" \
    "with no supplementary group"
is "$(q +short 2.0.0.127.bl.example.net A)" 127.0.0.2 \
    "it answers: 2.0.0.127.bl.example.net A 127.0.0.2 (RFC 5782 test point)"
is "$(status 1.0.0.127.bl.example.net A)" NXDOMAIN \
    "1.0.0.127.bl.example.net: NXDOMAIN"
is "$(status 7.2.0.192.bl.example.net A)" NXDOMAIN \
    "192.0.2.7 is not listed yet"
o=$(in_root rdnsblctl add black 192.0.2.7 --reason "debtest" 2>&1)
is "$o" "added black 192.0.2.7" "rdnsblctl add black 192.0.2.7 in the root"
is "$(q +short 7.2.0.192.bl.example.net A)" 127.0.0.2 \
    "the daemon answers the new entry at once"
ok "the database is in /var/lib/rdnsbl" test -s "$root/var/lib/rdnsbl/data.mdb"
is "$(stat -c '%a %g' "$root/var/lib/rdnsbl/data.mdb" "$root/var/lib/rdnsbl/lock.mdb")" \
    "660 $gid
660 $gid" "data.mdb and lock.mdb: 0660, the group rdnsbl"
stop_unit "install"

# --- reinstall and upgrade keep the database and the edited configuration ----
dpkg_install "$rdeb" "dpkg -i of the same version again (reinstall)"
# the upgrade: the same package as a later version
up=$version+debtest1
dpkg-deb -R "$deb" "$work/up" &&
    sed -i "s/^Version: .*/Version: $up/" "$work/up/DEBIAN/control" &&
    dpkg-deb -b "$work/up" "$root/tmp/rdnsbl_up.deb" >/dev/null ||
    bail "make a later version $up of the package"
dpkg_install /tmp/rdnsbl_up.deb "dpkg -i upgrades $version to $up"
is "$(state)" "install ok installed $up" "the later version is installed"
like "$(cat "$root/etc/rdnsbl/rdnsbld.conf")" "^	listen: 127\\.0\\.0\\.1@$PORT\$" \
    "the upgrade keeps the edited configuration"
start_unit "upgrade"
is "$(q +short 7.2.0.192.bl.example.net A)" 127.0.0.2 \
    "after the upgrade, 192.0.2.7 is still listed"
is "$(in_root rdnsblctl list black 2>&1 | grep -c '192\.0\.2\.7')" 1 \
    "rdnsblctl list black shows it once"
stop_unit "upgrade"

# --- remove keeps the database; a new install finds it -----------------------
ok "dpkg -r rdnsbl" in_root dpkg -r rdnsbl
is "$(state)" "deinstall ok config-files $up" "removed, its configuration files kept"
ok "rdnsbld is gone" test ! -e "$root/usr/sbin/rdnsbld"
ok "removal keeps /var/lib/rdnsbl/data.mdb" test -s "$root/var/lib/rdnsbl/data.mdb"
dpkg_install /tmp/rdnsbl_up.deb "dpkg -i after the removal"
start_unit "reinstall"
is "$(q +short 7.2.0.192.bl.example.net A)" 127.0.0.2 \
    "after removal and a new install, 192.0.2.7 is still listed"
stop_unit "reinstall"

# --- purge deletes it --------------------------------------------------------
ok "dpkg -P rdnsbl" in_root dpkg -P rdnsbl
is "$(state)" "" "purged: dpkg knows the package no more"
ok "purge deletes /var/lib/rdnsbl" test ! -e "$root/var/lib/rdnsbl"
ok "purge deletes /etc/rdnsbl" test ! -e "$root/etc/rdnsbl"
ok "purge removes the unit's enable link" \
    test ! -e "$root/etc/systemd/system/multi-user.target.wants/rdnsbld.service"

finish
