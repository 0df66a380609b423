/**
 * @module main/engine/testing/synthetic-scene
 * Writes a synthetic, georeferenced PAN + MS pair (and optionally the full-resolution truth MS) for tests,
 * benchmarks and the demo. The ground is a deterministic mosaic of land-cover parcels (each with its own
 * spectrum), smooth shading, roads and fine texture; PAN is a weighted sum of the truth bands; MS is the truth
 * averaged over ratio×ratio blocks. It is generated strip by strip, so a 12000² scene needs little memory.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createGeoTiff } from '../io/create-geotiff.ts';
import { gdal } from '../io/gdal.ts';

export interface SyntheticSceneOptions {
  readonly folder: string;
  /** File name stem [default 'synthetic']. */
  readonly name?: string;
  readonly panWidth: number;
  readonly panHeight: number;
  /** [default 4] */
  readonly ratio?: number;
  /** [default 4] */
  readonly bands?: number;
  /** [default 'UInt16'] */
  readonly dataType?: 'Byte' | 'UInt16' | 'Float32';
  /** Declared as BIT_DEPTH metadata when set; the data never exceed 2^bitDepth − 1 [default 11]. */
  readonly bitDepth?: number | null;
  /** [default 32633] */
  readonly epsg?: number;
  /** A different CRS for the MS (reprojection tests). */
  readonly msEpsg?: number;
  /** An MS CRS given as WKT (e.g. a local engineering CRS that cannot be reprojected); overrides msEpsg. */
  readonly msCrsWkt?: string;
  /** Upper-left corner of PAN in CRS units [default 500000, 4600000]; e.g. [121.75, 31.24] with epsg 4326. */
  readonly origin?: readonly [number, number];
  /** Band descriptions of the MS: 'named' (Blue, Green…), or 'none' as many files have [default 'named']. */
  readonly bandNames?: 'named' | 'none';
  /** PAN pixel size in CRS units (metres, or degrees for a geographic CRS) [default 0.5]. */
  readonly panPixelM?: number;
  /** MS pixel size override in metres (e.g. a non-integer ratio); default panPixelM · ratio. */
  readonly msPixelM?: number;
  /** Shift of the MS origin in PAN pixels (x, y) [default 0, 0]; the MS shows the ground at its shifted place. */
  readonly msOffsetPx?: readonly [number, number];
  /** Write no geotransform/CRS [default false]. */
  readonly noGeoreference?: boolean;
  /** Nodata value set on both images, and a nodata border of this many PAN pixels on the left [default none]. */
  readonly noData?: { readonly value: number; readonly borderPx: number };
  /** Also write `<name>_truth.tif`, the MS at PAN resolution [default false]. */
  readonly writeTruth?: boolean;
  /** PAN band count (tests of a wrong PAN) [default 1]. */
  readonly panBands?: number;
  readonly seed?: number;
  /** SENSOR metadata [default 'Synthetic']; null writes none (as many deliveries have). */
  readonly sensor?: string | null;
}

export interface SyntheticScene {
  readonly panPath: string;
  readonly msPath: string;
  readonly truthPath: string | null;
}

const BAND_NAMES_4 = ['Blue', 'Green', 'Red', 'NIR'];
const BAND_NAMES_8 = ['Coastal', 'Blue', 'Green', 'Yellow', 'Red', 'RedEdge', 'NIR1', 'NIR2'];

