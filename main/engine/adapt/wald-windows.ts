/**
 * @module main/engine/adapt/wald-windows
 * A bounded, seeded set of salient windows of the scene, each turned into a Wald training pair: the PAN and MS of
 * the window MTF-filtered and decimated by the ratio (the same DSP as `evaluate --protocol rr`), with the original
 * MS as the reference. Windows are ranked by PAN gradient energy (where detail injection matters), the most salient
 * 2×count are kept and `count` of them drawn with the seed; half fit an adaptation, half are held back to judge it.
 * Memory and time are bounded by the window count, whatever the scene size.
 */
import { mtfDegrade } from '../dsp/mtf-degrade.ts';
import { MTF_KERNEL_SIZE } from '../dsp/mtf-kernel.ts';
import { canonicalSensor, GENERIC_PAN_NYQUIST_GAIN, nyquistGains } from '../dsp/sensor-mtf.ts';
import { InputError, throwIfAborted } from '../errors.ts';
import type { Scene } from '../io/open-scene.ts';
import type { SceneSample } from '../methods/scene-sample.ts';
import { type BandBlock, createBlock, cropBlock, toFloat64 } from '../raster/band-block.ts';
import { expandWindow, pixelWindow, scaleUpWindow, translateWindow } from '../raster/pixel-window.ts';
import { readTile } from '../tiling/read-tile.ts';

/** Scored core of a window, on the MS grid (= the degraded PAN grid). */
export const WINDOW_CORE_PX = 64;
/** Context around the core that the method sees but that is not scored (network receptive field, borders). */
export const WINDOW_CONTEXT_PX = 16;
/** Windows drawn per scene [default]. */
export const DEFAULT_WINDOW_COUNT = 16;

export interface WaldWindow {
  /** Window origin (its context's corner) on the MS region grid. */
  readonly msCol: number;
  readonly msRow: number;
  /** Degraded PAN: 1 band, side `WINDOW_CORE_PX + 2·WINDOW_CONTEXT_PX` (the MS grid). */
  readonly pan: BandBlock;
  /** Degraded MS: bands, that side / ratio. */
  readonly ms: BandBlock;
  /** Original MS over the same area as `pan`: the reference. */
  readonly reference: BandBlock;
  /** PAN gradient energy per pixel (from the scene sample) that ranked it. */
  readonly salience: number;
}

export interface SensorChoice {
  /** Canonical sensor name, or null for the generic MTF. */
  readonly name: string | null;
  readonly gains: readonly number[];
  /** Where it came from. */
  readonly source: 'option' | 'metadata' | 'generic';
  /** Set when generic gains stand in for an unknown or missing sensor. */
  readonly warning: string | null;
}

export interface WaldWindowSet {
  readonly ratio: number;
  readonly bands: number;
  readonly seed: number;
  readonly sidePx: number;
  readonly contextPx: number;
  readonly fit: readonly WaldWindow[];
  readonly guard: readonly WaldWindow[];
  readonly sensor: SensorChoice;
  /** The degraded windows seen as a scene sample (for methods' global statistics). */
  readonly sample: SceneSample;
  /** Candidate windows the scene offered. */
  readonly candidates: number;
}

export interface WaldWindowOptions {
  readonly scene: Scene;
  /** The scene's bounded sample (salience is computed on its PAN). */
  readonly sample: SceneSample;
  /** Overrides the scene's SENSOR metadata. */
  readonly sensor?: string | null;
  /** [default 1] */
  readonly seed?: number;
  /** [default DEFAULT_WINDOW_COUNT] */
  readonly count?: number;
  readonly signal?: AbortSignal;
}

/** The scene cannot give at least one fit and one held-back window. */
export class SceneTooSmallError extends InputError {}

