#!/bin/sh
# Golden screens: drive the real `latticectl tui` in tmux (80x24) against
# `latticectl sim`: routes, help, filter, command mode, namespaces, the
# :tg, :drift, :install and :doctor views, the route detail, the y/n
# confirmation, resize, read-only (indicator and refusals), the config
# file (theme errors, ascii), stale marker, --exit-after, and quit
# restoring the terminal. GENERATE=1 rewrites tests/tui/golden/*.txt.
# Usage: LATTICECTL=path sh tests/tui/tui_golden.sh
set -u
bin=${LATTICECTL:-build/latticectl}
ref=${LATTICECTL_REFERENCE:-../shared/reference}
gold=tests/tui/golden
passed=0; failed=0; skipped=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }
finish() { echo "tui: $passed passed, $failed failed, $skipped skipped"; [ $failed -eq 0 ]; exit $?; }

for tool in tmux kubectl; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "SKIP: tui golden screens need $tool"; skipped=1; finish
	fi
done
if [ ! -d "$ref" ] || ! "$bin" tui --help >/dev/null 2>&1; then
	echo "SKIP: needs $ref and a latticectl with the tui command"; skipped=1; finish
fi
work=$(mktemp -d)
sock="lt$$"
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
crds=$ref/crds/gateway-api-v1.5.1
kubectl apply --server-side -f "$crds/gateway.networking.k8s.io_httproutes.yaml" \
    -f "$crds/gateway.networking.k8s.io_grpcroutes.yaml" \
    -f "$crds/gateway.networking.k8s.io_gateways.yaml" >"$work/out" 2>&1 \
    && kubectl apply -f "$ref/examples/rate-route-path.yaml" \
    -f "$ref/examples/my-hotel-gateway.yaml" >>"$work/out" 2>&1 \
    && ok "CRDs, my-hotel and rates applied" || { bad "kubectl apply: $(tail -2 "$work/out")"; finish; }

# screen [session]: the pane as text, ages masked.
screen() {
	$T capture-pane -t "${1:-s}" -p | sed -E 's/ [0-9]+[smhd]([0-9]+[smhd])? *│$/ <age>│/'
}
# wait_for TEXT [session]: poll the screen up to 15 s.
wait_for() {
	n=0
	while [ $n -lt 150 ]; do
		screen "${2:-s}" | grep -qF -- "$1" && return 0
		sleep 0.1; n=$((n + 1))
	done
	return 1
}
# dead SESSION: wait up to 10 s for the tui to exit; print its exit
# status and whether the pane is still on the alternate screen.
dead() {
	n=0
	while [ $n -lt 100 ] && [ ! -s "$work/$1.rc" ]; do
		sleep 0.1; n=$((n + 1))
	done
	echo "$(cat "$work/$1.rc" 2>/dev/null) $($T display -p -t "$1" '#{alternate_on}')"
}
# golden NAME: compare the screen with golden/NAME.txt.
golden() {
	screen >"$work/$1.txt"
	if [ "${GENERATE:-}" = 1 ]; then cp "$work/$1.txt" "$gold/$1.txt"; ok "generated $1"; return; fi
	if cmp -s "$work/$1.txt" "$gold/$1.txt"; then ok "golden $1"; else
		bad "golden $1 differs:"; diff "$gold/$1.txt" "$work/$1.txt" | head -20; fi
}
# start NAME ARGS...: the tui in a fresh 80x24 session.
start() {
	name=$1; shift
	$T new-session -d -s "$name" -x 80 -y 24 -e LANG=C.UTF-8 -e TERM=tmux-256color \
	    -e KUBECONFIG="$KUBECONFIG" -e HOME="$HOME" -e NO_COLOR= \
	    "$bin tui --log-file $work/$name.log $*; echo \$? >$work/$name.rc" \; \
	    set -t "$name" remain-on-exit on \; set -t "$name" status off
}

