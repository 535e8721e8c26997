#!/usr/bin/env bash
# Fuzzes every lockfile parser, seeded from testdata/, and prints the executions per target.
#   bash fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
# A target that fails does not stop the others; the script fails at the end, and the
# crashing inputs are under fuzz/artifacts/TARGET/. Each input is read on a thread with a
# small stack (fuzz/src/lib.rs), so unbounded recursion shows up as a crash.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP lets it use the nightly-only
# sanitizer flags on the stable toolchain this project builds with.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(sed -n 's/^name = "\([a-z]*\)"$/\1/p' Cargo.toml | grep -v bumpcheck))
export RUSTC_BOOTSTRAP=1
declare -A seeds=(
  [npm]="package-lock.json npm-shrinkwrap.json package.json" [yarn]="yarn.lock package.json"
  [pnpm]="pnpm-lock.yaml" [bun]="bun.lock" [cargo]="Cargo.lock Cargo.toml"
  [poetry]="poetry.lock pyproject.toml" [uv]="uv.lock pyproject.toml" [pipfile]="Pipfile.lock Pipfile"
  [pdm]="pdm.lock pyproject.toml" [requirements]="requirements*.txt" [gomod]="go.mod"
  [gemfile]="Gemfile.lock" [composer]="composer.lock composer.json" [nuget]="packages.lock.json"
  [gradle]="gradle.lockfile" [pubspec]="pubspec.lock" [mix]="mix.lock mix.exs"
)
cargo fuzz build -O >/dev/null
failed=()
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  for pattern in ${seeds[$t]}; do
    find ../testdata -name "$pattern" -type f -size -1M -exec sh -c 'cp "$1" "corpus/'"$t"'/$(echo "$1" | tr / _)"' _ {} \;
  done
  out=$(cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=262144 2>&1) || {
    echo "$out" | tail -40; echo "FAILED: $t"; failed+=("$t"); continue; }
  execs=$(echo "$out" | grep -oE 'Done [0-9]+ runs' | grep -oE '[0-9]+' | tail -1)
  echo "$t: ${execs:-?} executions in ${secs}s, corpus $(ls "corpus/$t" | wc -l) files"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]} (inputs under fuzz/artifacts/)"
  exit 1
fi
