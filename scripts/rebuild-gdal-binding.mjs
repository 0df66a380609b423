#!/usr/bin/env node
// `node <package>/scripts/rebuild-gdal-binding.mjs`: the npm package carries gdal-async built against Debian's
// system GDAL for the Node.js ABI it was packed with (dist/cli/node_modules). On a Node.js with another ABI
// (another major version), or where the binding cannot load, this rebuilds it from the sources carried beside
// it against the system GDAL (needs libgdal-dev, g++ and make; npm's own node-gyp does the build). Nothing is
// downloaded except Node's headers when the system has none. bin/panforge.mjs points here when the binding for
// the running Node.js is missing. Not an install script: installing runs none (npm warns about every one).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const gdalAsync = fileURLToPath(new URL('../dist/cli/node_modules/gdal-async', import.meta.url));
const binding = join(gdalAsync, 'lib', 'binding', `node-v${process.versions.modules}-${process.platform}-${process.arch}`);

function loads() {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(gdalAsync)})`], { encoding: 'utf8' });
  return { ok: r.status === 0, why: (r.stderr || '').trim().split('\n').slice(-3).join(' ') };
}

if (!existsSync(gdalAsync)) {
  console.error(`panforge: ${gdalAsync} is missing; the package is incomplete (build it with npm pack from a set-up checkout)`);
  process.exit(1);
}
const first = loads();
if (first.ok && !process.argv.includes('--force')) {
  console.error(`panforge: GDAL's binding loads on Node ${process.version}; nothing to do (--force rebuilds it)`);
  process.exit(0);
}

function findNodeGyp() {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  const npmRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout?.trim();
  return npmRoot ? join(npmRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js') : null;
}
const nodeGyp = findNodeGyp();
if (!nodeGyp || !existsSync(nodeGyp)) {
  console.error(`panforge: GDAL's binding does not load on Node ${process.version} (${first.why}) and npm's node-gyp was not found to rebuild it`);
  process.exit(1);
}
console.error(`panforge: building GDAL's binding for Node ${process.version} against the system GDAL (needs libgdal-dev, g++, make)…`);
const args = [nodeGyp, 'rebuild', `--directory=${gdalAsync}`, '--shared_gdal=true', '--module_name=gdal', `--module_path=${binding}`, '-j', 'max'];
// Debian's and NodeSource's nodejs packages ship their headers in /usr/include/node: no download needed.
if (existsSync('/usr/include/node/node.h')) args.push('--nodedir=/usr');
const built = spawnSync(process.execPath, args, { stdio: 'inherit' });
const after = built.status === 0 ? loads() : { ok: false, why: `node-gyp exited with ${built.status}` };
if (!after.ok) {
  console.error(`panforge: GDAL's binding could not be built (${after.why}). Install libgdal-dev, g++ and make, then run this again.`);
  process.exit(1);
}
console.error(`panforge: GDAL's binding built in ${binding}`);
