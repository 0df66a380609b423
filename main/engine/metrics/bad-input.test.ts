// Bad and degenerate input: shape mismatches, images too small for a block, constant images, non-finite pixels.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../errors.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { blockQ } from './block-q.ts';
import { dLambda } from './d-lambda.ts';
import { dS } from './d-s.ts';
import { ergas } from './ergas.ts';
import { fullResolutionIndices } from './full-resolution.ts';
import { psnr } from './psnr.ts';
import { q2n, q2nMap } from './q2n.ts';
import { qIndex, uiqiFromSums } from './q-index.ts';
import { reducedResolutionIndices } from './reduced-resolution.ts';
import { sam } from './sam.ts';
import { scc } from './scc.ts';
import { countInvalidBlocks, countInvalidPixels, countInvalidWindows } from './valid-pixels.ts';

/** Deterministic pseudo-random image, values in [lo, lo + span). */
function randomBlock(bands: number, height: number, width: number, seed: number, lo = 100, span = 1000): BandBlock<Float64Array> {
  let s = seed >>> 0;
  const data = new Float64Array(bands * width * height);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = lo + Math.floor((s / 2 ** 32) * span);
  }
  return { bands, width, height, data };
}

function constant(bands: number, height: number, width: number, value: number): BandBlock<Float64Array> {
  return { bands, width, height, data: new Float64Array(bands * width * height).fill(value) };
}

function copy(b: BandBlock<Float64Array>): BandBlock<Float64Array> {
  return { ...b, data: Float64Array.from(b.data) };
}

type RR = (r: BandBlock<Float64Array>, f: BandBlock<Float64Array>) => number;
const rrIndices: Record<string, RR> = {
  Q2n: (r, f) => q2n(r, f),
  Q: (r, f) => qIndex(r, f),
  SAM: (r, f) => sam(r, f),
  ERGAS: (r, f) => ergas(r, f, 4),
  SCC: (r, f) => scc(r, f),
  PSNR: (r, f) => psnr(r, f, { bitDepth: 11 }),
};

function assertInputError(fn: () => unknown, code: string, ...mustMention: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.equal(err.code, code);
    for (const m of mustMention) assert.ok(err.message.includes(m), `"${err.message}" should mention ${m}`);
    return true;
  });
}

describe('shape mismatch → InputError naming both shapes', () => {
  const ref = randomBlock(4, 64, 64, 1);
  for (const [name, fn] of Object.entries(rrIndices)) {
    it(name, () => {
      assertInputError(() => fn(ref, randomBlock(4, 64, 48, 2)), 'shape-mismatch', '4×64×64', '4×64×48');
      assertInputError(() => fn(ref, randomBlock(3, 64, 64, 2)), 'shape-mismatch', '4×64×64', '3×64×64');
    });
  }
  it('full resolution: MS not PAN/ratio, multi-band PAN', () => {
    const pan = randomBlock(1, 64, 64, 3);
    assertInputError(
      () => fullResolutionIndices({ fused: randomBlock(4, 64, 64, 4), msLr: randomBlock(4, 15, 16, 5), pan, sensor: 'IKONOS' }),
      'shape-mismatch',
      '4×15×16',
      '4×64×64',
    );
    assertInputError(
      () => fullResolutionIndices({ fused: randomBlock(4, 64, 64, 4), msLr: randomBlock(3, 16, 16, 5), pan, sensor: 'IKONOS' }),
      'shape-mismatch',
    );
    assertInputError(() => dS({ fused: randomBlock(4, 64, 64, 4), msExp: randomBlock(4, 64, 64, 4), pan: randomBlock(2, 64, 64, 3) }), 'band-count');
    assertInputError(
      () => fullResolutionIndices({ fused: randomBlock(8, 64, 64, 4), msLr: randomBlock(8, 16, 16, 5), pan, sensor: 'IKONOS' }),
      'band-count',
      'IKONOS',
    );
  });
});

describe('too small for a block', () => {
  it('Q2n and Q need one 32×32 block/window', () => {
    assertInputError(() => q2n(randomBlock(4, 20, 40, 1), randomBlock(4, 20, 40, 2)), 'image-too-small', '20×40', '32×32');
    assertInputError(() => qIndex(randomBlock(4, 40, 31, 1), randomBlock(4, 40, 31, 2)), 'image-too-small', '40×31');
  });
  it('D_λ / D_s need sides that are multiples of 32', () => {
    assertInputError(() => dLambda({ fused: randomBlock(4, 48, 64, 1), msExp: randomBlock(4, 48, 64, 2) }), 'size-not-multiple', '48×64');
    assertInputError(() => blockQ(new Float64Array(16 * 16), new Float64Array(16 * 16), 16, 16), 'image-too-small');
  });
  it('SCC needs 3×3', () => {
    assertInputError(() => scc(randomBlock(1, 2, 5, 1), randomBlock(1, 2, 5, 2)), 'image-too-small');
  });
});

