#!/usr/bin/env python3
"""Composer's own reading of each composer.lock fixture: writes oracle-<rev>.json beside it.

    python3 testdata/php/parity.py              # rewrite testdata/php/*/oracle-*.json
    python3 testdata/php/parity.py --check      # compare only
    python3 testdata/php/parity.py DIR...       # print the reading of other folders

`composer show --locked --format=json` lists the locked packages offline (no repository is
asked), with `direct-dependency`; `composer show --locked --format=json NAME` gives one
package's dist and requires. Packages: every locked package but those installed from a
`path` repository (the project's own code). Versions as composer prints them, except that a
branch shown as `dev-main abc1234` (branch and commit) is recorded as `dev-main#abc1234`,
Composer's constraint syntax for the same thing. direct: composer's direct-dependency names,
plus the (non-platform) requires of the path packages, which are the project's own code.
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "parity"))
import oracle  # noqa: E402

ENV = dict(os.environ, COMPOSER_HOME=tempfile.mkdtemp(prefix="composer-home-"),
           COMPOSER_NO_INTERACTION="1", COMPOSER_DISABLE_NETWORK="1")


def composer(args, cwd):
    out = subprocess.run(["composer", *args, "--no-interaction", "--no-ansi"], cwd=cwd,
                         env=ENV, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"composer {' '.join(args)} in {cwd}: {out.stderr}")
    return out.stdout


def is_platform(name):
    return "/" not in name


def reading(d):
    locked = json.loads(composer(["show", "--locked", "--format=json"], d))["locked"]
    packages, direct = [], set()
    for p in locked:
        one = json.loads(composer(["show", "--locked", "--format=json", p["name"]], d))
        if p["direct-dependency"]:
            direct.add(p["name"])
        if (one.get("dist") or {}).get("type") == "path":
            direct.update(n for n in one.get("requires") or {} if not is_platform(n))
            continue
        packages.append({"name": p["name"], "version": p["version"].replace(" ", "#")})
    version = composer(["--version"], d).split("\n")[0].strip()
    return {
        "reader": f"composer show --locked ({version})",
        "lockfile": "composer.lock",
        "packages": sorted(packages, key=lambda p: (p["name"], p["version"])),
        "direct": sorted(direct),
    }


if __name__ == "__main__":
    oracle.main(__file__, "composer.lock", reading)
