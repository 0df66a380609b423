// A network method on the dummy ONNX model: batches give the same result as single tiles, and a simulated CUDA
// failure mid-run (out of memory, then a dead device) ends on CPU with every tile's correct output.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { InferenceBackend } from '../infer/batch-runner.ts';
import { loadManifest, type ModelManifest } from '../infer/manifest.ts';
import { openOrtBackend } from '../infer/ort-backend.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { writeDummyModel } from '../testing/dummy-model.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import type { FuseInput, PreparedMethod } from './method.ts';
import { networkMethod } from './network-method.ts';

let manifest: ModelManifest;
const sample = { pan: new Float32Array(0), ms: [], width: 0, height: 0 } as never;

before(() => {
  manifest = loadManifest(writeDummyModel(join(tempFolder('network-method'), 'models'), 4).manifestPath);
});

function tiles(count: number, seed = 1): FuseInput[] {
  return Array.from({ length: count }, (_, t) => {
    const ms = new Float32Array(4 * 12 * 12).map((_, i) => ((i * 31 + t * 97 + seed) % 2000) + 20);
    const pan = new Float32Array(48 * 48).map((_, i) => ((i * 17 + t * 13 + seed) % 2000) + 20);
    return { ms: { bands: 4, width: 12, height: 12, data: ms }, pan: { bands: 1, width: 48, height: 48, data: pan } };
  });
}

async function runBatches(prepared: PreparedMethod, inputs: FuseInput[], batchSize: number): Promise<BandBlock[]> {
  const out: BandBlock[] = [];
  for (let i = 0; i < inputs.length; i += batchSize) {
    const batch = inputs.slice(i, i + batchSize);
    const stages = prepared.batch!;
    out.push(...stages.decode(await stages.infer(stages.encode(batch)), batch));
  }
  return out;
}

function maxDiff(a: BandBlock[], b: BandBlock[]): number {
  assert.equal(a.length, b.length);
  let d = 0;
  a.forEach((block, t) => block.data.forEach((v, i) => (d = Math.max(d, Math.abs(v - b[t]!.data[i]!)))));
  return d;
}

const prepareOptions = (device: 'auto' | 'cpu', batchSize: number, log: string[] = []) =>
  ({ ratio: 4, valueMax: 2047, sensor: null, device, sample, batchSize, log: (m: string) => log.push(m) }) as const;

test('batched inference equals one tile at a time; the last short batch included', async () => {
  const inputs = tiles(7);
  const single = await networkMethod(manifest).prepare(prepareOptions('cpu', 1));
  const reference = await Promise.all(inputs.map((t) => single.fuse(t)));
  const batched = await networkMethod(manifest).prepare(prepareOptions('cpu', 3));
  assert.equal(batched.batch!.batchSize, 3);
  assert.ok(maxDiff(await runBatches(batched, inputs, 3), reference) < 1e-3, 'DN difference');
});

test('CUDA fails mid-run (out of memory, then on one tile): the batch shrinks, then CPU finishes, no tile lost', async () => {
  const inputs = tiles(10, 5);
  const reference = await runBatches(await networkMethod(manifest).prepare(prepareOptions('cpu', 1)), inputs, 1);
  const cpu = await openOrtBackend(manifest, 'cpu');
  let cudaCalls = 0;
  // A "GPU" that computes correctly (on ORT CPU) for its first two calls, then runs out of memory for good.
  const fakeCuda: InferenceBackend = {
    device: 'cuda',
    reason: 'simulated CUDA device',
    run: (batch, shape) => (++cudaCalls <= 2 ? cpu.run(batch, shape) : Promise.reject(new Error('CUDA failure 2: out of memory ; GPU=0'))),
  };
  const opened: string[] = [];
  const method = networkMethod(manifest, {
    openBackend: async (device) => {
      opened.push(device);
      return device === 'cpu' ? cpu : fakeCuda;
    },
  });
  const log: string[] = [];
  const prepared = await method.prepare(prepareOptions('auto', 4, log));
  assert.equal(prepared.device, 'cuda');
  const out = await runBatches(prepared, inputs, 4);
  assert.ok(maxDiff(out, reference) < 1e-3, 'every tile equals the CPU result');
  assert.equal(prepared.device, 'cpu');
  assert.deepEqual(opened, ['auto', 'cpu']);
  assert.equal(cudaCalls, 2 + 3, 'two good calls (8 tiles), then failures at 4 (2 real + 2 padding), 2 and 1');
  assert.match(log.join('\n'), /running on CUDA \(simulated CUDA device\)/);
  assert.match(log.join('\n'), /CUDA failed on a batch of 4 tiles \(CUDA failure 2: out of memory ; GPU=0\); retrying with batches of 2/);
  assert.match(log.join('\n'), /CUDA failed on a single tile .*; continuing on CPU/);
  assert.equal(prepared.deviceEvents!.length, 3);
  assert.equal(prepared.deviceReason, 'simulated CUDA device', 'why it started where it did, for the job result');
});

test('outputs are clamped to the value range [0, 1] before de-scaling (the manifest contract); NaN stays NaN', async () => {
  const raw = [-0.4, 0.25, 1.6, Number.NaN];
  const fake: InferenceBackend = {
    device: 'cpu',
    reason: 'fixed outputs',
    run: async (batch, shape) => new Float32Array(batch.n * shape.outBands * shape.panHeight * shape.panWidth).map((_, i) => raw[i % raw.length]!),
  };
  const method = networkMethod(manifest, { openBackend: async () => fake });
  const [out] = await runBatches(await method.prepare(prepareOptions('cpu', 1)), tiles(1), 1);
  assert.deepEqual(Array.from(out!.data.subarray(0, 4)), [0, Math.fround(0.25) * 2047, 2047, Number.NaN]);
});
