// Every committed model: its manifest is valid, its .onnx matches the manifest's sha256, and onnxruntime through
// the engine reproduces PyTorch's output on the saved fixture (models/onnx/<name>.parity.{json,bin}) within 1e-4.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { networkMethod } from '../methods/network-method.ts';
import { modelsFolder } from '../methods/registry.ts';
import { loadManifest } from './manifest.ts';

const folder = modelsFolder();
const manifests = existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.manifest.json')).sort() : [];
const EXPECTED = ['cf2n-4band', 'cf2n-wv2', 'ggpnet-4band', 'ggpnet-wv2', 'premix-4band', 'premix-wv2'];

test('the six networks are installed (three networks × 4 and 8 bands)', () => {
  assert.deepEqual(manifests.map((f) => f.replace('.manifest.json', '')), EXPECTED);
});

interface Fixture {
  ms: { shape: number[] };
  pan: { shape: number[] };
  fused: { shape: number[] };
  file: string;
  tolerance: number;
}

for (const file of manifests) {
  test(`${file}: ONNX Runtime (engine) matches PyTorch on the parity fixture`, async () => {
    const manifest = loadManifest(join(folder, file));
    const fixturePath = join(folder, `${manifest.name}.parity.json`);
    assert.ok(existsSync(fixturePath), `missing parity fixture ${fixturePath}`);
    const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as Fixture;
    const bytes = readFileSync(join(folder, fixture.file));
    const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    const msLen = size(fixture.ms.shape);
    const panLen = size(fixture.pan.shape);
    const fusedLen = size(fixture.fused.shape);
    assert.equal(all.length, msLen + panLen + fusedLen, 'fixture size matches its shapes');
    const [, bands, h, w] = fixture.ms.shape as [number, number, number, number];
    const valueMax = 2 ** manifest.trainedBitDepth - 1;
    // The engine feeds DNs and scales by 1/valueMax; the fixture holds model-scale values, so give it DNs.
    const ms = Float32Array.from(all.subarray(0, msLen), (v) => v * valueMax);
    const pan = Float32Array.from(all.subarray(msLen, msLen + panLen), (v) => v * valueMax);
    const expected = all.subarray(msLen + panLen);
    const method = networkMethod(manifest);
    const prepared = await method.prepare({
      ratio: manifest.ratio,
      valueMax,
      sensor: null,
      device: 'cpu',
      sample: { ms: { bands, width: w, height: h, data: ms }, panLow: { bands: 1, width: w, height: h, data: ms }, panPoints: { bands: 1, width: w, height: h, data: ms }, maxValue: valueMax, validCount: w * h },
      log: () => undefined,
    });
    const out = await prepared.fuse({ ms: { bands, width: w, height: h, data: ms }, pan: { bands: 1, width: 4 * w, height: 4 * h, data: pan } });
    let maxDiff = 0;
    // The engine clamps to the value range [0, 1] (the manifest contract); clamping never widens a difference.
    const clamp01 = (v: number) => Math.min(Math.max(v, 0), 1);
    for (let i = 0; i < fusedLen; i++) maxDiff = Math.max(maxDiff, Math.abs(out.data[i]! / valueMax - clamp01(expected[i]!)));
    assert.ok(maxDiff <= Math.min(fixture.tolerance, 1e-4), `${manifest.name}: max |ORT − PyTorch| = ${maxDiff}`);
  });
}
