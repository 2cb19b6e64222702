#!/usr/bin/env bash
# `npm run image:smoke`: runs every component of the plain manifests from the built image ($AEGIS_IMAGE,
# default aegis:local; `npm run image:build` first) on a private Docker engine, with the manifests'
# security settings and host networking on loopback ports, against a local Kubernetes API server;
# waits for each /ready, runs a short end-to-end pass through the containerised gateway, then removes
# the containers, stops the API server and stops the engine by its PID (e2e/src/image/smoke.ts).
# Settings: AEGIS_SMOKE_PORT_OFFSET ("auto", the default: the first free set of ports moved by 20000,
# 21000 or 22000; a number moves every port by it, 0 keeps the platform's own), AEGIS_IMAGE, AEGIS_IMAGE_CACHE, DOCKER.
# Prints, last, "image:smoke passed: ..." with the image size and the checks, or "image:smoke FAILED: ...".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=image-lib.sh
source "$here/image-lib.sh"
cd "$here/.."

image_engine_start
trap image_engine_stop EXIT
"$(image_docker_cli)" image inspect "$AEGIS_IMAGE" > /dev/null 2>&1 ||
  image_fail "no image $AEGIS_IMAGE in $AEGIS_IMAGE_CACHE/docker: run npm run image:build first"
DOCKER=$(image_docker_cli) npx tsx --tsconfig tsconfig.json e2e/src/image/smoke.ts
