/**
 * @module main/engine/jobs/memory-budget
 * The memory a sharpen run may use (--max-memory; default half the physical RAM, at most 8 GiB) and the tile size
 * and batch that keep it there. Each network's host memory per tile was measured on the CPU (bench/model-memory.ts:
 * peak RSS of a fresh process around one 1-tile inference at read sides 256, 384 and 512 px, fitted to
 * a·S² + b·S³; the S³ term is GGPNet's row attention, W² values for each of H rows) and is tabled below; the
 * baselines' cost is a few Float64 copies of the tile per band. A tile that still fails to allocate is retried
 * smaller by the job (allocation-retry.ts), then reported as a ModelError (exit 4).
 */
import { totalmem } from 'node:os';
import { ModelError } from '../errors.ts';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** Host bytes for one tile of read side S: a·S² + b·S³ (S in PAN pixels). */
export interface TileMemoryModel {
  readonly a: number;
  readonly b: number;
}

/** Measured per model (bench/model-memory.ts, BENCHMARKS.md "Memory per tile"); keyed by manifest name. */
export const MEASURED_TILE_MEMORY: Readonly<Record<string, TileMemoryModel>> = {
  'cf2n-4band': { a: 1619, b: 8.1 },
  'cf2n-wv2': { a: 1691, b: 7.98 },
  'ggpnet-4band': { a: 1597, b: 8.64 },
  'ggpnet-wv2': { a: 1328, b: 9.36 },
  'premix-4band': { a: 3810, b: 0.0 },
  'premix-wv2': { a: 3940, b: 0.95 },
};

/** Unmeasured variants of a known network use its largest measured coefficients; an unknown network the
 * largest of all (safe side). */
function modelFor(modelName: string | null, bands: number): TileMemoryModel {
  if (modelName === null) {
    // TypeScript baselines: PAN, MS up-sampled and the fused tile as Float64 (8 bytes) per band, a few copies.
    return { a: 8 * (4 * bands + 4), b: 0 };
  }
  const exact = MEASURED_TILE_MEMORY[modelName];
  if (exact) return exact;
  const family = modelName.split('-')[0]!;
  const candidates = Object.entries(MEASURED_TILE_MEMORY)
    .filter(([name]) => name.startsWith(`${family}-`))
    .map(([, m]) => m);
  const pool = candidates.length > 0 ? candidates : Object.values(MEASURED_TILE_MEMORY);
  return { a: Math.max(...pool.map((m) => m.a)), b: Math.max(...pool.map((m) => m.b)) };
}

export function tileBytes(model: TileMemoryModel, readSidePx: number): number {
  return model.a * readSidePx ** 2 + model.b * readSidePx ** 3;
}

/** Half the physical RAM, at most 8 GiB. */
export function defaultMaxMemoryBytes(): number {
  return Math.min(8 * GIB, Math.floor(totalmem() / 2));
}

/** What a process needs whatever the tiles: Node, GDAL's block cache (64 MB), an ORT session. */
export const BASE_BYTES = 400 * MIB;

/** Parses "8G", "512M", "2.5GiB", "1e9" (bytes). */
export function parseMemorySize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return null;
  const unit = { '': 1, k: 1024, m: MIB, g: GIB, t: 1024 * GIB }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const bytes = Math.round(Number(m[1]) * unit);
  return Number.isFinite(bytes) && bytes > 0 ? bytes : null;
}

export interface TileBudgetRequest {
  readonly modelName: string | null;
  readonly bands: number;
  /** The core size asked for (PAN px). */
  readonly tileSizePx: number;
  readonly overlapPx: number;
  /** Cores are rounded to this (PAN px). */
  readonly multiplePx: number;
  /** Tiles per inference call asked for. */
  readonly batchSize: number;
  readonly maxMemoryBytes: number;
  /** Tiles read ahead and waiting to be written, beside the batch in inference. */
  readonly tilesInFlight: number;
}

export interface TileBudget {
  readonly tileSizePx: number;
  readonly batchSize: number;
  /** Estimated peak: base + batch × model(S) + buffers of the tiles in flight. */
  readonly estimatedBytes: number;
  /** Why the tile or batch is smaller than asked, or null. */
  readonly note: string | null;
}

/** The smallest core a run will try before giving up. */
export const MIN_TILE_PX = 64;

function estimate(req: TileBudgetRequest, model: TileMemoryModel, core: number, batch: number): number {
  const side = core + 2 * req.overlapPx;
  // Each tile in flight: PAN + MS read window and the fused output (bands planes), Float32.
  const buffers = (req.tilesInFlight + batch) * (1 + 2 * req.bands) * side * side * 4;
  return BASE_BYTES + batch * tileBytes(model, side) + buffers;
}

/** The largest core ≤ the request (and then the largest batch ≤ the request) that fits the budget. */
export function fitTileBudget(req: TileBudgetRequest): TileBudget {
  const model = modelFor(req.modelName, req.bands);
  const step = Math.max(1, req.multiplePx);
  const roundDown = (v: number) => Math.max(step, Math.floor(v / step) * step);
  let core = roundDown(req.tileSizePx);
  let batch = Math.max(1, req.batchSize);
  while (batch > 1 && estimate(req, model, core, batch) > req.maxMemoryBytes) batch--;
  while (core > MIN_TILE_PX && estimate(req, model, core, batch) > req.maxMemoryBytes) core = roundDown(core - step);
  const estimatedBytes = estimate(req, model, core, batch);
  if (estimatedBytes > req.maxMemoryBytes) {
    throw new ModelError(
      'memory-budget',
      `${req.modelName ?? 'this method'} needs about ${(estimatedBytes / GIB).toFixed(2)} GiB even with ${core} px tiles, more than --max-memory ${(req.maxMemoryBytes / GIB).toFixed(2)} GiB; raise --max-memory`,
      { estimatedBytes, maxMemoryBytes: req.maxMemoryBytes, tileSizePx: core },
    );
  }
  const changes: string[] = [];
  if (core < roundDown(req.tileSizePx)) changes.push(`tiles of ${core} px instead of ${req.tileSizePx}`);
  if (batch < req.batchSize) changes.push(`batches of ${batch} instead of ${req.batchSize}`);
  const note = changes.length
    ? `${changes.join(' and ')} to stay within --max-memory ${(req.maxMemoryBytes / GIB).toFixed(2)} GiB (estimated peak ${(estimatedBytes / GIB).toFixed(2)} GiB)`
    : null;
  return { tileSizePx: core, batchSize: batch, estimatedBytes, note };
}

/** An allocation that failed in ORT or in V8 (not the OOM killer, which nothing survives). */
export function isAllocationFailure(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : String(err);
  return /bad_alloc|failed to allocate|allocation failed|out of memory|Array buffer allocation|Invalid typed array length|Cannot allocate memory/i.test(text);
}
