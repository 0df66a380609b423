import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planTiles } from './tile-plan.ts';

const region = { colOff: 0, rowOff: 0, width: 1280, height: 1000 };

test('cores cover the region exactly once, edges clipped', () => {
  const plan = planTiles({ region, ratio: 4, tileSizePx: 512, overlapPx: 32, multiplePx: 4 });
  assert.equal(plan.cols, 3);
  assert.equal(plan.rows, 2);
  const hits = new Uint8Array(region.width * region.height);
  for (const t of plan.tiles) {
    for (let r = t.core.rowOff; r < t.core.rowOff + t.core.height; r++)
      for (let c = t.core.colOff; c < t.core.colOff + t.core.width; c++) hits[r * region.width + c]! += 1;
  }
  assert.ok(hits.every((h) => h === 1));
  const last = plan.tiles.at(-1)!;
  assert.deepEqual(last.core, { colOff: 1024, rowOff: 512, width: 256, height: 488 });
});

test('every read window has the same shape: core origin minus overlap, tile + 2·overlap', () => {
  const plan = planTiles({ region, ratio: 4, tileSizePx: 512, overlapPx: 30, multiplePx: 4 });
  assert.equal(plan.overlapPx, 32, 'overlap rounds up to the ratio');
  for (const t of plan.tiles) {
    assert.equal(t.read.width, plan.readSizePx);
    assert.equal(t.read.height, plan.readSizePx);
    assert.equal(t.read.colOff, t.core.colOff - 32);
    assert.equal(Math.abs(t.read.rowOff % 4), 0);
  }
});

test('read size honours the network multiple', () => {
  const plan = planTiles({ region, ratio: 4, tileSizePx: 500, overlapPx: 20, multiplePx: 32 });
  assert.equal(plan.readSizePx % 32, 0);
  assert.equal(plan.tileSizePx % 4, 0);
});

test('a small region gets one tile just big enough', () => {
  const plan = planTiles({ region: { colOff: 8, rowOff: 4, width: 40, height: 24 }, ratio: 4, tileSizePx: 512, overlapPx: 16, multiplePx: 16 });
  assert.equal(plan.tiles.length, 1);
  assert.equal(plan.tileSizePx, 48);
  assert.equal(plan.readSizePx % 16, 0);
  assert.deepEqual(plan.tiles[0]!.core, { colOff: 8, rowOff: 4, width: 40, height: 24 });
});

test('rejects a region that is not whole MS pixels', () => {
  assert.throws(
    () => planTiles({ region: { colOff: 2, rowOff: 0, width: 62, height: 64 }, ratio: 4, tileSizePx: 32, overlapPx: 0, multiplePx: 4 }),
    /not a whole number of MS pixels/,
  );
});
