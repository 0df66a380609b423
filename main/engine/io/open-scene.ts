/**
 * @module main/engine/io/open-scene
 * Opens a PAN + MS pair and checks that they make one scene: georeferenced, north-up, one PAN band, several MS
 * bands, integer pixel-size ratio, overlapping extents. MS in another CRS, on a grid not aligned with PAN pixels, or
 * with a pixel size within 2 % of an integer ratio (and pixel counts in that ratio), is resampled onto an aligned
 * grid through a GDAL warped VRT (and the scene says so).
 * The result knows the processing region: the PAN pixels covered by whole MS pixels of both images.
 */
import type { SceneFiles as ContractSceneFiles } from '../../../preload/contract.ts';
import { basename } from 'node:path';
import { InputError } from '../errors.ts';
import { extentOf, isNorthUp, windowTransform, type GeoTransform } from '../raster/geo-transform.ts';
import {
  intersectWindows,
  pixelWindow,
  type PixelWindow,
  rasterWindow,
  scaleDownWindow,
  snapWindowIn,
  translateWindow,
  windowRelativeTo,
} from '../raster/pixel-window.ts';
import { applyBandLayout, inferBandLayout, type BandLayout, type BandLayoutOverride } from './band-layout.ts';
import { gdal, type Dataset } from './gdal.ts';
import { openRaster, readRasterInfoFromDataset, type RasterInfo } from './raster-info.ts';

/** The pair of files the app and the CLI name (preload/contract.ts), plus the user's band layout. */
export interface SceneFiles extends ContractSceneFiles {
  /** The user's sensor and band names (app Scene panel, CLI --sensor/--bands); absent = as inferred. */
  readonly layout?: BandLayoutOverride;
}

export interface Scene {
  readonly pan: RasterInfo;
  readonly ms: RasterInfo;
  readonly panDataset: Dataset;
  /** The MS as read: the file itself, or a warped VRT onto a grid aligned with PAN. */
  readonly msDataset: Dataset;
  readonly ratio: number;
  /** Processing area on the PAN grid; its edges fall on MS pixel edges. */
  readonly region: PixelWindow;
  /** The same area on the (possibly warped) MS grid. */
  readonly msRegion: PixelWindow;
  /** Georeference of the output: the PAN grid cropped to the region. */
  readonly geoTransform: GeoTransform;
  readonly crsWkt: string;
  readonly bandCount: number;
  /** MS band names in file order (layout.bandNames): output band descriptions, true colour, band mapping. */
  readonly bandDescriptions: readonly string[];
  /** Sensor for MTF gains (layout.sensor). */
  readonly sensor: string | null;
  /** Where the sensor and band names came from (metadata, descriptions, a guess, the user). */
  readonly layout: BandLayout;
  /** Things the user should know that are not errors (reprojection, cropping to the overlap). */
  readonly notes: readonly string[];
  /** Every file the two inputs read (the paths given, VRT sources, overviews, masks), as GDAL lists them: an
   * output must be none of these. */
  readonly inputFiles: readonly string[];
  close(): void;
}

const MIN_MS_PIXELS = 2;
const RATIO_TOLERANCE = 1e-3;
const REPROJECTED_RATIO_TOLERANCE = 0.03;
/** Pixel sizes this close to an integer ratio (relative), with pixel counts in that ratio, are resampled onto it. */
const NEAR_INTEGER_TOLERANCE = 0.02;

