/**
 * @module main/engine/infer/batch-runner
 * Runs batches of tiles on an inference backend and survives a failing GPU. A batch is N tiles stacked in NCHW
 * order, so splitting it is slicing. When a CUDA run fails (typically out of memory) the runner halves the batch
 * size and retries the same tiles; when a single tile still fails it opens a CPU backend and continues there.
 * No tile is dropped: each call returns one output per input tile, in order. On CUDA a short (last) batch is
 * padded with zero tiles to the batch size, so the device always sees one input shape and cuDNN chooses its
 * kernels once; CPU runs short batches as they are (kernel choice costs nothing there, padding would).
 */

/** NCHW float32 shapes of one tile (N = 1). */
export interface TileShape {
  readonly msBands: number;
  readonly msHeight: number;
  readonly msWidth: number;
  readonly panHeight: number;
  readonly panWidth: number;
  /** Output bands (the fused MS). */
  readonly outBands: number;
}

/** `n` tiles: ms is [n, msBands, msHeight, msWidth], pan [n, 1, panHeight, panWidth], both contiguous. */
export interface TileBatch {
  readonly n: number;
  readonly ms: Float32Array;
  readonly pan: Float32Array;
}

export interface InferenceBackend {
  readonly device: 'cpu' | 'cuda';
  /** Why this device (shown to the user). */
  readonly reason: string;
  /** Returns the fused batch, [n, outBands, panHeight, panWidth]. */
  run(batch: TileBatch, shape: TileShape): Promise<Float32Array>;
}

export interface BatchRunnerOptions {
  readonly backend: InferenceBackend;
  /** Opens the CPU backend a failing CUDA run falls back to. */
  readonly openCpu: () => Promise<InferenceBackend>;
  /** Tiles per device call [default 1]. */
  readonly batchSize?: number;
  /** Receives one line per device decision (batch shrink, fallback). */
  readonly log?: (message: string) => void;
}

const msTileSize = (s: TileShape) => s.msBands * s.msHeight * s.msWidth;
const panTileSize = (s: TileShape) => s.panHeight * s.panWidth;
const outTileSize = (s: TileShape) => s.outBands * s.panHeight * s.panWidth;

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}

export function sliceBatch(batch: TileBatch, shape: TileShape, from: number, to: number): TileBatch {
  return {
    n: to - from,
    ms: batch.ms.subarray(from * msTileSize(shape), to * msTileSize(shape)),
    pan: batch.pan.subarray(from * panTileSize(shape), to * panTileSize(shape)),
  };
}

function padBatch(batch: TileBatch, shape: TileShape, n: number): TileBatch {
  const ms = new Float32Array(n * msTileSize(shape));
  ms.set(batch.ms);
  const pan = new Float32Array(n * panTileSize(shape));
  pan.set(batch.pan);
  return { n, ms, pan };
}

export class BatchRunner {
  private backend: InferenceBackend;
  private limit: number;
  /** Device changes and batch shrinks so far, for the job's notes. */
  readonly events: string[] = [];

  constructor(private readonly options: BatchRunnerOptions) {
    this.backend = options.backend;
    this.limit = Math.max(1, Math.floor(options.batchSize ?? 1));
  }

  get device(): 'cpu' | 'cuda' {
    return this.backend.device;
  }

  /** Tiles per device call now (smaller than asked after a CUDA failure). */
  get batchSize(): number {
    return this.limit;
  }

  async run(batch: TileBatch, shape: TileShape): Promise<Float32Array> {
    if (batch.n > this.limit) {
      const out = new Float32Array(batch.n * outTileSize(shape));
      // The limit may shrink inside the loop; each part starts where the previous one ended.
      for (let from = 0; from < batch.n;) {
        const to = Math.min(batch.n, from + this.limit);
        out.set(await this.run(sliceBatch(batch, shape, from, to), shape), from * outTileSize(shape));
        from = to;
      }
      return out;
    }
    const backend = this.backend;
    const padded = backend.device === 'cuda' && batch.n < this.limit ? padBatch(batch, shape, this.limit) : batch;
    try {
      const out = await backend.run(padded, shape);
      const expected = padded.n * outTileSize(shape);
      if (out.length !== expected) throw new Error(`the model returned ${out.length} values for ${padded.n} tiles, expected ${expected}`);
      return padded === batch ? out : out.subarray(0, batch.n * outTileSize(shape));
    } catch (err) {
      if (backend.device !== 'cuda') throw err;
      if (this.backend !== backend) return this.run(batch, shape); // another batch already moved us on
      if (padded.n > 1) {
        this.limit = Math.max(1, Math.floor(padded.n / 2));
        this.note(`CUDA failed on a batch of ${padded.n} tiles (${firstLine(err)}); retrying with batches of ${this.limit}`);
      } else {
        this.backend = await this.options.openCpu();
        this.note(`CUDA failed on a single tile (${firstLine(err)}); continuing on CPU`);
      }
      return this.run(batch, shape);
    }
  }

  private note(message: string): void {
    this.events.push(message);
    this.options.log?.(message);
  }
}
