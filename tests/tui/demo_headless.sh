#!/bin/sh
# `latticectl demo --no-tui`: the whole practice lab headless (simulator,
# every installer step, the engine, every sample workload) must converge:
# exit 0, and the printed route -> Lattice tree names the lab's routes,
# services, target groups and healthy targets; no temporary directory is
# left behind. Usage: LATTICECTL=path sh tests/tui/demo_headless.sh
set -u
bin=${LATTICECTL:-build/latticectl}
passed=0; failed=0; skipped=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }
finish() { echo "demo_headless: $passed passed, $failed failed, $skipped skipped"; [ $failed -eq 0 ]; exit $?; }

if ! "$bin" demo --help >/dev/null 2>&1; then
	echo "SKIP: needs a latticectl with the demo command"; skipped=1; finish
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work/tmp" HOME="$work/home"
mkdir -p "$TMPDIR" "$HOME"

"$bin" demo --no-tui --delay 20 --timeout 240 >"$work/out" 2>"$work/err"
rc=$?
[ $rc -eq 0 ] && ok "demo --no-tui exits 0" || { bad "demo --no-tui exit $rc: $(tail -5 "$work/err")"; finish; }
grep -q '^HTTPRoute default/rates (Accepted)$' "$work/out" && ok "rates is accepted" || bad "rates: $(cat "$work/out")"
grep -q '^HTTPRoute default/inventory (Accepted)$' "$work/out" && ok "inventory is accepted" || bad "inventory"
grep -q -- '- service rates-default (ACTIVE) rates-default-.*\.vpc-lattice-svcs\.us-west-2\.on\.aws$' "$work/out" \
    && ok "rates-default service with its DNS name" || bad "no rates-default service"
grep -q -- '- service inventory-default (ACTIVE) ' "$work/out" && ok "inventory-default service" || bad "no inventory-default"
grep -q -- '- service network my-hotel (association ACTIVE)' "$work/out" && ok "associated with my-hotel" || bad "no my-hotel association"
grep -q -- '- rule 1: prefix:/parking$' "$work/out" && grep -q -- '- rule 2: prefix:/review$' "$work/out" \
    && ok "rates' rules /parking and /review" || bad "rules"
for svc in parking review inventory-ver1; do
	grep -q -- "- target group k8s-default-$svc-[a-z0-9]* HTTP:80 " "$work/out" \
	    && ok "target group of $svc" || bad "no target group of $svc"
done
n=$(grep -c -- '- target [0-9.]*:8090 HEALTHY$' "$work/out")
[ "$n" -eq 6 ] && ok "6 targets HEALTHY (2 pods x 3 services)" || bad "healthy targets: $n"
grep -q '^install: gatewayclass *Ready' "$work/err" && ok "the installer reached gatewayclass Ready" || bad "installer lines"
[ -z "$(ls -A "$TMPDIR")" ] && ok "temporary directory removed" || bad "left: $(ls "$TMPDIR")"
finish
