// The dsp building blocks against the toolbox's own arrays (Octave), through the fingerprints in the shared
// metric vectors: genMTF kernels, mtf_degrade (RR ms_lr), interp23tap (FR ms_exp), imresize + interp23tap (FR
// pan_lp) and MTF filtering (FR fused_mtf).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caseSkip, fingerprintError, loadInput, loadVectors, relErr } from '../testing/metric-vectors.ts';
import { imresizeBicubic } from './imresize-bicubic.ts';
import { interp23tap } from './interp23tap.ts';
import { mtfDegrade } from './mtf-degrade.ts';
import { mtfFilter } from './mtf-filter.ts';
import { mtfKernel } from './mtf-kernel.ts';

const vectors = loadVectors();
const TOL = 1e-9;
const sensorOfScene: Record<string, string> = { ikonos_italy: 'IKONOS', wv2_washington: 'WV2' };

describe('mtfKernel against Octave genMTF (ratio 4)', () => {
  for (const [sensor, fp] of Object.entries(vectors.mtf_kernels_ratio4.sensors)) {
    it(`${sensor}: centre row, diagonal and sum`, () => {
      fp.GNyq.forEach((g, b) => {
        const k = mtfKernel(g, 4);
        const n = k.size;
        const peak = k.data[20 * n + 20]!;
        // Entries far in the tails are FFT round-off (~1e-17) in Octave and here alike: compare them in absolute
        // terms against the kernel peak, and everything else relatively.
        const close = (got: number, exp: number) => Math.abs(got - exp) <= TOL * Math.abs(exp) + 1e-13 * peak;
        fp.centre_row_right_half[b]!.forEach((exp, i) =>
          assert.ok(close(k.data[20 * n + 20 + i]!, exp), `${sensor} band ${b} h[20,${20 + i}] = ${k.data[20 * n + 20 + i]} vs ${exp}`),
        );
        fp.diagonal_right_half[b]!.forEach((exp, i) => assert.ok(close(k.data[(20 + i) * n + 20 + i]!, exp), `${sensor} band ${b} h[${20 + i},${20 + i}]`));
        let sum = 0;
        for (const v of k.data) sum += v;
        assert.ok(relErr(sum, fp.sum[b]!) < 1e-13, `${sensor} band ${b} sum ${sum} vs ${fp.sum[b]}`);
      });
    });
  }
});

describe('pipeline intermediates', () => {
  for (const c of vectors.cases) {
    if (!c.intermediates) continue;
    const sensor = c.params.sensor ?? sensorOfScene[c.id.startsWith('rr_ikonos') ? 'ikonos_italy' : 'wv2_washington']!;
    it(`${c.id}: ${Object.keys(c.intermediates).join(', ')}`, { skip: caseSkip(c) }, async () => {
      for (const [name, fp] of Object.entries(c.intermediates!)) {
        let got;
        if (name === 'ms_lr') got = mtfDegrade(await loadInput(c.inputs.ref!), sensor, 4);
        else if (name === 'ms_exp') got = interp23tap(await loadInput(c.inputs.ms_lr!), 4);
        else if (name === 'pan_lp') got = interp23tap(imresizeBicubic(await loadInput(c.inputs.pan!), 1 / 4), 4);
        else if (name === 'fused_mtf') got = mtfFilter(await loadInput(c.inputs.fused!), sensor, 4);
        else throw new Error(`unknown intermediate ${name}`);
        const { maxRel, where } = fingerprintError(got, fp);
        console.log(`  ${c.id} ${name}: max rel err ${maxRel.toExponential(2)} (${where})`);
        assert.ok(maxRel < TOL, `${c.id} ${name}: ${maxRel} at ${where}`);
      }
    });
  }
});

describe('imresizeBicubic ×4 reproduces the stored bicubic candidates', () => {
  // rr_*_bicubic.fused.tif = uint16(imresize(mtf_degrade(ref), 4)) in Octave with MATLAB's weights.
  for (const c of vectors.cases.filter((v) => v.id.endsWith('_bicubic'))) {
    it(c.id, { skip: caseSkip(c) }, async () => {
      const sensor = c.id.startsWith('rr_ikonos') ? 'IKONOS' : 'WV2';
      const up = imresizeBicubic(mtfDegrade(await loadInput(c.inputs.ref!), sensor, 4), 4);
      const stored = await loadInput(c.inputs.fused!);
      assert.deepEqual([up.bands, up.height, up.width], [stored.bands, stored.height, stored.width]);
      let mismatches = 0;
      let maxFrac = 0;
      for (let i = 0; i < up.data.length; i++) {
        const v = up.data[i]!;
        const rounded = v >= 65535 ? 65535 : v > 0 ? Math.round(v) : 0;
        if (rounded !== stored.data[i]) {
          mismatches++;
          maxFrac = Math.max(maxFrac, Math.abs(Math.abs(v - Math.trunc(v)) - 0.5));
        }
      }
      // Only exact .5 ties could round differently under a 1e-13 difference; there are none here.
      assert.equal(mismatches, 0, `${mismatches} samples differ (closest to a tie by ${maxFrac})`);
    });
  }
});