$T -f /dev/null start-server \; set -g exit-empty off \; set -g status off
start s
wait_for "rates" && ok "routes view shows rates" || bad "no rates: $(screen)"
wait_for "my-hotel" && golden routes
$T send-keys -t s '?'; wait_for "KEYS" && golden help || bad "no help"
$T send-keys -t s Escape; wait_for "Routes(all)" && ok "esc goes back" || bad "esc: $(screen | head -3)"
$T send-keys -t s '/' 'zz'; wait_for "Routes(all)[0] /zz" && ok "filter narrows live" || bad "filter: $(screen | head -3)"
$T send-keys -t s C-u 'rat' Enter; wait_for "Routes(all)[1] /rat" && ok "filter keeps rates" || bad "filter rat"
$T send-keys -t s Escape; wait_for "Routes(all)[1] ─" && ok "esc clears the filter" || bad "esc filter"
$T send-keys -t s ':gw' Enter; wait_for "Gateways(all)[1]" && golden gateways || bad "no :gw: $(screen | head -4)"
$T send-keys -t s ':ns nope' Enter; wait_for "Gateways(nope)[0]" && ok ":ns filters by namespace" || bad ":ns"
$T send-keys -t s ':ns all' Enter ':routes' Enter; wait_for "Routes(all)[1]" && ok ":routes and :ns all" || bad ":routes"
$T send-keys -t s ':frob' Enter; wait_for "unknown command 'frob'" && ok "unknown command is reported" || bad ":frob"
$T send-keys -t s ':ctx' Enter; wait_for "latticectl-sim" && screen | grep -q "connection  live" && ok ":ctx shows the context" || bad ":ctx"
$T send-keys -t s Escape; wait_for "Routes(all)"
$T send-keys -t s ':tg' Enter; wait_for "TargetGroups(all)[" && screen | sed -n 3p | grep -q "HEALTHCHECK" \
    && ok ":tg lists target groups" || bad ":tg: $(screen | head -4)"
$T send-keys -t s ':drift' Enter; wait_for "Drift[0]" && golden drift || bad ":drift: $(screen | head -4)"
$T send-keys -t s ':install' Enter; wait_for "No installer in this session" && golden install \
    || bad ":install: $(screen | head -4)"
$T send-keys -t s ':doctor' Enter; wait_for "Diagnose" && screen | sed -n 2p | grep -q "Diagnose" \
    && ok ":doctor opens the Diagnose view" || bad ":doctor: $(screen | head -4)"
$T send-keys -t s ':rt' Enter; wait_for "Routes(all)[1]"
$T send-keys -t s Enter; wait_for "Route HTTPRoute/default/rates" && ok "enter opens the route detail" \
    || bad "detail: $(screen | head -4)"
$T send-keys -t s Escape; wait_for "Routes(all)[1]"
$T send-keys -t s C-d; wait_for "Delete HTTPRoute/default/rates" && screen | tail -1 | grep -q '\[y/N\]' \
    && ok "ctrl-d asks y/n before deleting a route" || bad "confirm: $(screen | tail -2)"
$T send-keys -t s n; wait_for "route.delete cancelled" && ok "n cancels the delete" || bad "cancel: $(screen | tail -2)"
kubectl get httproute rates >/dev/null 2>&1 && ok "the route is still there" || bad "route gone after n"
$T send-keys -t s '?'; wait_for "KEYS"
$T send-keys -t s ':help' Enter; i=0; while [ $i -lt 30 ]; do $T send-keys -t s j; i=$((i + 1)); done
wait_for "INSTALLER" && screen | grep -q "u  undo the install (asks y/n)" && ok "help lists the installer keys" \
    || bad "help installer: $(screen | tail -5)"
$T send-keys -t s Escape; wait_for "Routes(all)"
$T resize-window -t s -x 60 -y 15; sleep 0.5
screen | sed -n 15p | grep -q '<?> help' && screen | sed -n 2p | grep -q '┐$' && screen | grep -q 'rates' && ok "resize to 60x15 redraws" || bad "resize: $(screen)"
$T resize-window -t s -x 80 -y 24; wait_for "rates"
$T send-keys -t s q
st=$(dead s)
[ "$st" = "0 0" ] && ok "q quits with 0 and leaves the alternate screen" || bad "after q: $st"

start ro --readonly
wait_for "READ-ONLY: " ro && ok "--readonly indicator" || bad "no read-only: $(screen ro | head -2)"
wait_for "rates" ro
$T send-keys -t ro C-d; wait_for "route.delete refused: read-only" ro && ok "read-only refuses a delete without asking" \
    || bad "ro delete: $(screen ro | tail -2)"
$T send-keys -t ro ':install' Enter r; wait_for "install.run refused: read-only" ro \
    && ok "read-only refuses installer keys" || bad "ro install: $(screen ro | tail -2)"
$T send-keys -t ro C-c
st=$(dead ro)
[ "$st" = "0 0" ] && ok "ctrl-c restores the terminal" || bad "after ctrl-c: $st"

