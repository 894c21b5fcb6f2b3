#!/bin/sh
# SPDX-License-Identifier: ISC
# readme.sh -- README.md to the letter: its commands, as extracted from it
# (readme.pl), run in order against the built tree, each output compared
# with the one the README shows, so that the two cannot drift apart.
#
# The "Run it" command is checked to be the build steps this build went
# through (its packages installed, as deps.sh would leave them) followed
# by "src/rdnsbld -c zones/example.conf", which runs verbatim in a fresh
# copy of the tree's run-time files (zones/, an empty var/, src/ with the
# built programs). Each "$ " line of the README runs in that tree with sh;
# each configuration block is applied to zones/example.conf as the prose
# around it asks (readme.pl apply), and the daemon reloaded with SIGHUP.
# A command-like line that is not "$ "-prefixed is a failure.
#
# The README's ports are fixed (5353, 8053), and its computed checks use
# the resolver of /etc/resolv.conf: the test re-executes itself in a
# network and mount namespace of its own (root only, like mta.sh), where
# those ports are free and a resolv.conf of its own points at a fake
# internet (ldns-testns on 127.0.0.1 port 53) that answers as the real
# one does for the README's example names.

if [ -z "$RDNSBL_NETNS" ]; then
	. "$top_srcdir/tests/integration/netns.sh"
	netns_enter "$0" "$(netns_why ip perl dig curl ldns-testns)"
fi

. "$top_srcdir/tests/integration/lib.sh"
need_programs
README="$top_srcdir/README.md"
RPL="$top_srcdir/tests/integration/readme.pl"

# --- the namespace: loopback, and the fake internet as its resolver ---------
ip link set lo up || bail "ip link set lo up failed"
echo "nameserver 127.0.0.1" >"$work/resolv.conf"
mount --bind "$work/resolv.conf" /etc/resolv.conf ||
    bail "cannot bind-mount a resolv.conf in the mount namespace"

# The README's client address 198.51.100.13: a PTR name of a dynamic
# (S25R rule 1) shape that resolves back to it.
: >"$TNS"
tns_ptr 198.51.100.13 198-51-100-13.dsl.example.org
tns_addr 198-51-100-13.dsl.example.org 198.51.100.13
upstream_prepare "$TNS"
# Anything else: NXDOMAIN, as the real DNS answers for the documentation
# ranges and for mx1.example.net (last: the first entry that matches wins).
cat >>"$UFILE" <<'EOF'
ENTRY_BEGIN
MATCH opcode
ADJUST copy_id copy_query
REPLY QR RD RA NXDOMAIN
SECTION QUESTION
nowhere.test. IN A
SECTION AUTHORITY
test. 300 IN SOA ns.upstream.test. hostmaster.upstream.test. 1 3600 600 86400 300
ENTRY_END
EOF
ldns-testns -v -p 53 "$UFILE" >"$ULOG" 2>&1 &
UPID=$!
UPIDS="$UPIDS $UPID"
i=0
until upstream_answers 53; do
	i=$((i + 1))
	[ $i -lt 50 ] && kill -0 "$UPID" 2>/dev/null ||
	    { sed 's/^/# upstream: /' "$ULOG"; bail "ldns-testns did not start"; }
	sleep 0.2
done

# --- the tree: what the run command's last part reads ------------------------
tree="$work/tree"
mkdir -p "$tree/src" || bail "mkdir $tree/src"
cp -R "$top_srcdir/zones" "$tree/" || bail "cannot copy zones/"
chmod -R u+w "$tree/zones"
[ -d "$top_srcdir/var" ] && mkdir "$tree/var"
ln -s "$RDNSBLD" "$tree/src/rdnsbld"
ln -s "$RDNSBLCTL" "$tree/src/rdnsblctl"
DLOG="$work/log"	# stop_daemon checks it

# daemon_ready: the example zones answer on the README's port.
daemon_ready()
{
	dr_i=0
	while [ $dr_i -lt 50 ]; do
		kill -0 "$PID" 2>/dev/null || return 1
		dig @127.0.0.1 -p 5353 +tries=1 +time=1 2.0.0.127.bl.example.net \
		    A 2>/dev/null | grep -q 'status: NOERROR' && return 0
		sleep 0.2
		dr_i=$((dr_i + 1))
	done
	return 1
}

