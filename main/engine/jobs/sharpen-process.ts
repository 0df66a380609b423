/**
 * @module main/engine/jobs/sharpen-process
 * `sharpen()` in a child Node process, for the CLI: same options, events and result, but a native crash (GDAL,
 * onnxruntime, out of memory) or a kill ends the child, not the caller. The caller then gets an
 * EngineCrashedError naming the exit, and the child's partial output is removed, so nothing half-written is left.
 * Cancellation is a message to the child, which stops like an in-process job (CancelledError, partial removed);
 * a child that has not stopped 1.5 s later is killed, so a cancel always ends the run within 2 s.
 * The child runs in its own process group: the caller's exit (even process.exit on a second Ctrl-C) kills the
 * whole group and removes the child's partial files; the caller's death (SIGKILL) closes the IPC channel, and
 * the child's watchdog stops the job and exits on its own (sharpen-process-entry.ts).
 * The Electron app reaches the same engine code through the engine service (main/engine/service), which adds
 * scene sessions and a job queue the CLI does not need.
 */
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CancelledError, EngineCrashedError, InputError, ModelError, OutputError, PanForgeError, RequestError } from '../errors.ts';
import { partialPathFor, sweepStalePartials } from '../write/output-path.ts';
import type { JobContext, JobEvent } from './job-events.ts';
import type { SharpenOptions, SharpenResult } from './sharpen.ts';

// The child's entry and loader are resolved from this file, never from the working directory, so the CLI runs
// from any folder: from the sources, the TypeScript entry under tsx's loader (resolved from this package);
// from the compiled CLI (dist/cli, scripts/build-cli.ts), the bundled entry beside this bundle, plain Node.
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const ENTRY = fileURLToPath(new URL(FROM_SOURCES ? './sharpen-process-entry.ts' : './sharpen-process-entry.js', import.meta.url));
const EXEC_ARGV = FROM_SOURCES ? ['--import', import.meta.resolve('tsx')] : [];

/** Parent → child. */
export type ToSharpenChild = { kind: 'start'; options: SharpenOptions } | { kind: 'cancel' };
/** Child → parent. */
export type FromSharpenChild =
  | { kind: 'event'; event: JobEvent }
  | { kind: 'done'; result: SharpenResult }
  | { kind: 'failed'; error: { name: string; code: string; message: string; details: Record<string, unknown> } };

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Checks the envelope of what the child sent (the child is our own code; a malformed message is a bug). */
export function parseFromChild(x: unknown): FromSharpenChild {
  if (isRecord(x)) {
    if (x.kind === 'event' && isRecord(x.event) && typeof x.event.type === 'string') return { kind: 'event', event: x.event as unknown as JobEvent };
    if (x.kind === 'done' && isRecord(x.result) && typeof x.result.outPath === 'string') return { kind: 'done', result: x.result as unknown as SharpenResult };
    const e = x.error;
    if (x.kind === 'failed' && isRecord(e) && typeof e.name === 'string' && typeof e.code === 'string' && typeof e.message === 'string') {
      return { kind: 'failed', error: { name: e.name, code: e.code, message: e.message, details: isRecord(e.details) ? e.details : {} } };
    }
  }
  throw new Error(`sharpen child sent a malformed message: ${JSON.stringify(x)?.slice(0, 200)}`);
}

/** Rebuilds the child's error as the same class, so exit codes and UI codes stay as they would be in-process. */
function rebuildError(e: { name: string; code: string; message: string; details: Record<string, unknown> }): Error {
  switch (e.name) {
    case 'InputError': return new InputError(e.code, e.message, e.details);
    case 'RequestError': return new RequestError(e.code, e.message, e.details);
    case 'ModelError': return new ModelError(e.code, e.message, e.details);
    case 'OutputError': return new OutputError(e.code, e.message, e.details);
    case 'CancelledError': return new CancelledError(e.message);
    default: return e.code === 'internal' ? new Error(e.message) : new PanForgeError(e.code, e.message, e.details);
  }
}

export interface SharpenProcessHooks {
  /** Called with the child's pid once it runs (tests use it to kill the child). */
  readonly onChild?: (pid: number) => void;
  /** How long a cancelled child may take to stop before it is killed [default 1500 ms]. */
  readonly cancelGraceMs?: number;
}

/** Kills the child's whole process group (it leads one: `detached`); quiet when it is gone already. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function sharpenInChild(options: SharpenOptions, ctx: JobContext = {}, hooks: SharpenProcessHooks = {}): Promise<SharpenResult> {
  // Partials of an earlier run that was killed before it could clean up (their writer's pid is gone).
  sweepStalePartials(dirname(options.outPath));
  return new Promise((resolve, reject) => {
    const child = fork(ENTRY, [], {
      execArgv: EXEC_ARGV,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
      // Its own process group: a terminal's Ctrl-C reaches only us (we relay it as a cancel), and killing the
      // group on our exit takes anything the child started with it.
      detached: true,
    });
    let settled: { ok: true; result: SharpenResult } | { ok: false; error: Error } | null = null;
    let cancelRequested = false;
    let killTimer: NodeJS.Timeout | null = null;
    const removePartials = () => {
      if (child.pid === undefined) return;
      rmSync(partialPathFor(options.outPath, 'partial', child.pid), { force: true });
      rmSync(partialPathFor(options.outPath, 'partial-cog', child.pid), { force: true });
    };
    // Synchronous, so it also runs on process.exit (a second Ctrl-C): no child, no partial file outlives us.
    const onParentExit = () => {
      killGroup(child.pid);
      removePartials();
    };
    process.on('exit', onParentExit);
    const onAbort = () => {
      cancelRequested = true;
      if (child.connected) child.send({ kind: 'cancel' } satisfies ToSharpenChild);
      killTimer = setTimeout(() => killGroup(child.pid), hooks.cancelGraceMs ?? 1500);
    };
    if (ctx.signal?.aborted) queueMicrotask(onAbort);
    else ctx.signal?.addEventListener('abort', onAbort, { once: true });
    if (child.pid !== undefined) hooks.onChild?.(child.pid);
    child.on('message', (raw) => {
      let message: FromSharpenChild;
      try {
        message = parseFromChild(raw);
      } catch (err) {
        settled = { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
        child.kill();
        return;
      }
      if (message.kind === 'event') ctx.onEvent?.(message.event);
      else if (message.kind === 'done') settled = { ok: true, result: message.result };
      else settled = { ok: false, error: rebuildError(message.error) };
    });
    child.on('error', (err) => {
      settled ??= { ok: false, error: err };
    });
    child.on('exit', (code, signal) => {
      ctx.signal?.removeEventListener('abort', onAbort);
      process.off('exit', onParentExit);
      if (killTimer) clearTimeout(killTimer);
      // Whatever the child's last word, nothing else may survive it: its group, its partial files.
      killGroup(child.pid);
      removePartials();
      if (settled?.ok) return resolve(settled.result);
      if (settled) return reject(settled.error);
      if (cancelRequested) return reject(new CancelledError('cancelled; the engine process was stopped and no output was kept'));
      const exit = signal ? `killed by ${signal}` : `exit code ${code}`;
      reject(
        new EngineCrashedError(
          `the engine process stopped unexpectedly (${exit}) while sharpening into ${options.outPath}; no output was kept. Run it again; if it repeats, try --device cpu or a smaller --tile / --batch`,
          { exit, outPath: options.outPath },
        ),
      );
    });
    child.send({ kind: 'start', options } satisfies ToSharpenChild);
  });
}
