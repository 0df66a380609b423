/**
 * @module main/engine/methods/network-method
 * A deep network (one manifest = one network × band count) as a FusionMethod. Tiles go through in batches:
 * encode maps DNs to the model's values into one NCHW batch — the scene's own standardisation, computed once from
 * the scene sample (scene-normalization.ts), or DN / (2^bitDepth − 1) for bitDepth manifests — the BatchRunner runs
 * it on the device (shrinking the batch or moving to CPU when CUDA fails), decode maps back to DNs per tile, clamped
 * to [0, valueMax] so an overshoot never leaves the data range.
 */
import { BatchRunner, type InferenceBackend, type TileBatch, type TileShape } from '../infer/batch-runner.ts';
import type { ModelManifest } from '../infer/manifest.ts';
import { openWorkerBackend } from '../infer/worker-backend.ts';
import type { BandBlock } from '../raster/band-block.ts';
import type { BatchFusion, DeviceRequest, FuseInput, FusionMethod, PrepareOptions, PreparedMethod } from './method.ts';
import { destandardize, normalizationMetadata, sceneNormalization, standardizeMs, standardizePan, type SceneNormalization } from './scene-normalization.ts';

export interface NetworkMethodOptions {
  /** Opens the inference backend for a device request [default: onnxruntime in the inference worker thread, cached
   * per model and device]. Tests inject a failing "CUDA" here to exercise the fallback. */
  readonly openBackend?: (device: DeviceRequest) => Promise<InferenceBackend>;
}

interface EncodedBatch {
  readonly shape: TileShape;
  readonly batch: TileBatch;
}

/** Default tiles per call: a GPU wants several to stay busy; a CPU gains nothing from batching and pads nothing. */
export const DEFAULT_BATCH = { cuda: 4, cpu: 1 } as const;

export function networkMethod(manifest: ModelManifest, methodOptions: NetworkMethodOptions = {}): FusionMethod {
  const id = manifest.network.toLowerCase();
  const open = methodOptions.openBackend ?? ((device: DeviceRequest) => openWorkerBackend(manifest, device));
  return {
    id,
    label: manifest.network,
    kind: 'network',
    description: `${manifest.network} (${manifest.bands} bands, trained on ${manifest.sensors.join(', ')}): ${manifest.paper}`,
    supportedRatios: [manifest.ratio],
    bandCount: manifest.bands,
    overlapPx: manifest.overlapPx,
    tileMultiplePx: manifest.tileMultiplePx,
    model: {
      name: manifest.name,
      version: manifest.version,
      sha256: manifest.sha256,
      manifestPath: manifest.manifestPath,
      status: manifest.status,
      sensors: manifest.sensors,
      bandOrder: manifest.bandOrder,
    },
    prepare: (options: PrepareOptions) => prepareNetwork(manifest, open, options),
  };
}

/** Opens the backend for the requested device and wraps it in a BatchRunner (batch shrink, CPU fallback). */
async function prepareNetwork(
  manifest: ModelManifest,
  open: (device: DeviceRequest) => Promise<InferenceBackend>,
  options: PrepareOptions,
): Promise<PreparedMethod> {
  const backend = await open(options.device);
  options.log(`${manifest.name}: running on ${backend.device.toUpperCase()} (${backend.reason})`);
  const runner = new BatchRunner({
    backend,
    openCpu: () => open('cpu'),
    batchSize: options.batchSize ?? DEFAULT_BATCH[backend.device],
    log: (message) => options.log(`${manifest.name}: ${message}`),
  });
  // Standardised models: one set of parameters for the whole scene, from the sample (every tile alike).
  const norm: SceneNormalization | null = manifest.valueScale.mode === 'sceneStandardize' ? sceneNormalization(options.sample, manifest.valueScale) : null;
  const batch = networkBatch(runner, norm, options.valueMax);
  return {
    get device() {
      return runner.device;
    },
    batch,
    deviceReason: backend.reason,
    deviceEvents: runner.events,
    metadata: norm ? normalizationMetadata(norm) : undefined,
    async fuse(input: FuseInput): Promise<BandBlock> {
      return batch.decode(await batch.infer(batch.encode([input])), [input])[0]!;
    },
    async dispose() {
      // Sessions are cached per (model, device) for the life of the engine process; nothing per job.
    },
  };
}

/** The network's stages: DNs → model values (encode), the runner (infer), model values → DNs (decode). */
function networkBatch(
  runner: BatchRunner,
  norm: SceneNormalization | null,
  valueMax: number,
): BatchFusion<EncodedBatch, { out: Float32Array; shape: TileShape }> {
  return {
    get batchSize() {
      return runner.batchSize;
    },
    encode: (inputs: readonly FuseInput[]): EncodedBatch => encodeTiles(inputs, norm, 1 / valueMax),
    async infer(encoded: EncodedBatch) {
      return { out: await runner.run(encoded.batch, encoded.shape), shape: encoded.shape };
    },
    decode: ({ out, shape }, inputs: readonly FuseInput[]): BandBlock[] => decodeTiles(out, shape, inputs.length, norm, valueMax),
  };
}

/** One NCHW batch of same-shaped tiles, standardised with the scene's parameters or scaled by `scale`. */
function encodeTiles(inputs: readonly FuseInput[], norm: SceneNormalization | null, scale: number): EncodedBatch {
  const first = inputs[0]!;
  const shape: TileShape = {
    msBands: first.ms.bands,
    msHeight: first.ms.height,
    msWidth: first.ms.width,
    panHeight: first.pan.height,
    panWidth: first.pan.width,
    outBands: first.ms.bands,
  };
  const msSize = first.ms.data.length;
  const panSize = first.pan.data.length;
  const ms = new Float32Array(inputs.length * msSize);
  const pan = new Float32Array(inputs.length * panSize);
  inputs.forEach((input, t) => {
    if (input.ms.data.length !== msSize || input.pan.data.length !== panSize) {
      throw new Error(
        `tiles of one batch differ in shape (tile ${t}: ms ${input.ms.data.length}, pan ${input.pan.data.length} values; tile 0: ${msSize}, ${panSize})`,
      );
    }
    if (norm) {
      standardizeMs(norm, input.ms, ms, t * msSize);
      standardizePan(norm, input.pan, pan, t * panSize);
      return;
    }
    for (let i = 0, o = t * msSize; i < msSize; i++) ms[o + i] = input.ms.data[i]! * scale;
    for (let i = 0, o = t * panSize; i < panSize; i++) pan[o + i] = input.pan.data[i]! * scale;
  });
  return { shape, batch: { n: inputs.length, ms, pan } };
}

/** The batch's output as one block of DNs per tile, in [0, valueMax]. */
function decodeTiles(out: Float32Array, shape: TileShape, tiles: number, norm: SceneNormalization | null, valueMax: number): BandBlock[] {
  const plane = shape.panHeight * shape.panWidth;
  const size = shape.outBands * plane;
  return Array.from({ length: tiles }, (_, t) => {
    if (norm)
      return {
        bands: shape.outBands,
        width: shape.panWidth,
        height: shape.panHeight,
        data: destandardize(norm, out, t * size, shape.outBands, plane, valueMax),
      };
    const data = new Float32Array(size);
    // The nets' outputs are unclamped (as in the papers); the manifest's contract is clamp to [0, 1], then
    // de-scale, so an overshoot never leaves the sensor's DN range (NaN stays NaN).
    for (let i = 0, o = t * size; i < size; i++) data[i] = Math.min(Math.max(out[o + i]!, 0), 1) * valueMax;
    return { bands: shape.outBands, width: shape.panWidth, height: shape.panHeight, data };
  });
}
