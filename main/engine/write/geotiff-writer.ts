/**
 * @module main/engine/write/geotiff-writer
 * Streams blocks into a tiled, compressed GeoTIFF at a temporary name, then commits it: a plain GTiff is renamed
 * into place; a COG is made by CreateCopy from the temporary GTiff (COG is a create-copy format) with overviews.
 * `abort()` removes every temporary file; a target is never left half-written. Before the rename the file is
 * read back and compared, band by band, with a hash of what was written (content-hash.ts): GDAL does not report a
 * failed flush (disk full, I/O error), so this is what keeps a truncated file from ever taking the target's name.
 */
import { renameSync, rmSync } from 'node:fs';
import { OutputError } from '../errors.ts';
import { createGeoTiff } from '../io/create-geotiff.ts';
import { gdal, type Dataset } from '../io/gdal.ts';
import type { BandBlock } from '../raster/band-block.ts';
import type { GeoTransform } from '../raster/geo-transform.ts';
import type { PixelWindow } from '../raster/pixel-window.ts';
import { mergeCreationOptions } from './creation-options.ts';
import { hashDataset, hashWindow } from './content-hash.ts';
import { checkOutputPath, partialPathFor, writeFailure } from './output-path.ts';

export type OutputDataType = 'Byte' | 'UInt16' | 'Int16' | 'UInt32' | 'Int32' | 'Float32';
export type Compression = 'DEFLATE' | 'ZSTD' | 'LZW' | 'NONE';

export interface GeoTiffOptions {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly bandDescriptions: readonly string[];
  readonly dataType: OutputDataType;
  readonly geoTransform: GeoTransform;
  readonly crsWkt: string;
  readonly noData: number | null;
  /** [default 'ZSTD'] */
  readonly compression?: Compression;
  /** Write a Cloud Optimized GeoTIFF with overviews [default false]. */
  readonly cog?: boolean;
  /** GDAL creation options (`KEY=VALUE`) overriding the defaults, for the final format (GTiff, or COG with `cog`). */
  readonly creationOptions?: readonly string[];
  readonly overwrite?: boolean;
  /** Dataset metadata (method, model, inputs, software, date). */
  readonly metadata?: Readonly<Record<string, string>>;
}

const TYPE_RANGE: Record<OutputDataType, [number, number] | null> = {
  Byte: [0, 255],
  UInt16: [0, 65535],
  Int16: [-32768, 32767],
  UInt32: [0, 4294967295],
  Int32: [-2147483648, 2147483647],
  Float32: null,
};

function creationOptions(compression: Compression, dataType: OutputDataType): string[] {
  const options = ['TILED=YES', 'BLOCKXSIZE=256', 'BLOCKYSIZE=256', 'BIGTIFF=IF_SAFER', `COMPRESS=${compression}`];
  if (compression !== 'NONE') options.push(`PREDICTOR=${dataType === 'Float32' ? 3 : 2}`);
  return options;
}

/** GDAL's STATISTICS_VALID_PERCENT: set by ComputeStatistics on the band (100 when GDAL did not say). */
function validPercent(band: { getMetadata(): Record<string, string> }): number {
  const v = Number(band.getMetadata().STATISTICS_VALID_PERCENT);
  return Number.isFinite(v) ? v : 100;
}

export class GeoTiffWriter {
  private clampedCount = 0;
  private closed = false;
  /** Per band, the content hash of every block handed to GDAL. */
  private readonly writtenHashes: number[];
  /** Output windows written (band 1), to account for pixels never written, which read back as nodata (or 0). */
  private readonly writtenWindows: PixelWindow[] = [];

  private constructor(
    readonly options: GeoTiffOptions,
    private readonly dataset: Dataset,
    private readonly partialPath: string,
  ) {
    this.writtenHashes = options.bandDescriptions.map(() => 0);
  }

  /** Pixels whose value was clamped into the output type's range (or non-finite and written as nodata/0). */
  get clampedPixels(): number {
    return this.clampedCount;
  }

