import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sceneNameOf } from './scene-name.ts';

test('a scene is named by its PAN file without the PAN marker', () => {
  assert.equal(sceneNameOf('/data/ikonos_italy_pan.tif'), 'ikonos_italy');
  assert.equal(sceneNameOf('C:\\scenes\\WV3-Shanghai-P.TIF'), 'WV3-Shanghai');
  assert.equal(sceneNameOf('/x/LC09_B8.tif'), 'LC09_B8');
  assert.equal(sceneNameOf('/x/stamp.tif'), 'stamp');
  assert.equal(sceneNameOf('/x/pan.tif'), 'pan');
});
