import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RasterLayer } from '../../../preload/contract.ts';
import { LayerStore, type LayerChange } from './layer-store.ts';

function raster(layerId: string, bandDescriptions: string[]): RasterLayer {
  return {
    layerId,
    kind: 'output',
    name: layerId,
    bandCount: bandDescriptions.length,
    bandDescriptions,
    dataType: 'UInt16',
    extent: [0, 0, 10, 10],
    width: 10,
    height: 10,
    stats: bandDescriptions.map(() => ({ p2: 0, p98: 1, min: 0, max: 1 })),
    noData: null,
  };
}

test('outputs go on top, scene layers below; order moves and style updates notify', () => {
  const store = new LayerStore();
  const changes: LayerChange[] = [];
  store.onChange((c) => changes.push(c));
  store.add(raster('pan', ['Pan']), 'bottom');
  store.add(raster('ms', ['Blue', 'Green', 'Red', 'NIR']), 'bottom');
  store.add(raster('out', ['Blue', 'Green', 'Red', 'NIR']), 'top');
  store.add(raster('out', ['x']), 'top'); // known id: ignored
  assert.deepEqual(
    store.list().map((e) => e.layer.layerId),
    ['out', 'pan', 'ms'],
  );
  assert.deepEqual(store.get('ms')!.combo, { kind: 'true-colour', r: 2, g: 1, b: 0 });
  store.move('ms', -1);
  store.move('out', -1); // already on top: no change
  assert.deepEqual(
    store.list().map((e) => e.layer.layerId),
    ['out', 'ms', 'pan'],
  );
  store.update('pan', { opacity: 0.5, visible: false });
  assert.equal(store.get('pan')!.opacity, 0.5);
  assert.deepEqual(
    changes.map((c) => c.type),
    ['list', 'list', 'list', 'list', 'style'],
  );
  store.reset();
  assert.equal(store.list().length, 0);
});
