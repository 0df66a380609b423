/**
 * @module bench/inference
 * `npm run bench -- inference`: how fast the networks run, side by side with PyTorch, and how much of that speed
 * the whole pipeline keeps.
 *
 * 1. Per model × device: ms per 512² PAN tile (MS 128², batch 1) in onnxruntime-node through the engine's session
 *    cache, and the same weights in PyTorch (bench/torch-infer.py, same threads, same input) → speed-up. Each side
 *    gets one warm-up call, then the median of `--reps`. PyTorch's output on that input is compared with ORT's
 *    (max |Δ|), which proves both ran the same weights.
 * 2. Scenes: a generated N² scene (4 bands) sharpened end to end by a network in a fresh process (peak RSS), versus
 *    pure inference on the engine's exact tile shape: efficiency = tiles × (ms per tile) / wall time.
 *
 * 3. Memory: peak RSS of whole-scene runs at `--rss-scenes` sizes with `--rss-method` (default exp: the same tile
 *    pipeline, fast enough for 12000² on a CPU; a network adds a constant session and arena) → growth.
 *
 * Options: --models DIR (default: the engine's models folder) --only a,b --devices cpu[,cuda] --reps 3
 *          --torch-reps N (default --reps; PyTorch on a 2-core CPU takes about a minute a tile) --pan 512
 *          --scenes 4096[,12000] --scene-models premix-4band[,...] --batch N --no-torch
 *          --rss-scenes 4096,12000 ('' for none) --rss-method exp --name inference
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { loadManifest, readVerifiedModel, type ModelManifest } from '../main/engine/infer/manifest.ts';
import { getSession, type InferenceSession } from '../main/engine/infer/ort-session.ts';
import { DEFAULT_BATCH } from '../main/engine/methods/network-method.ts';
import { planTiles } from '../main/engine/tiling/tile-plan.ts';
import { machine, printTable, saveJson, type Row } from './table.ts';

const repo = fileURLToPath(new URL('../', import.meta.url));
const TARGET_CPU = 2;
const TARGET_CUDA = 1;
const TARGET_EFFICIENCY = 0.9;
const TARGET_RSS_GROWTH = 1.2;

interface Options {
  readonly folder: string;
  readonly only: string[] | null;
  readonly devices: ('cpu' | 'cuda')[];
  readonly reps: number;
  readonly torchReps: number;
  readonly panPx: number;
  readonly scenes: number[];
  readonly sceneModels: string[];
  readonly batch: number | null;
  readonly torch: boolean;
  readonly rssScenes: number[];
  readonly rssMethod: string;
  readonly name: string;
}

/** GDAL-backed modules load only when scenes are asked for: the GPU machine runs the model rows without GDAL. */
const gdalModules = async () => ({
  ...(await import('../main/engine/testing/synthetic-scene.ts')),
  ...(await import('./scene-memory.ts')),
});

const defaultModelsFolder = () => process.env.PANFORGE_MODELS_DIR ?? join(repo, 'models/onnx');

