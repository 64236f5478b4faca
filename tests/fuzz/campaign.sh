#!/bin/sh
# The fuzz campaign: run each target for SECONDS from its corpus, then
# merge the inputs that found new coverage back into
# tests/fuzz/corpus/NAME (libFuzzer -merge=1 keeps a minimal set).
# Prints one line per target with its exec count. Usage:
#   campaign.sh BIN_DIR SECONDS [TARGET...]
set -u
bindir=$1; secs=$2; shift 2
rc=0
targets=$*
[ -n "$targets" ] || targets=$(cd "$bindir" && ls fuzz_* | grep -v "\.d$" | sed 's/^fuzz_//')
for n in $targets; do
	f=$bindir/fuzz_$n
	[ -x "$f" ] || { echo "fuzz $n: no binary"; rc=1; continue; }
	corpus=tests/fuzz/corpus/$n
	mkdir -p "$corpus"
	work=$(mktemp -d)
	log=$(mktemp)
	if "$f" -max_total_time="$secs" -print_final_stats=1 -max_len=16384 \
	    "$work" "$corpus" >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		before=$(ls "$corpus" | wc -l)
		"$f" -merge=1 "$corpus" "$work" >/dev/null 2>&1
		after=$(ls "$corpus" | wc -l)
		echo "fuzz $n: ${secs}s, ${execs:-?} execs, no crash, corpus $before -> $after"
	else
		echo "fuzz $n: FAILED"; tail -40 "$log"; rc=1
	fi
	rm -rf "$work" "$log"
done
exit $rc
