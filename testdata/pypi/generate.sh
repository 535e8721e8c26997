#!/usr/bin/env bash
# Writes the Python fixtures of testdata/pypi/ with the real uv, poetry, pipenv, pdm and
# pip-compile, then records each tool's own reading of them (parity.py).
# Usage: bash testdata/pypi/generate.sh SCRATCH_DIR   (see testdata/README.md)
# The tools are installed into SCRATCH_DIR/venv from the package index.
set -euo pipefail
SCRATCH=$(realpath -m "${1:?usage: generate.sh SCRATCH_DIR}")
OUT=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$SCRATCH"
if [ ! -x "$SCRATCH/venv/bin/uv" ]; then
  python3 -m venv "$SCRATCH/venv"
  "$SCRATCH/venv/bin/pip" install -q uv==0.13.9 poetry==2.5.1 pipenv==2026.10.3 pip-tools==7.6.2
fi
# pdm in its own venv: the newest unearth (0.19, over httpx2) and hishel (1 and 2) break
# `pdm lock` of pdm 2.25 to 2.29 with errors inside httpx; these older ones work.
if [ ! -x "$SCRATCH/venv-pdm/bin/pdm" ]; then
  python3 -m venv "$SCRATCH/venv-pdm"
  "$SCRATCH/venv-pdm/bin/pip" install -q pdm==2.25.4 unearth==0.17.5 hishel==0.1.5
fi
export PATH=$SCRATCH/venv/bin:$PATH
export PDM=$SCRATCH/venv-pdm/bin/pdm
pdm() { "$PDM" "$@"; }
export -f pdm
export PIPENV_VENV_IN_PROJECT=1 PIPENV_NOSPIN=1 PIPENV_YES=1 PDM_CHECK_UPDATE=false
# Resolutions as the index stood on this date, where the tool can say so.
CUTOFF=2025-06-01T00:00:00Z

# Copies the files a repository commits (given by name) from a project to testdata, with
# every URL host rewritten to the reserved name (the files hold only index URLs).
snapshot() {
  local from=$1 to=$2
  shift 2
  rm -rf "$to"
  mkdir -p "$to"
  for f in "$@"; do
    mkdir -p "$to/$(dirname "$f")"
    sed -E 's#https?://[^/"'"'"' ]+/#https://registry.example.invalid/#g' "$from/$f" > "$to/$f"
  done
}

new_project() {
  rm -rf "$1"
  mkdir -p "$1"
}

# --- uv: a workspace (virtual root + packages/lib), flask 2 -> 3, pydantic 1 -> 2
P=$SCRATCH/uv-workspace
new_project "$P"
mkdir -p "$P/packages/lib"
cat > "$P/pyproject.toml" <<'TOML'
[project]
name = "webapp"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["flask>=2,<3", "lib"]

[project.optional-dependencies]
cli = ["click-log"]

[dependency-groups]
dev = ["iniconfig"]

[tool.uv.sources]
lib = { workspace = true }

[tool.uv.workspace]
members = ["packages/*"]
TOML
cat > "$P/packages/lib/pyproject.toml" <<'TOML'
[project]
name = "lib"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["pydantic>=1.10,<2"]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
TOML
(cd "$P" && uv lock -q --exclude-newer $CUTOFF)
snapshot "$P" "$OUT/uv-workspace/before" pyproject.toml packages/lib/pyproject.toml uv.lock
sed -i 's/"flask>=2,<3"/"flask>=3"/' "$P/pyproject.toml"
sed -i 's/"pydantic>=1.10,<2"/"pydantic>=2"/' "$P/packages/lib/pyproject.toml"
(cd "$P" && uv lock -q --exclude-newer $CUTOFF)
snapshot "$P" "$OUT/uv-workspace/after" pyproject.toml packages/lib/pyproject.toml uv.lock

