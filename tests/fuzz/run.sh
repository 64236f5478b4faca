#!/bin/sh
# Run every fuzz target for SECONDS on its corpus (tests/fuzz/corpus/NAME),
# printing the exec count each reached. Usage: run.sh BIN_DIR SECONDS
set -u
bindir=$1; secs=$2; rc=0
for f in "$bindir"/fuzz_*; do
	[ -x "$f" ] || continue
	n=$(basename "$f" | sed 's/^fuzz_//')
	corpus=tests/fuzz/corpus/$n
	mkdir -p "$corpus"
	work=$(mktemp -d)
	if "$f" -max_total_time="$secs" -print_final_stats=1 "$work" "$corpus" \
	    >"$work.log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log")
		echo "fuzz $n: ${secs}s, ${execs:-?} execs, no crash"
	else
		echo "fuzz $n: FAILED"; tail -40 "$work.log"; rc=1
	fi
	rm -rf "$work" "$work.log"
done
exit $rc
