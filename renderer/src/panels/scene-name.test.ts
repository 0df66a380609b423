import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sceneNameOf } from './scene-name.ts';

test('a scene is named by its PAN file without the PAN marker', () => {
  const names = {
    '/data/ikonos_italy_pan.tif': 'ikonos_italy',
    'C:\\scenes\\WV3-Shanghai-P.TIF': 'WV3-Shanghai',
    '/x/LC09_B8.tif': 'LC09_B8',
    '/x/stamp.tif': 'stamp',
    '/x/pan.tif': 'pan',
  };
  for (const [panPath, name] of Object.entries(names)) assert.equal(sceneNameOf(panPath), name, panPath);
});
