/**
 * @module main/engine/rpc/child-host
 * Starts an engine entry (the engine service) as a Node child process and keeps it from outliving us or leaving
 * anything behind:
 * - it leads its own process group (`detached`), so a terminal's Ctrl-C reaches only us (the caller relays it as a
 *   cancel), and killing the group takes anything the child started;
 * - on our exit (even process.exit on a second Ctrl-C) the group is killed and `cleanup` runs, synchronously;
 * - on the child's exit, whatever its cause, the group is killed too and `cleanup` runs before the exit is
 *   reported as "exit code N" or "killed by SIGNAL" (the caller turns an unexpected one into EngineCrashedError);
 * - our death by SIGKILL closes the IPC channel, and the child's watchdog stops it (parent-port.ts, entry.ts).
 * Electron runs the same entry in a utilityProcess instead (main/app/engine-process.ts).
 */
import { fork } from 'node:child_process';
import type { ToCallee } from './envelope.ts';

export interface ChildHostOptions {
  /** The entry's file. */
  readonly entry: string;
  readonly execArgv?: readonly string[];
  /** The child's whole environment [default ours]. */
  readonly env?: NodeJS.ProcessEnv;
  /** The child's stdout [default 'inherit']; the CLI ignores it, its own stdout carries --json. */
  readonly stdout?: 'inherit' | 'ignore';
  /** Runs synchronously once the child is gone or we exit: removes what the child may have left (its partials). */
  readonly cleanup?: (pid: number) => void;
}

export interface ChildHost {
  readonly pid: number | undefined;
  post(message: ToCallee): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once the child is gone and cleaned up, with how it ended ("exit code 1", "killed by SIGKILL"). */
  onExit(listener: (description: string) => void): void;
  /** Kills the child's whole group now. */
  kill(): void;
  /** Resolves like onExit. */
  readonly exited: Promise<string>;
}

/** Kills a process group (its leader's pid); quiet when it is gone already. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function startChild(options: ChildHostOptions): ChildHost {
  const child = fork(options.entry, [], {
    execArgv: [...(options.execArgv ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', options.stdout ?? 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
    detached: true,
  });
  const cleanup = () => {
    killGroup(child.pid);
    if (child.pid !== undefined) options.cleanup?.(child.pid);
  };
  process.on('exit', cleanup);
  const exitListeners: ((description: string) => void)[] = [];
  let gone: string | null = null;
  let reportExit: (description: string) => void = () => undefined;
  const exited = new Promise<string>((resolve) => (reportExit = resolve));
  const ended = (description: string) => {
    if (gone !== null) return;
    gone = description;
    process.off('exit', cleanup);
    cleanup();
    reportExit(description);
    for (const listener of exitListeners) listener(description);
  };
  child.on('exit', (code, signal) => ended(signal ? `killed by ${signal}` : `exit code ${code}`));
  // A child that could not start emits 'error' and possibly no 'exit'.
  child.on('error', (err) => {
    if (child.pid === undefined || child.exitCode !== null) ended(`failed to start: ${err.message}`);
  });
  return {
    pid: child.pid,
    post: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => {
      child.on('message', listener);
    },
    onExit: (listener) => {
      if (gone !== null) listener(gone);
      else exitListeners.push(listener);
    },
    kill: () => killGroup(child.pid),
    exited,
  };
}