function requireGeoreference(info: RasterInfo, role: string): { gt: GeoTransform; wkt: string } {
  const name = basename(info.path);
  if (!info.geoTransform || !info.crs) {
    const missing = !info.geoTransform ? 'geotransform' : 'coordinate reference system';
    throw new InputError('not-georeferenced', `${role} ${name} has no ${missing}; PanForge needs georeferenced rasters: ${info.path}`, {
      path: info.path,
    });
  }
  const [, pixelW, , , , pixelH] = info.geoTransform;
  if (isNorthUp(info.geoTransform) && (pixelH > 0 || pixelW < 0)) {
    // Rows running south (or columns running west) would put the two images' pixels in opposite orders; say so
    // instead of failing later with an overlap check that prints the same extent twice.
    const flipped = [pixelH > 0 ? `south-up (pixel height +${pixelH}: row 0 is the southern edge)` : '', pixelW < 0 ? `east-left (pixel width ${pixelW})` : '']
      .filter(Boolean)
      .join(' and ');
    throw new InputError(
      'flipped-geotransform',
      `${role} ${name} is stored ${flipped}; PanForge needs north-up rasters (negative pixel height, positive width): flip it first, e.g. gdalwarp ${name} ${name.replace(/(\.[^.]*)?$/, '_northup$1')}: ${info.path}`,
      { path: info.path, geoTransform: info.geoTransform },
    );
  }
  if (!isNorthUp(info.geoTransform)) {
    throw new InputError(
      'rotated-geotransform',
      `${role} ${name} has a rotated or sheared geotransform [${info.geoTransform.join(', ')}]; only north-up rasters are supported (warp it first, e.g. gdalwarp): ${info.path}`,
      { path: info.path, geoTransform: info.geoTransform },
    );
  }
  return { gt: info.geoTransform, wkt: info.crs.wkt };
}

function checkBandCounts(pan: RasterInfo, ms: RasterInfo): void {
  if (pan.bandCount !== 1) {
    throw new InputError('pan-band-count', `PAN ${basename(pan.path)} has ${pan.bandCount} bands; expected 1 (a panchromatic band). Swapped PAN and MS?`, {
      path: pan.path,
      got: pan.bandCount,
      expected: 1,
    });
  }
  if (ms.bandCount < 2) {
    throw new InputError('ms-band-count', `MS ${basename(ms.path)} has ${ms.bandCount} band; expected 2 or more (multispectral). Swapped PAN and MS?`, {
      path: ms.path,
      got: ms.bandCount,
      expected: '>= 2',
    });
  }
}

/** Pixel-size ratio MS/PAN: an integer, the same in x and y. */
function computeRatio(panGt: GeoTransform, msPixelX: number, msPixelY: number, files: SceneFiles, tolerance = RATIO_TOLERANCE): number {
  const rx = Math.abs(msPixelX / panGt[1]);
  const ry = Math.abs(msPixelY / panGt[5]);
  const sizes = `PAN pixel ${Math.abs(panGt[1])}×${Math.abs(panGt[5])}, MS pixel ${Math.abs(msPixelX)}×${Math.abs(msPixelY)}`;
  if (Math.abs(rx - ry) > tolerance * rx) {
    throw new InputError(
      'anisotropic-ratio',
      `PAN/MS pixel-size ratio differs in x (${rx}) and y (${ry}) (${sizes}; ${basename(files.panPath)}, ${basename(files.msPath)})`,
      {
        ratioX: rx,
        ratioY: ry,
      },
    );
  }
  const ratio = Math.round(rx);
  if (Math.abs(rx - ratio) > tolerance * ratio || ratio < 2) {
    const target = Math.max(2, ratio);
    const step = +(Math.abs(panGt[1]) * target).toPrecision(6);
    throw new InputError(
      'ratio-not-integer',
      `PAN/MS pixel-size ratio is ${+rx.toFixed(6)} (${sizes}; ${basename(files.panPath)}, ${basename(files.msPath)}); PanForge needs an integer ratio of 2 or more (4 for the networks), and resamples by itself only within ${NEAR_INTEGER_TOLERANCE * 100} % of one with pixel counts in that ratio. Resample the MS onto a multiple of the PAN pixel first, e.g. gdalwarp -tr ${step} ${step} -r cubic ${basename(files.msPath)} ms_${target}x.tif`,
      { ratio: rx, got: rx, expected: target },
    );
  }
  return ratio;
}

/**
 * A ratio within NEAR_INTEGER_TOLERANCE of an integer whose pixel counts are in that ratio (e.g. 0.498 m / 2.0 m with
 * 800 / 200 pixels): the integer, else null. Such pairs are the same footprint with rounded pixel sizes.
 */
