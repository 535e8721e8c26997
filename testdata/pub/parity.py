#!/usr/bin/env python3
"""A second, independent reading of each pubspec.lock fixture: oracle-<rev>.json.

NOT pub's own reading: no Dart SDK can be installed here, so this reads the YAML with
PyYAML (`pip install pyyaml`), written separately from bumpcheck's parser. It checks the
parser against the file, not against pub.

    python3 testdata/pub/parity.py [--check | DIR...]

Packages: (name, version) of every package whose source is not `path` (the project's own
folders) or `sdk` (shipped with the SDK); direct: those whose `dependency` starts with
`direct`.
"""
import pathlib
import sys

import yaml

sys.dont_write_bytecode = True
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "parity"))
import oracle  # noqa: E402


def reading(d):
    lock = yaml.safe_load((pathlib.Path(d) / "pubspec.lock").read_text())
    kept = {n: p for n, p in lock["packages"].items() if p["source"] not in ("path", "sdk")}
    return {
        "reader": f"second reader: PyYAML {yaml.__version__} (testdata/pub/parity.py), not pub",
        "lockfile": "pubspec.lock",
        "packages": oracle.sorted_packages((n, p["version"]) for n, p in kept.items()),
        "direct": sorted(n for n, p in kept.items() if p["dependency"].startswith("direct")),
    }


if __name__ == "__main__":
    oracle.main(__file__, "pubspec.lock", reading)
