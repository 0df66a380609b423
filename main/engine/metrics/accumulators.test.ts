// Streaming accumulators: feeding the tiles of an image gives the whole-array value (to summation order).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BandBlock } from '../raster/band-block.ts';
import { expandWindow, intersectWindows, type PixelWindow } from '../raster/pixel-window.ts';
import {
  ErgasAccumulator,
  type IndexAccumulator,
  type ImageShape,
  type MetricTile,
  PsnrAccumulator,
  Q2nAccumulator,
  QAccumulator,
  ReducedResolutionAccumulator,
  SamAccumulator,
  SccAccumulator,
} from './accumulators.ts';
import { reducedResolutionIndices } from './reduced-resolution.ts';
import { relErr } from '../testing/metric-vectors.ts';

/** Correlated ref/fused pair with float values, so rounding differences would show. */
function randomPair(shape: ImageShape, seed: number): [BandBlock<Float64Array>, BandBlock<Float64Array>] {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const n = shape.bands * shape.width * shape.height;
  const ref = new Float64Array(n);
  const fused = new Float64Array(n);
  for (let b = 0; b < shape.bands; b++) {
    for (let r = 0; r < shape.height; r++) {
      for (let c = 0; c < shape.width; c++) {
        const i = (b * shape.height + r) * shape.width + c;
        const v = 300 + 200 * Math.sin(r / 7 + b) * Math.cos(c / 11) + 100 * rnd();
        ref[i] = v;
        fused[i] = 0.95 * v + 15 + 20 * rnd();
      }
    }
  }
  return [
    { ...shape, data: ref },
    { ...shape, data: fused },
  ];
}

function crop(b: BandBlock<Float64Array>, w: PixelWindow): BandBlock<Float64Array> {
  const data = new Float64Array(b.bands * w.width * w.height);
  for (let band = 0; band < b.bands; band++) {
    for (let r = 0; r < w.height; r++) {
      const src = (band * b.height + w.rowOff + r) * b.width + w.colOff;
      data.set(b.data.subarray(src, src + w.width), (band * w.height + r) * w.width);
    }
  }
  return { bands: b.bands, width: w.width, height: w.height, data };
}

function* tiles(ref: BandBlock<Float64Array>, fused: BandBlock<Float64Array>, tileH: number, tileW: number, haloPx: number): Generator<MetricTile> {
  const image: PixelWindow = { colOff: 0, rowOff: 0, width: ref.width, height: ref.height };
  for (let r = 0; r < ref.height; r += tileH) {
    for (let c = 0; c < ref.width; c += tileW) {
      const core = intersectWindows({ colOff: c, rowOff: r, width: tileW, height: tileH }, image)!;
      const read = intersectWindows(expandWindow(core, haloPx), image)!;
      yield { core, read, ref: crop(ref, read), fused: crop(fused, read) };
    }
  }
}

function feed<R>(acc: IndexAccumulator<R>, ref: BandBlock<Float64Array>, fused: BandBlock<Float64Array>, tileH: number, tileW: number): R {
  for (const t of tiles(ref, fused, tileH, tileW, acc.haloPx)) acc.add(t);
  return acc.result();
}

const TOL = 1e-12;

describe('accumulators: tiled == whole', () => {
  for (const shape of [
    { bands: 8, width: 232, height: 200 }, // sides not multiples of 32: Q2n pads, needs its halo
    { bands: 4, width: 192, height: 128 }, // multiples of 32: Q2n needs no halo
    { bands: 3, width: 70, height: 45 }, // 3 bands (Q2n pads to 4), one partial block row
  ]) {
    const [ref, fused] = randomPair(shape, shape.width);
    // A few non-finite pixels, to check the NaN rule decomposes too.
    fused.data[5 * shape.width + 9] = NaN;
    ref.data[(shape.bands - 1) * shape.width * shape.height + 40 * shape.width + 33] = Infinity;
    const whole = reducedResolutionIndices({ ref, fused, bitDepth: 11 });
    for (const [tileH, tileW] of [
      [64, 64],
      [32, 96],
      [96, 160],
    ] as const) {
      it(`${shape.bands}×${shape.height}×${shape.width}, tiles ${tileH}×${tileW}`, () => {
        const single: Record<string, [IndexAccumulator, number]> = {
          Q2n: [new Q2nAccumulator(shape), whole.Q2n],
          Q: [new QAccumulator(shape), whole.Q],
          SAM: [new SamAccumulator(shape), whole.SAM_deg],
          ERGAS: [new ErgasAccumulator(shape, 4), whole.ERGAS],
          SCC: [new SccAccumulator(shape), whole.SCC],
          PSNR: [new PsnrAccumulator(shape, 11), whole.PSNR_dB!],
        };
        for (const [name, [acc, expected]] of Object.entries(single)) {
          const got = feed(acc, ref, fused, tileH, tileW);
          assert.ok(Number.isFinite(expected), `${name} whole is ${expected}`);
          assert.ok(relErr(got, expected) < TOL, `${name}: tiled ${got} vs whole ${expected} (rel ${relErr(got, expected)})`);
        }
        const all = feed(new ReducedResolutionAccumulator(shape, { bitDepth: 11 }), ref, fused, tileH, tileW);
        for (const k of ['Q2n', 'Q', 'SAM_deg', 'ERGAS', 'SCC', 'PSNR_dB'] as const) {
          assert.ok(relErr(all[k]!, whole[k]!) < TOL, `combined ${k}: ${all[k]} vs ${whole[k]}`);
        }
        assert.deepEqual(all.excluded, whole.excluded);
      });
    }
  }

  it('rejects a tile without the halo it needs', () => {
    const shape = { bands: 4, width: 128, height: 128 };
    const [ref, fused] = randomPair(shape, 5);
    const acc = new QAccumulator(shape);
    const [first] = tiles(ref, fused, 64, 64, 0);
    assert.throws(() => acc.add(first!), /does not cover core .* 31-px halo/);
  });
});