function nearIntegerRatio(pan: RasterInfo, ms: RasterInfo, panGt: GeoTransform, msGt: GeoTransform): number | null {
  const rx = Math.abs(msGt[1] / panGt[1]);
  const ry = Math.abs(msGt[5] / panGt[5]);
  const ratio = Math.round(rx);
  if (ratio < 2 || Math.round(ry) !== ratio) return null;
  if (Math.abs(rx - ratio) > NEAR_INTEGER_TOLERANCE * ratio || Math.abs(ry - ratio) > NEAR_INTEGER_TOLERANCE * ratio) return null;
  const countsAgree = Math.abs(pan.width - ms.width * ratio) < ratio && Math.abs(pan.height - ms.height * ratio) < ratio;
  return countsAgree ? ratio : null;
}

interface MsGrid {
  readonly dataset: Dataset;
  readonly gt: GeoTransform;
  readonly width: number;
  readonly height: number;
  readonly ratio: number;
  readonly note: string | null;
}

function isAlignedToPan(panGt: GeoTransform, msGt: GeoTransform): boolean {
  const col = (msGt[0] - panGt[0]) / panGt[1];
  const row = (msGt[3] - panGt[3]) / panGt[5];
  return Math.abs(col - Math.round(col)) < RATIO_TOLERANCE && Math.abs(row - Math.round(row)) < RATIO_TOLERANCE;
}

/** Resamples the MS onto a grid aligned with PAN pixels, in PAN's CRS, through a warped VRT (no copy on disk). */
async function warpMsOntoPanGrid(
  panDs: Dataset,
  msDs: Dataset,
  pan: RasterInfo,
  ms: RasterInfo,
  files: SceneFiles,
  reason: string,
  ratioTolerance = REPROJECTED_RATIO_TOLERANCE,
): Promise<MsGrid> {
  const panSrs = panDs.srs;
  const msSrs = msDs.srs;
  if (!panSrs || !msSrs) throw new Error('warpMsOntoPanGrid needs both CRSs');
  let suggested: { rasterSize: { x: number; y: number }; geoTransform: number[] };
  try {
    suggested = gdal.suggestedWarpOutput({ src: msDs, s_srs: msSrs, t_srs: panSrs });
  } catch (err) {
    throw new InputError(
      'crs-mismatch',
      `MS ${basename(ms.path)} (${ms.crs?.name}) cannot be reprojected onto the CRS of PAN ${basename(pan.path)} (${pan.crs?.name}): ${err instanceof Error ? err.message : String(err)}`,
      { panCrs: pan.crs?.code ?? pan.crs?.name, msCrs: ms.crs?.code ?? ms.crs?.name },
    );
  }
  const panGt = pan.geoTransform as GeoTransform;
  const sgt = suggested.geoTransform;
  // Reprojection changes the apparent pixel size a little (scale factor, convergence): accept the nearest integer.
  const ratio = computeRatio(panGt, sgt[1] ?? NaN, sgt[5] ?? NaN, files, ratioTolerance);
  const stepX = panGt[1] * ratio;
  const stepY = panGt[5] * ratio;
  const minX = sgt[0] ?? 0;
  const maxY = sgt[3] ?? 0;
  const maxX = minX + suggested.rasterSize.x * (sgt[1] ?? 0);
  const minY = maxY + suggested.rasterSize.y * (sgt[5] ?? 0);
  // Snap inward to the grid that starts at PAN's origin with one MS pixel = ratio PAN pixels.
  const col0 = Math.ceil((minX - panGt[0]) / stepX);
  const col1 = Math.floor((maxX - panGt[0]) / stepX);
  const row0 = Math.ceil((maxY - panGt[3]) / stepY);
  const row1 = Math.floor((minY - panGt[3]) / stepY);
  if (col1 <= col0 || row1 <= row0) {
    throw new InputError('no-overlap', `MS ${basename(ms.path)} covers less than one pixel after reprojection onto PAN's grid`, {});
  }
  const gt: GeoTransform = [panGt[0] + col0 * stepX, stepX, 0, panGt[3] + row0 * stepY, 0, stepY];
  const width = col1 - col0;
  const height = row1 - row0;
  const vrtPath = `/vsimem/panforge-ms-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.vrt`;
  const dataset = await gdal.warpAsync(
    vrtPath,
    null,
    [msDs],
    [
      '-of',
      'VRT',
      '-t_srs',
      panSrs.toWKT(),
      '-te',
      String(gt[0]),
      String(gt[3] + height * stepY),
      String(gt[0] + width * stepX),
      String(gt[3]),
      '-ts',
      String(width),
      String(height),
      '-r',
      'cubic',
    ],
  );
  const note = `MS ${basename(ms.path)} ${reason}; it is resampled (cubic) onto a ${width}×${height} grid aligned with PAN through a GDAL warped VRT`;
  return { dataset, gt, width, height, ratio, note };
}

