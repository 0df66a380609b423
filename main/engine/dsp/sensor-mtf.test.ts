import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../errors.ts';
import { mtfKernel, mtfKernels } from './mtf-kernel.ts';
import { canonicalSensor, GENERIC_NYQUIST_GAIN, nyquistGains } from './sensor-mtf.ts';

describe('sensor MTF gains', () => {
  it('resolves names and aliases case-insensitively', () => {
    const names = { wv2: 'WorldView-2', WorldView2: 'WorldView-2', QB: 'QuickBird', GeoEye1: 'GeoEye-1', WV4: 'GeoEye-1', nonesuch: undefined };
    for (const [alias, name] of Object.entries(names)) assert.equal(canonicalSensor(alias), name, alias);
    assert.deepEqual(nyquistGains('WV2', 8), [0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.27]);
  });
  it("Pleiades and GF-2 carry the toolboxes' 0.3 per band and, unlike an unknown sensor, a band count", () => {
    assert.equal(canonicalSensor('PHR'), 'Pleiades');
    assert.equal(canonicalSensor('gaofen-2'), 'GF-2');
    assert.deepEqual(nyquistGains('Pléiades', 4), [0.3, 0.3, 0.3, 0.3]);
    assert.deepEqual(nyquistGains('GF2', 4), [0.3, 0.3, 0.3, 0.3]);
    assert.throws(
      () => nyquistGains('GF2', 8),
      (e: unknown) => e instanceof InputError && e.code === 'band-count',
    );
  });
  it('unknown sensors get the generic gain for every band', () => {
    assert.equal(GENERIC_NYQUIST_GAIN, 0.3);
    assert.deepEqual(nyquistGains('none', 3), [0.3, 0.3, 0.3]);
  });
  it('rejects a band count the sensor does not have, and gains outside (0, 1)', () => {
    assert.throws(
      () => nyquistGains('IKONOS', 8),
      (e: unknown) => e instanceof InputError && e.code === 'band-count' && /4 bands.*8 bands/.test(e.message),
    );
    assert.throws(
      () => nyquistGains([0.3, 1.2], 2),
      (e: unknown) => e instanceof InputError && e.code === 'bad-mtf-gain',
    );
    assert.throws(
      () => nyquistGains([0.3], 2),
      (e: unknown) => e instanceof InputError && e.code === 'band-count',
    );
  });
  it('kernels are exactly symmetric and not renormalised; equal gains share a kernel', () => {
    const k = mtfKernel(0.3);
    const n = k.size;
    let sum = 0;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const v = k.data[r * n + c]!;
        sum += v;
        assert.equal(v, k.data[c * n + r]);
        assert.equal(v, k.data[(n - 1 - r) * n + c]);
      }
    }
    assert.ok(sum > 0.998 && sum < 0.999);
    const ks = mtfKernels('WV2', 8);
    assert.equal(ks[0], ks[6]);
    assert.notEqual(ks[0], ks[7]);
  });
});

describe('MTF filter: FFT path == direct correlation', () => {
  it('on a 300×260 two-band image with strong edges, replicated borders', async () => {
    const { mtfFilter } = await import('./mtf-filter.ts');
    const w = 260;
    const h = 300;
    const data = new Float64Array(2 * w * h).map((_, i) => ((i * 7919) % 2048) + (i % w < 7 ? 5000 : 0));
    const img = { bands: 2, width: w, height: h, data };
    const fft = mtfFilter(img, [0.34, 0.22], 4, 'fft');
    const directQb = mtfFilter(img, [0.34, 0.22], 4, 'direct');
    let max = 0;
    for (let i = 0; i < data.length; i++) max = Math.max(max, Math.abs(fft.data[i]! - directQb.data[i]!) / Math.abs(directQb.data[i]!));
    assert.ok(max < 1e-12, `max rel diff ${max}`);
    // A NaN reaches exactly the outputs within 20 px of it, by either method (MATLAB: 0·NaN = NaN on every tap).
    data[5 * w + 3] = NaN;
    for (const method of ['fft', 'direct'] as const) {
      const f = mtfFilter(img, [0.34, 0.22], 4, method);
      for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) assert.equal(Number.isNaN(f.data[r * w + c]!), r <= 25 && c <= 23, `${method} (${r}, ${c})`);
      assert.ok(!Number.isNaN(f.data[w * h + 5 * w + 3]!));
    }
  });
});

describe('mtfDegrade', () => {
  it('keeps samples 2, 6, … and spreads a NaN exactly to the samples whose 41×41 window holds it', async () => {
    const { mtfDegrade } = await import('./mtf-degrade.ts');
    const { mtfFilter } = await import('./mtf-filter.ts');
    const w = 48;
    const h = 40;
    const data = new Float64Array(w * h).map((_, i) => ((i * 7919) % 2048) + 3);
    const img = { bands: 1, width: w, height: h, data };
    const full = mtfFilter(img, [0.3], 4, 'direct');
    const lr = mtfDegrade(img, [0.3], 4);
    assert.deepEqual([lr.width, lr.height], [12, 10]);
    for (let r = 0; r < 10; r++) for (let c = 0; c < 12; c++) assert.equal(lr.data[r * 12 + c], full.data[(2 + 4 * r) * w + 2 + 4 * c]);
    data[5 * w + 3] = NaN;
    const lrNaN = mtfDegrade(img, [0.3], 4);
    for (let r = 0; r < 10; r++) for (let c = 0; c < 12; c++) assert.equal(Number.isNaN(lrNaN.data[r * 12 + c]!), r <= 5 && c <= 5, `(${r}, ${c})`);
    assert.throws(() => mtfDegrade({ bands: 1, width: 10, height: 8, data: new Float64Array(80) }, [0.3], 4), /multiples of the ratio 4/);
  });
});

describe('PAN Nyquist gains (the toolbox MTF_PAN.m)', () => {
  it('each sensor its own, aliases included; unknown sensors and generic 0.15', async () => {
    const { panNyquistGain, panGainTable } = await import('./sensor-mtf.ts');
    const expected: Record<string, number> = {
      QB: 0.15,
      IKONOS: 0.17,
      GeoEye1: 0.16,
      WV4: 0.16,
      WV2: 0.11,
      'WorldView-3': 0.14,
      Pleiades: 0.15,
      'GF-2': 0.15,
      generic: 0.15,
      Landsat: 0.15,
    };
    for (const [sensor, gain] of Object.entries(expected)) assert.equal(panNyquistGain(sensor).gain, gain, sensor);
    assert.match(panNyquistGain('WV2').source, /WorldView-2: MTF_PAN\.m case 'WV2'/);
    assert.ok(panGainTable().every((row) => row.gain > 0 && row.gain < 1 && row.source.length > 0));
  });
});
