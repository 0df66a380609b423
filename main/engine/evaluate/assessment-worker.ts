/**
 * @module main/engine/evaluate/assessment-worker
 * The worker-thread side of assessment-pool.ts: computes quality-index tiles that the calling thread read (GDAL
 * stays there: gdal-async is not context-aware and loads in one thread per process). A `setup` message picks the
 * pass (fr or rr) and its constants; each `tile` message returns that tile's partial sums and spectral angle map,
 * the map's buffer transferred back. Messages are handled one at a time, in order.
 */
import { parentPort } from 'node:worker_threads';
import type { MetricTile } from '../metrics/accumulators.ts';
import { serveRpc } from '../rpc/rpc-server.ts';
import { type FullResolutionTileInput, type FullResolutionTileOutput, type FullResolutionTileSetup, FullResolutionTileWork } from './full-resolution-tile.ts';
import { type ReducedResolutionTileOutput, type ReducedResolutionTileSetup, ReducedResolutionTileWork } from './reduced-resolution-tile.ts';

/** A request before it is sent: its method is the `kind`, its payload the setup or the input. */
export type AssessmentMessage =
  | { readonly kind: 'setup-fr'; readonly setup: FullResolutionTileSetup }
  | { readonly kind: 'setup-rr'; readonly setup: ReducedResolutionTileSetup }
  | { readonly kind: 'tile-fr'; readonly input: FullResolutionTileInput }
  | { readonly kind: 'tile-rr'; readonly input: MetricTile };

export type AssessmentOutput = FullResolutionTileOutput | ReducedResolutionTileOutput | null;

const port = parentPort;
if (!port) throw new Error('assessment-worker: not started as a worker thread; use AssessmentPool');

let fr: FullResolutionTileWork | null = null;
let rr: ReducedResolutionTileWork | null = null;

// The pool is our own code in this process: each method's payload is what AssessmentMessage says it is.
async function handle(method: string, payload: unknown): Promise<AssessmentOutput> {
  switch (method) {
    case 'setup-fr':
      fr = new FullResolutionTileWork(payload as FullResolutionTileSetup);
      return null;
    case 'setup-rr':
      rr = new ReducedResolutionTileWork(payload as ReducedResolutionTileSetup);
      return null;
    case 'tile-fr':
      if (!fr) throw new Error('assessment worker: full-resolution tile before setup-fr');
      return fr.run(payload as FullResolutionTileInput);
    case 'tile-rr':
      if (!rr) throw new Error('assessment worker: reduced-resolution tile before setup-rr');
      return rr.run(payload as MetricTile);
    default:
      throw new Error(`assessment worker: unknown method ${method}`);
  }
}

serveRpc(
  { post: (message, transfer) => port.postMessage(message, [...transfer]), onMessage: (listener) => port.on('message', listener) },
  {
    where: 'assessment worker',
    handle,
    transferOf: (output) => {
      const buffer = (output as AssessmentOutput)?.sam?.data.buffer;
      return buffer instanceof ArrayBuffer ? [buffer] : [];
    },
    // One message at a time: a tile's state is taken from the accumulator after its own sums only.
    sequential: true,
  },
);
