# shellcheck shell=bash
# Sourced by scripts/image-build.sh once the private engine runs: makes the two base images locally,
# for a machine that reaches no image registry (docs/adr/0024-image-built-and-run-here.md says why two).
#
#   aegis-base:runtime-<key>   Debian bookworm "essential" + libstdc++6 and passwd (the Dockerfile adds
#                              its user) + this machine's node binary.
#   aegis-base:build-<key>     Debian bookworm minbase (with apt) + the same node, its npm and headers
#                              (node-gyp builds better-sqlite3 from them, offline), and this machine's
#                              CA bundle and npm settings, so `npm ci` and `apt-get` in the build stage
#                              reach the registries exactly as the host does.
#
# Node: the machine's own, copied in, so the image runs the Node 20 the machine has (its NodeSource
# package is installed from a repository this machine no longer reaches; Debian's own nodejs is 18).
# Debian packages come from this machine's apt sources. <key> is a hash of every input (the node binary,
# npm, the apt sources, the CA bundle, this file); a root filesystem is made once per key and kept in
# $AEGIS_IMAGE_CACHE/base, so a warm run only checks that the two images exist.

image_apt_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] && echo "$f"
  done
}

# Contents only (sha256sum reads stdin): a clone in another folder has the same key.
image_base_key() {
  local node npm_dir
  node=$(readlink -f "$(command -v node)")
  npm_dir=$(image_npm_dir)
  {
    sha256sum < "$node"
    cat "$npm_dir/package.json"
    image_apt_sources | xargs -r cat
    sha256sum < /etc/ssl/certs/ca-certificates.crt
    sha256sum < "${BASH_SOURCE[0]}"
  } | sha256sum | cut -c1-16
}

image_npm_dir() { dirname "$(dirname "$(readlink -f "$(command -v npm)")")"; }

# mmdebstrap <variant> <includes> <tar> [extra hooks...]: Debian bookworm without docs, manuals and
# translations (as the official slim images), on merged /usr.
image_debootstrap() {
  local variant=$1 include=$2 tar=$3
  shift 3
  local sources=()
  mapfile -t sources < <(image_apt_sources)
  ((${#sources[@]} > 0)) || image_fail "no apt sources on this machine"
  mmdebstrap --variant="$variant" --include="$include" --format=tar \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook="copy-in $(readlink -f "$(command -v node)") /usr/bin" \
    "$@" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/*' \
    bookworm "$tar.partial" "${sources[@]}" > "$tar.log" 2>&1 ||
    {
      tail -20 "$tar.log" >&2
      image_fail "mmdebstrap failed (log: $tar.log)"
    }
  mv "$tar.partial" "$tar"
}

# Makes (or finds) both base images; sets BASE_BUILD_IMAGE and BASE_RUNTIME_IMAGE.
image_local_base() {
  command -v mmdebstrap > /dev/null || image_fail "mmdebstrap is not installed (apt-get install mmdebstrap)"
  command -v node > /dev/null || image_fail "node is not installed on this machine"
  local key docker dir npm_dir
  key=$(image_base_key)
  docker=$(image_docker_cli)
  dir="$AEGIS_IMAGE_CACHE/base"
  npm_dir=$(image_npm_dir)
  mkdir -p "$dir"
  BASE_RUNTIME_IMAGE="aegis-base:runtime-$key"
  BASE_BUILD_IMAGE="aegis-base:build-$key"
  local changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    --change 'CMD ["node"]')

  if ! "$docker" image inspect "$BASE_RUNTIME_IMAGE" > /dev/null 2>&1; then
    if [[ ! -f $dir/runtime-$key.tar ]]; then
      image_log "making the runtime base (mmdebstrap, node $(node --version)); about 25 s"
      image_debootstrap essential libstdc++6,passwd "$dir/runtime-$key.tar"
    fi
    "$docker" import "${changes[@]}" "$dir/runtime-$key.tar" "$BASE_RUNTIME_IMAGE" > /dev/null
  fi

  if ! "$docker" image inspect "$BASE_BUILD_IMAGE" > /dev/null 2>&1; then
    if [[ ! -f $dir/build-$key.tar ]]; then
      image_log "making the build base (mmdebstrap minbase, npm $(npm --version)); about 25 s"
      # npm's global config: the CA bundle copied in, and the headers in /usr/include/node for node-gyp.
      local npmrc
      npmrc=$(mktemp)
      printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nnodedir=/usr\nupdate-notifier=false\nfund=false\naudit=false\n' > "$npmrc"
      image_debootstrap minbase ca-certificates "$dir/build-$key.tar" \
        --customize-hook='mkdir -p "$1/usr/lib/node_modules" "$1/usr/include" "$1/usr/etc"' \
        --customize-hook="copy-in $npm_dir /usr/lib/node_modules" \
        --customize-hook="copy-in /usr/include/node /usr/include" \
        --customize-hook="upload /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt" \
        --customize-hook="upload $npmrc /usr/etc/npmrc" \
        --customize-hook='ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/bin/npm"' \
        --customize-hook='ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/bin/npx"'
      rm -f "$npmrc"
    fi
    "$docker" import "${changes[@]}" "$dir/build-$key.tar" "$BASE_BUILD_IMAGE" > /dev/null
  fi
  # Root filesystems and base images of other keys are stale.
  find "$dir" -maxdepth 1 -name '*.tar' ! -name "*-$key.tar" -delete
  "$docker" images --format '{{.Repository}}:{{.Tag}}' aegis-base | grep -v -- "-$key\$" |
    xargs -r "$docker" rmi > /dev/null 2>&1 || true
}
