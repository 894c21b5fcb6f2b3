#!/bin/sh
# SPDX-License-Identifier: ISC
# import_split.sh -- import --replace reads a plain file of 4 MB or more
# (ctl.c SPLIT_MIN) with two threads, each its own part of the lines
# (ipfile_range()). The list it makes, and the warnings and errors with
# the lines they name, are those of one reader: that of the same file
# compressed with gzip, which is never split. The file has "$" lines,
# defaults, "#@" metadata, duplicates, ranges and unusual A values all
# through it, so that some fall next to the cut whatever its place.

. "$top_srcdir/tests/integration/lib.sh"
need_tool gzip
need_programs

write_conf base.conf.in

# big FILE [BAD]: 350,000 entries and the special lines, about 5 MB; with
# BAD, a bad line at that entry too.
big()
{
	awk -v bad="${2:-0}" 'BEGIN {
		print "# a large feed"
		print "$1 one"
		print ":127.0.0.2:Listed $ ($1)"
		for (i = 0; i < 350000; i++) {
			a = sprintf("10.%d.%d.%d", int(i / 65536),
			    int(i / 256) % 256, i % 256)
			if (i % 997 == 5)
				printf "#@ expires=4000000000 actor=feed%d\n", i
			print a
			if (i % 1499 == 7)
				printf ":127.0.0.%d:default %d\n", 2 + i % 200, i
			if (i % 1201 == 3)
				printf "%s :127.0.1.%d:again\n", a, i % 3
			if (i % 1103 == 9)
				printf "11.%d.%d.0-11.%d.%d.5\n", int(i / 256) % 256,
				    i % 256, int(i / 256) % 256, i % 256
			if (i % 1301 == 11)
				printf "12.%d.%d.3/24\n", int(i / 256) % 256,
				    i % 256
			if (i == bad && bad > 0)
				print "not an entry"
		}
		print "#@ actor=nobody"
	}' >"$1"
}

# replace FILE OUT: import --replace of FILE; its exit status in RC, its
# messages (FILE written F) in ERR, and then the list's export (the times
# aside) in OUT.
replace()
{
	ctl import black "$1" --replace
	RC=$CTL_RC
	ERR=$(printf '%s\n' "$CTL_ERR" | sed "s|$1|F|g")
	ctl export black
	printf '%s\n' "$CTL_OUT" | sed '/^# rdnsbl export/d; s/added=[0-9]* //' \
	    >"$2"
}

# same NAME: the list and the messages of the import of big.txt, and of
# big.txt.gz, are the same; the first's in rc1 and err1.
same()
{
	replace "$work/big.txt" "$work/split.out"
	rc1=$RC
	err1=$ERR
	replace "$work/big.txt.gz" "$work/whole.out"
	is "$rc1" "$RC" "$1: the same exit status ($rc1)"
	if [ "$err1" = "$ERR" ]; then
		pass "$1: the same messages, in the same order"
	else
		printf '%s\n' "$err1" >"$work/err1"
		printf '%s\n' "$ERR" >"$work/err2"
		fail "$1: the same messages, in the same order" \
		    "$(diff "$work/err1" "$work/err2" | head -20)"
	fi
	if cmp -s "$work/split.out" "$work/whole.out"; then
		pass "$1: the same list"
	else
		fail "$1: the same list" \
		    "$(diff "$work/split.out" "$work/whole.out" | head -20)"
	fi
}

big "$work/big.txt"
gzip -c "$work/big.txt" >"$work/big.txt.gz"
ok "the file is large enough to be read in two parts" \
    [ "$(wc -c <"$work/big.txt")" -ge $((4 << 20)) ]

same "a large file"
is "$rc1" 0 "... which imports"
like "$err1" 'F:[0-9]+: duplicate entry 10\.[0-9.]+ \(first at line [0-9]+\)' \
    "... with duplicates named by their lines"
like "$err1" 'F:[0-9]+: A value 127\.0\.1\.2 is outside' \
    "... and an unusual A value"
n=$(printf '%s\n' "$err1" | grep -c 'host bits set')
is "$n" 270 "... and every entry with host bits set, once"
like "$(grep -c 'expires=4000000000' "$work/split.out")" '^3[0-9][0-9]$' \
    "the entries after \"#@ expires\" lines have their expiry"
like "$(grep -c ':default [0-9]' "$work/split.out")" '^[1-9][0-9]{4,}$' \
    "... and the defaults of the lines before them"

big "$work/big.txt" 300000
gzip -c "$work/big.txt" >"$work/big.txt.gz"
same "a bad line in the second part"
is "$rc1" 1 "... which fails"
like "$err1" 'F:[0-9]+: bad entry "not an entry"' "... naming the bad line"
like "$(printf '%s\n' "$err1" | tail -1)" '1 error in F, nothing imported' \
    "... after every other message"

done_testing
