/**
 * @module main/engine/adapt/window-scores
 * Runs a prepared method on Wald windows and scores its outputs against the references over the windows' cores
 * (the context around them is not scored): SAM and ERGAS pooled over every core pixel, Q2n averaged over the
 * cores' 32×32 blocks — the toolbox's definitions, on a sample of the scene instead of all of it.
 */
import { ergasFromSums, addErgasSums, createErgasSums } from '../metrics/ergas.ts';
import { q2nMap } from '../metrics/q2n.ts';
import { samFromSum, samSum, type AngleSum } from '../metrics/sam.ts';
import type { PreparedMethod } from '../methods/method.ts';
import { type BandBlock, cropBlock, type PixelArray, toFloat64 } from '../raster/band-block.ts';
import { pixelWindow, type PixelWindow } from '../raster/pixel-window.ts';
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
export async function fuseWindows(
  prepared: PreparedMethod,
  windows: readonly { readonly pan: BandBlock; readonly ms: BandBlock }[],
  signal?: AbortSignal,
): Promise<BandBlock[]> {
  const out: BandBlock[] = [];
  for (const w of windows) {
    throwIfAborted(signal);
    out.push(await prepared.fuse({ pan: w.pan, ms: w.ms }, signal));
  }
  return out;
}

/** The scored core of a `side`-px window with `context` px around it on every side. */
export function coreWindow(side: number, context: number): PixelWindow {
  return pixelWindow(context, context, side - 2 * context, side - 2 * context);
}

/** SAM/ERGAS/Q2n of `outputs[i]` against `windows[i].reference` over `rect` of every window. */
export function scoreWindows(windows: readonly ScoredWindow[], outputs: readonly BandBlock<PixelArray>[], rect: PixelWindow, ratio: number): WindowScores {
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
    for (const v of q2nMap(cropBlock(ref, rect), cropBlock(fused, rect)).data) {
      if (Number.isNaN(v)) continue;
      qSum += v;
      qCount++;
    }
  });
  return { sam: samFromSum(angles), ergas: ergasFromSums(ergasSums, ratio), q2n: qCount === 0 ? NaN : qSum / qCount };
}
