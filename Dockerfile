# One image for every AEGIS component; the command picks the component:
#   docker run aegis gateway/dist/main.js
#   docker run aegis services/auth/dist/main.js
#   docker run aegis operator/dist/main.js
# The manifests (k8s/, charts/aegis) run it that way. Checked by k8s/src/dockerfile.test.ts; built and
# run by `npm run image:build` and `npm run image:smoke` (scripts/image-*.sh, docs/adr/0024).
# No `# syntax=` line: the engine's built-in Dockerfile frontend is used, so a build needs no registry.

# The base of both stages; RUNTIME_IMAGE may name a smaller one with the same node (without npm and
# headers), as the locally made bases of scripts/image-base.sh do.
ARG NODE_IMAGE=node:20-bookworm-slim
ARG RUNTIME_IMAGE=${NODE_IMAGE}

# --- manifests: the lockfile and every package.json, nothing else -----------------------------------
# Its output changes only when dependencies do, so a source change reuses the installed node_modules
# of the build stage from the build cache (the step that takes minutes).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -type d -empty -delete

# --- build: every workspace compiled with the dev toolchain ---------------------------------------
FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles its native addon when no prebuilt binary fits. The lockfile is written by
# npm 11 (allowScripts in package.json). Few steps: on a vfs engine (scripts/image-lib.sh) every step
# is a full copy of the file system.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/* \
 && npm install -g npm@11
WORKDIR /app
# The root "prepare" script builds the sources: scripts are skipped at install, then the one native
# addon is built; the sources come after, then everything is compiled (tsc -b).
COPY --from=manifests /app/ /app/
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY . .
# Compiled, then pruned to production dependencies (the compiled addon of better-sqlite3 stays), then
# rid of files of the dependencies that never run: TypeScript sources and declarations, source maps, and
# the addon's C sources and intermediate objects (only build/Release/better_sqlite3.node is loaded);
# about 75 MB of the runtime image (target < 250 MB, docs/adr/0024).
# Then the runtime tree: root manifests, node_modules (workspace links included) and, for every
# workspace, its package.json, dist/ and any node_modules of its own. Every component that has a
# src/main.ts must have its dist/main.js.
RUN set -eu; \
    npm run build; \
    npm prune --omit=dev --ignore-scripts; \
    find . -path '*/node_modules/*' -type f \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.map' \) -delete; \
    addon=node_modules/better-sqlite3; \
    mv "$addon/build/Release/better_sqlite3.node" /tmp/; \
    rm -rf "$addon/build" "$addon/deps" "$addon/src"; \
    mkdir -p "$addon/build/Release"; \
    mv /tmp/better_sqlite3.node "$addon/build/Release/"; \
    mkdir -p /out; \
    cp -a package.json node_modules /out/; \
    for ws in $(node -p "require('./package.json').workspaces.join(' ')"); do \
      mkdir -p "/out/$ws"; \
      cp -a "$ws/package.json" "/out/$ws/"; \
      if [ -d "$ws/dist" ]; then cp -a "$ws/dist" "/out/$ws/"; fi; \
      if [ -d "$ws/node_modules" ]; then cp -a "$ws/node_modules" "/out/$ws/"; fi; \
      if [ -f "$ws/src/main.ts" ] && [ ! -f "/out/$ws/dist/main.js" ]; then echo "missing $ws/dist/main.js" >&2; exit 1; fi; \
    done

# --- runtime: production dependencies and compiled code, non-root ---------------------------------
FROM ${RUNTIME_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=root:root /out/ /app/
# Writable only where the manifests mount emptyDirs: /tmp and /app/.data.
RUN groupadd --system --gid 10001 aegis \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin aegis \
 && mkdir -p /app/.data && chown 10001:10001 /app/.data
USER 10001:10001
EXPOSE 8000 9000
ENTRYPOINT ["node"]
CMD ["gateway/dist/main.js"]
