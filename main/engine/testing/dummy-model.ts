/**
 * @module main/engine/testing/dummy-model
 * Generates a dummy ONNX fusion model (make-dummy-onnx.py, Debian's python3-onnx) plus its manifest in a folder,
 * named by shape, for engine tests that need a network without the trained models.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DummyModel {
  readonly onnxPath: string;
  readonly manifestPath: string;
  readonly network: string;
}

export function writeDummyModel(folder: string, bands: number, network = 'DummyNet', overlapPx = 16): DummyModel {
  mkdirSync(folder, { recursive: true });
  const name = `dummy-b${bands}-nx${bands}xhxw`;
  const onnxPath = join(folder, `${name}.onnx`);
  const script = fileURLToPath(new URL('./make-dummy-onnx.py', import.meta.url));
  execFileSync('/usr/bin/python3', [script, onnxPath, String(bands)], { stdio: 'pipe' });
  const sha256 = createHash('sha256').update(readFileSync(onnxPath)).digest('hex');
  const manifest = {
    format: 'panforge-model-manifest/1',
    name,
    network,
    version: '0.0.1',
    paper: 'test fixture (no paper)',
    onnxFile: `${name}.onnx`,
    sha256,
    opset: 17,
    bands,
    bandOrder: Array.from({ length: bands }, (_, i) => `Band ${i + 1}`),
    sensors: ['Synthetic'],
    ratio: 4,
    inputs: { ms: { name: 'ms', layout: 'NCHW', dtype: 'float32' }, pan: { name: 'pan', layout: 'NCHW', dtype: 'float32' } },
    output: { name: 'fused', layout: 'NCHW', dtype: 'float32' },
    valueScale: { mode: 'bitDepth', trainedBitDepth: 11 },
    tileMultiplePx: 4,
    overlapPx,
    receptiveFieldPx: 9,
    parameters: bands * 25,
    macsPerPanPixel: bands * 25,
    status: 'test fixture',
  };
  const manifestPath = join(folder, `${name}.manifest.json`);
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return { onnxPath, manifestPath, network };
}
