/**
 * @module main/engine/metrics/accumulators
 * Streaming forms of the reduced-resolution indices: feed the tiles of an image pair, get the whole-image value.
 * Tiles partition the image into *cores*; each tile's data covers its core grown by the accumulator's `haloPx`
 * (clipped at the image edges). Each accumulator sums exactly what the whole-array function sums, so the result
 * equals it up to summation order (≈1e-15 relative; the tests hold tiled == whole to 1e-12):
 *
 * | index | state kept | halo | why |
 * | --- | --- | --- | --- |
 * | SAM | Σ angle, count | 0 | per-pixel |
 * | ERGAS | per band Σ(r−f)², Σr, count | 0 | per-pixel sums |
 * | PSNR | Σ(r−f)², count | 0 | per-pixel sums |
 * | SCC | ΣFG, ΣF², ΣG² | 1 | 3×3 Sobel; the image's crop-then-zero-pad border is placed from the tile's position |
 * | Q (sliding UIQI) | per band Σ value, count | 31 | a window is owned by the tile holding its top-left pixel |
 * | Q2n | Σ block value, count | 0 or 32 | a block is owned by the tile holding its top-left pixel; 0 when the image sides are multiples of 32 and cores are 32-aligned, else 32 (blocks spill over cores, and the mirrored padding of a partial last block reads up to 30 px above/left of it) |
 *
 * None needs the whole image in memory; every state is O(bands). Each accumulator also counts what the NaN rule
 * (valid-pixels.ts) left out: pixels (SAM/ERGAS/PSNR), Q2n blocks or Q windows. Every state is a set of sums, so
 * disjoint tiles can be accumulated apart (worker threads): `state()` hands out plain numbers, `merge()` adds them.
 */
import type { BandBlock } from '../raster/band-block.ts';
import { clampWindow, containsWindow, expandWindow, intersectWindows, type PixelWindow, rasterWindow, windowRelativeTo } from '../raster/pixel-window.ts';
import { addErgasSums, createErgasSums, ergasFromSums } from './ergas.ts';
import { addSquaredError, psnrFromSum, psnrPeak, type SquaredErrorSum } from './psnr.ts';
import { Q2nBlockKernel } from './q2n.ts';
import { UIQI_WINDOW, uiqiBandSum, type UiqiSum } from './q-index.ts';
import type { ReducedResolutionIndices } from './reduced-resolution.ts';
import { type AngleSum, samFromSum, samSum } from './sam.ts';
import { addSccSums, sccFromSums, type SccSums } from './scc.ts';
import { countMasked, invalidMask } from './valid-pixels.ts';

/** Bands and size of the full image pair. */
export interface ImageShape {
  readonly bands: number;
  readonly width: number;
  readonly height: number;
}

/** One tile of a reference/fused pair. */
export interface MetricTile {
  /** The tile's own pixels, in full-image coordinates; the cores of all tiles partition the image. */
  readonly core: PixelWindow;
  /** The window `ref` and `fused` cover: the core grown by the halo and clipped to the image. */
  readonly read: PixelWindow;
  readonly ref: BandBlock<Float64Array>;
  readonly fused: BandBlock<Float64Array>;
}

/** One accumulator's partial sums and its count of left-out items; plain numbers (they cross worker threads). */
export interface PartialSums {
  readonly sums: readonly number[];
  readonly dropped: number;
}

export interface IndexAccumulator<R = number> {
  readonly index: string;
  /** Halo each tile must carry on every side, clipped at the image edges. */
  readonly haloPx: number;
  add(tile: MetricTile): void;
  /** The index over everything added so far (call once all tiles are in). */
  result(): R;
  /** What the NaN rule left out so far: pixels, Q2n blocks or Q windows (see each index). */
  excluded(): number;
}

/** Checks a tile against the image and the halo it must carry; a violation is a tiling bug (plain Error). */
function checkTile(tile: MetricTile, shape: ImageShape, haloPx: number, index: string): PixelWindow {
  const { core, read, ref, fused } = tile;
  for (const [name, b] of [
    ['ref', ref],
    ['fused', fused],
  ] as const) {
    if (b.bands !== shape.bands || b.width !== read.width || b.height !== read.height) {
      throw new Error(`${index}: tile ${name} is ${b.bands}×${b.height}×${b.width}, expected ${shape.bands}×${read.height}×${read.width} (its read window)`);
    }
  }
  const need = clampWindow(expandWindow(core, haloPx), shape.width, shape.height);
  if (!need || !containsWindow(read, need)) {
    throw new Error(
      `${index}: tile read window ${JSON.stringify(read)} does not cover core ${JSON.stringify(core)} plus a ${haloPx}-px halo (clipped to ${shape.height}×${shape.width})`,
    );
  }
  if (!containsWindow(rasterWindow(shape.width, shape.height), read)) {
    throw new Error(`${index}: tile read window ${JSON.stringify(read)} leaves the ${shape.height}×${shape.width} image`);
  }
  return windowRelativeTo(core, read);
}

