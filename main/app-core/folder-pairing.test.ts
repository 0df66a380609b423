import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../engine/errors.ts';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { pairSceneFolder } from './folder-pairing.ts';

const root = tempFolder('pairing');
let n = 0;
/** A folder holding empty files with these relative names (pairing looks at names only). */
function folderWith(...names: string[]): string {
  const dir = join(root, `f${n++}`);
  for (const name of names) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), '');
  }
  return dir;
}

test('one PAN and one MS candidate pair, whatever else the folder holds', () => {
  const dir = folderWith('scene_pan.tif', 'scene_ms.tif', 'scene_truth.tif', 'readme.txt', 'scene_ms.tif.aux.xml');
  assert.deepEqual(pairSceneFolder(dir), { panPath: join(dir, 'scene_pan.tif'), msPath: join(dir, 'scene_ms.tif') });
});

test('vendor layouts: Maxar P1BS/M1BS, Pleiades _P_/_MS_, PAN/ and MS/ subfolders', () => {
  let dir = folderWith('20JUN15-WV02-P1BS-0123_P001.TIF', '20JUN15-WV02-M1BS-0123_P001.TIF');
  assert.deepEqual(pairSceneFolder(dir), { panPath: join(dir, '20JUN15-WV02-P1BS-0123_P001.TIF'), msPath: join(dir, '20JUN15-WV02-M1BS-0123_P001.TIF') });
  dir = folderWith('IMG_PHR1A_P_001.JP2', 'IMG_PHR1A_MS_001.JP2');
  assert.deepEqual(pairSceneFolder(dir), { panPath: join(dir, 'IMG_PHR1A_P_001.JP2'), msPath: join(dir, 'IMG_PHR1A_MS_001.JP2') });
  dir = folderWith('PAN/image.tif', 'MS/image.tif');
  assert.deepEqual(pairSceneFolder(dir), { panPath: join(dir, 'PAN/image.tif'), msPath: join(dir, 'MS/image.tif') });
});

test('two products in one folder pair by stem when that leaves one pair, else refuse', () => {
  const one = folderWith('a_pan.tif', 'a_ms.tif', 'b_pan.tif');
  assert.deepEqual(pairSceneFolder(one), { panPath: join(one, 'a_pan.tif'), msPath: join(one, 'a_ms.tif') });
  const two = folderWith('wv2_washington_pan.tif', 'wv2_washington_ms.tif', 'ikonos_italy_pan.tif', 'ikonos_italy_ms.tif');
  assert.throws(
    () => pairSceneFolder(two),
    (err: unknown) =>
      err instanceof InputError &&
      err.code === 'folder-ambiguous' &&
      /more than one possible PAN\/MS pair.*ikonos_italy_pan\.tif.*choose the two files/.test(err.message),
  );
});

test('no pair: the error lists what was found and what names are expected', () => {
  const dir = folderWith('image1.tif', 'image2.tif', 'x_pan.tif');
  assert.throws(
    () => pairSceneFolder(dir),
    (err: unknown) =>
      err instanceof InputError && err.code === 'folder-no-pair' && /found 3 raster file\(s\), PAN by name \[x_pan\.tif\], MS by name \[\]/.test(err.message),
  );
  assert.throws(
    () => pairSceneFolder(join(root, 'missing')),
    (err: unknown) => err instanceof InputError && err.code === 'folder-unreadable',
  );
});
