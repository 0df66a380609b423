// Layer boundaries as lint rules (see ../shared/STYLE.md): renderer → contract ← main/app → engine ← cli.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'stream', 'crypto', 'url'];

function restrict(patterns, message) {
  return { 'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }] };
}

// The engine's layers, lowest first: a module may import its own layer and the layers below it (and
// preload/contract.ts, the common vocabulary), never one above; `testing` is test support, for tests only.
// "core" is main/engine/*.ts (errors, job events, version). ARCHITECTURE.md draws the same order.
const ENGINE_LAYERS = [
  'core',
  'rpc',
  'raster',
  'numeric',
  'dsp',
  'io',
  'tiling',
  'write',
  'raster-stats',
  'metrics',
  'infer',
  'methods',
  'adapt',
  'jobs',
  'evaluate',
  'service',
];
const ENGINE_OUTSIDE = ['electron', 'electron/*', '**/main/app/**', '**/app/**', '**/renderer/**', '**/preload/index*'];
const OUTSIDE_MESSAGE = 'Bad layering: engine and CLI run in plain Node; allowed layers are main/engine and preload/contract.';

/** One config per engine layer: the layers above it and `testing` are forbidden imports of its modules. */
function engineLayerConfigs() {
  return ENGINE_LAYERS.flatMap((layer, i) => {
    const below = ENGINE_LAYERS.slice(0, i + 1);
    const message = (forbidden) =>
      `Bad layering: main/engine/${layer === 'core' ? '*.ts' : layer} may import ${below.join(', ')} and preload/contract; not ${forbidden}. Engine layers, lowest first: ${ENGINE_LAYERS.join(' → ')}.`;
    const higher = ENGINE_LAYERS.slice(i + 1);
    const rules = {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...ENGINE_OUTSIDE.map((group) => ({ group: [group], message: OUTSIDE_MESSAGE })),
            ...[...higher, 'testing'].map((name) => ({ regex: `^(\\.\\.?/)+${name}/`, message: message(name) })),
          ],
        },
      ],
    };
    // Tests are exempt: some drive a module through a higher layer (e.g. the sharpen job) to check what a user sees.
    return [{ files: [layer === 'core' ? 'main/engine/*.ts' : `main/engine/${layer}/**/*.ts`], ignores: ['**/*.test.ts'], rules }];
  });
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'models/', 'renderer/dist/', 'e2e/artifacts/', 'test-results/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['main/engine/**/*.ts', 'main/cli/**/*.ts'],
    rules: restrict(ENGINE_OUTSIDE, OUTSIDE_MESSAGE),
  },
  ...engineLayerConfigs(),
  {
    files: ['main/app/**/*.ts'],
    rules: restrict(['**/renderer/**', '**/main/cli/**', '**/cli/**'], 'Bad layering: main/app may use electron, main/engine and preload/contract.'),
  },
  {
    files: ['preload/contract.ts'],
    rules: restrict(['*', '!./*'], 'Bad layering: preload/contract.ts is common code and imports nothing.'),
  },
  {
    files: ['preload/**/*.ts'],
    ignores: ['preload/contract.ts', 'preload/**/*.test.ts'],
    rules: restrict([...nodeBuiltins, '**/main/**', '**/renderer/**'], 'Bad layering: a sandboxed preload may use electron and preload/contract only.'),
  },
  {
    // Tests run under plain Node (node:test), but still must not reach into main or the renderer.
    files: ['preload/**/*.test.ts'],
    rules: restrict(['**/main/**', '**/renderer/**'], 'Bad layering: preload tests may use node:test/node:assert, electron stubs and preload code only.'),
  },
  {
    files: ['main/app-core/**/*.ts', 'main/host/**/*.ts'],
    rules: restrict(
      ['electron', 'electron/*', '**/main/app/**', '**/app/**', '**/renderer/**', '**/main/cli/**', '**/cli/**', '**/preload/index*'],
      'Bad layering: main/app-core and main/host run in plain Node (shared by Electron main and the browser host); allowed layers are main/app-core, main/engine and preload/contract.',
    ),
  },
  {
    files: ['renderer/**/*.ts'],
    ignores: ['renderer/**/*.test.ts', 'renderer/vite.config.ts'],
    rules: restrict(
      ['electron', 'electron/*', ...nodeBuiltins, '**/main/**'],
      'Bad layering: the renderer may use browser APIs, window.panforge and type imports from preload/contract.',
    ),
  },
  {
    // Renderer tests run under plain Node (node:test) on the renderer's pure modules; still no electron or main.
    files: ['renderer/**/*.test.ts'],
    rules: restrict(['electron', 'electron/*', '**/main/**'], 'Bad layering: renderer tests may use node:test/node:assert and renderer code only.'),
  },
);
