/**
 * @module main/engine/tiling/read-tile
 * Reads one tile's PAN and MS read windows from the scene as Float32 DNs, mirror-padded where the window leaves
 * the processing region, plus a mask of PAN pixels that are nodata in PAN or in any MS band.
 */
import { InputError } from '../errors.ts';
import type { Dataset } from '../io/gdal.ts';
import type { Scene } from '../io/open-scene.ts';
import { createBlock, type BandBlock } from '../raster/band-block.ts';
import { type PixelWindow, scaleDownWindow, translateWindow, windowRelativeTo } from '../raster/pixel-window.ts';
import { mirrorIndices } from './mirror.ts';
import type { Tile } from './tile-plan.ts';

export interface TileData {
  readonly tile: Tile;
  /** PAN DNs over the tile's read window: 1 band, readSize². */
  readonly pan: BandBlock;
  /** MS DNs over the read window / ratio. */
  readonly ms: BandBlock;
  /** 1 where the PAN pixel (read window) is nodata in PAN or in its MS pixel; null when the scene has no nodata. */
  readonly invalid: Uint8Array | null;
}

/**
 * Reads `window` (on `dataset`'s grid) mirror-padded against `region` (same grid) for the given 1-based bands,
 * into a band-major Float32 block.
 */
async function readMirrored(dataset: Dataset, bandNumbers: readonly number[], region: PixelWindow, window: PixelWindow, path: string): Promise<BandBlock> {
  const inRegion = windowRelativeTo(window, region);
  const colIdx = mirrorIndices(inRegion.colOff, window.width, region.width);
  const rowIdx = mirrorIndices(inRegion.rowOff, window.height, region.height);
  let c0 = Infinity,
    c1 = -Infinity,
    r0 = Infinity,
    r1 = -Infinity;
  for (const c of colIdx) {
    c0 = Math.min(c0, c);
    c1 = Math.max(c1, c);
  }
  for (const r of rowIdx) {
    r0 = Math.min(r0, r);
    r1 = Math.max(r1, r);
  }
  const srcWidth = c1 - c0 + 1;
  const srcHeight = r1 - r0 + 1;
  const out = createBlock(bandNumbers.length, window.width, window.height);
  const plane = window.width * window.height;
  const src = new Float32Array(srcWidth * srcHeight);
  for (let b = 0; b < bandNumbers.length; b++) {
    try {
      await dataset.bands.get(bandNumbers[b]!).pixels.readAsync(region.colOff + c0, region.rowOff + r0, srcWidth, srcHeight, src, { data_type: 'Float32' });
    } catch (err) {
      throw new InputError(
        'read-failed',
        `cannot read band ${bandNumbers[b]} of ${path} at pixel (${region.colOff + c0}, ${region.rowOff + r0}) size ${srcWidth}×${srcHeight}: ${err instanceof Error ? err.message.trim() : String(err)} (truncated or corrupt file?)`,
        {
          path,
          bandNumber: bandNumbers[b],
        },
      );
    }
    const dst = out.data.subarray(b * plane, (b + 1) * plane);
    for (let r = 0; r < window.height; r++) {
      const srcRow = (rowIdx[r]! - r0) * srcWidth - c0;
      const dstRow = r * window.width;
      for (let c = 0; c < window.width; c++) dst[dstRow + c] = src[srcRow + colIdx[c]!]!;
    }
  }
  return out;
}

function markNoData(invalid: Uint8Array, values: Float32Array, noData: number, ratio: number, width: number, msWidth: number): void {
  const nodataIsNaN = Number.isNaN(noData);
  const nd = Math.fround(noData);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(nodataIsNaN ? Number.isNaN(v) : v === nd)) continue;
    if (ratio === 1) {
      invalid[i] = 1;
      continue;
    }
    // An MS pixel covers ratio×ratio PAN pixels.
    const msRow = Math.floor(i / msWidth);
    const msCol = i % msWidth;
    for (let dr = 0; dr < ratio; dr++) invalid.fill(1, (msRow * ratio + dr) * width + msCol * ratio, (msRow * ratio + dr) * width + msCol * ratio + ratio);
  }
}

export async function readTile(scene: Scene, tile: Tile): Promise<TileData> {
  const { ratio, region, msRegion } = scene;
  // Read windows step from the region's origin (an MS pixel corner) in whole MS pixels (tile-plan.ts).
  const msInRegion = scaleDownWindow(windowRelativeTo(tile.read, region), ratio);
  const msWindow = translateWindow(msInRegion, msRegion.colOff, msRegion.rowOff);
  const msBands = scene.ms.bands.map((b) => b.bandNumber);
  const [pan, ms] = await Promise.all([
    readMirrored(scene.panDataset, [1], region, tile.read, scene.pan.path),
    readMirrored(scene.msDataset, msBands, msRegion, msWindow, scene.ms.path),
  ]);
  let invalid: Uint8Array | null = null;
  const panNoData = scene.pan.bands[0]?.noData ?? null;
  const msNoData = scene.ms.bands.map((b) => b.noData);
  if (panNoData !== null || msNoData.some((v) => v !== null)) {
    invalid = new Uint8Array(pan.width * pan.height);
    if (panNoData !== null) markNoData(invalid, pan.data, panNoData, 1, pan.width, pan.width);
    const plane = ms.width * ms.height;
    msNoData.forEach((nd, b) => {
      if (nd !== null) markNoData(invalid!, ms.data.subarray(b * plane, (b + 1) * plane), nd, ratio, pan.width, ms.width);
    });
  }
  return { tile, pan, ms, invalid };
}
