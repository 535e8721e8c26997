#!/usr/bin/env bash
# Writes the Cargo fixtures of testdata/cargo/ with the real cargo, then records cargo's
# own reading of each (parity.sh). Usage: bash testdata/cargo/generate.sh SCRATCH_DIR
# Needs the crate registry (cargo generate-lockfile / update / fetch). See testdata/README.md.
set -euo pipefail
SCRATCH=$(realpath -m "${1:?usage: generate.sh SCRATCH_DIR}")
OUT=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$SCRATCH"

# Copies the committed files of a project (manifests and Cargo.lock, no sources or target/)
# to testdata, with the registry host of `source` rewritten.
snapshot() {
  local from=$1 to=$2
  rm -rf "$to"
  mkdir -p "$to"
  (cd "$from" && find . \( -name target -prune \) -o \( -name Cargo.toml -o -name Cargo.lock \) -print |
    xargs cp --parents -t "$to")
  sed -E -i 's#^source = "registry\+https://[^"]*"#source = "registry+https://registry.example.invalid/index"#' "$to/Cargo.lock"
}

# --- workspace: virtual root, two members, renamed and inherited deps, two itoa versions
W=$SCRATCH/workspace
rm -rf "$W"
mkdir -p "$W/crates/app/src" "$W/crates/util/src"
cat > "$W/Cargo.toml" <<'TOML'
[workspace]
members = ["crates/*"]
resolver = "2"

[workspace.dependencies]
log = "0.4"
ryu1 = { package = "ryu", version = "1" }
TOML
cat > "$W/crates/app/Cargo.toml" <<'TOML'
[package]
name = "app"
version = "0.1.0"
edition = "2021"

[dependencies]
util = { path = "../util" }
log = { workspace = true }
itoa = "1"
itoa04 = { package = "itoa", version = "0.4" }

[dev-dependencies]
static_assertions = "1"

[build-dependencies]
autocfg = "1"

[target.'cfg(unix)'.dependencies]
memchr = "2"
TOML
cat > "$W/crates/util/Cargo.toml" <<'TOML'
[package]
name = "util"
version = "0.1.0"
edition = "2021"

[dependencies]
semver = "1"
bitflags = "1"
ryu1 = { workspace = true }
TOML
echo 'fn main() {}' > "$W/crates/app/src/main.rs"
touch "$W/crates/util/src/lib.rs"
(cd "$W" && cargo generate-lockfile -q && cargo update -q -p log --precise 0.4.20 &&
  cargo update -q -p semver --precise 1.0.20 && cargo update -q -p itoa@0.4.8 --precise 0.4.7 &&
  cargo update -q -p ryu --precise 1.0.17)
snapshot "$W" "$OUT/workspace/before"
# after: bitflags 1 -> 2 (major) and smallvec added in util; static_assertions dropped
# from app; log, semver, ryu and itoa 0.4 patch bumps (itoa 1 stays).
sed -i 's/^bitflags = "1"/bitflags = "2"\nsmallvec = "1"/' "$W/crates/util/Cargo.toml"
sed -i '/^\[dev-dependencies\]/,/^$/d' "$W/crates/app/Cargo.toml"
(cd "$W" && cargo update -q --workspace && cargo update -q -p log --precise 0.4.22 &&
  cargo update -q -p semver --precise 1.0.23 && cargo update -q -p itoa@0.4.7 --precise 0.4.8 &&
  cargo update -q -p ryu --precise 1.0.18)
snapshot "$W" "$OUT/workspace/after"

# --- single crate whose rust-version (1.70) makes cargo write lockfile version 3
S=$SCRATCH/v3
rm -rf "$S"
mkdir -p "$S/src"
cat > "$S/Cargo.toml" <<'TOML'
[package]
name = "tool"
version = "0.1.0"
edition = "2021"
rust-version = "1.70"

[dependencies]
anyhow = "1"
cfg-if = "1"
TOML
touch "$S/src/lib.rs"
(cd "$S" && cargo generate-lockfile -q && cargo update -q -p anyhow --precise 1.0.80)
snapshot "$S" "$OUT/v3/before"
sed -i 's/^cfg-if = "1"/once_cell = "1"/' "$S/Cargo.toml"
(cd "$S" && cargo update -q --workspace && cargo update -q -p anyhow --precise 1.0.86)
snapshot "$S" "$OUT/v3/after"

for f in workspace/before workspace/after v3/before v3/after; do
  bash "$OUT/parity.sh" "$OUT/$f" "$SCRATCH/parity" > "$OUT/$f.cargo-metadata.json"
done
