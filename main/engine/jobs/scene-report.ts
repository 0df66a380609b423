/**
 * @module main/engine/jobs/scene-report
 * `panforge info`: what was read from a PAN + MS pair and what PanForge will do with it, as plain JSON-able data
 * and as a readable text report.
 */
import { listMethods } from '../methods/registry.ts';
import { readSceneSample } from '../methods/scene-sample.ts';
import { resolveValueScale, type ValueScale } from '../methods/value-scale.ts';
import { extentOf } from '../raster/geo-transform.ts';
import type { PixelWindow } from '../raster/pixel-window.ts';
import type { BandLayout } from '../io/band-layout.ts';
import { openScene, type SceneFiles } from '../io/open-scene.ts';
import { groundPixelSize } from '../io/ground-size.ts';
import type { RasterInfo } from '../io/raster-info.ts';

/** One raster of the pair: RasterInfo's plain facts as read, its georeference and bands in readable form. */
export interface RasterReport extends Pick<RasterInfo, 'path' | 'driver' | 'width' | 'height' | 'bandCount' | 'dataType' | 'declaredBitDepth' | 'sensor'> {
  readonly crs: string | null;
  readonly crsCode: string | null;
  /** In the CRS's units (see crsUnits). */
  readonly pixelSize: readonly [number, number] | null;
  readonly crsUnits: 'metre' | 'degree' | 'other' | null;
  /** Pixel size on the ground in metres, at the raster's centre for a geographic CRS. */
  readonly groundPixelM: readonly [number, number] | null;
  readonly extent: readonly [number, number, number, number] | null;
  readonly bands: readonly { readonly number: number; readonly description: string; readonly noData: number | null }[];
}

export interface SceneReport {
  readonly pan: RasterReport;
  readonly ms: RasterReport;
  readonly ratio: number;
  readonly region: PixelWindow;
  readonly valueScale: ValueScale;
  readonly sensor: string | null;
  readonly layout: BandLayout;
  readonly crsProj4: string;
  readonly notes: readonly string[];
  readonly methods: readonly { readonly id: string; readonly fits: boolean; readonly why: string }[];
}

function rasterReport(info: RasterInfo): RasterReport {
  const gt = info.geoTransform;
  const centreY = gt ? gt[3] + (info.height / 2) * gt[5] : 0;
  return {
    path: info.path,
    driver: info.driver,
    width: info.width,
    height: info.height,
    bandCount: info.bandCount,
    dataType: info.dataType,
    crs: info.crs?.name ?? null,
    crsCode: info.crs?.code ?? null,
    pixelSize: gt ? [Math.abs(gt[1]), Math.abs(gt[5])] : null,
    crsUnits: info.crs?.units ?? null,
    groundPixelM: gt && info.crs ? groundPixelSize(info.crs, gt[1], gt[5], centreY) : null,
    extent: gt ? extentOf(gt, info.width, info.height) : null,
    bands: info.bands.map((b) => ({ number: b.bandNumber, description: b.description, noData: b.noData })),
    declaredBitDepth: info.declaredBitDepth,
    sensor: info.sensor,
  };
}

export async function describeScene(files: SceneFiles): Promise<SceneReport> {
  const scene = await openScene(files);
  try {
    const sample = await readSceneSample(scene);
    const methods = listMethods().map((entry) => {
      const fitsBands = entry.variants.filter((v) => v.bandCount === null || v.bandCount === scene.bandCount);
      const fitsRatio = fitsBands.filter((v) => v.supportedRatios.includes(scene.ratio));
      const why =
        fitsBands.length === 0
          ? `needs ${entry.variants.map((v) => v.bandCount).join(' or ')} bands`
          : fitsRatio.length === 0
            ? `needs ratio ${fitsBands[0]!.supportedRatios.join('/')}`
            : 'ok';
      return { id: entry.id, fits: fitsRatio.length > 0, why };
    });
    return {
      pan: rasterReport(scene.pan),
      ms: rasterReport(scene.ms),
      ratio: scene.ratio,
      region: scene.region,
      valueScale: resolveValueScale(scene, sample),
      sensor: scene.sensor,
      layout: scene.layout,
      crsProj4: scene.pan.crs?.proj4 ?? '',
      notes: scene.notes,
      methods,
    };
  } finally {
    scene.close();
  }
}

/** "0.5 × 0.5 m", or "2.7e-6 × 2.7e-6° (0.27 × 0.30 m at the centre)" for a geographic CRS. */
export function pixelText(r: Pick<RasterReport, 'pixelSize' | 'crsUnits' | 'groundPixelM'>): string {
  if (!r.pixelSize) return '?';
  const ground = r.groundPixelM ? `${r.groundPixelM.map((v) => +v.toPrecision(3)).join(' × ')} m` : '';
  if (r.crsUnits === 'degree') return `${r.pixelSize.map((v) => +v.toPrecision(6)).join(' × ')}°${ground ? ` (${ground} at the centre)` : ''}`;
  if (r.crsUnits === 'metre') return ground || `${r.pixelSize.join(' × ')} m`;
  return `${r.pixelSize.map((v) => +v.toPrecision(6)).join(' × ')} CRS units${ground ? ` (${ground})` : ''}`;
}

function rasterLines(role: string, r: RasterReport): string[] {
  const lines = [
    `${role}: ${r.path}`,
    `  ${r.driver}, ${r.width} × ${r.height} px, ${r.bandCount} band${r.bandCount > 1 ? 's' : ''}, ${r.dataType}${r.declaredBitDepth ? ` (${r.declaredBitDepth}-bit declared)` : ''}`,
    `  CRS ${r.crs ?? 'none'}${r.crsCode ? ` (${r.crsCode})` : ''}, pixel ${pixelText(r)}${r.sensor ? `, sensor ${r.sensor}` : ''}`,
    `  extent ${r.extent ? r.extent.map((v) => +v.toFixed(3)).join(', ') : '?'}`,
  ];
  const bandText = r.bands.map((b) => `${b.number}:${b.description || '-'}${b.noData !== null ? ` (nodata ${b.noData})` : ''}`).join('  ');
  lines.push(`  bands ${bandText}`);
  return lines;
}

export function formatSceneReport(report: SceneReport): string {
  const vs = report.valueScale;
  return [
    ...rasterLines('PAN', report.pan),
    ...rasterLines('MS ', report.ms),
    `Scene: ratio ${report.ratio}, processing ${report.region.width} × ${report.region.height} PAN px at (${report.region.colOff}, ${report.region.rowOff}), sensor ${report.sensor ?? 'unknown'}${report.layout.sensorSource === 'user' ? ' (chosen)' : ''}`,
    `  MS bands: ${report.layout.bandNames.join(', ')} (${report.layout.bandsGuessed ? 'guessed from ' : 'from '}${report.layout.bandSource.replace('-', ' ')})`,
    `  values: ${vs.bitDepth !== null ? `${vs.bitDepth}-bit` : 'reflectance'} (1.0 = ${vs.valueMax} DN, from ${vs.source})`,
    ...report.notes.map((n) => `  note: ${n}`),
    `Methods: ${report.methods.map((m) => `${m.id}${m.fits ? '' : ` (no: ${m.why})`}`).join(', ')}`,
  ].join('\n');
}
