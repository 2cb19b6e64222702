#!/usr/bin/env bash
# Builds the pinned control-plane binaries (kube-apiserver, kube-controller-manager, kube-scheduler,
# kubectl, etcd, kwok, helm) from the Go module proxy, or reuses them when already built.
#
#   e2e/controlplane/build.sh              build if missing, print the binary folder
#   e2e/controlplane/build.sh --print-dir  only print the folder the binaries live (or would live) in
#
# Output: ${AEGIS_CACHE_DIR:-~/.cache/aegis}/k8s-bin/<versions>-<hash of these inputs>/
# Go caches: ${AEGIS_CACHE_DIR}/go/{mod,build}. Nothing is written inside the repository.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"

cache_root=${AEGIS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aegis}

# The folder name carries the versions and a hash of every input of the build, so editing this script,
# a version or a wrapper module yields a new folder (and the TypeScript harness computes the same name).
inputs_hash() {
  local f
  (
    cd "$here"
    for f in build.sh versions.env modules/etcd/go.mod modules/etcd/go.sum modules/helm/go.mod \
      modules/helm/go.sum modules/kubernetes/go.mod modules/kubernetes/go.sum modules/kwok/go.mod \
      modules/kwok/go.sum; do
      printf '%s  %s\n' "$(sha256sum < "$f" | cut -d' ' -f1)" "$f"
    done
  ) | sha256sum | cut -c1-12
}

bin_name="${K8S_VERSION}-etcd${ETCD_VERSION}-kwok${KWOK_VERSION}-helm${HELM_VERSION}-$(inputs_hash)"
out="$cache_root/k8s-bin/$bin_name"
binaries=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok helm)
files=(kwok-stages.yaml versions.json)

if [[ ${1-} == --print-dir ]]; then
  echo "$out"
  exit 0
fi

complete() {
  [[ -f $out/.complete ]] || return 1
  local b
  for b in "${binaries[@]}"; do [[ -x $out/$b ]] || return 1; done
  for b in "${files[@]}"; do [[ -f $out/$b ]] || return 1; done
}

if complete; then
  echo "$out"
  exit 0
fi

command -v go > /dev/null || { echo "build.sh: go is not on PATH (Go >= 1.26 is needed)" >&2; exit 1; }
go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
if [[ ! $go_minor =~ ^[0-9]+$ ]] || ((go_minor < 26)); then
  echo "build.sh: Go >= 1.26 is needed, found $(go env GOVERSION)" >&2
  exit 1
fi

mkdir -p "$cache_root/k8s-bin"
# One build at a time per cache; a second caller waits, then finds the binaries built.
exec 9> "$cache_root/k8s-bin/.build.lock"
flock 9
if complete; then
  echo "$out"
  exit 0
fi

export GOMODCACHE="$cache_root/go/mod" GOCACHE="$cache_root/go/build"
export GOFLAGS="-trimpath -buildvcs=false -mod=readonly" GOTOOLCHAIN=local CGO_ENABLED=0
work="$out.partial"
rm -rf "$work"
mkdir -p "$work"

log() { echo "build.sh: $(date -u +%H:%M:%S) $*" >&2; }

# Version stamps as hack/lib/version.sh sets them, so `kubectl version` reports the real release.
k8s_minor=$(echo "$K8S_VERSION" | cut -d. -f2)
build_date=$(date -u +'%Y-%m-%dT%H:%M:%SZ')
k8s_ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  k8s_ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$k8s_minor"
  k8s_ldflags+=" -X $pkg.gitTreeState=archive -X $pkg.gitCommit= -X $pkg.buildDate=$build_date"
done

log "etcd $ETCD_VERSION"
(cd "$here/modules/etcd" && go build -ldflags "-s -w" -o "$work/etcd" go.etcd.io/etcd/server/v3)

log "kubernetes $K8S_VERSION (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl)"
(cd "$here/modules/kubernetes" && go build -ldflags "$k8s_ldflags" -o "$work/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)

log "kwok $KWOK_VERSION"
(cd "$here/modules/kwok" && go build -ldflags "-s -w" -o "$work/kwok" sigs.k8s.io/kwok/cmd/kwok)
# The kwok controller needs Stage objects; these are the ones kwokctl uses by default (fast node
# start-up, heartbeat through the node lease, pods Ready at once), taken from the pinned module.
kwok_src=$(cd "$here/modules/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
for stage in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
  pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
  echo '---'
  cat "$kwok_src/kustomize/stage/$stage.yaml"
done > "$work/kwok-stages.yaml"

log "helm $HELM_VERSION"
(cd "$here/modules/helm" && go build \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
  -o "$work/helm" helm.sh/helm/v3/cmd/helm)

cat > "$work/versions.json" << JSON
{"kubernetes":"$K8S_VERSION","etcd":"$ETCD_VERSION","kwok":"$KWOK_VERSION","helm":"$HELM_VERSION","go":"$(go env GOVERSION)","built":"$build_date"}
JSON
touch "$work/.complete"
rm -rf "$out"
mv "$work" "$out"
log "done: $out"
echo "$out"
