import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviceSummary } from './device-summary.ts';

test('a plain CPU run: the badge says cpu, the tooltip says why, nothing is marked', () => {
  const s = deviceSummary({ device: 'cpu', deviceReason: 'CPU requested', deviceEvents: [] });
  assert.deepEqual([s.label, s.changed, s.fellBackToCpu], ['cpu', false, false]);
  assert.equal(s.tooltip, 'Ran on CPU\nDevice choice: CPU requested');
});

test('auto without a GPU, and a baseline', () => {
  assert.equal(
    deviceSummary({ device: 'cpu', deviceReason: 'no NVIDIA GPU visible; using CPU', deviceEvents: [] }).tooltip,
    'Ran on CPU\nDevice choice: no NVIDIA GPU visible; using CPU',
  );
  assert.match(
    deviceSummary({ device: 'js', deviceReason: 'TypeScript baseline, runs on the CPU', deviceEvents: [] }).tooltip,
    /^Ran on CPU \(JavaScript baseline\)/,
  );
});

// The two messages BatchRunner writes when a simulated CUDA runs out of memory (network-method.test.ts).
const shrink = 'CUDA failed on a batch of 4 tiles (CUDA failure 2: out of memory ; GPU=0); retrying with batches of 2';
const fallback = 'CUDA failed on a single tile (CUDA failure 2: out of memory ; GPU=0); continuing on CPU';

test('CUDA shrank its batch but finished: marked as changed, still cuda', () => {
  const s = deviceSummary({ device: 'cuda', deviceReason: 'CUDA requested', deviceEvents: [shrink] });
  assert.deepEqual([s.label, s.changed, s.fellBackToCpu], ['cuda', true, false]);
  assert.equal(s.tooltip, `Ran on CUDA\nDevice choice: CUDA requested\n• ${shrink}`);
});

test('CUDA fell back to CPU: the badge says cpu, the tooltip tells the story in order', () => {
  const s = deviceSummary({ device: 'cpu', deviceReason: 'simulated CUDA device', deviceEvents: [shrink, fallback] });
  assert.deepEqual([s.label, s.changed, s.fellBackToCpu], ['cpu', true, true]);
  assert.deepEqual(s.events, [shrink, fallback]);
  assert.equal(s.tooltip.split('\n')[0], 'Ran on CPU after CUDA failed');
  assert.ok(s.tooltip.indexOf(shrink) < s.tooltip.indexOf(fallback));
});
