#!/usr/bin/env python3
"""Benchmark: bumpcheck's lockfile parsers on one large generated lockfile per format, and
the npm, yarn and pnpm parsers against the package managers' own readers on the same file,
in the same run.

    python3 benches/lockfile_formats.py [--packages 6000] [--runs 5] [--reader-runs 3]
                                         [--only npm,pnpm] [--no-readers] [--keep]

Writes every file under a scratch directory (BUMPCHECK_BENCH_DIR, default /tmp/bench):
each format at >= --packages packages, the npm file past 30 MiB (nested copies of packages,
as a large monorepo's lockfile has) and the pnpm file past 100,000 lines. The shapes follow
the fixtures under testdata/ (what the real tools write), with `registry.example.invalid`
as the registry.

bumpcheck is measured by `examples/parse_lockfile.rs` (built with `cargo build --release
--example parse_lockfile`): it reads the file, then parses it N times and prints the median
parse time and the peak heap the parse allocates on top of the input (a counting global
allocator, so exact bytes requested). Process start-up and file reading are not timed.

The readers are installed with npm into <dir>/tools (the registry is npm's own setting):
@npmcli/arborist (`loadVirtual`), @yarnpkg/lockfile (`parse`, yarn 1), @yarnpkg/parsers
(`parseSyml`, Berry) and @pnpm/lockfile.fs (`readWantedLockfile`). Each is timed in its own
node process, module loaded first, `process.hrtime` around the call alone; the file read
is inside the call for arborist and pnpm (their API reads the file), and outside it for the
yarn parsers, which take text. The ratio is reader time / bumpcheck time.
"""
import argparse
import base64
import json
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REG = "https://registry.example.invalid"
MIB = 1024 * 1024

READER_VERSIONS = ["@npmcli/arborist@9.9.3", "@yarnpkg/lockfile@1.1.0",
                   "@yarnpkg/parsers@3.1.0", "@pnpm/lockfile.fs@1001.1.35"]

# The reader script: `node reader.cjs KIND FILE RUNS`, prints the median milliseconds.
READER_JS = r"""
const fs = require('fs'), path = require('path');
const [kind, file, runs] = [process.argv[2], process.argv[3], +process.argv[4]];
const dir = path.dirname(file);
async function main() {
  let once, count;
  if (kind === 'arborist') {
    const Arborist = require('@npmcli/arborist');
    once = async () => { const t = await new Arborist({ path: dir }).loadVirtual(); count = t.inventory.size; };
  } else if (kind === 'yarn-classic') {
    const { parse } = require('@yarnpkg/lockfile');
    const text = fs.readFileSync(file, 'utf8');
    once = async () => { const r = parse(text); if (r.type !== 'success') throw new Error(r.type); count = Object.keys(r.object).length; };
  } else if (kind === 'yarn-berry') {
    const { parseSyml } = require('@yarnpkg/parsers');
    const text = fs.readFileSync(file, 'utf8');
    once = async () => { count = Object.keys(parseSyml(text)).length; };
  } else if (kind === 'pnpm') {
    const { readWantedLockfile } = require('@pnpm/lockfile.fs');
    once = async () => { const l = await readWantedLockfile(dir, { ignoreIncompatible: false }); count = Object.keys(l.packages).length; };
  } else throw new Error('unknown reader ' + kind);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await once();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ ms: times[Math.floor(times.length / 2)], count, runs }));
}
main().catch(e => { console.error(e); process.exit(1); });
"""

SYLLABLES = ["ac", "al", "ar", "ba", "be", "bo", "ca", "co", "da", "de", "di", "el", "en",
             "fa", "fe", "fi", "ga", "ge", "ha", "in", "jo", "ka", "la", "le", "li", "lo",
             "ma", "me", "mi", "mo", "na", "ne", "no", "or", "pa", "pe", "po", "qu", "ra",
             "re", "ri", "ro", "sa", "se", "si", "so", "ta", "te", "ti", "to", "un", "va",
             "ve", "vi", "xa", "ze", "zo"]
WORDS = ["parser", "utils", "core", "plugin", "loader", "config", "stream", "helper",
         "types", "runtime", "compat", "cli", "server", "client", "cache", "schema"]


