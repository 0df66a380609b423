/**
 * @module main/engine/service/fork-engine
 * The engine service as a plain Node child (`child_process.fork`), for tests, the browser host and the CLI.
 * Electron uses `utilityProcess.fork` on the same entry (main/app/engine-process.ts).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EngineTransport } from './engine-client.ts';

export const ENGINE_ENTRY = fileURLToPath(new URL('./entry.ts', import.meta.url));

export interface ForkEngineOptions {
  /** Extra environment (e.g. PANFORGE_MODELS_DIR). */
  readonly env?: NodeJS.ProcessEnv;
}

export function forkEngine(options: ForkEngineOptions = {}): EngineTransport & { readonly pid: number | undefined } {
  const child = fork(ENGINE_ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  // The engine must not outlive us: its own watchdog handles our death by signal (IPC 'disconnect' in entry.ts);
  // this handles every exit that runs 'exit' listeners, including process.exit from a signal handler.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  child.on('exit', () => process.off('exit', killOnExit));
  return {
    pid: child.pid,
    post: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code, signal) => listener(signal ? `killed by ${signal}` : `exit code ${code}`)),
    kill: () => {
      child.kill();
    },
  };
}
