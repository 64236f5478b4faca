#!/bin/sh
# `latticectl doctor` as a command against a bare `latticectl sim` (no lab):
# findings exit 1 in both forms, the JSON contract's keys, an unknown route
# and a bad option exit 2. The full lab's findings are in itest_doctor.c.
# Usage: LATTICECTL=path sh tests/integration/doctor_cli.sh
set -u
bin=${LATTICECTL:-build/latticectl}
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }

work=$(mktemp -d)
"$bin" sim --dir "$work/sim" >"$work/env" 2>"$work/sim.log" &
sim=$!
trap 'kill $sim 2>/dev/null; rm -rf "$work"' EXIT
i=0
while [ $i -lt 600 ] && ! grep -q AWS_SECRET_ACCESS_KEY "$work/env" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
. "$work/env"

"$bin" --no-color doctor >"$work/out" 2>&1; rc=$?
[ $rc -eq 1 ] && ok "findings exit 1" || bad "table exit $rc: $(head -5 "$work/out")"
grep -q 'FAIL The controller.s pods are Ready' "$work/out" && grep -q '^Network$' "$work/out" \
    && grep -q '          \$ latticectl install --only controller' "$work/out" \
    && ok "the table names the missing controller with its fix" || bad "table: $(head -8 "$work/out")"
grep -q 'ok, .* warn, .* fail, .* skipped' "$work/out" && ok "summary line" || bad "no summary"
"$bin" doctor -o json >"$work/json" 2>"$work/err"; rc=$?
[ $rc -eq 1 ] && grep -q '"summary":{"ok":' "$work/json" && grep -q '"target":null' "$work/json" \
    && grep -q '"id":"cluster.controller-running","group":"cluster"' "$work/json" \
    && ok "-o json: the contract's keys" || bad "json exit $rc: $(head -c 300 "$work/json")"
"$bin" doctor nope >"$work/out" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q 'could not check: route nope not found' "$work/out" \
    && ok "an unknown route exits 2" || bad "unknown route exit $rc: $(cat "$work/out")"
"$bin" doctor -o yaml >"$work/out" 2>&1; rc=$?
[ $rc -eq 2 ] && ok "a bad -o exits 2" || bad "-o yaml exit $rc"
echo "doctor_cli: $passed passed, $failed failed"
[ $failed -eq 0 ]
