#!/usr/bin/env bash
# Creates the Python virtual environment the API fuzz suite (e2e/test/openapi/fuzz.test.ts) runs
# schemathesis from: outside the repository, keyed by the pinned version (schemathesis-version beside
# this file), so it is built once per machine and a version bump builds a fresh one. Used by .ci/run;
# developers run it once:
#   bash e2e/openapi/install-schemathesis.sh
# Prints the venv's folder. Needs python3 with its venv module (Debian: apt-get install python3-venv).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version=$(tr -d '[:space:]' < "$here/schemathesis-version")
venv="${AEGIS_SCHEMATHESIS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/aegis/schemathesis-$version}"
# The marker is written last: an interrupted install is redone rather than half used.
if [ -f "$venv/.aegis-complete" ] && [ -x "$venv/bin/st" ]; then
  echo "$venv"
  exit 0
fi
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
python3 -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$version" >&2
"$venv/bin/st" --version >&2
touch "$venv/.aegis-complete"
echo "$venv"
