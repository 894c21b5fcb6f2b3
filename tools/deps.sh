#!/bin/sh
# SPDX-License-Identifier: ISC
# Install the Debian packages rdnsbl needs to build, run and test.
# Does nothing when they are all present; uses sudo when not root.
set -e
# exim4-daemon-light and iproute2: the end-to-end test with a real MTA
# (tests/integration/mta.sh) runs Exim in a network namespace. rbldnsd:
# feeds.sh and rbldnsd_oracle.sh compare rdnsbld's answers with rbldnsd's
# for the same data. nsd, knot: xfr.sh transfers zones to real
# secondaries.
pkgs="build-essential autoconf automake pkg-config libevent-dev libldns-dev
liblmdb-dev zlib1g-dev lmdb-utils bind9-dnsutils ldnsutils mandoc perl curl
chromium chromium-driver exim4-daemon-light iproute2 rbldnsd nsd knot"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
# Postfix's postconf and postmap check the Postfix snippets of doc/mta.md
# (tests/integration/mta_postfix.sh). The postfix package conflicts with
# Exim's, so its binaries are unpacked here rather than installed, and
# the libraries it needs installed.
pfdir=/usr/local/lib/rdnsbl-test/postfix
[ -z "$missing" ] && [ -x "$pfdir/usr/sbin/postconf" ] && exit 0
if [ "$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi
$sudo apt-get update -q
if [ -n "$missing" ]; then
	echo "installing:$missing"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
fi
if [ ! -x "$pfdir/usr/sbin/postconf" ]; then
	echo "unpacking postfix into $pfdir"
	pflibs=$(apt-cache depends postfix |
	    awk '$1 == "Depends:" && $2 ~ /^lib/ { print $2 }')
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
	    --no-install-recommends $pflibs
	pftmp=$(mktemp -d)
	(cd "$pftmp" && apt-get download postfix)
	$sudo mkdir -p "$pfdir"
	$sudo dpkg -x "$pftmp"/postfix_*.deb "$pfdir"
	rm -rf "$pftmp"
fi
