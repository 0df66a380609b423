/**
 * @module main/engine/testing/metric-vectors
 * Test support: loads the metric test vectors (`vectors.json`, computed with the toolbox's own .m files; a copy of
 * shared/metric-vectors committed under fixtures/ so a fresh clone runs them) and their input arrays as float64
 * blocks, checking each array's sha256 so a wrong window or band order fails loudly instead of as a metric mismatch.
 * The stored candidates are here; the real cases' references, MS and PAN are windows of the sample scenes
 * (../shared/data), which only some machines have: those cases are skipped elsewhere (caseSkip).
 * Used by the dsp and metrics tests only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import gdal from 'gdal-async';
import type { BandBlock } from '../raster/band-block.ts';
import { sampleScenesMissing, sharedDataFolder } from './sample-scenes.ts';

export function vectorsDir(): string {
  return fileURLToPath(new URL('./fixtures/metric-vectors/', import.meta.url));
}

/** vectors.json names scene windows as `../data/<scene>.tif` (relative to shared/metric-vectors). */
function inputPath(input: VectorInput): string {
  return input.kind === 'window' ? join(sharedDataFolder(), basename(input.path)) : join(vectorsDir(), input.path);
}

/** A node:test `skip` value: false when the case can run here, else why not (its inputs are sample-scene windows). */
export function caseSkip(c: VectorCase): string | false {
  return Object.values(c.inputs).some((i) => i.kind === 'window') ? sampleScenesMissing() : false;
}

export interface VectorInput {
  kind: 'window' | 'file' | 'inline';
  path: string;
  window?: { xoff: number; yoff: number; xsize: number; ysize: number };
  dtype: 'uint16' | 'float32' | 'float64';
  shape: [number, number, number];
  sha256: string;
}

export interface Fingerprint {
  shape: [number, number, number];
  band_sums: number[];
  samples: [number, number, number, number][];
}

export interface VectorCase {
  id: string;
  mode: 'RR' | 'FR';
  bands: number;
  params: { ratio: number; block: number; shift: number; sensor?: string };
  inputs: Record<string, VectorInput>;
  expected: Record<string, number>;
  expected_variants?: Record<string, number>;
  intermediates: Record<string, Fingerprint> | null;
}

export interface KernelFingerprint {
  GNyq: number[];
  centre_row_right_half: number[][];
  diagonal_right_half: number[][];
  sum: number[];
}

export interface MetricVectors {
  cases: VectorCase[];
  mtf_kernels_ratio4: { sensors: Record<string, KernelFingerprint> };
}

export function loadVectors(): MetricVectors {
  return JSON.parse(readFileSync(join(vectorsDir(), 'vectors.json'), 'utf8')) as MetricVectors;
}

/** Reads one case input as (bands, rows, cols) float64, verifying its sha256 in the stored dtype. */
export async function loadInput(input: VectorInput): Promise<BandBlock<Float64Array>> {
  if (input.kind === 'inline') throw new Error('inline inputs are only used by the private set');
  const path = inputPath(input);
  const [bands, rows, cols] = input.shape;
  const ds = await gdal.openAsync(path);
  try {
    const x = input.window?.xoff ?? 0;
    const y = input.window?.yoff ?? 0;
    if (ds.bands.count() !== bands) throw new Error(`${path} has ${ds.bands.count()} bands, vectors.json says ${bands}`);
    const hash = createHash('sha256');
    const data = new Float64Array(bands * rows * cols);
    for (let b = 0; b < bands; b++) {
      const px = (await ds.bands.get(b + 1).pixels.readAsync(x, y, cols, rows)) as Uint16Array | Float32Array | Float64Array;
      const expectedType = { uint16: Uint16Array, float32: Float32Array, float64: Float64Array }[input.dtype];
      if (!(px instanceof expectedType)) throw new Error(`${path} band ${b + 1} reads as ${px.constructor.name}, expected ${input.dtype}`);
      hash.update(new Uint8Array(px.buffer, px.byteOffset, px.byteLength));
      data.set(px, b * rows * cols);
    }
    const sha = hash.digest('hex');
    if (sha !== input.sha256) throw new Error(`${path} window ${JSON.stringify(input.window ?? 'all')}: sha256 ${sha}, expected ${input.sha256}`);
    return { bands, width: cols, height: rows, data };
  } finally {
    ds.close();
  }
}

/** |got − expected| / |expected| (absolute difference when expected is 0). */
export function relErr(got: number, expected: number): number {
  if (expected === 0) return Math.abs(got);
  return Math.abs(got - expected) / Math.abs(expected);
}

/** Largest relative error of a block against a fingerprint (band sums and samples). */
export function fingerprintError(block: BandBlock<Float64Array>, fp: Fingerprint): { maxRel: number; where: string } {
  const [bands, rows, cols] = fp.shape;
  if (block.bands !== bands || block.height !== rows || block.width !== cols) {
    throw new Error(`shape ${block.bands}×${block.height}×${block.width}, fingerprint ${bands}×${rows}×${cols}`);
  }
  let maxRel = 0;
  let where = '';
  const size = rows * cols;
  fp.band_sums.forEach((expected, b) => {
    let s = 0;
    for (let i = 0; i < size; i++) s += block.data[b * size + i]!;
    const e = relErr(s, expected);
    if (e > maxRel) [maxRel, where] = [e, `band_sums[${b}]`];
  });
  for (const [b, r, c, expected] of fp.samples) {
    const e = relErr(block.data[(b * rows + r) * cols + c]!, expected);
    if (e > maxRel) [maxRel, where] = [e, `sample[${b},${r},${c}]`];
  }
  return { maxRel, where };
}
