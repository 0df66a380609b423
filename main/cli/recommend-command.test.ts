// `panforge recommend` and the adaptation flags of `sharpen` as scripts use them: --json shape, exit codes, errors.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { writeSyntheticScene, type SyntheticScene } from '../engine/testing/synthetic-scene.ts';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { runCli } from './testing/cli-process.ts';

const root = tempFolder('cli-recommend');
let scene: SyntheticScene;

before(async () => {
  scene = await writeSyntheticScene({ folder: join(root, 'scene'), panWidth: 512, panHeight: 768, sensor: 'IKONOS' });
});

function run(args: string[]) {
  return runCli(args, { timeoutMs: 180_000 });
}

test('recommend --json: recommended is a --method value, ranking sorted by ERGAS, the same for the same seed', () => {
  const args = ['recommend', '--pan', scene.panPath, '--ms', scene.msPath, '--methods', 'exp,gsa,mtf-glp', '--seed', '3', '--json'];
  const a = run(args);
  assert.equal(a.status, 0, a.stderr);
  const first = JSON.parse(a.stdout);
  assert.equal(first.ok, true);
  assert.deepEqual(Object.keys(first.recommended).sort(), ['adapt', 'method', 'name']);
  assert.ok(['exp', 'gsa', 'mtf-glp'].includes(first.recommended.method));
  assert.equal(first.recommended.adapt, false, 'baselines have no adapted variant');
  assert.equal(first.ranking.length, 3);
  assert.equal(first.ranking[0].name, first.recommended.name);
  for (const key of ['rank', 'sam', 'ergas', 'q2n']) assert.equal(typeof first.ranking[0][key], 'number');
  const second = JSON.parse(run(args).stdout);
  assert.deepEqual(second.ranking, first.ranking);
  const table = run(['recommend', '--pan', scene.panPath, '--ms', scene.msPath, '--methods', 'exp,gsa', '--quiet']);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /Recommended: --method (exp|gsa)\n/);
  assert.match(table.stdout, /held-back windows/);
});

test('recommend refuses bad --methods and --seed with usage or input exit codes', () => {
  const bad = run(['recommend', '--pan', scene.panPath, '--ms', scene.msPath, '--methods', 'gsa,nope', '--json']);
  assert.equal(bad.status, 3);
  const err = JSON.parse(bad.stdout).error;
  assert.equal(err.code, 'unknown-method');
  assert.match(err.message, /unknown method "nope"; available: exp, brovey, gsa, mtf-glp/);
  const empty = run(['recommend', '--pan', scene.panPath, '--ms', scene.msPath, '--methods', ',']);
  assert.equal(empty.status, 2);
  assert.match(empty.stderr, /--methods needs a comma-separated list/);
  const seed = run(['recommend', '--pan', scene.panPath, '--ms', scene.msPath, '--seed', 'x']);
  assert.equal(seed.status, 2);
  assert.match(seed.stderr, /--seed must be an integer/);
});

test('sharpen --adapt writes the sidecar beside the output; --adapt with --adapt-from is a usage error', () => {
  const out = join(root, 'adapted.tif');
  const r = run(['sharpen', '--pan', scene.panPath, '--ms', scene.msPath, '--method', 'gsa', '--adapt', '--out', out, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.adaptationPath, join(root, 'adapted.adaptation.json'));
  assert.ok(existsSync(result.adaptationPath));
  assert.equal(typeof result.adaptation.accepted, 'boolean');
  const both = run([
    'sharpen',
    '--pan',
    scene.panPath,
    '--ms',
    scene.msPath,
    '--method',
    'gsa',
    '--adapt',
    '--adapt-from',
    result.adaptationPath,
    '--out',
    join(root, 'x.tif'),
  ]);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--adapt and --adapt-from exclude each other/);
  // The sidecar is an output too: not replaced without --overwrite, even when the GeoTIFF is gone.
  rmSync(out);
  const again = run(['sharpen', '--pan', scene.panPath, '--ms', scene.msPath, '--method', 'gsa', '--adapt', '--out', out]);
  assert.equal(again.status, 5);
  assert.match(again.stderr, /adapted\.adaptation\.json \(the adaptation record beside adapted\.tif\)/);
  assert.ok(!existsSync(out));
});
