/**
 * @module main/engine/evaluate/assessment-pool
 * Worker threads for the streamed quality assessment: the calling thread reads tiles (GDAL, asynchronous) and hands
 * them to the workers (assessment-worker.ts), which compute the indices' partial sums and maps. Each worker has a
 * lane: while it computes one tile, the lane reads the next, so the workers wait on reading only when the disk is the
 * bottleneck. Tile inputs are transferred, not copied; the tiles go to whichever lane is free. If a worker dies
 * (crash, out of memory: EngineCrashedError naming it) or throws, or the signal fires, every worker is terminated,
 * the lanes stop, and the run rejects once all of them have settled (so no write of a map outlives the error that
 * aborts the map).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CancelledError, EngineCrashedError } from '../errors.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { RpcClient } from '../rpc/rpc-client.ts';
import type { AssessmentMessage } from './assessment-worker.ts';

export type { AssessmentMessage } from './assessment-worker.ts';

// From source (tsx) the worker must register tsx's loader itself; the Electron build bundles the worker beside the
// engine bundle as assessment-worker.js (scripts/build-electron.ts).
export const ASSESSMENT_WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./assessment-worker-entry.mjs', import.meta.url)
  : new URL('./assessment-worker.js', import.meta.url);

/** Default worker count: one per core the process may use. */
export function defaultAssessmentThreads(): number {
  return availableParallelism();
}

/** A message for a worker, and the buffers to transfer with it. */
export interface WorkerRequest {
  readonly message: AssessmentMessage;
  readonly transfer: readonly ArrayBuffer[];
}

export interface AssessmentPoolOptions {
  /** Worker count, ≥ 1. */
  readonly threads: number;
  readonly signal?: AbortSignal;
  /** The worker's script [default ASSESSMENT_WORKER_ENTRY]; tests pass one that fails. */
  readonly entry?: URL;
}

/** The whole buffers of `arrays` that can be transferred (a view into a larger or shared buffer is copied instead). */
export function transferable(...arrays: readonly ArrayBufferView[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const a of arrays) {
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && !out.includes(a.buffer)) out.push(a.buffer);
  }
  return out;
}

/** The block with its pixels in a SharedArrayBuffer (workers then read it without a copy each). */
export function sharedBlock(block: BandBlock<Float64Array>): BandBlock<Float64Array> {
  if (block.data.buffer instanceof SharedArrayBuffer) return block;
  const data = new Float64Array(new SharedArrayBuffer(block.data.byteLength));
  data.set(block.data);
  return { ...block, data };
}

class Lane {
  readonly worker: Worker;
  private readonly rpc: RpcClient;
  dead: Error | null = null;

  constructor(
    entry: URL,
    index: number,
    private readonly onDeath: (err: Error) => void,
  ) {
    this.worker = new Worker(entry);
    this.rpc = new RpcClient(
      { post: (message, transfer) => this.worker.postMessage(message, [...transfer]) },
      { where: 'quality-assessment worker', internalPrefix: 'quality-assessment worker' },
    );
    this.worker.on('message', (message: unknown) => this.rpc.receive(message));
    const die = (why: string) => {
      if (this.dead) return;
      this.dead = new EngineCrashedError(`quality-assessment worker thread ${index + 1} stopped (${why}); the indices could not be computed`, {
        thread: index + 1,
        reason: why,
      });
      this.rpc.fail(this.dead);
      this.onDeath(this.dead);
    };
    this.worker.on('error', (err) => die(err.message));
    this.worker.on('exit', (code) => die(`exit code ${code}`));
  }

  /** Fails the pending request with `err` (cancellation, or another lane's failure) before termination. */
  fail(err: Error): void {
    if (!this.dead) this.dead = err;
    this.rpc.fail(err);
  }

  /** The tile's output; a worker's error comes back as the same class (the pool stops on it). */
  request(message: AssessmentMessage, transfer: readonly ArrayBuffer[]): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.rpc.busy) return Promise.reject(new Error('assessment pool: a lane has one request in flight at a time'));
    return this.rpc.call(message.kind, 'setup' in message ? message.setup : message.input, { transfer });
  }
}

export class AssessmentPool {
  private readonly lanes: Lane[];
  private failure: Error | null = null;
  private closed = false;
  private readonly onAbort = () => this.stop(new CancelledError());

