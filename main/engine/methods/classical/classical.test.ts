import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interp23tap } from '../../dsp/interp23tap.ts';
import { createBlock, toFloat64, type BandBlock } from '../../raster/band-block.ts';
import type { SceneSample } from '../scene-sample.ts';
import { broveyMethod } from './brovey.ts';
import { expMethod } from './exp.ts';
import { gsaMethod } from './gsa.ts';
import { mtfGlpMethod } from './mtf-glp.ts';

function texture(bands: number, w: number, h: number, seed: number): BandBlock {
  const b = createBlock(bands, w, h);
  for (let k = 0; k < bands; k++)
    for (let r = 0; r < h; r++)
      for (let c = 0; c < w; c++)
        b.data[(k * h + r) * w + c] = 500 + 100 * k + 80 * Math.sin((c + seed) / 3.3 + k) * Math.cos((r - seed) / 4.1) + 30 * Math.sin(c * r * 0.01);
  return b;
}

function sampleOf(ms: BandBlock, panLow: BandBlock): SceneSample {
  return { ms, panLow, panPoints: panLow, maxValue: 2047, validCount: ms.width * ms.height };
}

const prep = { ratio: 4, valueMax: 2047, sensor: 'IKONOS', device: 'cpu' as const, log: () => undefined };

test('every baseline returns the MS where the scene is flat', async () => {
  const ms = createBlock(4, 16, 16);
  for (let b = 0; b < 4; b++) ms.data.fill(300 + 50 * b, b * 256, (b + 1) * 256);
  const pan = createBlock(1, 64, 64);
  pan.data.fill(400);
  const sample = sampleOf(texture(4, 16, 16, 1), texture(1, 16, 16, 2));
  for (const method of [expMethod, broveyMethod, gsaMethod, mtfGlpMethod]) {
    const prepared = await method.prepare({ ...prep, sample });
    const out = await prepared.fuse({ ms, pan });
    assert.equal(out.width, 64);
    assert.equal(out.bands, 4);
    for (let b = 0; b < 4; b++) {
      const v = out.data[b * 4096 + 2000]!;
      if (method.id === 'exp') assert.ok(Math.abs(v - (300 + 50 * b)) < 1e-3, `${method.id} band ${b}: ${v}`);
      // The toolbox's MTF kernels are not renormalised (they sum to ≈ 0.9986), so HPM's PAN/PAN_lp is ≈ 1.0014.
      else if (method.id === 'mtf-glp') assert.ok(Math.abs(v / (300 + 50 * b) - 1) < 2e-3, `${method.id} band ${b}: ${v}`);
      else assert.ok(Number.isFinite(v), method.id);
    }
  }
});

test('Brovey keeps each pixel’s spectral angle of the 23-tap EXP (it scales all bands alike)', async () => {
  const ms = texture(4, 16, 16, 3);
  const pan = texture(1, 64, 64, 4);
  const prepared = await broveyMethod.prepare({ ...prep, sample: sampleOf(ms, texture(1, 16, 16, 5)) });
  const out = await prepared.fuse({ ms, pan });
  const exp = interp23tap(toFloat64(ms), 4);
  for (const i of [0, 777, 2049, 4095]) {
    const ratios = [0, 1, 2, 3].map((b) => out.data[b * 4096 + i]! / exp.data[b * 4096 + i]!);
    for (const r of ratios) assert.ok(Math.abs(r / ratios[0]! - 1) < 1e-5);
  }
});

test('GSA and MTF-GLP inject PAN detail: output follows PAN structure, not only the MS', async () => {
  const ms = texture(4, 16, 16, 6);
  const pan = texture(1, 64, 64, 7);
  for (const method of [gsaMethod, mtfGlpMethod]) {
    const prepared = await method.prepare({ ...prep, sample: sampleOf(ms, texture(1, 16, 16, 8)) });
    const out = await prepared.fuse({ ms, pan });
    const exp = interp23tap(toFloat64(ms), 4);
    let diff = 0;
    for (let i = 0; i < 4096; i++) diff += Math.abs(out.data[i]! - exp.data[i]!);
    assert.ok(diff / 4096 > 1, `${method.id} changes the EXP image (mean |Δ| ${diff / 4096})`);
  }
});