abstract class TileAccumulator<R = number> implements IndexAccumulator<R> {
  abstract readonly index: string;
  abstract readonly haloPx: number;
  protected dropped = 0;
  constructor(protected readonly shape: ImageShape) {}

  /** The sums so far, flattened in a fixed order. */
  protected abstract sums(): number[];
  /** Replaces the sums (same order as `sums()`). */
  protected abstract setSums(values: readonly number[]): void;

  /** A copy of the partial sums so far. */
  state(): PartialSums {
    return { sums: this.sums(), dropped: this.dropped };
  }

  /** Adds the sums of disjoint tiles accumulated elsewhere on the same image. */
  merge(other: PartialSums): void {
    const own = this.sums();
    if (other.sums.length !== own.length) throw new Error(`${this.index}: merging ${other.sums.length} sums into ${own.length}`);
    this.setSums(own.map((v, i) => v + other.sums[i]!));
    this.dropped += other.dropped;
  }

  /** Back to no tiles. */
  reset(): void {
    this.setSums(this.sums().map(() => 0));
    this.dropped = 0;
  }

  add(tile: MetricTile): void {
    this.addChecked(tile, checkTile(tile, this.shape, this.haloPx, this.index), invalidMask(tile.ref, tile.fused));
  }

  /** `core` in the tile's own coordinates; `mask` over the whole tile (null: all valid). */
  abstract addChecked(tile: MetricTile, core: PixelWindow, mask: Uint8Array | null): void;
  abstract result(): R;
  excluded(): number {
    return this.dropped;
  }
}

export class SamAccumulator extends TileAccumulator {
  readonly index = 'SAM';
  readonly haloPx = 0;
  private readonly acc: AngleSum = { sum: 0, count: 0, dropped: 0 };
  protected sums(): number[] {
    return [this.acc.sum, this.acc.count, this.acc.dropped];
  }
  protected setSums([sum, count, dropped]: readonly number[]): void {
    Object.assign(this.acc, { sum, count, dropped });
  }
  addChecked(tile: MetricTile, core: PixelWindow, mask: Uint8Array | null): void {
    samSum(tile.ref, tile.fused, this.acc, core);
    this.dropped += countMasked(mask, tile.read.width, core);
  }
  result(): number {
    return samFromSum(this.acc);
  }
}

export class ErgasAccumulator extends TileAccumulator {
  readonly index = 'ERGAS';
  readonly haloPx = 0;
  private readonly ergas;
  constructor(
    shape: ImageShape,
    private readonly ratio = 4,
  ) {
    super(shape);
    this.ergas = createErgasSums(shape.bands);
  }
  protected sums(): number[] {
    return [...this.ergas.sqErr, ...this.ergas.refSum, this.ergas.count];
  }
  protected setSums(values: readonly number[]): void {
    const n = this.shape.bands;
    this.ergas.sqErr.set(values.slice(0, n));
    this.ergas.refSum.set(values.slice(n, 2 * n));
    this.ergas.count = values[2 * n]!;
  }
  addChecked(tile: MetricTile, core: PixelWindow, mask: Uint8Array | null): void {
    addErgasSums(tile.ref, tile.fused, mask, this.ergas, core);
    this.dropped += countMasked(mask, tile.read.width, core);
  }
  result(): number {
    return ergasFromSums(this.ergas, this.ratio);
  }
}

export class PsnrAccumulator extends TileAccumulator {
  readonly index = 'PSNR';
  readonly haloPx = 0;
  private readonly acc: SquaredErrorSum = { sum: 0, count: 0 };
  constructor(
    shape: ImageShape,
    private readonly bitDepth: number,
  ) {
    super(shape);
    psnrPeak(bitDepth);
  }
  protected sums(): number[] {
    return [this.acc.sum, this.acc.count];
  }
  protected setSums([sum, count]: readonly number[]): void {
    Object.assign(this.acc, { sum, count });
  }
  addChecked(tile: MetricTile, core: PixelWindow, mask: Uint8Array | null): void {
    addSquaredError(tile.ref, tile.fused, mask, this.acc, core);
    this.dropped += countMasked(mask, tile.read.width, core);
  }
  result(): number {
    return psnrFromSum(this.acc, this.bitDepth);
  }
}

