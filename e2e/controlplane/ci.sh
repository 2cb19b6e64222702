#!/usr/bin/env bash
# CI entry point for the Kubernetes control plane, run by .ci/run before the tests:
#   1. installs the Debian packages the build and the harness need (only those missing),
#   2. builds the pinned binaries with build.sh, or reuses them from the cache,
#   3. checks that kube-apiserver reports the pinned version.
# Idempotent. The build's output goes to a log file; this prints a short summary, and on failure
# the log's tail, and exits non-zero.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
log=${AEGIS_CONTROLPLANE_LOG:-${TMPDIR:-/tmp}/aegis-controlplane-build.log}
say() { echo "controlplane: $*"; }
fail() {
  echo "controlplane: FAILED: $*" >&2
  exit 1
}

# openssl: the harness's certificates; flock (util-linux): one build at a time; time: build figures;
# ca-certificates: HTTPS to the Go module proxy.
missing=()
command -v openssl > /dev/null || missing+=(openssl)
command -v flock > /dev/null || missing+=(util-linux)
command -v sha256sum > /dev/null || missing+=(coreutils)
[[ -x /usr/bin/time ]] || missing+=(time)
[[ -f /etc/ssl/certs/ca-certificates.crt ]] || missing+=(ca-certificates)
if ((${#missing[@]} > 0)); then
  say "installing Debian packages: ${missing[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >> "$log" 2>&1 ||
    fail "apt-get install ${missing[*]} failed; see $log"
fi

command -v go > /dev/null || fail "Go is not on PATH; Go >= 1.26 is needed to build the control plane"

dir=$("$here/build.sh" --print-dir)
if [[ -f $dir/.complete ]]; then
  say "reusing binaries in $dir"
else
  say "building Kubernetes $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION, helm $HELM_VERSION (log: $log)"
  timing=$(mktemp)
  if ! /usr/bin/time -v -o "$timing" "$here/build.sh" >> "$log" 2>&1; then
    tail -n 40 "$log" >&2
    fail "build.sh failed; full log in $log"
  fi
  elapsed=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$timing")
  peak_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$timing")
  rm -f "$timing"
  say "built in $elapsed, peak memory $((peak_kb / 1024)) MiB, into $dir"
fi

reported=$("$dir/kube-apiserver" --version 2>&1) || fail "$dir/kube-apiserver does not run: $reported"
[[ $reported == "Kubernetes $K8S_VERSION" ]] || fail "kube-apiserver reports '$reported', expected 'Kubernetes $K8S_VERSION'"
say "ok: $reported; etcd $("$dir/etcd" --version | sed -n 's/^etcd Version: //p'); $("$dir/kubectl" version --client 2>/dev/null | head -1)"
