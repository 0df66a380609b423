// The streaming full-resolution indices equal the whole-array ones, on the shared FR vectors (64×64 in 32×32
// tiles) and on a larger synthetic scene.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BandBlock, cropBlock } from '../raster/band-block.ts';
import { expandWindow, intersectWindows, type PixelWindow } from '../raster/pixel-window.ts';
import { interp23tap } from '../dsp/interp23tap.ts';
import { lowPassPan } from './d-s.ts';
import { FullResolutionAccumulator, type FullResolutionTile } from './full-resolution-accumulator.ts';
import { fullResolutionIndices } from './full-resolution.ts';
import { caseSkip, loadInput, loadVectors, relErr } from '../testing/metric-vectors.ts';

const TOL = 1e-12;

function window(b: BandBlock<Float64Array>, w: PixelWindow): BandBlock<Float64Array> {
  return cropBlock(b, w);
}

function streamed(fused: BandBlock<Float64Array>, msLr: BandBlock<Float64Array>, pan: BandBlock<Float64Array>, sensor: string, tilePx: number) {
  // msExp and panLp with the whole image's border rules; the engine would produce them tile by tile with a halo.
  const msExp = interp23tap(msLr, 4);
  const panLp = lowPassPan(pan, 4);
  const acc = new FullResolutionAccumulator(fused, { sensor });
  const image: PixelWindow = { colOff: 0, rowOff: 0, width: fused.width, height: fused.height };
  for (let r = 0; r < fused.height; r += tilePx) {
    for (let c = 0; c < fused.width; c += tilePx) {
      const core = intersectWindows({ colOff: c, rowOff: r, width: tilePx, height: tilePx }, image)!;
      const read = intersectWindows(expandWindow(core, acc.haloPx), image)!;
      acc.add({ core, read, fused: window(fused, read), msExp: window(msExp, read), pan: window(pan, read), panLp: window(panLp, read) });
    }
  }
  return acc.result();
}

function compare(got: Readonly<Record<string, unknown>>, whole: Readonly<Record<string, unknown>>): void {
  for (const k of ['D_lambda', 'D_s', 'QNR', 'D_lambda_K', 'HQNR']) {
    const [g, w] = [got[k] as number, whole[k] as number];
    assert.ok(Number.isFinite(w), `${k} whole ${w}`);
    assert.ok(relErr(g, w) < TOL, `${k}: tiled ${g} vs whole ${w} (rel ${relErr(g, w)})`);
  }
}

describe('FullResolutionAccumulator: tiled == whole', () => {
  for (const c of loadVectors().cases.filter((v) => v.mode === 'FR')) {
    it(`${c.id}, 32×32 tiles`, { skip: caseSkip(c) }, async () => {
      const fused = await loadInput(c.inputs.fused!);
      const msLr = await loadInput(c.inputs.ms_lr!);
      const pan = await loadInput(c.inputs.pan!);
      const whole = fullResolutionIndices({ fused, msLr, pan, sensor: c.params.sensor! });
      compare({ ...streamed(fused, msLr, pan, c.params.sensor!, 32) }, { ...whole });
    });
  }
  it('synthetic 4×128×192 with a NaN, 64×64 tiles', () => {
    const [w, h, bands] = [192, 128, 4];
    let s = 3;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const msLr: BandBlock<Float64Array> = {
      bands,
      width: w / 4,
      height: h / 4,
      data: new Float64Array(bands * (w / 4) * (h / 4)).map(() => 200 + 300 * rnd()),
    };
    const pan: BandBlock<Float64Array> = {
      bands: 1,
      width: w,
      height: h,
      data: new Float64Array(w * h).map((_, i) => 300 + 100 * Math.sin(i / 50) + 50 * rnd()),
    };
    const exp = interp23tap(msLr, 4);
    const fused: BandBlock<Float64Array> = { ...exp, data: exp.data.map((v, i) => v + 0.5 * (pan.data[i % (w * h)]! - 300)) };
    fused.data[1 * w * h + 70 * w + 100] = NaN;
    const whole = fullResolutionIndices({ fused, msLr, pan, sensor: 'QB' });
    const got = streamed(fused, msLr, pan, 'QB', 64);
    compare({ ...got }, { ...whole });
    assert.deepEqual(got.excluded, { dLambdaBlocks: 1, dSBlocks: 1, dLambdaKBlocks: 4 });
  });
});

describe('FullResolutionAccumulator: disjoint tile sets merged == one pass', () => {
  it('synthetic 4×192×256 with NaN holes, row bands split 1..4 ways', () => {
    const [w, h, bands] = [256, 192, 4];
    let s = 7;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const msLr: BandBlock<Float64Array> = {
      bands,
      width: w / 4,
      height: h / 4,
      data: new Float64Array(bands * (w / 4) * (h / 4)).map(() => 200 + 300 * rnd()),
    };
    const pan: BandBlock<Float64Array> = {
      bands: 1,
      width: w,
      height: h,
      data: new Float64Array(w * h).map((_, i) => 300 + 100 * Math.sin(i / 50) + 50 * rnd()),
    };
    const msExp = interp23tap(msLr, 4);
    const panLp = lowPassPan(pan, 4);
    const fused: BandBlock<Float64Array> = { ...msExp, data: msExp.data.map((v, i) => v + 0.5 * (pan.data[i % (w * h)]! - 300)) };
    for (let r = 100; r < 106; r++) for (let c = 40; c < 47; c++) fused.data[2 * w * h + r * w + c] = NaN;
    pan.data[20 * w + 200] = NaN;
    const image: PixelWindow = { colOff: 0, rowOff: 0, width: w, height: h };
    const single = new FullResolutionAccumulator(fused, { sensor: 'QB' });
    const tiles: FullResolutionTile[] = [];
    for (let r = 0; r < h; r += 64) {
      for (let c = 0; c < w; c += 96) {
        const core = intersectWindows({ colOff: c, rowOff: r, width: 96, height: 64 }, image)!;
        const read = intersectWindows(expandWindow(core, single.haloPx), image)!;
        tiles.push({ core, read, fused: window(fused, read), msExp: window(msExp, read), pan: window(pan, read), panLp: window(panLp, read) });
      }
    }
    for (const t of tiles) single.add(t);
    const want = single.result();
    assert.ok(want.excluded.dLambdaBlocks > 0 && want.excluded.dSBlocks > want.excluded.dLambdaBlocks, JSON.stringify(want.excluded));
    for (const parts of [1, 2, 3, 4]) {
      const states = Array.from({ length: parts }, (_, p) => {
        const acc = new FullResolutionAccumulator(fused, { sensor: 'QB' });
        for (const t of tiles.filter((t) => Math.floor((t.core.rowOff / h) * parts) === p)) acc.add(t);
        return structuredClone(acc.state());
      });
      const merged = new FullResolutionAccumulator(fused, { sensor: 'QB' });
      for (const st of states.reverse()) merged.merge(st);
      const got = merged.result();
      compare({ ...got }, { ...want });
      for (const k of ['D_lambda', 'D_s', 'D_lambda_K'] as const) assert.ok(relErr(got[k], want[k]) <= 1e-9, `${parts}-way ${k}`);
      assert.deepEqual(got.excluded, want.excluded);
    }
    assert.throws(
      () => new FullResolutionAccumulator({ bands: 3, width: w, height: h }, { sensor: 'generic' }).merge(single.state()),
      /4 bands merged into one of 3/,
    );
  });
});
