import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchItems, flatten, mapStage, parallelMap, prefetch } from './stages.ts';

async function* counter(n: number, log: string[]) {
  for (let i = 0; i < n; i++) {
    log.push(`read ${i}`);
    await new Promise((r) => setTimeout(r, 1));
    yield i;
  }
}

test('prefetch runs the source ahead by at most `depth` items and keeps order', async () => {
  const log: string[] = [];
  const out: number[] = [];
  for await (const v of prefetch(counter(5, log), 2)) {
    log.push(`use ${v}`);
    out.push(v);
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.deepEqual(out, [0, 1, 2, 3, 4]);
  const useIndex = log.indexOf('use 0');
  assert.ok(log.indexOf('read 1') < log.indexOf('use 1'), 'read ahead happened');
  assert.ok(log.indexOf('read 3') > useIndex, 'no more than depth items ahead');
});

test('an error upstream reaches the consumer, with no unhandled rejection', async () => {
  async function* failing() {
    yield 1;
    throw new Error('boom');
  }
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const v of prefetch(
      mapStage(failing(), (x) => x * 2),
      3,
    ))
      seen.push(v);
  }, /boom/);
  assert.deepEqual(seen, [2]);
});

test('a consumer that stops early closes the source', async () => {
  let closed = false;
  async function* source() {
    try {
      for (let i = 0; ; i++) yield i;
    } finally {
      closed = true;
    }
  }
  for await (const v of prefetch(source(), 2)) if (v === 3) break;
  assert.ok(closed);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('parallelMap keeps input order when later items finish first', async () => {
  const delays = [30, 5, 20, 1, 15, 2, 9, 0];
  let running = 0;
  let maxRunning = 0;
  const out: number[] = [];
  for await (const v of parallelMap(
    delays.keys(),
    async (i) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(delays[i]!);
      running--;
      return i;
    },
    3,
  ))
    out.push(v);
  assert.deepEqual(out, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(maxRunning, 3, 'three calls ran at once');
});

test('parallelMap pulls at most `concurrency` items ahead of a slow consumer', async () => {
  let pulled = 0;
  let consumed = 0;
  let maxAhead = 0;
  async function* source() {
    for (let i = 0; i < 20; i++) {
      pulled++;
      yield i;
    }
  }
  for await (const _ of parallelMap(source(), async (x) => x, 2)) {
    maxAhead = Math.max(maxAhead, pulled - consumed);
    await sleep(2);
    consumed++;
  }
  assert.equal(consumed, 20);
  assert.ok(maxAhead <= 3, `at most 2 pulled ahead plus the one being consumed, got ${maxAhead}`);
});

test('parallelMap reports a failing call at its turn and closes the source', async () => {
  let closed = false;
  async function* source() {
    try {
      for (let i = 0; i < 10; i++) yield i;
    } finally {
      closed = true;
    }
  }
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const v of parallelMap(
      source(),
      async (x) => {
        if (x === 3) throw new Error('tile 3 failed');
        return x;
      },
      2,
    ))
      seen.push(v);
  }, /tile 3 failed/);
  assert.deepEqual(seen, [0, 1, 2]);
  assert.ok(closed);
});

test('batchItems groups in order, the last batch short; flatten undoes it', async () => {
  async function* seven() {
    for (let i = 0; i < 7; i++) yield i;
  }
  const batches: number[][] = [];
  for await (const b of batchItems(seven(), 3)) batches.push(b);
  assert.deepEqual(batches, [[0, 1, 2], [3, 4, 5], [6]]);
  const flat: number[] = [];
  for await (const v of flatten(batchItems(seven(), 3))) flat.push(v);
  assert.deepEqual(flat, [0, 1, 2, 3, 4, 5, 6]);
});