function parseOptions(argv: string[]): Options {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (name: string, fallback: string) =>
    (arg(name) ?? fallback)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const devices = list('devices', 'cpu');
  for (const d of devices) if (d !== 'cpu' && d !== 'cuda') throw new Error(`--devices: "${d}" is not cpu or cuda`);
  return {
    folder: arg('models') ?? defaultModelsFolder(),
    only: arg('only') ? list('only', '') : null,
    devices: devices as ('cpu' | 'cuda')[],
    reps: Number(arg('reps') ?? 3),
    torchReps: Number(arg('torch-reps') ?? arg('reps') ?? 3),
    panPx: Number(arg('pan') ?? 512),
    scenes: list('scenes', '4096')
      .map(Number)
      .filter((n) => n > 0),
    sceneModels: list('scene-models', 'premix-4band'),
    batch: arg('batch') ? Number(arg('batch')) : null,
    torch: !argv.includes('--no-torch'),
    rssScenes: list('rss-scenes', '4096,12000')
      .map(Number)
      .filter((n) => n > 0),
    rssMethod: arg('rss-method') ?? 'exp',
    name: arg('name') ?? 'inference',
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median ms of `reps` ORT calls after one warm-up, plus the warm-up's output. */
export async function timeOrt(session: InferenceSession, manifest: ModelManifest, ms: Float32Array, pan: Float32Array, n: number, panPx: number, reps: number) {
  const feeds = {
    [manifest.inputNames.ms]: new ort.Tensor('float32', ms, [n, manifest.bands, panPx / 4, panPx / 4]),
    [manifest.inputNames.pan]: new ort.Tensor('float32', pan, [n, 1, panPx, panPx]),
  };
  const first = (await session.run(feeds))[manifest.outputName]!.data as Float32Array;
  const runs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    runs.push(performance.now() - t0);
  }
  return { msPerCall: median(runs), runs, first };
}

interface TorchRun {
  msPerCall: number;
  runs: number[];
  threads: number;
  torch: string;
  gpu: string | null;
  ms: Float32Array;
  pan: Float32Array;
  fused: Float32Array;
}

function runTorch(manifest: ModelManifest, device: 'cpu' | 'cuda', panPx: number, reps: number, threads: number): TorchRun | { error: string } {
  const untrained = manifest.status.startsWith('untrained');
  const dump = join(tmpdir(), `panforge-bench-${manifest.name}-${device}.bin`);
  const args = [
    join(repo, 'bench/torch-infer.py'),
    '--config',
    join(repo, 'models/configs', `${manifest.name}.yaml`),
    '--pan',
    String(panPx),
    '--threads',
    String(threads),
    '--reps',
    String(reps),
    '--device',
    device,
    '--dump',
    dump,
  ];
  if (untrained) args.push('--untrained');
  // Where models/runs is absent (the GPU machine), the checkpoints travel in a folder named by this variable.
  else if (process.env.PANFORGE_TORCH_STATE_DIR) args.push('--state', join(process.env.PANFORGE_TORCH_STATE_DIR, `${manifest.name}.pt`));
  // Debian's torch here; the GPU machine's own python3 (PANFORGE_PYTHON) holds torch with CUDA.
  const r = spawnSync(process.env.PANFORGE_PYTHON ?? '/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return { error: (r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? `exit ${r.status}` };
  const info = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const bytes = readFileSync(dump);
  rmSync(dump, { force: true });
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const msLen = manifest.bands * (panPx / 4) ** 2;
  const panLen = panPx * panPx;
  return { ...info, ms: all.slice(0, msLen), pan: all.slice(msLen, msLen + panLen), fused: all.slice(msLen + panLen) };
}

/** n tiles of uniform values in the model range [0.05, 0.6), from a fixed seed. */
function seededInputs(bands: number, panPx: number, n = 1): { ms: Float32Array; pan: Float32Array } {
  let s = 2026;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 0.55 + 0.05;
  return { ms: Float32Array.from({ length: n * bands * (panPx / 4) ** 2 }, rand), pan: Float32Array.from({ length: n * panPx * panPx }, rand) };
}

async function modelRows(options: Options, manifests: ModelManifest[], threads: number): Promise<Row[]> {
  const rows: Row[] = [];
  const mp = (options.panPx * options.panPx) / 1e6;
  for (const manifest of manifests) {
    for (const device of options.devices) {
      process.stderr.write(`bench: ${manifest.name} on ${device}…\n`);
      let choice;
      try {
        choice = await getSession(manifest.sha256, () => readVerifiedModel(manifest), device, manifest.name);
      } catch (err) {
        rows.push({
          model: manifest.name,
          device,
          'ORT ms/tile': null,
          'ORT MP/s': null,
          'torch ms/tile': null,
          'torch MP/s': null,
          speedup: null,
          target: `not run: ${err instanceof Error ? err.message.split(';')[0] : err}`,
          'max|Δ|': null,
        });
        continue;
      }
      const torch = options.torch ? runTorch(manifest, device, options.panPx, options.torchReps, threads) : { error: 'skipped (--no-torch)' };
      const inputs = 'ms' in torch ? torch : seededInputs(manifest.bands, options.panPx);
      const ortRun = await timeOrt(choice.session, manifest, inputs.ms, inputs.pan, 1, options.panPx, options.reps);
      let maxDiff: number | null = null;
      if ('fused' in torch) {
        maxDiff = 0;
        for (let i = 0; i < torch.fused.length; i++) maxDiff = Math.max(maxDiff, Math.abs(torch.fused[i]! - ortRun.first[i]!));
      }
      const speedup = 'msPerCall' in torch ? torch.msPerCall / ortRun.msPerCall : null;
      const goal = device === 'cpu' ? TARGET_CPU : TARGET_CUDA;
      rows.push({
        model: manifest.name,
        device: choice.device,
        'ORT ms/tile': ortRun.msPerCall,
        'ORT MP/s': mp / (ortRun.msPerCall / 1000),
        'torch ms/tile': 'msPerCall' in torch ? torch.msPerCall : null,
        'torch MP/s': 'msPerCall' in torch ? mp / (torch.msPerCall / 1000) : null,
        speedup,
        target: speedup === null ? `torch: ${'error' in torch ? torch.error : '?'}` : `≥${goal}× ${speedup >= goal ? 'met' : 'MISSED'}`,
        'max|Δ|': maxDiff === null ? null : maxDiff.toExponential(1),
      });
    }
  }
  return rows;
}

async function sceneFor(size: number): Promise<{ panPath: string; msPath: string }> {
  const folder = join(tmpdir(), 'panforge-bench', `scene-${size}`);
  const panPath = join(folder, 'bench_pan.tif');
  if (!existsSync(panPath)) {
    mkdirSync(folder, { recursive: true });
    process.stderr.write(`bench: generating a ${size}² scene in ${folder}…\n`);
    const { writeSyntheticScene } = await gdalModules();
    await writeSyntheticScene({ folder, name: 'bench', panWidth: size, panHeight: size, bands: 4 });
  }
  return { panPath, msPath: join(folder, 'bench_ms.tif') };
}

async function sceneRows(options: Options, manifests: ModelManifest[]): Promise<Row[]> {
  const rows: Row[] = [];
  const child = fileURLToPath(new URL('./sharpen-child.ts', import.meta.url));
  for (const name of options.sceneModels) {
    const manifest = manifests.find((m) => m.name === name);
    if (!manifest) throw new Error(`--scene-models: no model "${name}" in ${options.folder}`);
    if (manifest.bands !== 4) throw new Error(`--scene-models: ${name} has ${manifest.bands} bands; the generated scenes have 4`);
    for (const device of options.devices) {
      const batchSize = options.batch ?? DEFAULT_BATCH[device];
      const choice = await getSession(manifest.sha256, () => readVerifiedModel(manifest), device, manifest.name);
      for (const size of options.scenes) {
        const scene = await sceneFor(size);
        const plan = planTiles({
          region: { colOff: 0, rowOff: 0, width: size, height: size },
          ratio: 4,
          tileSizePx: 512,
          overlapPx: manifest.overlapPx,
          multiplePx: manifest.tileMultiplePx,
        });
        // Pure inference on the engine's tile shape and batch, back to back.
        const read = plan.readSizePx;
        const { ms, pan } = seededInputs(manifest.bands, read, batchSize);
        const pure = await timeOrt(choice.session, manifest, ms, pan, batchSize, read, options.reps);
        const msPerTile = pure.msPerCall / batchSize;
        const outPath = join(tmpdir(), 'panforge-bench', `scene-${size}`, `out-${manifest.name}.tif`);
        rmSync(outPath, { force: true });
        process.stderr.write(
          `bench: sharpening the ${size}² scene with ${manifest.name} on ${device} (${plan.tiles.length} tiles of ${read}² px, ~${((plan.tiles.length * msPerTile) / 1000).toFixed(0)} s of inference)…\n`,
        );
        const sharpenOptions = { ...scene, method: manifest.network.toLowerCase(), outPath, tileSizePx: 512, overwrite: true, device, batchSize };
        const stdout = execFileSync(process.execPath, ['--import', 'tsx', child, JSON.stringify(sharpenOptions)], {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
          env: { ...process.env, PANFORGE_MODELS_DIR: options.folder },
        });
        const { result, peakRssMiB } = JSON.parse(stdout.trim().split('\n').pop()!);
        rmSync(outPath, { force: true });
        const wallS = result.timings.wallMs / 1000;
        const efficiency = (plan.tiles.length * msPerTile) / result.timings.wallMs;
        rows.push({
          scene: `${size}²`,
          model: manifest.name,
          device: result.device,
          batch: result.batchSize,
          tiles: plan.tiles.length,
          'tile px': `${read}²`,
          'wall s': wallS,
          'scene MP/s': (size * size) / 1e6 / wallS,
          'pure MP/s': (size * size) / 1e6 / ((plan.tiles.length * msPerTile) / 1000),
          efficiency,
          'infer busy/wall': result.timings.inferMs / result.timings.wallMs,
          target: `≥${TARGET_EFFICIENCY * 100}% ${efficiency >= TARGET_EFFICIENCY ? 'met' : 'MISSED'}`,
          peakRssMiB,
        });
      }
    }
  }
  return rows;
}

/** Peak RSS of the largest scene over the smallest, per model or method, against the target. */
function reportGrowth(rows: Row[], sizes: number[]): void {
  if (sizes.length < 2) return;
  const small = `${Math.min(...sizes)}²`;
  const large = `${Math.max(...sizes)}²`;
  const names = [...new Set(rows.map((r) => String(r.model ?? r.method)))];
  for (const name of names) {
    const rss = (scene: string) => rows.find((r) => r.scene === scene && String(r.model ?? r.method) === name)?.peakRssMiB;
    const [a, b] = [rss(small), rss(large)];
    if (typeof a !== 'number' || typeof b !== 'number') continue;
    const growth = b / a;
    process.stdout.write(
      `peak RSS ${name} ${large} / ${small} = ${growth.toFixed(2)} (target ≤ ${TARGET_RSS_GROWTH}: ${growth <= TARGET_RSS_GROWTH ? 'met' : 'MISSED'})\n`,
    );
  }
}

export async function runInference(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  if (!existsSync(options.folder)) throw new Error(`models folder ${options.folder} does not exist (--models DIR)`);
  const manifests = readdirSync(options.folder)
    .filter((f) => f.endsWith('.manifest.json'))
    .sort()
    .map((f) => loadManifest(join(options.folder, f)))
    .filter((m) => !options.only || options.only.includes(m.name));
  if (manifests.length === 0) throw new Error(`no model manifests in ${options.folder}`);
  const threads = availableParallelism();
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const started = Date.now();
  const models = await modelRows(options, manifests, threads);
  printTable(models);
  const scenes = options.scenes.length > 0 && options.sceneModels.length > 0 ? await sceneRows(options, manifests) : [];
  if (scenes.length > 0) {
    process.stdout.write('\n');
    printTable(scenes);
    reportGrowth(scenes, options.scenes);
  }
  const memory =
    options.rssScenes.length > 0 ? await (await gdalModules()).benchSceneMemory({ sizes: options.rssScenes, method: options.rssMethod, tileSizePx: 512 }) : [];
  if (memory.length > 0) {
    process.stdout.write('\n');
    printTable(memory);
    reportGrowth(memory, options.rssScenes);
  }
  const loadAfter = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const path = saveJson(options.name, {
    machine: { ...machine(), loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
    ortVersion: ort.env.versions.common,
    threads,
    options: { ...options },
    models,
    scenes,
    memory,
    targets: { onnxVsTorchCpu: TARGET_CPU, onnxVsTorchCuda: TARGET_CUDA, pipelineEfficiency: TARGET_EFFICIENCY, rssGrowth12000vs4096: TARGET_RSS_GROWTH },
    elapsedS: (Date.now() - started) / 1000,
    date: new Date().toISOString(),
  });
  process.stdout.write(`\nmachine load (1/5/15 min) before ${loadBefore}, after ${loadAfter}; saved ${path}\n`);
}

// Also runnable on its own (the GPU machine has no GDAL, which bench/run.ts's other benchmarks load).
if (import.meta.url === `file://${process.argv[1]}`) await runInference(process.argv.slice(2));