class Pkg:
    """One package of the generated universe: a name, its versions (the first is the one
    most dependents get; others are older copies some dependents pin), and dependencies."""

    def __init__(self, name, versions, deps):
        self.name, self.versions, self.deps = name, versions, deps


def universe(n, rng, scoped=True, sep="-"):
    """n distinct package names with one or two versions each and a few dependencies."""
    names, seen = [], set()
    while len(names) < n:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        name = f"{word}{sep}{rng.choice(WORDS)}" if rng.random() < 0.5 else word
        if scoped and rng.random() < 0.15:
            name = f"@{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}/{name}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    pkgs = []
    for i, name in enumerate(names):
        major = rng.randint(0, 9)
        versions = [f"{major}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"]
        if rng.random() < 0.2:
            versions.append(f"{max(major - 1, 0)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}")
        deps = sorted(set(rng.randrange(n) for _ in range(rng.choice([0, 1, 2, 3, 4, 6, 8])))
                      - {i})
        pkgs.append(Pkg(name, versions, deps))
    return pkgs


def b64(rng, n):
    return base64.b64encode(rng.randbytes(n)).decode()


def hexs(rng, n):
    return rng.randbytes(n).hex()


def caret(v):
    return "^" + v


# -- npm ----------------------------------------------------------------------------------

def gen_npm(pkgs, rng, min_bytes):
    """package-lock.json v3: `packages` keyed by folder, hoisted copies at the top and older
    copies nested under each dependent that needs them, as npm 7+ writes them."""
    root = {"name": "big-monorepo", "version": "1.0.0", "license": "MIT",
            "dependencies": {p.name: caret(p.versions[0]) for p in pkgs[:60]},
            "devDependencies": {p.name: caret(p.versions[0]) for p in pkgs[60:90]}}
    packages = {"": root}

    def entry(p, v):
        e = {"version": v,
             "resolved": f"{REG}/{p.name}/-/{p.name.split('/')[-1]}-{v}.tgz",
             "integrity": "sha512-" + b64(rng, 64),
             "license": rng.choice(["MIT", "ISC", "Apache-2.0", "BSD-3-Clause"])}
        if p.deps:
            e["dependencies"] = {pkgs[d].name: caret(pkgs[d].versions[0]) for d in p.deps}
        if rng.random() < 0.3:
            e["engines"] = {"node": ">=" + rng.choice(["0.10", "6", "12", "14.17.0", "18"])}
        if rng.random() < 0.05:
            e["dev"] = True
        return e

    size = 0
    for p in pkgs:
        packages[f"node_modules/{p.name}"] = entry(p, p.versions[0])
    # Older copies, nested under dependents, until the file is as big as asked.
    olds = [p for p in pkgs if len(p.versions) > 1]
    size = len(json.dumps(packages, indent=2))
    round_ = 0
    while size < min_bytes:
        for i, p in enumerate(olds):
            parent = pkgs[(i * 7919 + round_ * 104729) % len(pkgs)]
            key = f"node_modules/{parent.name}/node_modules/{p.name}"
            if key not in packages:
                e = entry(p, p.versions[1])
                packages[key] = e
                size += len(json.dumps(e, indent=2)) + len(key) + 20
        round_ += 1
    lock = {"name": "big-monorepo", "version": "1.0.0", "lockfileVersion": 3,
            "requires": True, "packages": packages}
    manifest = {"name": "big-monorepo", "version": "1.0.0",
                "dependencies": root["dependencies"], "devDependencies": root["devDependencies"]}
    return json.dumps(lock, indent=2) + "\n", {"package.json": json.dumps(manifest, indent=2)}


# -- yarn ---------------------------------------------------------------------------------

def yarn_quote(s):
    return f'"{s}"' if s.startswith("@") or any(c in s for c in " :^~<>=|") else s


