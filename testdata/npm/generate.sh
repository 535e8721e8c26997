#!/usr/bin/env bash
# Regenerates the npm lockfile fixtures under testdata/npm/ with the real npm
# clients. See testdata/README.md ("npm fixtures") for the why of each step.
#
#   bash testdata/npm/generate.sh [SCRATCH] [DEST]
#
# SCRATCH (default /tmp/npmfx) is where npm installs run; DEST (default: the
# directory of this script) receives package.json / lockfiles only. Needs node
# 20, npm 11 on PATH, and network access to the npm registry (default config).
# After it, regenerate the oracle files:
#   NPM_TOOLS_DIR=$SCRATCH/tools node testdata/npm/expected-changes.mjs
set -euo pipefail

SCRATCH=${1:-/tmp/npmfx}
DEST=${2:-$(cd "$(dirname "$0")" && pwd)}
mkdir -p "$SCRATCH" "$DEST"
SCRATCH=$(cd "$SCRATCH" && pwd)

# npm 11 flags. The machine's ~/.npmrc sets omit-lockfile-registry-resolved=true;
# it is overridden so that the lockfiles carry `resolved` URLs like most
# real-world lockfiles do (the host is rewritten below). --before pins the
# resolution of transitive ranges to what the registry had on that date.
BEFORE=2025-06-01T00:00:00.000Z
F="--ignore-scripts --no-audit --no-fund --save-exact --before=$BEFORE --omit-lockfile-registry-resolved=false"

# npm 6 (lockfileVersion 1), installed in a scratch prefix.
# (--before is NOT used with npm 6: with it, a later `npm install` in the same
# project silently drops the `npm:` alias dependency from the lockfile.)
NPM6="$SCRATCH/npm6/node_modules/.bin/npm"
F6="--ignore-scripts --no-audit --no-fund --save-exact"

# @npmcli/arborist for expected-changes.mjs
tools() {
  [ -x "$NPM6" ] || npm install --prefix "$SCRATCH/npm6" --no-audit --no-fund --ignore-scripts npm@6.14.18
  [ -d "$SCRATCH/tools/node_modules/@npmcli/arborist" ] ||
    npm install --prefix "$SCRATCH/tools" --no-audit --no-fund --ignore-scripts @npmcli/arborist@9.9.3
}

