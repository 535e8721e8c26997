#!/usr/bin/env python3
"""Precision of the rule library: run every rule (no version trigger, imports scoping
on) over large real code bases that do NOT use the frameworks the rules are about, and
print the findings per rule. Every finding there is a false positive to look at.

    python3 benches/rule_precision.py [--bin PATH] [--rules DIR] [--corpus LANG=DIR]...

Builds the release binary unless --bin is given. The default corpora are the sources
already on the machine: the crates of the cargo registry cache (Rust), the Python
standard library, npm's own dependencies (JavaScript), the Go standard library, Ruby's
and PHP's libraries. A corpus that is missing is skipped. Pass --corpus to add or
replace one (e.g. `--corpus js=$HOME/src/some-app`); --show N prints up to N findings
per rule so they can be reviewed; --ignore-imports runs every rule on every file, to
measure what the imports scoping saves. --only skips the default corpora, to scan
applications that DO use the frameworks (`--only --corpus outline=/tmp/apps/outline ...`):
there each finding must be read and classified by hand.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOME = os.path.expanduser("~")


def default_corpora():
    candidates = {
        "rust": sorted(glob.glob(os.path.join(HOME, ".cargo/registry/src/*"))),
        "python": sorted(glob.glob("/usr/lib/python3.[0-9]*"), reverse=True),
        "js": ["/usr/lib/node_modules/npm/node_modules", "/usr/lib/node_modules"],
        "go": ["/usr/lib/go/src", "/usr/local/go/src"],
        "ruby": ["/usr/lib/ruby"],
        "php": ["/usr/share/php"],
    }
    return {lang: next((p for p in paths if os.path.isdir(p)), None) for lang, paths in candidates.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", help="bumpcheck binary (default: build target/release/bumpcheck)")
    ap.add_argument("--rules", help="rule directory instead of the built-in library")
    ap.add_argument("--corpus", action="append", default=[], metavar="LANG=DIR")
    ap.add_argument("--show", type=int, default=0, help="print up to N findings per rule")
    ap.add_argument("--only", action="store_true",
                    help="scan only the --corpus directories, not the default corpora")
    ap.add_argument("--ignore-imports", action="store_true",
                    help="run every rule on every file (what the imports scoping saves)")
    args = ap.parse_args()

    binary = args.bin
    if not binary:
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target/release/bumpcheck")
    corpora = {} if args.only else default_corpora()
    for spec in args.corpus:
        lang, _, path = spec.partition("=")
        corpora[lang] = path
    total = 0
    for lang, path in corpora.items():
        if not path or not os.path.isdir(path):
            print(f"{lang}: no corpus on this machine, skipped")
            continue
        cmd = [binary, "rules", "scan", path, "--format", "json"]
        if args.rules:
            cmd += ["--rules", args.rules]
        if args.ignore_imports:
            cmd.append("--ignore-imports")
        start = time.monotonic()
        run = subprocess.run(cmd, capture_output=True, text=True)
        elapsed = time.monotonic() - start
        if run.returncode != 0 and not run.stdout:
            print(f"{lang}: {path}: bumpcheck failed ({run.returncode}): {run.stderr.strip()}")
            continue
        report = json.loads(run.stdout)
        found = len(report["findings"])
        total += found
        print(f"\n{lang}: {path}")
        print(f"  {report['files']} files, {report['rules']} rules, {found} findings, {elapsed:.1f} s")
        for rule, n in sorted(report["counts"].items(), key=lambda kv: (-kv[1], kv[0])):
            if n:
                print(f"  {n:6d}  {rule}")
                shown = [f for f in report["findings"] if f["rule"] == rule][: args.show]
                for f in shown:
                    first = f["snippet"].splitlines()[0].strip() if f["snippet"] else ""
                    print(f"          {f['path']}:{f['line']}: {first[:100]}")
        if run.stderr.strip():
            print("  " + run.stderr.strip().replace("\n", "\n  "))
    what = "in these corpora" if args.only else "on code that does not use the frameworks"
    print(f"\ntotal findings {what}: {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
