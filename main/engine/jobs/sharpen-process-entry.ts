/**
 * @module main/engine/jobs/sharpen-process-entry
 * The child side of sharpen-process: waits for one `start`, runs `sharpen()` forwarding its events, answers with
 * `done` or `failed`, and exits. Ctrl-C in a terminal reaches the whole process group; the child ignores SIGINT
 * and stops only when its parent says `cancel` (or disappears), so a cancel always goes through the job's own
 * cleanup.
 */
import { describeError } from '../errors.ts';
import { sharpen, type SharpenOptions } from './sharpen.ts';
import type { FromSharpenChild } from './sharpen-process.ts';

const send = process.send?.bind(process);
if (!send) throw new Error('sharpen-process-entry: started without an IPC channel; use sharpenInChild()');
const post = (message: FromSharpenChild) => send(message);

const controller = new AbortController();

process.on('SIGINT', () => undefined);
process.on('disconnect', () => controller.abort());

function isStart(x: unknown): x is { kind: 'start'; options: SharpenOptions } {
  return typeof x === 'object' && x !== null && 'kind' in x && x.kind === 'start' && 'options' in x && typeof x.options === 'object' && x.options !== null;
}

process.on('message', async (raw: unknown) => {
  if (typeof raw === 'object' && raw !== null && 'kind' in raw && raw.kind === 'cancel') {
    controller.abort();
    return;
  }
  if (!isStart(raw)) return;
  let last: FromSharpenChild;
  try {
    const result = await sharpen(raw.options, { signal: controller.signal, onEvent: (event) => post({ kind: 'event', event }) });
    last = { kind: 'done', result };
  } catch (err) {
    last = { kind: 'failed', error: { name: err instanceof Error ? err.name : 'Error', ...describeError(err) } };
  }
  // Exit once the answer is on its way: cached sessions and GDAL handles must not keep the child alive.
  send(last, undefined, {}, () => process.exit(0));
});
