// The hostile-input and fault suite: `panforge` run as a user would (a separate process), on small synthetic
// scenes, with bad files, bad options, full disks, signals and kills. Every case asserts the exit code, a message
// naming the file and the problem, inputs byte-identical afterwards, nothing under the output name (unless the run
// was meant to succeed), no `*.partial.*` in the output folder, and no process left: each run carries a marker in
// its environment, and /proc is searched for it afterwards (the engine child inherits it).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gdal } from '../engine/io/gdal.ts';
import { createGeoTiff } from '../engine/io/create-geotiff.ts';
import { writeSyntheticScene, type SyntheticScene } from '../engine/testing/synthetic-scene.ts';
import { tempFolder } from '../engine/testing/temp-folder.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(repo, 'main/cli/index.ts');
const root = tempFolder('hostile');

let s16: SyntheticScene; // 128² UInt16, the default victim
let big: SyntheticScene; // 1024² for runs long enough to interrupt

interface Run {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
  readonly marker: string;
}

interface RunOptions {
  readonly env?: Record<string, string>;
  /** Called with the CLI's pid and a helper once stderr shows progress (a bar) or the engine started. */
  readonly whenRunning?: (pid: number, marker: string) => void | Promise<void>;
  /** Wrap in `bash -c 'ulimit -f N; exec …'` (an injected file-size limit: writes past N KiB fail with EFBIG). */
  readonly fileSizeLimitKiB?: number;
  readonly timeoutMs?: number;
}

function runCli(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const marker = randomUUID();
  const started = Date.now();
  const nodeArgs = ['--import', 'tsx', cli, ...args];
  const [cmd, cmdArgs] = options.fileSizeLimitKiB
    ? ['bash', ['-c', `ulimit -f ${options.fileSizeLimitKiB}; exec "$0" "$@"`, process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const child = spawn(cmd, cmdArgs as string[], {
    cwd: repo,
    env: { ...process.env, ...options.env, PANFORGE_TEST_RUN: marker },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let triggered = false;
  child.stdout.on('data', (d) => (stdout += d.toString()));
  child.stderr.on('data', (d) => {
    stderr += d.toString();
    if (!triggered && options.whenRunning && /\d+%/.test(stderr)) {
      triggered = true;
      void options.whenRunning(child.pid!, marker);
    }
  });
  // Only a hang reaches this; a loaded CI machine can take a minute for a run that takes 2 s on a free one.
  const timeout = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timeout);
      resolve({ code, signal, stdout, stderr, elapsedMs: Date.now() - started, marker });
    });
  });
}

/** Pids of live processes whose environment carries this run's marker. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`).includes(`PANFORGE_TEST_RUN=${marker}`)) {
        const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
        if (state !== 'Z') found.push(Number(entry));
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

async function noProcessLeft(marker: string, withinMs = 2500): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (processesWith(marker).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(processesWith(marker), [], 'no process of the run is left');
}

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

let folderCount = 0;
function outFolder(): string {
  const dir = join(root, `out-${folderCount++}`);
  mkdirSync(dir);
  return dir;
}

interface Expect {
  readonly code: number;
  readonly message?: RegExp;
  /** Files that must be byte-identical afterwards [default: the scene's PAN and MS]. */
  readonly inputs?: readonly string[];
  /** The output must exist afterwards (a run meant to succeed) [default false]. */
  readonly outputExists?: boolean;
}

/** Runs `sharpen` (or any argv given whole) and checks every invariant of the suite. */
async function check(args: readonly string[], outDir: string, expect: Expect, options: RunOptions = {}): Promise<Run> {
  const inputs = expect.inputs ?? [s16.panPath, s16.msPath];
  const before = inputs.filter((p) => existsSync(p) && statSync(p).isFile()).map((p) => [p, sha(p)] as const);
  // An output name that already holds something (an earlier output, a link to an input) must still hold it.
  const target = join(outDir, 'out.tif');
  const earlier = existsSync(target) ? sha(target) : null;
  const run = await runCli(args, options);
  assert.equal(run.code, expect.code, `exit code (stderr: ${run.stderr.slice(-800)})`);
  if (expect.message) assert.match(run.stderr, expect.message);
  assert.doesNotMatch(run.stderr, /^\s+at .*\(.*:\d+:\d+\)$/m, 'no stack trace');
  for (const [p, h] of before) assert.equal(sha(p), h, `input ${p} unchanged`);
  const left = readdirSync(outDir);
  assert.deepEqual(
    left.filter((n) => /\.partial(\.|-|$)/.test(n)),
    [],
    'no partial file',
  );
  if (expect.outputExists) assert.ok(left.includes('out.tif'), `output written (${left.join(', ')})`);
  else if (earlier !== null) assert.equal(sha(target), earlier, 'what was under the output name is untouched');
  else assert.ok(!left.includes('out.tif'), 'nothing under the output name');
  await noProcessLeft(run.marker);
  return run;
}