/** mulberry32: small, seedable, the same on every platform. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function chooseSensor(scene: Scene, override: string | null | undefined): SensorChoice {
  const bands = scene.bandCount;
  const requested = override ?? scene.sensor;
  const source = override ? 'option' : 'metadata';
  if (!requested) {
    return {
      name: null,
      gains: nyquistGains('generic', bands),
      source: 'generic',
      warning: `no sensor in the metadata of ${scene.ms.path} (and no --sensor): using generic MTF gains for the degraded copy`,
    };
  }
  const canonical = canonicalSensor(requested);
  if (!canonical) {
    return {
      name: null,
      gains: nyquistGains('generic', bands),
      source: 'generic',
      warning: `unknown sensor "${requested}" (${source === 'option' ? '--sensor' : `metadata of ${scene.ms.path}`}): using generic MTF gains for the degraded copy`,
    };
  }
  return { name: canonical, gains: nyquistGains(canonical, bands), source, warning: null };
}

/** Prefix sums of squared PAN gradients on the sample grid (NaN where the sample has nodata). */
function gradientEnergy(panLow: BandBlock): { sum: Float64Array; bad: Int32Array; width: number } {
  const { width, height, data } = panLow;
  const w1 = width + 1;
  const sum = new Float64Array(w1 * (height + 1));
  const bad = new Int32Array(w1 * (height + 1));
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      const v = data[i]!;
      const gx = c + 1 < width ? data[i + 1]! - v : 0;
      const gy = r + 1 < height ? data[i + width]! - v : 0;
      const e = gx * gx + gy * gy;
      const isBad = Number.isFinite(e) ? 0 : 1;
      const o = (r + 1) * w1 + c + 1;
      sum[o] = (isBad ? 0 : e) + sum[o - 1]! + sum[o - w1]! - sum[o - w1 - 1]!;
      bad[o] = isBad + bad[o - 1]! + bad[o - w1]! - bad[o - w1 - 1]!;
    }
  }
  return { sum, bad, width };
}

function rectSum(table: Float64Array | Int32Array, w1: number, r0: number, c0: number, r1: number, c1: number): number {
  return table[r1 * w1 + c1]! - table[r0 * w1 + c1]! - table[r1 * w1 + c0]! + table[r0 * w1 + c0]!;
}

interface Candidate {
  readonly msCol: number;
  readonly msRow: number;
  readonly salience: number;
}

/** Candidate window origins (cores tile the MS region without overlap), most salient first. */
function candidates(scene: Scene, sample: SceneSample, side: number): Candidate[] {
  const { msRegion } = scene;
  const energy = gradientEnergy(sample.panLow);
  const sx = sample.panLow.width / msRegion.width;
  const sy = sample.panLow.height / msRegion.height;
  const out: Candidate[] = [];
  for (let row = 0; row + side <= msRegion.height; row += WINDOW_CORE_PX) {
    for (let col = 0; col + side <= msRegion.width; col += WINDOW_CORE_PX) {
      const r0 = Math.floor(row * sy),
        r1 = Math.max(r0 + 1, Math.ceil((row + side) * sy));
      const c0 = Math.floor(col * sx),
        c1 = Math.max(c0 + 1, Math.ceil((col + side) * sx));
      if (rectSum(energy.bad, energy.width + 1, r0, c0, r1, c1) > 0) continue; // nodata inside
      const salience = rectSum(energy.sum, energy.width + 1, r0, c0, r1, c1) / ((r1 - r0) * (c1 - c0));
      out.push({ msCol: col, msRow: row, salience });
    }
  }
  // Most salient first; ties by position so the order never depends on the sort's stability.
  return out.sort((a, b) => b.salience - a.salience || a.msRow - b.msRow || a.msCol - b.msCol);
}

/** The `side`-px square `offset` px in from the top-left of `block`. */
function crop(block: BandBlock, offset: number, side: number): BandBlock {
  return cropBlock(block, pixelWindow(offset, offset, side, side));
}

function toFloat32(block: BandBlock<Float64Array>): BandBlock {
  return { bands: block.bands, width: block.width, height: block.height, data: Float32Array.from(block.data) };
}

async function readWaldWindow(scene: Scene, candidate: Candidate, side: number, sensor: SensorChoice, panGain: number): Promise<WaldWindow | null> {
  const { ratio, region } = scene;
  // Context for the MTF filter (its radius), in whole MS pixels of the degraded grid: the filters see real pixels.
  const halo = Math.ceil((MTF_KERNEL_SIZE - 1) / 2 / ratio) * ratio;
  const withHalo = expandWindow(pixelWindow(candidate.msCol, candidate.msRow, side, side), halo);
  const read = translateWindow(scaleUpWindow(withHalo, ratio), region.colOff, region.rowOff);
  const data = await readTile(scene, { index: 0, row: 0, col: 0, core: read, read });
  if (data.invalid && data.invalid.some((v) => v !== 0)) return null;
  const panLow = mtfDegrade(toFloat64(data.pan), [panGain], ratio);
  const msLow = mtfDegrade(toFloat64(data.ms), sensor.gains, ratio);
  return {
    msCol: candidate.msCol,
    msRow: candidate.msRow,
    pan: crop(toFloat32(panLow), halo, side),
    ms: crop(toFloat32(msLow), halo / ratio, side / ratio),
    reference: crop(data.ms, halo, side),
    salience: candidate.salience,
  };
}

