#!/bin/sh
# SPDX-License-Identifier: ISC
# Install the Debian packages rdnsbl needs to build, run and test.
# Does nothing when they are all present; uses sudo when not root.
set -e
# exim4-daemon-light and iproute2: the end-to-end test with a real MTA
# (tests/integration/mta.sh) runs Exim in a network namespace. rbldnsd:
# feeds.sh and rbldnsd_oracle.sh compare rdnsbld's answers with rbldnsd's
# for the same data. systemd: service.sh runs systemd-analyze verify on
# the unit, systemd-sysusers and systemd-tmpfiles on their files (none
# needs systemd as PID 1).
pkgs="build-essential autoconf automake pkg-config libevent-dev libldns-dev
liblmdb-dev zlib1g-dev lmdb-utils bind9-dnsutils ldnsutils mandoc perl curl
chromium chromium-driver exim4-daemon-light iproute2 rbldnsd systemd"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
