#!/usr/bin/env bash
# Regenerates the pnpm lockfile fixtures (testdata/pnpm/v5, v6, v9) with the real clients.
# See testdata/README.md ("pnpm and bun fixtures") for the why of each step.
#
#   bash testdata/pnpm/generate.sh [SCRATCH]
#
# SCRATCH (default /tmp/pnpm_bun) holds the clients and the install directories; only
# package.json files, pnpm-workspace.yaml and the lockfiles are copied into testdata/pnpm/.
# Needs node 20, npm, and the npm registry (default config).
set -euo pipefail
# SCRATCH, TESTDATA, NPMF, REG and the project files:
source "$(dirname "$0")/../pnpm/projects.sh"

# The clients, each in its own prefix: pnpm 7 writes lockfileVersion 5.4, pnpm 8 writes
# 6.0, pnpm 9 writes 9.0.
for v in 7 8 9; do
  [ -x "$SCRATCH/pnpm$v/node_modules/.bin/pnpm" ] ||
    npm install --prefix "$SCRATCH/pnpm$v" $NPMF --ignore-scripts "pnpm@$v"
done

# --- pnpm --------------------------------------------------------------------------------
for v in 7 8 9; do
  PNPM="$SCRATCH/pnpm$v/node_modules/.bin/pnpm"
  lv=$([ $v = 7 ] && echo v5 || ([ $v = 8 ] && echo v6 || echo v9))
  PF="install --lockfile-only --ignore-scripts --config.auto-install-peers=true"

  fresh "pnpm$v-app"
  app_files 4.21.2 4.17.20; $PNPM $PF; snap "$TESTDATA/pnpm/$lv/app/before"
  app_files 5.1.0 4.17.21;  $PNPM $PF; snap "$TESTDATA/pnpm/$lv/app/after"

  fresh "pnpm$v-workspace"
  workspace_files 4.21.2 'workspace:*'; $PNPM $PF; snap "$TESTDATA/pnpm/$lv/workspace/before"
  workspace_files 5.1.0 'workspace:*';  $PNPM $PF; snap "$TESTDATA/pnpm/$lv/workspace/after"
done

# --- host rewrite ------------------------------------------------------------------------
# Any registry URL the clients wrote (tarball resolutions) gets the reserved host, path kept.
find "$TESTDATA/pnpm" \( -name pnpm-lock.yaml -o -name package.json \) -print0 |
  xargs -0 sed -E -i 's#https?://[^/"'"'"' ]*/#https://registry.example.invalid/#g'