export class SccAccumulator extends TileAccumulator {
  readonly index = 'SCC';
  readonly haloPx = 1;
  private readonly scc: SccSums = { fg: 0, ff: 0, gg: 0 };
  protected sums(): number[] {
    return [this.scc.fg, this.scc.ff, this.scc.gg];
  }
  protected setSums([fg, ff, gg]: readonly number[]): void {
    Object.assign(this.scc, { fg, ff, gg });
  }
  addChecked(tile: MetricTile, core: PixelWindow, mask: Uint8Array | null): void {
    const { read } = tile;
    const { width, height } = this.shape;
    // The whole image's cropped extent [1, H−1) × [1, W−1), in tile coordinates and clipped to the tile.
    const interior = { colOff: 1, rowOff: 1, width: width - 2, height: height - 2 };
    const crop = clampWindow(windowRelativeTo(interior, read), read.width, read.height);
    const out = crop && intersectWindows(core, crop);
    // No core pixel inside the cropped image: nothing to add.
    if (crop && out) addSccSums(tile.fused, tile.ref, crop, out, mask, this.scc);
  }
  result(): number {
    return sccFromSums(this.scc);
  }
}

export class QAccumulator extends TileAccumulator {
  readonly index = 'Q';
  readonly haloPx = UIQI_WINDOW - 1;
  private readonly perBand: UiqiSum[];
  constructor(shape: ImageShape) {
    super(shape);
    this.perBand = Array.from({ length: shape.bands }, () => ({ sum: 0, count: 0, dropped: 0 }));
  }
  protected sums(): number[] {
    return this.perBand.flatMap((b) => [b.sum, b.count, b.dropped]);
  }
  protected setSums(values: readonly number[]): void {
    this.perBand.forEach((b, i) => Object.assign(b, { sum: values[3 * i]!, count: values[3 * i + 1]!, dropped: values[3 * i + 2]! }));
  }
  addChecked(tile: MetricTile, core: PixelWindow, mask: Uint8Array | null): void {
    const { read } = tile;
    // Window top-left corners in the core that are valid positions of the whole image; none: nothing to add.
    const valid = { colOff: 0, rowOff: 0, width: this.shape.width - UIQI_WINDOW + 1, height: this.shape.height - UIQI_WINDOW + 1 };
    const positions = intersectWindows(core, windowRelativeTo(valid, read));
    if (!positions) return;
    const plane = read.width * read.height;
    for (let b = 0; b < this.shape.bands; b++) {
      const acc = this.perBand[b]!;
      const before = acc.dropped;
      uiqiBandSum(
        tile.ref.data.subarray(b * plane, (b + 1) * plane),
        tile.fused.data.subarray(b * plane, (b + 1) * plane),
        read.width,
        read.height,
        mask,
        acc,
        positions,
      );
      if (b === 0) this.dropped += acc.dropped - before;
    }
  }
  result(): number {
    let total = 0;
    for (const acc of this.perBand) total += acc.count ? acc.sum / acc.count : NaN;
    return total / this.shape.bands;
  }
}

export class Q2nAccumulator extends TileAccumulator {
  readonly index = 'Q2n';
  readonly haloPx: number;
  private readonly kernel: Q2nBlockKernel;
  private sum = 0;
  private count = 0;
  constructor(
    shape: ImageShape,
    private readonly blockSize = 32,
  ) {
    super(shape);
    this.haloPx = shape.width % blockSize || shape.height % blockSize ? blockSize : 0;
    this.kernel = new Q2nBlockKernel(shape.bands, blockSize);
  }
  protected sums(): number[] {
    return [this.sum, this.count];
  }
  protected setSums([sum, count]: readonly number[]): void {
    [this.sum, this.count] = [sum!, count!];
  }
  addChecked(tile: MetricTile, _core: PixelWindow, _mask: Uint8Array | null): void {
    const { core, read } = tile;
    const bs = this.blockSize;
    const at = { rowOff: read.rowOff, colOff: read.colOff, imageWidth: this.shape.width, imageHeight: this.shape.height };
    // Blocks (on the image's grid of step bs) whose top-left pixel lies in the core.
    for (let r0 = Math.ceil(core.rowOff / bs) * bs; r0 < core.rowOff + core.height; r0 += bs) {
      for (let c0 = Math.ceil(core.colOff / bs) * bs; c0 < core.colOff + core.width; c0 += bs) {
        if (this.kernel.load(tile.ref, tile.fused, r0, c0, bs, at)) {
          this.sum += this.kernel.blockValue();
          this.count++;
        } else {
          this.dropped++;
        }
      }
    }
  }
  result(): number {
    return this.count ? this.sum / this.count : NaN;
  }
}