describe('ReducedResolutionAccumulator: disjoint tile sets merged == one pass', () => {
  for (const shape of [
    { bands: 8, width: 232, height: 200 },
    { bands: 4, width: 192, height: 128 },
  ]) {
    it(`${shape.bands}×${shape.height}×${shape.width}, NaN holes, split 1..4 ways`, () => {
      const [ref, fused] = randomPair(shape, 11);
      for (let r = 40; r < 46; r++) for (let c = 70; c < 77; c++) fused.data[r * shape.width + c] = NaN;
      ref.data[2 * shape.width * shape.height + 100 * shape.width + 150] = NaN;
      const single = feed(new ReducedResolutionAccumulator(shape, { bitDepth: 11 }), ref, fused, 64, 64);
      const all = [...tiles(ref, fused, 64, 64, new ReducedResolutionAccumulator(shape).haloPx)];
      for (const parts of [1, 2, 3, 4]) {
        // Row bands of tiles, each accumulated apart (as a worker would), merged in reverse order.
        const states = Array.from({ length: parts }, (_, p) => {
          const acc = new ReducedResolutionAccumulator(shape, { bitDepth: 11 });
          for (const t of all.filter((t) => Math.floor((t.core.rowOff / shape.height) * parts) === p)) acc.add(t);
          return structuredClone(acc.state());
        });
        const merged = new ReducedResolutionAccumulator(shape, { bitDepth: 11 });
        for (const s of states.reverse()) merged.merge(s);
        const got = merged.result();
        for (const k of ['Q2n', 'Q', 'SAM_deg', 'ERGAS', 'SCC', 'PSNR_dB'] as const) {
          assert.ok(Number.isFinite(single[k]!), `${k} = ${single[k]}`);
          assert.ok(relErr(got[k]!, single[k]!) <= 1e-9, `${parts}-way ${k}: merged ${got[k]} vs single ${single[k]}`);
        }
        assert.deepEqual(got.excluded, single.excluded);
        assert.ok(single.excluded.pixels > 40 && single.excluded.qWindows > 0, JSON.stringify(single.excluded));
      }
    });
  }

  it('takeState leaves a fresh accumulator; merging another shape fails', () => {
    const shape = { bands: 4, width: 128, height: 128 };
    const [ref, fused] = randomPair(shape, 3);
    const acc = new ReducedResolutionAccumulator(shape, { bitDepth: 11 });
    const [first, second] = tiles(ref, fused, 64, 128, acc.haloPx);
    acc.add(first!);
    const a = acc.takeState();
    acc.add(second!);
    const b = acc.takeState();
    const merged = new ReducedResolutionAccumulator(shape, { bitDepth: 11 });
    merged.merge(a);
    merged.merge(b);
    const single = feed(new ReducedResolutionAccumulator(shape, { bitDepth: 11 }), ref, fused, 64, 128);
    assert.ok(relErr(merged.result().ERGAS, single.ERGAS) <= 1e-12);
    assert.ok(Number.isNaN(acc.result().SAM_deg), 'nothing left after takeState');
    assert.throws(() => new ReducedResolutionAccumulator({ ...shape, bands: 3 }).merge(a), /4 bands .* merged into one of 3/);
    assert.throws(() => new ReducedResolutionAccumulator(shape).merge(a), /6 indices merged into one of 4 bands and 5 indices/);
  });
});
