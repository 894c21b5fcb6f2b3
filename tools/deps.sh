#!/bin/sh
# SPDX-License-Identifier: ISC
# Install the Debian packages rdnsbl needs, without their recommends.
#
#	sh tools/deps.sh		what building and running need
#	sh tools/deps.sh --test		that, and the tools of "make check"
#	sh tools/deps.sh --fuzz		that, and clang with libFuzzer
#					(tools/fuzz.sh); with --test, both
#	sh tools/deps.sh --bench	that, and the tools of bench/
#	sh tools/deps.sh --list [--test] [--fuzz] [--bench]	print the packages,
#					install nothing
#
# Does nothing when they are all present; uses sudo when not root. The
# test tools never replace the machine's mail server: Exim (for
# tests/integration/mta.sh) is installed only when apt would remove
# nothing for it, that is when no other MTA is installed; otherwise this
# says so, and mta.sh says why it cannot run.
set -e

# Building, and the commands of README.md while the daemon runs (dig,
# curl); libfstrm-dev, libprotobuf-c-dev and protobuf-c-compiler for the
# dnstap output (configure builds it when they are there).
run_pkgs="build-essential autoconf automake pkg-config libevent-dev
libldns-dev liblmdb-dev zlib1g-dev libssl-dev libfstrm-dev libprotobuf-c-dev
protobuf-c-compiler bind9-dnsutils curl"
# make check: lmdb-utils (mdb_stat), ldnsutils (ldns-testns, the fake
# resolver of the checks' tests), mandoc (the manual pages' lint), perl,
# iproute2 (the namespaces of mta.sh and readme.sh), rbldnsd (feeds.sh and
# rbldnsd_oracle.sh compare rdnsbld's answers with rbldnsd's), chromium
# and chromium-driver (http_browser.sh; fonts-liberation, a recommends of
# chromium, gives its screenshots text), nsd and knot (xfr.sh transfers
# zones to real secondaries), systemd (service.sh runs systemd-analyze
# verify on the unit, systemd-sysusers and systemd-tmpfiles on their
# files; none needs systemd as PID 1), debhelper, dpkg-dev, lintian and
# debootstrap (tools/debtest.sh builds the Debian package, lints it and
# installs it in a fresh Debian 12 root), rspamd (mta_rspamd.sh runs it in
# its namespace with doc/mta.md's rbl.conf; no service is started),
# fstrm-bin and dnstap-ldns (dnstap.sh collects the frames with
# fstrm_capture and reads them back).
test_pkgs="lmdb-utils ldnsutils mandoc perl iproute2 rbldnsd chromium
chromium-driver fonts-liberation nsd knot systemd debhelper dpkg-dev
lintian debootstrap rspamd fstrm-bin dnstap-ldns"
# tools/fuzz.sh: clang and its libFuzzer runtime (libclang-rt-14-dev, a
# recommends of clang that --no-install-recommends leaves out).
fuzz_pkgs="clang libclang-rt-14-dev"
# bench/: dnsperf (the load), rbldnsd (the reference), nsd (the
# secondary of bench/xfr.sh), time (GNU time: CPU and resident memory of
# a command) and perl.
bench_pkgs="dnsperf rbldnsd nsd time perl"
# The end-to-end test with a real MTA, installed only when it replaces none.
mta_pkg=exim4-daemon-light

list=0 test=0 fuzz=0 bench=0
for a in "$@"; do
	case $a in
	--list) list=1 ;;
	--test) test=1 ;;
	--fuzz) fuzz=1 ;;
	--bench) bench=1 ;;
	*)	echo "usage: sh tools/deps.sh [--list] [--test] [--fuzz]" \
		    "[--bench]" >&2
		exit 2 ;;
	esac
done
pkgs=$run_pkgs
[ $test = 1 ] && pkgs="$pkgs $test_pkgs"
[ $fuzz = 1 ] && pkgs="$pkgs $fuzz_pkgs"
[ $bench = 1 ] && pkgs="$pkgs $bench_pkgs"
if [ $list = 1 ]; then
	[ $test = 1 ] && pkgs="$pkgs $mta_pkg"
	echo $pkgs
	exit 0
fi

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null |
	    grep -q 'install ok installed'
}
missing=
for p in $pkgs; do
	installed "$p" || missing="$missing $p"
done
if [ "$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi
aptget() {
	DEBIAN_FRONTEND=noninteractive $sudo apt-get "$@"
}
updated=0
if [ -n "$missing" ]; then
	echo "installing:$missing"
	aptget update -q
	updated=1
	aptget install -y -q --no-install-recommends $missing
fi
if [ $test = 1 ] && ! installed $mta_pkg; then
	[ $updated = 1 ] || aptget update -q
	# apt-get -s: what installing it would do, as any user
	removes=$(apt-get -s install --no-install-recommends $mta_pkg |
	    sed -n 's/^Remv \([^ ]*\).*/\1/p' | tr '\n' ' ')
	if [ -n "$removes" ]; then
		echo "not installing $mta_pkg: apt would remove ${removes% }" \
		    "(this machine's mail server); tests/integration/mta.sh" \
		    "will say so and not run"
	else
		echo "installing: $mta_pkg"
		aptget install -y -q --no-install-recommends $mta_pkg
	fi
fi
# Postfix's postconf and postmap check the Postfix snippets of doc/mta.md
# (tests/integration/mta_postfix.sh). The postfix package conflicts with
# Exim's, so its binaries are unpacked here rather than installed, and
# the libraries it needs installed.
pfdir=/usr/local/lib/rdnsbl-test/postfix
if [ $test = 1 ] && [ ! -x "$pfdir/usr/sbin/postconf" ]; then
	[ $updated = 1 ] || aptget update -q
	updated=1
	echo "unpacking postfix into $pfdir"
	pflibs=$(apt-cache depends postfix |
	    awk '$1 == "Depends:" && $2 ~ /^lib/ { print $2 }')
	aptget install -y -q --no-install-recommends $pflibs
	pftmp=$(mktemp -d)
	(cd "$pftmp" && apt-get download postfix)
	$sudo mkdir -p "$pfdir"
	$sudo dpkg -x "$pftmp"/postfix_*.deb "$pfdir"
	rm -rf "$pftmp"
fi
exit 0
