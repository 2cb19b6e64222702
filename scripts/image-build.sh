#!/usr/bin/env bash
# `npm run image:build`: builds the repository's Dockerfile into $AEGIS_IMAGE (default aegis:local) on
# a private Docker engine (scripts/image-lib.sh), then reports the image's size against the target.
#
# The base image is a build argument. AEGIS_NODE_IMAGE names one to use as is (both stages); otherwise
# node:20-bookworm-slim is pulled when a registry answers, and where none does (this machine) the base
# images are made locally by scripts/image-base.sh and cached outside the repository.
# Settings: AEGIS_IMAGE, AEGIS_IMAGE_CACHE, AEGIS_NODE_IMAGE, AEGIS_IMAGE_MAX_MB (250), DOCKER.
# Prints, last, one line: "image aegis:local <size> MB (target < 250 MB), built in <s> s".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=image-lib.sh
source "$here/image-lib.sh"
# shellcheck source=image-base.sh
source "$here/image-base.sh"
cd "$here/.."
started=$(date +%s)
max_mb=${AEGIS_IMAGE_MAX_MB:-250}

image_engine_start
trap image_engine_stop EXIT
docker=$(image_docker_cli)

if [[ -n ${AEGIS_NODE_IMAGE:-} ]]; then
  BASE_BUILD_IMAGE=$AEGIS_NODE_IMAGE
  BASE_RUNTIME_IMAGE=$AEGIS_NODE_IMAGE
elif "$docker" image inspect node:20-bookworm-slim > /dev/null 2>&1 ||
  timeout 60 "$docker" pull -q node:20-bookworm-slim > /dev/null 2>&1; then
  BASE_BUILD_IMAGE=node:20-bookworm-slim
  BASE_RUNTIME_IMAGE=node:20-bookworm-slim
else
  image_log "no registry answers for node:20-bookworm-slim: making the base images locally"
  image_local_base
fi
image_log "base images: build $BASE_BUILD_IMAGE, runtime $BASE_RUNTIME_IMAGE"

# Host networking for RUN steps (apt-get, npm ci): the engine has no bridge.
log="$AEGIS_IMAGE_CACHE/build.log"
image_log "building $AEGIS_IMAGE (log: $log)"
if ! DOCKER_BUILDKIT=1 "$docker" build --network host --progress plain \
  --build-arg NODE_IMAGE="$BASE_BUILD_IMAGE" --build-arg RUNTIME_IMAGE="$BASE_RUNTIME_IMAGE" \
  -t "$AEGIS_IMAGE" . > "$log" 2>&1; then
  tail -40 "$log" >&2
  image_fail "docker build failed (log: $log)"
fi
# vfs stores every layer and every build step whole (about 7 GB on disk for one build's cache): drop
# dangling images and the build cache this build did not use. What it used (the base images, the
# installed dependencies) stays for the next build.
"$docker" image prune -f > /dev/null 2>&1 || true
"$docker" builder prune -f --filter "until=$(($(date +%s) - started + 60))s" > /dev/null 2>&1 || true

bytes=$("$docker" image inspect -f '{{.Size}}' "$AEGIS_IMAGE")
mb=$(((bytes + 524288) / 1048576))
echo "image $AEGIS_IMAGE $mb MB (target < $max_mb MB), built in $(($(date +%s) - started)) s"
((mb < max_mb)) || image_fail "the image is $mb MB, over the $max_mb MB target"