/** The degraded windows side by side as a SceneSample: MS at the degraded MS grid, PAN averaged / sampled onto it. */
function mosaicSample(windows: readonly WaldWindow[], ratio: number): SceneSample {
  const bands = windows[0]!.ms.bands;
  const tile = windows[0]!.ms.width;
  const width = tile * windows.length;
  const ms = createBlock(bands, width, tile);
  const panLow = createBlock(1, width, tile);
  const panPoints = createBlock(1, width, tile);
  let maxValue = -Infinity;
  windows.forEach((w, k) => {
    for (let r = 0; r < tile; r++) {
      for (let c = 0; c < tile; c++) {
        const o = r * width + k * tile + c;
        for (let b = 0; b < bands; b++) {
          const v = w.ms.data[(b * tile + r) * tile + c]!;
          ms.data[b * tile * width + o] = v;
          maxValue = Math.max(maxValue, v);
        }
        let s = 0;
        for (let dr = 0; dr < ratio; dr++) for (let dc = 0; dc < ratio; dc++) s += w.pan.data[(r * ratio + dr) * w.pan.width + c * ratio + dc]!;
        panLow.data[o] = s / (ratio * ratio);
        panPoints.data[o] = w.pan.data[(r * ratio + (ratio >> 1)) * w.pan.width + c * ratio + (ratio >> 1)]!;
        maxValue = Math.max(maxValue, panPoints.data[o]!);
      }
    }
  });
  return { ms, panLow, panPoints, maxValue, validCount: width * tile };
}

/**
 * Reads and degrades the windows. SceneTooSmallError when the scene's MS is smaller than one window (side
 * `WINDOW_CORE_PX + 2·WINDOW_CONTEXT_PX`) or offers fewer than two windows without nodata.
 */
export async function readWaldWindows(options: WaldWindowOptions): Promise<WaldWindowSet> {
  const { scene, sample } = options;
  const seed = options.seed ?? 1;
  const count = Math.max(2, options.count ?? DEFAULT_WINDOW_COUNT);
  const side = WINDOW_CORE_PX + 2 * WINDOW_CONTEXT_PX;
  const sensor = chooseSensor(scene, options.sensor);
  const { msRegion } = scene;
  const tooSmall = (why: string) =>
    new SceneTooSmallError('scene-too-small', `scene too small to degrade for adaptation: ${why} (PAN ${scene.pan.path}, MS ${scene.ms.path})`, {
      panPath: scene.pan.path,
      msPath: scene.ms.path,
      msWidth: msRegion.width,
      msHeight: msRegion.height,
      windowPx: side,
    });
  if (msRegion.width < side || msRegion.height < side) {
    throw tooSmall(
      `its MS is ${msRegion.width}×${msRegion.height} px; a Wald window needs at least ${side}×${side} MS px (${side * scene.ratio}×${side * scene.ratio} PAN px)`,
    );
  }
  const ranked = candidates(scene, sample, side);
  const pool = ranked.slice(0, 2 * count);
  // Seeded draw from the salient pool (Fisher–Yates), so another seed looks at other windows.
  const random = seededRandom(seed);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const windows: WaldWindow[] = [];
  for (const candidate of pool) {
    if (windows.length >= count) break;
    throwIfAborted(options.signal);
    const w = await readWaldWindow(scene, candidate, side, sensor, GENERIC_PAN_NYQUIST_GAIN);
    if (w) windows.push(w);
  }
  if (windows.length < 2)
    throw tooSmall(`it offers ${windows.length} window(s) of ${side}×${side} MS px free of nodata; at least 2 are needed (one to fit, one to check)`);
  // Alternate in draw order: fit and guard get the same mix of salience.
  const fit = windows.filter((_, i) => i % 2 === 0);
  const guard = windows.filter((_, i) => i % 2 === 1);
  return {
    ratio: scene.ratio,
    bands: scene.bandCount,
    seed,
    sidePx: side,
    contextPx: WINDOW_CONTEXT_PX,
    fit,
    guard,
    sensor,
    sample: mosaicSample(windows, scene.ratio),
    candidates: ranked.length,
  };
}
