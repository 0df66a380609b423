/**
 * @module renderer/panels/scene-name
 * A scene's short name for file names and lists: its PAN file's stem without a trailing PAN marker.
 */

/** "wv3_shanghai" from /data/wv3_shanghai_pan.tif (also -P, .pan, _PAN); the stem itself when it has none. */
export function sceneNameOf(panPath: string): string {
  const stem = (panPath.split(/[\\/]/).pop() ?? panPath).replace(/\.[^.]+$/, '');
  return stem.replace(/([-_. ](pan|p)|pan)$/i, '') || stem;
}
