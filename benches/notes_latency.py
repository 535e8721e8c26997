#!/usr/bin/env python3
"""Benchmark: release notes for 50 changed packages behind 100 ms of latency per request.

    python3 benches/notes_latency.py [--packages 50] [--latency-ms 100]

Serves packuments and tarballs (each holding a CHANGELOG.md) from a threaded HTTP server
on 127.0.0.1 that sleeps before every response, makes a git repository whose lockfile
upgrades every package from 1.0.0 to 2.0.0, and times `bumpcheck check` with notes
against the same command with `--notes none` (the notes stage is the difference). The
ideal is ceil(requests / concurrency) x latency; the figure reported is the ratio to it.
A second, warm run must make zero requests.
"""
import argparse
import io
import json
import math
import os
import subprocess
import tarfile
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONCURRENCY = 8


def tarball(name):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for fname, text in [("package.json", json.dumps({"name": name, "version": "2.0.0"})),
                            ("CHANGELOG.md", "# Changelog\n\n## 2.0.0\n\n- **BREAKING** `old()` removed\n\n"
                                             "## 1.5.0\n\n- feature\n\n## 1.0.0\n\n- first\n")]:
            data = text.encode()
            info = tarfile.TarInfo(f"package/{fname}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packages", type=int, default=50)
    ap.add_argument("--latency-ms", type=int, default=100)
    args = ap.parse_args()
    names = [f"pkg-{i:02d}" for i in range(args.packages)]
    tarballs = {n: tarball(n) for n in names}
    count = {"n": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            with lock:
                count["n"] += 1
            time.sleep(args.latency_ms / 1000)
            parts = self.path.strip("/").split("/")
            if len(parts) == 1 and parts[0] in tarballs:
                body = json.dumps({"name": parts[0], "versions": {"2.0.0": {
                    "dist": {"tarball": f"http://{self.headers['Host']}/{parts[0]}/-/{parts[0]}-2.0.0.tgz"}}}}).encode()
            elif len(parts) == 3 and parts[0] in tarballs:
                body = tarballs[parts[0]]
            else:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"

    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "bumpcheck")
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        os.makedirs(repo)
        git = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True)
        git("init", "-q", "-b", "main")
        git("config", "user.email", "bench@example.invalid")
        git("config", "user.name", "bench")

        def write(version):
            deps = {n: version for n in names}
            with open(os.path.join(repo, "package.json"), "w") as f:
                json.dump({"name": "app", "dependencies": deps}, f)
            packages = {"": {"name": "app", "dependencies": deps}}
            packages.update({f"node_modules/{n}": {"version": version} for n in names})
            with open(os.path.join(repo, "package-lock.json"), "w") as f:
                json.dump({"name": "app", "lockfileVersion": 3, "packages": packages}, f)

        write("1.0.0")
        git("add", "-A")
        git("commit", "-q", "-m", "1")
        write("2.0.0")
        git("commit", "-q", "-am", "2")
        env = dict(os.environ, npm_config_registry=url, BUMPCHECK_CACHE_DIR=os.path.join(tmp, "cache"),
                   NPM_CONFIG_USERCONFIG=os.path.join(tmp, "none"), GITHUB_API_URL="http://127.0.0.1:9")
        base = ["check", "--base", "HEAD~1", "--format", "json", "--fail-on", "never"]

        def timed(extra):
            start = time.perf_counter()
            out = subprocess.run([exe, *base, *extra], cwd=repo, env=env, capture_output=True, check=True)
            return time.perf_counter() - start, json.loads(out.stdout)

        t_none = min(timed(["--notes", "none"])[0] for _ in range(3))
        count["n"] = 0
        t_cold, report = timed(["--notes", "direct"])
        cold_requests = count["n"]
        count["n"] = 0
        t_warm, warm = timed(["--notes", "direct"])
        warm_requests = count["n"]
    server.shutdown()

    with_notes = sum(1 for n in report["notes"] if n["versions"])
    ideal = math.ceil(cold_requests / CONCURRENCY) * args.latency_ms / 1000
    stage = t_cold - t_none
    print(f"{args.packages} packages, {args.latency_ms} ms latency per request, concurrency {CONCURRENCY}")
    print(f"cold: {cold_requests} requests, notes for {with_notes}/{args.packages} packages")
    print(f"  notes stage {stage * 1000:.0f} ms, ideal {ideal * 1000:.0f} ms: {stage / ideal:.2f}x of ideal")
    print(f"warm: {warm_requests} requests, notes for {sum(1 for n in warm['notes'] if n['versions'])} packages, "
          f"notes stage {(t_warm - t_none) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
