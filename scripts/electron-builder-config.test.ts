// electron-builder.yml checked by electron-builder's own loader and schema validator (what `npm run dist` runs
// first), plus the packaging facts the app relies on.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(`${root}package.json`);

interface BuilderConfig {
  /** Normalised by the loader to file sets: `{filter: [...]}`. */
  files: ({ filter?: string[] } | string)[];
  asarUnpack: string[];
  extraResources: { from: string; to: string; filter: string[] }[];
  npmRebuild: boolean;
  linux: { target: string[] };
  [key: string]: unknown;
}

async function loadConfig(): Promise<BuilderConfig> {
  const { getConfig } = require('app-builder-lib/out/util/config/config') as { getConfig: (dir: string, path: string, x: null) => Promise<BuilderConfig> };
  return getConfig(root, 'electron-builder.yml', null);
}

async function validate(config: unknown): Promise<void> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration: (c: unknown, l: unknown) => Promise<void> };
  const { DebugLogger } = require('builder-util/out/DebugLogger') as { DebugLogger: new (enabled: boolean) => unknown };
  await validateConfiguration(config, new DebugLogger(false));
}

test('electron-builder accepts the configuration (and the validator does reject a typo)', async () => {
  const config = await loadConfig();
  await validate(config);
  await assert.rejects(validate({ ...config, asarUnpak: [] }), /unknown property 'asarUnpak'/);
});

test('AppImage and deb; native modules unpacked; models as extra resources; bundles and renderer packed', async () => {
  const config = await loadConfig();
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.equal(config.npmRebuild, true);
  for (const native of ['gdal-async', 'onnxruntime-node']) assert.ok(config.asarUnpack.includes(`node_modules/${native}/**`), native);
  assert.deepEqual(config.extraResources, [{ from: 'models/onnx', to: 'models/onnx', filter: ['*.onnx', '*.manifest.json'] }]);
  // main/app/electron-app.ts loads these paths relative to the app root.
  const patterns = config.files.flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
  for (const path of ['dist/main/**', 'dist/engine/**', 'dist/preload/**', 'renderer/dist/**', 'package.json']) assert.ok(patterns.includes(path), path);
});
