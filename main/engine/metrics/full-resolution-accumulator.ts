/**
 * @module main/engine/metrics/full-resolution-accumulator
 * Streaming form of the full-resolution indices (D_λ, D_s, QNR, D_λ,K, HQNR): feed tiles on the PAN grid, get the
 * whole-image values. Requirements, checked:
 * - image sides multiples of 32 (the toolbox's block Q needs them anyway) and tile cores on the 32-px grid, so that
 *   every 32×32 block of D_λ, D_s and of D_λ,K's Q2n lies in exactly one core (halo 0 for those);
 * - a 20-px halo (clipped at the image edges) around each core, for D_λ,K's MTF filter of the fused image
 *   (41×41 kernel, replicated borders: a tile clipped at the image edge replicates the image's own border).
 * The tile carries `msExp` = interp23tap(ms_lr) and `panLp` = interp23tap(imresize(pan, 1/4)) on the same window.
 * Those two use circular (interp23tap) and mirrored (imresize) image borders, so the engine must produce them with
 * the whole image's border rule (see the design notes in the report: a 9-MS-px halo, wrapped at the image edges).
 * Every state is a sum, so disjoint sets of tiles can be accumulated apart (worker threads) and merged: `state()`
 * hands out the partial sums (plain numbers, structured-cloneable), `merge()` adds another accumulator's.
 */
import { InputError } from '../errors.ts';
import { cropBlock, type BandBlock } from '../raster/band-block.ts';
import { clampWindow, containsWindow, expandWindow, type PixelWindow, rasterWindow, windowRelativeTo } from '../raster/pixel-window.ts';
import { correlateRegion } from '../dsp/mtf-filter.ts';
import { type Kernel2D, MTF_KERNEL_SIZE, mtfKernels } from '../dsp/mtf-kernel.ts';
import type { MtfSource } from '../dsp/sensor-mtf.ts';
import type { ImageShape } from './accumulators.ts';
import { assertBlockMultiple, blockQSum, type BlockQSum, centreBlocks, countInvalid, validBlocks } from './block-q.ts';
import { dLambdaFromSums, pairSums } from './d-lambda.ts';
import { dsFromSums } from './d-s.ts';
import type { FullResolutionIndices } from './full-resolution.ts';
import { Q2nBlockKernel } from './q2n.ts';
import { hqnr, qnr } from './qnr.ts';
import { invalidMask } from './valid-pixels.ts';

export interface FullResolutionTile {
  /** The tile's own pixels on the PAN grid; cores partition the image and sit on the 32-px grid. */
  readonly core: PixelWindow;
  /** The window every array below covers: the core plus `haloPx`, clipped to the image. */
  readonly read: PixelWindow;
  readonly fused: BandBlock<Float64Array>;
  readonly msExp: BandBlock<Float64Array>;
  readonly pan: BandBlock<Float64Array>;
  readonly panLp: BandBlock<Float64Array>;
}

export interface FullResolutionAccumulatorOptions {
  readonly sensor: MtfSource;
  readonly ratio?: number;
}

export interface FullResolutionResult extends FullResolutionIndices {
  /** 32×32 blocks left out for non-finite pixels: D_λ's, D_s's and D_λ,K's own counts. */
  readonly excluded: { readonly dLambdaBlocks: number; readonly dSBlocks: number; readonly dLambdaKBlocks: number };
}

/** The partial sums of some tiles: what `merge` adds. Plain data, so it crosses worker threads. */
export interface FullResolutionState {
  readonly bands: number;
  readonly fusedQ: readonly BlockQSum[];
  readonly msQ: readonly BlockQSum[];
  readonly high: readonly BlockQSum[];
  readonly low: readonly BlockQSum[];
  readonly q2nSum: number;
  readonly q2nCount: number;
  readonly dropped: FullResolutionResult['excluded'];
}

const BLOCK = 32;

/** Pixels invalid in either mask (1 = invalid; null = none). */
function unionMask(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (!a || !b) return a ?? b;
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! | b[i]!;
  return out;
}

const zeroSums = (n: number): BlockQSum[] => Array.from({ length: n }, () => ({ sum: 0, count: 0 }));
const copySums = (sums: readonly BlockQSum[]): BlockQSum[] => sums.map(({ sum, count }) => ({ sum, count }));

