#!/usr/bin/env node
// `npm pack` hooks (package.json prepack/postpack). The repository's package.json serves development and the
// desktop app (dependencies built by `npm run setup`); the npm package of the CLI is different: compiled
// JavaScript with its native modules inside (dist/cli, scripts/build-cli.ts), the models, and no dependencies,
// so `npm install -g ./panforge-<version>.tgz` downloads and compiles nothing (no gdal-async or onnxruntime-node
// install script runs). prepack builds dist/cli and swaps in that manifest; postpack puts the original back.
// The same pattern as pinst: npm packs the package.json on disk after prepack.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifestPath = `${root}package.json`;
const backupPath = `${root}package.json.npm-pack-backup`;

/** The published manifest, derived from the repository's. */
export function publishedManifest(pkg) {
  return {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    type: pkg.type,
    license: pkg.license,
    bin: pkg.bin,
    engines: pkg.engines,
    os: ['linux'],
    files: ['bin/panforge.mjs', 'dist/cli/', 'models/onnx/*.onnx', 'models/onnx/*.manifest.json', 'scripts/rebuild-gdal-binding.mjs', 'README.md'],
  };
}

const step = process.argv[2];
if (step === 'prepack') {
  if (existsSync(backupPath)) renameSync(backupPath, manifestPath); // an interrupted pack left the swap behind
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-cli.ts', '--natives'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const original = readFileSync(manifestPath, 'utf8');
  writeFileSync(backupPath, original);
  writeFileSync(manifestPath, JSON.stringify(publishedManifest(JSON.parse(original)), null, 2) + '\n');
} else if (step === 'postpack') {
  if (existsSync(backupPath)) renameSync(backupPath, manifestPath);
} else if (step !== undefined) {
  console.error(`npm-package.mjs: unknown step ${step}; expected prepack or postpack`);
  process.exit(2);
}
