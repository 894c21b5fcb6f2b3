#!/bin/sh
# SPDX-License-Identifier: ISC
# fuzz.sh -- build the libFuzzer targets of tests/fuzz with clang and run
# each for a bounded time on its corpus (tests/fuzz/corpus/NAME). Any
# crash, leak, timeout or sanitizer report fails the run; the input that
# caused it is kept as an artefact in the work directory, ready to be
# added to the corpus with the fix.
#
#	sh tools/fuzz.sh [target ...]	(default: every target)
#
# Environment:
#	FUZZ_TIME	seconds per target (default 60)
#	FUZZ_BUILD	build directory (default ./build-fuzz), configured
#			with CC=clang --enable-fuzz --enable-werror when it
#			has no Makefile yet
#	FUZZ_WORK	where the new inputs, the logs and the artefacts go
#			(default: a new temporary directory, kept when a
#			target fails)
#	FUZZ_JOBS	make -j (default 2)
#
# Output: one line per target (executions, executions a second, inputs
# it added, the result), then "N passed, N failed". Exit status 0 when
# every target ran clean, 1 otherwise, 2 on a usage or build error.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
time=${FUZZ_TIME:-60}
build=${FUZZ_BUILD:-$top/build-fuzz}
jobs=${FUZZ_JOBS:-2}
all="conf dns http import pattern resolve"

case $time in
''|*[!0-9]*) echo "fuzz.sh: FUZZ_TIME must be a number of seconds" >&2
	exit 2 ;;
esac
targets=${*:-$all}
for t in $targets; do
	case " $all " in
	*" $t "*) ;;
	*) echo "fuzz.sh: no target \"$t\" (targets: $all)" >&2; exit 2 ;;
	esac
done
command -v clang >/dev/null 2>&1 || {
	echo "fuzz.sh: clang not found: run sh tools/deps.sh --fuzz" >&2
	exit 2
}

mkdir -p "$build" || exit 2
cd "$build" || exit 2
if [ ! -f Makefile ]; then
	[ -x "$top/configure" ] || (cd "$top" && ./autogen.sh) || exit 2
	"$top/configure" -q CC=clang --enable-fuzz --enable-werror || {
		echo "fuzz.sh: configure failed in $build" >&2; exit 2; }
fi
progs=
for t in $targets; do progs="$progs tests/fuzz/fuzz_$t"; done
make -j"$jobs" $progs >fuzz-make.log 2>&1 || {
	cat fuzz-make.log; echo "fuzz.sh: build failed" >&2; exit 2; }

if [ -n "${FUZZ_WORK:-}" ]; then
	work=$FUZZ_WORK
	mkdir -p "$work" || exit 2
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/rdnsbl-fuzz.XXXXXX") || exit 2
fi
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"

pass=0 fail=0
printf '%-8s %12s %8s %6s  %s\n' target executions exec/s new result
for t in $targets; do
	seeds=$top/tests/fuzz/corpus/$t
	new=$work/$t.new
	log=$work/$t.log
	mkdir -p "$new"
	# New inputs go to the first directory; the seeds are only read.
	"$build/tests/fuzz/fuzz_$t" -max_total_time="$time" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$work/$t-" "$new" "$seeds" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	added=$(ls "$new" | wc -l)
	result=ok
	if [ $rc -ne 0 ]; then
		result="FAILED (exit $rc)"
	elif grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|==ERROR' "$log"; then
		result="FAILED (sanitizer report)"
	elif [ -z "$execs" ]; then
		result="FAILED (no statistics)"
	fi
	printf '%-8s %12s %8s %6s  %s\n' "$t" "${execs:-?}" "${rate:-?}" \
	    "$added" "$result"
	if [ "$result" = ok ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "--- $t: $log"
		grep -E -A30 'ERROR:|runtime error:|==[0-9]+==' "$log" | head -60
		ls "$work/$t-"* 2>/dev/null | sed 's/^/artefact: /'
	fi
done
if [ $fail -eq 0 ] && [ -z "${FUZZ_WORK:-}" ]; then
	rm -rf "$work"
else
	echo "work directory: $work"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
