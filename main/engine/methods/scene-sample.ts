/**
 * @module main/engine/methods/scene-sample
 * A bounded-size look at the whole scene for global statistics (means, deviations, regression weights, the data
 * maximum): the MS region read at up to `maxSidePx` pixels per side and the PAN region averaged down to the same
 * grid. For scenes whose MS fits, the MS sample is exact; PAN is always at MS resolution. Memory stays bounded
 * whatever the scene size.
 */
import { InputError } from '../errors.ts';
import type { Scene } from '../io/open-scene.ts';
import { createBlock, type BandBlock } from '../raster/band-block.ts';

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

export async function readSceneSample(scene: Scene, maxSidePx = 512): Promise<SceneSample> {
  const { msRegion, region } = scene;
  const scale = Math.max(1, Math.max(msRegion.width, msRegion.height) / maxSidePx);
  const width = Math.max(1, Math.round(msRegion.width / scale));
  const height = Math.max(1, Math.round(msRegion.height / scale));
  const ms = createBlock(scene.bandCount, width, height);
  const panLow = createBlock(1, width, height);
  const panPoints = createBlock(1, width, height);
  const plane = width * height;
  const readBand = async (band: ReturnType<typeof scene.panDataset.bands.get>, win: typeof region, dst: Float32Array, resampling: string, path: string) => {
    try {
      await band.pixels.readAsync(win.colOff, win.rowOff, win.width, win.height, dst, { buffer_width: width, buffer_height: height, data_type: 'Float32', resampling });
    } catch (err) {
      throw new InputError('read-failed', `cannot read ${path}: ${err instanceof Error ? err.message.trim() : String(err)} (truncated or corrupt file?)`, { path });
    }
    const nd = band.noDataValue;
    if (nd !== null) {
      const ndf = Math.fround(nd);
      for (let i = 0; i < dst.length; i++) if (dst[i] === ndf || (Number.isNaN(nd) && Number.isNaN(dst[i]!))) dst[i] = NaN;
    }
  };
  await readBand(scene.panDataset.bands.get(1), region, panLow.data, 'Average', scene.pan.path);
  await readBand(scene.panDataset.bands.get(1), region, panPoints.data, 'NearestNeighbour', scene.pan.path);
  for (let b = 0; b < scene.bandCount; b++) {
    // Nearest keeps nodata values intact (Average would blend them into valid neighbours).
    await readBand(scene.msDataset.bands.get(b + 1), msRegion, ms.data.subarray(b * plane, (b + 1) * plane), 'NearestNeighbour', scene.ms.path);
  }
  let maxValue = -Infinity;
  let validCount = 0;
  for (let i = 0; i < plane; i++) {
    let valid = !Number.isNaN(panLow.data[i]!);
    let m = panLow.data[i]!;
    for (let b = 0; b < scene.bandCount && valid; b++) {
      const v = ms.data[b * plane + i]!;
      if (Number.isNaN(v)) valid = false;
      else if (v > m) m = v;
    }
    if (valid) {
      validCount++;
      if (m > maxValue) maxValue = m;
    }
  }
  if (validCount === 0) {
    throw new InputError('all-nodata', `no valid pixels: every sampled pixel is nodata in PAN ${scene.pan.path} or in MS ${scene.ms.path}`, {
      panPath: scene.pan.path,
      msPath: scene.ms.path,
    });
  }
  return { ms, panLow, panPoints, maxValue, validCount };
}
