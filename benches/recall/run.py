#!/usr/bin/env python3
"""Detection recall and precision of bumpcheck on real upgrade commits.

    python3 benches/recall/run.py --clones DIR [--bin PATH] [--only ID...] [--markdown]
                                  [--cases FILE] [--show-misses] [--keep]

Each case in cases.json is a public commit that moved a package across a major (or a
0.x minor) AND adapted the code in the same commit. For each case the script:

1. finds the local clone of the repository: DIR/<owner>+<name> (a bare git directory,
   a `.git` directory, a work tree, or DIR/<owner>+<name>/repo as the `fetch` tool lays
   it out); `--clone owner/name=PATH` maps one repository to another path;
2. makes a throw-away clone (`git clone --shared`, no network) checked out at `parent`,
   then copies in the case's lockfiles and manifests as they are at `commit`: the code is
   the old code, the dependencies are the new ones, which is what a developer sees right
   after bumping;
3. runs `bumpcheck check --repo TMP --worktree --base <parent> --format json --notes none
   --offline` (rules only, no network);
4. compares the findings' spans (line..end_line) with the truth lines (parent-side lines
   that the commit changed because of the upgrade).

A truth line is *found* when a finding in the same file covers it. A finding is a true
positive when it covers at least one truth line of its file, otherwise a false positive
(all printed, to be read). Recall = found / truth lines; precision = TP / findings.

Only the rule library runs today ("rules alone"). The "API diff" and "both" columns are
left empty ("-") until bumpcheck has an API-diff mode; `--api-diff` is reserved for it and
refuses to run for now. Nothing is fetched: the clones must already be on disk.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def git(gitdir, *args, cwd=None, check=True):
    cmd = ["git"] + (["--git-dir", gitdir] if gitdir else []) + list(args)
    return subprocess.run(cmd, cwd=cwd, check=check, capture_output=True, text=True)


def find_clone(clones, repo, overrides):
    if repo in overrides:
        cands = [overrides[repo]]
    else:
        base = os.path.join(clones, repo.replace("/", "+"))
        cands = [os.path.join(base, "repo"), base, os.path.join(clones, repo.split("/")[1])]
    for c in cands:
        for g in (c, os.path.join(c, ".git")):
            if os.path.isdir(g) and os.path.exists(os.path.join(g, "HEAD")) and \
                    os.path.isdir(os.path.join(g, "objects")):
                return g
    return None


def prepare(gitdir, case, tmp):
    """A clone at `parent` with the lockfiles/manifests of `commit` written over it."""
    work = os.path.join(tmp, "work")
    subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", gitdir, work],
                   check=True, capture_output=True, text=True)
    # the snapshot may have no branch pointing at the commit: check out by sha
    git(None, "-C", work, "-c", "advice.detachedHead=false", "checkout", "-q", case["parent"])
    for path in case["lockfiles"]:
        r = git(None, "-C", work, "show", f"{case['commit']}:{path}", check=False)
        dest = os.path.join(work, path)
        if r.returncode != 0:  # removed by the commit (a package-manager switch)
            if os.path.exists(dest):
                os.remove(dest)
            continue
        os.makedirs(os.path.dirname(dest) or work, exist_ok=True)
        # binary-safe copy
        blob = subprocess.run(["git", "-C", work, "show", f"{case['commit']}:{path}"],
                              check=True, capture_output=True).stdout
        with open(dest, "wb") as f:
            f.write(blob)
    return work


def run_bumpcheck(binary, work, case):
    cmd = [binary, "check", "--repo", work, "--worktree", "--base", case["parent"],
           "--format", "json", "--notes", "none", "--offline", "--no-config",
           "--fail-on", "never", "--color", "never"]
    r = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise RuntimeError(f"bumpcheck exited {r.returncode}: {r.stderr.strip()[:500]}")
    return json.loads(r.stdout), cmd


def score(case, report):
    truth = {}
    for t in case["truth"]:
        note = t["note"] + (f" ({t['what']})" if t.get("what") else "")
        truth.setdefault(t["path"], {})[int(t["line"])] = note
    found = set()
    tps, fps = [], []
    scope = case.get("scope")
    for f in report.get("findings", []):
        path = f["path"]
        if scope and not any(path.startswith(s) for s in scope):
            continue  # outside the part of the commit whose truth was labelled
        lo, hi = int(f["line"]), int(f.get("end_line") or f["line"])
        hit = [ln for ln in truth.get(path, {}) if lo <= ln <= hi]
        for ln in hit:
            found.add((path, ln))
        (tps if hit else fps).append(f)
    misses = [(p, ln, n) for p, lines in truth.items() for ln, n in sorted(lines.items())
              if (p, ln) not in found]
    n_truth = sum(len(v) for v in truth.values())
    return {"truth": n_truth, "found": len(found), "findings": len(tps) + len(fps),
            "tp": len(tps), "fp": fps, "misses": misses,
            "errors": report.get("errors", []),
            "changes": [c for c in report.get("changes", []) if c.get("name") == case["package"]]}


def pct(a, b):
    return f"{100.0 * a / b:.0f}%" if b else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clones", required=True, help="directory holding owner+name clones")
    ap.add_argument("--clone", action="append", default=[], metavar="OWNER/NAME=PATH",
                    help="path of one repository's clone (overrides --clones for it)")
    ap.add_argument("--bin", help="bumpcheck binary (default: target/debug/bumpcheck, then PATH)")
    ap.add_argument("--cases", default=os.path.join(HERE, "cases.json"))
    ap.add_argument("--only", nargs="+", metavar="ID", help="run only these case ids")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    ap.add_argument("--show-misses", action="store_true", help="list every missed truth line")
    ap.add_argument("--json", metavar="FILE", help="also write the per-case results here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary trees (printed)")
    ap.add_argument("--api-diff", action="store_true",
                    help="reserved: score the API-diff mode once bumpcheck has one")
    args = ap.parse_args()
    if args.api_diff:
        sys.exit("--api-diff: bumpcheck has no API-diff mode yet; the column stays empty")

    binary = args.bin
    if not binary:
        cand = os.path.join(ROOT, "target/debug/bumpcheck")
        binary = cand if os.path.exists(cand) else shutil.which("bumpcheck")
    if not binary:
        sys.exit("no bumpcheck binary: pass --bin")
    binary = os.path.abspath(binary)
    overrides = dict(s.split("=", 1) for s in args.clone)

    with open(args.cases) as f:
        cases = json.load(f)["cases"]
    if args.only:
        cases = [c for c in cases if c["id"] in args.only]
        if not cases:
            sys.exit("no case matches --only")

    results = []
    for case in cases:
        gitdir = find_clone(args.clones, case["repo"], overrides)
        if not gitdir:
            print(f"[skip] {case['id']}: no clone of {case['repo']} under {args.clones}",
                  file=sys.stderr)
            continue
        tmp = tempfile.mkdtemp(prefix="bumpcheck-recall-")
        try:
            work = prepare(gitdir, case, tmp)
            report, cmd = run_bumpcheck(binary, work, case)
            res = score(case, report)
        except (subprocess.CalledProcessError, RuntimeError, ValueError) as e:
            msg = getattr(e, "stderr", None) or str(e)
            print(f"[error] {case['id']}: {msg.strip()[:300]}", file=sys.stderr)
            shutil.rmtree(tmp, ignore_errors=True)
            continue
        finally:
            if args.keep:
                print(f"[keep] {case['id']}: {tmp}", file=sys.stderr)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        res["case"] = case
        results.append(res)
        if not res["changes"]:
            print(f"[warn] {case['id']}: bumpcheck saw no change of {case['package']}",
                  file=sys.stderr)
        for e in res["errors"]:
            print(f"[warn] {case['id']}: {e.get('path')}: {e.get('message')}", file=sys.stderr)

    if not results:
        sys.exit("no case ran")
    report_tables(results, args)
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"id": r["case"]["id"], "truth": r["truth"], "found": r["found"],
                        "findings": r["findings"], "tp": r["tp"],
                        "fp": [{k: x.get(k) for k in ("rule", "path", "line", "end_line")}
                               for x in r["fp"]],
                        "misses": [{"path": p, "line": ln, "note": n} for p, ln, n in r["misses"]]}
                       for r in results], f, indent=1)


def report_tables(results, args):
    md = args.markdown
    cols = ["case", "ecosystem", "package", "from → to", "rules?", "truth lines", "found", "recall",
            "findings", "TP", "precision", "API diff: recall / precision", "both: recall / precision"]

    def row(cells):
        if md:
            return "| " + " | ".join(str(c) for c in cells) + " |"
        return "  ".join(str(c) for c in cells)

    def line(label, eco, pkg, ver, has, t, fo, n, tp):
        return row([label, eco, pkg, ver, has, t, fo, pct(fo, t), n, tp, pct(tp, n), "-", "-"])

    print("## Rules alone (one row per case)\n" if md else "rules alone, per case:")
    print(row(cols))
    if md:
        print("|" + "|".join(" --- " if i < 5 else " ---: " for i in range(len(cols))) + "|")
    for r in results:
        c = r["case"]
        print(line(c["id"], c["ecosystem"], c["package"], f"{c['from']} → {c['to']}",
                   "yes" if c.get("rules") else "no", r["truth"], r["found"], r["findings"], r["tp"]))
    eco = OrderedDict()
    for r in results:
        eco.setdefault(r["case"]["ecosystem"], []).append(r)
    print()
    print("## Per ecosystem\n" if md else "per ecosystem:")
    cols2 = ["ecosystem", "cases", "truth lines", "found", "recall", "findings", "TP",
             "precision", "API diff: recall / precision", "both: recall / precision"]
    print(row(cols2))
    if md:
        print("|" + "|".join(" --- " if i < 1 else " ---: " for i in range(len(cols2))) + "|")

    def agg(rs):
        return [sum(r[k] for r in rs) for k in ("truth", "found", "findings", "tp")]

    for e, rs in eco.items():
        t, fo, n, tp = agg(rs)
        print(row([e, len(rs), t, fo, pct(fo, t), n, tp, pct(tp, n), "-", "-"]))
    for label, want in (("boundary with rules", True), ("boundary without rules", False)):
        rs = [r for r in results if bool(r["case"].get("rules")) == want]
        if rs:
            t, fo, n, tp = agg(rs)
            print(row([label, len(rs), t, fo, pct(fo, t), n, tp, pct(tp, n), "-", "-"]))
    t, fo, n, tp = agg(results)
    bold = (lambda s: f"**{s}**") if md else (lambda s: s)
    print(row([bold("total"), bold(len(results)), bold(t), bold(fo), bold(pct(fo, t)), bold(n),
               bold(tp), bold(pct(tp, n)), "-", "-"]))

    print()
    fps = [(r["case"]["id"], f) for r in results for f in r["fp"]]
    print(f"## False positives ({len(fps)})\n" if md else f"false positives ({len(fps)}):")
    for cid, f in fps:
        span = f"{f['line']}" + (f"-{f['end_line']}" if f.get("end_line") not in (None, f["line"]) else "")
        text = f"{cid}: {f['path']}:{span} [{f['rule']}] {f['message']}"
        print(("- " + text) if md else ("  " + text))
    print()
    by_note = OrderedDict()
    for r in results:
        for p, ln, n in r["misses"]:
            by_note.setdefault(n, []).append((r["case"]["id"], p, ln))
    ranked = sorted(by_note.items(), key=lambda kv: -len(kv[1]))
    print("## Misses by upstream note\n" if md else "misses by upstream note (truth lines no rule covers):")
    for n, items in ranked:
        ids = OrderedDict()
        for cid, p, ln in items:
            ids.setdefault(cid, []).append(f"{p}:{ln}")
        where = "; ".join(f"{cid} ({len(v)})" for cid, v in ids.items())
        print((f"- {len(items)} lines: {n} — {where}") if md else f"  {len(items):4d}  {n}  [{where}]")
        if args.show_misses:
            for cid, v in ids.items():
                print(f"        {cid}: " + ", ".join(v))


if __name__ == "__main__":
    main()
