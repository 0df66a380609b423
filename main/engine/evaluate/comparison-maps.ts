/**
 * @module main/engine/evaluate/comparison-maps
 * Where two methods of a run disagree, per protocol: the spectral angle and relative difference between their
 * outputs, written as two maps on the protocol's grid (comparison-pass.ts), and their means for the report.
 */
import type { ComparisonEntry, Protocol } from './evaluation-report.ts';
import { comparisonPass } from './comparison-pass.ts';
import { type EvaluationRun, outputSource, type ProtocolOutputs, reportPath, withDataset, withMap } from './evaluation-run.ts';
import { createMapWriter } from './map-writer.ts';
import { comparisonFiles } from './report-folder.ts';

/** Compares methods `compare` (ids as given) under every protocol in `outputs`, in its order. */
export async function comparisonMaps(
  run: EvaluationRun,
  compare: readonly [string, string],
  outputs: ReadonlyMap<Protocol, ProtocolOutputs>,
): Promise<ComparisonEntry[]> {
  const [a, b] = [compare[0].toLowerCase(), compare[1].toLowerCase()];
  const comparisons: ComparisonEntry[] = [];
  for (const [protocol, out] of outputs) {
    run.startStep(`${protocol}: ${a} vs ${b} maps`);
    const files = comparisonFiles(run.outDir, protocol, a, b);
    const pathA = out.paths.get(a)!;
    const pathB = out.paths.get(b)!;
    const { grid } = out;
    const means = await withDataset(pathA, (dsA) =>
      withDataset(pathB, (dsB) =>
        withMap(
          createMapWriter({
            path: files.spectralAngle,
            grid,
            description: `spectral angle between ${a} and ${b}, degrees (${protocol})`,
            overwrite: run.overwrite,
          }),
          (angleMap) =>
            withMap(
              createMapWriter({
                path: files.relativeDifference,
                grid,
                description: `relative difference between ${a} and ${b} (${protocol})`,
                overwrite: run.overwrite,
              }),
              (differenceMap) =>
                comparisonPass(
                  {
                    a: outputSource(dsA, pathA),
                    b: outputSource(dsB, pathB),
                    bands: run.scene.bandCount,
                    width: grid.width,
                    height: grid.height,
                    angleMap,
                    differenceMap,
                  },
                  run.jobCtx,
                ),
            ),
        ),
      ),
    );
    comparisons.push({
      protocol,
      a,
      b,
      ...means,
      maps: { spectralAngle: reportPath(run, files.spectralAngle), relativeDifference: reportPath(run, files.relativeDifference) },
    });
  }
  return comparisons;
}
