// bun's own reading of each fixture bun.lock, written next to it as inventory-<rev>.json.
//
//   BUN=/tmp/pnpm_bun/bun/node_modules/.bin/bun node testdata/bun/inventory.mjs [--check]
//
// Each revision is copied to a scratch folder with the registry host of its URLs put back
// (`npm config get registry`), installed by bun from the lockfile alone
// (`bun install --frozen-lockfile --ignore-scripts --linker hoisted`), and listed with
// `bun pm ls --all`: one `name@version` per installed copy, nested as in node_modules. The
// listed name is the node_modules folder (an alias for aliased packages), so the real name
// is read from the package.json at that folder. Left out, as bumpcheck leaves them out:
// workspace members (`@workspace:`) and the project's own `file:` folders (a version that is
// a bare path). Versions are as bun lists them (a tarball dependency lists its URL, written
// back with the reserved host).
// --check compares with the recorded files instead of writing them (exit 1 on a difference).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { record } from '../pnpm/record.mjs';

const bun = process.env.BUN ?? '/tmp/pnpm_bun/bun/node_modules/.bin/bun';
const here = path.dirname(fileURLToPath(import.meta.url));
const RESERVED = 'https://registry.example.invalid/';
const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' })
  .trim().replace(/\/?$/, '/');
const version = execFileSync(bun, ['--version'], { encoding: 'utf8' }).trim();

function copyTree(src, dest) {
  fs.mkdirSync(dest, { recursive: true });
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    const s = path.join(src, e.name), d = path.join(dest, e.name);
    if (e.isDirectory()) copyTree(s, d);
    else fs.writeFileSync(d, fs.readFileSync(s, 'utf8').split(RESERVED).join(registry));
  }
}

const isLocalPath = (v) => !/^\d/.test(v) && !/^(https?:|git|github:|npm:)/.test(v);

let failed = false;
for (const kase of fs.readdirSync(here).filter((d) => fs.statSync(path.join(here, d)).isDirectory()).sort()) {
  for (const rev of ['before', 'after']) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), `bun-oracle-${kase}-${rev}-`));
    copyTree(path.join(here, kase, rev), work);
    execFileSync(bun, ['install', '--frozen-lockfile', '--ignore-scripts', '--linker', 'hoisted'],
      { cwd: work, stdio: 'pipe' });
    const listing = execFileSync(bun, ['pm', 'ls', '--all'], { cwd: work, encoding: 'utf8' });
    const set = new Map();
    const stack = []; // node_modules folder of each open level
    for (const line of listing.split('\n').slice(1)) {
      const m = line.match(/^((?:│   |    )*)[├└]── (.+)$/);
      if (!m) continue;
      const depth = m[1].length / 4;
      const spec = m[2];
      const split = spec.indexOf('@', 1);
      const folder = spec.slice(0, split);
      const ver = spec.slice(split + 1);
      stack.length = depth;
      const parent = depth === 0 ? work : stack[depth - 1];
      const dir = path.join(parent, 'node_modules', folder);
      stack.push(dir);
      if (ver.startsWith('workspace:') || isLocalPath(ver)) continue;
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const name = manifest.name;
      const v = ver.split(registry).join(RESERVED);
      set.set(`${name}@${v}`, { name, version: v });
    }
    fs.rmSync(work, { recursive: true, force: true });
    const out = {
      lockfile: 'bun.lock',
      reader: `bun ${version}: install --frozen-lockfile --linker hoisted, pm ls --all`,
    };
    const file = path.join(here, kase, `inventory-${rev}.json`);
    if (!record(file, out, set.values())) failed = true;
    console.log(`${kase}/${rev}: ${out.packages.length} packages`);
  }
}
process.exit(failed ? 1 : 0);
