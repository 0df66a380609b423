import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bandLabel,
  bandRoles,
  channelRanges,
  comboFor,
  defaultCombo,
  isRampLayer,
  QUALITY_RAMP,
  rampLegend,
  rampRange,
  rampUnit,
  stretchRange,
  webglStyle,
  type Expr,
} from './band-style.ts';

const ikonos = { bandCount: 4, bandDescriptions: ['Blue', 'Green', 'Red', 'NIR'] };
const wv2 = { bandCount: 8, bandDescriptions: ['Coastal', 'Blue', 'Green', 'Yellow', 'Red', 'RedEdge', 'NIR1', 'NIR2'] };

test('band roles come from descriptions; RedEdge is not red and NIR1 is NIR', () => {
  assert.deepEqual(bandRoles(ikonos.bandDescriptions), { blue: 0, green: 1, red: 2, nir: 3 });
  assert.deepEqual(bandRoles(wv2.bandDescriptions), { blue: 1, green: 2, red: 4, nir: 6 });
  assert.deepEqual(bandRoles(['RedEdge', 'Red']), { blue: null, green: null, red: 1, nir: null });
});

test('true and false colour combinations per sensor, null when the bands are unknown', () => {
  assert.deepEqual(comboFor('true-colour', ikonos), { kind: 'true-colour', r: 2, g: 1, b: 0 });
  assert.deepEqual(comboFor('false-colour-nir', ikonos), { kind: 'false-colour-nir', r: 3, g: 2, b: 1 });
  assert.deepEqual(comboFor('false-colour-nir', wv2), { kind: 'false-colour-nir', r: 6, g: 4, b: 2 });
  assert.equal(comboFor('false-colour-nir', { bandCount: 3, bandDescriptions: ['', '', ''] }), null);
  assert.deepEqual(comboFor('true-colour', { bandCount: 1, bandDescriptions: ['Pan'] }), { kind: 'true-colour', r: 0, g: 0, b: 0 });
  assert.deepEqual(defaultCombo({ bandCount: 2, bandDescriptions: ['', ''] }), { kind: 'custom', r: 0, g: 1, b: 1 });
});

test('band labels fall back to GDAL band numbers', () => {
  assert.equal(bandLabel(ikonos, 3), 'NIR');
  assert.equal(bandLabel({ bandDescriptions: ['', ' '] }, 1), 'Band 2');
});

test('stretch uses p2..p98, widened when degenerate', () => {
  assert.deepEqual(stretchRange({ p2: 100, p98: 900, min: 0, max: 2047 }), [100, 900]);
  assert.deepEqual(stretchRange({ p2: 5, p98: 5, min: 0, max: 10 }), [0, 10]);
  assert.deepEqual(stretchRange({ p2: 5, p98: 5, min: 5, max: 5 }), [4.5, 5.5]);
  assert.deepEqual(stretchRange({ p2: 100, p98: 900, min: 0, max: 2047 }, 'minmax'), [0, 2047]);
});

test('the WebGL style stretches each chosen band (1-based in expressions) and reads the nodata alpha band', () => {
  const stats = [0, 1, 2, 3].map((i) => ({ p2: 10 * i, p98: 10 * i + 100, min: 0, max: 2047 }));
  const style = webglStyle({ bandCount: 4, stats, noData: 0 }, { combo: { kind: 'false-colour-nir', r: 3, g: 2, b: 1 } });
  assert.deepEqual(style.color, [
    'array',
    ['clamp', ['/', ['-', ['band', 4], 30], 100], 0, 1],
    ['clamp', ['/', ['-', ['band', 3], 20], 100], 0, 1],
    ['clamp', ['/', ['-', ['band', 2], 10], 100], 0, 1],
    ['clamp', ['band', 5], 0, 1],
  ]);
  const opaque = webglStyle({ bandCount: 4, stats, noData: null }, { combo: { kind: 'custom', r: 0, g: 0, b: 0 }, gamma: 2 });
  assert.deepEqual((opaque.color as unknown[])[4], 1);
  assert.deepEqual((opaque.color as unknown[])[1], ['^', ['clamp', ['/', ['-', ['band', 1], 0], 100], 0, 1], 0.5]);
  const minmax = webglStyle({ bandCount: 4, stats, noData: null }, { combo: { kind: 'custom', r: 1, g: 1, b: 1 }, stretch: 'minmax' });
  assert.deepEqual((minmax.color as unknown[])[1], ['clamp', ['/', ['-', ['band', 2], 0], 2047], 0, 1]);
  assert.throws(() => webglStyle({ bandCount: 4, stats, noData: null }, { combo: { kind: 'custom', r: 4, g: 0, b: 0 } }), /band index 4/);
});

