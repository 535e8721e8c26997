#!/usr/bin/env python3
"""Benchmark: `bumpcheck check` on a large generated npm lockfile, as a ratio to the
baseline of reading the same two blobs with `git cat-file` in the same run.

    python3 benches/check_large.py [--packages 5000] [--runs 15] [--sources 200]

Builds the release binary, makes a git repository in a temporary directory with two
commits of a package-lock.json (v3) holding N packages (with nested duplicates), where
the second commit upgrades 10% of them (express 4 -> 5 among them), plus source files
for the rules to scan. Prints the median wall time of each command and their ratio.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def lockfile(n, bumped, rng):
    packages = {"": {"name": "big-app", "version": "1.0.0", "dependencies": {}}}
    for i in range(n):
        name = "express" if i == 0 else f"pkg-{i:05d}"
        major = 4 if i == 0 else rng.randint(0, 12)
        version = [major, rng.randint(0, 30), rng.randint(0, 20)]
        if i in bumped:
            version = [version[0] + (1 if i % 3 == 0 else 0), version[1] + 1, 0]
        v = ".".join(map(str, version))
        # Every tenth package also has a nested older copy under its parent.
        key = f"node_modules/{name}" if i % 10 else f"node_modules/pkg-{i + 1:05d}/node_modules/{name}"
        packages[key] = {
            "version": v,
            "resolved": f"https://registry.example.invalid/{name}/-/{name}-{v}.tgz",
            "integrity": "sha512-" + "A" * 86 + "==",
            "dependencies": {f"pkg-{(i * 7 + 1) % n:05d}": "^1.0.0"},
        }
        if i < 20:
            packages[""]["dependencies"][name] = f"^{version[0]}.0.0"
    return json.dumps({"name": "big-app", "version": "1.0.0", "lockfileVersion": 3,
                       "requires": True, "packages": packages}, indent=2) + "\n"


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout.strip()


def median_time(cmd, cwd, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packages", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--sources", type=int, default=200)
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "bumpcheck")
    rng = random.Random(42)
    bumped = set(rng.sample(range(args.packages), args.packages // 10)) | {0}

    with tempfile.TemporaryDirectory() as repo:
        git(repo, "init", "-q", "-b", "main")
        git(repo, "config", "user.email", "bench@example.invalid")
        git(repo, "config", "user.name", "bench")
        os.makedirs(os.path.join(repo, "src"))
        handler = ("module.exports = (req, res, next) => {\n"
                   "  const id = req.param('id');\n"
                   "  process.on('exit', () => log(req));\n"
                   "  res.send(id);\n};\n")
        for i in range(args.sources):
            with open(os.path.join(repo, "src", f"route{i}.js"), "w") as f:
                f.write(handler * 20)
        with open(os.path.join(repo, "package.json"), "w") as f:
            json.dump({"name": "big-app", "dependencies": {"express": "^4.0.0"}}, f)
        with open(os.path.join(repo, "package-lock.json"), "w") as f:
            f.write(lockfile(args.packages, set(), random.Random(7)))
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "base")
        with open(os.path.join(repo, "package-lock.json"), "w") as f:
            f.write(lockfile(args.packages, bumped, random.Random(7)))
        git(repo, "commit", "-q", "-am", "upgrade")
        size = os.path.getsize(os.path.join(repo, "package-lock.json"))

        baseline = ["sh", "-c", "git cat-file -p HEAD~1:package-lock.json >/dev/null && "
                    "git cat-file -p HEAD:package-lock.json >/dev/null"]
        diff = [exe, "diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json"]
        # Release notes are benchmarked on their own (notes_latency.py): none here, so the
        # run measures the lockfiles and the scan and touches no network.
        check = [exe, "check", "--base", "HEAD~1", "--head", "HEAD", "--format", "json",
                 "--fail-on", "never", "--notes", "none"]
        out = subprocess.run(check, cwd=repo, capture_output=True, text=True, check=True)
        report = json.loads(out.stdout)

        # Warm the page cache once, then interleave nothing: each median is its own.
        t_base = median_time(baseline, repo, args.runs)
        t_diff = median_time(diff, repo, args.runs)
        t_check = median_time(check, repo, args.runs)

    print(f"lockfile: {args.packages} packages, {size / 1e6:.1f} MB, "
          f"{len(report['changes'])} changes; {args.sources} source files, "
          f"{len(report['findings'])} findings; median of {args.runs} runs")
    print(f"git cat-file x2 (baseline): {t_base * 1000:8.1f} ms  1.00x")
    print(f"bumpcheck diff:             {t_diff * 1000:8.1f} ms  {t_diff / t_base:5.2f}x")
    print(f"bumpcheck check:            {t_check * 1000:8.1f} ms  {t_check / t_base:5.2f}x")


if __name__ == "__main__":
    sys.exit(main())
