#!/bin/sh
# SPDX-License-Identifier: ISC
# deps.sh -- tools/deps.sh: the run command ("sh tools/deps.sh") installs
# what building and running need and nothing that starts a service or
# replaces the mail server: no MTA, no browser, no recommends, checked on
# the list and on its whole dependency closure as apt resolves it; the
# test command ("--test") adds the test tools ("--bench" those of the
# benchmarks), and skips Exim, saying why,
# when apt would remove another MTA for it (tried with a stand-in apt-get
# on PATH that answers as on a machine running Postfix, so nothing is
# installed).

. "$top_srcdir/tests/integration/lib.sh"
need_tool apt-cache
DEPS="$top_srcdir/tools/deps.sh"

run=$(sh "$DEPS" --list) || bail "tools/deps.sh --list failed"
all=$(sh "$DEPS" --list --test) || bail "tools/deps.sh --list --test failed"
like "$run" 'libevent-dev' "the run list holds the build dependencies"
like "$all" 'chromium' "the test list holds the browser"
like "$all" 'exim4-daemon-light' "the test list holds the MTA of mta.sh"
bench=$(sh "$DEPS" --list --bench) || bail "tools/deps.sh --list --bench failed"
for t in dnsperf rbldnsd nsd time; do
	like " $bench " " $t " "the bench list holds $t (bench/)"
done
bad='exim|postfix|chromium|avahi|cups|mail-transport-agent|default-mta'
unlike "$(printf '%s\n' $run)" "$bad" \
    "the run list names no MTA, browser, mDNS or printing package"

# The closure: every package a plain install of the run list could bring,
# with any alternative, recommends not followed (deps.sh never installs
# them, checked below).
closure()
{
	apt-cache depends --recurse --no-recommends --no-suggests \
	    --no-conflicts --no-breaks --no-replaces --no-enhances "$@" |
	    grep -v '^ ' | sort -u
}
crun=$(closure $run)
call=$(closure $all)
n=$(printf '%s\n' "$crun" | grep -c .)
if [ "$n" -gt 50 ]; then
	pass "the run list's dependency closure is known to apt ($n packages)"
else
	fail "the run list's dependency closure is known to apt" \
	    "got $n packages: run apt-get update" "$crun"
fi
unlike "$crun" "$bad" \
    "...and holds no MTA (so Postfix stays), no browser, no avahi or cups"
like "$call" '^exim4-daemon-light$' \
    "the test list's closure does hold Exim (the check above can fail)"
like "$call" '^libavahi' "... and avahi's libraries, through chromium"

# Every install deps.sh runs is without the recommends.
n=$(grep -c 'install -y' "$DEPS")
m=$(grep -c 'install -y -q --no-install-recommends' "$DEPS")
if [ "$n" -ge 2 ] && [ "$n" = "$m" ]; then
	pass "each of the $n apt-get install lines has --no-install-recommends"
else
	fail "each apt-get install line has --no-install-recommends" \
	    "$n install lines, $m with it"
fi

# A machine whose MTA is Postfix: stand-ins for the commands deps.sh runs.
mkdir "$work/bin"
cat >"$work/bin/dpkg-query" <<'EOF'
#!/bin/sh
# everything is installed but the MTA of the tests
for a; do last=$a; done
[ "$last" = exim4-daemon-light ] && exit 1
echo 'install ok installed'
EOF
cat >"$work/bin/apt-get" <<EOF
#!/bin/sh
echo "apt-get \$*" >>"$work/apt.log"
case "\$*" in
-s\ install*)
	echo "Remv postfix [3.7.11-0+deb12u1]"
	echo "Inst exim4-base (4.96-15+deb12u11 Debian:12.12/oldstable [amd64])"
	echo "Inst exim4-daemon-light (4.96-15+deb12u11 Debian:12.12/oldstable [amd64])"
	;;
esac
exit 0
EOF
cat >"$work/bin/id" <<'EOF'
#!/bin/sh
echo 0
EOF
chmod +x "$work/bin"/*
o=$(PATH="$work/bin:$PATH" sh "$DEPS" --test 2>&1)
rc=$?
is "$rc" 0 "deps.sh --test on a Postfix machine: exit 0"
like "$o" 'not installing exim4-daemon-light: apt would remove postfix \(this machine.s mail server\).*mta\.sh' \
    "... says it does not install Exim, and why"
log=$(cat "$work/apt.log" 2>/dev/null)
like "$log" '^apt-get -s install --no-install-recommends exim4-daemon-light$' \
    "... after asking apt what installing Exim would do"
unlike "$log" '^apt-get install' "... and installs nothing"

# The same machine without an MTA: Exim is installed, without recommends.
sed -i '/Remv postfix/d' "$work/bin/apt-get"
: >"$work/apt.log"
o=$(PATH="$work/bin:$PATH" sh "$DEPS" --test 2>&1)
log=$(cat "$work/apt.log")
like "$log" '^apt-get install -y -q --no-install-recommends exim4-daemon-light$' \
    "no MTA installed: deps.sh --test installs Exim, without recommends"
: >"$work/apt.log"
o=$(PATH="$work/bin:$PATH" sh "$DEPS" 2>&1)
is "$(cat "$work/apt.log")" "" \
    "the run command (no --test) does not look at Exim at all"

done_testing
