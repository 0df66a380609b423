/**
 * @module renderer/map/scene-units
 * How the scene's coordinates and resolution read to a user: metres as metres, and for a geographic CRS degrees
 * with enough decimals (1e-7° ≈ 1 cm) plus the ground size in metres at the scene's centre. Pure functions.
 */
import type { SceneView } from '../../../preload/contract.ts';

type Units = Pick<SceneView, 'crsUnits'>;

/** Decimals that resolve a centimetre in the scene's units. */
export function coordinateDigits(scene: Units | null): number {
  return scene?.crsUnits === 'degree' ? 7 : 2;
}

/** "x 500123.25, y 4600012.50", or "lon 121.7512345°, lat 31.2301234°" for a geographic CRS. */
export function formatPoint(scene: Units | null, x: number, y: number): string {
  const d = coordinateDigits(scene);
  return scene?.crsUnits === 'degree' ? `lon ${x.toFixed(d)}°, lat ${y.toFixed(d)}°` : `x ${x.toFixed(d)}, y ${y.toFixed(d)}`;
}

function metres(v: number): string {
  return `${+v.toPrecision(3)} m`;
}

/** The PAN resolution for the header: "0.5 m PAN", or "0.0000027° ≈ 0.27 × 0.30 m PAN (at the centre)". */
export function resolutionText(scene: Pick<SceneView, 'crsUnits' | 'panPixelSize' | 'panGroundPixelM'>): string {
  const [gx, gy] = scene.panGroundPixelM;
  const ground = gx !== undefined && gy !== undefined ? (Math.abs(gx - gy) <= 0.005 * gx ? metres(gx) : `${+gx.toPrecision(3)} × ${metres(gy)}`) : '';
  if (scene.crsUnits === 'degree') return `${+scene.panPixelSize.toPrecision(4)}° ≈ ${ground} PAN (at the centre)`;
  if (scene.crsUnits === 'metre') return `${ground || metres(scene.panPixelSize)} PAN`;
  return `${+scene.panPixelSize.toPrecision(6)} CRS units${ground ? ` ≈ ${ground}` : ''} PAN`;
}
