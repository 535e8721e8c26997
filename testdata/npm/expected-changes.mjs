#!/usr/bin/env node
// Oracle for the npm lockfile fixtures: reads each fixture revision with npm's
// own lockfile reader (@npmcli/arborist, `loadVirtual()`), lists the packages
// npm considers installed, and diffs two revisions.
//
// Setup (scratch, outside the repository):
//   npm install --prefix /tmp/npmfx/tools @npmcli/arborist@9.9.3
//   export NPM_TOOLS_DIR=/tmp/npmfx/tools
//
// Usage:
//   node expected-changes.mjs                 regenerate every inventory-*.json and
//                                             expected*.json listed in FIXTURES below
//   node expected-changes.mjs --check         same, but only compare with the files on
//                                             disk (exit 1 on any difference)
//   node expected-changes.mjs --inventory DIR print the inventory of one revision dir
//   node expected-changes.mjs BEFORE AFTER    print the diff of two revision dirs
//
// Inventory: every node of arborist's virtual tree except the project root,
// workspace links (node_modules/<ws> -> packages/<ws>) and the workspace
// members themselves. `name` is the REAL package name (for an alias
// `"lodash4": "npm:lodash@4.17.20"` it is "lodash", and `alias` is "lodash4").
//
// Diff: for every real name whose set of versions differs between the two
// revisions: { name, from, to, from_all, to_all, kind, direct }
//   from / to        highest version of that name in before / after (null if absent)
//   from_all/to_all  all distinct versions, ascending (semver order)
//   kind             added | removed | upgraded | downgraded | changed
//                    (changed = same highest version, other versions differ)
//   direct           the real name is declared in dependencies, devDependencies,
//                    optionalDependencies or peerDependencies of the root
//                    package.json or of any workspace member package.json, in
//                    the before OR the after revision.
// Output is sorted by name (plain code-unit order), JSON with 2-space indent.

import { createRequire } from 'node:module'
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const toolsDir = process.env.NPM_TOOLS_DIR || '/tmp/npmfx/tools'
const req = createRequire(join(resolve(toolsDir), 'package.json'))
const Arborist = req('@npmcli/arborist')
const semver = req('semver')
const arboristVersion = JSON.parse(
  readFileSync(req.resolve('@npmcli/arborist/package.json'), 'utf8')).version

// fixture root -> [revisions], and the pairs to diff
const FIXTURES = [
  {
    dir: 'express-app',
    revisions: ['v4.21.1', 'v4.21.2', 'v5.1.0'],
    pairs: [
      ['v4.21.1', 'v4.21.2', 'expected-4.21.1-to-4.21.2.json'],
      ['v4.21.2', 'v5.1.0', 'expected-4.21.2-to-5.1.0.json'],
      ['v4.21.1', 'v5.1.0', 'expected-4.21.1-to-5.1.0.json'],
    ],
  },
  { dir: 'workspaces', revisions: ['before', 'after'], pairs: [['before', 'after', 'expected.json']] },
  { dir: 'lockfile-v1', revisions: ['before', 'after'], pairs: [['before', 'after', 'expected.json']] },
  { dir: 'lockfile-v2', revisions: ['before', 'after'], pairs: [['before', 'after', 'expected.json']] },
  { dir: 'shrinkwrap', revisions: ['before', 'after'], pairs: [['before', 'after', 'expected.json']] },
]

const DEP_TYPES = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']

const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0)

function lockfileOf (dir) {
  for (const f of ['npm-shrinkwrap.json', 'package-lock.json']) {
    if (existsSync(join(dir, f))) return f
  }
  throw new Error(`no lockfile in ${dir}`)
}

async function load (dir) {
  const tree = await new Arborist({ path: resolve(dir) }).loadVirtual()
  return tree
}

async function inventory (dir) {
  const tree = await load(dir)
  const lock = JSON.parse(readFileSync(join(dir, lockfileOf(dir)), 'utf8'))
  const packages = []
  for (const node of tree.inventory.values()) {
    if (node.isProjectRoot || node.isLink || node.isWorkspace) continue
    const entry = {
      name: node.packageName,
      version: node.version,
      location: node.location,
    }
    if (node.name !== node.packageName) entry.alias = node.name
    if (node.dev) entry.dev = true
    if (node.optional) entry.optional = true
    if (node.devOptional && !node.dev && !node.optional) entry.devOptional = true
    if (node.peer) entry.peer = true
    packages.push(entry)
  }
  packages.sort((a, b) => byName(a.location, b.location))
  return {
    lockfile: lockfileOf(dir),
    lockfileVersion: lock.lockfileVersion,
    workspaces: [...tree.workspaces?.entries() ?? []]
      .map(([name, path]) => ({ name, path: relative(tree.path, path) }))
      .sort((a, b) => byName(a.name, b.name)),
    packages,
  }
}

