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

/** A request's payload (its method is the `kind`). */
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

async function handle(message: AssessmentMessage): Promise<AssessmentOutput> {
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

serveRpc(
  { post: (message, transfer) => port.postMessage(message, [...transfer]), onMessage: (listener) => port.on('message', listener) },
  {
    where: 'assessment worker',
    // The pool (our own code, same process) sends the whole message as the payload, its kind as the method.
    handle: (_method, payload) => handle(payload as AssessmentMessage),
    transferOf: (output) => {
      const buffer = (output as AssessmentOutput)?.sam?.data.buffer;
      return buffer instanceof ArrayBuffer ? [buffer] : [];
    },
    // One message at a time: a tile's state is taken from the accumulator after its own sums only.
    sequential: true,
  },
);
