#!/usr/bin/env python3
"""A second, independent reading of each gradle.lockfile fixture: oracle-<rev>.json.

NOT Gradle's own reading: Debian's gradle (4.4) predates lock files and no newer Gradle can
be fetched here, so this is a regular-expression reading written separately from
bumpcheck's parser. It checks the parser against the file, not against Gradle.

    python3 testdata/gradle/parity.py [--check | DIR...]

Packages: (group:artifact, version) of every `group:artifact:version=configurations` line;
direct: none (the lockfile does not record which modules the build script declares).
"""
import pathlib
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "parity"))
import oracle  # noqa: E402

LINE = re.compile(r"^([^:#=\s]+):([^:=\s]+):([^:=\s]+)=")


def reading(d):
    text = (pathlib.Path(d) / "gradle.lockfile").read_text()
    pairs = [(f"{m[1]}:{m[2]}", m[3]) for m in map(LINE.match, text.splitlines()) if m]
    return {
        "reader": "second reader: python regex (testdata/gradle/parity.py), not Gradle",
        "lockfile": "gradle.lockfile",
        "packages": oracle.sorted_packages(pairs),
        "direct": [],
    }


if __name__ == "__main__":
    oracle.main(__file__, "gradle.lockfile", reading)
