#!/usr/bin/env bash
# Downloads the real changelog files the corpus test slices (tests/integration/
# changelog_corpus.rs), from the package registries this machine reaches, with their
# ordinary clients. Nothing of them is committed: they land in a folder outside the
# repository's tracked files, target/changelog-corpus/ unless a folder is given.
#
#   bash testdata/changelogs/fetch.sh [DEST]
#
# Fails soft: a file that cannot be had is reported and left out, the script still exits
# 0, and the test skips that file. A file already there is not downloaded again.
set -uo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="${1:-$root/target/changelog-corpus}"
mkdir -p "$dest"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
missing=0

# npm_file SPEC FILE OUT: FILE from the root of the npm package SPEC (`npm pack`).
npm_file() {
  local spec="$1" file="$2" out="$3" dir="$work/npm-$3"
  [ -s "$dest/$out" ] && return 0
  mkdir -p "$dir"
  if (cd "$dir" && timeout 120 npm pack --silent "$spec" >/dev/null 2>&1) &&
    tar -xzf "$dir"/*.tgz -C "$dir" "package/$file" 2>/dev/null; then
    mv "$dir/package/$file" "$dest/$out"
    echo "changelog corpus: $out from npm $spec"
  else
    echo "changelog corpus: could not get $file from npm $spec; its test skips"
    missing=$((missing + 1))
  fi
}

# sdist_file NAME VERSION FILE OUT: FILE from the root of the sdist of NAME==VERSION.
sdist_file() {
  local name="$1" version="$2" file="$3" out="$4" dir="$work/pip-$4"
  [ -s "$dest/$out" ] && return 0
  mkdir -p "$dir"
  local pip=(python3 -m pip)
  command -v python3 >/dev/null 2>&1 || pip=(pip)
  if timeout 300 "${pip[@]}" download --quiet --no-deps --no-binary :all: \
    "$name==$version" -d "$dir" >/dev/null 2>&1 &&
    tar -xzf "$dir/$name-$version.tar.gz" -C "$dir" "$name-$version/$file" 2>/dev/null; then
    mv "$dir/$name-$version/$file" "$dest/$out"
    echo "changelog corpus: $out from the $name $version sdist"
  else
    echo "changelog corpus: could not get $file from the $name $version sdist; its test skips"
    missing=$((missing + 1))
  fi
}

# Setext headings (`5.1.0 / 2025-03-31` over `===`), nested remove:/breaking: lists.
npm_file express@5.1.0 History.md express-History.md
# conventional-changelog (standard-version), with patch releases one level deeper.
npm_file standard-version@9.5.0 CHANGELOG.md standard-version-CHANGELOG.md
# Keep a Changelog: `## [2.29.1] - 2023-12-14` with Added/Changed/Removed/Fixed.
npm_file eslint-plugin-import@2.29.1 CHANGELOG.md eslint-plugin-import-CHANGELOG.md
# reStructuredText: `Version 3.0.0` underlined with `---`.
sdist_file flask 3.0.0 CHANGES.rst flask-CHANGES.rst

echo "changelog corpus: $dest ($missing missing)"
exit 0