def gen_yarn_classic(pkgs, rng, _):
    out = ["# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.",
           "# yarn lockfile v1", "", ""]
    for p in sorted(pkgs, key=lambda p: p.name):
        for k, v in enumerate(p.versions):
            ranges = [caret(v)] if k else [caret(v), f"~{v}", v][:rng.randint(1, 3)]
            out.append(", ".join(yarn_quote(f"{p.name}@{r}") for r in ranges) + ":")
            out.append(f'  version "{v}"')
            out.append(f'  resolved "{REG}/{p.name}/-/{p.name.split("/")[-1]}-{v}.tgz'
                       f'#{hexs(rng, 20)}"')
            out.append(f"  integrity sha512-{b64(rng, 64)}")
            if p.deps:
                out.append("  dependencies:")
                for d in p.deps:
                    out.append(f'    {yarn_quote(pkgs[d].name)} "{caret(pkgs[d].versions[0])}"')
            out.append("")
    return "\n".join(out), {}


def gen_yarn_berry(pkgs, rng, _):
    out = ["# This file is generated by running \"yarn install\" inside your project.",
           "# Manual changes might be lost - proceed with caution!", "",
           "__metadata:", "  version: 8", "  cacheKey: 10c0", ""]
    for p in sorted(pkgs, key=lambda p: p.name):
        for v in p.versions:
            out.append(f'"{p.name}@npm:{caret(v)}":')
            out.append(f"  version: {v}")
            out.append(f'  resolution: "{p.name}@npm:{v}"')
            if p.deps:
                out.append("  dependencies:")
                for d in p.deps:
                    q = pkgs[d]
                    key = f'"{q.name}"' if q.name.startswith("@") else q.name
                    out.append(f'    {key}: "npm:{caret(q.versions[0])}"')
            if p.deps and rng.random() < 0.1:
                q = pkgs[p.deps[0]]
                key = f'"{q.name}"' if q.name.startswith("@") else q.name
                out.append("  peerDependencies:")
                out.append(f'    {key}: "*"')
                out.append("  peerDependenciesMeta:")
                out.append(f"    {key}:")
                out.append("      optional: true")
            if rng.random() < 0.05:
                out.append("  bin:")
                out.append(f"    {p.name.split('/')[-1]}: bin/cli.js")
            out.append(f"  checksum: 10c0/{hexs(rng, 64)}")
            out.append("  languageName: node")
            out.append("  linkType: hard")
            out.append("")
    out.append('"big-monorepo@workspace:.":')
    out.append("  version: 0.0.0-use.local")
    out.append('  resolution: "big-monorepo@workspace:."')
    out.append("  dependencies:")
    for p in pkgs[:60]:
        key = f'"{p.name}"' if p.name.startswith("@") else p.name
        out.append(f'    {key}: "npm:{caret(p.versions[0])}"')
    out.append("  languageName: unknown")
    out.append("  linkType: soft")
    out.append("")
    return "\n".join(out), {}


# -- pnpm ---------------------------------------------------------------------------------

def yaml_key(s):
    return f"'{s}'" if s.startswith("@") else s


def gen_pnpm(pkgs, rng, _):
    """pnpm 9: importers (a workspace), packages (resolution, engines, peers) and snapshots
    (the resolved dependencies of each package)."""
    out = ["lockfileVersion: '9.0'", "", "settings:", "  autoInstallPeers: true",
           "  excludeLinksFromLockfile: false", "", "importers:", ""]
    for w in range(20):
        out.append("  ." if w == 0 else f"  packages/app-{w:02d}:")
        if w == 0:
            out[-1] += ":"
        out.append("    dependencies:")
        for p in pkgs[w * 30:w * 30 + 30]:
            out.append(f"      {yaml_key(p.name)}:")
            out.append(f"        specifier: {caret(p.versions[0])}")
            out.append(f"        version: {p.versions[0]}")
        out.append("")
    out.append("packages:")
    out.append("")
    items = sorted(((p, v) for p in pkgs for v in p.versions), key=lambda x: (x[0].name, x[1]))
    for p, v in items:
        out.append(f"  {yaml_key(p.name + '@' + v)}:")
        out.append(f"    resolution: {{integrity: sha512-{b64(rng, 64)}}}")
        if rng.random() < 0.4:
            out.append(f"    engines: {{node: '>={rng.choice(['6', '12', '14.17.0', '18'])}'}}")
        if rng.random() < 0.05:
            out.append("    hasBin: true")
        if rng.random() < 0.03:
            out.append("    cpu: [x64]")
            out.append("    os: [linux]")
        if p.deps and rng.random() < 0.1:
            q = pkgs[p.deps[0]]
            out.append("    peerDependencies:")
            out.append(f"      {yaml_key(q.name)}: '>={q.versions[0]}'")
        out.append("")
    out.append("snapshots:")
    out.append("")
    for p, v in items:
        if not p.deps:
            out.append(f"  {yaml_key(p.name + '@' + v)}: {{}}")
        else:
            out.append(f"  {yaml_key(p.name + '@' + v)}:")
            out.append("    dependencies:")
            for d in p.deps:
                out.append(f"      {yaml_key(pkgs[d].name)}: {pkgs[d].versions[0]}")
            if rng.random() < 0.15:
                out.append("    transitivePeerDependencies:")
                out.append("      - supports-color")
            if rng.random() < 0.03:
                out.append("    optional: true")
        out.append("")
    return "\n".join(out), {}


