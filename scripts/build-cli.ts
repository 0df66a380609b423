/**
 * @module scripts/build-cli
 * `npm run build:cli`: the command-line tool as plain JavaScript (no TypeScript loader at run time), in dist/cli:
 * - esbuild bundles (ESM, code-split so `--version` and `--help` load neither GDAL nor the engine): panforge.js
 *   (the CLI, used by bin/panforge.mjs once installed), engine-service.js (the engine child), and the
 *   inference and assessment worker threads, each beside the others as the engine expects
 *   (fork-engine.ts, worker-backend.ts, assessment-pool.ts look for them next to their own bundle);
 * - with `--natives`, dist/cli/node_modules: the native modules and their run-time dependencies, copied from this
 *   checkout's node_modules (gdal-async as built here against the system GDAL; onnxruntime-node's CPU library
 *   for this platform; chart.js for the evaluation report). The npm package carries them, so installing it runs
 *   no dependency install script: nothing is downloaded or compiled (scripts/npm-package.ts).
 * Pure-JavaScript dependencies are bundled in.
 */
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Loaded from dist/cli/node_modules at run time, not bundled: native bindings, and chart.js, whose UMD file the
 * evaluation report inlines (report-html.ts resolves it). */
export const RUNTIME_PACKAGES = ['gdal-async', 'onnxruntime-node', 'chart.js'] as const;

export interface CliBuildOptions {
  readonly root?: string;
  /** [default <root>/dist/cli] */
  readonly outDir?: string;
  /** Also copy the native modules into <outDir>/node_modules [default false]. */
  readonly natives?: boolean;
}

export async function buildCli(options: CliBuildOptions = {}): Promise<{ outDir: string; files: string[] }> {
  const root = options.root ?? REPO_ROOT;
  const outDir = options.outDir ?? join(root, 'dist', 'cli');
  rmSync(outDir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: {
      panforge: join(root, 'main/cli/index.ts'),
      'engine-service': join(root, 'main/engine/service/entry.ts'),
      'inference-worker': join(root, 'main/engine/infer/inference-worker.ts'),
      'assessment-worker': join(root, 'main/engine/evaluate/assessment-worker.ts'),
    },
    outdir: outDir,
    // Chunks beside the entries: the engine resolves its worker files relative to its own (chunk) location.
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: [...RUNTIME_PACKAGES],
    // Bundled CommonJS code may call require() for Node's built-ins; ESM has none, so give it one.
    banner: { js: "import { createRequire as __panforgeCreateRequire } from 'node:module'; const require = __panforgeCreateRequire(import.meta.url);" },
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  if (options.natives) copyRuntimePackages(root, join(outDir, 'node_modules'));
  return { outDir, files: listFiles(outDir) };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
}

/** The folder of package `name` as Node would find it from `fromDir` (walking up through node_modules). */
function findPackage(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`build-cli: package ${name} not found from ${fromDir}; run npm run setup`);
  }
}

interface PackageRule {
  /** Paths inside the package to leave out. */
  readonly omit?: readonly string[];
  /** Dependencies not needed at run time (build or install tools). */
  readonly skipDependencies?: readonly string[];
}

const PLATFORM_BIN = `bin/napi-v6/${process.platform}/${process.arch}`;

const RULES: Record<string, PackageRule> = {
  // Its bundled GDAL/PROJ sources (deps/) are for builds without a system GDAL; this one links the system's.
  // src/ and the .gyp files stay: scripts/npm-postinstall.cjs rebuilds the binding for another Node ABI.
  'gdal-async': {
    omit: ['deps', 'build', 'doc', 'bench', 'test', 'examples', 'ASYNCIO.md', 'CHANGELOG.md', 'ROADMAP.md', 'RELEASE.md', 'gdal-async-logo.svg'],
    skipDependencies: ['node-gyp', 'yatag'],
  },
  // Only this platform's CPU library; the install script (CUDA download) is not run (see README, CUDA).
  'onnxruntime-node': { omit: ['bin'], skipDependencies: ['adm-zip', 'global-agent'] },
};

function copyRuntimePackages(root: string, target: string): void {
  const done = new Set<string>();
  const copyOne = (name: string, fromDir: string, into: string): void => {
    const source = findPackage(name, fromDir);
    const destination = join(into, name);
    if (done.has(destination)) return;
    done.add(destination);
    const rule = RULES[name] ?? {};
    const omitted = new Set((rule.omit ?? []).map((p) => join(source, p)));
    cpSync(source, destination, {
      recursive: true,
      dereference: true,
      // nested node_modules are resolved package by package below; source maps and TypeScript sources are not run
      filter: (src) => !omitted.has(src) && !(src !== source && src.startsWith(join(source, 'node_modules'))) && !src.endsWith('.map'),
    });
    if (name === 'onnxruntime-node') cpSync(join(source, PLATFORM_BIN), join(destination, PLATFORM_BIN), { recursive: true });
    if (name === 'gdal-async') {
      // lib/gdal.js insists these folders exist unless GDAL_DATA/PROJ_LIB are set; a system GDAL brings its own data.
      for (const d of ['deps/libgdal/gdal/data', 'deps/libproj/proj/data', 'deps/libgdal/gdal/frmts/grib/data']) {
        mkdirSync(join(destination, d), { recursive: true });
        writeFileSync(join(destination, d, 'README'), 'Empty on purpose: this gdal-async links the system GDAL and PROJ, which use their own data.\n');
      }
    }
    const pkg = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (rule.skipDependencies?.includes(dep)) continue;
      // Flat layout, as npm would install it, unless an incompatible copy already sits at the top.
      copyOne(dep, source, into);
    }
  };
  for (const name of RUNTIME_PACKAGES) copyOne(name, root, target);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const natives = process.argv.includes('--natives');
  const { outDir, files } = await buildCli({ natives });
  const size = files.reduce((s, f) => s + statSync(join(outDir, f)).size, 0);
  console.log(
    `build-cli: ${files.length} files, ${(size / 1048576).toFixed(1)} MiB in ${relative(process.cwd(), outDir) || '.'}${natives ? ' (with native modules)' : ''}`,
  );
}
