/**
 * @module main/engine/jobs/sharpen-process-entry
 * The child side of sharpen-process: waits for one `start`, runs `sharpen()` forwarding its events, answers with
 * `done` or `failed`, and exits. It runs in its own process group, so a terminal's Ctrl-C reaches only the
 * parent, which relays it as `cancel`; the child still ignores SIGINT in case one is sent to it directly.
 * Watchdog: when the IPC channel closes (the parent died, even by SIGKILL), the job is cancelled through its own
 * cleanup, and if that has not finished within a second the child removes its partial files and exits anyway:
 * an engine never outlives the command that started it.
 */
import { rmSync } from 'node:fs';
import { describeError } from '../errors.ts';
import { partialPathFor } from '../write/output-path.ts';
import { sharpen, type SharpenOptions } from './sharpen.ts';
import type { FromSharpenChild } from './sharpen-process.ts';

const send = process.send?.bind(process);
if (!send) throw new Error('sharpen-process-entry: started without an IPC channel; use sharpenInChild()');
// After the parent is gone there is no one to tell: a send would only throw (EPIPE / channel closed).
// A callback makes a failed send (EPIPE: the parent died between the check and the write) an ignored result
// instead of an 'error' event on process, which would crash the child before its cleanup.
const post = (message: FromSharpenChild) => {
  if (process.connected) send(message, undefined, {}, () => undefined);
};
// Our stderr is the parent's; if its reader is gone, a warning must not become an uncaught EPIPE.
process.stderr.on('error', () => undefined);

const controller = new AbortController();
let outPath: string | null = null;

process.on('SIGINT', () => undefined);
process.on('disconnect', () => {
  controller.abort();
  setTimeout(() => {
    if (outPath) {
      for (const suffix of ['partial', 'partial-cog']) rmSync(partialPathFor(outPath, suffix), { force: true });
    }
    process.exit(1);
  }, 1000);
});

function isStart(x: unknown): x is { kind: 'start'; options: SharpenOptions } {
  return typeof x === 'object' && x !== null && 'kind' in x && x.kind === 'start' && 'options' in x && typeof x.options === 'object' && x.options !== null;
}

process.on('message', async (raw: unknown) => {
  if (typeof raw === 'object' && raw !== null && 'kind' in raw && raw.kind === 'cancel') {
    controller.abort();
    return;
  }
  if (!isStart(raw)) return;
  outPath = typeof raw.options.outPath === 'string' ? raw.options.outPath : null;
  let last: FromSharpenChild;
  try {
    const result = await sharpen(raw.options, { signal: controller.signal, onEvent: (event) => post({ kind: 'event', event }) });
    last = { kind: 'done', result };
  } catch (err) {
    last = { kind: 'failed', error: { name: err instanceof Error ? err.name : 'Error', ...describeError(err) } };
  }
  // Exit once the answer is on its way: cached sessions and GDAL handles must not keep the child alive.
  if (!process.connected) process.exit(1);
  send(last, undefined, {}, (err) => process.exit(err ? 1 : 0));
});
