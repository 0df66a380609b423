import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequest, parseValue, type RecommendReport } from './contract.ts';

const report: RecommendReport = {
  sceneId: 's1',
  recommended: { method: 'premix', adapt: true, name: 'premix --adapt' },
  ranking: [
    {
      rank: 1,
      name: 'premix --adapt',
      method: 'premix',
      adapt: true,
      label: 'PreMix (adapted)',
      kind: 'network',
      sam: 2.1,
      ergas: 1.7,
      q2n: 0.91,
      adaptation: { accepted: true, kind: 'cross', message: 'adapted' },
      fullResolution: { D_lambda: 0.02, D_s: 0.05, QNR: 0.93, D_lambda_K: 0.04, HQNR: 0.91 },
    },
    {
      rank: 2,
      name: 'gsa',
      method: 'gsa',
      adapt: false,
      label: 'GSA',
      kind: 'classical',
      sam: 2.9,
      ergas: 2.7,
      q2n: null,
      adaptation: null,
      fullResolution: null,
    },
  ],
  skipped: [],
  seed: 1,
  sensor: { name: 'IKONOS', source: 'metadata', warning: null },
  windows: { sidePx: 96, contextPx: 16, fit: 8, guard: 8, candidates: 16 },
  elapsedMs: 1234,
};

test('recommendRun: request and reply are parsed like every other call', () => {
  assert.deepEqual(parseRequest('recommendRun', { sceneId: 's1', seed: 7 }), { sceneId: 's1', seed: 7 });
  assert.deepEqual(parseRequest('recommendRun', { sceneId: 's1' }), { sceneId: 's1', seed: null });
  assert.throws(() => parseRequest('recommendRun', { sceneId: '', seed: 1 }), /sceneId: expected a non-empty string/);
  assert.throws(() => parseRequest('recommendRun', { sceneId: 's1', seed: -1 }), /seed: expected a number in \[0, 4294967295\]/);
  assert.throws(() => parseRequest('recommendRun', { sceneId: 's1', seed: 1.5 }), /seed: expected an integer/);
  assert.deepEqual(parseValue('recommendRun', report), report);
  assert.throws(
    () => parseValue('recommendRun', { ...report, ranking: [{ ...report.ranking[0], ergas: 'x' }] }),
    /ranking\[0\]\.ergas: expected a finite number/,
  );
  assert.throws(() => parseValue('recommendRun', { ...report, ranking: [{ ...report.ranking[0], kind: 'magic' }] }), /ranking\[0\]\.kind/);
  assert.throws(
    () => parseValue('recommendRun', { ...report, recommended: { method: 'premix', adapt: 'yes', name: 'x' } }),
    /recommended\.adapt: expected a boolean/,
  );
});

test('jobStart: adapt is optional (false) and must be a boolean when given', () => {
  const base = { sceneId: 's1', method: 'premix', device: 'cpu', tileSizePx: 512, previewExtent: null };
  assert.equal(parseRequest('jobStart', base).adapt, false);
  assert.equal(parseRequest('jobStart', { ...base, adapt: true }).adapt, true);
  assert.throws(() => parseRequest('jobStart', { ...base, adapt: 'yes' }), /adapt: expected a boolean/);
});
