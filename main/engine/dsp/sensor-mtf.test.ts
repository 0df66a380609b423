import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../errors.ts';
import { mtfKernel, mtfKernels } from './mtf-kernel.ts';
import { canonicalSensor, GENERIC_NYQUIST_GAIN, nyquistGains } from './sensor-mtf.ts';

describe('sensor MTF gains', () => {
  it('resolves names and aliases case-insensitively', () => {
    assert.equal(canonicalSensor('wv2'), 'WorldView-2');
    assert.equal(canonicalSensor('WorldView2'), 'WorldView-2');
    assert.equal(canonicalSensor('QB'), 'QuickBird');
    assert.equal(canonicalSensor('GeoEye1'), 'GeoEye-1');
    assert.equal(canonicalSensor('WV4'), 'GeoEye-1');
    assert.equal(canonicalSensor('nonesuch'), undefined);
    assert.deepEqual(nyquistGains('WV2', 8), [0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.27]);
  });
  it('unknown sensors get the generic gain for every band', () => {
    assert.equal(GENERIC_NYQUIST_GAIN, 0.3);
    assert.deepEqual(nyquistGains('none', 3), [0.3, 0.3, 0.3]);
  });
  it('rejects a band count the sensor does not have, and gains outside (0, 1)', () => {
    assert.throws(() => nyquistGains('IKONOS', 8), (e: unknown) => e instanceof InputError && e.code === 'band-count' && /4 bands.*8 bands/.test(e.message));
    assert.throws(() => nyquistGains([0.3, 1.2], 2), (e: unknown) => e instanceof InputError && e.code === 'bad-mtf-gain');
    assert.throws(() => nyquistGains([0.3], 2), (e: unknown) => e instanceof InputError && e.code === 'band-count');
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
