"""Shared by the testdata/<eco>/parity.py scripts: write or check oracle-<rev>.json files.

Each fixture is testdata/<eco>/<fixture>/<rev>/ holding the lockfile; its reading goes to
testdata/<eco>/<fixture>/oracle-<rev>.json as {reader, lockfile, packages, direct}.
"""
import json
import pathlib
import sys


def main(here, lockfile, reading, argv=None):
    """`script.py` rewrites the oracles, `--check` compares, `DIR...` prints readings."""
    argv = sys.argv[1:] if argv is None else argv
    check = "--check" in argv
    dirs = [a for a in argv if a != "--check"]
    if dirs:
        for d in dirs:
            print(json.dumps(reading(pathlib.Path(d)), indent=2))
        return
    here = pathlib.Path(here).resolve().parent
    failed = False
    for fixture in sorted(p for p in here.iterdir() if p.is_dir()):
        for rev in sorted(p for p in fixture.iterdir() if (p / lockfile).is_file()):
            r = reading(rev)
            target = fixture / f"oracle-{rev.name}.json"
            if check:
                same = target.is_file() and json.loads(target.read_text()) == r
                failed |= not same
                print(("same " if same else "DIFFERENT ") + str(target.relative_to(here)))
            else:
                target.write_text(json.dumps(r, indent=2) + "\n")
            print(f"{fixture.name}/{rev.name}: {len(r['packages'])} packages, "
                  f"{len(r['direct'])} direct")
    sys.exit(1 if failed else 0)


def sorted_packages(pairs):
    """[{name, version}] sorted, without repeats, from (name, version) pairs."""
    return [{"name": n, "version": v} for n, v in sorted(set(pairs))]
