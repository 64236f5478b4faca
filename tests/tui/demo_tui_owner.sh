#!/bin/sh
# `latticectl tui` turns read-only by itself when another controller owns
# the GatewayClass: a live holder of the leader Lease amazon-vpc-lattice.io
# in aws-application-networking-system; writable again when the Lease has
# expired; and a delete from the UI is refused while read-only. Driven in
# tmux against `latticectl sim` with kubectl.
# Usage: LATTICECTL=path sh tests/tui/demo_tui_owner.sh
set -u
bin=${LATTICECTL:-build/latticectl}
passed=0; failed=0; skipped=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }
finish() { echo "demo_tui_owner: $passed passed, $failed failed, $skipped skipped"; [ $failed -eq 0 ]; exit $?; }

for tool in tmux kubectl; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "SKIP: the owner test needs $tool"; skipped=1; finish
	fi
done
work=$(mktemp -d)
sock="lo$$"
T="tmux -L $sock"
sim=""
trap '$T kill-server 2>/dev/null; [ -n "$sim" ] && kill $sim 2>/dev/null; rm -rf "$work"' EXIT
export HOME="$work/home" KUBECACHEDIR="$work/kcache"
mkdir -p "$HOME"
"$bin" sim --dir "$work/sim" >"$work/env" 2>"$work/sim.log" &
sim=$!
i=0
while [ $i -lt 600 ] && ! grep -q AWS_SECRET_ACCESS_KEY "$work/env"; do sleep 0.1; i=$((i + 1)); done
. "$work/env"

# lease HOLDER AGE_SECONDS: the leader Lease renewed AGE_SECONDS ago for 60 s.
lease() {
	renew=$(date -u -d "@$(( $(date +%s) - $2 ))" +%Y-%m-%dT%H:%M:%S.000000Z)
	cat >"$work/lease.yaml" <<EOF
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: amazon-vpc-lattice.io
  namespace: aws-application-networking-system
spec:
  holderIdentity: $1
  leaseDurationSeconds: 60
  renewTime: "$renew"
EOF
	kubectl apply -f "$work/lease.yaml" >>"$work/kubectl.out" 2>&1
}
kubectl create namespace aws-application-networking-system >"$work/kubectl.out" 2>&1
lease "gateway-api-controller-7d9f_upstream" 0 && ok "a live Lease held by another controller" \
    || { bad "kubectl: $(tail -3 "$work/kubectl.out")"; finish; }

screen() { $T capture-pane -t s -p; }
wait_for() {
	n=0
	while [ $n -lt 200 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1; n=$((n + 1))
	done
	return 1
}
$T -f /dev/null start-server \; set -g exit-empty off \; set -g status off
$T new-session -d -s s -x 140 -y 24 -e LANG=C.UTF-8 -e TERM=tmux-256color \
    -e KUBECONFIG="$KUBECONFIG" -e HOME="$HOME" -e NO_COLOR= \
    "$bin tui --log-file $work/tui.log; echo \$? >$work/rc" \; set -t s remain-on-exit on
wait_for "READ-ONLY: GatewayClass amazon-vpc-lattice is owned by gateway-api-controller-7d9f" \
    && ok "read-only, naming the Lease holder" || bad "no read-only marker: $(screen | head -2)"
$T send-keys -t s ':install' Enter; sleep 0.5
$T send-keys -t s r; sleep 0.5
wait_for "refused" && ok "an action is refused while read-only" || bad "not refused: $(screen | tail -3)"
$T send-keys -t s Escape ':routes' Enter
lease "gateway-api-controller-7d9f_upstream" 120
n=0
while [ $n -lt 250 ] && screen | grep -q "READ-ONLY"; do sleep 0.1; n=$((n + 1)); done
screen | grep -q "READ-ONLY" && bad "still read-only after the Lease expired" \
    || ok "writable again once the Lease has expired"
$T send-keys -t s q
n=0
while [ $n -lt 100 ] && [ ! -s "$work/rc" ]; do sleep 0.1; n=$((n + 1)); done
[ "$(cat "$work/rc" 2>/dev/null)" = 0 ] && ok "q quits with 0" || bad "exit: $(cat "$work/rc" 2>/dev/null)"
finish
