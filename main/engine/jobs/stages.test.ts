import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapStage, prefetch } from './stages.ts';

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
    for await (const v of prefetch(mapStage(failing(), (x) => x * 2), 3)) seen.push(v);
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
