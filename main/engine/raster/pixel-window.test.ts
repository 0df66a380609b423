import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clampWindow,
  containsWindow,
  expandWindow,
  intersectWindows,
  pixelWindow,
  rasterWindow,
  scaleDownWindow,
  scaleUpWindow,
  snapWindowIn,
  snapWindowOut,
  translateWindow,
  windowArea,
  windowRelativeTo,
} from './pixel-window.ts';

test('a window refuses a negative size, accepts negative offsets and an empty size', () => {
  assert.throws(() => pixelWindow(0, 0, -1, 4), RangeError);
  assert.throws(() => pixelWindow(0, 0, 4, NaN), RangeError);
  assert.deepEqual(pixelWindow(-8, -4, 0, 2), { colOff: -8, rowOff: -4, width: 0, height: 2 });
  assert.deepEqual(rasterWindow(30, 20), { colOff: 0, rowOff: 0, width: 30, height: 20 });
});

test('intersection: overlap, containment, touching edges and disjoint windows', () => {
  assert.deepEqual(intersectWindows(pixelWindow(0, 0, 10, 10), pixelWindow(5, -3, 10, 6)), { colOff: 5, rowOff: 0, width: 5, height: 3 });
  assert.deepEqual(intersectWindows(pixelWindow(0, 0, 10, 10), pixelWindow(2, 3, 4, 5)), { colOff: 2, rowOff: 3, width: 4, height: 5 });
  assert.equal(intersectWindows(pixelWindow(0, 0, 10, 10), pixelWindow(10, 0, 5, 5)), null, 'sharing only an edge is empty');
  assert.equal(intersectWindows(pixelWindow(0, 0, 10, 10), pixelWindow(-20, -20, 5, 5)), null);
  assert.equal(intersectWindows(pixelWindow(0, 0, 10, 10), pixelWindow(3, 3, 0, 4)), null, 'an empty window meets nothing');
});

test('clamping to a raster keeps the part on it, null when wholly off it', () => {
  assert.deepEqual(clampWindow(pixelWindow(-4, -4, 12, 12), 6, 10), { colOff: 0, rowOff: 0, width: 6, height: 8 });
  assert.deepEqual(clampWindow(pixelWindow(1, 2, 3, 4), 6, 10), { colOff: 1, rowOff: 2, width: 3, height: 4 });
  assert.equal(clampWindow(pixelWindow(6, 0, 2, 2), 6, 10), null);
  assert.equal(clampWindow(pixelWindow(-3, 0, 3, 2), 6, 10), null);
});

test('containment by bounds, edges included', () => {
  const outer = pixelWindow(-2, -2, 10, 10);
  assert.ok(containsWindow(outer, outer));
  assert.ok(containsWindow(outer, pixelWindow(0, 0, 8, 8)));
  assert.ok(!containsWindow(outer, pixelWindow(0, 0, 9, 8)));
  assert.ok(!containsWindow(outer, pixelWindow(-3, 0, 1, 1)));
  assert.ok(containsWindow(outer, pixelWindow(8, 8, 0, 0)), 'an empty window on the far edge');
  assert.ok(!containsWindow(outer, pixelWindow(100, 100, 0, 0)), 'an empty window elsewhere');
});

test('translation and coordinates relative to another window', () => {
  assert.deepEqual(translateWindow(pixelWindow(2, 3, 4, 5), -6, 10), { colOff: -4, rowOff: 13, width: 4, height: 5 });
  const read = pixelWindow(32, 64, 100, 100);
  assert.deepEqual(windowRelativeTo(pixelWindow(40, 64, 10, 20), read), { colOff: 8, rowOff: 0, width: 10, height: 20 });
  assert.deepEqual(windowRelativeTo(pixelWindow(0, 0, 10, 20), read), { colOff: -32, rowOff: -64, width: 10, height: 20 });
});

test('expansion by an overlap grows every side and may leave the raster', () => {
  assert.deepEqual(expandWindow(pixelWindow(0, 4, 8, 8), 3), { colOff: -3, rowOff: 1, width: 14, height: 14 });
  assert.deepEqual(expandWindow(pixelWindow(5, 5, 8, 8), 0), { colOff: 5, rowOff: 5, width: 8, height: 8 });
});

test('scaling between grids: PAN → MS needs alignment, MS → PAN multiplies; a non-integer ratio is refused', () => {
  assert.deepEqual(scaleDownWindow(pixelWindow(-8, 16, 32, 8), 4), { colOff: -2, rowOff: 4, width: 8, height: 2 });
  assert.throws(() => scaleDownWindow(pixelWindow(2, 0, 8, 8), 4), /not aligned/);
  assert.throws(() => scaleDownWindow(pixelWindow(-3, 0, 8, 8), 4), /not aligned/);
  assert.throws(() => scaleDownWindow(pixelWindow(0, 0, 6, 8), 4), /not aligned/);
  assert.deepEqual(scaleUpWindow(pixelWindow(-2, 4, 8, 2), 4), { colOff: -8, rowOff: 16, width: 32, height: 8 });
  for (const bad of [2.5, 0, -4, NaN]) {
    assert.throws(() => scaleDownWindow(pixelWindow(0, 0, 10, 10), bad), /positive integer/);
    assert.throws(() => scaleUpWindow(pixelWindow(0, 0, 10, 10), bad), /positive integer/);
  }
  const w = pixelWindow(12, -4, 20, 8);
  assert.deepEqual(scaleDownWindow(scaleUpWindow(w, 3), 3), w);
});

test('snapping outward to a grid covers the window with whole cells', () => {
  assert.deepEqual(snapWindowOut(pixelWindow(5, 3, 6, 1), 4), { colOff: 4, rowOff: 0, width: 8, height: 4 });
  assert.deepEqual(snapWindowOut(pixelWindow(-5, 8, 4, 8), 4), { colOff: -8, rowOff: 8, width: 8, height: 8 });
  assert.deepEqual(snapWindowOut(pixelWindow(4, 4, 8, 8), 4), { colOff: 4, rowOff: 4, width: 8, height: 8 }, 'aligned: unchanged');
  assert.throws(() => snapWindowOut(pixelWindow(0, 0, 1, 1), 1.5), /positive integer/);
});

test('snapping inward to a grid keeps the whole cells inside, null when none fits', () => {
  assert.deepEqual(snapWindowIn(pixelWindow(5, -3, 12, 12), 4), { colOff: 8, rowOff: 0, width: 8, height: 8 });
  assert.deepEqual(snapWindowIn(pixelWindow(4, 4, 8, 8), 4), { colOff: 4, rowOff: 4, width: 8, height: 8 }, 'aligned: unchanged');
  assert.equal(snapWindowIn(pixelWindow(5, 0, 6, 8), 4), null, 'no whole column of cells');
  assert.throws(() => snapWindowIn(pixelWindow(0, 0, 8, 8), 0), /positive integer/);
});

test('area', () => {
  assert.equal(windowArea(pixelWindow(-3, 7, 4, 5)), 20);
  assert.equal(windowArea(pixelWindow(0, 0, 0, 5)), 0);
});
