// Option handling shared by the commands: suggestions for typos, the common parser, output format and
// creation options, and which input paths are GDAL's own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gdalInputPath, isGdalVirtualPath } from '../engine/io/gdal-path.ts';
import { mergeCreationOptions } from '../engine/write/creation-options.ts';
import { parseCommandLine } from './command-line.ts';
import { closest } from './did-you-mean.ts';
import { checkOutputFormat, parseCreationOptions } from './output-format.ts';
import { UsageError } from './usage-error.ts';

test('closest: typos, transpositions and prefixes find the word; unrelated words find nothing', () => {
  assert.equal(closest('overwrte', ['overwrite', 'out', 'ms']), 'overwrite');
  assert.equal(closest('mtfglp', ['exp', 'gsa', 'mtf-glp']), 'mtf-glp');
  assert.equal(closest('bovrey', ['brovey', 'gsa']), 'brovey');
  assert.equal(closest('gg', ['ggpnet', 'gsa']), null);
  assert.equal(closest('prem', ['premix', 'pan']), 'premix');
  assert.equal(closest('zebra', ['pan', 'ms', 'method']), null);
});

test('parseCommandLine: --help anywhere, unknown options with a suggestion, node errors as usage errors', () => {
  const spec = { pan: { type: 'string' }, overwrite: { type: 'boolean' } } as const;
  assert.deepEqual(parseCommandLine(['--pan', 'x', '--help'], spec), { help: true });
  const parsed = parseCommandLine(['--pan', 'x'], spec);
  assert.ok(!parsed.help && parsed.values.pan === 'x' && parsed.values.overwrite === undefined);
  assert.throws(
    () => parseCommandLine(['--overwrte'], spec),
    (e: Error) => e instanceof UsageError && /unknown option --overwrte; did you mean --overwrite\?/.test(e.message),
  );
  assert.throws(
    () => parseCommandLine(['--pan'], spec),
    (e: Error) => e instanceof UsageError && /--pan/.test(e.message),
  );
  assert.throws(() => parseCommandLine(['stray'], spec), UsageError);
});

test('output format: GTiff and COG as .tif/.tiff; anything else refused with the supported list', () => {
  assert.equal(checkOutputFormat('/x/out.tif', undefined, false), 'GTiff');
  assert.equal(checkOutputFormat('/x/out.TIFF', 'cog', false), 'COG');
  assert.equal(checkOutputFormat('/x/out.tif', undefined, true), 'COG');
  assert.throws(() => checkOutputFormat('/x/out.png', undefined, false), /extension "\.png".*supported: GTiff \(\.tif, \.tiff\), COG/);
  assert.throws(() => checkOutputFormat('/x/out.tif', 'PNG', false), /output format "PNG" is not supported; supported: GTiff/);
  assert.throws(() => checkOutputFormat('/x/out.tif', 'gtif', false), /did you mean GTiff\?/);
  assert.throws(() => checkOutputFormat('/x/out.tif', 'GTiff', true), /--cog and --of GTiff disagree/);
});

test('creation options: KEY=VALUE checked; user values replace the defaults key by key', () => {
  assert.deepEqual(parseCreationOptions(['compress=DEFLATE', 'BIGTIFF=YES']), ['COMPRESS=DEFLATE', 'BIGTIFF=YES']);
  assert.throws(() => parseCreationOptions(['COMPRESS']), /-co needs KEY=VALUE/);
  assert.throws(() => parseCreationOptions(['COMPRESS=']), /-co needs KEY=VALUE/);
  const defaults = ['TILED=YES', 'BLOCKXSIZE=256', 'BLOCKYSIZE=256', 'COMPRESS=ZSTD', 'PREDICTOR=2'];
  assert.deepEqual(mergeCreationOptions(defaults, ['COMPRESS=DEFLATE'], 'GTiff'), [
    'TILED=YES',
    'BLOCKXSIZE=256',
    'BLOCKYSIZE=256',
    'PREDICTOR=2',
    'COMPRESS=DEFLATE',
  ]);
  assert.deepEqual(mergeCreationOptions(defaults, ['BLOCKSIZE=512'], 'GTiff'), [
    'TILED=YES',
    'COMPRESS=ZSTD',
    'PREDICTOR=2',
    'BLOCKXSIZE=512',
    'BLOCKYSIZE=512',
  ]);
  assert.deepEqual(mergeCreationOptions(defaults, ['COMPRESS=NONE'], 'GTiff'), ['TILED=YES', 'BLOCKXSIZE=256', 'BLOCKYSIZE=256', 'COMPRESS=NONE']);
  assert.deepEqual(mergeCreationOptions(['BLOCKSIZE=512'], ['BLOCKSIZE=1024'], 'COG'), ['BLOCKSIZE=1024']);
});

test('GDAL virtual paths and connection strings are kept as given; plain paths become absolute', () => {
  for (const p of ['/vsizip//data/a.zip/pan.tif', '/vsicurl/https://example.org/pan.tif', '/vsis3/bucket/pan.tif', 'NETCDF:"x.nc":pan']) {
    assert.ok(isGdalVirtualPath(p), p);
    assert.equal(gdalInputPath(p), p);
  }
  assert.equal(isGdalVirtualPath('/data/vsizip/pan.tif'), false);
  assert.equal(gdalInputPath('pan.tif'), `${process.cwd()}/pan.tif`);
});