function addSums(into: BlockQSum[], from: readonly BlockQSum[], what: string): void {
  if (from.length !== into.length) throw new Error(`full-resolution state: ${what} has ${from.length} sums, expected ${into.length}`);
  for (let k = 0; k < into.length; k++) {
    into[k]!.sum += from[k]!.sum;
    into[k]!.count += from[k]!.count;
  }
}

export class FullResolutionAccumulator {
  readonly index = 'full-resolution';
  /** The MTF kernel's radius. */
  readonly haloPx = (MTF_KERNEL_SIZE - 1) / 2;
  private readonly kernels: Kernel2D[];
  private fusedQ: BlockQSum[];
  private msQ: BlockQSum[];
  private high: BlockQSum[];
  private low: BlockQSum[];
  private readonly q2nKernel: Q2nBlockKernel;
  private q2nSum = 0;
  private q2nCount = 0;
  private dropped = { dLambdaBlocks: 0, dSBlocks: 0, dLambdaKBlocks: 0 };

  constructor(
    private readonly shape: ImageShape,
    options: FullResolutionAccumulatorOptions,
  ) {
    assertBlockMultiple(shape.width, shape.height, BLOCK, 'full-resolution indices');
    if (shape.bands < 2)
      throw new InputError('band-count', `full-resolution indices need at least 2 bands (D_λ compares band pairs); got ${shape.bands}`, { got: shape.bands });
    this.kernels = mtfKernels(options.sensor, shape.bands, options.ratio ?? 4);
    this.fusedQ = pairSums(shape.bands);
    this.msQ = pairSums(shape.bands);
    this.high = zeroSums(shape.bands);
    this.low = zeroSums(shape.bands);
    this.q2nKernel = new Q2nBlockKernel(shape.bands, BLOCK);
  }

  /** A copy of the partial sums so far. */
  state(): FullResolutionState {
    const { fusedQ, msQ, high, low } = this;
    return {
      bands: this.shape.bands,
      fusedQ: copySums(fusedQ),
      msQ: copySums(msQ),
      high: copySums(high),
      low: copySums(low),
      q2nSum: this.q2nSum,
      q2nCount: this.q2nCount,
      dropped: { ...this.dropped },
    };
  }

  /** The partial sums so far, and a fresh start (one state per tile, merged in tile order, gives the same bits
   * whichever thread computed which tile). */
  takeState(): FullResolutionState {
    const state = this.state();
    const bands = this.shape.bands;
    [this.fusedQ, this.msQ, this.high, this.low] = [pairSums(bands), pairSums(bands), zeroSums(bands), zeroSums(bands)];
    this.q2nSum = 0;
    this.q2nCount = 0;
    this.dropped = { dLambdaBlocks: 0, dSBlocks: 0, dLambdaKBlocks: 0 };
    return state;
  }

  /** Adds the sums of tiles accumulated elsewhere (same image; the tiles must be disjoint from this one's). */
  merge(other: FullResolutionState): void {
    if (other.bands !== this.shape.bands) throw new Error(`full-resolution state of ${other.bands} bands merged into one of ${this.shape.bands}`);
    addSums(this.fusedQ, other.fusedQ, 'fusedQ');
    addSums(this.msQ, other.msQ, 'msQ');
    addSums(this.high, other.high, 'high');
    addSums(this.low, other.low, 'low');
    this.q2nSum += other.q2nSum;
    this.q2nCount += other.q2nCount;
    this.dropped.dLambdaBlocks += other.dropped.dLambdaBlocks;
    this.dropped.dSBlocks += other.dropped.dSBlocks;
    this.dropped.dLambdaKBlocks += other.dropped.dLambdaKBlocks;
  }

