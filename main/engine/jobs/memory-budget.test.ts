import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelError } from '../errors.ts';
import { BASE_BYTES, fitTileBudget, isAllocationFailure, MEASURED_TILE_MEMORY, parseMemorySize, tileBytes } from './memory-budget.ts';

const GIB = 1024 ** 3;
const request = { bands: 4, overlapPx: 24, multiplePx: 4, batchSize: 1, tilesInFlight: 4 };

test('every measured model keeps a 512 px tile within 8 GiB, and the estimate counts base and buffers', () => {
  for (const name of Object.keys(MEASURED_TILE_MEMORY)) {
    const fit = fitTileBudget({ ...request, modelName: name, tileSizePx: 512, maxMemoryBytes: 8 * GIB });
    assert.equal(fit.tileSizePx, 512, name);
    assert.ok(fit.estimatedBytes > BASE_BYTES + tileBytes(MEASURED_TILE_MEMORY[name]!, 560), name);
  }
});

test('GGPNet at 1280 px does not fit the 8 GiB of a 16 GB laptop: the tile shrinks until it does', () => {
  const fit = fitTileBudget({ ...request, modelName: 'ggpnet-4band', tileSizePx: 1280, maxMemoryBytes: 8 * GIB });
  assert.ok(fit.tileSizePx < 1280 && fit.tileSizePx % 4 === 0, String(fit.tileSizePx));
  assert.ok(fit.estimatedBytes <= 8 * GIB);
  assert.match(fit.note ?? '', /tiles of \d+ px instead of 1280 to stay within --max-memory 8\.00 GiB/);
  // The next tile size up would not have fitted.
  const bigger = fitTileBudget({ ...request, modelName: 'ggpnet-4band', tileSizePx: fit.tileSizePx + 4, maxMemoryBytes: 64 * GIB });
  assert.ok(bigger.estimatedBytes > 8 * GIB);
});

test('a batch shrinks before the tile does', () => {
  const fit = fitTileBudget({ ...request, modelName: 'premix-4band', tileSizePx: 512, batchSize: 8, maxMemoryBytes: 4 * GIB });
  assert.equal(fit.tileSizePx, 512);
  assert.ok(fit.batchSize < 8 && fit.batchSize >= 1);
  assert.match(fit.note ?? '', /batches of \d instead of 8/);
});

test('a budget nothing fits is a ModelError with both numbers', () => {
  assert.throws(
    () => fitTileBudget({ ...request, modelName: 'premix-4band', tileSizePx: 512, maxMemoryBytes: 100 * 1024 ** 2 }),
    (err: unknown) => {
      assert.ok(err instanceof ModelError);
      assert.equal(err.code, 'memory-budget');
      assert.match(err.message, /needs about 0\.\d\d GiB even with 64 px tiles, more than --max-memory 0\.10 GiB/);
      return true;
    },
  );
});

test('unmeasured variants borrow the largest coefficients; baselines are small', () => {
  const unknown = fitTileBudget({ ...request, modelName: 'ggpnet-8band', tileSizePx: 512, maxMemoryBytes: 8 * GIB });
  const known = fitTileBudget({ ...request, modelName: 'ggpnet-4band', tileSizePx: 512, maxMemoryBytes: 8 * GIB });
  assert.ok(unknown.estimatedBytes >= known.estimatedBytes);
  const baseline = fitTileBudget({ ...request, modelName: null, tileSizePx: 512, maxMemoryBytes: 1 * GIB });
  assert.equal(baseline.tileSizePx, 512);
});

test('sizes parse with units; allocation failures are recognised', () => {
  assert.equal(parseMemorySize('8G'), 8 * GIB);
  assert.equal(parseMemorySize('1500M'), 1500 * 1024 ** 2);
  assert.equal(parseMemorySize('2.5GiB'), 2.5 * GIB);
  assert.equal(parseMemorySize('lots'), null);
  assert.equal(parseMemorySize('-1G'), null);
  assert.ok(
    isAllocationFailure(
      new Error('Non-zero status code returned while running Conv node. Status Message: Failed to allocate memory for requested buffer of size 123'),
    ),
  );
  assert.ok(isAllocationFailure(new RangeError('Array buffer allocation failed')));
  assert.ok(!isAllocationFailure(new Error('model returned shape [1, 4]')));
});