function checkMinimumSize(pan: RasterInfo, ms: RasterInfo): void {
  if (pan.width * pan.height < 4 || ms.width < MIN_MS_PIXELS || ms.height < MIN_MS_PIXELS) {
    throw new InputError(
      'scene-too-small',
      `scene too small: PAN ${basename(pan.path)} is ${pan.width}×${pan.height} and MS ${basename(ms.path)} is ${ms.width}×${ms.height} pixels; at least ${MIN_MS_PIXELS}×${MIN_MS_PIXELS} MS pixels are needed`,
      { pan: [pan.width, pan.height], ms: [ms.width, ms.height] },
    );
  }
}

/** The MS as it is when its grid is aligned with PAN's at an integer ratio; otherwise warped onto one, saying why. */
async function alignMsToPan(
  panDataset: Dataset,
  msDataset: Dataset,
  pan: RasterInfo,
  ms: RasterInfo,
  panGt: GeoTransform,
  msGt: GeoTransform,
  files: SceneFiles,
): Promise<MsGrid> {
  const sameCrs = panDataset.srs && msDataset.srs ? panDataset.srs.isSame(msDataset.srs) : false;
  if (!sameCrs) {
    return warpMsOntoPanGrid(panDataset, msDataset, pan, ms, files, `is in ${ms.crs?.code ?? ms.crs?.name}, PAN in ${pan.crs?.code ?? pan.crs?.name}`);
  }
  const near = nearIntegerRatio(pan, ms, panGt, msGt);
  const exact = near === null || Math.abs(Math.abs(msGt[1] / panGt[1]) - near) <= RATIO_TOLERANCE * near;
  const ratio = exact ? computeRatio(panGt, msGt[1], msGt[5], files) : near;
  if (!exact) {
    const rx = Math.abs(msGt[1] / panGt[1]);
    return warpMsOntoPanGrid(
      panDataset,
      msDataset,
      pan,
      ms,
      files,
      `pixel size ${Math.abs(msGt[1])} is ${+rx.toFixed(4)} PAN pixels (PAN ${Math.abs(panGt[1])}), not exactly ${ratio}`,
      NEAR_INTEGER_TOLERANCE,
    );
  }
  if (isAlignedToPan(panGt, msGt)) return { dataset: msDataset, gt: msGt, width: ms.width, height: ms.height, ratio, note: null };
  return warpMsOntoPanGrid(panDataset, msDataset, pan, ms, files, 'pixels are not aligned with PAN pixels');
}