  static async create(options: GeoTiffOptions): Promise<GeoTiffWriter> {
    checkOutputPath(options.path, options.overwrite ?? false);
    const partialPath = partialPathFor(options.path);
    rmSync(partialPath, { force: true }); // our own name (this pid): a leftover of an earlier writer in this process
    const compression = options.compression ?? 'ZSTD';
    let dataset: Dataset;
    try {
      dataset = await createGeoTiff({
        path: partialPath,
        width: options.width,
        height: options.height,
        bandDescriptions: options.bandDescriptions,
        dataType: options.dataType,
        geoTransform: options.geoTransform,
        crsWkt: options.crsWkt,
        noData: options.noData,
        creationOptions: options.cog
          ? creationOptions(compression, options.dataType)
          : mergeCreationOptions(creationOptions(compression, options.dataType), options.creationOptions ?? [], 'GTiff'),
        ...(options.metadata ? { metadata: options.metadata } : {}),
      });
    } catch (err) {
      rmSync(partialPath, { force: true });
      const failure = writeFailure(partialPath, err);
      throw new OutputError(failure.code === 'disk-full' ? 'disk-full' : 'create-failed', failure.message.replace(/^cannot write/, 'cannot create'), {
        ...failure.details,
        path: options.path,
      });
    }
    return new GeoTiffWriter(options, dataset, partialPath);
  }

  /** Writes a band-major Float32 block at `window` (output pixel coordinates), clamping to the output type. */
  async write(window: PixelWindow, block: BandBlock): Promise<void> {
    const range = TYPE_RANGE[this.options.dataType];
    const plane = window.width * window.height;
    const noData = this.options.noData;
    for (let b = 0; b < block.bands; b++) {
      const src = block.data.subarray(b * plane, (b + 1) * plane);
      let out: Float32Array | Uint16Array | Int16Array | Uint8Array | Uint32Array | Int32Array;
      if (range === null) {
        out = src;
      } else {
        out =
          this.options.dataType === 'UInt16'
            ? new Uint16Array(plane)
            : this.options.dataType === 'Int16'
              ? new Int16Array(plane)
              : this.options.dataType === 'Byte'
                ? new Uint8Array(plane)
                : this.options.dataType === 'UInt32'
                  ? new Uint32Array(plane)
                  : new Int32Array(plane);
        const [lo, hi] = range;
        for (let i = 0; i < plane; i++) {
          const v = src[i]!;
          if (noData !== null && v === noData) {
            out[i] = noData;
            continue;
          }
          if (!Number.isFinite(v)) {
            this.clampedCount++;
            out[i] = noData ?? 0;
            continue;
          }
          const r = Math.round(v);
          if (r < lo) {
            out[i] = lo;
            this.clampedCount++;
          } else if (r > hi) {
            out[i] = hi;
            this.clampedCount++;
          } else out[i] = r;
        }
      }
      if (b === 0) this.writtenWindows.push(window);
      this.writtenHashes[b] = hashWindow(this.writtenHashes[b]!, window.colOff, window.rowOff, window.width, window.height, out);
      try {
        await this.dataset.bands.get(b + 1).pixels.writeAsync(window.colOff, window.rowOff, window.width, window.height, out);
      } catch (err) {
        throw writeFailure(this.options.path, err);
      }
    }
  }

  /** Adds or replaces metadata items (default domain) before commit, e.g. provenance known only at the end. */
  updateMetadata(items: Record<string, string>): void {
    if (this.closed) throw new Error('GeoTiffWriter already closed');
    this.dataset.setMetadata({ ...this.dataset.getMetadata(), ...items });
  }

  /**
   * Exact per-band statistics as STATISTICS_* band metadata (what gdalinfo -stats and QGIS read first), written
   * into the file itself: PAM side files are off (io/gdal.ts). Nodata pixels are left out by GDAL.
   */
  async storeBandStatistics(): Promise<void> {
    if (this.closed) throw new Error('GeoTiffWriter already closed');
    try {
      await this.computeBandStatistics();
    } catch (err) {
      // Statistics read the partial file back: a failure there is a write that did not land (EFBIG, ENOSPC, EIO).
      throw err instanceof OutputError ? err : writeFailure(this.options.path, err);
    }
  }

