#!/usr/bin/env bash
# Prints, as JSON, the registry packages cargo itself reads from a fixture's Cargo.lock:
# `cargo metadata --locked --offline` after `cargo fetch --locked`, every package with a
# source (workspace members and path crates have none).
# Usage: bash testdata/cargo/parity.sh FIXTURE_DIR SCRATCH_DIR > expected.json
set -euo pipefail
FIXTURE=$(realpath "${1:?fixture dir}")
SCRATCH=$(realpath -m "${2:?scratch dir}")
rm -rf "$SCRATCH/project" "$SCRATCH/probe"
mkdir -p "$SCRATCH"
cp -r "$FIXTURE" "$SCRATCH/project"
# The fixtures name a reserved host; put back the default registry's source string, as
# cargo itself writes it for a throwaway crate.
cargo new -q --lib "$SCRATCH/probe"
(cd "$SCRATCH/probe" && cargo add -q itoa@1 && cargo generate-lockfile -q)
REAL=$(sed -n 's/^source = "\(registry+[^"]*\)"/\1/p' "$SCRATCH/probe/Cargo.lock" | head -1)
sed -i "s#registry+https://registry.example.invalid/index#$REAL#" "$SCRATCH/project/Cargo.lock"
# Every member needs a target for cargo to read it.
find "$SCRATCH/project" -name Cargo.toml -exec sh -c \
  'd=$(dirname "$1"); grep -q "^\[package\]" "$1" && mkdir -p "$d/src" && touch "$d/src/lib.rs"' _ {} \;
cd "$SCRATCH/project"
cargo fetch -q --locked
cargo metadata -q --locked --offline --format-version 1 | python3 -c '
import json, sys
meta = json.load(sys.stdin)
pkgs = sorted({(p["name"], p["version"]) for p in meta["packages"] if p["source"]})
print(json.dumps({"tool": "cargo metadata", "packages": [{"name": n, "version": v} for n, v in pkgs]}, indent=2))'
