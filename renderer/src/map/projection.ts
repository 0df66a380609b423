/**
 * @module renderer/map/projection
 * The scene's CRS as an OpenLayers projection: the engine's proj4 definition registered under the EPSG code (or
 * "PANFORGE:<sceneId>" when the CRS has none). Rasters, mouse coordinates and every extent the app exchanges are in
 * it; a projected scene is also drawn in it (no reprojection), a geographic one through display-projection.ts.
 */
import { addProjection, get as getProjection } from 'ol/proj.js';
import Projection from 'ol/proj/Projection.js';
import { register } from 'ol/proj/proj4.js';
import proj4 from 'proj4';
import type { SceneView } from '../../../preload/contract.ts';

export function sceneProjectionCode(scene: Pick<SceneView, 'crsCode' | 'sceneId'>): string {
  return scene.crsCode ?? `PANFORGE:${scene.sceneId}`;
}

export function registerSceneProjection(scene: Pick<SceneView, 'crsCode' | 'sceneId' | 'crsProj4' | 'extent' | 'crsName'>): Projection {
  const code = sceneProjectionCode(scene);
  if (scene.crsProj4.trim()) {
    proj4.defs(code, scene.crsProj4);
    register(proj4);
  } else {
    // A local (engineering) CRS has no proj4 form: a plain metric projection still places the layers correctly.
    addProjection(new Projection({ code, units: 'm', extent: scene.extent }));
  }
  const projection = getProjection(code);
  if (!projection) throw new Error(`the scene's CRS ${scene.crsName} (${code}) could not be registered with OpenLayers`);
  return projection;
}