// real names declared by the root manifest and the workspace members
async function declared (dir) {
  const tree = await load(dir)
  const manifests = [join(dir, 'package.json')]
  for (const path of tree.workspaces?.values() ?? []) manifests.push(join(path, 'package.json'))
  const names = new Set()
  for (const file of manifests) {
    const pkg = JSON.parse(readFileSync(file, 'utf8'))
    for (const t of DEP_TYPES) {
      for (const [key, spec] of Object.entries(pkg[t] ?? {})) {
        if (typeof spec === 'string' && spec.startsWith('npm:')) {
          const target = spec.slice(4)
          const at = target.indexOf('@', 1)
          names.add(at === -1 ? target : target.slice(0, at))
        } else {
          names.add(key)
        }
      }
    }
  }
  return names
}

function versionsByName (inv) {
  const m = new Map()
  for (const p of inv.packages) {
    if (!m.has(p.name)) m.set(p.name, new Set())
    m.get(p.name).add(p.version)
  }
  const out = new Map()
  for (const [name, set] of m) out.set(name, [...set].sort(semver.compare))
  return out
}

async function diff (beforeDir, afterDir) {
  const [bInv, aInv, bDecl, aDecl] = await Promise.all([
    inventory(beforeDir), inventory(afterDir), declared(beforeDir), declared(afterDir),
  ])
  const b = versionsByName(bInv)
  const a = versionsByName(aInv)
  const names = [...new Set([...b.keys(), ...a.keys()])].sort(byName)
  const changes = []
  for (const name of names) {
    const fromAll = b.get(name) ?? []
    const toAll = a.get(name) ?? []
    if (JSON.stringify(fromAll) === JSON.stringify(toAll)) continue
    const from = fromAll.length ? fromAll[fromAll.length - 1] : null
    const to = toAll.length ? toAll[toAll.length - 1] : null
    let kind
    if (from === null) kind = 'added'
    else if (to === null) kind = 'removed'
    else {
      const c = semver.compare(from, to)
      kind = c < 0 ? 'upgraded' : c > 0 ? 'downgraded' : 'changed'
    }
    changes.push({
      name,
      from,
      to,
      from_all: fromAll,
      to_all: toAll,
      kind,
      direct: bDecl.has(name) || aDecl.has(name),
    })
  }
  return changes
}

const json = (v) => JSON.stringify(v, null, 2) + '\n'

async function main () {
  const args = process.argv.slice(2)
  if (args[0] === '--inventory' && args[1]) {
    process.stdout.write(json(await inventory(args[1])))
    return
  }
  if (args.length === 2 && !args[0].startsWith('--')) {
    process.stdout.write(json(await diff(args[0], args[1])))
    return
  }
  const check = args[0] === '--check'
  let bad = 0
  const emit = (file, text) => {
    const rel = relative(here, file)
    if (check) {
      const cur = existsSync(file) ? readFileSync(file, 'utf8') : null
      if (cur !== text) { console.error(`DIFFERS: ${rel}`); bad++ } else console.error(`ok: ${rel}`)
    } else {
      writeFileSync(file, text)
      console.error(`wrote ${rel}`)
    }
  }
  for (const fx of FIXTURES) {
    const root = join(here, fx.dir)
    for (const rev of fx.revisions) {
      emit(join(root, `inventory-${rev}.json`), json({
        generated_by: `@npmcli/arborist ${arboristVersion} loadVirtual`,
        revision: `${fx.dir}/${rev}`,
        ...(await inventory(join(root, rev))),
      }))
    }
    for (const [from, to, out] of fx.pairs) {
      emit(join(root, out), json({
        generated_by: `@npmcli/arborist ${arboristVersion} loadVirtual`,
        before: `${fx.dir}/${from}`,
        after: `${fx.dir}/${to}`,
        changes: await diff(join(root, from), join(root, to)),
      }))
    }
  }
  if (bad) process.exit(1)
}

await main()
