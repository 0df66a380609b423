/**
 * @module main/engine/jobs/tile-pipeline
 * The five tile stages, overlapped: read (GDAL, async I/O) → pre-process a batch (DN → model tensors, JS) → infer
 * (ORT's own threads or the GPU) → post-process (tensors → output blocks, JS) → write (GDAL). Queues between stages
 * are bounded, so the next batch is read and encoded while the device works on this one, and at most
 * `maxTilesInFlight(options)` tiles are held at any time however large the scene. Cancellation is checked before
 * each tile is read and each batch is encoded, inferred and written: work stops within the batch in flight, and
 * the caller removes the partial output.
 */
import { throwIfAborted } from '../errors.ts';
import { batchItems, flatten, mapStage, parallelMap, prefetch } from './stages.ts';

export interface TilePipelineStages<T, R, E, I, O> {
  /** Reads one tile's inputs (I/O). */
  read(tile: T): Promise<R>;
  /** Pre-processes a batch of read tiles for the device (synchronous CPU work). */
  encode(batch: readonly R[]): E;
  /** Runs the model on an encoded batch. */
  infer(encoded: E): Promise<I>;
  /** Post-processes a batch result: one output per tile, in batch order. */
  decode(result: I, batch: readonly R[]): readonly O[];
  /** Writes one tile's output; called in tile order, one at a time. */
  write(output: O, input: R): Promise<void>;
}

export interface TilePipelineOptions {
  /** Tiles per inference call [default 1]. */
  readonly batchSize?: number;
  /** Tile reads running at once [default 2]. */
  readonly readConcurrency?: number;
  /** Decoded tiles waiting for the writer [default 2]. */
  readonly writeQueue?: number;
  readonly signal?: AbortSignal;
  /** Called after each tile is written, in tile order. */
  readonly onTileWritten?: (input: unknown) => void;
}

/** Busy time per stage (they overlap: the sum may exceed wallMs). */
export interface StageTimings {
  readMs: number;
  encodeMs: number;
  inferMs: number;
  decodeMs: number;
  writeMs: number;
  wallMs: number;
}

/**
 * The most tiles the pipeline holds at once (read, queued, encoded, on the device, decoded, being written):
 * reads in flight + one batch being filled + one encoded batch waiting + one on the device + one being decoded +
 * the write queue + the tile being written.
 */
export function maxTilesInFlight(options: TilePipelineOptions): number {
  const batch = options.batchSize ?? 1;
  return (options.readConcurrency ?? 2) + 4 * batch + (options.writeQueue ?? 2) + 1;
}

export async function runTilePipeline<T, R, E, I, O>(
  tiles: Iterable<T>,
  stages: TilePipelineStages<T, R, E, I, O>,
  options: TilePipelineOptions = {},
): Promise<StageTimings> {
  const { signal } = options;
  const started = performance.now();
  const timings: StageTimings = { readMs: 0, encodeMs: 0, inferMs: 0, decodeMs: 0, writeMs: 0, wallMs: 0 };
  const timed = async <X>(key: Exclude<keyof StageTimings, 'wallMs'>, fn: () => Promise<X> | X): Promise<X> => {
    throwIfAborted(signal);
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[key] += performance.now() - t0;
    }
  };
  const reads = parallelMap(tiles, (tile) => timed('readMs', () => stages.read(tile)), options.readConcurrency ?? 2);
  const batches = batchItems(reads, Math.max(1, options.batchSize ?? 1));
  // Encode the next batch while the device runs this one.
  const encoded = prefetch(
    mapStage(batches, (batch) => timed('encodeMs', () => ({ batch, encoded: stages.encode(batch) }))),
    1,
  );
  const inferred = prefetch(
    mapStage(encoded, async ({ batch, encoded: e }) => ({ batch, result: await timed('inferMs', () => stages.infer(e)) })),
    1,
  );
  const decoded = mapStage(inferred, ({ batch, result }) =>
    timed('decodeMs', () => {
      const outputs = stages.decode(result, batch);
      if (outputs.length !== batch.length) throw new Error(`decode returned ${outputs.length} outputs for a batch of ${batch.length} tiles`);
      return outputs.map((output, i) => ({ output, input: batch[i]! }));
    }),
  );
  for await (const { output, input } of prefetch(flatten(decoded), options.writeQueue ?? 2)) {
    await timed('writeMs', () => stages.write(output, input));
    options.onTileWritten?.(input);
  }
  throwIfAborted(signal);
  timings.wallMs = performance.now() - started;
  return timings;
}
