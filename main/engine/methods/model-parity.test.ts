// Every committed model: its manifest is valid, its .onnx matches the manifest's sha256, and onnxruntime through
// the engine reproduces PyTorch's output on the saved fixture (models/onnx/<name>.parity.{json,bin}) within 1e-4.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { networkMethod } from './network-method.ts';
import { modelsFolder } from './registry.ts';
import type { SceneSample } from './scene-sample.ts';
import { loadManifest, type ManifestValueScale } from '../infer/manifest.ts';

// The fixture holds model-scale inputs; the engine takes DNs. For standardised models the DNs are the fixture's
// values mapped to a made-up scene (mean 1000, std 100): Python standardised the crop by its own statistics, so the
// engine's statistics of these DNs give back the fixture's inputs (to float rounding), and its output maps back to
// the model's scale by the same affine map.
const SCENE_MEAN = 1000;
const SCENE_STD = 100;
function engineInputs(scale: ManifestValueScale, msModel: Float32Array, panModel: Float32Array, bands: number, w: number, h: number) {
  const valueMax = scale.mode === 'bitDepth' ? 2 ** scale.trainedBitDepth - 1 : 65535;
  const toDn = scale.mode === 'bitDepth' ? (v: number) => v * valueMax : (v: number) => SCENE_MEAN + ((v - scale.centre) * SCENE_STD) / scale.spread;
  const ms = Float32Array.from(msModel, toDn);
  const pan = Float32Array.from(panModel, toDn);
  // the PAN at the MS pixel centres (sample 2 of each 4×4 block), as the scene sample's panPoints
  const panPoints = new Float32Array(w * h);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) panPoints[r * w + c] = pan[(4 * r + 2) * 4 * w + 4 * c + 2]!;
  const sample: SceneSample = {
    ms: { bands, width: w, height: h, data: ms },
    panLow: { bands: 1, width: w, height: h, data: panPoints },
    panPoints: { bands: 1, width: w, height: h, data: panPoints },
    maxValue: valueMax,
    validCount: w * h,
  };
  const toModelScale =
    scale.mode === 'bitDepth' ? (dn: number) => dn / valueMax : (dn: number) => scale.centre + ((dn - SCENE_MEAN) * scale.spread) / SCENE_STD;
  return { ms, pan, sample, valueMax, toModelScale: (dn: number, _band: number) => toModelScale(dn) };
}

/** The engine clamps DNs to [0, valueMax]; clamping never widens a difference, so compare with the clamped fixture. */
function clampLike(scale: ManifestValueScale, v: number): number {
  if (scale.mode === 'bitDepth') return Math.min(Math.max(v, 0), 1);
  const dn = SCENE_MEAN + ((v - scale.centre) * SCENE_STD) / scale.spread;
  return dn < 0 ? scale.centre - (SCENE_MEAN * scale.spread) / SCENE_STD : v;
}

const folder = modelsFolder();
const manifests = existsSync(folder)
  ? readdirSync(folder)
      .filter((f) => f.endsWith('.manifest.json'))
      .sort()
  : [];
const EXPECTED = ['cf2n-4band', 'cf2n-wv2', 'ggpnet-4band', 'ggpnet-wv2', 'premix-4band', 'premix-wv2'];

test('the six networks are installed (three networks × 4 and 8 bands)', () => {
  assert.deepEqual(
    manifests.map((f) => f.replace('.manifest.json', '')),
    EXPECTED,
  );
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
    const expected = all.subarray(msLen + panLen);
    const { ms, pan, sample, valueMax, toModelScale } = engineInputs(
      manifest.valueScale,
      all.subarray(0, msLen),
      all.subarray(msLen, msLen + panLen),
      bands,
      w,
      h,
    );
    const method = networkMethod(manifest);
    const prepared = await method.prepare({ ratio: manifest.ratio, valueMax, sensor: null, device: 'cpu', sample, log: () => undefined });
    const out = await prepared.fuse({ ms: { bands, width: w, height: h, data: ms }, pan: { bands: 1, width: 4 * w, height: 4 * h, data: pan } });
    let maxDiff = 0;
    const plane = 16 * w * h;
    for (let i = 0; i < fusedLen; i++)
      maxDiff = Math.max(maxDiff, Math.abs(toModelScale(out.data[i]!, Math.floor(i / plane)) - clampLike(manifest.valueScale, expected[i]!)));
    assert.ok(maxDiff <= Math.min(fixture.tolerance, 1e-4), `${manifest.name}: max |ORT − PyTorch| = ${maxDiff}`);
  });
}