/** The PAN pixels covered by whole MS pixels (PAN grid) and those MS pixels (MS grid); too small an overlap is refused. */
function overlapRegion(pan: RasterInfo, panGt: GeoTransform, grid: MsGrid, files: SceneFiles): { region: PixelWindow; msRegion: PixelWindow } {
  // MS pixel (0, 0) sits at this PAN pixel; intersect in PAN pixels, then snap inward to whole MS pixels.
  const ratio = grid.ratio;
  const msColInPan = Math.round((grid.gt[0] - panGt[0]) / panGt[1]);
  const msRowInPan = Math.round((grid.gt[3] - panGt[3]) / panGt[5]);
  const msInPan = pixelWindow(msColInPan, msRowInPan, grid.width * ratio, grid.height * ratio);
  const overlap = intersectWindows(msInPan, rasterWindow(pan.width, pan.height));
  // Whole MS pixels of the overlap, on the MS grid (origin at msInPan's).
  const onMsGrid = overlap && snapWindowIn(windowRelativeTo(overlap, msInPan), ratio);
  if (!onMsGrid || onMsGrid.width < MIN_MS_PIXELS * ratio || onMsGrid.height < MIN_MS_PIXELS * ratio) {
    const panExtent = extentOf(panGt, pan.width, pan.height).map((v) => +v.toFixed(3));
    const msExtent = extentOf(grid.gt, grid.width, grid.height).map((v) => +v.toFixed(3));
    throw new InputError(
      'no-overlap',
      `MS extent [${msExtent.join(', ')}] does not overlap PAN extent [${panExtent.join(', ')}] (${basename(files.msPath)}, ${basename(files.panPath)}); same scene?`,
      { panExtent, msExtent },
    );
  }
  return { region: translateWindow(onMsGrid, msColInPan, msRowInPan), msRegion: scaleDownWindow(onMsGrid, ratio) };
}

export async function openScene(files: SceneFiles): Promise<Scene> {
  const panDataset = await openRaster(files.panPath, 'PAN');
  let msDataset: Dataset | null = null;
  let warped: Dataset | null = null;
  try {
    msDataset = await openRaster(files.msPath, 'MS');
    const pan = readRasterInfoFromDataset(panDataset, files.panPath);
    const ms = readRasterInfoFromDataset(msDataset, files.msPath);
    const panGeo = requireGeoreference(pan, 'PAN');
    const msGeo = requireGeoreference(ms, 'MS');
    checkBandCounts(pan, ms);
    const layout = applyBandLayout(inferBandLayout(ms, pan), files.layout, ms);
    checkMinimumSize(pan, ms);

    const notes: string[] = [];
    if (layout.bandsGuessed) {
      const from = layout.bandSource === 'color-interp' ? "the bands' colour interpretation" : `the band count (${ms.bandCount})`;
      notes.push(`MS band names guessed from ${from}: ${layout.bandNames.join(', ')}; set them if wrong (app: Sensor & bands; CLI: --bands)`);
    }
    const grid = await alignMsToPan(panDataset, msDataset, pan, ms, panGeo.gt, msGeo.gt, files);
    if (grid.dataset !== msDataset) warped = grid.dataset;
    if (grid.note) notes.push(grid.note);

    const ratio = grid.ratio;
    const { region, msRegion } = overlapRegion(pan, panGeo.gt, grid, files);
    if (region.width !== pan.width || region.height !== pan.height) {
      notes.push(
        `PAN and MS do not cover the same area: processing their ${region.width}×${region.height} PAN-pixel intersection at PAN pixel (${region.colOff}, ${region.rowOff})`,
      );
    }
    const panDs = panDataset;
    const msDs = grid.dataset;
    const originalMs = msDataset;
    return {
      pan,
      ms,
      panDataset: panDs,
      msDataset: msDs,
      ratio,
      region,
      msRegion,
      geoTransform: windowTransform(region, panGeo.gt),
      crsWkt: panGeo.wkt,
      bandCount: ms.bandCount,
      bandDescriptions: layout.bandNames,
      sensor: layout.sensor,
      layout,
      notes,
      inputFiles: [...new Set([files.panPath, files.msPath, ...panDataset.getFileList(), ...msDataset.getFileList()])],
      close() {
        if (msDs !== originalMs) msDs.close();
        originalMs.close();
        panDs.close();
      },
    };
  } catch (err) {
    warped?.close();
    msDataset?.close();
    panDataset.close();
    throw err;
  }
}