# --- poetry 2: [project] dependencies, a dev group; flask 2 -> 3 (poetry has no cutoff:
# transitive versions are what the index served on the day of the run). This machine
# reaches the index's simple pages but not its JSON API, which poetry's default source
# uses; so the project names the simple index as an explicit primary source, as projects
# with a private index do (the lockfile then records `[package.source] type = "legacy"`).
# pip knows the default index URL, so this script need not name its host.
SIMPLE=$(python3 -c 'from pip._internal.models.index import PyPI; print(PyPI.simple_url)')
P=$SCRATCH/poetry
new_project "$P"
cat > "$P/pyproject.toml" <<TOML
[project]
name = "poetry-app"
version = "0.1.0"
requires-python = ">=3.11,<4"
dependencies = ["flask (==2.3.3)", "typing_extensions (>=4.10)"]

[tool.poetry]
package-mode = false

[[tool.poetry.source]]
name = "index"
url = "$SIMPLE"
priority = "primary"

[tool.poetry.group.dev.dependencies]
iniconfig = "2.0.0"
TOML
(cd "$P" && poetry lock -q)
snapshot "$P" "$OUT/poetry/before" pyproject.toml poetry.lock
sed -i 's/"flask (==2.3.3)"/"flask (==3.0.3)"/; s/^iniconfig = "2.0.0"/iniconfig = "2.1.0"/' "$P/pyproject.toml"
(cd "$P" && poetry lock -q)
snapshot "$P" "$OUT/poetry/after" pyproject.toml poetry.lock

# --- pipenv: [packages] and [dev-packages]; requests 2.31 -> 2.32, Flask added
P=$SCRATCH/pipenv
new_project "$P"
# No [[source]]: pipenv locks against its default index (written into `_meta.sources`).
cat > "$P/Pipfile" <<'TOML'
[packages]
requests = "==2.31.0"

[dev-packages]
iniconfig = "==2.0.0"

[requires]
python_version = "3.11"
TOML
(cd "$P" && pipenv lock >/dev/null 2>&1)
snapshot "$P" "$OUT/pipenv/before" Pipfile Pipfile.lock
sed -i 's/^requests = "==2.31.0"/requests = "==2.32.3"\nFlask = "==3.0.3"/' "$P/Pipfile"
(cd "$P" && pipenv lock >/dev/null 2>&1)
snapshot "$P" "$OUT/pipenv/after" Pipfile Pipfile.lock

# --- pdm: [project] dependencies and [dependency-groups]; pydantic 1 -> 2
P=$SCRATCH/pdm
new_project "$P"
cat > "$P/pyproject.toml" <<'TOML'
[project]
name = "pdm-app"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["pydantic>=1.10,<2", "requests[socks]==2.32.3"]

[dependency-groups]
test = ["iniconfig==2.0.0"]

[tool.pdm]
distribution = false
TOML
(cd "$P" && pdm lock -q --exclude-newer $CUTOFF)
snapshot "$P" "$OUT/pdm/before" pyproject.toml pdm.lock
sed -i 's/"pydantic>=1.10,<2"/"pydantic>=2"/; s/"iniconfig==2.0.0"/"iniconfig==2.1.0"/' "$P/pyproject.toml"
(cd "$P" && pdm lock -q --exclude-newer $CUTOFF)
snapshot "$P" "$OUT/pdm/after" pyproject.toml pdm.lock

# --- pip-compile: hashed requirements.txt from requirements.in, and a hand-written
# requirements-dev.txt that includes it (`-r requirements.txt`)
P=$SCRATCH/pip-compile
new_project "$P"
printf 'flask==2.3.3\nrequests[socks]==2.31.0\n' > "$P/requirements.in"
printf -- '-r requirements.txt\niniconfig==2.0.0\n' > "$P/requirements-dev.txt"
(cd "$P" && pip-compile -q --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in)
snapshot "$P" "$OUT/pip-compile/before" requirements.in requirements.txt requirements-dev.txt
sed -i 's/^flask==2.3.3/flask==3.0.3/' "$P/requirements.in"
sed -i 's/^iniconfig==2.0.0/iniconfig==2.1.0/' "$P/requirements-dev.txt"
(cd "$P" && pip-compile -q --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in)
snapshot "$P" "$OUT/pip-compile/after" requirements.in requirements.txt requirements-dev.txt

python3 "$OUT/parity.py" "$OUT" "$SCRATCH/parity"
