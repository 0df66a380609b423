/**
 * @module main/engine/adapt/window-scores
 * Runs a prepared method on Wald windows and scores its outputs against the references over the windows' cores
 * (the context around them is not scored): SAM and ERGAS pooled over every core pixel, Q2n averaged over the
 * cores' 32×32 blocks — the toolbox's definitions, on a sample of the scene instead of all of it.
 */
import { ergasFromSums, addErgasSums, createErgasSums } from '../metrics/ergas.ts';
import type { PixelRect } from '../metrics/pixel-rect.ts';
import { q2nMap } from '../metrics/q2n.ts';
import { samFromSum, samSum, type AngleSum } from '../metrics/sam.ts';
import type { PreparedMethod } from '../methods/method.ts';
import { type BandBlock, type PixelArray, toFloat64 } from '../raster/band-block.ts';
import { throwIfAborted } from '../errors.ts';

export interface WindowScores {
  /** Degrees; ideal 0. */
  readonly sam: number;
  /** Ideal 0. */
  readonly ergas: number;
  /** Ideal 1 (NaN when every block had non-finite pixels). */
  readonly q2n: number;
}

export interface ScoredWindow {
  readonly reference: BandBlock<PixelArray>;
}

/** The fused blocks of `prepared` on each window's (pan, ms), in order. */
export async function fuseWindows(prepared: PreparedMethod, windows: readonly { readonly pan: BandBlock; readonly ms: BandBlock }[], signal?: AbortSignal): Promise<BandBlock[]> {
  const out: BandBlock[] = [];
  for (const w of windows) {
    throwIfAborted(signal);
    out.push(await prepared.fuse({ pan: w.pan, ms: w.ms }, signal));
  }
  return out;
}

export function coreRect(side: number, context: number): PixelRect {
  return { r0: context, r1: side - context, c0: context, c1: side - context };
}

function cropRect(block: BandBlock<Float64Array>, rect: PixelRect): BandBlock<Float64Array> {
  const w = rect.c1 - rect.c0;
  const h = rect.r1 - rect.r0;
  const data = new Float64Array(block.bands * w * h);
  for (let b = 0; b < block.bands; b++) {
    for (let r = 0; r < h; r++) {
      const from = (b * block.height + rect.r0 + r) * block.width + rect.c0;
      data.set(block.data.subarray(from, from + w), (b * h + r) * w);
    }
  }
  return { bands: block.bands, width: w, height: h, data };
}

/** SAM/ERGAS/Q2n of `outputs[i]` against `windows[i].reference` over `rect` of every window. */
export function scoreWindows(windows: readonly ScoredWindow[], outputs: readonly BandBlock<PixelArray>[], rect: PixelRect, ratio: number): WindowScores {
  const bands = windows[0]!.reference.bands;
  const ergasSums = createErgasSums(bands);
  const angles: AngleSum = { sum: 0, count: 0, dropped: 0 };
  let qSum = 0;
  let qCount = 0;
  windows.forEach((w, i) => {
    const ref = toFloat64(w.reference);
    const fused = toFloat64(outputs[i]!);
    addErgasSums(ref, fused, null, ergasSums, rect);
    samSum(ref, fused, angles, rect);
    for (const v of q2nMap(cropRect(ref, rect), cropRect(fused, rect)).data) {
      if (Number.isNaN(v)) continue;
      qSum += v;
      qCount++;
    }
  });
  return { sam: samFromSum(angles), ergas: ergasFromSums(ergasSums, ratio), q2n: qCount === 0 ? NaN : qSum / qCount };
}