# -- bun ----------------------------------------------------------------------------------

def gen_bun(pkgs, rng, _):
    out = ["{", '  "lockfileVersion": 1,', '  "workspaces": {', '    "": {',
           '      "name": "big-monorepo",', '      "dependencies": {']
    out += [f'        "{p.name}": "{caret(p.versions[0])}",' for p in pkgs[:60]]
    out += ["      },", "    },", "  },", '  "packages": {']
    for p in sorted(pkgs, key=lambda p: p.name):
        for k, v in enumerate(p.versions):
            key = p.name if k == 0 else f"{pkgs[p.deps[0] if p.deps else 0].name}/{p.name}"
            deps = ""
            if p.deps:
                deps = ' "dependencies": { ' + ", ".join(
                    f'"{pkgs[d].name}": "{caret(pkgs[d].versions[0])}"' for d in p.deps) + " } "
            out.append(f'    "{key}": ["{p.name}@{v}", "", {{{deps}}}, "sha512-{b64(rng, 64)}"],')
            out.append("")
    out += ["  }", "}", ""]
    return "\n".join(out), {}


# -- Rust, Python -------------------------------------------------------------------------

def gen_cargo(pkgs, rng, _):
    out = ["# This file is automatically @generated by Cargo.",
           "# It is not intended for manual editing.", "version = 4", ""]
    for p in sorted(pkgs, key=lambda p: p.name):
        for v in p.versions:
            out += ["[[package]]", f'name = "{p.name}"', f'version = "{v}"',
                    'source = "registry+https://registry.example.invalid/index"',
                    f'checksum = "{hexs(rng, 32)}"']
            if p.deps:
                out.append("dependencies = [")
                out += [f' "{pkgs[d].name}",' for d in p.deps]
                out.append("]")
            out.append("")
    return "\n".join(out), {}