  constructor(private readonly options: AssessmentPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1)
      throw new RangeError(`assessment pool: threads must be an integer ≥ 1; got ${options.threads}`);
    const entry = options.entry ?? ASSESSMENT_WORKER_ENTRY;
    this.lanes = Array.from({ length: options.threads }, (_, i) => new Lane(entry, i, (err) => this.stop(err)));
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (options.signal?.aborted) this.stop(new CancelledError());
  }

  get threads(): number {
    return this.lanes.length;
  }

  /** First failure wins: every lane's pending request rejects with it, and the workers are terminated. */
  private stop(err: Error): void {
    if (this.failure || this.closed) return;
    this.failure = err;
    for (const lane of this.lanes) lane.fail(err);
    for (const lane of this.lanes) void lane.worker.terminate();
  }

  private async send(lane: Lane, message: AssessmentMessage, transfer: readonly ArrayBuffer[]): Promise<unknown> {
    if (this.failure) throw this.failure;
    try {
      return await lane.request(message, transfer);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.stop(error);
      throw error;
    }
  }

  /** Sends the same message (a pass's setup) to every worker. */
  async broadcast(message: AssessmentMessage): Promise<void> {
    await Promise.all(this.lanes.map((lane) => this.send(lane, message, [])));
  }

  /**
   * Tiles 0…count−1: `read(i)` (calling thread) makes tile i's request, a free worker computes it, `done(i, output)`
   * (calling thread) takes its output. Tiles finish in any order; `done` runs for one tile at a time per lane.
   */
  async run(count: number, read: (i: number) => Promise<WorkerRequest>, done: (i: number, output: unknown) => Promise<void>): Promise<void> {
    let next = 0;
    // Reads run one at a time: GDAL locks a dataset per operation anyway, and overlapping reads would make the
    // synchronous calls among them (band count, nodata) block the event loop waiting for that lock.
    let reading: Promise<unknown> = Promise.resolve();
    const readOne = (i: number): Promise<WorkerRequest> => {
      const request = reading.then(() => read(i));
      reading = request.catch(() => undefined);
      return request;
    };
    const lane = async (l: Lane) => {
      let pending: { i: number; reply: Promise<unknown> } | null = null;
      try {
        for (;;) {
          if (this.failure) throw this.failure;
          const i = next < count ? next++ : -1;
          // Read the next tile while the worker computes the previous one.
          const request = i >= 0 ? await readOne(i) : null;
          if (pending) {
            const output = await pending.reply;
            await done(pending.i, output);
            pending = null;
          }
          if (i < 0 || !request) return;
          if (this.failure) throw this.failure;
          pending = { i, reply: this.send(l, request.message, request.transfer) };
          pending.reply.catch(() => undefined); // observed above, or superseded by the lane's own error
        }
      } catch (err) {
        this.stop(err instanceof Error ? err : new Error(String(err)));
        throw err;
      }
    };
    const settled = await Promise.allSettled(this.lanes.map(lane));
    if (this.failure) throw this.failure;
    const rejected = settled.find((s) => s.status === 'rejected');
    if (rejected) throw rejected.reason;
  }

  /** Terminates the workers (idempotent). */
  async close(): Promise<void> {
    this.closed = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    await Promise.all(this.lanes.map((lane) => lane.worker.terminate()));
  }
}

/** How a pass computes its tiles. */
export interface ThreadingOptions {
  /** Worker threads computing tiles (the calling thread reads them); 1 computes them in the calling thread
   * [default 1]. Ignored when `pool` is given. */
  readonly threads?: number;
  /** Worker threads kept by the caller across passes (created on first call; the caller closes them). */
  readonly pool?: () => AssessmentPool;
  /** The worker's script for a pool of the pass's own [default the assessment worker]; tests pass one that fails. */
  readonly workerEntry?: URL;
}

/** A pass's tiles, for `computeTiles`. */
export interface TileJob<I, O> {
  readonly count: number;
  /** Reads tile i (calling thread). */
  read(i: number): Promise<I>;
  /** The calling thread's way to compute a tile (made on first use). */
  local(): (input: I) => Promise<O> | O;
  /** The workers' setup message (the pass and its constants). */
  readonly setup: AssessmentMessage;
  /** The worker message for a tile, with the buffers to transfer. */
  request(input: I): WorkerRequest;
  /** Takes tile i's output (calling thread): one call at a time per lane, tiles in any order. */
  done(i: number, output: O): Promise<void>;
}

/** Whether `computeTiles` runs `count` tiles in worker threads (a pool or more than one thread, and more than one tile). */
export function usesWorkers(threading: ThreadingOptions, count: number): boolean {
  return (threading.pool !== undefined || (threading.threads ?? 1) > 1) && count > 1;
}

/** Computes every tile of `job`: in the calling thread for one thread or one tile, else in worker threads. */
export async function computeTiles<I, O>(job: TileJob<I, O>, threading: ThreadingOptions, signal?: AbortSignal): Promise<void> {
  const threads = threading.pool ? Infinity : (threading.threads ?? 1);
  if (!usesWorkers(threading, job.count)) {
    const compute = job.local();
    for (let i = 0; i < job.count; i++) await job.done(i, await compute(await job.read(i)));
    return;
  }
  const own = threading.pool
    ? null
    : new AssessmentPool({
        threads: Math.min(threads, job.count),
        ...(signal ? { signal } : {}),
        ...(threading.workerEntry ? { entry: threading.workerEntry } : {}),
      });
  const pool = own ?? threading.pool!();
  try {
    await pool.broadcast(job.setup);
    await pool.run(
      job.count,
      async (i) => job.request(await job.read(i)),
      (i, output) => job.done(i, output as O),
    );
  } finally {
    await own?.close();
  }
}
