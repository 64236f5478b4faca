#!/bin/sh
# A whole demo run in tmux (100x30), driving the real `latticectl demo`:
# the Installer view before and after running every step (r), the lab's
# workloads applied from the menu (w, enter x5), the dashboard with
# rates and inventory in sync with their Lattice chain (service
# rates-default, target groups k8s-default-parking-...), :tg, the route
# detail scrolled by keys (G, g, PgDn, j, k: lines below the first page
# show), the live Diagnose view of the rates route (all OK, re-run by
# itself), and q leaving with 0, the terminal restored
# and the temporary directory removed. Golden screens have timings, ids,
# IPs and ages masked. GENERATE=1 rewrites tests/tui/golden/demo_*.txt.
# Usage: LATTICECTL=path sh tests/tui/demo_run.sh
set -u
bin=${LATTICECTL:-build/latticectl}
gold=tests/tui/golden
passed=0; failed=0; skipped=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }
finish() { echo "demo_run: $passed passed, $failed failed, $skipped skipped"; [ $failed -eq 0 ]; exit $?; }

if ! command -v tmux >/dev/null 2>&1; then
	echo "SKIP: the demo run needs tmux"; skipped=1; finish
fi
if ! "$bin" demo --help >/dev/null 2>&1; then
	echo "SKIP: needs a latticectl with the demo command"; skipped=1; finish
fi
work=$(mktemp -d)
sock="ld$$"
T="tmux -L $sock"
trap '$T kill-server 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/tmp" "$work/home"

