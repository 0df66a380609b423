/**
 * @module main/engine/testing/sample-scenes
 * Where the real sample scenes are (../shared/data, read-only, not in the repository), and the one reason tests
 * that need them give when skipped on a machine without them (a fresh clone); their synthetic equivalents still run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `$PANFORGE_SHARED_DATA` (as the model tools read it), else `$PANFORGE_SHARED/data`, else ../shared/data beside the repository. */
export function sharedDataFolder(): string {
  if (process.env.PANFORGE_SHARED_DATA) return process.env.PANFORGE_SHARED_DATA;
  const shared = process.env.PANFORGE_SHARED ?? fileURLToPath(new URL('../../../../shared', import.meta.url));
  return join(shared, 'data');
}

/** false when the sample scenes are here; else the skip message (a node:test `skip` value). */
export function sampleScenesMissing(): string | false {
  const folder = sharedDataFolder();
  if (existsSync(join(folder, 'ikonos_italy_pan.tif')) && existsSync(join(folder, 'wv2_washington_pan.tif'))) return false;
  return `needs the sample scenes, not found in ${folder} (set PANFORGE_SHARED_DATA); synthetic tests cover the same code`;
}
