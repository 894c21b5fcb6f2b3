#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: bench/lookup.sh N
# The compact copy's lookups alone (bench/lookup.c), on the data set of
# N entries that the other scripts use and NQ queries for it (default
# 200,000, half listed): `bench/gen-ip4set.sh N', or with FAMILY=6
# `bench/gen-ip6set.sh N'. Builds bench/lookup.c against $BUILD (a
# configured and built tree, default this one) and prints its lines: the
# copy's size and the time its sorting took in the daemon's steps, then
# nanoseconds per query with and without the prefetches of a batch
# (ROUNDS rounds, default 20: the fastest and the median). CPU time of
# one process on one core, without the network: far less moved by the
# machine's load than bench/ab.sh, but not the whole query.
set -u
n=${1:?usage: lookup.sh N}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top}
nq=${NQ:-200000}
work=$(mktemp -d "${TMPDIR:-/tmp}/rdnsbl-lookup.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP

. "$top/bench/lib.sh"
need_tools lookup.sh cc:gcc
[ -f "$build/src/libcore.a" ] ||
    { echo "lookup.sh: no $build/src/libcore.a (set BUILD)" >&2; exit 1; }
cc -O2 -I "$top/src" -I "$build" -o "$work/lookup" "$top/bench/lookup.c" \
    "$build/src/libcore.a" || exit 1
gen_set "$n" "$work/data.txt" "$work/queries.txt" "$nq" || exit 1
"$work/lookup" "$work/data.txt" "$work/queries.txt" "${ROUNDS:-20}"