start sm --exit-after 5
st=$(dead sm)
[ "$st" = "0 0" ] && ok "--exit-after 5 exits 0" || bad "--exit-after: $st"

start st --ascii
wait_for "+ live" st && ok "ASCII fallback header" || bad "ascii: $(screen st | head -2)"

# the config file: a bad theme field is named with the file, ascii: true
mkdir -p "$HOME/.config/latticectl"
printf 'theme: [1]\n' >"$HOME/.config/latticectl/config.yaml"
start cf
wait_for "config.yaml: theme: expected a the" cf && ok "config error names file and field" \
    || bad "config error: $(screen cf | tail -2)"
$T kill-session -t cf
printf 'theme: mono\nascii: true\n' >"$HOME/.config/latticectl/config.yaml"
start ca
wait_for "+ live" ca && ok "config ascii: true" || bad "config ascii: $(screen ca | head -2)"
$T kill-session -t ca
rm -f "$HOME/.config/latticectl/config.yaml"
kill $sim; wait $sim 2>/dev/null; sim=""
wait_for "stale" st && ok "stale marker when the API goes away" || bad "no stale: $(screen st | head -2)"
$T kill-session -t st

# The demo walked through the UI: installer, workloads, a converged
# dashboard with the chain, :tg and Diagnose (skipped without demo).
# wait_long TEXT SESSION SECONDS
wait_long() {
	n=0
	while [ $n -lt $(($3 * 10)) ]; do
		screen "$2" | grep -qF -- "$1" && return 0
		sleep 0.1; n=$((n + 1))
	done
	return 1
}
if ! "$bin" demo --help >/dev/null 2>&1; then
	echo "SKIP: demo walk-through needs a latticectl with the demo command"; skipped=$((skipped + 1)); finish
fi
mkdir -p "$work/tmp"
$T new-session -d -s dm -x 80 -y 24 -e LANG=C.UTF-8 -e TERM=tmux-256color -e HOME="$HOME" \
    -e TMPDIR="$work/tmp" -e NO_COLOR= "$bin demo --log-file $work/dm.log; echo \$? >$work/dm.rc" \; \
    set -t dm remain-on-exit on \; set -t dm status off
wait_long "0/7 ready" dm 60 && ok "demo opens the Installer" || bad "demo installer: $(screen dm | head -4)"
$T send-keys -t dm r
wait_long "7/7 ready" dm 120 && screen dm | grep -q '^│ \$ ' && ok "r runs every step to ready, command shown" \
    || bad "demo install: $(screen dm)"
$T send-keys -t dm w; wait_long "Workloads[" dm 10
for i in 1 2 3 4 5; do $T send-keys -t dm Enter j; sleep 0.3; done
n=0; while [ $n -lt 300 ] && [ "$(screen dm | grep -c ' applied')" -lt 5 ]; do sleep 0.2; n=$((n + 1)); done
[ "$(screen dm | grep -c ' applied')" -eq 5 ] && ok "enter applies the five workloads" || bad "workloads: $(screen dm)"
$T send-keys -t dm ':rt' Enter
conv() { [ "$(screen dm | grep -cE '✔ ▸ (rates|inventory) ')" -eq 2 ]; }
n=0; while [ $n -lt 600 ] && ! conv; do sleep 0.2; n=$((n + 1)); done
conv && ok "dashboard: rates and inventory in sync" || bad "not converged: $(screen dm)"
$T send-keys -t dm G ' '
wait_long "sn my-hotel" dm 10 && screen dm | grep -q "HTTP:80" && screen dm | grep -q "#1 prefix:/parking" \
    && ok "space opens rates' chain: service, association, listener, rules" || bad "chain: $(screen dm)"
$T send-keys -t dm ':tg' Enter
wait_long "TargetGroups(all)[" dm 10 && screen dm | grep -q "k8s-default-" && ok ":tg lists the lab's target groups" \
    || bad "demo :tg: $(screen dm | head -6)"
$T send-keys -t dm ':rt' Enter G D
wait_long "Diagnose HTTPRoute/default/rates" dm 60 && ok "D diagnoses the route" || bad "demo D: $(screen dm | head -4)"
$T send-keys -t dm q
n=0; while [ $n -lt 300 ] && [ ! -s "$work/dm.rc" ]; do sleep 0.1; n=$((n + 1)); done
[ "$(cat "$work/dm.rc" 2>/dev/null)" = 0 ] && ok "demo quits with 0" || bad "demo exit: $(cat "$work/dm.rc" 2>/dev/null)"
$T kill-session -t dm
finish
