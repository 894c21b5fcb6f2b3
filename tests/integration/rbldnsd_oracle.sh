#!/bin/sh
# SPDX-License-Identifier: ISC
# rbldnsd_oracle.sh -- Debian's rbldnsd as the oracle of rdnsblctl import
# and of rdnsbld's answers. For each dataset type, a generated data file
# (rbldnsd_gen.pl) is loaded by rbldnsd and imported into rdnsbl, and
# both servers are asked A and TXT for thousands of names: the first
# and last address of every entry and one beyond each end, addresses
# inside, random addresses, the RFC 5782 test points, names that are no
# address. Every difference is a failure, one line each, unless it is
# one that doc/rbldnsd-format.md lists ("Differences from rbldnsd";
# rbldnsd_cmp.pl knows them). Then rdnsblctl export of the list is
# loaded by rbldnsd, which must answer the same names as rdnsbld.
#
# Feature flags: what the generated files contain beyond the syntax both
# programs read alike (rbldnsd_gen.pl says what each adds). On by
# default: the flags rdnsbl passes with. Off: the flags that wait for a
# feature; whoever lands it turns its flag on here.
#
#	longtxt    on   TXT of 255 bytes or more (a documented difference)
#	timestamp  on   a $TIMESTAMP line
#	dollar     on   "$" and "$$" in TXT
#	subst      on   $1-$9, "$=" and a leading "=" in TXT
#	codes      on   codes anywhere in 127/8 but 127.0.0.1
#	hostbits   on   CIDRs with host bits set, skipped as rbldnsd skips
#	                them
#	maxrange   on   $MAXRANGE4
#	dupes      on   the same prefix twice (ip4trie, ip6trie; in ip4set
#	                only with setoverlap)
#	gzip       on   gzip-compressed files
#	notxt      on   entries without TXT
#	setoverlap off  a documented difference, no feature planned:
#	                rbldnsd's ip4set answers every value in an octet
#	                granule
#	crlf       off  a documented difference: rbldnsd reads CR LF lines
#	                with their CR
#
# Environment: ORACLE_FEATURES replaces the list of flags,
# ORACLE_SEED the seed (default 1), ORACLE_ENTRIES the number of entries
# a file has, ORACLE_TYPES the types compared (ip4set ip4trie ip6trie
# dnset), ORACLE_SHOW how many differences are shown one by one (20).

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool perl
need_programs
RBLDNSD=${RBLDNSD:-$(command -v rbldnsd 2>/dev/null)}
[ -n "$RBLDNSD" ] || RBLDNSD=/usr/sbin/rbldnsd
[ -x "$RBLDNSD" ] || need_tool rbldnsd

FEATURES=${ORACLE_FEATURES-"longtxt timestamp dollar subst codes hostbits maxrange dupes gzip notxt"}
SEED=${ORACLE_SEED:-1}
TYPES=${ORACLE_TYPES:-"ip4set ip4trie ip6trie dnset"}
SHOW=${ORACLE_SHOW:-20}
GEN="$top_srcdir/tests/integration/rbldnsd_gen.pl"
CMP="$top_srcdir/tests/integration/rbldnsd_cmp.pl"
ZONE=bl.test

has_feature()
{
	case " $FEATURES " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}
for f in $FEATURES; do
	case $f in
	longtxt|timestamp|dollar|subst|codes|hostbits|maxrange|dupes|gzip|\
	notxt|setoverlap|crlf) ;;
	*) bail "unknown feature flag $f" ;;
	esac
done
has_feature gzip && need_tool gzip
diag "seed $SEED, features: $FEATURES"

# rbldnsd reads its files as itself; as root it becomes another user
# (it refuses to run as root), which must reach them: the work dir is
# opened for search, the data dir and files for reading.
rbl="$work/rbldnsd"
mkdir "$rbl" || bail "cannot make $rbl"
RUSER=
if [ "$(id -u)" = 0 ]; then
	RUSER="-u 65534:65534"
	chmod 711 "$work" && chmod 755 "$rbl" || bail "cannot open $work"
fi