function hash(x: number, y: number, seed: number): number {
  let h = (x * 374761393 + y * 668265263 + seed * 2246822519) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Spectra of a few cover types, relative reflectance per band position (0..1 along the spectrum). */
function spectrum(cover: number, t: number): number {
  switch (cover) {
    case 0:
      return 0.18 + 0.5 * Math.max(0, t - 0.6) * 2.2; // vegetation: red edge
    case 1:
      return 0.35 + 0.15 * t; // bare soil
    case 2:
      return 0.45 - 0.05 * t; // concrete
    case 3:
      return 0.12 - 0.08 * t; // water
    default:
      return 0.3 + 0.2 * Math.sin(6 * t); // roofs
  }
}

function truthValue(x: number, y: number, t: number, seed: number): number {
  // Parcels of ~48 m with jittered edges; covers and brightness per parcel.
  const cell = 96;
  const jx = x + 6 * Math.sin(y / 37 + seed);
  const jy = y + 6 * Math.cos(x / 41 + seed);
  const cx = Math.floor(jx / cell);
  const cy = Math.floor(jy / cell);
  const cover = Math.floor(hash(cx, cy, seed) * 5);
  const bright = 0.75 + 0.5 * hash(cy, cx, seed + 1);
  let v = spectrum(cover, t) * bright;
  // Roads every ~300 px.
  if (Math.abs(((x + 13) % 311) - 4) < 3 || Math.abs(((y + 7) % 283) - 4) < 3) v = 0.5 + 0.02 * t;
  // Shading and fine texture (PAN-scale detail the MS cannot hold).
  v *= 0.85 + 0.15 * Math.sin(x / 150 + seed) * Math.cos(y / 170);
  v += 0.03 * (hash(x, y, seed + 2) - 0.5) + 0.04 * Math.sin(x / 3.1) * Math.sin(y / 2.7);
  // Real scenes never reach zero DN (path radiance, dark offset): keep a haze floor like theirs.
  return 0.08 + 0.9 * Math.max(0, Math.min(1, v));
}

function bandNames(count: number): string[] {
  if (count === 4) return BAND_NAMES_4;
  if (count === 8) return BAND_NAMES_8;
  return Array.from({ length: count }, (_, i) => `Band ${i + 1}`);
}

type GeoTiff = Awaited<ReturnType<typeof createGeoTiff>>;

/** What every strip of one scene shares: sizes, bands, scaling and the MS shift. */
interface StripSpec {
  readonly ratio: number;
  readonly bands: number;
  readonly dataType: 'Byte' | 'UInt16' | 'Float32';
  readonly seed: number;
  readonly msWidth: number;
  readonly offX: number;
  readonly offY: number;
  /** Band spectral positions (0..1) and their PAN weights. */
  readonly positions: readonly number[];
  readonly weights: readonly number[];
  /** DN of reflectance 1. */
  readonly scale: number;
  readonly noData: SyntheticSceneOptions['noData'] | null;
  readonly panBandCount: number;
}

export async function writeSyntheticScene(options: SyntheticSceneOptions): Promise<SyntheticScene> {
  const name = options.name ?? 'synthetic';
  const ratio = options.ratio ?? 4;
  const bands = options.bands ?? 4;
  const dataType = options.dataType ?? 'UInt16';
  const bitDepth = options.bitDepth === undefined ? 11 : options.bitDepth;
  const maxDn = dataType === 'Float32' ? 1 : 2 ** (bitDepth ?? (dataType === 'Byte' ? 8 : 16)) - 1;
  const { panWidth, panHeight } = options;
  const msWidth = Math.floor(panWidth / ratio);
  const msHeight = Math.floor(panHeight / ratio);
  mkdirSync(options.folder, { recursive: true });
  const panPath = join(options.folder, `${name}_pan.tif`);
  const msPath = join(options.folder, `${name}_ms.tif`);
  const truthPath = options.writeTruth ? join(options.folder, `${name}_truth.tif`) : null;
  const [offX, offY] = options.msOffsetPx ?? [0, 0];
  const geo = sceneGeoreference(options, ratio, offX, offY);
  const metadata: Record<string, string> = options.sensor === null ? {} : { SENSOR: options.sensor ?? 'Synthetic' };
  if (bitDepth !== null && dataType !== 'Float32') metadata.BIT_DEPTH = String(bitDepth);
  const names = options.bandNames === 'none' ? Array.from({ length: bands }, () => '') : bandNames(bands);
  const noData = options.noData ?? null;
  const common = { dataType, noData: noData?.value ?? null, creationOptions: ['TILED=YES', 'COMPRESS=DEFLATE', 'BIGTIFF=IF_SAFER'], metadata };
  const panBandCount = options.panBands ?? 1;
  const pan = await createGeoTiff({
    ...common,
    path: panPath,
    width: panWidth,
    height: panHeight,
    bandDescriptions: panBandCount === 1 ? ['Pan'] : Array.from({ length: panBandCount }, (_, i) => `Pan ${i + 1}`),
    geoTransform: geo?.panGt ?? null,
    crsWkt: geo?.panWkt ?? null,
  });
  const ms = await createGeoTiff({
    ...common,
    path: msPath,
    width: msWidth,
    height: msHeight,
    bandDescriptions: names,
    geoTransform: geo?.msGt ?? null,
    crsWkt: geo?.msWkt ?? null,
  });
  const truth = truthPath
    ? await createGeoTiff({
        ...common,
        path: truthPath,
        width: panWidth,
        height: panHeight,
        bandDescriptions: names,
        geoTransform: geo?.panGt ?? null,
        crsWkt: geo?.panWkt ?? null,
      })
    : null;
  // Band spectral positions and PAN weights (PAN covers the visible to NIR bands).
  const positions = names.map((_, i) => (bands === 1 ? 0.5 : i / (bands - 1)));
  const spec: StripSpec = {
    ratio,
    bands,
    dataType,
    msWidth,
    offX,
    offY,
    positions,
    noData,
    panBandCount,
    seed: options.seed ?? 7,
    weights: positions.map(() => 1 / bands),
    scale: maxDn * 0.95,
  };
  const stripRows = ratio * 16;
  for (let row0 = 0; row0 < msHeight * ratio; row0 += stripRows) {
    const rows = Math.min(stripRows, msHeight * ratio - row0);
    const strip = renderStrip(spec, row0, rows);
    if (noData) maskLeftBorder(spec, strip, noData);
    await writeStrip(spec, strip, { pan, ms, truth });
  }
  pan.close();
  ms.close();
  truth?.close();
  return { panPath, msPath, truthPath };
}

interface SceneGeoreference {
  readonly panGt: number[];
  readonly panWkt: string;
  readonly msGt: number[];
  readonly msWkt: string;
}

/** Geotransforms and CRSs of PAN and MS, or null for `noGeoreference`; the MS may be shifted or in another CRS. */
function sceneGeoreference(options: SyntheticSceneOptions, ratio: number, offX: number, offY: number): SceneGeoreference | null {
  const panPx = options.panPixelM ?? 0.5;
  const msPx = options.msPixelM ?? panPx * ratio;
  const [x0, y0] = options.origin ?? [500000, 4600000];
  const epsg = options.epsg ?? 32633;
  const panWkt = gdal.SpatialReference.fromEPSG(epsg).toWKT();
  let msWkt = panWkt;
  let msOrigin: [number, number] = [x0 + offX * panPx, y0 - offY * panPx];
  if (options.msCrsWkt) {
    msWkt = options.msCrsWkt;
  } else if (options.msEpsg && options.msEpsg !== epsg) {
    // Put the MS in another CRS: transform its origin and keep the pixel size (about right nearby).
    const to = gdal.SpatialReference.fromEPSG(options.msEpsg);
    const p = new gdal.CoordinateTransformation(gdal.SpatialReference.fromEPSG(epsg), to).transformPoint(msOrigin[0], msOrigin[1]);
    msWkt = to.toWKT();
    msOrigin = [p.x, p.y];
  }
  if (options.noGeoreference) return null;
  return { panGt: [x0, panPx, 0, y0, 0, -panPx], panWkt, msGt: [msOrigin[0], msPx, 0, msOrigin[1], 0, -msPx], msWkt };
}

/** One strip of rows: truth (bands × rows × width), PAN and MS (bands × rows/ratio × msWidth), as DN floats. */
interface Strip {
  readonly row0: number;
  readonly rows: number;
  readonly width: number;
  readonly msRows: number;
  readonly truth: Float64Array;
  readonly pan: Float64Array;
  readonly ms: Float64Array;
}

function renderStrip(spec: StripSpec, row0: number, rows: number): Strip {
  const { ratio, bands, msWidth, offX, offY, positions, weights, seed, scale } = spec;
  const width = msWidth * ratio;
  const truthStrip = new Float64Array(bands * rows * width);
  const panStrip = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      let p = 0;
      for (let b = 0; b < bands; b++) {
        const v = truthValue(c, row0 + r, positions[b]!, seed) * scale;
        truthStrip[(b * rows + r) * width + c] = v;
        p += weights[b]! * v;
      }
      panStrip[r * width + c] = p;
    }
  }
  const msRows = rows / ratio;
  const msStrip = new Float64Array(bands * msRows * msWidth);
  if (offX === 0 && offY === 0) {
    for (let b = 0; b < bands; b++) {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < width; c++)
          msStrip[(b * msRows + Math.floor(r / ratio)) * msWidth + Math.floor(c / ratio)]! += truthStrip[(b * rows + r) * width + c]! / (ratio * ratio);
      }
    }
  } else {
    // A shifted MS sees the ground where its georeference puts it (so the pair stays co-registered).
    for (let b = 0; b < bands; b++) {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < width; c++)
          msStrip[(b * msRows + Math.floor(r / ratio)) * msWidth + Math.floor(c / ratio)]! +=
            (truthValue(c + offX, row0 + r + offY, positions[b]!, seed) * scale) / (ratio * ratio);
      }
    }
  }
  return { row0, rows, width, msRows, truth: truthStrip, pan: panStrip, ms: msStrip };
}

