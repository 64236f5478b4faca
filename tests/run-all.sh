#!/bin/sh
# make test: unit tests, then integration tests (moto, CLI), then totals.
# Usage: run-all.sh BUILD_DIR
set -u
build=$1
rc=0
sh tests/run-tests.sh unit $(ls "$build"/tests/test_* 2>/dev/null | grep -v '\.d$') || rc=1
sh tests/run-tests.sh integration $(ls "$build"/tests/itest_* 2>/dev/null | grep -v '\.d$') || rc=1
for s in tests/integration/*.sh; do
	[ -f "$s" ] || continue
	echo "== $s"
	LATTICECTL="$build/latticectl" sh "$s" || rc=1
done
for s in tests/tui/*.sh; do
	[ -f "$s" ] || continue
	echo "== $s"
	LATTICECTL="$build/latticectl" sh "$s" || rc=1
done
if [ $rc -eq 0 ]; then echo "make test: all suites passed"; else echo "make test: FAILED"; fi
exit $rc