# start_rbldnsd ZONESPEC: rbldnsd in the foreground (-n) on a free
# port RPORT, no reload checks (-c 0), the data in $rbl; polled until it
# answers. Sets RPID; lib_cleanup kills it (by PID) if the test dies.
RPID=
start_rbldnsd()
{
	sr_tries=0
	while :; do
		sr_tries=$((sr_tries + 1))
		sr_save=$PORT
		pick_port
		RPORT=$PORT
		PORT=$sr_save
		[ "$RPORT" = "$PORT" ] && continue
		# shellcheck disable=SC2086
		"$RBLDNSD" -n -c 0 $RUSER -b "127.0.0.1/$RPORT" -w "$rbl" "$1" \
		    >"$work/rbldnsd.log" 2>&1 &
		RPID=$!
		UPIDS="$UPIDS $RPID"
		sr_i=0
		while [ $sr_i -lt 50 ]; do
			kill -0 "$RPID" 2>/dev/null || break
			if grep -q ' started' "$work/rbldnsd.log" &&
			    dig @127.0.0.1 -p "$RPORT" +tries=1 +time=1 \
			    "$ZONE" SOA 2>/dev/null | grep -q 'status: '; then
				return 0
			fi
			sleep 0.2
			sr_i=$((sr_i + 1))
		done
		stop_upstream "$RPID"
		RPID=
		if [ "$sr_tries" -lt 5 ] &&
		    grep -q 'unable to bind' "$work/rbldnsd.log"; then
			continue
		fi
		sed 's/^/# rbldnsd: /' "$work/rbldnsd.log"
		bail "rbldnsd did not start on $1"
	done
}

# stop_rbldnsd: SIGTERM, exit status 0.
stop_rbldnsd()
{
	kill -TERM "$RPID"
	wait "$RPID"
	st_rc=$?
	stop_upstream "$RPID"
	RPID=
	is "$st_rc" 0 "$TYPE: rbldnsd exits 0 on SIGTERM"
}

# rbldnsd_reads_all LINES WARNINGS: rbldnsd's warnings about the data
# file of LINES lines (it writes them to standard output with -n, as
# "file NAME(LINE): ...", the first few only, then "N more warnings
# suppressed") are the WARNINGS the generator meant: a TXT over 255
# bytes cut, and the last line without its newline.
rbldnsd_reads_all()
{
	rr_all=$(grep -E 'file [^ ]*\([0-9]+\): ' "$work/rbldnsd.log")
	rr_bad=$(printf '%s\n' "$rr_all" | grep -Ev \
	    "\\($1\\): (long line \\(truncated\\)|incomplete last line)|: TXT RR truncated to 255 bytes\$" |
	    grep .)
	rr_more=$(sed -n 's/.*: \([0-9]*\) more warnings suppressed$/\1/p' \
	    "$work/rbldnsd.log" | head -n 1)
	rr_n=$(($(printf '%s\n' "$rr_all" | grep -c .) + ${rr_more:-0}))
	if [ -z "$rr_bad" ] && [ "$rr_n" -eq "$2" ]; then
		pass "$TYPE: rbldnsd reads every line of the file ($2 warnings meant)"
	else
		fail "$TYPE: rbldnsd reads every line of the file ($2 warnings meant)" \
		    "$rr_n warnings; not meant:" "$rr_bad"
	fi
}

# rdnsbl_load TYPE FILE: a fresh database with FILE imported, rdnsbld
# started on it.
rdnsbl_load()
{
	DB="$work/db-$1"
	PORT=
	write_conf oracle.conf.in
	LIST=black
	[ "$1" = dnset ] && LIST=dset
	ctl import "$LIST" "$2"
	if [ "$CTL_RC" -eq 0 ]; then
		pass "$1: rdnsblctl import $LIST of the file exits 0"
	else
		fail "$1: rdnsblctl import $LIST of the file exits 0" \
		    "exit $CTL_RC" "$CTL_ERR"
		return 1
	fi
	[ -n "$CTL_ERR" ] && diag "rdnsblctl import said:" \
	    "$(printf '%s\n' "$CTL_ERR" | head -n 20)"
	start_daemon
}

# ask SERVERPORT OUT: the A and TXT answers of every name of $NAMES,
# with one more try for those without an answer.
ask()
{
	dig @127.0.0.1 -p "$1" +tries=2 +time=2 +noall +comments +question \
	    +answer -f "$work/batch" >"$2" 2>&1
	perl "$CMP" missing "$ZONE" "$NAMES" "$2" >"$2.again"
	if [ -s "$2.again" ]; then
		echo "# $(wc -l <"$2.again") queries to port $1 unanswered; asking again" >&2
		dig @127.0.0.1 -p "$1" +tries=2 +time=2 +noall +comments \
		    +question +answer -f "$2.again" >>"$2" 2>&1
	fi
}

