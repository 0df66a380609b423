#!/usr/bin/env node
// The one test command: TypeScript unit tests under node:test (through tsx), the Python model tests (pytest),
// and the Playwright e2e suite. `--unit` runs only the node:test part. Node 20's --test takes no globs, so the
// files are listed here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = new Set(process.argv.slice(2));
const unitOnly = args.has('--unit');

function findTests(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

function run(label, cmd, cmdArgs, env = {}) {
  console.log(`\n=== ${label}: ${cmd} ${cmdArgs.length > 6 ? cmdArgs.slice(0, 6).join(' ') + ' …' : cmdArgs.join(' ')}`);
  const result = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

const unitFiles = ['main', 'preload', 'renderer', 'bench', 'scripts'].flatMap((d) => findTests(join(root, d)));
let failed = 0;
failed |= run('unit', process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...unitFiles]);

if (!unitOnly) {
  // The npm package, packed and installed as a user would (scripts/npm-install.check.ts). Alone, after the unit
  // tests: packing swaps package.json for a moment.
  failed |= run('npm package', process.execPath, ['--import', 'tsx', '--test', 'scripts/npm-install.check.ts']);
  if (existsSync(join(root, 'models/tests'))) {
    const status = run('models', '/usr/bin/python3', ['-m', 'pytest', '-q', 'models/tests'], { PYTHONPATH: join(root, 'models') });
    failed |= status === 5 ? 1 : status; // pytest's 5 = no tests collected, which is a failure here
  }
  const sampleScenes = process.env.PANFORGE_SHARED_DATA ?? join(root, '..', 'shared', 'data');
  if (existsSync(join(root, 'e2e/playwright.config.ts')) && !existsSync(join(sampleScenes, 'ikonos_italy_pan.tif'))) {
    // A fresh clone without ../shared: the journey runs on the real IKONOS scene only; the CLI and host tests above
    // cover the engine on synthetic scenes.
    console.log(`\n=== e2e: skipped: the journey needs the sample scenes, not found in ${sampleScenes} (set PANFORGE_SHARED_DATA)`);
  } else if (existsSync(join(root, 'e2e/playwright.config.ts'))) {
    failed |= run('e2e', process.execPath, [join(root, 'node_modules/.bin/playwright'), 'test', '-c', 'e2e/playwright.config.ts']);
  }
}
process.exit(failed ? 1 : 0);
