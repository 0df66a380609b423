import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownTable, modelFactsTable, replaceSection, SECTION_END, SECTION_START, verdictLines, verdicts, type QualityRow } from './model-quality-table.ts';

const row = (model: string, method: string, SAM_deg: number, ERGAS: number): QualityRow => ({
  model,
  method,
  kind: ['exp', 'gsa', 'mtf-glp'].includes(method) ? 'classical' : 'network',
  indices: { Q2n: 0.8, SAM_deg, ERGAS, SCC: 0.9 },
  seconds: 1,
});

const rows = [
  row('premix-wv2', 'exp', 9, 8),
  row('premix-wv2', 'gsa', 8.5, 5),
  row('premix-wv2', 'mtf-glp', 8, 5.5),
  row('premix-wv2', 'premix', 7.9, 5.2),
  row('cf2n-4band', 'exp', 4, 4),
  row('cf2n-4band', 'mtf-glp', 3, 3),
  row('cf2n-4band', 'cf2n', 2.5, 2.9),
];

test('the verdict compares the network with the best baseline per index, which may be different baselines', () => {
  const [premix, cf2n] = verdicts(rows);
  assert.deepEqual(premix!.bestBaselineSam, { method: 'mtf-glp', value: 8 });
  assert.deepEqual(premix!.bestBaselineErgas, { method: 'gsa', value: 5 });
  assert.equal(premix!.beatsSam, true);
  assert.equal(premix!.beatsErgas, false);
  assert.equal(cf2n!.beatsSam && cf2n!.beatsErgas, true);
  const lines = verdictLines([premix!, cf2n!]);
  assert.match(lines[0]!, /premix-wv2: does NOT yet beat the best baseline on ERGAS \(SAM 7\.900 vs mtf-glp 8\.000; ERGAS 5\.200 vs gsa 5\.000\)/);
  assert.match(lines[1]!, /cf2n-4band: beats the best baseline on SAM and ERGAS/);
});

test('a model without a network row or without baselines gets no verdict', () => {
  assert.deepEqual(verdicts([row('x', 'exp', 1, 1)]), []);
  assert.deepEqual(verdicts([row('x', 'premix', 1, 1)]), []);
});

test('the table has one line per row and marks the network', () => {
  const table = markdownTable(rows).split('\n');
  assert.equal(table.length, 2 + rows.length);
  assert.equal(table[5], '| premix-wv2 | **premix** | 0.8000 | 7.900 | 5.200 | 0.9000 | 1.0 |');
});

test('only the marked README section is replaced, markers kept', () => {
  const readme = `# Models\nintro\n${SECTION_START}\nold table\n${SECTION_END}\nafter\n`;
  const out = replaceSection(readme, 'new table\n');
  assert.equal(out, `# Models\nintro\n${SECTION_START}\nnew table\n${SECTION_END}\nafter\n`);
  assert.equal(replaceSection(out, 'again'), `# Models\nintro\n${SECTION_START}\nagain\n${SECTION_END}\nafter\n`);
  assert.throws(() => replaceSection('# no markers', 'x', 'models/README.md'), /models\/README\.md has no/);
});

test('the model facts table shows training, parity and the seam measurement', () => {
  const base = {
    schedule: 'cpu',
    steps: 120,
    wallTimeS: 1080,
    threads: 1,
    gitCommit: '0123456789abcdef0123456789abcdef01234567',
    parityMaxAbsDiff: 1.2e-7,
    receptiveFieldPx: 70,
    overlapPx: 72,
  };
  const lines = modelFactsTable([
    { model: 'premix-wv2', ...base, seamMaxRelToRange: null, seamPassed: null },
    { model: 'cf2n-wv2', ...base, seamMaxRelToRange: 0.0123, seamPassed: false },
  ]).split('\n');
  assert.equal(lines[2], '| premix-wv2 | cpu, 120 steps, 1 thread | 18.0 min | 0123456789 | 1.2e-7 | 70 | 72 | – |');
  assert.match(lines[3]!, /\| 1\.230 % \(over 0\.5 %\) \|$/);
});
