/**
 * @module main/app/engine-process
 * The engine service in Electron's utilityProcess (a Node child that a GDAL or ORT crash takes down alone), as an
 * EngineClient transport. The same entry runs under child_process.fork in plain Node (main/engine/service).
 */
import type { EngineTransport } from '../engine/service/engine-client.ts';
import type { UtilityProcessLike } from './electron-surface.ts';

export interface UtilityEngineOptions {
  /** The built engine entry (dist/engine/entry.js). */
  readonly entryPath: string;
  /** e.g. PANFORGE_MODELS_DIR: the bundled entry cannot find models/ relative to its source file. */
  readonly env: Record<string, string | undefined>;
}

export function utilityEngine(utilityProcess: UtilityProcessLike, options: UtilityEngineOptions): EngineTransport {
  const child = utilityProcess.fork(options.entryPath, [], { serviceName: 'PanForge engine', env: options.env, stdio: 'inherit' });
  return {
    post: (message) => child.postMessage(message),
    onMessage: (listener) => {
      child.on('message', listener);
    },
    onExit: (listener) => {
      child.on('exit', (code) => listener(`exit code ${code}`));
    },
    kill: () => {
      child.kill();
    },
  };
}
