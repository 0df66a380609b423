/**
 * @module main/engine/evaluate/assessment-worker
 * The worker-thread side of assessment-pool.ts: computes quality-index tiles that the calling thread read (GDAL
 * stays there: gdal-async is not context-aware and loads in one thread per process). A `setup` message picks the
 * pass (fr or rr) and its constants; each `tile` message returns that tile's partial sums and spectral angle map,
 * the map's buffer transferred back. Messages are handled one at a time, in order.
 */
import { parentPort } from 'node:worker_threads';
import { describeError } from '../errors.ts';
import type { MetricTile } from '../metrics/accumulators.ts';
import { type FullResolutionTileInput, type FullResolutionTileOutput, type FullResolutionTileSetup, FullResolutionTileWork } from './full-resolution-tile.ts';
import { type ReducedResolutionTileOutput, type ReducedResolutionTileSetup, ReducedResolutionTileWork } from './reduced-resolution-tile.ts';

export type ToAssessmentWorker =
  | { readonly kind: 'setup-fr'; readonly id: number; readonly setup: FullResolutionTileSetup }
  | { readonly kind: 'setup-rr'; readonly id: number; readonly setup: ReducedResolutionTileSetup }
  | { readonly kind: 'tile-fr'; readonly id: number; readonly input: FullResolutionTileInput }
  | { readonly kind: 'tile-rr'; readonly id: number; readonly input: MetricTile };

export interface WorkerErrorDescription {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly details: Record<string, unknown>;
}

export type FromAssessmentWorker =
  | { readonly id: number; readonly ok: true; readonly output: FullResolutionTileOutput | ReducedResolutionTileOutput | null }
  | { readonly id: number; readonly ok: false; readonly error: WorkerErrorDescription };

const port = parentPort;
if (!port) throw new Error('assessment-worker: not started as a worker thread; use AssessmentPool');

let fr: FullResolutionTileWork | null = null;
let rr: ReducedResolutionTileWork | null = null;

async function handle(message: ToAssessmentWorker): Promise<FullResolutionTileOutput | ReducedResolutionTileOutput | null> {
  switch (message.kind) {
    case 'setup-fr':
      fr = new FullResolutionTileWork(message.setup);
      return null;
    case 'setup-rr':
      rr = new ReducedResolutionTileWork(message.setup);
      return null;
    case 'tile-fr':
      if (!fr) throw new Error('assessment worker: full-resolution tile before setup-fr');
      return fr.run(message.input);
    case 'tile-rr':
      if (!rr) throw new Error('assessment worker: reduced-resolution tile before setup-rr');
      return rr.run(message.input);
  }
}

// One message at a time: a tile's state is taken from the accumulator after its own sums only.
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: ToAssessmentWorker) => {
  queue = queue.then(async () => {
    try {
      const output = await handle(message);
      const buffer = output?.sam?.data.buffer;
      port.postMessage({ id: message.id, ok: true, output } satisfies FromAssessmentWorker, buffer instanceof ArrayBuffer ? [buffer] : []);
    } catch (err) {
      port.postMessage({ id: message.id, ok: false, error: { name: err instanceof Error ? err.name : 'Error', ...describeError(err) } } satisfies FromAssessmentWorker);
    }
  });
});
