// The npm package as a user installs it (run by `npm test` as its own step, after the unit tests: packing swaps
// package.json for a moment). npm pack, npm install -g of the tarball into a temporary prefix (offline, no
// flags, no project .npmrc in reach), then from a folder outside the repository: --version, every --help,
// sharpen on a /vsizip/ input with -co COMPRESS=DEFLATE, and batch over a folder of scene pairs in two shards that
// together cover every scene exactly once.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gdal } from '../main/engine/io/gdal.ts';
import { writeSyntheticScene } from '../main/engine/testing/synthetic-scene.ts';
import { tempFolder } from '../main/engine/testing/temp-folder.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const work = tempFolder('npm-install');
const prefix = join(work, 'prefix');
const panforge = join(prefix, 'bin', 'panforge');
const COMMANDS = ['info', 'sharpen', 'batch', 'methods', 'evaluate', 'version'];

/** The environment of a user's shell: none of the npm_config_* that `npm test` hands its children. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
}

function sh(cmd: string, args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: userEnv(), timeout: 600_000, ...options });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

let tarball = '';

before(() => {
  const pack = sh('npm', ['pack', '--pack-destination', work], { cwd: repo });
  assert.equal(pack.status, 0, pack.stderr);
  tarball = join(
    work,
    readdirSync(work).find((f) => /^panforge-.*\.tgz$/.test(f))!,
  );
  assert.doesNotMatch(readFileSync(join(repo, 'package.json'), 'utf8'), /"os":/, 'postpack restored the repository package.json');
});

test('npm install -g of the tarball: offline, no warnings, no TypeScript and no dependency install scripts', () => {
  const t0 = Date.now();
  const install = sh('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { cwd: work });
  assert.equal(install.status, 0, install.stderr);
  assert.doesNotMatch(install.stderr, /npm warn/i);
  console.log(`  installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const pkg = join(prefix, 'lib', 'node_modules', 'panforge');
  assert.ok(existsSync(join(pkg, 'dist', 'cli', 'panforge.js')));
  assert.ok(!existsSync(join(pkg, 'main')), 'no TypeScript sources');
  assert.ok(!existsSync(join(pkg, 'node_modules', 'tsx')) && !existsSync(join(pkg, 'node_modules', 'gdal-async')), 'no dependencies installed by npm');
  assert.ok(readdirSync(join(pkg, 'models', 'onnx')).some((f) => f.endsWith('.onnx')));
});

test('from another folder: --version and every command --help', () => {
  const t0 = Date.now();
  const v = sh(panforge, ['--version'], { cwd: work });
  const ms = Date.now() - t0;
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^panforge \d+\.\d+\.\d+\nGDAL \d+\.\d+\.\d+\nONNX Runtime \d+\.\d+\.\d+\n/);
  assert.match(v.stdout, new RegExp(`models \\(${prefix}/lib/node_modules/panforge/models/onnx\\)`));
  console.log(`  --version answered in ${ms} ms (timed in bench, not asserted)`);
  for (const command of COMMANDS) {
    const r = sh(panforge, [command, '--help'], { cwd: work });
    assert.equal(r.status, 0, `${command} --help: ${r.stderr}`);
    assert.equal(r.stderr, '');
  }
});

test('sharpen a /vsizip/ input with -co COMPRESS=DEFLATE', async () => {
  const scene = await writeSyntheticScene({ folder: join(work, 'zip-src'), name: 'zipped', panWidth: 256, panHeight: 256 });
  const zip = join(work, 'scene.zip');
  const z = sh('/usr/bin/python3', [
    '-c',
    'import sys, zipfile, os\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n  [z.write(p, os.path.basename(p)) for p in sys.argv[2:]]',
    zip,
    scene.panPath,
    scene.msPath,
  ]);
  assert.equal(z.status, 0, z.stderr);
  const r = sh(
    panforge,
    [
      'sharpen',
      '--pan',
      `/vsizip/${zip}/zipped_pan.tif`,
      '--ms',
      `/vsizip/${zip}/zipped_ms.tif`,
      '--method',
      'mtf-glp',
      '--out',
      'out.tif',
      '-co',
      'COMPRESS=DEFLATE',
      '--quiet',
    ],
    { cwd: work },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const ds = await gdal.openAsync(join(work, 'out.tif'));
  assert.equal(ds.getMetadata('IMAGE_STRUCTURE').COMPRESSION, 'DEFLATE');
  assert.deepEqual(ds.rasterSize, { x: 256, y: 256 });
  ds.close();
});

test('batch --shard 1/2 and 2/2 over a folder of scene pairs: every scene exactly once', async () => {
  const input = join(work, 'scenes');
  const names = ['s1', 's2', 's3', 's4', 's5'];
  for (const name of names) await writeSyntheticScene({ folder: input, name, panWidth: 128, panHeight: 128 });
  const outDir = join(work, 'batch-out');
  const rows: { scene: string; status: string }[] = [];
  for (const shard of ['1/2', '2/2']) {
    const r = sh(panforge, ['batch', '--input', input, '--methods', 'exp', '--out-dir', outDir, '--shard', shard, '--json'], { cwd: work });
    assert.equal(r.status, 0, r.stderr);
    rows.push(...JSON.parse(r.stdout).rows);
  }
  assert.deepEqual(rows.map((r) => r.scene).sort(), names);
  assert.ok(rows.every((r) => r.status === 'done'));
  assert.deepEqual(
    readdirSync(outDir)
      .filter((f) => f.endsWith('.tif'))
      .sort(),
    names.map((n) => `${n}_exp.tif`),
  );
});
