#!/usr/bin/env bash
# The platform in a kind cluster: build the one image, load it, install charts/aegis, onboard the
# sample tenants. Used by e2e/kind/src/kind.test.ts; also handy by hand.
#
#   e2e/kind/run.sh up      create the cluster (if needed), build + load the image, helm install, samples
#   e2e/kind/run.sh down    delete the cluster
#
# Where it runs: a machine with a Docker engine that can start privileged containers (kind runs each
# node as one), e.g. a laptop with Docker Desktop or a CI runner with Docker. A machine without one
# (like the project's own, whose engine runs unprivileged) runs `npm run image:build && npm run
# image:smoke` instead: the same image, every component as a container, without pods
# (docs/kubernetes.md, "What is verified where").
#
# How a team with Docker runs it:
#   npm ci && npm run build                     # the suite and this script read the built registry
#   (install kind, kubectl and helm, or build kubectl and helm with e2e/controlplane/build.sh)
#   npx jest e2e/kind                           # up, the API checks through the gateway, down
# or by hand:
#   e2e/kind/run.sh up                          # prints the kubeconfig path
#   kubectl --kubeconfig <path> -n aegis port-forward svc/aegis-gateway 8000:8000
#   e2e/kind/run.sh down
# The image is built from the Dockerfile with its default base (node:20-bookworm-slim from Docker Hub).
#
# Needs docker (a running engine), kind, kubectl and helm on PATH (or KIND, KUBECTL, HELM).
# Settings: KIND_CLUSTER (aegis-e2e), IMAGE (aegis:e2e), NAMESPACE (aegis), KUBECONFIG_OUT
# (<tmp>/aegis-kind-kubeconfig), ADMIN_PASSWORD (bootstrap admin password for the install).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER="${KIND_CLUSTER:-aegis-e2e}"
IMAGE="${IMAGE:-aegis:e2e}"
NAMESPACE="${NAMESPACE:-aegis}"
KIND="${KIND:-kind}"
KUBECTL="${KUBECTL:-kubectl}"
HELM="${HELM:-helm}"
KUBECONFIG_OUT="${KUBECONFIG_OUT:-${TMPDIR:-/tmp}/aegis-kind-kubeconfig}"
ADMIN_PASSWORD="${ADMIN_PASSWORD:-kind-e2e-admin-password}"

log() { printf '[kind-e2e] %s\n' "$*" >&2; }
k() { "$KUBECTL" --kubeconfig "$KUBECONFIG_OUT" "$@"; }

up() {
  docker info >/dev/null 2>&1 || { log "docker engine not reachable"; exit 1; }
  if ! "$KIND" get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
    log "creating kind cluster $CLUSTER"
    "$KIND" create cluster --name "$CLUSTER" --wait 120s
  fi
  "$KIND" get kubeconfig --name "$CLUSTER" >"$KUBECONFIG_OUT"

  log "building $IMAGE"
  docker build -t "$IMAGE" "$ROOT"
  log "loading $IMAGE into $CLUSTER"
  "$KIND" load docker-image "$IMAGE" --name "$CLUSTER"

  k create namespace "$NAMESPACE" --dry-run=client -o yaml | k apply -f -
  k label namespace "$NAMESPACE" pod-security.kubernetes.io/enforce=restricted --overwrite
  k -n "$NAMESPACE" create secret generic aegis-secrets \
    --from-literal=postgres-password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    --from-literal=bootstrap-admin-password="$ADMIN_PASSWORD" \
    --from-literal=signing-key-encryption-key="$(head -c 32 /dev/urandom | base64)" \
    --dry-run=client -o yaml | k apply -f -

  # One replica of each implemented service of the registry (the chart's `services` keys).
  local one_replica_each=()
  local svc
  for svc in $(node -e "console.log(require('$ROOT/packages/common/dist/registry/index.js').implementedServices().map((s) => s.name).join(' '))"); do
    one_replica_each+=(--set "services.$svc.replicas=1")
  done
  log "installing charts/aegis"
  "$HELM" --kubeconfig "$KUBECONFIG_OUT" upgrade --install aegis "$ROOT/charts/aegis" -n "$NAMESPACE" \
    --set image.registry= --set image.repository="${IMAGE%%:*}" --set image.tag="${IMAGE##*:}" \
    --set image.pullPolicy=Never \
    --set replicas.gateway=1 --set replicas.operator=1 "${one_replica_each[@]}" \
    --set postgresql.persistence.enabled=false \
    --wait --timeout 10m

  log "onboarding the sample tenants"
  k -n "$NAMESPACE" apply -f "$ROOT/operator/config/samples/"
  k -n "$NAMESPACE" wait --for=condition=Programmed aegistenants --all --timeout=120s
  echo "$KUBECONFIG_OUT"
}

down() {
  "$KIND" delete cluster --name "$CLUSTER"
  rm -f "$KUBECONFIG_OUT"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
