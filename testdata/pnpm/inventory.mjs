// pnpm's own reading of each fixture lockfile, written next to it as inventory-<rev>.json.
//
//   PNPM_TOOLS=/tmp/pnpm_bun node testdata/pnpm/inventory.mjs [--check]
//
// Each lockfile is read with the reader of the pnpm generation that wrote it
// (readWantedLockfile of @pnpm/lockfile-file 7 for 5.4, @pnpm/lockfile-file 8 for 6.0,
// @pnpm/lockfile.fs 1001 for 9.0), and every key of its `packages` is split into name and
// version by pnpm's own dependency-path parser. The package is the entry's `name`/`version`
// when pnpm recorded them (non-registry packages), else the parsed key. Folders of the
// project itself (`resolution.type: directory`, the `file:` packages) are left out, as
// bumpcheck leaves them out; workspace links never appear in `packages`.
// --check compares with the recorded files instead of writing them (exit 1 on a difference).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { record } from './record.mjs';

const tools = process.env.PNPM_TOOLS ?? '/tmp/pnpm_bun';
const here = path.dirname(fileURLToPath(import.meta.url));

const readers = {
  v5: { dir: 'tools-v5', lockfile: '@pnpm/lockfile-file', dp: 'dependency-path' },
  v6: { dir: 'tools-v6', lockfile: '@pnpm/lockfile-file', dp: '@pnpm/dependency-path' },
  v9: { dir: 'tools-v9', lockfile: '@pnpm/lockfile.fs', dp: '@pnpm/dependency-path' },
};

let failed = false;
for (const [gen, r] of Object.entries(readers)) {
  const req = createRequire(path.join(tools, r.dir, 'node_modules', 'x.js'));
  const { readWantedLockfile } = req(r.lockfile);
  const dp = req(r.dp);
  const version = JSON.parse(fs.readFileSync(
    path.join(tools, r.dir, 'node_modules', r.lockfile, 'package.json'), 'utf8')).version;
  for (const kase of fs.readdirSync(path.join(here, gen)).sort()) {
    for (const rev of ['before', 'after']) {
      const dir = path.join(here, gen, kase, rev);
      const lock = await readWantedLockfile(dir, { ignoreIncompatible: false });
      const set = new Map();
      for (const [depPath, pkg] of Object.entries(lock.packages ?? {})) {
        if (pkg.resolution?.type === 'directory') continue;
        const parsed = dp.parse(depPath);
        const name = pkg.name ?? parsed.name;
        const ver = pkg.version ?? parsed.version ?? parsed.nonSemverVersion;
        set.set(`${name}@${ver}`, { name, version: ver });
      }
      const direct = new Set();
      for (const imp of Object.values(lock.importers ?? {})) {
        for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
          for (const [alias, ref] of Object.entries(imp[field] ?? {})) {
            if (!String(ref).startsWith('link:')) direct.add(alias);
          }
        }
      }
      const out = {
        lockfile: 'pnpm-lock.yaml',
        reader: `${r.lockfile}@${version} readWantedLockfile + ${r.dp}.parse`,
        lockfileVersion: String(lock.lockfileVersion),
        importers: Object.keys(lock.importers ?? {}).sort(),
        direct: [...direct].sort(),
      };
      const file = path.join(here, gen, kase, `inventory-${rev}.json`);
      if (!record(file, out, set.values())) failed = true;
      console.log(`${gen}/${kase}/${rev}: lockfileVersion ${out.lockfileVersion}, ` +
        `${out.packages.length} packages, ${out.importers.length} importers`);
    }
  }
}
process.exit(failed ? 1 : 0);