describe('constant images (zero variance)', () => {
  const c = constant(4, 64, 64, 500);
  it('identical constants: Q2n = Q = SCC = 1, SAM = ERGAS = 0, PSNR = +Infinity (toolbox branches)', () => {
    assert.equal(q2n(c, c), 1); // σ² == 0 branch: |mean bias| = 1
    assert.equal(qIndex(c, c), 1); // flat window: 2·S1S2/(S1²+S2²)
    assert.equal(scc(c, c), 1); // only the crop border's artificial edge, the same in both
    assert.equal(sam(c, c), 0);
    assert.equal(ergas(c, c), 0);
    assert.equal(psnr(c, c, { bitDepth: 11 }), Infinity);
  });
  it('all-zero images: SAM and SCC are NaN (0/0, every pixel dropped), ERGAS NaN, Q = 1', () => {
    const z = constant(3, 40, 40, 0);
    assert.ok(Number.isNaN(sam(z, z)));
    assert.ok(Number.isNaN(scc(z, z)));
    assert.ok(Number.isNaN(ergas(z, z)));
    assert.equal(qIndex(z, z), 1);
  });
  it('zero reference mean: ERGAS is Infinity', () => {
    assert.equal(ergas(constant(2, 40, 40, 0), constant(2, 40, 40, 3)), Infinity);
  });
  it('block Q of a block constant in both images is NaN, so D_λ is NaN (the toolbox has no guard)', () => {
    assert.ok(Number.isNaN(blockQ(c.data.subarray(0, 4096), c.data.subarray(4096, 8192), 64, 64)));
    assert.ok(Number.isNaN(dLambda({ fused: c, msExp: randomBlock(4, 64, 64, 9) })));
  });
});

describe('non-finite pixels are excluded and counted', () => {
  const ref = randomBlock(4, 64, 64, 11);
  const fused = randomBlock(4, 64, 64, 12);
  const withNaN = copy(fused);
  withNaN.data[2 * 64 * 64 + 5 * 64 + 7] = NaN; // band 2, row 5, col 7
  it('counts', () => {
    assert.equal(countInvalidPixels(ref, withNaN), 1);
    assert.equal(countInvalidBlocks(32, ref, withNaN), 1);
    assert.equal(countInvalidWindows(32, ref, withNaN), 6 * 8); // windows with row0 ≤ 5, col0 ≤ 7 (33×33 positions)
    const rr = reducedResolutionIndices({ ref, fused: withNaN });
    assert.deepEqual(rr.excluded, { pixels: 1, q2nBlocks: 1, qWindows: 48 });
  });
  it('SAM: a NaN pixel is dropped like a zero pixel', () => {
    const r0 = copy(ref);
    const f0 = copy(fused);
    for (let b = 0; b < 4; b++) r0.data[b * 4096 + 5 * 64 + 7] = f0.data[b * 4096 + 5 * 64 + 7] = 0;
    assert.equal(sam(ref, withNaN), sam(r0, f0));
  });
  it('ERGAS and PSNR: means over the valid pixels', () => {
    let acc = 0;
    let se = 0;
    for (let b = 0; b < 4; b++) {
      let e = 0;
      let m = 0;
      for (let i = 0; i < 4096; i++) {
        if (i === 5 * 64 + 7) continue;
        const d = ref.data[b * 4096 + i]! - fused.data[b * 4096 + i]!;
        e += d * d;
        m += ref.data[b * 4096 + i]!;
      }
      acc += e / 4095 / (m / 4095) ** 2;
      se += e;
    }
    assert.ok(Math.abs(ergas(ref, withNaN) - 25 * Math.sqrt(acc / 4)) < 1e-12);
    assert.ok(Math.abs(psnr(ref, withNaN, { bitDepth: 11 }) - 10 * Math.log10(2047 ** 2 / (se / (4 * 4095)))) < 1e-12);
  });
  it('Q2n: the block holding the NaN is left out of the mean', () => {
    const map = q2nMap(ref, fused).data;
    assert.ok(Math.abs(q2n(ref, withNaN) - (map[1]! + map[2]! + map[3]!) / 3) < 1e-15);
  });
  it('Q: windows holding the NaN are left out; the rest match a direct computation', () => {
    const got = qIndex(ref, withNaN);
    let total = 0;
    for (let b = 0; b < 4; b++) {
      let sum = 0;
      let count = 0;
      for (let r0 = 0; r0 <= 32; r0++) {
        for (let c0 = 0; c0 <= 32; c0++) {
          if (r0 <= 5 && c0 <= 7) continue;
          let s1 = 0,
            s2 = 0,
            s11 = 0,
            s22 = 0,
            s12 = 0;
          for (let r = r0; r < r0 + 32; r++) {
            for (let c = c0; c < c0 + 32; c++) {
              const x = ref.data[b * 4096 + r * 64 + c]!;
              const y = fused.data[b * 4096 + r * 64 + c]!;
              s1 += x;
              s2 += y;
              s11 += x * x;
              s22 += y * y;
              s12 += x * y;
            }
          }
          sum += uiqiFromSums(1024, s1, s2, s11, s22, s12, 0);
          count++;
        }
      }
      total += sum / count;
    }
    assert.ok(Math.abs(got - total / 4) < 1e-13, `${got} vs ${total / 4}`);
  });
  it('SCC, D_λ and D_s stay finite', () => {
    assert.ok(Number.isFinite(scc(ref, withNaN)));
    const pan = randomBlock(1, 64, 64, 13);
    assert.ok(Number.isFinite(dLambda({ fused: withNaN, msExp: ref })));
    assert.ok(Number.isFinite(dS({ fused: withNaN, msExp: ref, pan })));
  });
  it('everything excluded → NaN', () => {
    const allNaN = constant(4, 64, 64, NaN);
    assert.ok(Number.isNaN(q2n(ref, allNaN)));
    assert.ok(Number.isNaN(qIndex(ref, allNaN)));
    assert.ok(Number.isNaN(sam(ref, allNaN)));
  });
});
