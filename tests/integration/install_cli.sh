#!/bin/sh
# `latticectl install` / `uninstall` end to end against `latticectl sim`:
# --init writes lab.yaml from the simulated account, --dry-run plans a
# fresh account, install goes from empty to every step Ready (with
# `latticectl controller` started, once its CRDs exist, in place of the
# controller's pods, so the GatewayClass is Accepted), a re-run changes
# nothing, uninstall --yes goes back to empty.
# Usage: LATTICECTL=path sh tests/integration/install_cli.sh
set -u
bin=${LATTICECTL:-build/latticectl}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac	# the test cd's into its work dir
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }

if ! "$bin" install --help >/dev/null 2>&1 || ! "$bin" controller --help >/dev/null 2>&1; then
	echo "SKIP: install_cli: $bin has no install or controller command"
	exit 0
fi
work=$(mktemp -d)
simpid=; ctlpid=
trap 'kill $ctlpid $simpid 2>/dev/null; rm -rf "$work"' EXIT
export HOME="$work/home"
mkdir -p "$HOME"
cd "$work" || exit 1

"$bin" sim --dir "$work/sim" --delay 200 >env 2>sim.log &
simpid=$!
i=0
while [ $i -lt 600 ] && ! grep -qs AWS_SECRET_ACCESS_KEY env; do sleep 0.1; i=$((i + 1)); done
grep -q '^export KUBECONFIG=' env || { bad "sim printed no export lines"; exit 1; }
# shellcheck disable=SC1091
. ./env
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
simkc=$KUBECONFIG
export KUBECONFIG="$HOME/.kube/config"

"$bin" install --init --mode latticectl --config lab.yaml 2>init.err \
	&& grep -q '^    id: vpc-' lab.yaml && ok "install --init wrote lab.yaml with the lab's VPC" \
	|| bad "install --init: $(cat init.err)"
vpc=$(sed -n 's/^    id: \(vpc-[0-9a-f]*\)$/\1/p' lab.yaml)

"$bin" install --dry-run --config lab.yaml >dry.txt 2>&1
grep -q '\$ aws eks create-cluster --name c1' dry.txt && grep -q '\$ aws iam create-policy' dry.txt \
	&& ok "dry run plans the fresh account with commands" || bad "dry run: $(head -20 dry.txt)"
"$bin" aws whoami >/dev/null 2>&1
if command -v aws >/dev/null 2>&1; then
	[ "$(aws eks list-clusters --query 'length(clusters)' --output text)" = 0 ] \
		&& ok "the dry run created nothing" || bad "the dry run created a cluster"
fi

"$bin" install --config lab.yaml --yes --poll 0.2 >install.txt 2>&1 &
inspid=$!
i=0
while [ $i -lt 600 ] && ! grep -qs '^\[.*\] controller *Ready' install.txt; do sleep 0.1; i=$((i + 1)); done
CLUSTER_NAME=c1 CLUSTER_VPC_ID=$vpc AWS_ACCOUNT_ID=123456789012 \
	"$bin" --kubeconfig "$simkc" controller >controller.log 2>&1 &
ctlpid=$!
wait $inspid; rc=$?
cat install.txt
[ $rc -eq 0 ] && grep -q 'install: 7/7 steps Ready' install.txt \
	&& ok "install: empty to 7/7 Ready" || bad "install exit $rc"
grep -q 'gatewayclass *Ready .*Accepted=True' install.txt && ok "GatewayClass Accepted" || bad "GatewayClass not Accepted"

"$bin" install --config lab.yaml --yes --poll 0.2 >rerun.txt 2>&1 \
	&& grep -q 'install: 7/7 steps Ready, 0 changed' rerun.txt \
	&& ok "re-run: nothing changed" || bad "re-run: $(tail -3 rerun.txt)"

"$bin" uninstall --config lab.yaml --poll 0.2 </dev/null >refuse.txt 2>&1
[ $? -ne 0 ] && grep -q 'nothing deleted' refuse.txt && ok "uninstall without --yes off a terminal deletes nothing" \
	|| bad "uninstall without --yes: $(tail -2 refuse.txt)"

"$bin" uninstall --config lab.yaml --yes --poll 0.2 >uninstall.txt 2>&1; rc=$?
cat uninstall.txt
[ $rc -eq 0 ] && grep -q 'uninstall: 8/8 steps Ready' uninstall.txt \
	&& ok "uninstall: back to empty" || bad "uninstall exit $rc"
if command -v aws >/dev/null 2>&1; then
	n=$(aws eks list-clusters --query 'length(clusters)' --output text)
	p=$(aws iam list-policies --scope Local --query 'length(Policies)' --output text)
	o=$(aws iam list-open-id-connect-providers --query 'length(OpenIDConnectProviderList)' --output text)
	[ "$n$p$o" = 000 ] && ok "no cluster, policy or OIDC provider left" || bad "left: clusters $n policies $p oidc $o"
fi

echo "install_cli: $passed passed, $failed failed"
[ $failed -eq 0 ]
