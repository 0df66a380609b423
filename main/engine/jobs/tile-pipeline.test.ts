// The tile pipeline on plain arrays: order, the in-flight bound under a slow writer, overlap of stages,
// cancellation, and errors from any stage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelledError } from '../errors.ts';
import { maxTilesInFlight, runTilePipeline, type TilePipelineStages } from './tile-pipeline.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Probe {
  readonly stages: TilePipelineStages<number, number, number[], number[], number>;
  readonly written: number[];
  readonly batchSizes: number[];
  /** Tiles read but not yet written, at its highest. */
  maxInFlight: number;
  readsStarted: number;
}

function probe(options: { readMs?: (i: number) => number; inferMs?: number; writeMs?: number } = {}): Probe {
  let inFlight = 0;
  const p: Probe = {
    written: [],
    batchSizes: [],
    maxInFlight: 0,
    readsStarted: 0,
    stages: {
      async read(i) {
        p.readsStarted++;
        inFlight++;
        p.maxInFlight = Math.max(p.maxInFlight, inFlight);
        await sleep(options.readMs?.(i) ?? 0);
        return i;
      },
      encode: (batch) => batch.map((v) => v * 10),
      async infer(encoded) {
        p.batchSizes.push(encoded.length);
        await sleep(options.inferMs ?? 0);
        return encoded.map((v) => v + 1);
      },
      decode: (result) => result,
      async write(output, input) {
        assert.equal(output, input * 10 + 1, 'each output meets its own input');
        await sleep(options.writeMs ?? 0);
        p.written.push(input);
        inFlight--;
      },
    },
  };
  return p;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('tiles are written in order although reads finish out of order', async () => {
  const p = probe({ readMs: (i) => (i % 3 === 0 ? 12 : i % 3) });
  await runTilePipeline(range(23), p.stages, { batchSize: 4, readConcurrency: 3 });
  assert.deepEqual(p.written, range(23));
  assert.deepEqual(p.batchSizes, [4, 4, 4, 4, 4, 3]);
});

test('back-pressure: a slow writer holds at most maxTilesInFlight tiles, not the scene', async () => {
  const options = { batchSize: 2, readConcurrency: 2, writeQueue: 2 };
  const p = probe({ writeMs: 3 });
  await runTilePipeline(range(60), p.stages, options);
  assert.equal(p.written.length, 60);
  assert.ok(p.maxInFlight <= maxTilesInFlight(options), `max in flight ${p.maxInFlight} > bound ${maxTilesInFlight(options)}`);
  assert.ok(p.maxInFlight < 20, `in flight ${p.maxInFlight}: the reader ran far ahead`);
});

test('back-pressure: a slow device holds the reader back too', async () => {
  const options = { batchSize: 4, readConcurrency: 2, writeQueue: 1 };
  const p = probe({ inferMs: 8 });
  await runTilePipeline(range(64), p.stages, options);
  assert.ok(p.maxInFlight <= maxTilesInFlight(options), `max in flight ${p.maxInFlight} > bound ${maxTilesInFlight(options)}`);
});

test('stages overlap: reading and inference run at the same time', async () => {
  const p = probe({ readMs: () => 10, inferMs: 10 });
  const timings = await runTilePipeline(range(12), p.stages, { batchSize: 1, readConcurrency: 1 });
  // Serial would be ≥ 12·(10 + 10) ms; overlapped it is ≈ 12·10 ms plus start-up.
  assert.ok(
    timings.wallMs < 0.8 * (timings.readMs + timings.inferMs),
    `wall ${timings.wallMs.toFixed(0)} ms vs read ${timings.readMs.toFixed(0)} + infer ${timings.inferMs.toFixed(0)} ms`,
  );
});

test('cancellation stops within the batch in flight and rejects with CancelledError', async () => {
  const controller = new AbortController();
  const p = probe({ inferMs: 2 });
  let readsAtAbort = -1;
  await assert.rejects(
    runTilePipeline(range(200), p.stages, {
      batchSize: 2,
      signal: controller.signal,
      onTileWritten: (input) => {
        if (input === 5) {
          controller.abort();
          readsAtAbort = p.readsStarted;
        }
      },
    }),
    CancelledError,
  );
  assert.deepEqual(p.written, range(6), 'nothing is written after the abort');
  assert.equal(p.readsStarted, readsAtAbort, 'no tile is read after the abort');
});

test('an error in any stage fails the run with that error', async () => {
  for (const stage of ['read', 'encode', 'infer', 'decode', 'write'] as const) {
    const p = probe();
    const failing = {
      ...p.stages,
      [stage]: (...args: unknown[]) => {
        if (stage === 'read' ? args[0] === 7 : stage === 'write' ? args[1] === 7 : true) throw new Error(`${stage} broke`);
        return (p.stages[stage] as (...a: unknown[]) => unknown)(...args);
      },
    };
    await assert.rejects(runTilePipeline(range(10), failing, { batchSize: 3 }), new RegExp(`${stage} broke`));
  }
});
