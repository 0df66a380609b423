import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressMeter, type JobProgressEvent } from './job-events.ts';

test('the ETA counts tiles left, not pixels: small edge tiles cost what full ones do', async () => {
  const events: JobProgressEvent[] = [];
  // Two full 512² tiles and eight thin edge tiles (512×16): by pixels 95 % would be done after the full ones.
  const meter = new ProgressMeter(10, 2 * 512 * 512 + 8 * 512 * 16, (e) => events.push(e));
  await new Promise((r) => setTimeout(r, 50));
  meter.tileDone(512 * 512);
  await new Promise((r) => setTimeout(r, 50));
  meter.tileDone(512 * 512);
  const eta = events.at(-1)!.etaSeconds!;
  const elapsed = events.at(-1)!.elapsedMs / 1000;
  assert.ok(Math.abs(eta - 4 * elapsed) < 1e-9, `ETA ${eta} s after 2 of 10 tiles in ${elapsed} s`);
});
