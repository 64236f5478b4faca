#!/bin/sh
# make screenshots: run the real `latticectl demo` in tmux (100x30, 256
# colours), drive it through the installer, the workloads and the
# dashboard, and turn each screen into a PNG: tmux capture-pane -e -N
# (SGR escapes, trailing blanks kept) -> aha (HTML) -> headless chromium
# (PNG). Writes screenshots/{installer,workloads,dashboard,route-detail,
# target-groups,diagnose}.png. Needs tmux, aha and chromium
# (apt-get install -y tmux aha chromium).
# Usage: sh scripts/screenshots.sh [path/to/latticectl] [outdir]
set -u
bin=${1:-build/latticectl}
out=${2:-screenshots}
cols=100
rows=30

for tool in tmux aha chromium; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "screenshots: $tool is missing (apt-get install -y tmux aha chromium)" >&2
		exit 1
	fi
done
[ -x "$bin" ] || { echo "screenshots: no $bin (make first)" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
T="tmux -L shot$$"
trap '$T kill-server 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/tmp"

# wait_for TEXT [SECONDS]: poll the plain screen.
wait_for() {
	n=0; lim=$(( ${2:-30} * 10 ))
	while [ $n -lt $lim ]; do
		$T capture-pane -t s -p | grep -qF -- "$1" && return 0
		sleep 0.1; n=$((n + 1))
	done
	echo "screenshots: timed out waiting for '$1'" >&2
	return 1
}
keys() { $T send-keys -t s "$@"; sleep 0.3; }
# shot NAME: the screen as $out/NAME.png (14px DejaVu Sans Mono cells).
shot() {
	sleep 0.6
	$T capture-pane -t s -e -p -N >"$work/$1.ans"
	aha --black --title "latticectl $1" <"$work/$1.ans" | sed \
	    's#</head>#<style>body{margin:0}pre{margin:8px;font:14px/1.2 "DejaVu Sans Mono",monospace}</style></head>#' \
	    >"$work/$1.html"
	chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
	    --window-size=$((cols * 85 / 10 + 16)),$((rows * 17 + 16)) \
	    --screenshot="$PWD/$out/$1.png" "file://$work/$1.html" \
	    >/dev/null 2>&1
	[ -s "$out/$1.png" ] && echo "wrote $out/$1.png" || { echo "screenshots: no $out/$1.png" >&2; exit 1; }
}

# Status off before the session starts (a late one resizes the pane).
$T -u -f /dev/null start-server \; set -g exit-empty off \; set -g status off
$T new-session -d -s s -x $cols -y $rows -e LANG=C.UTF-8 -e NCURSES_NO_UTF8_ACS=1 \
    -e TERM=tmux-256color -e TMPDIR="$work/tmp" -e HOME="$work" \
    "$bin demo --delay 100 --log-file $work/demo.log"

wait_for "Installer" || exit 1
keys r
wait_for "GatewayClass amazon-vpc-lattice" && sleep 2
wait_for "7/7 ready" 120 || exit 1
keys k; keys k; keys k
shot installer
keys w; wait_for "Workloads[5]" || exit 1
for i in 1 2 3 4 5; do keys Enter; keys j; done
n=0
while [ $n -lt 100 ] && [ "$($T capture-pane -t s -p | grep -c ' applied ')" -lt 5 ]; do sleep 0.1; n=$((n + 1)); done
shot workloads
keys Escape; keys ':routes' Enter
wait_for "4/4" 60 && wait_for "2/2" 60 || exit 1
keys Space; keys j; keys j; keys j; keys j; keys j; keys j; keys j; keys j; keys Space
sleep 1
shot dashboard
keys ':tg' Enter; wait_for "TargetGroups" || exit 1
shot target-groups
keys Escape; keys ':routes' Enter; keys g; keys G; keys Enter
wait_for "Route HTTPRoute/default/rates" || exit 1
shot route-detail
keys D; wait_for "Diagnose HTTPRoute/default/rates" && wait_for "fail 0" 30 || exit 1
shot diagnose
keys Escape; keys Escape; keys q
