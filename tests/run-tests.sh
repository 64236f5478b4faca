#!/bin/sh
# Run test binaries, print each one's output, and close with the totals
# line "N passed, N failed, N skipped" (cmocka counts, summed).
# Usage: run-tests.sh LABEL BINARY...
set -u
label=$1; shift
passed=0; failed=0; skipped=0; broken=""
out=$(mktemp)
for t in "$@"; do
	[ -x "$t" ] || continue
	echo "== $t"
	"$t" >"$out" 2>&1
	rc=$?
	cat "$out"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	if [ $rc -ne 0 ]; then
		broken="$broken $(basename "$t")"
		[ "$f" -eq 0 ] && failed=$((failed + 1))
	fi
done
rm -f "$out"
[ -n "$broken" ] && echo "$label: failing binaries:$broken"
echo "$label: $passed passed, $failed failed, $skipped skipped"
[ -z "$broken" ]