const sharpenArgs = (outDir: string, extra: readonly string[] = [], scene: SyntheticScene = s16) => [
  'sharpen',
  '--pan',
  scene.panPath,
  '--ms',
  scene.msPath,
  '--method',
  'gsa',
  '--out',
  join(outDir, 'out.tif'),
  '--quiet',
  ...extra,
];

/** Writes a copy of `src` with a changed geotransform (south-up, rotated). */
function withGeoTransform(src: string, dst: string, gt: (g: number[]) => number[]): void {
  const ds = gdal.open(src);
  const copy = gdal.drivers.get('GTiff').createCopy(dst, ds);
  copy.geoTransform = gt(ds.geoTransform!);
  copy.close();
  ds.close();
}

before(async () => {
  s16 = await writeSyntheticScene({ folder: join(root, 's16'), panWidth: 128, panHeight: 128 });
  big = await writeSyntheticScene({ folder: join(root, 'big'), panWidth: 1024, panHeight: 1024 });
});

describe('bad files: exit 3, a message naming the file and the problem', { concurrency: 3 }, () => {
  const bad = (name: string, make: () => Promise<{ pan?: string; ms?: string }> | { pan?: string; ms?: string }, message: RegExp, code = 3) =>
    test(name, async () => {
      const files = await make();
      const out = outFolder();
      const pan = files.pan ?? s16.panPath;
      const ms = files.ms ?? s16.msPath;
      await check(['sharpen', '--pan', pan, '--ms', ms, '--method', 'gsa', '--out', join(out, 'out.tif'), '--quiet'], out, {
        code,
        message,
        inputs: [pan, ms].filter((p) => !p.startsWith('/dev')),
      });
    });

  bad('missing file', () => ({ pan: join(root, 'nope.tif') }), /PAN file not found: .*nope\.tif/);
  bad(
    'zero-byte file',
    () => {
      const p = join(root, 'zero.tif');
      writeFileSync(p, '');
      return { pan: p };
    },
    /PAN file zero\.tif is not a raster/,
  );
  bad(
    'a text file',
    () => {
      const p = join(root, 'text.tif');
      writeFileSync(p, 'hello, not a raster\n');
      return { ms: p };
    },
    /MS file text\.tif is not a raster/,
  );
  bad(
    'a TIFF header and nothing else',
    () => {
      const p = join(root, 'header.tif');
      writeFileSync(p, readFileSync(s16.panPath).subarray(0, 8));
      return { pan: p };
    },
    /PAN file header\.tif is not a raster/,
  );
  bad(
    'truncated TIFF',
    async () => {
      const s = await writeSyntheticScene({ folder: join(root, 'trunc'), panWidth: 512, panHeight: 512 });
      const p = join(root, 'truncated_pan.tif');
      writeFileSync(p, readFileSync(s.panPath).subarray(0, Math.floor(statSync(s.panPath).size / 3)));
      return { pan: p, ms: s.msPath };
    },
    /truncated_pan\.tif/,
  );
  bad('a folder', () => ({ ms: join(root, 's16') }), /MS path is a folder, not a raster file/);
  bad(
    'a FIFO is refused at once, not waited on',
    () => {
      const p = join(root, 'pan.fifo');
      execFileSync('mkfifo', [p]);
      return { pan: p };
    },
    /PAN .*pan\.fifo is a FIFO \(named pipe\)/,
  );
  bad('a device', () => ({ pan: '/dev/zero' }), /PAN \/dev\/zero is a device/);
  bad('stdin as a GDAL path', () => ({ pan: '/vsistdin/' }), /reads a stream, not a file/);
  bad(
    'a VRT whose source is a FIFO',
    () => {
      const fifo = join(root, 'src.fifo');
      execFileSync('mkfifo', [fifo]);
      const vrt = join(root, 'fifo.vrt');
      const info = gdal.open(s16.panPath);
      const gt = info.geoTransform!.join(',');
      const srs = info.srs!.toWKT().replace(/"/g, '&quot;');
      info.close();
      writeFileSync(
        vrt,
        `<VRTDataset rasterXSize="128" rasterYSize="128"><SRS>${srs}</SRS><GeoTransform>${gt}</GeoTransform><VRTRasterBand dataType="UInt16" band="1"><SimpleSource><SourceFilename relativeToVRT="0">${fifo}</SourceFilename><SourceBand>1</SourceBand></SimpleSource></VRTRasterBand></VRTDataset>`,
      );
      return { pan: vrt };
    },
    /src\.fifo is a FIFO/,
  );
  bad(
    'PAN with three bands',
    async () => ({ pan: (await writeSyntheticScene({ folder: join(root, 'pan3'), panWidth: 64, panHeight: 64, panBands: 3 })).panPath }),
    /PAN .* has 3 bands; expected 1/,
  );
  bad('PAN and MS swapped', () => ({ pan: s16.msPath, ms: s16.panPath }), /PAN .* has 4 bands; expected 1 .*Swapped PAN and MS\?/);
  bad(
    'no georeference',
    async () =>
      writeSyntheticScene({ folder: join(root, 'nogeo'), panWidth: 64, panHeight: 64, noGeoreference: true }).then((s) => ({ pan: s.panPath, ms: s.msPath })),
    /has no geotransform/,
  );
  bad(
    'non-integer ratio',
    async () =>
      writeSyntheticScene({ folder: join(root, 'ratio'), panWidth: 64, panHeight: 64, msPixelM: 1.7 }).then((s) => ({ pan: s.panPath, ms: s.msPath })),
    /ratio is 3\.4 .*needs an integer ratio/,
  );
  bad(
    'no overlap',
    async () =>
      writeSyntheticScene({ folder: join(root, 'apart'), panWidth: 64, panHeight: 64, msOffsetPx: [4000, 0] }).then((s) => ({ pan: s.panPath, ms: s.msPath })),
    /does not overlap/,
  );
  bad(
    'a south-up PAN: says south-up, not two identical extents',
    () => {
      const p = join(root, 'southup_pan.tif');
      withGeoTransform(s16.panPath, p, (g) => [g[0]!, g[1]!, 0, g[3]! + 128 * g[5]!, 0, -g[5]!]);
      return { pan: p };
    },
    /PAN southup_pan\.tif is stored south-up .*needs north-up rasters/,
  );
  bad(
    'a rotated MS',
    () => {
      const p = join(root, 'rotated_ms.tif');
      withGeoTransform(s16.msPath, p, (g) => [g[0]!, g[1]!, 0.1, g[3]!, 0.1, g[5]!]);
      return { ms: p };
    },
    /MS rotated_ms\.tif has a rotated or sheared geotransform/,
  );
  bad(
    'all nodata',
    async () =>
      writeSyntheticScene({ folder: join(root, 'nodata'), panWidth: 64, panHeight: 64, noData: { value: 0, borderPx: 64 } }).then((s) => ({
        pan: s.panPath,
        ms: s.msPath,
      })),
    /no valid pixels/,
  );
  bad(
    'a 1×1 scene',
    async () => {
      const dir = join(root, 'tiny');
      mkdirSync(dir);
      const ds = gdal.open(s16.panPath);
      const make = async (name: string, bands: number, size: number, px: number) => {
        const path = join(dir, name);
        const out = await createGeoTiff({
          path,
          width: size,
          height: size,
          bandDescriptions: Array.from({ length: bands }, (_, i) => `b${i}`),
          dataType: 'UInt16',
          geoTransform: [ds.geoTransform![0]!, px, 0, ds.geoTransform![3]!, 0, -px],
          crsWkt: ds.srs!.toWKT(),
          noData: null,
          creationOptions: [],
        });
        out.close();
        return path;
      };
      const result = { pan: await make('pan1.tif', 1, 1, 0.5), ms: await make('ms1.tif', 4, 1, 2) };
      ds.close();
      return result;
    },
    /too small|ratio/,
  );
  bad(
    'a VRT declaring 10⁶ × 10⁶ pixels is refused before any work, with both numbers',
    () => {
      const vrt = join(root, 'huge.vrt');
      const info = gdal.open(s16.panPath);
      const srs = info.srs!.toWKT().replace(/"/g, '&quot;');
      const gt = info.geoTransform!;
      info.close();
      writeFileSync(
        vrt,
        `<VRTDataset rasterXSize="1000000" rasterYSize="1000000"><SRS>${srs}</SRS><GeoTransform>${gt.join(',')}</GeoTransform><VRTRasterBand dataType="UInt16" band="1"><SimpleSource><SourceFilename relativeToVRT="0">${s16.panPath}</SourceFilename><SourceBand>1</SourceBand></SimpleSource></VRTRasterBand></VRTDataset>`,
      );
      return { pan: vrt };
    },
    /PAN huge\.vrt declares 1000000×1000000 = 1\.00e\+12 pixels, more than the limit of 4\.00e\+9; pass --max-pixels/,
  );
});

describe('valid but unusual inputs: exit 0, an output, nothing else', { concurrency: 3 }, () => {
  const good = (name: string, make: () => Promise<SyntheticScene>, extra: readonly string[] = []) =>
    test(name, async () => {
      const s = await make();
      const out = outFolder();
      await check(sharpenArgs(out, extra, s), out, { code: 0, inputs: [s.panPath, s.msPath], outputExists: true });
    });
  good('8-bit scene', () => writeSyntheticScene({ folder: join(root, 'b8'), panWidth: 64, panHeight: 64, dataType: 'Byte', bitDepth: 8 }));
  good('16-bit scene', async () => s16);
  good('float reflectance (0..1)', () => writeSyntheticScene({ folder: join(root, 'f32'), panWidth: 64, panHeight: 64, dataType: 'Float32', bitDepth: null }));
  good('NaN and ±Inf pixels in a float scene', async () => {
    const s = await writeSyntheticScene({ folder: join(root, 'naninf'), panWidth: 64, panHeight: 64, dataType: 'Float32', bitDepth: null });
    const ds = gdal.open(s.panPath, 'r+');
    ds.bands.get(1).pixels.write(0, 0, 3, 1, Float32Array.from([NaN, Infinity, -Infinity]));
    ds.close();
    return s;
  });
  good('a COG output', async () => s16, ['--cog']);
  good('a symlinked input', async () => {
    const dir = join(root, 'links');
    mkdirSync(dir, { recursive: true });
    symlinkSync(s16.panPath, join(dir, 'pan-link.tif'));
    return { panPath: join(dir, 'pan-link.tif'), msPath: s16.msPath, truthPath: null };
  });
});

describe('outputs that are inputs: exit 2, the input untouched', { concurrency: 3 }, () => {
  test('--out is the PAN, with --overwrite', async () => {
    const out = outFolder();
    const pan = join(out, 'out.tif');
    copyFileSync(s16.panPath, pan);
    await check(['sharpen', '--pan', pan, '--ms', s16.msPath, '--method', 'gsa', '--out', pan, '--overwrite', '--quiet'], out, {
      code: 2,
      message: /output .*out\.tif is the input .*out\.tif .*never writes over an input/,
      inputs: [pan, s16.msPath],
    });
  });
  test('--out is a symlink to the MS', async () => {
    const out = outFolder();
    symlinkSync(s16.msPath, join(out, 'out.tif'));
    await check(sharpenArgs(out, ['--overwrite']), out, { code: 2, message: /is the input .*synthetic_ms\.tif \(same file through a link\)/ });
  });
  test('--out is a hard link to the PAN', async () => {
    const out = outFolder();
    const pan = join(out, 'pan.tif');
    copyFileSync(s16.panPath, pan);
    linkSync(pan, join(out, 'out.tif'));
    await check(['sharpen', '--pan', pan, '--ms', s16.msPath, '--method', 'gsa', '--out', join(out, 'out.tif'), '--overwrite', '--quiet'], out, {
      code: 2,
      message: /is the input .*pan\.tif/,
      inputs: [pan, s16.msPath],
    });
  });
  test('--out reaches the PAN through a symlinked folder', async () => {
    const out = outFolder();
    symlinkSync(join(root, 's16'), join(out, 'alias'));
    const run = await runCli([
      'sharpen',
      '--pan',
      s16.panPath,
      '--ms',
      s16.msPath,
      '--method',
      'gsa',
      '--out',
      join(out, 'alias', 'synthetic_pan.tif'),
      '--overwrite',
      '--quiet',
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /is the input/);
    await noProcessLeft(run.marker);
  });
  test('--out is the file behind a VRT input', async () => {
    const out = outFolder();
    const src = join(out, 'out.tif');
    copyFileSync(s16.panPath, src);
    const vrt = join(out, 'pan.vrt');
    gdal.translate(vrt, gdal.open(src), ['-of', 'VRT']).close();
    await check(['sharpen', '--pan', vrt, '--ms', s16.msPath, '--method', 'gsa', '--out', src, '--overwrite', '--quiet'], out, {
      code: 2,
      message: /is the input/,
      inputs: [src, vrt, s16.msPath],
    });
  });
  test('evaluate: a report folder holding an input under an output name', async () => {
    const out = outFolder();
    mkdirSync(join(out, 'fr'));
    const pan = join(out, 'fr', 'gsa.tif');
    copyFileSync(s16.panPath, pan);
    const run = await runCli([
      'evaluate',
      '--pan',
      pan,
      '--ms',
      s16.msPath,
      '--methods',
      'gsa',
      '--protocol',
      'fr',
      '--out',
      out,
      '--overwrite',
      '--quiet',
      '--threads',
      '1',
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /is the input .*gsa\.tif/);
    assert.equal(sha(pan), sha(s16.panPath));
    await noProcessLeft(run.marker);
  });
});

describe('output problems: exit 5, nothing under the output name', { concurrency: 2 }, () => {
  test('the output exists and no --overwrite', async () => {
    const out = outFolder();
    writeFileSync(join(out, 'out.tif'), 'earlier');
    await check(sharpenArgs(out), out, { code: 5, message: /output exists: .*out\.tif; choose another name or pass --overwrite/ });
    assert.equal(readFileSync(join(out, 'out.tif'), 'utf8'), 'earlier');
  });
  test('--overwrite keeps the old output when the new run fails', async () => {
    const out = outFolder();
    writeFileSync(join(out, 'out.tif'), 'earlier');
    const run = await runCli([
      'sharpen',
      '--pan',
      s16.panPath,
      '--ms',
      join(root, 'missing_ms.tif'),
      '--method',
      'gsa',
      '--out',
      join(out, 'out.tif'),
      '--overwrite',
      '--quiet',
    ]);
    assert.equal(run.code, 3);
    assert.equal(readFileSync(join(out, 'out.tif'), 'utf8'), 'earlier', 'the old output is replaced only by a complete new one');
  });
  test('the output folder does not exist', async () => {
    const out = outFolder();
    const run = await runCli(['sharpen', '--pan', s16.panPath, '--ms', s16.msPath, '--method', 'gsa', '--out', join(out, 'nope', 'out.tif'), '--quiet']);
    assert.equal(run.code, 5);
    assert.match(run.stderr, /output folder does not exist: .*nope/);
  });
  test('an injected write error (file-size limit: EFBIG) ends with exit 5, the free space, no file', async () => {
    const out = outFolder();
    writeFileSync(join(out, 'out.tif'), 'earlier');
    const run = await check(
      sharpenArgs(out, ['--compress', 'NONE', '--overwrite'], big),
      out,
      {
        code: 5,
        message: /cannot write .*out\.tif: .*free on .*nothing was kept under that name/,
        inputs: [big.panPath, big.msPath],
      },
      { fileSizeLimitKiB: 1024 },
    );
    assert.ok(run.elapsedMs < 60_000);
    assert.equal(readFileSync(join(out, 'out.tif'), 'utf8'), 'earlier', '--overwrite: the old output survives a failed write');
  });

  const canMount = (() => {
    try {
      const probe = join(root, 'mount-probe');
      mkdirSync(probe);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
      execFileSync('umount', [probe], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  const withTmpfs = async (sizeKiB: number, use: (dir: string) => Promise<void>) => {
    const dir = join(root, `tmpfs-${folderCount++}`);
    mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir]);
    try {
      await use(dir);
    } finally {
      execFileSync('umount', [dir]);
    }
  };
  test('not enough free space: refused before any work, with both numbers', { skip: canMount ? false : 'cannot mount a tmpfs here (needs root)' }, async () => {
    await withTmpfs(512, async (dir) => {
      await check(sharpenArgs(dir, ['--compress', 'NONE'], big), dir, {
        code: 5,
        message: /not enough free space for .*out\.tif: it needs about 8\.0 MiB .* has 512\.0 KiB free/,
        inputs: [big.panPath, big.msPath],
      });
    });
  });
  test(
    'disk full while writing (a small tmpfs): exit 5, the free space, no file',
    { skip: canMount ? false : 'cannot mount a tmpfs here (needs root)' },
    async () => {
      // Random Float32 data does not compress: the estimate (half the raw size) fits, the file does not.
      const dir = join(root, 'noise');
      mkdirSync(dir);
      const ref = gdal.open(s16.panPath);
      const make = async (name: string, bands: number, size: number, px: number) => {
        const path = join(dir, name);
        const ds = await createGeoTiff({
          path,
          width: size,
          height: size,
          bandDescriptions: Array.from({ length: bands }, (_, i) => `b${i}`),
          dataType: 'Float32',
          geoTransform: [ref.geoTransform![0]!, px, 0, ref.geoTransform![3]!, 0, -px],
          crsWkt: ref.srs!.toWKT(),
          noData: null,
          creationOptions: ['TILED=YES'],
        });
        for (let b = 1; b <= bands; b++)
          ds.bands.get(b).pixels.write(
            0,
            0,
            size,
            size,
            new Float32Array(size * size).map(() => Math.random()),
          );
        ds.close();
        return path;
      };
      const noise = { panPath: await make('pan.tif', 1, 256, 0.5), msPath: await make('ms.tif', 4, 64, 2), truthPath: null };
      ref.close();
      await withTmpfs(700, async (out) => {
        await check(['sharpen', '--pan', noise.panPath, '--ms', noise.msPath, '--method', 'exp', '--float32', '--out', join(out, 'out.tif'), '--quiet'], out, {
          code: 5,
          message: /cannot write .*out\.tif: .*\(disk full\?\); .* free on .*nothing was kept under that name/,
          inputs: [noise.panPath, noise.msPath],
        });
      });
    },
  );
  test('a stale partial of a killed run is removed by the next run; other files are not', async () => {
    const out = outFolder();
    writeFileSync(join(out, 'out.panforge-999999999.partial.tif'), 'left by a run killed with SIGKILL');
    writeFileSync(join(out, 'notes.partial.tif'), 'not ours');
    writeFileSync(join(out, `x.panforge-${process.pid}.partial.tif`), 'a live writer');
    const run = await runCli(sharpenArgs(out));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['notes.partial.tif', 'out.tif', `x.panforge-${process.pid}.partial.tif`].sort());
  });
});

describe('bad options: exit 2 and the option named', { concurrency: 3 }, () => {
  const usage = (name: string, args: (out: string) => string[], message: RegExp) =>
    test(name, async () => {
      const out = outFolder();
      const run = await check(args(out), out, { code: 2, message });
      assert.match(run.stderr, /Run `panforge (\w+ )?--help` for usage/);
    });
  usage('--tile -5', (o) => sharpenArgs(o, ['--tile', '-5']), /--tile must be an integer from 16 to 8192; got "-5"/);
  usage('--tile 1.5', (o) => sharpenArgs(o, ['--tile', '1.5']), /--tile must be an integer .*got "1\.5"/);
  usage('--tile abc', (o) => sharpenArgs(o, ['--tile', 'abc']), /--tile must be an integer .*got "abc"/);
  usage('--tile with no value', (o) => [...sharpenArgs(o), '--tile'], /--tile/);
  usage('--batch 0', (o) => sharpenArgs(o, ['--batch', '0']), /--batch must be an integer from 1 to 64; got "0"/);
  usage('an unknown --method', (o) => sharpenArgs(o).map((a) => (a === 'gsa' ? 'magic' : a)), /unknown method "magic"; available: exp, brovey, gsa/);
  usage('--device gpu', (o) => sharpenArgs(o, ['--device', 'gpu']), /--device must be one of auto, cpu, cuda; got "gpu"/);
  usage('--compress BZIP', (o) => sharpenArgs(o, ['--compress', 'BZIP']), /--compress must be one of ZSTD, DEFLATE, LZW, NONE; got "BZIP"/);
  usage('--max-memory lots', (o) => sharpenArgs(o, ['--max-memory', 'lots']), /--max-memory must be a size such as 4G/);
  usage('--max-pixels -1', (o) => sharpenArgs(o, ['--max-pixels', '-1']), /--max-pixels must be a number ≥ 1/);
  usage('an unknown option', (o) => sharpenArgs(o, ['--fast']), /unknown option '?--fast'?/i);
  usage('a stray positional argument', (o) => sharpenArgs(o, ['extra.tif']), /Unexpected argument 'extra\.tif'/);
  usage('--out missing', () => ['sharpen', '--pan', s16.panPath, '--ms', s16.msPath, '--method', 'gsa', '--quiet'], /missing --out/);
  usage('an unknown command', () => ['sharpn'], /unknown command "sharpn"/);
  usage(
    'evaluate --protocol xx',
    (o) => ['evaluate', '--pan', s16.panPath, '--ms', s16.msPath, '--methods', 'gsa', '--protocol', 'xx', '--out', o],
    /--protocol must be rr, fr or both; got "xx"/,
  );
  usage(
    'evaluate --methods naming an unknown method',
    (o) => ['evaluate', '--pan', s16.panPath, '--ms', s16.msPath, '--methods', 'gsa,magic', '--protocol', 'fr', '--out', o, '--threads', '1'],
    /unknown method "magic"/,
  );
  usage(
    'evaluate --sensor Hubble',
    (o) => ['evaluate', '--pan', s16.panPath, '--ms', s16.msPath, '--methods', 'gsa', '--protocol', 'fr', '--sensor', 'Hubble', '--out', o, '--threads', '1'],
    /unknown sensor "Hubble"/,
  );
  usage(
    'evaluate --threads 0',
    (o) => ['evaluate', '--pan', s16.panPath, '--ms', s16.msPath, '--methods', 'gsa', '--protocol', 'fr', '--out', o, '--threads', '0'],
    /--threads must be an integer from 1 to 256; got "0"/,
  );
  usage(
    'evaluate --compare with one method',
    (o) => ['evaluate', '--pan', s16.panPath, '--ms', s16.msPath, '--methods', 'gsa,exp', '--protocol', 'fr', '--compare', 'gsa', '--out', o],
    /--compare needs exactly two methods/,
  );
  usage('info --pan with no value', () => ['info', '--ms', s16.msPath, '--pan'], /--pan/);
});

describe('memory budget', () => {
  test('a tight --max-memory shrinks the tiles of a network and says so', async () => {
    const out = outFolder();
    const s = await writeSyntheticScene({ folder: join(root, 'mem'), panWidth: 128, panHeight: 128 });
    const run = await check(
      ['sharpen', '--pan', s.panPath, '--ms', s.msPath, '--method', 'premix', '--device', 'cpu', '--out', join(out, 'out.tif'), '--max-memory', '1G'],
      out,
      {
        code: 0,
        inputs: [s.panPath, s.msPath],
        outputExists: true,
      },
    );
    assert.match(run.stderr, /tiles of \d+ px instead of 512 to stay within --max-memory 1\.00 GiB/);
  });
  test('a --max-memory no tile fits: exit 4 with both numbers', async () => {
    const out = outFolder();
    await check(
      sharpenArgs(out, ['--max-memory', '100M']).map((a) => (a === 'gsa' ? 'premix' : a)),
      out,
      {
        code: 4,
        message: /premix-4band needs about \d\.\d\d GiB even with 64 px tiles, more than --max-memory 0\.10 GiB; raise --max-memory/,
      },
    );
  });
});

describe('signals and kills: nothing left behind, nothing outlives the command', () => {
  // 1024² with 32 px tiles: ~1000 tiles, long enough to interrupt anywhere.
  const longRun = (out: string) => sharpenArgs(out, ['--tile', '32'], big).filter((a) => a !== '--quiet');

  test('Ctrl-C: exit 130 within 2 s, no partial file, no process', async () => {
    const out = outFolder();
    let sentAt = 0;
    const run = await check(
      longRun(out),
      out,
      { code: 130, message: /cancel/, inputs: [big.panPath, big.msPath] },
      {
        whenRunning: (pid) => {
          sentAt = Date.now();
          process.kill(pid, 'SIGINT');
        },
      },
    );
    assert.ok(sentAt > 0);
    // 2 s is the promise (the engine is killed 1.8 s after a cancel it has not finished); the rest is slack for a
    // loaded machine, where the process exit itself can take a while.
    assert.ok(Date.now() - sentAt < 2000 + 3000, `ended ${Date.now() - sentAt} ms after Ctrl-C`);
    assert.ok(run.elapsedMs > 0);
  });

  test('a hung engine (SIGSTOP) still ends within 2 s of Ctrl-C', async () => {
    const out = outFolder();
    let endedAfter = 0;
    let sentAt = 0;
    const run = await runCli(longRun(out), {
      whenRunning: (pid, marker) => {
        for (const p of processesWith(marker)) if (p !== pid) process.kill(p, 'SIGSTOP');
        sentAt = Date.now();
        process.kill(pid, 'SIGINT');
      },
    });
    endedAfter = Date.now() - sentAt;
    assert.equal(run.code, 130, run.stderr);
    assert.ok(sentAt > 0, 'the run was interrupted while tiling');
    assert.ok(endedAfter < 2000 + 3000, `ended ${endedAfter} ms after Ctrl-C`);
    assert.deepEqual(readdirSync(out), []);
    await noProcessLeft(run.marker);
  });

  test('a second Ctrl-C ends it at once', async () => {
    const out = outFolder();
    let secondAt = 0;
    const run = await runCli(longRun(out), {
      whenRunning: async (pid, marker) => {
        for (const p of processesWith(marker)) if (p !== pid) process.kill(p, 'SIGSTOP'); // the first cannot finish
        process.kill(pid, 'SIGINT');
        await new Promise((r) => setTimeout(r, 200));
        secondAt = Date.now();
        process.kill(pid, 'SIGINT');
      },
    });
    assert.equal(run.code, 130, run.stderr);
    assert.ok(secondAt > 0, 'the run was interrupted while tiling');
    assert.ok(Date.now() - secondAt < 1500, `ended ${Date.now() - secondAt} ms after the second Ctrl-C (the grace timer is 1.8 s)`);
    assert.deepEqual(readdirSync(out), []);
    await noProcessLeft(run.marker);
  });

  test('SIGTERM: exit 130, no partial file, no process', async () => {
    const out = outFolder();
    await check(longRun(out), out, { code: 130, inputs: [big.panPath, big.msPath] }, { whenRunning: (pid) => void process.kill(pid, 'SIGTERM') });
  });

  test('the engine child dies (SIGKILL): exit 6, no partial file, no process', async () => {
    const out = outFolder();
    await check(
      longRun(out),
      out,
      { code: 6, message: /the engine process stopped unexpectedly \(killed by SIGKILL\)/, inputs: [big.panPath, big.msPath] },
      {
        whenRunning: (pid, marker) => {
          for (const p of processesWith(marker)) if (p !== pid) process.kill(p, 'SIGKILL');
        },
      },
    );
  });

  // kill -9 of the CLI at seeded random points: the engine's watchdog must end it and remove its partial file.
  const seed = 20261205;
  const delays = [0, 1, 2].map((i) => Math.floor(((Math.sin(seed + i) + 1) / 2) * 800));
  for (const delayMs of delays) {
    test(`kill -9 of the CLI ${delayMs} ms into tiling: the engine exits and its partial file goes`, async () => {
      const out = outFolder();
      let killed = false;
      const run = await runCli(longRun(out), {
        whenRunning: async (pid) => {
          await new Promise((r) => setTimeout(r, delayMs));
          killed = true;
          process.kill(pid, 'SIGKILL');
        },
      });
      assert.ok(killed, 'killed while tiling');
      assert.equal(run.signal, 'SIGKILL');
      await noProcessLeft(run.marker, 3000);
      assert.deepEqual(
        readdirSync(out).filter((n) => n.includes('partial')),
        [],
        'the watchdog removed the partial file',
      );
      assert.ok(!existsSync(join(out, 'out.tif')));
    });
  }
});

test('a read-only input stays read-only and unchanged after a successful run', async () => {
  const out = outFolder();
  const dir = join(root, 'ro');
  mkdirSync(dir);
  const pan = join(dir, 'pan.tif');
  copyFileSync(s16.panPath, pan);
  chmodSync(pan, 0o444);
  await check(['sharpen', '--pan', pan, '--ms', s16.msPath, '--method', 'gsa', '--out', join(out, 'out.tif'), '--quiet'], out, {
    code: 0,
    inputs: [pan, s16.msPath],
    outputExists: true,
  });
  assert.equal(statSync(pan).mode & 0o777, 0o444);
  assert.deepEqual(readdirSync(dir), ['pan.tif'], 'no side file (.aux.xml, .ovr) next to the input');
});
