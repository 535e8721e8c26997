// Shared by testdata/pnpm/inventory.mjs and testdata/bun/inventory.mjs: writes one
// inventory (packages sorted by name, then version), or with --check compares it with the
// recorded file. Returns false when --check found a difference.
import fs from 'node:fs';

export const checking = process.argv.includes('--check');

export function record(file, inventory, packages) {
  inventory.packages = [...packages].sort((a, b) =>
    a.name === b.name ? (a.version < b.version ? -1 : 1) : a.name < b.name ? -1 : 1);
  const text = JSON.stringify(inventory, null, 2) + '\n';
  if (!checking) {
    fs.writeFileSync(file, text);
    return true;
  }
  const same = fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text;
  if (!same) console.log(`DIFFERS: ${file}`);
  return same;
}