test('a one-band quality map is drawn through a colour ramp from 0 to its p98, nodata transparent, with a unit legend', () => {
  const sam = {
    kind: 'quality' as const,
    bandCount: 1,
    bandDescriptions: ['spectral angle to the upsampled MS, degrees'],
    stats: [{ p2: 0.5, p98: 8, min: 0, max: 30 }],
    noData: null,
  };
  assert.equal(isRampLayer(sam), true);
  assert.equal(isRampLayer({ ...sam, kind: 'pan' }), false);
  assert.equal(isRampLayer({ ...sam, bandCount: 2 }), false);
  const style = webglStyle(sam, { combo: defaultCombo(sam) });
  const t = ['clamp', ['/', ['-', ['band', 1], 0], 8], 0, 1];
  const [tag, red, green, blue, alpha] = style.color as Expr[];
  assert.equal(tag, 'array');
  assert.deepEqual(red, ['interpolate', ['linear'], t, ...QUALITY_RAMP.flatMap(([pos, rgb]) => [pos, rgb[0]])]);
  assert.deepEqual((green as Expr[]).slice(0, 5), ['interpolate', ['linear'], t, 0, QUALITY_RAMP[0]![1][1]]);
  assert.deepEqual((blue as Expr[]).at(-1), QUALITY_RAMP.at(-1)![1][2]);
  assert.deepEqual(alpha, ['clamp', ['band', 2], 0, 1]);
  assert.deepEqual((webglStyle(sam, { combo: defaultCombo(sam), stretch: 'minmax' }).color as Expr[])[1], [
    'interpolate',
    ['linear'],
    ['clamp', ['/', ['-', ['band', 1], 0], 30], 0, 1],
    ...QUALITY_RAMP.flatMap(([pos, rgb]) => [pos, rgb[0]]),
  ]);

  assert.deepEqual(rampRange({ p2: 0, p98: 0, min: 0, max: 0 }), [0, 1], 'an all-zero map (output = upsampled MS) still has a range');
  assert.equal(rampUnit(sam), 'degrees');
  assert.equal(rampUnit({ bandDescriptions: [''] }), '');
  const legend = rampLegend(sam);
  assert.equal(legend.label, '0.00–8.00 degrees');
  assert.match(legend.gradient, /^linear-gradient\(to right, rgb\(68, 1, 84\) 0%, .* rgb\(253, 231, 37\) 100%\)$/);
});

test('a linked stretch shows every layer on the reference range, channel by channel; PAN keeps its own against an MS', () => {
  const ref = { bandCount: 4, stats: [0, 1, 2, 3].map((i) => ({ p2: 100 * i, p98: 100 * i + 50, min: 0, max: 1000 })) };
  const layer = { bandCount: 4, stats: [0, 1, 2, 3].map(() => ({ p2: 0, p98: 1, min: 0, max: 1 })), noData: null };
  const link = { layer: ref, combo: { kind: 'true-colour' as const, r: 2, g: 1, b: 0 }, stretch: 'percent' as const };
  const combo = { kind: 'true-colour' as const, r: 2, g: 1, b: 0 };
  assert.deepEqual(channelRanges(layer, { combo, linkedTo: link }), [
    [200, 250],
    [100, 150],
    [0, 50],
  ]);
  assert.deepEqual(channelRanges(layer, { combo }), [
    [0, 1],
    [0, 1],
    [0, 1],
  ]);
  const style = webglStyle(layer, { combo, linkedTo: link }).color as Expr[];
  assert.deepEqual(style[1], ['clamp', ['/', ['-', ['band', 3], 200], 50], 0, 1]);
  const pan = { bandCount: 1, stats: [{ p2: 5, p98: 9, min: 0, max: 10 }], noData: null };
  assert.deepEqual(channelRanges(pan, { combo: { kind: 'true-colour', r: 0, g: 0, b: 0 }, linkedTo: link }), [
    [5, 9],
    [5, 9],
    [5, 9],
  ]);
});