# copy the committed files of the project in the current directory to DEST/$1
snap() {
  local t="$DEST/$1"
  rm -rf "$t"; mkdir -p "$t"
  cp package.json "$t/"
  for f in package-lock.json npm-shrinkwrap.json; do [ -f "$f" ] && cp "$f" "$t/"; done
  for m in packages/*/package.json; do
    [ -f "$m" ] || continue
    mkdir -p "$t/$(dirname "$m")"; cp "$m" "$t/$m"
  done
  return 0
}

fresh() { rm -rf "$SCRATCH/$1"; mkdir -p "$SCRATCH/$1"; cd "$SCRATCH/$1"; }

tools

# 1. express-app: lockfileVersion 3, one package.json evolving 4.21.1 -> 4.21.2 -> 5.1.0
fresh express-app
cat > package.json <<'EOF'
{
  "name": "express-app",
  "version": "1.0.0",
  "private": true,
  "description": "bumpcheck test fixture: small express app",
  "main": "index.js",
  "license": "MIT"
}
EOF
npm install $F express@4.21.1 morgan@1.10.0
npm install $F --save-dev cross-env@7.0.3
snap express-app/v4.21.1
npm install $F express@4.21.2
snap express-app/v4.21.2
npm install $F express@5.1.0
snap express-app/v5.1.0

# 2. workspaces: lockfileVersion 3, npm workspaces monorepo
fresh workspaces
mkdir -p packages/api packages/web
cat > package.json <<'EOF'
{
  "name": "acme-monorepo",
  "version": "0.0.0",
  "private": true,
  "description": "bumpcheck test fixture: npm workspaces monorepo",
  "workspaces": [
    "packages/*"
  ],
  "devDependencies": {
    "cross-env": "7.0.3"
  }
}
EOF
cat > packages/api/package.json <<'EOF'
{
  "name": "@acme/api",
  "version": "1.0.0",
  "private": true,
  "main": "index.js",
  "dependencies": {
    "@acme/web": "1.0.0",
    "debug": "2.6.9",
    "express": "4.21.2",
    "lodash4": "npm:lodash@4.17.20"
  }
}
EOF
cat > packages/web/package.json <<'EOF'
{
  "name": "@acme/web",
  "version": "1.0.0",
  "private": true,
  "main": "index.js",
  "dependencies": {
    "debug": "4.3.4"
  },
  "peerDependencies": {
    "kleur": "^4.1.5"
  },
  "optionalDependencies": {
    "fsevents": "2.3.3"
  }
}
EOF
npm install --ignore-scripts --no-audit --no-fund --before=$BEFORE --omit-lockfile-registry-resolved=false
snap workspaces/before
npm install $F -w packages/api express@5.1.0 lodash4@npm:lodash@4.17.21
snap workspaces/after

# 3. lockfile-v1: lockfileVersion 1 written by npm 6.14.18
fresh lockfile-v1
cat > package.json <<'EOF'
{
  "name": "legacy-app",
  "version": "1.0.0",
  "private": true,
  "description": "bumpcheck test fixture: lockfileVersion 1 (npm 6)",
  "license": "MIT"
}
EOF
"$NPM6" install $F6 debug@2.6.9 ms@2.1.3 semver@5.6.0 lodash4@npm:lodash@4.17.20
"$NPM6" install $F6 --save-dev mkdirp@0.5.5
snap lockfile-v1/before
"$NPM6" install $F6 semver@5.7.2
"$NPM6" uninstall $F6 mkdirp
"$NPM6" install $F6 chalk@2.4.2
snap lockfile-v1/after

# 4. lockfile-v2: lockfileVersion 2 written by npm 11
fresh lockfile-v2
cat > package.json <<'EOF'
{
  "name": "v2-app",
  "version": "1.0.0",
  "private": true,
  "description": "bumpcheck test fixture: lockfileVersion 2",
  "license": "MIT"
}
EOF
npm install $F --lockfile-version=2 semver@7.5.3 chalk@5.3.0 debug@4.3.4
npm install $F --lockfile-version=2 --save-dev cross-env@7.0.3
snap lockfile-v2/before
npm install $F --lockfile-version=2 semver@7.5.4 chalk@4.1.2
snap lockfile-v2/after

# 5. shrinkwrap: npm-shrinkwrap.json (lockfileVersion 3)
fresh shrinkwrap
cat > package.json <<'EOF'
{
  "name": "shrinkwrapped-cli",
  "version": "1.0.0",
  "private": true,
  "description": "bumpcheck test fixture: npm-shrinkwrap.json",
  "bin": {
    "shrinkwrapped-cli": "cli.js"
  },
  "license": "MIT"
}
EOF
npm install $F commander@11.0.0 debug@4.3.4
npm shrinkwrap --omit-lockfile-registry-resolved=false
snap shrinkwrap/before
npm install $F debug@4.4.0
snap shrinkwrap/after

# Host rewrite: on "resolved" lines only, replace scheme+host by
# https://registry.example.invalid/ (path kept; integrity untouched).
cd "$DEST"
find express-app workspaces lockfile-v1 lockfile-v2 shrinkwrap \
  \( -name package-lock.json -o -name npm-shrinkwrap.json \) -print0 |
  xargs -0 sed -E -i '/"resolved": *"https?:/ s#https?://[^/"]*/#https://registry.example.invalid/#'

# 6. malformed: express-app v4.21.1 lockfile with the comma after
# `"version": "1.3.8"` (line 20) removed -> parse error at line 21, column 7.
mkdir -p malformed
sed '20s/"1.3.8",$/"1.3.8"/' express-app/v4.21.1/package-lock.json > malformed/package-lock.json

# Check: every `resolved` URL uses the placeholder host.
if grep -rhE '"resolved": *"https?://' --include=package-lock.json --include=npm-shrinkwrap.json . |
   grep -v 'https://registry.example.invalid/'; then
  echo "ERROR: a resolved URL still names a real host" >&2; exit 1
fi
echo "fixtures written to $DEST"