/** Sets the nodata border on the left of every image of the strip. */
function maskLeftBorder(spec: StripSpec, strip: Strip, noData: { readonly value: number; readonly borderPx: number }): void {
  const { bands, ratio, msWidth } = spec;
  const { rows, width, msRows } = strip;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < Math.min(width, noData.borderPx); c++) {
      strip.pan[r * width + c] = noData.value;
      for (let b = 0; b < bands; b++) strip.truth[(b * rows + r) * width + c] = noData.value;
    }
  const msBorder = Math.ceil(noData.borderPx / ratio);
  for (let b = 0; b < bands; b++)
    for (let r = 0; r < msRows; r++) for (let c = 0; c < Math.min(msWidth, msBorder); c++) strip.ms[(b * msRows + r) * msWidth + c] = noData.value;
}

/** Writes the strip into the files, converted to their data type (integers rounded). */
async function writeStrip(spec: StripSpec, strip: Strip, files: { pan: GeoTiff; ms: GeoTiff; truth: GeoTiff | null }): Promise<void> {
  const { dataType, bands, ratio, msWidth } = spec;
  const { row0, rows, width, msRows } = strip;
  const quantise = (v: number) => (dataType === 'Float32' ? v : Math.round(v));
  const toType = (a: Float64Array) =>
    dataType === 'Float32' ? Float32Array.from(a) : dataType === 'Byte' ? Uint8Array.from(a, quantise) : Uint16Array.from(a, quantise);
  for (let b = 1; b <= spec.panBandCount; b++) await files.pan.bands.get(b).pixels.writeAsync(0, row0, width, rows, toType(strip.pan));
  for (let b = 0; b < bands; b++) {
    await files.ms.bands
      .get(b + 1)
      .pixels.writeAsync(0, row0 / ratio, msWidth, msRows, toType(strip.ms.subarray(b * msRows * msWidth, (b + 1) * msRows * msWidth)));
    if (files.truth)
      await files.truth.bands.get(b + 1).pixels.writeAsync(0, row0, width, rows, toType(strip.truth.subarray(b * rows * width, (b + 1) * rows * width)));
  }
}
