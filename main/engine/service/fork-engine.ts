/**
 * @module main/engine/service/fork-engine
 * The engine service as a plain Node child (child-host.ts), for the CLI, tests and the browser host. Electron uses
 * `utilityProcess.fork` on the same entry (main/app/engine-process.ts).
 */
import { fileURLToPath } from 'node:url';
import { startChild, type ChildHost, type ChildHostOptions } from '../rpc/child-host.ts';

// The entry and loader are resolved from this file, never from the working directory, so the CLI runs from any
// folder: from the sources, the TypeScript entry under tsx's loader (resolved from this package); from the
// compiled CLI (dist/cli, scripts/build-cli.ts), the bundled entry beside this bundle, under plain Node.
const FROM_SOURCES = import.meta.url.endsWith('.ts');
export const ENGINE_ENTRY = fileURLToPath(new URL(FROM_SOURCES ? './entry.ts' : './engine-service.js', import.meta.url));
const EXEC_ARGV = FROM_SOURCES ? ['--import', import.meta.resolve('tsx')] : [];

export interface ForkEngineOptions extends Pick<ChildHostOptions, 'stdout' | 'cleanup'> {
  /** Extra environment (e.g. PANFORGE_MODELS_DIR). */
  readonly env?: NodeJS.ProcessEnv;
}

export function forkEngine(options: ForkEngineOptions = {}): ChildHost {
  return startChild({ ...options, entry: ENGINE_ENTRY, execArgv: EXEC_ARGV, env: { ...process.env, ...options.env } });
}
