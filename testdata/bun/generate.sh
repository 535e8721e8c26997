#!/usr/bin/env bash
# Regenerates the bun.lock fixtures (testdata/bun/) with the real bun client.
# See testdata/README.md ("pnpm and bun fixtures") for the why of each step.
#
#   bash testdata/bun/generate.sh [SCRATCH]
#
# SCRATCH (default /tmp/pnpm_bun) holds the clients and the install directories; only
# package.json files and bun.lock are copied into testdata/bun/.
# Needs node 20, npm, and the npm registry (default config).
set -euo pipefail
# SCRATCH, TESTDATA, NPMF, REG and the project files:
source "$(dirname "$0")/../pnpm/projects.sh"

# The bun npm package ships the bun binary (its postinstall links it).
if [ ! -x "$SCRATCH/bun/node_modules/.bin/bun" ]; then
  mkdir -p "$SCRATCH/bun" && echo '{}' > "$SCRATCH/bun/package.json"
  (cd "$SCRATCH/bun" && npm install $NPMF bun@1.4.5)
fi
BUN="$SCRATCH/bun/node_modules/.bin/bun"

# text bun.lock (the default since bun 1.2; the flag keeps older clients on text too)
BF="install --lockfile-only --ignore-scripts --save-text-lockfile"
fresh bun-app
app_files 4.21.2 4.17.20; $BUN $BF; snap "$TESTDATA/bun/app/before"
app_files 5.1.0 4.17.21;  $BUN $BF; snap "$TESTDATA/bun/app/after"
fresh bun-workspace
workspace_files 4.21.2 'workspace:*'; $BUN $BF; snap "$TESTDATA/bun/workspace/before"
workspace_files 5.1.0 'workspace:*';  $BUN $BF; snap "$TESTDATA/bun/workspace/after"

# --- host rewrite ------------------------------------------------------------------------
# Any registry URL the clients wrote (tarball resolutions) gets the reserved host, path kept.
find "$TESTDATA/bun" \( -name bun.lock -o -name package.json \) -print0 |
  xargs -0 sed -E -i 's#https?://[^/"'"'"' ]*/#https://registry.example.invalid/#g'
