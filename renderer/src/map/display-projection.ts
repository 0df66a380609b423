/**
 * @module renderer/map/display-projection
 * The projection the map is drawn in. A projected scene is drawn in its own CRS (no resampling). A geographic scene
 * (longitude/latitude) would be drawn in plate carrée, stretched east–west by 1/cos(latitude) (16 % at 31°), so it
 * is drawn in the WGS 84 UTM zone of its centre instead: OpenLayers reprojects the tiles for display only, and
 * every coordinate the app exchanges (clicks, previews, exports) stays in the scene's CRS.
 */
import { get as getProjection } from 'ol/proj.js';
import type Projection from 'ol/proj/Projection.js';
import { register } from 'ol/proj/proj4.js';
import proj4 from 'proj4';
import type { SceneView } from '../../../preload/contract.ts';

export interface DisplayProjection {
  readonly projection: Projection;
  /** Null when the map is drawn in the scene's own CRS; else what the user is told (e.g. "shown in UTM zone 51N"). */
  readonly note: string | null;
  /** Map units per ground metre near the centre, to turn the PAN ground size into a view resolution. */
  readonly metric: boolean;
}

/** WGS 84 / UTM zone of a longitude/latitude: its EPSG code and proj4 definition. */
export function utmZoneFor(lon: number, lat: number): { code: string; proj4: string; label: string } {
  const zone = Math.min(60, Math.max(1, Math.floor(((((lon + 180) % 360) + 360) % 360) / 6) + 1));
  const south = lat < 0;
  return {
    code: `EPSG:${south ? 327 : 326}${String(zone).padStart(2, '0')}`,
    proj4: `+proj=utm +zone=${zone}${south ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`,
    label: `UTM zone ${zone}${south ? 'S' : 'N'}`,
  };
}

export function displayProjectionFor(scene: Pick<SceneView, 'crsUnits' | 'extent' | 'crsProj4'>, sceneProjection: Projection): DisplayProjection {
  if (scene.crsUnits !== 'degree' || !scene.crsProj4.trim()) return { projection: sceneProjection, note: null, metric: scene.crsUnits === 'metre' };
  const [x0, y0, x1, y1] = scene.extent;
  const utm = utmZoneFor((x0 + x1) / 2, (y0 + y1) / 2);
  if (!getProjection(utm.code)) {
    proj4.defs(utm.code, utm.proj4);
    register(proj4);
  }
  const projection = getProjection(utm.code);
  if (!projection) return { projection: sceneProjection, note: null, metric: false };
  return { projection, note: `drawn in ${utm.label} (${utm.code}) for true shapes; coordinates, previews and exports stay in the scene's CRS`, metric: true };
}
