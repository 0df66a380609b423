/**
 * @module main/engine/service/sharpen-process
 * `sharpen()` in a child process, for the CLI: same options, events and result, but a native crash (GDAL,
 * onnxruntime, out of memory) or a kill ends the child, not the caller. The caller then gets an
 * EngineCrashedError naming the exit, and the child's partial output is removed, so nothing half-written is left.
 * Cancellation is a message to the child, which stops like an in-process job (CancelledError, partial removed);
 * a child that has not stopped 1.5 s later is killed, so a cancel always ends the run within 2 s.
 * The child runs in its own process group: the caller's exit (even process.exit on a second Ctrl-C) kills the
 * whole group and removes the child's partial files; the caller's death (SIGKILL) closes the IPC channel, and
 * the child's watchdog stops the job and exits on its own.
 * The child is the engine service the app uses, one per run, through the same client (EngineClient's `sharpenRun`
 * call); process hosting is main/engine/rpc/child-host.ts, the watchdog main/engine/service/entry.ts.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { isRecord } from '../../../preload/contract.ts';
import { EngineCrashedError } from '../errors.ts';
import { EngineClient } from './engine-client.ts';
import { forkEngine } from './fork-engine.ts';
import { partialPathFor, sweepStalePartials } from '../write/output-path.ts';
import type { JobContext, JobRunEvent } from '../job-events.ts';
import type { SharpenOptions, SharpenResult } from '../jobs/sharpen.ts';

export interface SharpenProcessHooks {
  /** Called with the child's pid once it runs (tests use it to kill the child). */
  readonly onChild?: (pid: number) => void;
  /** How long a cancelled child may take to stop before it is killed [default 1500 ms]. */
  readonly cancelGraceMs?: number;
}

function removePartials(outPath: string, pid: number): void {
  for (const suffix of ['partial', 'partial-cog']) rmSync(partialPathFor(outPath, suffix, pid), { force: true });
}

export async function sharpenInChild(options: SharpenOptions, ctx: JobContext = {}, hooks: SharpenProcessHooks = {}): Promise<SharpenResult> {
  // Partials of an earlier run that was killed before it could clean up (their writer's pid is gone).
  sweepStalePartials(dirname(options.outPath));
  // stdout stays ours: it carries --json.
  const child = forkEngine({ stdout: 'ignore', cleanup: (pid) => removePartials(options.outPath, pid) });
  if (child.pid !== undefined) hooks.onChild?.(child.pid);
  const client = new EngineClient({
    start: () => child,
    strict: true,
    crashError: (exit) =>
      new EngineCrashedError(
        `the engine process stopped unexpectedly (${exit}) while sharpening into ${options.outPath}; no output was kept. Run it again; if it repeats, try --device cpu or a smaller --tile / --batch`,
        { exit, outPath: options.outPath },
      ),
  });
  const onProgress = (event: unknown) => {
    // The engine is our own code; the envelope was checked, the event is sharpen's own.
    if (isRecord(event) && typeof event.type === 'string') ctx.onEvent?.(event as unknown as JobRunEvent);
  };
  try {
    return await client.invoke('sharpenRun', options, {
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      cancelGraceMs: hooks.cancelGraceMs ?? 1500,
      onProgress,
    });
  } finally {
    // Whatever the run's end, nothing may survive it: the engine's group, its partial files.
    client.stop();
    await child.exited;
  }
}