# run_cmd: run the pending "$ " command in the tree, compare its output.
CMD=
WANT="$work/want"
GOT="$work/got"
NCMD=0
run_cmd()
{
	[ -n "$CMD" ] || return 0
	NCMD=$((NCMD + 1))
	(cd "$tree" && sh -c "$CMD") </dev/null >"$GOT" 2>&1
	if d=$(perl "$RPL" match "$WANT" "$GOT"); then
		pass "README: $CMD"
	else
		fail "README: $CMD" "$d"
	fi
	CMD=
	: >"$WANT"
}

# reload: SIGHUP, then wait for the daemon to say it reloaded.
reload()
{
	rl_n=$(grep -c 'reloaded' "$DLOG")
	kill -HUP "$PID" || bail "rdnsbld is gone"
	rl_i=0
	while [ "$(grep -c 'reloaded' "$DLOG")" = "$rl_n" ]; do
		rl_i=$((rl_i + 1))
		if [ $rl_i -ge 50 ] || grep -q 'reload failed\|cannot reload' "$DLOG"; then
			sed 's/^/# rdnsbld: /' "$DLOG"
			bail "rdnsbld did not reload $tree/zones/example.conf"
		fi
		sleep 0.2
	done
}

perl "$RPL" steps "$README" >"$work/steps" || bail "readme.pl steps failed"
grep -q '^R' "$work/steps" || bail "no \"Run it\" command found in README.md"
: >"$WANT"
: >"$work/block"
while IFS= read -r line; do
	tag=${line%%"	"*}
	arg=${line#*"	"}
	case $tag in
	R)	# build steps already done by this build; then the daemon
		rest=$arg
		while case $rest in *' && '*) true ;; *) false ;; esac; do
			step=${rest%% && *}
			rest=${rest#* && }
			case $step in
			'sh tools/deps.sh')
				miss=
				for p in $(sh "$top_srcdir/tools/deps.sh" --list); do
					dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
					    grep -q 'install ok installed' ||
					    miss="$miss $p"
				done
				is "$miss" "" "README run command: $step (its packages are installed)"
				;;
			./autogen.sh|./configure|make)
				pass "README run command: $step (done by this build)"
				;;
			*)	fail "README run command: unknown step" "$step" ;;
			esac
		done
		is "$rest" "src/rdnsbld -d -c zones/example.conf" \
		    "README run command: it ends by starting the daemon"
		(cd "$tree" && exec $rest) </dev/null >"$DLOG" 2>&1 &
		PID=$!
		if daemon_ready; then
			pass "README run command: rdnsbld answers on 127.0.0.1 port 5353"
			like "$(cat "$DLOG")" "started: .* zones, database $(cd "$tree/var" && pwd -P)/rdnsbl\$" \
			    "README run command: the log names the database as var/rdnsbl, normalised"
		else
			sed 's/^/# rdnsbld: /' "$DLOG"
			bail "rdnsbld started by the README's command does not answer"
		fi
		;;
	C)	echo "$arg" >>"$work/block" ;;
	A)	run_cmd
		if perl "$RPL" apply "$tree/zones/example.conf" "$work/block"; then
			pass "README: configuration block applied ($(head -1 "$work/block"))"
		else
			fail "README: configuration block cannot be applied" "$(cat "$work/block")"
		fi
		: >"$work/block"
		if o=$("$RDNSBLD" -n -c "$tree/zones/example.conf" 2>&1); then
			pass "README: zones/example.conf after the block: rdnsbld -n accepts it"
		else
			fail "README: zones/example.conf after the block: rdnsbld -n refuses it" "$o"
		fi
		reload
		;;
	'$')	run_cmd
		CMD=$arg
		;;
	'>')	printf '%s\n' "$arg" >>"$WANT" ;;
	X)	fail "README: a command that is not \"\$ \"-prefixed (so not tested)" "$arg" ;;
	*)	bail "readme.pl: unknown step $line" ;;
	esac
done <"$work/steps"
run_cmd
[ "$NCMD" -ge 20 ] && pass "README: $NCMD commands run" ||
    fail "README: too few commands found" "$NCMD"

kill -0 "$PID" 2>/dev/null && pass "rdnsbld still runs" || fail "rdnsbld died" "$(cat "$DLOG")"
stop_daemon
like "$(cat "$DLOG")" 'exited' "rdnsbld exited cleanly"
done_testing
