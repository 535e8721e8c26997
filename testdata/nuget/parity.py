#!/usr/bin/env python3
"""A second, independent reading of each packages.lock.json fixture: oracle-<rev>.json.

NOT NuGet's own reading: `dotnet` cannot be installed here (no Debian package, no
registry), so this is a plain reading with Python's json module, written separately from
bumpcheck's parser. It checks the parser against the file, not against NuGet.

    python3 testdata/nuget/parity.py [--check | DIR...]

Packages: every entry of every target framework whose type is not Project, as (ID,
resolved); direct: IDs of type Direct.
"""
import json
import pathlib
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "parity"))
import oracle  # noqa: E402


def reading(d):
    lock = json.loads((pathlib.Path(d) / "packages.lock.json").read_text())
    pairs, direct = [], set()
    for entries in lock["dependencies"].values():
        for name, e in entries.items():
            if e["type"] == "Project":
                continue
            pairs.append((name, e["resolved"]))
            if e["type"] == "Direct":
                direct.add(name)
    return {
        "reader": "second reader: python json (testdata/nuget/parity.py), not NuGet",
        "lockfile": "packages.lock.json",
        "packages": oracle.sorted_packages(pairs),
        "direct": sorted(direct),
    }


if __name__ == "__main__":
    oracle.main(__file__, "packages.lock.json", reading)
