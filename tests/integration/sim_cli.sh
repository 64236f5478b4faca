#!/bin/sh
# `latticectl sim` end to end: start it, use the export lines with the real
# kubectl and aws CLI, stop it with SIGTERM, check the saved state (0600),
# restart from it and find the objects again.
# Usage: LATTICECTL=path sh tests/integration/sim_cli.sh
set -u
bin=${LATTICECTL:-build/latticectl}
passed=0; failed=0; skipped=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $1"; }

work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
export HOME="$work/home" KUBECACHEDIR="$work/kcache"
mkdir -p "$HOME"

start_sim() {
	# A fresh env file: a restart must not read the previous run's lines.
	rm -f "$work/env" "$work/sim/kubeconfig"
	"$bin" sim --state "$work/state.json" --dir "$work/sim" >"$work/env" 2>"$work/sim.log" &
	pid=$!
	i=0
	while [ $i -lt 600 ] && ! grep -q AWS_SECRET_ACCESS_KEY "$work/env"; do
		sleep 0.1; i=$((i + 1))
	done
	grep -q '^export KUBECONFIG=' "$work/env" || { bad "sim printed no export lines"; cat "$work/sim.log"; return 1; }
	# shellcheck disable=SC1090
	. "$work/env"
	export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
	return 0
}

stop_sim() {
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	[ $rc -eq 0 ] && ok "sim exits 0 on SIGTERM" || bad "sim exit status $rc on SIGTERM"
}

start_sim || exit 1
grep -q '^export AWS_ENDPOINT_URL=http://127.0.0.1:' "$work/env" && ok "AWS_ENDPOINT_URL printed" || bad "AWS_ENDPOINT_URL"
grep -q '^export AWS_REGION=' "$work/env" && ok "AWS_REGION printed" || bad "AWS_REGION"
mode=$(stat -c %a "$KUBECONFIG")
[ "$mode" = 600 ] && ok "kubeconfig mode 0600" || bad "kubeconfig mode $mode"
grep -q certificate-authority-data "$KUBECONFIG" && ok "kubeconfig carries certificate-authority-data" || bad "no CA data in kubeconfig"

if command -v kubectl >/dev/null 2>&1; then
	if kubectl get namespaces >"$work/out" 2>&1 && grep -q default "$work/out"; then
		ok "kubectl get namespaces over TLS with the token"
	else
		bad "kubectl get namespaces: $(cat "$work/out")"
	fi
	kubectl create configmap lab-marker --from-literal=k=v >"$work/out" 2>&1 \
		&& ok "kubectl create configmap" || bad "kubectl create: $(cat "$work/out")"
else
	skip "kubectl not installed"
fi

if "$bin" aws whoami -o json >"$work/out" 2>&1 && grep -q '"123456789012"' "$work/out"; then
	ok "latticectl aws whoami against the simulator"
else
	bad "latticectl aws whoami: $(cat "$work/out")"
fi
if grep -q "$AWS_SECRET_ACCESS_KEY" "$work/out" "$work/sim.log"; then
	bad "the secret key appears in whoami output or the sim log"
else
	ok "no secret key in whoami output or the sim log"
fi

if command -v aws >/dev/null 2>&1; then
	if aws ec2 describe-vpcs --filters Name=tag:Name,Values=LatticeWorkshop-Clients-VPC \
	    --query 'Vpcs[0].VpcId' --output text >"$work/out" 2>&1 && grep -q '^vpc-' "$work/out"; then
		ok "aws ec2 finds the seeded LatticeWorkshop-Clients-VPC"
	else
		bad "aws ec2 describe-vpcs: $(cat "$work/out")"
	fi
	aws vpc-lattice create-service-network --name my-hotel >"$work/out" 2>&1 \
		&& ok "aws vpc-lattice create-service-network" || bad "create-service-network: $(cat "$work/out")"
	aws sts get-caller-identity --query Account --output text >"$work/out" 2>&1 \
		&& grep -q '^[0-9]\{12\}$' "$work/out" && ok "aws sts get-caller-identity" || bad "sts: $(cat "$work/out")"
	# The lab's EKS path: a cluster in the client VPC, then kubectl with
	# the token `aws eks get-token` presigns (verified by replaying it
	# against the simulated STS); a tampered token gets 401.
	vpc=$(aws ec2 describe-vpcs --filters Name=tag:Name,Values=LatticeWorkshop-Clients-VPC \
	    --query 'Vpcs[0].VpcId' --output text 2>/dev/null)
	subnets=$(aws ec2 describe-subnets --filters "Name=vpc-id,Values=$vpc" 'Name=tag:Name,Values=*Private*' \
	    --query 'Subnets[].SubnetId' --output text 2>/dev/null | tr '\t' ',')
	aws iam create-role --role-name eks-cluster-role --assume-role-policy-document \
	    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}' \
	    >"$work/out" 2>&1 || bad "iam create-role: $(cat "$work/out")"
	if aws eks create-cluster --name c1 --role-arn arn:aws:iam::123456789012:role/eks-cluster-role \
	    --resources-vpc-config "subnetIds=$subnets" >"$work/out" 2>&1; then
		ok "aws eks create-cluster in the client VPC's private subnets"
	else
		bad "eks create-cluster: $(cat "$work/out")"
	fi
	i=0
	while [ $i -lt 300 ] && [ "$(aws eks describe-cluster --name c1 --query cluster.status --output text 2>/dev/null)" != ACTIVE ]; do
		sleep 0.2; i=$((i + 1))
	done
	tok=$(aws eks get-token --cluster-name c1 --query status.token --output text 2>"$work/out")
	if command -v kubectl >/dev/null 2>&1; then
		if kubectl --token "$tok" get namespaces >"$work/out" 2>&1 && grep -q default "$work/out"; then
			ok "kubectl with an EKS token from aws eks get-token"
		else
			bad "EKS token refused: $(tail -1 "$work/out")"
		fi
		if kubectl --token "${tok}x" get namespaces >"$work/out" 2>&1; then
			bad "a tampered EKS token was accepted"
		else
			grep -q Unauthorized "$work/out" && ok "a tampered EKS token gets 401" || bad "tampered token: $(tail -1 "$work/out")"
		fi
	fi
else
	skip "aws CLI not installed"
fi

stop_sim
mode=$(stat -c %a "$work/state.json" 2>/dev/null)
[ "$mode" = 600 ] && ok "state file saved with mode 0600" || bad "state file mode '$mode'"

start_sim || exit 1
if command -v kubectl >/dev/null 2>&1; then
	kubectl get configmap lab-marker -o jsonpath='{.data.k}' >"$work/out" 2>&1 && grep -q '^v$' "$work/out" \
		&& ok "configmap survives a restart from --state" || bad "after restart: $(cat "$work/out")"
fi
if command -v aws >/dev/null 2>&1; then
	aws vpc-lattice list-service-networks --query 'items[].name' --output text >"$work/out" 2>&1 \
		&& grep -q my-hotel "$work/out" && ok "service network survives a restart" || bad "after restart: $(cat "$work/out")"
fi
stop_sim

echo "sim_cli: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
