// Every index against the toolbox's own values (Octave) in the shared metric vectors, within 1e-9 relative
// (a double implementation of the same definitions lands near 1e-13; a 1e-6 miss is a convention difference).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fullResolutionIndices } from './full-resolution.ts';
import { caseSkip, loadInput, loadVectors, relErr } from '../testing/metric-vectors.ts';
import { reducedResolutionIndices } from './reduced-resolution.ts';

const TOL = 1e-9;
const vectors = loadVectors();
const worst: Record<string, number> = {};

describe('indices against the toolbox (metric vectors)', () => {
  for (const c of vectors.cases) {
    it(`${c.id} (${c.mode}, ${c.bands} bands)`, { skip: caseSkip(c) }, async () => {
      let got: Record<string, number>;
      if (c.mode === 'RR') {
        const ref = await loadInput(c.inputs.ref!);
        const fused = await loadInput(c.inputs.fused!);
        const r = reducedResolutionIndices({ ref, fused, ratio: c.params.ratio });
        got = { Q2n: r.Q2n, Q: r.Q, SAM_deg: r.SAM_deg, ERGAS: r.ERGAS, SCC: r.SCC };
      } else {
        const fused = await loadInput(c.inputs.fused!);
        const msLr = await loadInput(c.inputs.ms_lr!);
        const pan = await loadInput(c.inputs.pan!);
        got = { ...fullResolutionIndices({ fused, msLr, pan, sensor: c.params.sensor!, ratio: c.params.ratio }) };
      }
      for (const [name, expected] of Object.entries(c.expected)) {
        const e = relErr(got[name]!, expected);
        worst[name] = Math.max(worst[name] ?? 0, e);
        console.log(`  ${c.id} ${name}: ${got[name]} vs ${expected} (rel ${e.toExponential(2)})`);
        assert.ok(e < TOL, `${c.id} ${name}: got ${got[name]}, expected ${expected} (rel err ${e})`);
      }
    });
  }
  it('summary', () => {
    console.log(
      `  max relative error per index: ${JSON.stringify(Object.fromEntries(Object.entries(worst).map(([k, v]) => [k, Number(v.toExponential(2))])))}`,
    );
  });
});