# screen: the pane as text with what changes from run to run masked.
screen() {
	$T capture-pane -t s -p | sed -E \
	    -e '1s/ +(connecting…|✔ live|[^ ]+ stale.*)$/ <conn>/' \
	    -e 's/-default-[a-z0-9]{17}/-default-<id>/g' \
	    -e 's/-default-[a-z0-9]{1,16}…/-default-<id>…/g' \
	    -e 's/svc-[a-z0-9]{17}/svc-<id>/g' \
	    -e 's/(k8s-default-(parking|review|inventory-ver1))-[a-z0-9]{10}/\1-<tg>/g' \
	    -e 's/(k8s-default-(parking|review|inventory-ver1)-)[a-z0-9]{1,9}…/\1…/g' \
	    -e 's/10\.244\.[0-9]+\.[0-9]+/<ip>/g' \
	    -e 's/[0-9]+\.[0-9]+ ?s\b/<t>/g' \
	    -e 's/\(x[0-9]+\)/(xN)/g' \
	    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z/<time>/g' \
	    -e 's/ [0-9]+[smhd]([0-9]+[smhd])? *│$/ <age>│/'
}
# wait_for TEXT [SECONDS]: poll the screen (default 30 s).
wait_for() {
	n=0; lim=$(( ${2:-30} * 10 ))
	while [ $n -lt $lim ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1; n=$((n + 1))
	done
	return 1
}
# golden NAME: compare the screen with golden/NAME.txt.
golden() {
	screen >"$work/$1.txt"
	if [ "${GENERATE:-}" = 1 ]; then cp "$work/$1.txt" "$gold/$1.txt"; ok "generated $1"; return; fi
	if cmp -s "$work/$1.txt" "$gold/$1.txt"; then ok "golden $1"; else
		bad "golden $1 differs:"; diff "$gold/$1.txt" "$work/$1.txt" | head -20; fi
}
keys() { $T send-keys -t s "$@"; sleep 0.3; }

$T -f /dev/null start-server \; set -g exit-empty off \; set -g status off
$T new-session -d -s s -x 100 -y 30 -e LANG=C.UTF-8 -e TERM=tmux-256color \
    -e TMPDIR="$work/tmp" -e HOME="$work/home" -e NO_COLOR= \
    "$bin demo --delay 20 --log-file $work/demo.log 2>$work/err; echo \$? >$work/rc" \; \
    set -t s remain-on-exit on

wait_for "NotFound" && wait_for "Blocked" && golden demo_install_start \
    || bad "no installer view: $(screen | head -5)"
keys r
if wait_for "7/7 ready" 90; then
	sleep 0.5; golden demo_install_done
else
	bad "install did not finish: $(screen | head -12)"; tail -20 "$work/demo.log"; finish
fi
keys w
wait_for "Workloads[5]" || bad "no workloads menu: $(screen | head -4)"
for i in 1 2 3 4 5; do keys Enter; keys j; done
n=0
while [ $n -lt 100 ] && [ "$(screen | grep -c ' applied ')" -lt 5 ]; do sleep 0.1; n=$((n + 1)); done
[ "$(screen | grep -c ' applied ')" -eq 5 ] && golden demo_workloads || bad "workloads: $(screen | head -9)"
keys Escape; keys ':routes' Enter
wait_for "Routes(all)[2]" && ok "the dashboard lists the lab's two routes" || bad "routes: $(screen | head -6)"
if wait_for "✔ ▸ inventory  default    my-hotel  Accepted  inventory-default-<id>" 60 &&
    wait_for "✔ ▸ rates      default    my-hotel  Accepted  rates-default-<id>" 60; then
	sleep 0.5
	screen | grep -q '✔ ▸ inventory .* 2/2 ' && screen | grep -q '✔ ▸ rates .* 4/4 ' \
	    && ok "rates and inventory in sync with their Lattice service (4/4, 2/2 healthy)" \
	    || bad "route rows: $(screen | head -6)"
	golden demo_routes
else
	bad "not converged: $(screen | head -8)"
fi
keys Space; keys j; keys j
wait_for "sn my-hotel" && screen | grep -q "▾ inventory-default " && ok "inventory's chain: service, service network" \
    || bad "chain: $(screen | head -10)"
keys ':tg' Enter
wait_for "TargetGroups(all)[3]" && screen | grep -q "k8s-default-parking-" && screen | grep -q "k8s-default-review-" \
    && golden demo_tg || bad ":tg: $(screen | head -7)"
keys Escape; keys ':routes' Enter; keys G; keys Enter
wait_for "Route HTTPRoute/default/rates" && wait_for "target group k8s-default-review-<tg>" \
    && golden demo_detail || bad "detail: $(screen)"
# The detail scrolls by keys: the plan is below the first page of 25.
pos() { screen | sed -n 's/.* \([0-9]*\)-\([0-9]*\)\/\([0-9]*\) ─┘$/\1 \2 \3/p' | tail -1; }
set -- $(pos) 0 0 0; nl=$3
if [ "$1 $2" = "1 25" ] && [ "$nl" -gt 25 ] && ! screen | grep -qF "in sync (nothing to do)"; then
	keys G
	[ "$(pos)" = "$((nl - 24)) $nl $nl" ] && wait_for "│ PLAN " 2 && wait_for "in sync (nothing to do)" 2 && wait_for "│ EVENTS " 2 \
	    && ok "detail: G scrolls to the events and the plan (in sync)" || bad "detail G: $(pos): $(screen | tail -8)"
	keys g
	[ "$(pos)" = "1 25 $nl" ] && ! screen | grep -qF "in sync (nothing to do)" && screen | grep -q "│ KUBERNETES " \
	    && ok "detail: g back to the top" || bad "detail g: $(pos): $(screen | head -4)"
	keys NPage
	top=$((nl - 24)); [ $top -gt 24 ] && top=25
	[ "$(pos)" = "$top $((top + 24)) $nl" ] && ok "detail: PgDn scrolls a page" || bad "detail PgDn: $(pos)"
	keys k; keys k; keys j
	[ "$(pos)" = "$((top - 1)) $((top + 23)) $nl" ] && ok "detail: k and j scroll a line" || bad "detail k/j: $(pos)"
	keys g
else
	bad "detail: no scrolling to test (marker '$1 $2 $nl'): $(screen | tail -6)"
fi
# Diagnose on rates: all OK, and live (re-run by itself: the checked
# time in the title moves on without a key).
keys D
checked() { $T capture-pane -t s -p | sed -n '2s/.* \([0-9-]*T[0-9:]*Z\) .*/\1/p'; }
if wait_for "Diagnose HTTPRoute/default/rates" && wait_for " warn 0 fail 0 " 30; then
	screen | sed -n 2p | grep -q " ok [1-9][0-9]* warn 0 fail 0 skip 0 " \
	    && ok "doctor.run on rates: every check OK" || bad "diagnose not all OK: $(screen | head -12)"
	t0=$(checked); n=0
	while [ $n -lt 300 ] && [ "$(checked)" = "$t0" ]; do sleep 0.1; n=$((n + 1)); done
	[ -n "$t0" ] && [ "$(checked)" != "$t0" ] && screen | sed -n 2p | grep -q " fail 0 " \
	    && ok "Diagnose is live: re-checked by itself ($t0 -> $(checked))" || bad "Diagnose not re-run in 30 s: '$t0' $(screen | sed -n 2p)"
else
	bad "diagnose: $(screen | head -4)"
fi
keys Escape; keys Escape; keys q
n=0
while [ $n -lt 100 ] && [ ! -s "$work/rc" ]; do sleep 0.1; n=$((n + 1)); done
st="$(cat "$work/rc" 2>/dev/null) $($T display -p -t s '#{alternate_on}')"
[ "$st" = "0 0" ] && ok "q quits with 0 and leaves the alternate screen" || bad "after q: $st: $(head -40 "$work/err")"
[ -z "$(ls -A "$work/tmp")" ] && ok "temporary directory removed" || bad "left: $(ls "$work/tmp")"

# SIGTERM mid-run: clean exit, nothing left behind.
$T new-session -d -s t -x 80 -y 24 -e LANG=C.UTF-8 -e TERM=tmux-256color \
    -e TMPDIR="$work/tmp" -e HOME="$work/home" \
    "$bin demo --delay 20 --log-file $work/demo2.log 2>$work/err2; echo \$? >$work/rc2" \; \
    set -t t remain-on-exit on
sleep 3
$T send-keys -t t r; sleep 1
sh_pid=$($T display -p -t t '#{pane_pid}')
demo_pid=$(cat "/proc/$sh_pid/task/$sh_pid/children" 2>/dev/null)
[ -n "$demo_pid" ] && kill -TERM $demo_pid
n=0
while [ $n -lt 150 ] && [ ! -s "$work/rc2" ]; do sleep 0.1; n=$((n + 1)); done
st="$(cat "$work/rc2" 2>/dev/null) $($T display -p -t t '#{alternate_on}')"
[ "$st" = "0 0" ] && ok "SIGTERM mid-install: exit 0, terminal restored" || bad "after SIGTERM: $st: $(head -40 "$work/err2")"
[ -z "$(ls -A "$work/tmp")" ] && ok "SIGTERM: temporary directory removed" || bad "SIGTERM left: $(ls "$work/tmp")"
# --exit-after: a smoke run of N frames (what sanitizer builds run).
$T new-session -d -s x -x 80 -y 24 -e LANG=C.UTF-8 -e TERM=tmux-256color \
    -e TMPDIR="$work/tmp" -e HOME="$work/home" \
    "$bin demo --exit-after 20 --delay 20 2>$work/err3; echo \$? >$work/rc3" \; \
    set -t x remain-on-exit on
n=0
while [ $n -lt 300 ] && [ ! -s "$work/rc3" ]; do sleep 0.1; n=$((n + 1)); done
[ "$(cat "$work/rc3" 2>/dev/null)" = 0 ] && [ -z "$(ls -A "$work/tmp")" ] \
    && ok "--exit-after 20 exits 0 and cleans up" || bad "--exit-after: $(cat "$work/rc3" 2>/dev/null) $(head -20 "$work/err3")"
finish