def py_files(rng, name, v, inline):
    stem = name.replace("-", "_")
    whl = [f"{stem}-{v}-py3-none-any.whl", f"{name}-{v}.tar.gz"]
    if rng.random() < 0.2:
        whl += [f"{stem}-{v}-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                f"{stem}-{v}-cp311-cp311-macosx_11_0_arm64.whl"]
    if inline:
        return [f'    {{file = "{f}", hash = "sha256:{hexs(rng, 32)}"}},' for f in whl]
    return whl


def gen_poetry(pkgs, rng, _):
    out = ["# This file is automatically @generated by Poetry 2.1.3 and should not be "
           "changed by hand.", ""]
    for p in sorted(pkgs, key=lambda p: p.name):
        v = p.versions[0]
        out += ["[[package]]", f'name = "{p.name}"', f'version = "{v}"',
                f'description = "The {p.name} library"', "optional = false",
                'python-versions = ">=3.9"', 'groups = ["main"]', "files = ["]
        out += py_files(rng, p.name, v, True)
        out.append("]")
        if p.deps:
            out += ["", "[package.dependencies]"]
            out += [f'{pkgs[d].name} = ">={pkgs[d].versions[0]}"' for d in p.deps]
        out.append("")
    out += ["[metadata]", 'lock-version = "2.1"', 'python-versions = ">=3.11,<4"',
            f'content-hash = "{hexs(rng, 32)}"', ""]
    return "\n".join(out), {}


def gen_uv(pkgs, rng, _):
    out = ["version = 1", "revision = 2", 'requires-python = ">=3.11"', ""]
    for p in sorted(pkgs, key=lambda p: p.name):
        v = p.versions[0]
        out += ["[[package]]", f'name = "{p.name}"', f'version = "{v}"',
                f'source = {{ registry = "{REG}/simple" }}']
        if p.deps:
            out.append("dependencies = [")
            out += [f'    {{ name = "{pkgs[d].name}" }},' for d in p.deps]
            out.append("]")
        files = py_files(rng, p.name, v, False)
        h = hexs(rng, 16)
        out.append(f'sdist = {{ url = "{REG}/packages/{h[:2]}/{h[2:4]}/{h[4:]}/{files[1]}", '
                   f'hash = "sha256:{hexs(rng, 32)}", size = {rng.randint(1000, 900000)}, '
                   f'upload-time = "2024-11-08T17:25:47.436Z" }}')
        out.append("wheels = [")
        for f in files[:1] + files[2:]:
            out.append(f'    {{ url = "{REG}/packages/{h[:2]}/{h[2:4]}/{h[4:]}/{f}", '
                       f'hash = "sha256:{hexs(rng, 32)}", size = {rng.randint(1000, 900000)}, '
                       f'upload-time = "2024-11-08T17:25:46.184Z" }},')
        out += ["]", ""]
    return "\n".join(out), {}


def gen_pdm(pkgs, rng, _):
    out = ["# This file is @generated by PDM.", "# It is not intended for manual editing.", "",
           "[metadata]", 'groups = ["default", "test"]', 'strategy = ["inherit_metadata"]',
           'lock_version = "4.5.0"', f'content_hash = "sha256:{hexs(rng, 32)}"', "",
           "[[metadata.targets]]", 'requires_python = ">=3.11"', ""]
    for p in sorted(pkgs, key=lambda p: p.name):
        v = p.versions[0]
        out += ["[[package]]", f'name = "{p.name}"', f'version = "{v}"',
                'requires_python = ">=3.8"', f'summary = "The {p.name} library"',
                'groups = ["default"]']
        if p.deps:
            out.append("dependencies = [")
            out += [f'    "{pkgs[d].name}>={pkgs[d].versions[0]}",' for d in p.deps]
            out.append("]")
        out.append("files = [")
        out += py_files(rng, p.name, v, True)
        out += ["]", ""]
    return "\n".join(out), {}


def gen_pipfile(pkgs, rng, _):
    def section(ps):
        return {p.name: {"hashes": [f"sha256:{hexs(rng, 32)}" for _ in range(2)],
                         "markers": "python_version >= '3.8'", "version": f"=={p.versions[0]}"}
                for p in sorted(ps, key=lambda p: p.name)}
    cut = len(pkgs) * 9 // 10
    lock = {"_meta": {"hash": {"sha256": hexs(rng, 32)}, "pipfile-spec": 6,
                      "requires": {"python_version": "3.11"},
                      "sources": [{"name": "pypi", "url": f"{REG}/simple", "verify_ssl": True}]},
            "default": section(pkgs[:cut]), "develop": section(pkgs[cut:])}
    return json.dumps(lock, indent=4) + "\n", {}


def gen_requirements(pkgs, rng, _):
    out = ["#", "# This file is autogenerated by pip-compile with Python 3.11",
           "# by the following command:", "#",
           "#    pip-compile --generate-hashes --output-file=requirements.txt requirements.in",
           "#"]
    for i, p in enumerate(sorted(pkgs, key=lambda p: p.name)):
        out.append(f"{p.name}=={p.versions[0]} \\")
        hashes = [f"    --hash=sha256:{hexs(rng, 32)}" for _ in range(rng.choice([1, 2, 2, 4]))]
        out += [h + " \\" for h in hashes[:-1]] + [hashes[-1]]
        out.append(f"    # via {pkgs[(i * 31) % len(pkgs)].name}")
    return "\n".join(out) + "\n", {}


# -- Go, Ruby, PHP, .NET, JVM, Dart, Elixir -----------------------------------------------

def gen_gomod(pkgs, rng, _):
    out = ["module example.invalid/acme/monolith", "", "go 1.22", "", "require ("]
    for p in pkgs[:100]:
        out.append(f"\tgithub.com/{p.name.strip('@').replace('/', '-')}/{p.name.split('/')[-1]}"
                   f" v{p.versions[0]}")
    out += [")", "", "require ("]
    for p in pkgs[100:]:
        out.append(f"\tgithub.com/{p.name.strip('@').replace('/', '-')}/{p.name.split('/')[-1]}"
                   f" v{p.versions[0]} // indirect")
    out += [")", ""]
    return "\n".join(out), {}


def gen_gemfile(pkgs, rng, _):
    out = ["GEM", f"  remote: {REG}/", "  specs:"]
    for p in sorted(pkgs, key=lambda p: p.name):
        out.append(f"    {p.name} ({p.versions[0]})")
        out += [f"      {pkgs[d].name} (~> {pkgs[d].versions[0].rsplit('.', 1)[0]})"
                for d in p.deps]
    out += ["", "PLATFORMS", "  ruby", "  x86_64-linux", "", "DEPENDENCIES"]
    out += [f"  {p.name} (~> {p.versions[0]})" for p in sorted(pkgs[:80], key=lambda p: p.name)]
    out += ["", "BUNDLED WITH", "   2.5.22", ""]
    return "\n".join(out), {}


def gen_composer(pkgs, rng, _):
    def pkg(p):
        ref = hexs(rng, 20)
        e = {"name": p.name, "version": p.versions[0],
             "source": {"type": "git", "url": f"https://git.example.invalid/{p.name}.git",
                        "reference": ref},
             "dist": {"type": "zip", "url": f"{REG}/dist/{p.name}/{ref}.zip",
                      "reference": ref, "shasum": ""},
             "require": {"php": ">=8.1", **{pkgs[d].name: caret(pkgs[d].versions[0])
                                             for d in p.deps}},
             "type": "library", "license": ["MIT"],
             "description": f"The {p.name} package", "time": "2024-11-20T10:00:00+00:00"}
        return e
    cut = len(pkgs) * 9 // 10
    lock = {"_readme": ["This file locks the dependencies of your project to a known state",
                        "This file is @generated automatically"],
            "content-hash": hexs(rng, 16), "packages": [pkg(p) for p in pkgs[:cut]],
            "packages-dev": [pkg(p) for p in pkgs[cut:]], "aliases": [],
            "minimum-stability": "stable", "stability-flags": {}, "prefer-stable": False,
            "prefer-lowest": False, "platform": {"php": ">=8.1"}, "platform-dev": {},
            "plugin-api-version": "2.6.0"}
    return json.dumps(lock, indent=4) + "\n", {}


def gen_nuget(pkgs, rng, _):
    deps = {}
    for i, p in enumerate(sorted(pkgs, key=lambda p: p.name)):
        e = {"type": "Direct" if i % 50 == 0 else "Transitive"}
        if i % 50 == 0:
            e["requested"] = f"[{p.versions[0]}, )"
        e["resolved"] = p.versions[0]
        e["contentHash"] = b64(rng, 64)
        if p.deps:
            e["dependencies"] = {pkgs[d].name: pkgs[d].versions[0] for d in p.deps}
        deps[p.name] = e
    lock = {"version": 1, "dependencies": {"net8.0": deps}}
    return json.dumps(lock, indent=2) + "\n", {}


def gen_gradle(pkgs, rng, _):
    out = ["# This is a Gradle generated file for dependency locking.",
           "# Manual edits can break the build and are not advised.",
           "# This file is expected to be part of source control."]
    confs = ["compileClasspath", "runtimeClasspath", "testCompileClasspath",
             "testRuntimeClasspath"]
    for p in sorted(pkgs, key=lambda p: p.name):
        for v in p.versions:
            out.append(f"{p.name}:{v}=" + ",".join(confs[:rng.randint(1, 4)]))
    out += ["empty=annotationProcessor,testAnnotationProcessor", ""]
    return "\n".join(out), {}


def gen_pubspec(pkgs, rng, _):
    out = ["# Generated by pub", "# See https://dart.dev/tools/pub/glossary#lockfile",
           "packages:"]
    for i, p in enumerate(sorted(pkgs, key=lambda p: p.name)):
        out += [f"  {p.name}:",
                "    dependency: " + ('"direct main"' if i % 50 == 0 else "transitive"),
                "    description:", f"      name: {p.name}",
                f'      sha256: "{hexs(rng, 32)}"', f'      url: "{REG}"',
                "    source: hosted", f'    version: "{p.versions[0]}"']
    out += ["sdks:", '  dart: ">=3.0.0 <4.0.0"', ""]
    return "\n".join(out), {}


def gen_mix(pkgs, rng, _):
    out = ["%{"]
    for p in sorted(pkgs, key=lambda p: p.name):
        deps = ", ".join(f'{{:{pkgs[d].name}, "~> {pkgs[d].versions[0]}", '
                         f'[hex: :{pkgs[d].name}, repo: "hexpm", optional: false]}}'
                         for d in p.deps)
        out.append(f'  "{p.name}": {{:hex, :{p.name}, "{p.versions[0]}", "{hexs(rng, 32)}", '
                   f'[:mix], [{deps}], "hexpm", "{hexs(rng, 32)}"}},')
    out.append("}")
    return "\n".join(out) + "\n", {}


# name, file name, generator, universe options, reader
FORMATS = [
    ("npm", "package-lock.json", gen_npm, {}, "arborist"),
    ("yarn-classic", "yarn.lock", gen_yarn_classic, {}, "yarn-classic"),
    ("yarn-berry", "yarn.lock", gen_yarn_berry, {}, "yarn-berry"),
    ("pnpm", "pnpm-lock.yaml", gen_pnpm, {}, "pnpm"),
    ("bun", "bun.lock", gen_bun, {}, None),
    ("cargo", "Cargo.lock", gen_cargo, {"scoped": False}, None),
    ("poetry", "poetry.lock", gen_poetry, {"scoped": False}, None),
    ("uv", "uv.lock", gen_uv, {"scoped": False}, None),
    ("pdm", "pdm.lock", gen_pdm, {"scoped": False}, None),
    ("pipenv", "Pipfile.lock", gen_pipfile, {"scoped": False}, None),
    ("requirements", "requirements.txt", gen_requirements, {"scoped": False}, None),
    ("go", "go.mod", gen_gomod, {}, None),
    ("bundler", "Gemfile.lock", gen_gemfile, {"scoped": False, "sep": "_"}, None),
    ("composer", "composer.lock", gen_composer, {"scoped": False}, None),
    ("nuget", "packages.lock.json", gen_nuget, {"scoped": False, "sep": "."}, None),
    ("gradle", "gradle.lockfile", gen_gradle, {"scoped": False, "sep": ":"}, None),
    ("pub", "pubspec.lock", gen_pubspec, {"scoped": False, "sep": "_"}, None),
    ("mix", "mix.lock", gen_mix, {"scoped": False, "sep": "_"}, None),
]


def composer_names(pkgs):
    for p in pkgs:
        if "/" not in p.name:
            p.name = f"{p.name[:3]}vendor/{p.name}"


def gradle_names(pkgs):
    for p in pkgs:
        group, _, artifact = p.name.partition(":")
        p.name = f"org.{group}:{artifact or group}"


def generate(kind, file_name, gen, opts, args, scratch):
    rng = random.Random(f"{kind}-{args.packages}")
    n = args.packages
    pkgs = universe(n, rng, **opts)
    if kind == "composer":
        composer_names(pkgs)
    if kind == "gradle":
        gradle_names(pkgs)
    # A big monorepo's pnpm file: enough packages for 100k lines.
    if kind == "pnpm":
        while True:
            text, extra = gen(pkgs, rng, 0)
            if text.count("\n") >= 100_000:
                break
            n = n * 3 // 2
            pkgs = universe(n, rng, **opts)
    else:
        text, extra = gen(pkgs, rng, 30 * MIB + MIB // 4)
    folder = os.path.join(scratch, "files", kind)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, file_name)
    with open(path, "w") as f:
        f.write(text)
    for name, content in extra.items():
        with open(os.path.join(folder, name), "w") as f:
            f.write(content)
    return path, text.count("\n")


def install_readers(scratch):
    tools = os.path.join(scratch, "tools")
    marker = os.path.join(tools, "node_modules", "@pnpm", "lockfile.fs", "package.json")
    if not os.path.exists(marker):
        os.makedirs(tools, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", tools, "--no-audit", "--no-fund",
                        "--ignore-scripts", *READER_VERSIONS], check=True,
                       stdout=subprocess.DEVNULL)
    script = os.path.join(tools, "reader.cjs")
    with open(script, "w") as f:
        f.write(READER_JS)
    return script


