/**
 * @module main/engine/io/ground-size
 * A pixel's size on the ground, in metres, whatever the CRS's units: metres as they are, feet scaled, and degrees
 * (a geographic CRS) converted at a given latitude on the WGS 84 ellipsoid — one degree of longitude shrinks with
 * the cosine of the latitude, so a plate carrée pixel is not square on the ground.
 */
import type { CrsInfo } from './raster-info.ts';

const WGS84_A = 6378137;
const WGS84_E2 = 0.00669437999014;

/** Metres per degree of longitude and of latitude at `latitudeDeg` (WGS 84 radii of curvature). */
export function metresPerDegree(latitudeDeg: number): { readonly x: number; readonly y: number } {
  const phi = (latitudeDeg * Math.PI) / 180;
  const w = Math.sqrt(1 - WGS84_E2 * Math.sin(phi) ** 2);
  const prime = WGS84_A / w; // prime vertical radius
  const meridional = (WGS84_A * (1 - WGS84_E2)) / w ** 3;
  return { x: (Math.PI / 180) * prime * Math.cos(phi), y: (Math.PI / 180) * meridional };
}

/** Ground size in metres (x, y) of a `pixelX`×`pixelY` pixel (CRS units) at latitude `centreY` for geographic CRSs. */
export function groundPixelSize(crs: Pick<CrsInfo, 'units' | 'metresPerUnit'>, pixelX: number, pixelY: number, centreY: number): [number, number] {
  if (crs.units === 'degree') {
    const m = metresPerDegree(centreY);
    return [Math.abs(pixelX) * m.x, Math.abs(pixelY) * m.y];
  }
  return [Math.abs(pixelX) * crs.metresPerUnit, Math.abs(pixelY) * crs.metresPerUnit];
}