# compare: rbldnsd_cmp.pl over both outputs, as TAP.
compare()
{
	perl "$CMP" compare "$ZONE" "$NAMES" "$work/rbldnsd.out" \
	    "$work/rdnsbl.out" >"$work/cmp" || bail "rbldnsd_cmp.pl failed"
	STATS=$(sed -n 's/^stats //p' "$work/cmp")
	diag "$TYPE: $STATS"
	sed -n 's/^allowed \([^ ]*\) \([0-9]*\) \(.*\)/\1: \2 names, e.g. \3/p' \
	    "$work/cmp" | while IFS= read -r l; do
		diag "$TYPE: documented difference $l"
	done
	ndiff=$(grep -c '^diff ' "$work/cmp")
	nnames=$(echo "$STATS" | sed 's/.*names=\([0-9]*\).*/\1/')
	if [ "$ndiff" -eq 0 ]; then
		pass "$TYPE: rdnsbl answers all $nnames names (A and TXT) as rbldnsd does"
		return
	fi
	grep '^diff ' "$work/cmp" | head -n "$SHOW" >"$work/cmp.shown"
	while IFS='|' read -r what rb rd; do
		fail "$TYPE: ${what#diff }" "rbldnsd: $rb" "rdnsbl:  $rd"
	done <"$work/cmp.shown"
	if [ "$ndiff" -gt "$SHOW" ]; then
		fail "$TYPE: $((ndiff - SHOW)) more names answer differently" \
		    "(ORACLE_SHOW=N shows more)"
	fi
}

# export_leg: rdnsblctl export of the list, loaded by a new rbldnsd
# (ip4trie, ip6trie or dnset, the types export writes), answers every
# name as rdnsbld does: an rbldnsd mirror of rdnsbl is exact.
export_leg()
{
	el_type=$TYPE
	ctl export "$LIST"
	if [ "$CTL_RC" -ne 0 ]; then
		fail "$TYPE: rdnsblctl export $LIST exits 0" "$CTL_ERR"
		return
	fi
	printf '%s\n' "$CTL_OUT" >"$rbl/export-$TYPE.txt"
	chmod 644 "$rbl/export-$TYPE.txt"
	stop_rbldnsd
	case $TYPE in
	ip4set|ip4trie) el_ds=ip4trie ;;
	*) el_ds=$TYPE ;;
	esac
	start_rbldnsd "$ZONE:$el_ds:export-$TYPE.txt"
	ask "$RPORT" "$work/rbldnsd.out"
	TYPE="$el_type export ($el_ds)"
	compare
	TYPE=$el_type
}

# stat_of NAME: a number of the stats line
stat_of()
{
	echo "$STATS" | sed "s/.*$1=\\([0-9]*\\).*/\\1/"
}

for TYPE in $TYPES; do
	case $TYPE in
	ip4set|ip4trie|ip6trie) ZONE=bl.test ;;
	dnset) ZONE=dn.test ;;
	*) bail "unknown type $TYPE" ;;
	esac
	data="$rbl/$TYPE.txt"
	NAMES="$work/$TYPE.names"
	summary=$(perl "$GEN" "$TYPE" "$SEED" "$FEATURES" "$data" "$NAMES" \
	    $ORACLE_ENTRIES) || bail "rbldnsd_gen.pl $TYPE failed"
	diag "$summary"
	nwarn=$(echo "$summary" | sed -n 's/^rbldnsd warnings: //p')
	nlines=$(grep -c '' "$data")
	file=$data
	if has_feature gzip; then
		gzip -n "$data" || bail "gzip $data failed"
		file="$data.gz"
	fi
	chmod 644 "$file"
	awk -v z="$ZONE" '{ print $1 "." z " A"; print $1 "." z " TXT" }' \
	    "$NAMES" >"$work/batch"

	start_rbldnsd "$ZONE:$TYPE:$(basename "$file")"
	if has_feature hostbits || has_feature maxrange ||
	    has_feature dupes || has_feature crlf; then
		diag "$TYPE: rbldnsd warned (some lines skipped on purpose):" \
		    "$(grep -E 'file [^ ]*\([0-9]+\): |suppressed' \
		    "$work/rbldnsd.log" | head -n 10)"
	else
		rbldnsd_reads_all "$nlines" "$nwarn"
	fi
	ask "$RPORT" "$work/rbldnsd.out"

	if rdnsbl_load "$TYPE" "$file"; then
		ask "$PORT" "$work/rdnsbl.out"
		compare
		# A comparison must not pass for want of answers: rbldnsd
		# lists many of the names, and not all of them.
		n=$(stat_of names)
		min=1000
		[ "$TYPE" = dnset ] && min=500
		ok "$TYPE: at least $min names compared ($n)" test "$n" -ge $min
		ok "$TYPE: rbldnsd lists a tenth of them or more ($(stat_of listed))" \
		    test "$(stat_of listed)" -ge $((n / 10))
		ok "$TYPE: rbldnsd answers NXDOMAIN to a tenth or more ($(stat_of nxdomain))" \
		    test "$(stat_of nxdomain)" -ge $((n / 10))
		export_leg
		stop_daemon
	fi
	stop_rbldnsd
done

done_testing