  add(tile: FullResolutionTile): void {
    const core = this.check(tile);
    const { fused, msExp, pan, panLp, read } = tile;
    // D_λ and D_s: block Q over the core's blocks, with each index's own NaN rule (as the whole-array functions,
    // d-lambda.ts addInterBandQ and d-s.ts addDsSums, whose block sums these are); each band is centred once for both.
    const plane = read.width * read.height;
    const centre = (img: BandBlock<Float64Array>, b: number) =>
      centreBlocks(img.data.subarray(b * plane, (b + 1) * plane), read.width, read.height, BLOCK, core);
    const cf = Array.from({ length: fused.bands }, (_, b) => centre(fused, b));
    const ce = Array.from({ length: msExp.bands }, (_, b) => centre(msExp, b));
    const spectral = invalidMask(fused, msExp);
    const vl = validBlocks(spectral, read.width, read.height, BLOCK, core);
    for (let i = 0, k = 0; i < fused.bands; i++) {
      for (let j = i + 1; j < fused.bands; j++, k++) {
        blockQSum(cf[i]!, cf[j]!, vl, this.fusedQ[k]!);
        blockQSum(ce[i]!, ce[j]!, vl, this.msQ[k]!);
      }
    }
    this.dropped.dLambdaBlocks += countInvalid(vl);
    // D_s's mask = D_λ's plus the PAN's (fused and msExp are scanned once).
    const vs = validBlocks(unionMask(spectral, invalidMask(pan, panLp)), read.width, read.height, BLOCK, core);
    const cp = centre(pan, 0);
    const cpl = centre(panLp, 0);
    for (let b = 0; b < fused.bands; b++) {
      blockQSum(cf[b]!, cp, vs, this.high[b]!);
      blockQSum(ce[b]!, cpl, vs, this.low[b]!);
    }
    this.dropped.dSBlocks += countInvalid(vs);
    // D_λ,K: Q2n(msExp, MTF(fused)) over the core; the filter reads the halo and is evaluated on the core only.
    const { width: cw, height: ch } = core;
    const filtered: BandBlock<Float64Array> = { bands: fused.bands, width: cw, height: ch, data: new Float64Array(fused.bands * cw * ch) };
    for (let b = 0; b < fused.bands; b++) {
      correlateRegion(
        fused.data.subarray(b * plane, (b + 1) * plane),
        read.width,
        read.height,
        this.kernels[b]!,
        core,
        filtered.data.subarray(b * cw * ch, (b + 1) * cw * ch),
      );
    }
    const ref = cropBlock(msExp, core);
    const at = { rowOff: tile.core.rowOff, colOff: tile.core.colOff, imageWidth: this.shape.width, imageHeight: this.shape.height };
    for (let r0 = tile.core.rowOff; r0 < tile.core.rowOff + ch; r0 += BLOCK) {
      for (let c0 = tile.core.colOff; c0 < tile.core.colOff + cw; c0 += BLOCK) {
        if (this.q2nKernel.load(ref, filtered, r0, c0, BLOCK, at)) {
          this.q2nSum += this.q2nKernel.blockValue();
          this.q2nCount++;
        } else {
          this.dropped.dLambdaKBlocks++;
        }
      }
    }
  }

  result(): FullResolutionResult {
    const dl = dLambdaFromSums(this.fusedQ, this.msQ, 1);
    const ds = dsFromSums(this.high, this.low, 1);
    const dlk = 1 - (this.q2nCount ? this.q2nSum / this.q2nCount : NaN);
    return { D_lambda: dl, D_s: ds, QNR: qnr(dl, ds), D_lambda_K: dlk, HQNR: hqnr(dlk, ds), excluded: { ...this.dropped } };
  }

  /** Tile geometry: a violation is a tiling bug (plain Error). Returns the core in tile coordinates. */
  private check(tile: FullResolutionTile): PixelWindow {
    const { core, read } = tile;
    const { width, height, bands } = this.shape;
    if (core.rowOff % BLOCK || core.colOff % BLOCK || core.width % BLOCK || core.height % BLOCK) {
      throw new Error(`full-resolution tile core ${JSON.stringify(core)} is not on the ${BLOCK}-px block grid`);
    }
    const h = this.haloPx;
    const need = clampWindow(expandWindow(core, h), width, height);
    if (!containsWindow(rasterWindow(width, height), read) || !need || !containsWindow(read, need)) {
      // Where the read window stops inside the image, the filter's replicated border must stay ≥ the halo from the core.
      throw new Error(
        `full-resolution tile read window ${JSON.stringify(read)} must cover core ${JSON.stringify(core)} plus ${h} px, clipped to the ${height}×${width} image`,
      );
    }
    for (const [name, b, nb] of [
      ['fused', tile.fused, bands],
      ['msExp', tile.msExp, bands],
      ['pan', tile.pan, 1],
      ['panLp', tile.panLp, 1],
    ] as const) {
      if (b.bands !== nb || b.width !== read.width || b.height !== read.height) {
        throw new Error(`full-resolution tile ${name} is ${b.bands}×${b.height}×${b.width}, expected ${nb}×${read.height}×${read.width}`);
      }
    }
    return windowRelativeTo(core, read);
  }
}