  private async computeBandStatistics(): Promise<void> {
    await this.dataset.flushAsync();
    for (let b = 1; b <= this.dataset.bands.count(); b++) {
      const band = this.dataset.bands.get(b);
      const s = (await band.computeStatisticsAsync(false)) as { min: number; max: number; mean: number; std_dev: number };
      band.setMetadata({
        ...band.getMetadata(),
        STATISTICS_MINIMUM: String(s.min),
        STATISTICS_MAXIMUM: String(s.max),
        STATISTICS_MEAN: String(s.mean),
        STATISTICS_STDDEV: String(s.std_dev),
        STATISTICS_VALID_PERCENT: String(validPercent(band)),
      });
    }
  }

  /** The hashes the file should have: what was written, plus nodata (or 0) wherever nothing was. */
  private expectedHashes(): number[] {
    const { width, height } = this.options;
    const written = this.writtenWindows.reduce((n, w) => n + w.width * w.height, 0);
    if (written >= width * height) return this.writtenHashes;
    const covered = new Uint8Array(width * height);
    for (const w of this.writtenWindows)
      for (let r = 0; r < w.height; r++) covered.fill(1, (w.rowOff + r) * width + w.colOff, (w.rowOff + r) * width + w.colOff + w.width);
    const fill = this.options.dataType === 'Float32' ? new Float32Array(1) : new Float64Array(1);
    fill[0] = this.options.noData ?? 0;
    const one = this.options.dataType === 'Float32' ? fill : Int32Array.from([fill[0]]);
    return this.writtenHashes.map((h) => {
      let sum = h;
      for (let i = 0; i < covered.length; i++) if (!covered[i]) sum = hashWindow(sum, i % width, Math.floor(i / width), 1, 1, one);
      return sum;
    });
  }

  /** The file about to take the target's name must hold exactly what was written. */
  private async verify(path: string): Promise<void> {
    const ds = await gdal.openAsync(path);
    try {
      const got = await hashDataset(ds, this.options.dataType);
      const expected = this.expectedHashes();
      const bad = got.findIndex((h, i) => h !== expected[i]);
      if (got.length !== expected.length || bad >= 0) {
        throw new Error(`the file on disk does not hold what was written (band ${bad + 1} differs when read back)`);
      }
    } finally {
      ds.close();
    }
  }

  /** Flushes, converts to COG if asked, reads the result back, and renames it into place. */
  async commit(): Promise<void> {
    if (this.closed) throw new Error('GeoTiffWriter already closed');
    this.closed = true;
    const target = this.options.path;
    const cogPartial = partialPathFor(target, 'partial-cog');
    try {
      await this.dataset.flushAsync();
      if (this.options.cog) {
        const compression = this.options.compression ?? 'ZSTD';
        const cogOptions = [`COMPRESS=${compression}`, 'OVERVIEWS=AUTO', 'BIGTIFF=IF_SAFER', 'BLOCKSIZE=512'];
        if (compression !== 'NONE') cogOptions.push(`PREDICTOR=${this.options.dataType === 'Float32' ? 'FLOATING_POINT' : 'STANDARD'}`);
        const cog = await gdal.drivers
          .get('COG')
          .createCopyAsync(cogPartial, this.dataset, mergeCreationOptions(cogOptions, this.options.creationOptions ?? [], 'COG'));
        cog.close();
        this.dataset.close();
        rmSync(this.partialPath, { force: true });
        await this.verify(cogPartial);
        renameSync(cogPartial, target);
      } else {
        this.dataset.close();
        await this.verify(this.partialPath);
        renameSync(this.partialPath, target);
      }
    } catch (err) {
      rmSync(this.partialPath, { force: true });
      rmSync(cogPartial, { force: true });
      throw err instanceof OutputError ? err : writeFailure(target, err);
    }
  }

  /** Discards everything written (cancel, error). Safe to call more than once. */
  abort(): void {
    if (!this.closed) {
      this.closed = true;
      try {
        this.dataset.close();
      } catch {
        // Closing a dataset mid-failure may itself fail; the files are removed below regardless.
      }
    }
    rmSync(this.partialPath, { force: true });
    rmSync(partialPathFor(this.options.path, 'partial-cog'), { force: true });
  }
}
