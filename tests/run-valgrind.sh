#!/bin/sh
# Run each unit test binary under valgrind; fail on any error or leak.
# Usage: run-valgrind.sh BINARY...
set -u
supp=""
[ -f tests/valgrind.supp ] && supp="--suppressions=tests/valgrind.supp"
passed=0; failed=0; bad=""
for t in "$@"; do
	if valgrind -q --child-silent-after-fork=yes --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    $supp "$t" >/tmp/valgrind.$$.out 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1)); bad="$bad $(basename "$t")"
		cat /tmp/valgrind.$$.out
	fi
done
rm -f /tmp/valgrind.$$.out
[ -n "$bad" ] && echo "valgrind: failing:$bad"
echo "valgrind: $passed passed, $failed failed"
[ $failed -eq 0 ]
