// The batch runner with fake backends: a simulated CUDA out-of-memory shrinks the batch, a CUDA that fails on
// one tile hands over to CPU, and no tile is lost or reordered either way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchRunner, type InferenceBackend, type TileBatch, type TileShape } from './batch-runner.ts';

const shape: TileShape = { msBands: 2, msHeight: 2, msWidth: 2, panHeight: 4, panWidth: 4, outBands: 2 };

/** Output per tile: band b, pixel p = pan[p] + ms mean + b (enough to tell tiles and bands apart). */
function reference(batch: TileBatch): Float32Array {
  const out = new Float32Array(batch.n * 2 * 16);
  for (let t = 0; t < batch.n; t++) {
    let mean = 0;
    for (let i = 0; i < 8; i++) mean += batch.ms[t * 8 + i]! / 8;
    for (let b = 0; b < 2; b++) for (let p = 0; p < 16; p++) out[t * 32 + b * 16 + p] = batch.pan[t * 16 + p]! + mean + b;
  }
  return out;
}

function fakeBackend(device: 'cpu' | 'cuda', fail: (n: number, call: number) => string | null): InferenceBackend & { calls: number[] } {
  const calls: number[] = [];
  return {
    device,
    reason: `fake ${device}`,
    calls,
    async run(batch) {
      calls.push(batch.n);
      const why = fail(batch.n, calls.length);
      if (why) throw new Error(why);
      return reference(batch);
    },
  };
}

function tiles(n: number): TileBatch {
  const ms = new Float32Array(n * 8);
  const pan = new Float32Array(n * 16);
  for (let i = 0; i < ms.length; i++) ms[i] = (i * 7) % 13;
  for (let i = 0; i < pan.length; i++) pan[i] = i;
  return { n, ms, pan };
}

test('CPU: batches run as given; a short batch is not padded', async () => {
  const cpu = fakeBackend('cpu', () => null);
  const runner = new BatchRunner({ backend: cpu, openCpu: async () => cpu, batchSize: 4 });
  const batch = tiles(3);
  assert.deepEqual(await runner.run(batch, shape), reference(batch));
  assert.deepEqual(cpu.calls, [3]);
});

test('CUDA: a short batch is padded to the batch size (one input shape), the padding dropped from the output', async () => {
  const cuda = fakeBackend('cuda', () => null);
  const runner = new BatchRunner({ backend: cuda, openCpu: async () => assert.fail('no fallback expected'), batchSize: 4 });
  const batch = tiles(3);
  const out = await runner.run(batch, shape);
  assert.deepEqual(cuda.calls, [4]);
  assert.deepEqual(out, reference(batch));
});

test('CUDA out of memory on big batches: the batch shrinks, the same tiles are retried, order kept', async () => {
  const log: string[] = [];
  const cuda = fakeBackend('cuda', (n) => (n > 2 ? 'CUDA failure 2: out of memory' : null));
  const runner = new BatchRunner({ backend: cuda, openCpu: async () => assert.fail('no fallback expected'), batchSize: 8, log: (m) => log.push(m) });
  const batch = tiles(8);
  assert.deepEqual(await runner.run(batch, shape), reference(batch));
  assert.equal(runner.batchSize, 2);
  assert.equal(runner.device, 'cuda');
  assert.deepEqual(cuda.calls, [8, 4, 2, 2, 2, 2]);
  assert.match(log.join('\n'), /CUDA failed on a batch of 8 tiles \(CUDA failure 2: out of memory\); retrying with batches of 4/);
  // Later batches start at the smaller size.
  const next = tiles(5);
  assert.deepEqual(await runner.run(next, shape), reference(next));
  assert.deepEqual(cuda.calls.slice(6), [2, 2, 2]);
});

test('CUDA failing mid-run even on one tile: the run continues on CPU without losing tiles', async () => {
  const log: string[] = [];
  // Works for two calls, then the device is gone.
  const cuda = fakeBackend('cuda', (_n, call) => (call > 2 ? 'CUDA error: an illegal memory access was encountered' : null));
  const cpu = fakeBackend('cpu', () => null);
  let cpuOpened = 0;
  const runner = new BatchRunner({ backend: cuda, openCpu: async () => (cpuOpened++, cpu), batchSize: 2, log: (m) => log.push(m) });
  const outputs: Float32Array[] = [];
  const inputs: TileBatch[] = [];
  for (let i = 0; i < 5; i++) {
    const batch = tiles(2);
    batch.pan.fill(i); // each batch distinguishable
    inputs.push(batch);
    outputs.push(await runner.run(batch, shape));
  }
  outputs.forEach((out, i) => assert.deepEqual(out, reference(inputs[i]!), `batch ${i}`));
  assert.equal(runner.device, 'cpu');
  assert.equal(cpuOpened, 1);
  assert.deepEqual(cuda.calls, [2, 2, 2, 1]); // batch 3 fails at 2, then its first tile fails alone
  assert.deepEqual(cpu.calls, [1, 1, 1, 1, 1, 1]);
  assert.match(log.join('\n'), /CUDA failed on a single tile \(CUDA error: an illegal memory access was encountered\); continuing on CPU/);
  assert.equal(runner.events.length, 2);
});

test('a CPU failure is not retried: it is the error', async () => {
  const cpu = fakeBackend('cpu', () => 'bad input shape');
  const runner = new BatchRunner({ backend: cpu, openCpu: async () => cpu, batchSize: 2 });
  await assert.rejects(runner.run(tiles(2), shape), /bad input shape/);
  assert.deepEqual(cpu.calls, [2]);
});

test('a backend returning the wrong amount of data is an error, not a silent misalignment', async () => {
  const cpu: InferenceBackend = { device: 'cpu', reason: 'fake', run: async () => new Float32Array(5) };
  const runner = new BatchRunner({ backend: cpu, openCpu: async () => cpu });
  await assert.rejects(runner.run(tiles(1), shape), /returned 5 values for 1 tiles, expected 32/);
});
