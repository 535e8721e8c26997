#!/usr/bin/env bash
# Regenerates the yarn.lock fixtures under testdata/yarn/ with the real yarn
# clients: yarn 1.22.22 (classic, lockfile v1) and yarn 4 (Berry, from the
# @yarnpkg/cli-dist package). See testdata/README.md ("yarn fixtures").
#
#   bash testdata/yarn/generate.sh [SCRATCH] [DEST]
#
# SCRATCH (default /tmp/yarnfx) is where installs run; DEST (default: the
# directory of this script) receives package.json / yarn.lock / patch files only.
# Needs node 20, npm, git, and the npm registry as npm is configured here.
# Afterwards, the parity oracle:  node testdata/yarn/parity.mjs  (see its header).
set -euo pipefail

SCRATCH=${1:-/tmp/yarnfx}
DEST=${2:-$(cd "$(dirname "$0")" && pwd)}
mkdir -p "$SCRATCH" "$DEST"
SCRATCH=$(cd "$SCRATCH" && pwd)

# The registry npm is configured with; its host is rewritten afterwards.
REG=$(npm config get registry 2>/dev/null)
REG=${REG%/}
HOST=$(printf '%s' "$REG" | sed -E 's#^https?://([^/]*).*#\1#')

# The clients, each in its own prefix (both packages install a `yarn` bin).
[ -x "$SCRATCH/y1/node_modules/.bin/yarn" ] ||
  npm install --prefix "$SCRATCH/y1" --no-audit --no-fund --ignore-scripts yarn@1.22.22
[ -f "$SCRATCH/y4/node_modules/@yarnpkg/cli-dist/bin/yarn.js" ] ||
  npm install --prefix "$SCRATCH/y4" --no-audit --no-fund --ignore-scripts @yarnpkg/cli-dist@4.18.1
# (yarn 1 takes the registry from a .yarnrc in the project, which is not
# committed: `--registry` is not passed on by `yarn workspace X add`.)
Y1() { "$SCRATCH/y1/node_modules/.bin/yarn" --cache-folder "$SCRATCH/cache1" \
  --ignore-scripts --non-interactive --no-progress "$@"; }
yarnrc() { echo "registry \"$REG/\"" > .yarnrc; }
Y4() { node "$SCRATCH/y4/node_modules/@yarnpkg/cli-dist/bin/yarn.js" "$@"; }
export YARN_NPM_REGISTRY_SERVER=$REG YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_GLOBAL_CACHE=0 \
  YARN_CACHE_FOLDER=$SCRATCH/cache4 YARN_NODE_LINKER=node-modules YARN_ENABLE_SCRIPTS=0 \
  YARN_ENABLE_PROGRESS_BARS=0

# A git dependency: a tiny repository served by `git daemon` on the loopback
# address (Berry refuses git+file: URLs). Fixed dates keep its commit id stable.
PORT=19418
GITURL="git://127.0.0.1:$PORT/tiny-git-dep#v0.3.1"
rm -rf "$SCRATCH/git"; mkdir -p "$SCRATCH/git/tiny-git-dep"
(
  cd "$SCRATCH/git/tiny-git-dep"
  git init -q -b main
  printf '{\n  "name": "tiny-git-dep",\n  "version": "0.3.1",\n  "main": "index.js",\n  "dependencies": {"depd": "2.0.0"}\n}\n' > package.json
  echo 'module.exports = 1;' > index.js
  git add -A
  GIT_AUTHOR_DATE=2025-01-01T00:00:00Z GIT_COMMITTER_DATE=2025-01-01T00:00:00Z \
    git -c user.email=fixtures@example.invalid -c user.name=fixtures commit -qm 'tiny git dep'
  git tag v0.3.1
)
git daemon --base-path="$SCRATCH/git" --export-all --listen=127.0.0.1 --port=$PORT --reuseaddr \
  "$SCRATCH/git" >"$SCRATCH/git-daemon.log" 2>&1 &
DAEMON=$!
trap 'kill $DAEMON' EXIT
sleep 1

fresh() { rm -rf "${SCRATCH:?}/$1"; mkdir -p "$SCRATCH/$1"; cd "$SCRATCH/$1"; }

# Copies what the project would commit to DEST/$1: manifests, yarn.lock, patches.
snap() {
  local t="$DEST/$1"
  rm -rf "$t"; mkdir -p "$t"
  find . -path ./node_modules -prune -o -path '*/node_modules' -prune -o \
    \( -name package.json -o -name yarn.lock -o -path './.yarn/patches/*' -o -name .yarnrc.yml \) \
    -type f -print | while read -r f; do
    mkdir -p "$t/$(dirname "$f")"; cp "$f" "$t/$f"
  done
  # Registry URLs (classic `resolved`, tarball specifiers): host rewritten, path kept.
  { grep -rl "$HOST" "$t" || true; } | xargs -r sed -i "s#https\?://$HOST/#https://registry.example.invalid/#g"
  # and any other registry host in classic `resolved` lines
  find "$t" -name yarn.lock -print0 |
    xargs -0 sed -E -i '/^ +resolved "https?:/ s#https?://[^/"]*/#https://registry.example.invalid/#'

}

