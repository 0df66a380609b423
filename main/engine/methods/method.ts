/**
 * @module main/engine/methods/method
 * What every fusion method (classical baseline or network) offers the tile pipeline. A method is described by
 * static facts (ratios, bands, overlap), prepared once per scene from a bounded sample (global statistics,
 * ONNX session), then fuses tiles of DNs: MS at low resolution + PAN → fused MS on the PAN grid, Float32 DNs.
 */
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
  /** For networks: version, sha256, manifest path, training status. */
  readonly model?: {
    readonly name: string;
    readonly version: string;
    readonly sha256: string;
    readonly manifestPath: string;
    readonly status: string;
    readonly sensors: readonly string[];
    readonly bandOrder: readonly string[];
  };
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
}

export type DeviceRequest = 'auto' | 'cpu' | 'cuda';

export interface PreparedMethod {
  /** The device actually used ('js' for the TypeScript baselines). */
  readonly device: 'js' | 'cpu' | 'cuda';
  fuse(input: FuseInput, signal?: AbortSignal): Promise<BandBlock>;
  dispose(): Promise<void>;
}

export interface FusionMethod extends MethodInfo {
  prepare(options: PrepareOptions): Promise<PreparedMethod>;
}
