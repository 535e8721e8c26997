// The package set of each yarn.lock fixture as yarn's own lockfile readers see it:
// `@yarnpkg/lockfile` (yarn 1's parser) for classic files, `parseSyml` from
// `@yarnpkg/parsers` (Berry's parser) for Berry files. Writes
// testdata/yarn/<fixture>/packages-<rev>.json, which tests/integration/formats_yarn.rs
// compares with `bumpcheck packages --format json`.
//
//   npm install --prefix /tmp/yarnfx/tools @yarnpkg/lockfile@1.1.0 @yarnpkg/parsers@3.1.0
//   YARN_TOOLS_DIR=/tmp/yarnfx/tools node testdata/yarn/parity.mjs           # (re)write
//   YARN_TOOLS_DIR=/tmp/yarnfx/tools node testdata/yarn/parity.mjs --check   # compare only
//   YARN_TOOLS_DIR=/tmp/yarnfx/tools node testdata/yarn/parity.mjs FILE...   # print sets
//
// The readers give the entries; which entries are packages is yarn's own model, applied
// here in the words of yarn's docs:
// * classic: an entry's package is its real name (the target of an `npm:` alias) at its
//   `version`; `file:` folders and `link:` targets are the project's own code, not
//   dependencies. Workspace members are never in a classic lockfile.
// * Berry: an entry's package is the name in its `resolution` locator at its `version`;
//   `workspace:`, `link:`, `portal:` and `file:` folder locators are the project itself;
//   a `patch:` locator is the patched copy of a package that has its own entry, so the
//   package counts once.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const tools = process.env.YARN_TOOLS_DIR ?? "/tmp/yarnfx/tools";
const require = createRequire(path.join(tools, "node_modules", "x.js"));
const classic = require("@yarnpkg/lockfile");
const { parseSyml } = require("@yarnpkg/parsers");

const splitDescriptor = (s) => {
  const at = s.indexOf("@", 1);
  return at < 0 ? null : [s.slice(0, at), s.slice(at + 1)];
};
const isTarball = (p) => /\.(tgz|tar\.gz|tar)$/.test(p);

function readClassic(text) {
  const parsed = classic.parse(text);
  if (parsed.type !== "success") throw new Error(`@yarnpkg/lockfile: ${parsed.type}`);
  const out = new Set();
  for (const [key, entry] of Object.entries(parsed.object)) {
    const [name, range] = splitDescriptor(key);
    if (range.startsWith("link:")) continue;
    if (range.startsWith("file:") && !isTarball(range.slice(5))) continue;
    const alias = range.startsWith("npm:") ? splitDescriptor(range.slice(4)) : null;
    out.add(JSON.stringify([alias ? alias[0] : name, entry.version]));
  }
  return out;
}

function readBerry(text) {
  const parsed = parseSyml(text);
  const out = new Set();
  for (const [key, entry] of Object.entries(parsed)) {
    if (key === "__metadata") continue;
    const [name, reference] = splitDescriptor(entry.resolution);
    const protocol = reference.slice(0, reference.indexOf(":"));
    if (["workspace", "link", "portal"].includes(protocol)) continue;
    if (protocol === "file" && !isTarball(reference.slice(5).split("::")[0].split("#")[0]))
      continue;
    out.add(JSON.stringify([name, entry.version]));
  }
  return out;
}

function read(file) {
  const text = fs.readFileSync(file, "utf8");
  const berry = /^__metadata:/m.test(text);
  const set = berry ? readBerry(text) : readClassic(text);
  const packages = [...set].map((s) => JSON.parse(s)).sort((a, b) =>
    a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1,
  ).map(([name, version]) => ({ name, version }));
  return {
    reader: berry ? "@yarnpkg/parsers parseSyml" : "@yarnpkg/lockfile parse",
    packages,
  };
}

const args = process.argv.slice(2);
if (args.length && args[0] !== "--check") {
  for (const file of args) {
    try {
      const { reader, packages } = read(file);
      console.log(`${file}: ${packages.length} packages (${reader})`);
    } catch (e) {
      console.log(`${file}: error: ${e.message.split("\n")[0]}`);
    }
  }
  process.exit(0);
}
const check = args[0] === "--check";
let failed = 0;
for (const fixture of fs.readdirSync(here).sort()) {
  const dir = path.join(here, fixture);
  if (!fs.statSync(dir).isDirectory()) continue;
  for (const rev of fs.readdirSync(dir).sort()) {
    const lockfile = path.join(dir, rev, "yarn.lock");
    if (!fs.existsSync(lockfile)) continue;
    const { reader, packages } = read(lockfile);
    const out = path.join(dir, `packages-${rev}.json`);
    const json = JSON.stringify({ lockfile: `${rev}/yarn.lock`, reader, packages }, null, 2) + "\n";
    if (check) {
      const same = fs.existsSync(out) && fs.readFileSync(out, "utf8") === json;
      if (!same) failed++;
      console.log(`${same ? "ok  " : "DIFF"} ${fixture}/${rev}: ${packages.length} packages`);
    } else {
      fs.writeFileSync(out, json);
      console.log(`${fixture}/${rev}: ${packages.length} packages (${reader})`);
    }
  }
}
// Cut-off files must be refused by the readers too.
for (const fixture of ["truncated-classic", "truncated-berry"]) {
  const file = path.join(here, fixture, "yarn.lock");
  try {
    read(file);
    console.log(`${fixture}: read without error (unexpected)`);
    failed++;
  } catch (e) {
    console.log(`${fixture}: refused: ${e.message.split("\n")[0]}`);
  }
}
process.exit(failed ? 1 : 0);