export interface ReducedResolutionAccumulatorOptions {
  /** PAN/MS ratio for ERGAS. Default 4. */
  readonly ratio?: number;
  /** Bit depth for PSNR; PSNR is omitted without it. */
  readonly bitDepth?: number;
}

/** All reduced-resolution indices at once; one NaN mask per tile is shared by all of them. */
export class ReducedResolutionAccumulator implements IndexAccumulator<ReducedResolutionIndices> {
  readonly index = 'reduced-resolution';
  readonly haloPx: number;
  private readonly q2n: Q2nAccumulator;
  private readonly q: QAccumulator;
  private readonly sam: SamAccumulator;
  private readonly ergas: ErgasAccumulator;
  private readonly scc: SccAccumulator;
  private readonly psnr: PsnrAccumulator | undefined;

  constructor(
    private readonly shape: ImageShape,
    options: ReducedResolutionAccumulatorOptions = {},
  ) {
    this.q2n = new Q2nAccumulator(shape);
    this.q = new QAccumulator(shape);
    this.sam = new SamAccumulator(shape);
    this.ergas = new ErgasAccumulator(shape, options.ratio ?? 4);
    this.scc = new SccAccumulator(shape);
    this.psnr = options.bitDepth !== undefined ? new PsnrAccumulator(shape, options.bitDepth) : undefined;
    this.haloPx = Math.max(this.q2n.haloPx, this.q.haloPx, this.scc.haloPx);
  }

  private parts(): TileAccumulator[] {
    return [this.q2n, this.q, this.sam, this.ergas, this.scc, ...(this.psnr ? [this.psnr] : [])];
  }

  add(tile: MetricTile): void {
    const core = checkTile(tile, this.shape, this.haloPx, this.index);
    const mask = invalidMask(tile.ref, tile.fused);
    for (const p of this.parts()) p.addChecked(tile, core, mask);
  }

  result(): ReducedResolutionIndices {
    return {
      Q2n: this.q2n.result(),
      Q: this.q.result(),
      SAM_deg: this.sam.result(),
      ERGAS: this.ergas.result(),
      SCC: this.scc.result(),
      ...(this.psnr ? { PSNR_dB: this.psnr.result() } : {}),
      excluded: { pixels: this.sam.excluded(), q2nBlocks: this.q2n.excluded(), qWindows: this.q.excluded() },
    };
  }

  excluded(): number {
    return this.sam.excluded();
  }

  /** A copy of every index's partial sums so far (plain data: it crosses worker threads). */
  state(): ReducedResolutionState {
    return { bands: this.shape.bands, parts: this.parts().map((p) => p.state()) };
  }

  /** The partial sums so far, and a fresh start (one state per tile, merged in tile order, gives the same bits
   * whichever thread computed which tile). */
  takeState(): ReducedResolutionState {
    const state = this.state();
    for (const p of this.parts()) p.reset();
    return state;
  }

  /** Adds the sums of disjoint tiles accumulated elsewhere on the same image (with the same options). */
  merge(other: ReducedResolutionState): void {
    const parts = this.parts();
    if (other.bands !== this.shape.bands || other.parts.length !== parts.length) {
      throw new Error(
        `reduced-resolution state of ${other.bands} bands and ${other.parts.length} indices merged into one of ${this.shape.bands} bands and ${parts.length} indices`,
      );
    }
    parts.forEach((p, i) => p.merge(other.parts[i]!));
  }
}

/** The partial sums of some tiles: what `ReducedResolutionAccumulator.merge` adds. */
export interface ReducedResolutionState {
  readonly bands: number;
  /** Q2n, Q, SAM, ERGAS, SCC[, PSNR], in that order. */
  readonly parts: readonly PartialSums[];
}
