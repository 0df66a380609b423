/**
 * @module main/engine/infer/manifest
 * The model manifest (models/onnx/<name>.manifest.json) is the contract between training and the engine. It is
 * parsed once, field by field (no casts on file data), and any mismatch is a ModelError naming the file and field.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ModelError } from '../errors.ts';

export interface ModelManifest {
  readonly manifestPath: string;
  readonly onnxPath: string;
  readonly name: string;
  readonly network: string;
  readonly version: string;
  readonly paper: string;
  readonly sha256: string;
  readonly opset: number;
  readonly bands: number;
  readonly bandOrder: readonly string[];
  readonly sensors: readonly string[];
  readonly ratio: number;
  readonly inputNames: { readonly ms: string; readonly pan: string };
  readonly outputName: string;
  /** How DNs become the network's values: DN / (2^bits − 1) (older models, test models), or the scene's own
   * standardisation (methods/scene-normalization.ts). */
  readonly valueScale: ManifestValueScale;
  readonly tileMultiplePx: number;
  readonly overlapPx: number;
  readonly parameters: number;
  readonly macsPerPanPixel: number;
  readonly status: string;
  readonly deviations: readonly string[];
  /** Everything else (training, validation) kept as parsed JSON for reports. */
  readonly raw: Readonly<Record<string, unknown>>;
}

export type ManifestValueScale =
  { readonly mode: 'bitDepth'; readonly trainedBitDepth: number } | { readonly mode: 'sceneStandardize'; readonly centre: number; readonly spread: number };

const FORMAT = 'panforge-model-manifest/1';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function parseManifest(json: unknown, manifestPath: string): ModelManifest {
  const file = basename(manifestPath);
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new ModelError('bad-manifest', `model manifest ${file}: field "${field}" should be ${expected}, got ${JSON.stringify(got)} (${manifestPath})`, {
      manifestPath,
      field,
    });
  };
  if (!isRecord(json)) return fail('(root)', 'an object', json);
  const str = (key: string): string => (typeof json[key] === 'string' && json[key] !== '' ? (json[key] as string) : fail(key, 'a non-empty string', json[key]));
  const int = (key: string, min: number): number => {
    const v = json[key];
    return typeof v === 'number' && Number.isInteger(v) && v >= min ? v : fail(key, `an integer ≥ ${min}`, v);
  };
  const strList = (key: string): string[] => {
    const v = json[key];
    return Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : fail(key, 'a list of strings', v);
  };
  const io = (obj: unknown, key: string): string => {
    if (!isRecord(obj)) return fail(key, 'an object', obj);
    if (obj.layout !== 'NCHW') fail(`${key}.layout`, '"NCHW"', obj.layout);
    if (obj.dtype !== 'float32') fail(`${key}.dtype`, '"float32"', obj.dtype);
    return typeof obj.name === 'string' && obj.name ? obj.name : fail(`${key}.name`, 'a string', obj.name);
  };
  if (json.format !== FORMAT) fail('format', `"${FORMAT}"`, json.format);
  const inputs = json.inputs;
  if (!isRecord(inputs)) return fail('inputs', 'an object with ms and pan', inputs);
  const valueScale = parseValueScale(json.valueScale, fail);
  const bands = int('bands', 1);
  const bandOrder = strList('bandOrder');
  if (bandOrder.length !== bands) fail('bandOrder', `${bands} names`, bandOrder);
  const onnxFile = str('onnxFile');
  const sha256 = str('sha256');
  if (!/^[0-9a-f]{64}$/.test(sha256)) fail('sha256', '64 hex digits', sha256);
  const tileMultiplePx = int('tileMultiplePx', 1);
  const overlapPx = int('overlapPx', 0);
  return {
    manifestPath,
    onnxPath: join(dirname(manifestPath), onnxFile),
    name: str('name'),
    network: str('network'),
    version: str('version'),
    paper: str('paper'),
    sha256,
    opset: int('opset', 1),
    bands,
    bandOrder,
    sensors: strList('sensors'),
    ratio: int('ratio', 2),
    inputNames: { ms: io(inputs.ms, 'inputs.ms'), pan: io(inputs.pan, 'inputs.pan') },
    outputName: io(json.output, 'output'),
    valueScale,
    tileMultiplePx,
    overlapPx,
    parameters: int('parameters', 1),
    macsPerPanPixel: int('macsPerPanPixel', 0),
    status: typeof json.status === 'string' ? json.status : 'unknown',
    deviations: Array.isArray(json.deviations) ? json.deviations.filter((d): d is string => typeof d === 'string') : [],
    raw: json,
  };
}

function parseValueScale(v: unknown, fail: (field: string, expected: string, got: unknown) => never): ManifestValueScale {
  if (!isRecord(v)) return fail('valueScale', 'an object', v);
  const positive = (key: string): number => {
    const x = v[key];
    return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : fail(`valueScale.${key}`, 'a number > 0', x);
  };
  if (v.mode === 'bitDepth') return { mode: 'bitDepth', trainedBitDepth: positive('trainedBitDepth') };
  if (v.mode === 'sceneStandardize')
    return {
      mode: 'sceneStandardize',
      centre: typeof v.centre === 'number' && Number.isFinite(v.centre) ? v.centre : fail('valueScale.centre', 'a number', v.centre),
      spread: positive('spread'),
    };
  return fail('valueScale.mode', '"bitDepth" or "sceneStandardize"', v.mode);
}

export function loadManifest(manifestPath: string): ModelManifest {
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch (err) {
    throw new ModelError('manifest-unreadable', `cannot read model manifest ${manifestPath}: ${err instanceof Error ? err.message : String(err)}`, {
      manifestPath,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelError(
      'bad-manifest',
      `model manifest ${basename(manifestPath)} is not valid JSON: ${err instanceof Error ? err.message : String(err)} (${manifestPath})`,
      { manifestPath },
    );
  }
  return parseManifest(json, manifestPath);
}

/** Reads the .onnx bytes and checks them against the manifest's sha256 (a stale or swapped file fails here). */
export function readVerifiedModel(manifest: ModelManifest): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(manifest.onnxPath);
  } catch (err) {
    throw new ModelError(
      'model-missing',
      `model file for ${manifest.name} is missing: ${manifest.onnxPath} (${err instanceof Error ? err.message : String(err)})`,
      {
        onnxPath: manifest.onnxPath,
      },
    );
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== manifest.sha256) {
    throw new ModelError(
      'model-checksum',
      `model ${basename(manifest.onnxPath)} has sha256 ${sha}, but its manifest says ${manifest.sha256}; re-export the model or fix the manifest`,
      {
        onnxPath: manifest.onnxPath,
        got: sha,
        expected: manifest.sha256,
      },
    );
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
