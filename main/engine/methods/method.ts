/**
 * @module main/engine/methods/method
 * What every fusion method (classical baseline or network) offers the tile pipeline. A method is described by
 * static facts (ratios, bands, overlap), prepared once per scene from a bounded sample (global statistics,
 * ONNX session), then fuses tiles of DNs: MS at low resolution + PAN → fused MS on the PAN grid, Float32 DNs.
 */
import type { DeviceRequest } from '../infer/ort-session.ts';
import type { ModelManifest } from '../infer/manifest.ts';
import type { BandBlock } from '../raster/band-block.ts';
import type { SceneSample } from './scene-sample.ts';

export type MethodKind = 'classical' | 'network';

export interface MethodInfo {
  readonly id: string;
  readonly label: string;
  readonly kind: MethodKind;
  readonly description: string;
  readonly supportedRatios: readonly number[];
  /** Exact band count a network was trained on; null = any count ≥ 2. */
  readonly bandCount: number | null;
  /** Context needed on each side of a tile core, PAN pixels. */
  readonly overlapPx: number;
  /** Read windows must be a multiple of this, PAN pixels. */
  readonly tileMultiplePx: number;
  /** For networks: version, sha256, manifest path, training status, as the model's manifest gives them. */
  readonly model?: Pick<ModelManifest, 'name' | 'version' | 'sha256' | 'manifestPath' | 'status' | 'sensors' | 'bandOrder'>;
}

export interface FuseInput {
  /** MS DNs over the tile's read window / ratio. */
  readonly ms: BandBlock;
  /** PAN DNs over the tile's read window. */
  readonly pan: BandBlock;
}

export interface PrepareOptions {
  readonly ratio: number;
  /** DN that maps to 1.0 in a network's value scale (2^bitDepth − 1). */
  readonly valueMax: number;
  readonly sensor: string | null;
  readonly device: DeviceRequest;
  readonly sample: SceneSample;
  /** Receives one line per notable decision (e.g. device fallback). */
  readonly log: (message: string) => void;
  /** Tiles per inference call for networks [default 4 on CUDA, 1 on CPU]. */
  readonly batchSize?: number;
}

export type { DeviceRequest } from '../infer/ort-session.ts';

/**
 * A method that fuses tiles in batches, split into the pipeline's stages so they overlap: `encode` (pre-process,
 * synchronous), `infer` (the device), `decode` (post-process: one block of fused DNs per input, in order).
 * Declared with method syntax so a concrete BatchFusion<E, R> is usable where the pipeline sees unknown types.
 */
export interface BatchFusion<E = unknown, R = unknown> {
  /** Tiles per call now (a failing GPU may lower it during a run). */
  readonly batchSize: number;
  encode(inputs: readonly FuseInput[]): E;
  infer(encoded: E): Promise<R>;
  decode(result: R, inputs: readonly FuseInput[]): BandBlock[];
}

export interface PreparedMethod {
  /** The device in use ('js' for the TypeScript baselines); a network may move from 'cuda' to 'cpu' mid-run. */
  readonly device: 'js' | 'cpu' | 'cuda';
  /** Why this device ('CPU requested'; for auto, what it found: "no NVIDIA GPU visible; using CPU") [default: the
   * baselines' "TypeScript baseline, runs on the CPU"]. */
  readonly deviceReason?: string;
  /** Device decisions during the run (CUDA batch shrink, fallback to CPU), for the job's result. */
  readonly deviceEvents?: readonly string[];
  /** Facts of this run for the output's metadata (e.g. a network's scene normalisation parameters). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Batched, staged fusion (networks); without it the pipeline calls `fuse` once per tile. */
  readonly batch?: BatchFusion;
  fuse(input: FuseInput, signal?: AbortSignal): Promise<BandBlock>;
  dispose(): Promise<void>;
}

export interface FusionMethod extends MethodInfo {
  prepare(options: PrepareOptions): Promise<PreparedMethod>;
}
