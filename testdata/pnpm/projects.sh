# Shared by testdata/pnpm/generate.sh and testdata/bun/generate.sh (sourced, with the
# generator's arguments): the scratch folder, the registry, and the project files.

SCRATCH=${1:-/tmp/pnpm_bun}
TESTDATA=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$SCRATCH"
SCRATCH=$(cd "$SCRATCH" && pwd)
NPMF="--no-audit --no-fund"
# The registry this machine is configured for (its host is rewritten in the fixtures).
REG=$(npm config get registry 2>/dev/null); REG=${REG%/}/

# app: one project. express 4 -> 5 and an alias bump; react-dom has a peer (react), so pnpm
# writes peer-suffixed keys; local-lib is a `file:` folder of the project (pins ms 2.1.3
# while debug 2.6.9 pins ms 2.0.0: two versions of ms); left-pad is a tarball URL dependency.
app_files() { # $1 = express version, $2 = lodash version behind the alias
  cat > package.json <<JSON
{
  "name": "express-app",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "express": "$1",
    "morgan": "1.10.0",
    "debug": "2.6.9",
    "lodash4": "npm:lodash@$2",
    "react": "18.2.0",
    "react-dom": "18.2.0",
    "local-lib": "file:./local-lib",
    "left-pad": "${REG}left-pad/-/left-pad-1.3.0.tgz"
  },
  "devDependencies": {
    "cross-env": "7.0.3"
  }
}
JSON
  mkdir -p local-lib
  cat > local-lib/package.json <<'JSON'
{
  "name": "local-lib",
  "version": "1.0.0",
  "dependencies": { "ms": "2.1.3" }
}
JSON
}

# workspace: root + packages/api (links packages/web) + packages/web.
workspace_files() { # $1 = express version in packages/api, $2 = workspace protocol spec
  mkdir -p packages/api packages/web
  cat > package.json <<'JSON'
{
  "name": "acme",
  "version": "1.0.0",
  "private": true,
  "workspaces": ["packages/*"],
  "devDependencies": { "cross-env": "7.0.3" }
}
JSON
  printf 'packages:\n  - "packages/*"\n' > pnpm-workspace.yaml
  cat > packages/api/package.json <<JSON
{
  "name": "@acme/api",
  "version": "1.0.0",
  "dependencies": {
    "@acme/web": "$2",
    "debug": "2.6.9",
    "express": "$1",
    "lodash4": "npm:lodash@4.17.20"
  }
}
JSON
  cat > packages/web/package.json <<'JSON'
{
  "name": "@acme/web",
  "version": "1.0.0",
  "dependencies": {
    "debug": "4.3.4",
    "react": "18.2.0",
    "react-dom": "18.2.0"
  }
}
JSON
}

# copy the committed files of the project in the current directory to $1
snap() {
  local t="$1"
  rm -rf "$t"; mkdir -p "$t"
  for f in package.json pnpm-workspace.yaml pnpm-lock.yaml bun.lock local-lib/package.json \
           packages/api/package.json packages/web/package.json; do
    [ -f "$f" ] || continue
    mkdir -p "$t/$(dirname "$f")"; cp "$f" "$t/$f"
  done
  # bun writes no pnpm-workspace.yaml; pnpm ignores `workspaces`; keep each as its tool has it
  case "$t" in */bun/*) rm -f "$t/pnpm-workspace.yaml" ;; esac
}

fresh() { rm -rf "$SCRATCH/fx/$1"; mkdir -p "$SCRATCH/fx/$1"; cd "$SCRATCH/fx/$1"; }

