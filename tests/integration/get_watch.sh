#!/bin/sh
# `latticectl get httproutes -A -w` follows changes made with kubectl, against
# `latticectl sim`. Usage: LATTICECTL=path sh tests/integration/get_watch.sh
set -u
bin=${LATTICECTL:-build/latticectl}
ref=${LATTICECTL_REFERENCE:-../shared/reference}
passed=0; failed=0; skipped=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }

if ! command -v kubectl >/dev/null 2>&1 || [ ! -d "$ref" ]; then
	echo "SKIP: get_watch needs kubectl and $ref"
	echo "get_watch: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
work=$(mktemp -d)
export HOME="$work/home" KUBECACHEDIR="$work/kcache"
mkdir -p "$HOME"
"$bin" sim --dir "$work/sim" >"$work/env" 2>"$work/sim.log" &
sim=$!
watch=""
trap 'kill $sim $watch 2>/dev/null; rm -rf "$work"' EXIT
i=0
while [ $i -lt 600 ] && ! grep -q AWS_SECRET_ACCESS_KEY "$work/env"; do sleep 0.1; i=$((i + 1)); done
. "$work/env"
crds=$ref/crds/gateway-api-v1.5.1
kubectl apply --server-side -f "$crds/gateway.networking.k8s.io_httproutes.yaml" \
    -f "$crds/gateway.networking.k8s.io_gateways.yaml" >"$work/out" 2>&1 \
    && ok "Gateway API CRDs applied" || bad "CRDs: $(tail -2 "$work/out")"

"$bin" get httproutes -A -w >"$work/watch" 2>&1 &
watch=$!
sleep 1
kubectl apply -f "$ref/examples/rate-route-path.yaml" >/dev/null 2>&1
i=0
while [ $i -lt 300 ] && ! grep -q '^default  *rates' "$work/watch"; do sleep 0.1; i=$((i + 1)); done
grep -q '^default  *rates' "$work/watch" && ok "get -A -w shows a route kubectl created" \
    || bad "no rates line: $(cat "$work/watch")"
n1=$(grep -c rates "$work/watch")
kubectl label httproute rates tier=gold >/dev/null 2>&1
i=0
while [ $i -lt 300 ] && [ "$(grep -c rates "$work/watch")" -le "$n1" ]; do sleep 0.1; i=$((i + 1)); done
[ "$(grep -c rates "$work/watch")" -gt "$n1" ] && ok "get -w shows the change" || bad "no line for the label change"
kill $watch 2>/dev/null; wait $watch 2>/dev/null; watch=""
grep -q '^NAMESPACE' "$work/watch" && ok "table header with NAMESPACE under -A" || bad "no header"
"$bin" get httproute rates -o json >"$work/out" 2>&1 && grep -q '"tier": *"gold"' "$work/out" \
    && ok "get -o json shows the label" || bad "get -o json: $(head -3 "$work/out")"
"$bin" get httproute nope >"$work/out" 2>&1 && bad "missing route gave exit 0" \
    || { grep -qi 'not found' "$work/out" && ok "a missing route is NotFound" || bad "missing: $(cat "$work/out")"; }
echo "get_watch: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