def run_reader(script, kind, path, runs):
    out = subprocess.run(["node", "--max-old-space-size=8192", script, kind, path, str(runs)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packages", type=int, default=6000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--reader-runs", type=int, default=3)
    ap.add_argument("--only", default="")
    ap.add_argument("--no-readers", action="store_true")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = ap.parse_args()
    scratch = os.environ.get("BUMPCHECK_BENCH_DIR", "/tmp/bench")
    only = set(filter(None, args.only.split(",")))

    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "--example",
                    "parse_lockfile"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "examples", "parse_lockfile")
    script = None if args.no_readers else install_readers(scratch)

    rows = []
    for kind, file_name, gen, opts, reader in FORMATS:
        if only and kind not in only:
            continue
        path, lines = generate(kind, file_name, gen, opts, args, scratch)
        out = subprocess.run([exe, path, str(args.runs)], check=True, capture_output=True,
                             text=True).stdout
        m = json.loads(out)
        row = {"format": kind, "file": file_name, "bytes": m["file_bytes"], "lines": lines,
               "packages": m["packages"], "ms": m["parse_ms"],
               "mem": m["peak_heap_bytes"] / m["file_bytes"], "reader": "", "ratio": None}
        if reader and script:
            r = run_reader(script, reader, path, args.reader_runs)
            row.update(reader=reader, reader_ms=r["ms"], ratio=r["ms"] / m["parse_ms"])
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)

    names = {"arborist": "@npmcli/arborist loadVirtual", "yarn-classic": "@yarnpkg/lockfile parse",
             "yarn-berry": "@yarnpkg/parsers parseSyml", "pnpm": "@pnpm/lockfile.fs readWantedLockfile"}
    header = ["format", "file size", "lines", "packages", "parse", "peak heap / size",
              "reader", "reader time", "ratio"]
    table = []
    for r in rows:
        table.append([r["format"], f"{r['bytes'] / MIB:.1f} MiB", f"{r['lines']:,}",
                      f"{r['packages']:,}", f"{r['ms']:.1f} ms", f"{r['mem']:.2f}x",
                      names.get(r["reader"], "-"),
                      f"{r['reader_ms']:.0f} ms" if r["ratio"] else "-",
                      f"{r['ratio']:.1f}x" if r["ratio"] else "-"])
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for t in table:
            print("| " + " | ".join(t) + " |")
    else:
        widths = [max(len(x) for x in col) for col in zip(header, *table)]
        for t in [header] + table:
            print("  ".join(x.ljust(w) for x, w in zip(t, widths)))
    print(f"bumpcheck: median of {args.runs} parses; readers: median of {args.reader_runs} "
          "reads; ratio = reader time / bumpcheck time; peak heap = the parse's peak "
          "allocation beyond the input")
    missed = [r["format"] for r in rows
              if r["mem"] >= 3 or (r["ratio"] is not None and r["ratio"] < 10)]
    if missed:
        print("targets missed (10x the reader, peak heap < 3x the file): " + ", ".join(missed))


if __name__ == "__main__":
    sys.exit(main())
