#!/usr/bin/env python3
"""Go's own reading of each go.mod fixture: writes oracle-<rev>.json beside the fixture.

The go command cannot reach a module proxy here, so this script gives it a local one: a
GOPROXY=file:// folder holding, for every module the go.mod requires (as `go mod edit -json`
reads it), a `.info` and a `.mod` file whose go.mod declares no requirements. With module
graph pruning (go >= 1.17) the build list is then exactly what the main go.mod states, and
`go list -m -json all` (module resolution, `replace` applied, `// indirect` read) is Go's
own answer. Hashes in the fixtures' go.sum are placeholders, so go.sum is left out of the
scratch copy (GOFLAGS=-mod=mod, GONOSUMDB/GOSUMDB off).

    python3 testdata/go/parity.py                 # rewrite testdata/go/*/oracle-*.json
    python3 testdata/go/parity.py --check         # compare only
    python3 testdata/go/parity.py DIR...          # print the reading of other folders

Packages: every module of the build list but the main module, under the path the code imports
(the requirement's) with the version that builds (the replacement's, when replaced by another
module, whose path is recorded as `source`), leaving out modules replaced by a local folder
(the project's own code). direct: modules required without `// indirect`.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "parity"))
import oracle  # noqa: E402



def go(args, cwd, env):
    out = subprocess.run(["go", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"go {' '.join(args)} in {cwd}: {out.stderr}")
    return out.stdout


def decode_stream(text):
    dec, pos, items = json.JSONDecoder(), 0, []
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos < len(text):
            obj, pos = dec.raw_decode(text, pos)
            items.append(obj)
    return items


def escape(path):
    # Module paths in proxy URLs escape upper-case letters as !lower.
    return "".join("!" + c.lower() if c.isupper() else c for c in path)


def read(src):
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="go-parity-"))
    try:
        work = scratch / "mod"
        shutil.copytree(src, work)
        (work / "go.sum").unlink(missing_ok=True)
        env = dict(os.environ, GOFLAGS="-mod=mod", GOSUMDB="off", GONOSUMDB="*",
                   GOPRIVATE="", GOPATH=str(scratch / "gopath"), GOTOOLCHAIN="local",
                   GOPROXY=(scratch / "proxy").as_uri())
        edit = json.loads(go(["mod", "edit", "-json"], work, env))
        mods = {(r["Path"], r["Version"]) for r in edit.get("Require") or []}
        for r in edit.get("Replace") or []:
            if r["New"].get("Version"):
                mods.add((r["New"]["Path"], r["New"]["Version"]))
        for path, version in mods:
            d = scratch / "proxy" / escape(path) / "@v"
            d.mkdir(parents=True, exist_ok=True)
            (d / f"{version}.info").write_text(json.dumps({"Version": version}))
            (d / f"{version}.mod").write_text(f"module {path}\n")
        listed = decode_stream(go(["list", "-m", "-json", "all"], work, env))
        packages, direct = [], set()
        for m in listed:
            if m.get("Main"):
                continue
            if not m.get("Indirect"):
                direct.add(m["Path"])
            rep = m.get("Replace")
            if rep and not rep.get("Version"):
                continue  # a local folder: the project's own code
            package = {"name": m["Path"], "version": (rep or m)["Version"]}
            if rep and rep["Path"] != m["Path"]:
                package["source"] = rep["Path"]
            packages.append(package)
        return {
            "reader": "go list -m -json all (" + go(["version"], work, env).strip() + ")",
            "lockfile": "go.mod",
            "packages": sorted(packages, key=lambda p: (p["name"], p["version"])),
            "direct": sorted(direct),
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    oracle.main(__file__, "go.mod", read)
