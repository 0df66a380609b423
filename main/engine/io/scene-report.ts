/**
 * @module main/engine/io/scene-report
 * `panforge info`: what was read from a PAN + MS pair and what PanForge will do with it, as plain JSON-able data
 * and as a readable text report.
 */
import { listMethods } from '../methods/registry.ts';
import { readSceneSample } from '../methods/scene-sample.ts';
import { resolveValueScale, type ValueScale } from '../methods/value-scale.ts';
import { extentOf } from '../raster/geo-transform.ts';
import type { PixelWindow } from '../raster/pixel-window.ts';
import { openScene, type SceneFiles } from './open-scene.ts';
import type { RasterInfo } from './raster-info.ts';

export interface RasterReport {
  readonly path: string;
  readonly driver: string;
  readonly width: number;
  readonly height: number;
  readonly bandCount: number;
  readonly dataType: string;
  readonly crs: string | null;
  readonly crsCode: string | null;
  readonly pixelSize: readonly [number, number] | null;
  readonly extent: readonly [number, number, number, number] | null;
  readonly bands: readonly { readonly number: number; readonly description: string; readonly noData: number | null }[];
  readonly declaredBitDepth: number | null;
  readonly sensor: string | null;
}

export interface SceneReport {
  readonly pan: RasterReport;
  readonly ms: RasterReport;
  readonly ratio: number;
  readonly region: PixelWindow;
  readonly valueScale: ValueScale;
  readonly sensor: string | null;
  readonly crsProj4: string;
  readonly notes: readonly string[];
  readonly methods: readonly { readonly id: string; readonly fits: boolean; readonly why: string }[];
}

function rasterReport(info: RasterInfo): RasterReport {
  const gt = info.geoTransform;
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
      const why = fitsBands.length === 0
        ? `needs ${entry.variants.map((v) => v.bandCount).join(' or ')} bands`
        : fitsRatio.length === 0 ? `needs ratio ${fitsBands[0]!.supportedRatios.join('/')}` : 'ok';
      return { id: entry.id, fits: fitsRatio.length > 0, why };
    });
    return {
      pan: rasterReport(scene.pan),
      ms: rasterReport(scene.ms),
      ratio: scene.ratio,
      region: scene.region,
      valueScale: resolveValueScale(scene, sample),
      sensor: scene.sensor,
      crsProj4: scene.pan.crs?.proj4 ?? '',
      notes: scene.notes,
      methods,
    };
  } finally {
    scene.close();
  }
}

function rasterLines(role: string, r: RasterReport): string[] {
  const lines = [
    `${role}: ${r.path}`,
    `  ${r.driver}, ${r.width} × ${r.height} px, ${r.bandCount} band${r.bandCount > 1 ? 's' : ''}, ${r.dataType}${r.declaredBitDepth ? ` (${r.declaredBitDepth}-bit declared)` : ''}`,
    `  CRS ${r.crs ?? 'none'}${r.crsCode ? ` (${r.crsCode})` : ''}, pixel ${r.pixelSize ? r.pixelSize.join(' × ') : '?'}${r.sensor ? `, sensor ${r.sensor}` : ''}`,
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
    `Scene: ratio ${report.ratio}, processing ${report.region.width} × ${report.region.height} PAN px at (${report.region.colOff}, ${report.region.rowOff}), sensor ${report.sensor ?? 'unknown'}`,
    `  values: ${vs.bitDepth !== null ? `${vs.bitDepth}-bit` : 'reflectance'} (1.0 = ${vs.valueMax} DN, from ${vs.source})`,
    ...report.notes.map((n) => `  note: ${n}`),
    `Methods: ${report.methods.map((m) => `${m.id}${m.fits ? '' : ` (no: ${m.why})`}`).join(', ')}`,
  ].join('\n');
}
