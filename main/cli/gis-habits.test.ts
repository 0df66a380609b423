// The CLI as a GIS analyst scripts it, run from a folder outside the repository: help for every command,
// --version, usage errors with suggestions, GDAL virtual inputs, -co creation options, output files whose colour
// interpretation, statistics and metadata GIS tools read, and batch with resume and failures.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { gdal } from '../engine/io/gdal.ts';
import { writeSyntheticScene, type SyntheticScene } from '../engine/testing/synthetic-scene.ts';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { runCli } from './testing/cli-process.ts';

const root = tempFolder('gis');
let scene: SyntheticScene;

before(async () => {
  scene = await writeSyntheticScene({ folder: join(root, 'scene'), name: 'ikonos', panWidth: 256, panHeight: 256, bitDepth: 11 });
});

/** From the temporary folder, not the repository: the CLI must find its engine and models from its own package. */
function run(args: string[], timeoutMs = 180_000) {
  return runCli(args, { cwd: root, timeoutMs });
}

test('every command answers --help with its usage (exit 0); --version names PanForge, GDAL, ONNX Runtime and the models', () => {
  for (const command of ['info', 'sharpen', 'batch', 'methods', 'evaluate', 'version']) {
    const r = run([command, '--help']);
    assert.equal(r.status, 0, `${command} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`panforge ${command === 'version' ? '--version' : command}`));
    assert.equal(r.stderr, '');
  }
  const v = run(['--version']);
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^panforge \d+\.\d+\.\d+\nGDAL \d+\.\d+\.\d+\nONNX Runtime \d+\.\d+\.\d+\n/);
  assert.match(v.stdout, /models \(.*models\/onnx\)/);
  const json = JSON.parse(run(['--version', '--json']).stdout);
  assert.equal(json.gdal, gdal.version);
});

test('usage errors: exit 2, the problem named, the nearest option, method or command suggested', () => {
  const base = ['sharpen', '--pan', scene.panPath, '--ms', scene.msPath, '--out', join(root, 'u.tif')];
  const cases: [string[], RegExp][] = [
    [[...base, '--method', 'gsa', '--overwrte'], /unknown option --overwrte; did you mean --overwrite\?/],
    [[...base, '--method', 'bovrey'], /unknown method "bovrey"; did you mean brovey\?/],
    [[...base, '--method', 'gsa', '--device', 'cdua'], /--device must be one of auto, cpu, cuda; got "cdua"; did you mean cuda\?/],
    [[...base, '--method', 'gsa', '--tile', '-5'], /--tile must be an integer from 16 to 8192; got "-5"/],
    [
      ['sharpen', '--pan', scene.panPath, '--ms', scene.msPath, '--method', 'gsa', '--out', join(root, 'u.png')],
      /extension "\.png" does not name a format PanForge writes; supported: GTiff/,
    ],
    [[...base, '--method', 'gsa', '--of', 'PNG'], /output format "PNG" is not supported; supported: GTiff \(\.tif, \.tiff\), COG/],
    [[...base, '--method', 'gsa', '-co', 'COMPRESS'], /-co needs KEY=VALUE/],
    [['sharpn'], /unknown command "sharpn"; did you mean sharpen\?/],
    [['batch', '--input', root, '--methods', 'gsa'], /missing --out-dir/],
    [['batch', '--input', root, '--methods', 'gsa', '--out-dir', root, '--shard', '3/2'], /--shard must be i\/n/],
  ];
  for (const [args, message] of cases) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /Run `panforge (\w+ )?--help` for usage/);
  }
  assert.ok(!existsSync(join(root, 'u.tif')) && !existsSync(join(root, 'u.png')));
});

test('sharpen a /vsizip/ input with -co COMPRESS=DEFLATE: quiet stderr; colours, band names, statistics and metadata in the file', async () => {
  const zip = join(root, 'scene.zip');
  const z = spawnSync('/usr/bin/python3', [
    '-c',
    'import sys, zipfile, os\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n  [z.write(p, os.path.basename(p)) for p in sys.argv[2:]]',
    zip,
    scene.panPath,
    scene.msPath,
  ]);
  assert.equal(z.status, 0, String(z.stderr));
  const out = join(root, 'zipped.tif');
  const r = run([
    'sharpen',
    '--pan',
    `/vsizip/${zip}/ikonos_pan.tif`,
    '--ms',
    `/vsizip/${zip}/ikonos_ms.tif`,
    '--method',
    'gsa',
    '--out',
    out,
    '-co',
    'COMPRESS=DEFLATE',
    '--quiet',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'no library noise under --quiet');
  const ds = await gdal.openAsync(out);
  try {
    assert.equal(ds.getMetadata('IMAGE_STRUCTURE').COMPRESSION, 'DEFLATE');
    const md = ds.getMetadata();
    assert.equal(md.SENSOR, 'Synthetic');
    assert.equal(md.BIT_DEPTH, '11');
    assert.equal(md.PANFORGE_RATIO, '4');
    assert.equal(md.PANFORGE_PAN, 'ikonos_pan.tif');
    const bands = Array.from({ length: ds.bands.count() }, (_, i) => ds.bands.get(i + 1));
    assert.deepEqual(
      bands.map((b) => b.description),
      ['Blue', 'Green', 'Red', 'NIR'],
    );
    // gdal-async reports GCI_Undefined as undefined
    assert.deepEqual(
      bands.map((b) => b.colorInterpretation ?? 'Undefined'),
      ['Blue', 'Green', 'Red', 'Undefined'],
    );
    for (const b of bands) {
      const stats = b.getMetadata();
      const { x, y } = ds.rasterSize;
      const px = await b.pixels.readAsync(0, 0, x, y);
      let min = Infinity;
      let max = -Infinity;
      for (const v of px) [min, max] = [Math.min(min, v), Math.max(max, v)];
      assert.equal(Number(stats.STATISTICS_MINIMUM), min);
      assert.equal(Number(stats.STATISTICS_MAXIMUM), max);
      assert.ok(Number(stats.STATISTICS_STDDEV) > 0 && Number(stats.STATISTICS_MEAN) > min);
    }
  } finally {
    ds.close();
  }
  const tiffinfo = spawnSync('gdalinfo', [out], { encoding: 'utf8' });
  if (tiffinfo.status === 0) assert.doesNotMatch(tiffinfo.stdout, /PHOTOMETRIC=RGB/);
});

test('--cog with -co BLOCKSIZE=256 and --json: a COG with the same colours, JSON on stdout and nothing on stderr', async () => {
  const out = join(root, 'cog.tif');
  const r = run(['sharpen', '--pan', scene.panPath, '--ms', scene.msPath, '--method', 'brovey', '--out', out, '--of', 'COG', '-co', 'BLOCKSIZE=256', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(JSON.parse(r.stdout).ok, true);
  const ds = await gdal.openAsync(out);
  try {
    assert.equal(ds.getMetadata('IMAGE_STRUCTURE').LAYOUT, 'COG');
    assert.deepEqual(ds.bands.get(1).blockSize, { x: 256, y: 256 });
    assert.deepEqual(
      Array.from({ length: 4 }, (_, i) => ds.bands.get(i + 1).colorInterpretation ?? 'Undefined'),
      ['Blue', 'Green', 'Red', 'Undefined'],
    );
  } finally {
    ds.close();
  }
});

test('batch: a failing scene is reported and the run goes on (exit 7); a rerun skips what is complete', async () => {
  const input = join(root, 'batch-in');
  await writeSyntheticScene({ folder: input, name: 'alpha', panWidth: 128, panHeight: 128 });
  writeFileSync(join(input, 'broken_pan.tif'), 'not a raster');
  writeFileSync(join(input, 'broken_ms.tif'), 'not a raster');
  const outDir = join(root, 'batch-out');
  const first = run(['batch', '--input', input, '--methods', 'gsa,exp', '--out-dir', outDir], 600_000);
  assert.equal(first.status, 7, first.stderr);
  assert.match(first.stderr, /\[1\/4\] alpha gsa: done in [\d.]+ s, about \d+ (s|min) left/);
  assert.match(first.stderr, /broken gsa: failed: PAN file broken_pan\.tif is not a raster/);
  assert.match(first.stderr, /batch: 2 done, 0 already complete, 2 failed/);
  const report = JSON.parse(readFileSync(join(outDir, 'batch-report.json'), 'utf8'));
  assert.deepEqual(report.summary, { done: 2, complete: 0, failed: 2, cancelled: 0 });
  assert.deepEqual(
    report.rows.filter((x: { status: string }) => x.status === 'failed').map((x: { exitCode: number }) => x.exitCode),
    [3, 3],
  );
  const csv = readFileSync(join(outDir, 'batch-report.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'scene,method,status,seconds,exitCode,out,pan,ms,error');
  assert.equal(csv.length, 5);
  for (const name of ['alpha_gsa.tif', 'alpha_exp.tif']) assert.ok(existsSync(join(outDir, name)), name);
  assert.ok(!existsSync(join(outDir, 'broken_gsa.tif')));

  const again = run(['batch', '--input', input, '--methods', 'gsa,exp', '--out-dir', outDir, '--json'], 600_000);
  assert.equal(again.status, 7);
  assert.equal(again.stderr, '');
  assert.deepEqual(JSON.parse(again.stdout).summary, { done: 0, complete: 2, failed: 2, cancelled: 0 });
});
