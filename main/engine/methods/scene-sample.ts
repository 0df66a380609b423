/**
 * @module main/engine/methods/scene-sample
 * A bounded-size look at the whole scene for global statistics (means, deviations, regression weights, the data
 * maximum): a grid of at most `maxSidePx` cells per side over the MS region. Each cell takes the MS pixel at its
 * centre (nearest), the mean of the PAN pixels it covers (PAN at MS resolution) and the PAN pixel at its centre.
 * Every value comes from full-resolution pixels that we decimate ourselves, row by row: a reduced-size GDAL read
 * would be served from the file's overviews when it has them, and the statistics (so the output) would then
 * depend on how the input is stored. For scenes whose MS fits the grid the MS sample is every pixel. Memory stays
 * bounded whatever the scene size: one PAN strip of a cell's height at a time.
 */
import { InputError } from '../errors.ts';
import type { Scene } from '../io/open-scene.ts';
import { createBlock, type BandBlock } from '../raster/band-block.ts';
import type { RasterBand } from '../io/gdal.ts';
export interface SceneSample {
  /** MS DNs; NaN where nodata. */
  readonly ms: BandBlock;
  /** PAN DNs averaged onto the MS sample grid (PAN at MS resolution); NaN where nodata. */
  readonly panLow: BandBlock;
  /** PAN DNs sampled (nearest) on the same grid: unbiased for full-resolution PAN statistics. */
  readonly panPoints: BandBlock;
  /** Largest valid DN seen in PAN or MS. */
  readonly maxValue: number;
  /** Pixels of the sample valid in PAN and in every MS band. */
  readonly validCount: number;
}

/** The sample's cells: cell j covers MS columns [colEdge[j], colEdge[j+1]) of the region (at least one); likewise rows. */
interface SampleGrid {
  readonly width: number;
  readonly height: number;
  readonly colEdge: readonly number[];
  readonly rowEdge: readonly number[];
}

export async function readSceneSample(scene: Scene, maxSidePx = 512): Promise<SceneSample> {
  const { msRegion } = scene;
  const scale = Math.max(1, Math.max(msRegion.width, msRegion.height) / maxSidePx);
  const width = Math.max(1, Math.round(msRegion.width / scale));
  const height = Math.max(1, Math.round(msRegion.height / scale));
  const grid: SampleGrid = {
    width,
    height,
    colEdge: Array.from({ length: width + 1 }, (_, j) => Math.floor((j * msRegion.width) / width)),
    rowEdge: Array.from({ length: height + 1 }, (_, i) => Math.floor((i * msRegion.height) / height)),
  };
  const ms = createBlock(scene.bandCount, width, height);
  const panLow = createBlock(1, width, height);
  const panPoints = createBlock(1, width, height);
  await samplePan(scene, grid, panLow, panPoints);
  await sampleMs(scene, grid, ms);
  const { maxValue, validCount } = validRange(scene.bandCount, ms, panLow);
  if (validCount === 0) {
    throw new InputError('all-nodata', `no valid pixels: every sampled pixel is nodata in PAN ${scene.pan.path} or in MS ${scene.ms.path}`, {
      panPath: scene.pan.path,
      msPath: scene.ms.path,
    });
  }
  return { ms, panLow, panPoints, maxValue, validCount };
}

/** Index of the pixel at the centre of cell k of `cells` over `size` pixels. */
function centre(k: number, cells: number, size: number): number {
  return Math.min(size - 1, Math.floor(((k + 0.5) * size) / cells));
}

async function readFullResolution(band: RasterBand, colOff: number, rowOff: number, w: number, h: number, path: string): Promise<Float32Array> {
  const buf = new Float32Array(w * h);
  try {
    // Window and buffer of the same size: full-resolution pixels, never an overview.
    await band.pixels.readAsync(colOff, rowOff, w, h, buf, { data_type: 'Float32' });
  } catch (err) {
    throw new InputError('read-failed', `cannot read ${path}: ${err instanceof Error ? err.message.trim() : String(err)} (truncated or corrupt file?)`, {
      path,
    });
  }
  return buf;
}

