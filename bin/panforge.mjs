#!/usr/bin/env node
// Entry point for `panforge`. Installed from the npm package: the compiled CLI (dist/cli, plain JavaScript).
// In a source checkout (main/ present, e.g. `npm link`): the TypeScript CLI through tsx, resolved from this
// package, never from the working directory, so both run from any folder.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sources = new URL('../main/cli/index.ts', import.meta.url);
let main;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(sources.href));
} else {
  // The package's GDAL binding is built for one Node.js ABI; on another, say how to build it (no stack trace).
  const abi = `node-v${process.versions.modules}-${process.platform}-${process.arch}`;
  if (!existsSync(new URL(`../dist/cli/node_modules/gdal-async/lib/binding/${abi}/gdal.node`, import.meta.url))) {
    const script = fileURLToPath(new URL('../scripts/rebuild-gdal-binding.mjs', import.meta.url));
    process.stderr.write(`panforge: this package has no GDAL binding for Node.js ${process.version} (${abi}); build it once with:\n  node ${script}\n`);
    process.exit(1);
  }
  ({ main } = await import('../dist/cli/panforge.js'));
}
process.exitCode = await main(process.argv.slice(2));
