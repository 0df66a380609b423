import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BandBlock } from '../raster/band-block.ts';
import { applyCorrection, fitCorrection, identityCorrection, panDetail, type CorrectionSample } from './scene-correction.ts';

function block(bands: number, side: number, f: (b: number, i: number) => number): BandBlock {
  const data = new Float32Array(bands * side * side);
  for (let b = 0; b < bands; b++) for (let i = 0; i < side * side; i++) data[b * side * side + i] = f(b, i);
  return { bands, width: side, height: side, data };
}

const noise = (b: number, i: number) => (Math.sin(i * 12.9898 + b * 78.233) * 43758.5453) % 1;

test('the gain fit recovers a known per-band map out = a·fused + c·msUp + d from the scored rectangle only', () => {
  const side = 40;
  const fused = block(3, side, (b, i) => 500 + 300 * noise(b, i));
  const msUp = block(3, side, (b, i) => 480 + 200 * noise(b + 7, i));
  const a = [1.2, 0.8, 1.0];
  const c = [-0.3, 0.25, 0.1];
  const d = [5, -12, 40];
  // Outside the rectangle the reference is garbage: the fit must ignore it.
  const rect = { colOff: 4, rowOff: 4, width: 32, height: 32 };
  const reference = block(3, side, (b, i) => {
    const r = Math.floor(i / side),
      col = i % side;
    const inside = r >= 4 && r < 36 && col >= 4 && col < 36;
    return inside ? a[b]! * fused.data[b * side * side + i]! + c[b]! * msUp.data[b * side * side + i]! + d[b]! : 1e6;
  });
  const detail = block(1, side, (_, i) => 30 * noise(11, i));
  const samples: CorrectionSample[] = [{ fused, msUp, panDetail: detail, glp: null, reference, rect }];
  const fit = fitCorrection('gain', samples, 0);
  for (let b = 0; b < 3; b++) {
    const row = fit.coefficients[b]!;
    assert.ok(Math.abs(row[b]! - a[b]!) < 1e-3, `a_${b} = ${row[b]}`);
    assert.ok(Math.abs(row[3]! - c[b]!) < 1e-3, `c_${b} = ${row[3]}`);
    assert.equal(row[4], 0, 'gain shape: no PAN detail');
    assert.equal(row[5], 0, 'gain shape: no MTF-GLP term');
    assert.ok(Math.abs(row[6]! - d[b]!) < 0.5, `d_${b} = ${row[6]}`);
    for (let k = 0; k < 3; k++) if (k !== b) assert.equal(row[k], 0, 'gain shape: no cross-band weight');
  }
  const out = applyCorrection(fit, fused, msUp, null);
  for (const i of [5 * side + 5, 20 * side + 30]) assert.ok(Math.abs(out.data[i]! - reference.data[i]!) < 0.05);
});

test('the ridge penalty pulls a weak fit towards the identity, and the identity changes nothing', () => {
  const side = 16;
  const fused = block(2, side, (b, i) => 100 + 50 * noise(b, i));
  const msUp = block(2, side, (b, i) => 100 + 50 * noise(b + 3, i));
  const reference = block(2, side, (b, i) => 3 * fused.data[b * side * side + i]!);
  const rect = { colOff: 0, rowOff: 0, width: side, height: side };
  const detail = block(1, side, () => 0);
  const free = fitCorrection('cross', [{ fused, msUp, panDetail: detail, glp: null, reference, rect }], 0);
  const heavy = fitCorrection('cross', [{ fused, msUp, panDetail: detail, glp: null, reference, rect }], 1e6);
  assert.ok(Math.abs(free.coefficients[0]![0]! - 3) < 1e-3);
  assert.ok(Math.abs(heavy.coefficients[0]![0]! - 1) < 1e-3, `strong ridge stays at identity: ${heavy.coefficients[0]![0]}`);
  const same = applyCorrection(identityCorrection('cross', 2), fused, msUp, null);
  assert.deepEqual(Array.from(same.data), Array.from(fused.data));
});

test('cross-pan learns how much PAN detail to inject; panDetail is the PAN minus its block means up-sampled', () => {
  const side = 32;
  const pan: BandBlock = block(1, side, (_, i) => 1000 + 400 * noise(5, i));
  const detail = panDetail(pan, 4);
  // A flat PAN has no detail.
  assert.ok(
    panDetail(
      block(1, 8, () => 7),
      4,
    ).data.every((v) => Math.abs(v) < 1e-4),
  );
  const fused = block(2, side, (b, i) => 300 + 100 * noise(b, i));
  const msUp = block(2, side, (b, i) => 300 + 100 * noise(b + 4, i));
  const gains = [0.6, 0.25];
  const reference = block(2, side, (b, i) => fused.data[b * side * side + i]! + gains[b]! * detail.data[i]!);
  const fit = fitCorrection(
    'cross-pan',
    [{ fused, msUp, panDetail: detail, glp: null, reference, rect: { colOff: 0, rowOff: 0, width: side, height: side } }],
    0,
  );
  assert.ok(Math.abs(fit.coefficients[0]![3]! - 0.6) < 1e-3, `e_0 = ${fit.coefficients[0]![3]}`);
  assert.ok(Math.abs(fit.coefficients[1]![3]! - 0.25) < 1e-3, `e_1 = ${fit.coefficients[1]![3]}`);
  assert.throws(() => applyCorrection(fit, fused, msUp, null), /needs the PAN detail/);
});

test('gain-glp weighs the method against MTF-GLP per band; it needs the MTF-GLP output to fit and to apply', () => {
  const side = 32;
  const fused = block(2, side, (b, i) => 400 + 150 * noise(b, i));
  const msUp = block(2, side, (b, i) => 400 + 100 * noise(b + 2, i));
  const glp = block(2, side, (b, i) => 420 + 120 * noise(b + 9, i));
  // The scene wants 70 % of the method and 30 % of MTF-GLP in band 0, the other way round in band 1.
  const mix = [0.7, 0.3];
  const reference = block(2, side, (b, i) => mix[b]! * fused.data[b * side * side + i]! + (1 - mix[b]!) * glp.data[b * side * side + i]!);
  const rect = { colOff: 0, rowOff: 0, width: side, height: side };
  const detail = block(1, side, () => 0);
  const fit = fitCorrection('gain-glp', [{ fused, msUp, panDetail: detail, glp, reference, rect }], 0);
  for (let b = 0; b < 2; b++) {
    const row = fit.coefficients[b]!;
    assert.ok(Math.abs(row[b]! - mix[b]!) < 1e-3, `method weight ${b} = ${row[b]}`);
    assert.ok(Math.abs(row[4]! - (1 - mix[b]!)) < 1e-3, `MTF-GLP weight ${b} = ${row[4]}`);
    assert.equal(row[1 - b], 0, 'gain-glp: no cross-band weight');
  }
  const out = applyCorrection(fit, fused, msUp, null, glp);
  for (const i of [3, 200, 1000]) assert.ok(Math.abs(out.data[i]! - reference.data[i]!) < 0.05);
  assert.throws(() => applyCorrection(fit, fused, msUp, null, null), /needs the MTF-GLP output/);
  assert.throws(() => fitCorrection('cross-glp', [{ fused, msUp, panDetail: detail, glp: null, reference, rect }]), /needs the MTF-GLP output/);
});
