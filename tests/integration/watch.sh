#!/bin/sh
# SPDX-License-Identifier: ISC
# watch.sh -- a list with a data file (list: clause, file:): the daemon
# loads it at start and again whenever it changes, with the replace
# semantics of `rdnsblctl import --replace'. The file is replaced as
# rsync replaces it (written under another name, then renamed over it)
# and the answer changes within 2 s; a bad file is logged with its
# FILE:LINE and the list keeps its data; a file that goes away changes
# nothing either, and the list follows the file again once it is back;
# a reload stops or starts the watch.

. "$top_srcdir/tests/integration/lib.sh"
need_tool dig
need_tool perl
need_programs

# put TEXT...: replace feed.txt by rename, each argument a line
put()
{
	printf '%s\n' "$@" >"$work/.feed.txt.tmp" &&
	    mv "$work/.feed.txt.tmp" "$work/feed.txt" ||
	    bail "cannot replace $work/feed.txt"
}

# await_answer NAME WANT: poll NAME A every 50 ms, for up to 5 s, until
# the answer is WANT; the milliseconds it took in WAITED, -1 if never
await_answer()
{
	aa_t0=$(now_ms)
	while :; do
		aa_got=$(dig_answer "$(q "$1" A)")
		WAITED=$(($(now_ms) - aa_t0))
		[ "$aa_got" = "$2" ] && return 0
		if [ "$WAITED" -gt 5000 ]; then
			WAITED=-1
			return 1
		fi
		sleep 0.05
	done
}

# within2s NAME: passes when await_answer saw its answer within 2 s
within2s()
{
	ok "$1" test "$WAITED" -ge 0 -a "$WAITED" -le 2000
}

put '# the first feed' ':127.0.0.2:first feed' 192.0.2.1 192.0.2.2
write_conf watch.conf.in
start_daemon

# --- loaded at start -------------------------------------------------------
await_answer 1.2.0.192.feed.test 127.0.0.2
ok "the file is loaded when the daemon starts" test "$WAITED" -ge 0
is "$(dig_answer "$(q 1.2.0.192.feed.test TXT)")" '"first feed"' \
    "with its default TXT"
is "$(dig_answer "$(q 1.2.0.192.bl.test A)")" NXDOMAIN \
    "into its own list only"
ok "the load is logged" \
    await_log 'list feed: replaced feed with 2 entries from .*/feed\.txt'

# --- replaced by rename, as rsync does ---------------------------------------
put '# the second feed' ':127.0.0.3:second feed' 192.0.2.2 192.0.2.3
await_answer 3.2.0.192.feed.test 127.0.0.3
within2s "a file replaced by rename is served within 2 s ($WAITED ms)"
is "$(dig_answer "$(q 1.2.0.192.feed.test A)")" NXDOMAIN \
    "an entry the new file no longer has is gone"
is "$(dig_answer "$(q 2.2.0.192.feed.test A)")" 127.0.0.3 \
    "an entry of both files has the new file's value"
ctl_ok "list feed" list feed
is "$(printf '%s\n' "$CTL_OUT" | grep -c .)" 2 \
    "the list holds the new file's entries, and no more"
ctl_ok "log" log
like "$CTL_OUT" " replace feed .*/feed\\.txt \"2 entries, the whole list\"" \
    "the audit log has the replace"

# --- a bad file changes nothing ------------------------------------------------
expect_log 'list feed: .*feed\.txt:3: '
expect_log 'list feed: 1 error in .*feed\.txt, nothing imported'
expect_log 'list feed: .*feed\.txt not loaded'
expect_log 'list feed: cannot read .*feed\.txt'
put '# a bad feed' 192.0.2.4 'no.such.address' 192.0.2.5
ok "a bad line is logged as FILE:LINE" await_log 'list feed: .*feed\.txt:3: '
ok "the log says the list is unchanged" \
    await_log 'list feed: .*feed\.txt not loaded .*the list is unchanged'
is "$(dig_answer "$(q 3.2.0.192.feed.test A)")" 127.0.0.3 \
    "the list keeps its data after a bad file"
is "$(dig_answer "$(q 4.2.0.192.feed.test A)")" NXDOMAIN \
    "and has none of the bad file's entries"

# --- a file that goes away, and comes back -------------------------------------
rm -f "$work/feed.txt"
ok "a missing file is logged" \
    await_log 'list feed: cannot read .*feed\.txt: No such file'
is "$(dig_answer "$(q 3.2.0.192.feed.test A)")" 127.0.0.3 \
    "the list keeps its data while the file is missing"
put ':127.0.0.4:third feed' 192.0.2.6
await_answer 6.2.0.192.feed.test 127.0.0.4
within2s "a file that is back is loaded within 2 s ($WAITED ms)"
is "$(dig_answer "$(q 3.2.0.192.feed.test A)")" NXDOMAIN \
    "and is the whole list"

# --- a change in place (same inode) is seen too --------------------------------
printf ':127.0.0.5:in place\n192.0.2.7\n' >"$work/feed.txt"
await_answer 7.2.0.192.feed.test 127.0.0.5
ok "a file rewritten in place is loaded too" test "$WAITED" -ge 0

# --- a reload that drops file: stops the watch; one that names it, loads -----
sed '/^\tfile: /d' "$CONF" >"$work/nofile.conf" && cp "$CONF" "$work/file.conf" &&
    cp "$work/nofile.conf" "$CONF" || bail "cannot rewrite $CONF"
kill -HUP "$PID"
ok "the configuration without file: is reloaded" await_reloads 1
put ':127.0.0.6:not watched' 192.0.2.8
sleep 2
is "$(dig_answer "$(q 8.2.0.192.feed.test A)")" NXDOMAIN \
    "a list without file: is no longer loaded from it"
cp "$work/file.conf" "$CONF" || bail "cannot rewrite $CONF"
kill -HUP "$PID"
ok "the configuration with file: again is reloaded" await_reloads 2
await_answer 8.2.0.192.feed.test 127.0.0.6
ok "a reload that names the file loads it" test "$WAITED" -ge 0

stop_daemon
done_testing
