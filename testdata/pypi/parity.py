"""Records each Python package manager's own reading of the fixtures in testdata/pypi/.

For every `<case>/<rev>/` holding a lockfile, runs the tool that wrote it on a scratch
copy and writes `<case>/<rev>.<tool>.json`: {"tool": ..., "packages": [{name, version}]},
names normalised as PEP 503 says, the project's own packages left out.

    uv.lock       uv export --frozen --all-packages --all-groups --all-extras --no-emit-workspace
    poetry.lock   poetry show --no-ansi (every group by default)
    Pipfile.lock  pipenv requirements --dev     (default and develop)
    pdm.lock      pdm export -G :all --without-hashes
    requirements  pip's own requirements-file reader (pip._internal.req.req_file), -r included

Usage: python3 testdata/pypi/parity.py TESTDATA_PYPI_DIR SCRATCH_DIR
(the tools on PATH, pdm there or named by $PDM; generate.sh installs them).
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def run(cmd, cwd):
    env = dict(os.environ, NO_COLOR="1", PIPENV_VERBOSITY="-1", PDM_CHECK_UPDATE="false")
    return subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def pins(text):
    """`name==version` lines of a requirements export (markers and hashes ignored)."""
    out = set()
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^ ;\\]+)", line.strip())
        if m:
            out.add((normalize(m.group(1)), m.group(3)))
    return out


def uv(d):
    return "uv-export", pins(run(["uv", "export", "--frozen", "--all-packages", "--all-groups",
                                  "--all-extras", "--no-hashes", "--no-emit-workspace",
                                  "--no-header", "--no-annotate"], d))


def poetry(d):
    out = set()
    for line in run(["poetry", "show", "--no-ansi", "--no-truncate"], d).splitlines():
        parts = [p for p in line.split() if p != "(!)"]
        if len(parts) >= 2:
            out.add((normalize(parts[0]), parts[1]))
    return "poetry-show", out


def pipenv(d):
    return "pipenv-requirements", pins(run(["pipenv", "requirements", "--dev"], d))


def pdm(d):
    return "pdm-export", pins(run([os.environ.get("PDM", "pdm"), "export", "-G", ":all", "--without-hashes",
                                   "--no-extras"], d))


def requirements(d, name):
    from pip._internal.network.session import PipSession
    from pip._internal.req.req_file import parse_requirements

    out = set()
    for req in parse_requirements(str(d / name), session=PipSession()):
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*===?\s*([^ ;,]+)$",
                     req.requirement.split(";")[0].strip())
        if m and "*" not in m.group(3):
            out.add((normalize(m.group(1)), m.group(3)))
    return "pip-parse", out


READERS = {"uv.lock": uv, "poetry.lock": poetry, "Pipfile.lock": pipenv, "pdm.lock": pdm}


def main():
    root, scratch = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    for rev in sorted(p for p in root.glob("*/*") if p.is_dir()):
        work = scratch / rev.parent.name / rev.name
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(rev, work)
        results = [reader(work) for lock, reader in READERS.items() if (work / lock).exists()]
        if (work / "requirements.txt").exists():
            results = [("pip-parse", requirements(work, f.name)[1], f.name)
                       for f in sorted(work.glob("requirements*.txt"))]
        for result in results:
            tool, packages = result[0], result[1]
            suffix = f"{result[2]}." if len(result) > 2 else ""
            target = rev.parent / f"{rev.name}.{suffix}{tool}.json"
            rows = [{"name": n, "version": v} for n, v in sorted(packages)]
            target.write_text(json.dumps({"tool": tool, "packages": rows}, indent=2) + "\n")
            print(f"{target.relative_to(root)}: {len(rows)} packages")


if __name__ == "__main__":
    main()
