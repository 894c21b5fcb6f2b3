#!/bin/sh
# SPDX-License-Identifier: ISC
# doc.sh -- the manual pages lint cleanly with mandoc, every key of the
# sample configuration is documented in rdnsbld.conf(5), the sample has
# every key the contract names, and the pages cover every option and
# command.

. "$top_srcdir/tests/integration/lib.sh"

MANDOC=${MANDOC:-$(command -v mandoc 2>/dev/null)}
[ -n "$MANDOC" ] || need_tool mandoc

DOC="$top_srcdir/doc"
SAMPLE="$DOC/rdnsbld.conf.sample.in"
CONF5="$DOC/rdnsbld.conf.5"

for p in rdnsbld.8 rdnsblctl.8 rdnsbld.conf.5; do
	if [ ! -f "$DOC/$p" ]; then
		fail "mandoc -Tlint -W warning $p" "doc/$p does not exist"
		continue
	fi
	o=$("$MANDOC" -Tlint -W warning "$DOC/$p" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && [ -z "$o" ]; then
		pass "mandoc -Tlint -W warning $p"
	else
		fail "mandoc -Tlint -W warning $p" "exit $rc" "$o"
	fi
done

# documented KEY FILE: the page has an item for KEY (".It Cm key" and the
# like, with or without the colon).
documented()
{
	grep -Eq "^\\.It (Cm|Ic|Sy|Li|Va|Ar|Fl) $1:?( |\$)" "$2"
}

if [ ! -f "$SAMPLE" ]; then
	fail "doc/rdnsbld.conf.sample.in exists"
	done_testing
fi
# Keys of the sample: indented "key: value" lines under a clause, most
# commented out at their default ("<TAB># key: value"); clause headers
# ("server:") start at column 0 and are not keys.
KEYS=$(sed -n \
    's/^[[:space:]]\{1,\}#\{0,1\}[[:space:]]*\([a-z][a-z0-9-]*\):\( .*\)\{0,1\}$/\1/p' \
    "$SAMPLE" | sort -u)
N=$(printf '%s\n' "$KEYS" | grep -c .)
ok "the sample has at least 15 commented-out keys ($N)" test "$N" -ge 15

# The keys the design and the tests use must all be in the sample.
for k in listen database allow-query verbosity udp-size name type checks \
    ttl negative-ttl soa ns txt code url; do
	case "
$KEYS
" in
	*"
$k
"*) pass "the sample has key $k" ;;
	*) fail "the sample has key $k" ;;
	esac
done

for k in $KEYS; do
	if [ -f "$CONF5" ] && documented "$k" "$CONF5"; then
		pass "rdnsbld.conf.5 documents $k"
	else
		fail "rdnsbld.conf.5 documents $k" "no '.It Cm $k' item"
	fi
done

# rdnsbld(8): its options; rdnsblctl(8): its options and commands.
for f in c h n V v; do
	if [ -f "$DOC/rdnsbld.8" ] && grep -Eq "^\\.It Fl $f( |\$)" "$DOC/rdnsbld.8"; then
		pass "rdnsbld.8 documents -$f"
	else
		fail "rdnsbld.8 documents -$f"
	fi
done
for c in add del list lookup import export log; do
	if [ -f "$DOC/rdnsblctl.8" ] && documented "$c" "$DOC/rdnsblctl.8"; then
		pass "rdnsblctl.8 documents the $c command"
	else
		fail "rdnsblctl.8 documents the $c command"
	fi
done
for s in SIGHUP SIGTERM; do
	if [ -f "$DOC/rdnsbld.8" ] && grep -q "$s" "$DOC/rdnsbld.8"; then
		pass "rdnsbld.8 says what $s does"
	else
		fail "rdnsbld.8 says what $s does"
	fi
done

# Every source file says under what terms it is used, near its top
# (LICENSE has the text): the files of the tarball, which is what
# distcheck runs this in.
found=0
missing=
for f in "$top_srcdir"/src/*.[ch] "$top_srcdir"/tests/unit/*.[ch] \
    "$top_srcdir"/tests/*.h "$top_srcdir"/tests/fuzz/*.[ch] \
    "$top_srcdir"/tests/integration/*.sh \
    "$top_srcdir"/tests/integration/*.pl "$top_srcdir"/tools/*.sh \
    "$top_srcdir"/bench/*.sh "$top_srcdir"/bench/*.c \
    "$top_srcdir"/autogen.sh "$top_srcdir"/Makefile.am \
    "$top_srcdir"/configure.ac "$DOC"/*.[58] "$SAMPLE"; do
	[ -f "$f" ] || continue
	found=$((found + 1))
	head -3 "$f" | grep -q 'SPDX-License-Identifier: ISC' ||
	    missing="$missing ${f#$top_srcdir/}"
done
if [ "$found" -gt 100 ] && [ -z "$missing" ]; then
	pass "every one of the $found source files has its licence line"
else
	fail "every source file has its licence line" \
	    "$found files looked at; without the line:$missing"
fi
grep -q '^Permission to use, copy, modify, and distribute' \
    "$top_srcdir/LICENSE" 2>/dev/null &&
    head -1 "$top_srcdir/LICENSE" | grep -q '^Copyright (c) ' &&
    pass "LICENSE holds the ISC licence with its copyright line" ||
    fail "LICENSE holds the ISC licence with its copyright line"

done_testing
