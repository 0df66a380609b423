// ORT-vs-PyTorch parity check for one exported model, run by panforge_models/export.py and the
// pytest suite: node models/tools/ort-parity.mjs <model.onnx> <fixture.parity.json>
//
// The fixture JSON gives the shapes of `ms`, `pan` and `fused` and names a .bin beside it that
// holds ms, pan and PyTorch's fused output as float32 little-endian, concatenated in that order.
// Runs the model on the CPU execution provider and prints one JSON line:
// {"maxAbsDiff": ..., "tolerance": ..., "ok": ..., "outputShape": [...], "elapsedMs": ...}
// Exit status 0 when maxAbsDiff <= tolerance, 1 when not, 2 on a usage or I/O error.
import ort from 'onnxruntime-node';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const product = (shape) => shape.reduce((a, b) => a * b, 1);

async function main() {
  const [onnxPath, fixturePath] = process.argv.slice(2);
  if (!onnxPath || !fixturePath) {
    console.error('usage: node ort-parity.mjs <model.onnx> <fixture.parity.json>');
    process.exit(2);
  }
  const fixture = JSON.parse(await readFile(fixturePath, 'utf8'));
  const bin = await readFile(join(dirname(fixturePath), fixture.file));
  // copy into an aligned buffer: a Node Buffer may start at any byte offset
  const all = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  const sizes = ['ms', 'pan', 'fused'].map((k) => product(fixture[k].shape));
  if (sizes[0] + sizes[1] + sizes[2] !== all.length) {
    throw new Error(`${fixture.file}: got ${all.length} floats, expected ${sizes.join(' + ')} from the shapes`);
  }
  const ms = all.subarray(0, sizes[0]);
  const pan = all.subarray(sizes[0], sizes[0] + sizes[1]);
  const expected = all.subarray(sizes[0] + sizes[1]);

  const session = await ort.InferenceSession.create(onnxPath, { executionProviders: ['cpu'] });
  const t0 = performance.now();
  const result = await session.run({
    ms: new ort.Tensor('float32', ms, fixture.ms.shape),
    pan: new ort.Tensor('float32', pan, fixture.pan.shape),
  });
  const elapsedMs = performance.now() - t0;
  const fused = result.fused;
  if (!fused) throw new Error(`${onnxPath}: no output named "fused" (outputs: ${session.outputNames})`);
  if (fused.dims.join(',') !== fixture.fused.shape.join(',')) {
    throw new Error(`output shape [${fused.dims}] differs from the fixture's [${fixture.fused.shape}]`);
  }
  let maxAbsDiff = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(fused.data[i] - expected[i]);
    if (d > maxAbsDiff || Number.isNaN(d)) maxAbsDiff = d; // a NaN sticks (no later d > NaN) and fails the check
  }
  const tolerance = fixture.tolerance ?? 1e-4;
  const ok = maxAbsDiff <= tolerance;
  console.log(JSON.stringify({ maxAbsDiff, tolerance, ok, outputShape: fused.dims, elapsedMs: Math.round(elapsedMs) }));
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(`ort-parity: ${err.message}`);
  process.exit(2);
});
