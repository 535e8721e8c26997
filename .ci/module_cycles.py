#!/usr/bin/env python3
"""Fails when bumpcheck's modules import each other in a loop.

Each folder of `src/` is a layer of sibling modules (the crate's top-level modules, the
files of `src/lockfile/`, ...). Module A depends on its sibling B when any file inside A
names B through a `crate::` path or, from A's own files, through `super::`. Within each
layer the dependencies must form no cycle: data flows one way. A parent naming its own
children and children naming their parent are not sibling edges and are allowed.

Usage: .ci/module_cycles.py [SRC]   (default: src). Prints the layers' edges with
--graph. Exit 1 with each cycle printed when there is one.
"""

import os
import re
import sys
from collections import defaultdict

PATH = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
GROUP = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)*)::\{([^;]*?)\}", re.S)


def module_path(src, file):
    """`src/lockfile/pnpm.rs` -> ('lockfile', 'pnpm'); mod.rs and lib.rs name the folder."""
    rel = os.path.relpath(file, src)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return tuple(rel)


def strip_comments(text):
    # Unit tests may reach anywhere (a sanitiser's test renders a report): the layering
    # is about the code that ships, so a trailing `#[cfg(test)] mod tests` is left out.
    text = re.split(r"#\[cfg\(test\)\]\s*mod tests\b", text)[0]
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def referenced_paths(text):
    """Every `crate::a::b` / `super::a` path, `use` groups expanded one level."""
    text = strip_comments(text)
    out = []
    for root, prefix, inner in GROUP.findall(text):
        for item in inner.split(","):
            item = item.strip().split(" as ")[0].strip()
            first = re.match(r"[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*", item)
            if first:
                out.append((root, [p for p in prefix.split("::") if p] + first.group(0).split("::")))
    for root, rest in PATH.findall(text):
        out.append((root, [p for p in rest.split("::") if p]))
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    src = args[0] if args else "src"
    files = []
    for d, _, names in os.walk(src):
        files += [os.path.join(d, n) for n in names if n.endswith(".rs")]
    modules = {module_path(src, f): f for f in files}
    if "main" in [os.path.basename(f)[:-3] for f in files]:
        modules.pop((), None)
        modules[()] = os.path.join(src, "lib.rs")

    def resolve(path):
        """The longest known module prefix of a path."""
        for n in range(len(path), 0, -1):
            if tuple(path[:n]) in modules:
                return tuple(path[:n])
        return ()

    edges = defaultdict(set)  # (layer) -> {(a, b)}
    for module, file in modules.items():
        if file.endswith("main.rs") or not module:
            continue
        with open(file, encoding="utf-8") as fh:
            text = fh.read()
        for root, path in referenced_paths(text):
            if root == "super":
                # `super::` names the module that declares this one.
                full = list(module[:-1]) + path
            else:
                full = path
            target = resolve(full)
            # The first component where the two paths part ways: the sibling layer.
            common = 0
            while common < min(len(module), len(target)) and module[common] == target[common]:
                common += 1
            if common >= len(module) or common >= len(target):
                continue  # an ancestor or a descendant: not a sibling edge
            layer = module[:common]
            edges[layer].add((module[common], target[common]))

    cycles = []
    for layer, pairs in sorted(edges.items()):
        graph = defaultdict(set)
        for a, b in pairs:
            if a != b:
                graph[a].add(b)
        for scc in strongly_connected(graph):
            if len(scc) > 1:
                cycles.append((layer, sorted(scc), graph))
    if "--graph" in sys.argv:
        for layer, pairs in sorted(edges.items()):
            name = "::".join(layer) or "crate"
            for a, b in sorted(pairs):
                if a != b:
                    print(f"{name}: {a} -> {b}")
    for layer, scc, graph in cycles:
        name = "::".join(layer) or "crate"
        loop = " ; ".join(f"{a} -> {b}" for a in scc for b in sorted(graph[a]) if b in scc)
        print(f"cycle in {name}: {', '.join(scc)} ({loop})")
    if cycles:
        print(f"{len(cycles)} module cycle(s)")
        return 1
    print(f"module graph: no cycles ({sum(len(p) for p in edges.values())} edges, {len(edges)} layers)")
    return 0


def strongly_connected(graph):
    """Tarjan's algorithm, iteratively."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    nodes = set(graph) | {b for bs in graph.values() for b in bs}
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]
                    counter[0] += 1
                    stack.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in on:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                scc = []
                while True:
                    n = stack.pop()
                    on.discard(n)
                    scc.append(n)
                    if n == node:
                        break
                out.append(scc)
    return out


if __name__ == "__main__":
    sys.exit(main())