local_lib() {
  mkdir -p local-lib
  printf '{\n  "name": "local-lib",\n  "version": "0.1.0",\n  "dependencies": {"vary": "1.1.2"}\n}\n' > local-lib/package.json
}

APP='{
  "name": "yarn-app",
  "version": "1.0.0",
  "private": true
}'

# 1. classic-app: yarn 1, one project, express 4 -> 5.
fresh classic-app
yarnrc
echo "$APP" > package.json
local_lib
Y1 add --exact express@4.21.2 morgan@1.10.0 lodash4@npm:lodash@4.17.20 @sindresorhus/is@4.6.0 \
  "ms@$REG/ms/-/ms-2.1.3.tgz" "tiny-git-dep@$GITURL" local-lib@file:./local-lib
Y1 add --exact --dev cross-env@7.0.3
snap classic-app/before
Y1 add --exact express@5.1.0 lodash4@npm:lodash@4.17.21
snap classic-app/after

# 2. berry-app: the same with yarn 4, plus a patch: entry.
fresh berry-app
echo "$APP" > package.json
printf 'approvedGitRepositories:\n  - "git://127.0.0.1:%s/**"\n' $PORT > .yarnrc.yml
local_lib
Y4 add -E express@4.21.2 morgan@1.10.0 lodash4@npm:lodash@4.17.20 @sindresorhus/is@4.6.0 \
  "ms@$REG/ms/-/ms-2.1.3.tgz" "tiny-git-dep@$GITURL" local-lib@file:./local-lib
Y4 add -E --dev cross-env@7.0.3
P=$(Y4 patch escape-html@npm:1.0.3 --json | node -e 'process.stdin.on("data", d => console.log(JSON.parse(d).path))')
echo '// patched by the bumpcheck fixtures' >> "$P/index.js"
Y4 patch-commit -s "$P"
Y4 install
snap berry-app/before
Y4 add -E express@5.1.0 lodash4@npm:lodash@4.17.21
snap berry-app/after

# 3. classic-workspaces: yarn 1 monorepo, api depends on web.
members() { # $1: how api asks for web
  mkdir -p packages/api packages/web
  printf '{\n  "name": "yarn-monorepo",\n  "private": true,\n  "workspaces": ["packages/*"],\n  "devDependencies": {"cross-env": "7.0.3"}\n}\n' > package.json
  printf '{\n  "name": "@acme/api",\n  "version": "1.0.0",\n  "dependencies": {"@acme/web": "%s", "debug": "2.6.9", "express": "4.21.2"}\n}\n' "$1" > packages/api/package.json
  printf '{\n  "name": "@acme/web",\n  "version": "1.0.0",\n  "dependencies": {"debug": "4.3.4"},\n  "peerDependencies": {"kleur": "^4.1.5"},\n  "devDependencies": {"kleur": "4.1.5"}\n}\n' > packages/web/package.json
}
fresh classic-workspaces
yarnrc
members 1.0.0
Y1 install
snap classic-workspaces/before
Y1 workspace @acme/api add --exact express@5.1.0
Y1 workspace @acme/web add --exact debug@4.4.1
snap classic-workspaces/after

# 4. berry-workspaces: yarn 4 monorepo with workspace:, portal: and link: dependencies.
fresh berry-workspaces
members 'workspace:^'
mkdir -p shared-config assets
printf '{\n  "name": "shared-config",\n  "version": "0.2.0",\n  "dependencies": {"vary": "1.1.2"}\n}\n' > shared-config/package.json
echo 'logo' > assets/logo.txt
node -e '
  const fs = require("fs"), p = JSON.parse(fs.readFileSync("package.json"));
  p.dependencies = {"shared-config": "portal:./shared-config", "assets": "link:./assets"};
  fs.writeFileSync("package.json", JSON.stringify(p, null, 2) + "\n");'
Y4 install
snap berry-workspaces/before
Y4 workspace @acme/api add -E express@5.1.0
Y4 workspace @acme/web add -E debug@4.4.1
snap berry-workspaces/after

# 5. Bad input: a classic and a Berry lockfile cut off inside the quoted string of
# their second `resolved "` / `resolution: "` line, 12 bytes after the quote.
cut() { # SRC DEST MARKER
  mkdir -p "$(dirname "$2")"
  node -e '
    const fs = require("fs"), [src, dest, marker] = process.argv.slice(1);
    const text = fs.readFileSync(src, "latin1");
    const at = text.indexOf(marker, text.indexOf(marker) + 1) + marker.length + 12;
    fs.writeFileSync(dest, text.slice(0, at), "latin1");' "$1" "$2" "$3"
}
cut "$DEST/classic-app/before/yarn.lock" "$DEST/truncated-classic/yarn.lock" '  resolved "'
cut "$DEST/berry-app/before/yarn.lock" "$DEST/truncated-berry/yarn.lock" '  resolution: "'

echo "done: fixtures in $DEST"
