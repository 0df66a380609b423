/**
 * @module bench/run
 * `npm run bench -- <name> [options]`: memory (peak RSS vs scene size), inference (ONNX Runtime vs PyTorch per
 * model, pipeline efficiency and peak RSS on whole scenes; see bench/inference.ts), tile-cost (per-tile inference
 * cost of two model sets, interleaved; bench/tile-cost.ts), cli (the compiled CLI's start-up and end-to-end
 * baselines beside gdal_pansharpen.py; bench/cli-startup.ts), adapt (scene adaptation and the self-check vs
 * sharpening; bench/adaptation-cost.ts).
 * Benchmarks print a table and write JSON to bench/results/; they are never part of the test suite.
 */
import { runAdaptationCost } from './adaptation-cost.ts';
import { runCliStartup } from './cli-startup.ts';
import { runEvaluateSpeed } from './evaluate-speed.ts';
import { runInference } from './inference.ts';
import { runSceneMemory } from './scene-memory.ts';
import { runTileCost } from './tile-cost.ts';

const [name = 'memory', ...rest] = process.argv.slice(2);
const benches: Record<string, (argv: string[]) => Promise<void>> = {
  memory: runSceneMemory,
  evaluate: runEvaluateSpeed,
  inference: runInference,
  'tile-cost': runTileCost,
  cli: runCliStartup,
  adapt: runAdaptationCost,
};
const run = benches[name];
if (!run) {
  process.stderr.write(`unknown benchmark "${name}"; available: ${Object.keys(benches).join(', ')}\n`);
  process.exitCode = 2;
} else {
  await run(rest);
}
