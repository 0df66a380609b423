// Layer boundaries as lint rules (see ../shared/STYLE.md): renderer → contract ← main/app → engine ← cli.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'stream', 'crypto', 'url'];

function restrict(patterns, message) {
  return { 'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }] };
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
    rules: restrict(
      ['electron', 'electron/*', '**/main/app/**', '**/app/**', '**/renderer/**', '**/preload/index*'],
      'Bad layering: engine and CLI run in plain Node; allowed layers are main/engine and preload/contract.',
    ),
  },
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
    rules: restrict(['electron', 'electron/*', ...nodeBuiltins, '**/main/**'], 'Bad layering: the renderer may use browser APIs, window.panforge and type imports from preload/contract.'),
  },
  {
    // Renderer tests run under plain Node (node:test) on the renderer's pure modules; still no electron or main.
    files: ['renderer/**/*.test.ts'],
    rules: restrict(['electron', 'electron/*', '**/main/**'], 'Bad layering: renderer tests may use node:test/node:assert and renderer code only.'),
  },
);
