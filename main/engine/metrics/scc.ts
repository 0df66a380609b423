/**
 * @module main/engine/metrics/scc
 * SCC, the spatial correlation coefficient of the 2020 toolbox (`SCC.m`): per band, crop the one-pixel border
 * *first*, then correlate with the Sobel kernel [[1,2,1],[0,0,0],[−1,−2,−1]] and its transpose with **zero** padding
 * ('same' size) and take the magnitude sqrt(Gy² + Gx²); SCC = Σ(F·G) / sqrt(ΣF²) / sqrt(ΣG²) over all bands and
 * pixels at once, no mean removal. Crop-then-zero-pad makes the border of the cropped image an artificial edge;
 * that is part of the published values, so it is reproduced.
 * An all-zero image gives 0/0 = NaN (reported as NaN). NaN handling: a gradient pixel is left out when its 3×3
 * neighbourhood inside the cropped image holds a non-finite pixel (any band, either image).
 */
import type { BandBlock } from '../raster/band-block.ts';
import { type PixelWindow, pixelWindow } from '../raster/pixel-window.ts';
import { assertMinSize, assertSameShape } from './shape-check.ts';
import { invalidMask } from './valid-pixels.ts';

export interface SccSums {
  fg: number;
  ff: number;
  gg: number;
}

/**
 * Adds the SCC sums over the pixels of `out` (block coordinates). `crop` is the cropped image's extent in the same
 * coordinates: pixels outside it read as 0 (the zero padding). For a whole image both are [1, H−1) × [1, W−1); a
 * tile passes its core as `out` and needs a one-pixel halo around it unless the core touches the crop border.
 */
export function addSccSums(
  f: BandBlock<Float64Array>,
  g: BandBlock<Float64Array>,
  crop: PixelWindow,
  out: PixelWindow,
  mask: Uint8Array | null,
  sums: SccSums,
): void {
  const { width, height, bands } = f;
  const plane = width * height;
  const [cropR0, cropR1, cropC0, cropC1] = [crop.rowOff, crop.rowOff + crop.height, crop.colOff, crop.colOff + crop.width];
  const [outR0, outR1, outC0, outC1] = [out.rowOff, out.rowOff + out.height, out.colOff, out.colOff + out.width];
  const inside = (r: number, c: number) => r >= cropR0 && r < cropR1 && c >= cropC0 && c < cropC1;
  // Skip list for the NaN rule, built once for all bands.
  let skip: Uint8Array | null = null;
  if (mask) {
    skip = new Uint8Array(plane);
    for (let r = outR0; r < outR1; r++) {
      for (let c = outC0; c < outC1; c++) {
        let bad = 0;
        for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) if (inside(r + dr, c + dc) && mask[(r + dr) * width + c + dc]) bad = 1;
        skip[r * width + c] = bad;
      }
    }
  }
  // Each band's (out + 1-pixel ring) region is copied into a zero-padded buffer (0 outside the crop), so the
  // gradient loop below has no border branches. Buffers are reused across bands.
  const ow = out.width;
  const oh = out.height;
  if (ow <= 0 || oh <= 0) return;
  const pw = ow + 2;
  const pf = new Float64Array(pw * (oh + 2));
  const pg = new Float64Array(pw * (oh + 2));
  for (let b = 0; b < bands; b++) {
    const o = b * plane;
    pf.fill(0);
    pg.fill(0);
    for (let pr = 0; pr < oh + 2; pr++) {
      const r = outR0 - 1 + pr;
      if (r < cropR0 || r >= cropR1) continue;
      // Columns of this padded row that fall inside the crop; the rest stay 0.
      const cFrom = Math.max(outC0 - 1, cropC0);
      const cTo = Math.min(outC1 + 1, cropC1);
      const d = pr * pw - (outC0 - 1);
      const sRow = o + r * width;
      for (let c = cFrom; c < cTo; c++) {
        if (mask && mask[r * width + c]) continue;
        pf[d + c] = f.data[sRow + c]!;
        pg[d + c] = g.data[sRow + c]!;
      }
    }
    for (let r = 0; r < oh; r++) {
      for (let c = 0; c < ow; c++) {
        if (skip?.[(r + outR0) * width + c + outC0]) continue;
        const t = r * pw + c; // top-left of the 3×3 neighbourhood
        const m = t + pw;
        const d = m + pw;
        // Sobel by correlation: Gy = top row − bottom row (1 2 1), Gx = left column − right column.
        const fy = pf[t]! + 2 * pf[t + 1]! + pf[t + 2]! - (pf[d]! + 2 * pf[d + 1]! + pf[d + 2]!);
        const fx = pf[t]! + 2 * pf[m]! + pf[d]! - (pf[t + 2]! + 2 * pf[m + 2]! + pf[d + 2]!);
        const gy = pg[t]! + 2 * pg[t + 1]! + pg[t + 2]! - (pg[d]! + 2 * pg[d + 1]! + pg[d + 2]!);
        const gx = pg[t]! + 2 * pg[m]! + pg[d]! - (pg[t + 2]! + 2 * pg[m + 2]! + pg[d + 2]!);
        const mf = Math.sqrt(fy * fy + fx * fx);
        const mg = Math.sqrt(gy * gy + gx * gx);
        sums.fg += mf * mg;
        sums.ff += mf * mf;
        sums.gg += mg * mg;
      }
    }
  }
}

export function sccFromSums(s: SccSums): number {
  return s.fg / Math.sqrt(s.ff) / Math.sqrt(s.gg);
}

/** SCC between `fused` and `ref` (same shape, at least 3×3; InputError otherwise). Symmetric in its arguments. */
export function scc(ref: BandBlock<Float64Array>, fused: BandBlock<Float64Array>): number {
  assertSameShape(ref, fused, ['reference', 'fused'], 'SCC');
  assertMinSize(ref, 3, 3, 'SCC', 'a one-pixel border is cropped');
  const crop = pixelWindow(1, 1, ref.width - 2, ref.height - 2);
  const sums: SccSums = { fg: 0, ff: 0, gg: 0 };
  addSccSums(fused, ref, crop, crop, invalidMask(ref, fused), sums);
  return sccFromSums(sums);
}
