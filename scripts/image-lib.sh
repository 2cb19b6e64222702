# shellcheck shell=bash
# Shared by scripts/image-build.sh and scripts/image-engine.sh (sourced, not run): where the image's
# cache lives, which docker client to use, and a private Docker engine started and stopped by PID.
#
# Everything stays outside the repository, under AEGIS_IMAGE_CACHE (default ~/.cache/aegis/image):
#   docker/           the engine's data root (layers, build cache, base images): warm runs reuse it
#   base/<key>.tar    root filesystems made by mmdebstrap, keyed by their inputs
#   lock              one engine at a time on that data root (flock)
# The engine's socket, exec root and pid file live in a fresh folder under /tmp (a unix socket path
# must stay short), removed when it stops.

AEGIS_IMAGE_CACHE="${AEGIS_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aegis/image}"
AEGIS_IMAGE="${AEGIS_IMAGE:-aegis:local}"
mkdir -p "$AEGIS_IMAGE_CACHE"

image_log() { printf '[image] %s\n' "$*" >&2; }
image_fail() {
  printf '[image] FAILED: %s\n' "$*" >&2
  exit 1
}

# The client that came with dockerd (Debian's docker.io: 20.10, BuildKit built in); a newer client on
# PATH may need the buildx plugin for `docker build`. DOCKER overrides.
image_docker_cli() {
  if [[ -n ${DOCKER:-} ]]; then
    echo "$DOCKER"
  elif [[ -x /usr/bin/docker ]]; then
    echo /usr/bin/docker
  else
    command -v docker || true
  fi
}

# Why a private engine cannot run here, or nothing when it can (dockerd, a client, root).
image_engine_missing() {
  command -v dockerd > /dev/null 2>&1 || {
    echo "dockerd is not installed (apt-get install docker.io)"
    return
  }
  [[ -n $(image_docker_cli) ]] || {
    echo "no docker client (apt-get install docker.io)"
    return
  }
  [[ $(id -u) == 0 ]] || echo "a private dockerd must run as root (this is uid $(id -u))"
}

ENGINE_DIR=""
ENGINE_PID=""

# Starts dockerd on the cache's data root: vfs storage (no overlay mounts), no bridge, no iptables, so
# it needs no privileges. Waits for its socket and exports DOCKER_HOST. Holds the cache lock (fd 9)
# until the engine stops.
image_engine_start() {
  local why
  why=$(image_engine_missing)
  [[ -z $why ]] || image_fail "cannot start a Docker engine: $why"
  exec 9> "$AEGIS_IMAGE_CACHE/lock"
  flock -w 900 9 || image_fail "another image build or smoke holds $AEGIS_IMAGE_CACHE/lock"
  ENGINE_DIR=$(mktemp -d /tmp/aegis-dockerd.XXXXXX)
  mkdir -p "$AEGIS_IMAGE_CACHE/docker" "$ENGINE_DIR/exec"
  dockerd --storage-driver=vfs --data-root="$AEGIS_IMAGE_CACHE/docker" --exec-root="$ENGINE_DIR/exec" \
    --pidfile="$ENGINE_DIR/dockerd.pid" -H "unix://$ENGINE_DIR/docker.sock" \
    --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    --userland-proxy=false > "$ENGINE_DIR/dockerd.log" 2>&1 &
  ENGINE_PID=$!
  export DOCKER_HOST="unix://$ENGINE_DIR/docker.sock"
  local i
  for ((i = 0; i < 150; i++)); do
    if "$(image_docker_cli)" version > /dev/null 2>&1; then
      image_log "private dockerd (pid $ENGINE_PID) at $DOCKER_HOST; data root $AEGIS_IMAGE_CACHE/docker"
      return 0
    fi
    kill -0 "$ENGINE_PID" 2> /dev/null || break
    sleep 0.2
  done
  tail -20 "$ENGINE_DIR/dockerd.log" >&2
  image_engine_stop
  image_fail "dockerd did not answer on $DOCKER_HOST"
}

# Stops the engine by its PID (SIGTERM, then SIGKILL after 20 s); dockerd stops its containerd.
image_engine_stop() {
  [[ -n $ENGINE_PID ]] || return 0
  local stopping=$SECONDS
  if kill -0 "$ENGINE_PID" 2> /dev/null; then
    kill -TERM "$ENGINE_PID" 2> /dev/null || true
    local i
    for ((i = 0; i < 100; i++)); do
      kill -0 "$ENGINE_PID" 2> /dev/null || break
      sleep 0.2
    done
    kill -0 "$ENGINE_PID" 2> /dev/null && kill -KILL "$ENGINE_PID" 2> /dev/null
    wait "$ENGINE_PID" 2> /dev/null || true
  fi
  ENGINE_PID=""
  # What the engine leaves mounted (its default network namespace, a container's /dev/shm), deepest first.
  local mnt
  [[ -n $ENGINE_DIR ]] && for mnt in $(awk -v a="$ENGINE_DIR/" -v b="$AEGIS_IMAGE_CACHE/docker/" \
    'index($2, a) == 1 || index($2, b) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount "$mnt" 2> /dev/null || umount -l "$mnt" 2> /dev/null || true
  done
  [[ -n $ENGINE_DIR ]] && rm -rf "$ENGINE_DIR"
  ENGINE_DIR=""
  image_log "private dockerd stopped in $((SECONDS - stopping)) s"
  exec 9>&- 2> /dev/null || true
}