function noDataTest(band: RasterBand): (v: number) => boolean {
  const nd = band.noDataValue;
  const ndf = nd === null ? null : Math.fround(nd);
  return (v: number) => Number.isNaN(v) || (ndf !== null && v === ndf);
}

/** Fills panLow (mean of each cell's valid PAN pixels) and panPoints (PAN at each cell's centre), row by row. */
async function samplePan(scene: Scene, grid: SampleGrid, panLow: BandBlock, panPoints: BandBlock): Promise<void> {
  const { region, ratio } = scene;
  const { width, height, colEdge, rowEdge } = grid;
  const panBand = scene.panDataset.bands.get(1);
  const panInvalid = noDataTest(panBand);
  for (let i = 0; i < height; i++) {
    // PAN mean over the cell's PAN rows: one strip, full region width.
    const r0 = rowEdge[i]! * ratio;
    const r1 = Math.max(rowEdge[i + 1]!, rowEdge[i]! + 1) * ratio;
    const strip = await readFullResolution(panBand, region.colOff, region.rowOff + r0, region.width, r1 - r0, scene.pan.path);
    for (let j = 0; j < width; j++) {
      const c0 = colEdge[j]! * ratio;
      const c1 = Math.max(colEdge[j + 1]!, colEdge[j]! + 1) * ratio;
      let sum = 0;
      let n = 0;
      for (let r = 0; r < r1 - r0; r++) {
        const base = r * region.width;
        for (let c = c0; c < c1; c++) {
          const v = strip[base + c]!;
          if (!panInvalid(v)) {
            sum += v;
            n++;
          }
        }
      }
      panLow.data[i * width + j] = n > 0 ? sum / n : NaN;
    }
    const pointRow = await readFullResolution(panBand, region.colOff, region.rowOff + centre(i, height, region.height), region.width, 1, scene.pan.path);
    for (let j = 0; j < width; j++) {
      const v = pointRow[centre(j, width, region.width)]!;
      panPoints.data[i * width + j] = panInvalid(v) ? NaN : v;
    }
  }
}

/** Fills ms with each band's pixel at each cell's centre. */
async function sampleMs(scene: Scene, grid: SampleGrid, ms: BandBlock): Promise<void> {
  const { msRegion } = scene;
  const { width, height } = grid;
  const plane = width * height;
  for (let b = 0; b < scene.bandCount; b++) {
    const band = scene.msDataset.bands.get(b + 1);
    const invalid = noDataTest(band);
    for (let i = 0; i < height; i++) {
      const row = await readFullResolution(band, msRegion.colOff, msRegion.rowOff + centre(i, height, msRegion.height), msRegion.width, 1, scene.ms.path);
      for (let j = 0; j < width; j++) {
        const v = row[centre(j, width, msRegion.width)]!;
        ms.data[b * plane + i * width + j] = invalid(v) ? NaN : v;
      }
    }
  }
}

/** Cells valid in PAN and every MS band, and the largest value among them. */
function validRange(bandCount: number, ms: BandBlock, panLow: BandBlock): { maxValue: number; validCount: number } {
  const plane = panLow.width * panLow.height;
  let maxValue = -Infinity;
  let validCount = 0;
  for (let i = 0; i < plane; i++) {
    let valid = !Number.isNaN(panLow.data[i]!);
    let m = panLow.data[i]!;
    for (let b = 0; b < bandCount && valid; b++) {
      const v = ms.data[b * plane + i]!;
      if (Number.isNaN(v)) valid = false;
      else if (v > m) m = v;
    }
    if (valid) {
      validCount++;
      if (m > maxValue) maxValue = m;
    }
  }
  return { maxValue, validCount };
}
