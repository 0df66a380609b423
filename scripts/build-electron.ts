/**
 * @module scripts/build-electron
 * `npm run build:electron`: Electron cannot run TypeScript, so bundle the three Electron-side entries with esbuild
 * (the copy tsx ships): the main process (ESM, dist/main/app/main.js = package.json "main"), the engine service
 * for utilityProcess (ESM, dist/engine/entry.js) with its inference worker thread beside it
 * (dist/engine/inference-worker.js, loaded by main/engine/infer/worker-backend.ts) and its quality-assessment worker
 * threads (dist/engine/assessment-worker.js, loaded by main/engine/evaluate/assessment-pool.ts), and the preload (one CommonJS file, dist/preload/index.cjs: a
 * sandboxed preload can `require` only electron's own modules, so everything else is inlined). npm packages stay
 * external: native modules (gdal-async, onnxruntime-node) load from node_modules / app.asar.unpacked. The
 * renderer is built separately (Vite, renderer/dist).
 */
import { build, type BuildOptions } from 'esbuild';
import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ElectronBuildOptions {
  /** The repository root [default: this script's parent folder]. */
  readonly root?: string;
  /** [default <root>/dist] */
  readonly outDir?: string;
}

export interface ElectronBundles {
  readonly main: string;
  readonly engine: string;
  readonly inferenceWorker: string;
  readonly assessmentWorker: string;
  readonly preload: string;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export async function buildElectron(options: ElectronBuildOptions = {}): Promise<ElectronBundles> {
  const root = options.root ?? REPO_ROOT;
  const outDir = options.outDir ?? join(root, 'dist');
  const out: ElectronBundles = {
    main: join(outDir, 'main', 'app', 'main.js'),
    engine: join(outDir, 'engine', 'entry.js'),
    inferenceWorker: join(outDir, 'engine', 'inference-worker.js'),
    assessmentWorker: join(outDir, 'engine', 'assessment-worker.js'),
    preload: join(outDir, 'preload', 'index.cjs'),
  };
  const common: BuildOptions = { absWorkingDir: root, bundle: true, sourcemap: 'linked', logLevel: 'warning', legalComments: 'none' };
  // Electron 45 runs Node 22 and Chromium 140.
  const node: BuildOptions = { ...common, platform: 'node', target: 'node22', format: 'esm', packages: 'external' };
  await Promise.all([
    build({ ...node, entryPoints: [join(root, 'main/app/main.ts')], outfile: out.main }),
    build({ ...node, entryPoints: [join(root, 'main/engine/service/entry.ts')], outfile: out.engine }),
    build({ ...node, entryPoints: [join(root, 'main/engine/infer/inference-worker.ts')], outfile: out.inferenceWorker }),
    build({ ...node, entryPoints: [join(root, 'main/engine/evaluate/assessment-worker.ts')], outfile: out.assessmentWorker }),
    build({
      ...common,
      platform: 'browser',
      target: 'chrome130',
      format: 'cjs',
      external: ['electron'],
      entryPoints: [join(root, 'preload/index.ts')],
      outfile: out.preload,
    }),
  ]);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outArg = process.argv.indexOf('--out');
  const bundles = await buildElectron(outArg > 0 ? { outDir: process.argv[outArg + 1] } : {});
  for (const [name, path] of Object.entries(bundles)) {
    console.log(`${name.padEnd(8)} ${relative(process.cwd(), path)}  ${(statSync(path).size / 1024).toFixed(1)} KiB`);
  }
}
