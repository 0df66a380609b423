/**
 * @module main/engine/evaluate/reduced-resolution-protocol
 * Wald's protocol for every method of a run: degrade PAN and MS by the ratio with the sensor's MTF
 * (wald-degrade.ts), sharpen the degraded pair with each method, and compare each output with the original MS
 * (reduced-resolution-pass.ts), writing its spectral angle map on the way. The reference is the top-left part of
 * the MS region whose sides are whole multiples of the ratio.
 */
import { basename, join } from 'node:path';
import { InputError } from '../errors.ts';
import { rasterWindow, snapWindowIn, translateWindow } from '../raster/pixel-window.ts';
import { assessEachMethod, type EvaluationRun, INDEX_BLOCK_PX, type ProtocolOutcome, reportPath } from './evaluation-run.ts';
import type { MapGrid } from './map-writer.ts';
import { reducedResolutionPass } from './reduced-resolution-pass.ts';
import { degradedFiles, ensureFolder } from './report-folder.ts';
import { waldDegrade } from './wald-degrade.ts';

export async function reducedResolutionProtocol(run: EvaluationRun): Promise<ProtocolOutcome> {
  const { scene, outDir } = run;
  const { ratio, msRegion, bandCount: bands } = scene;
  const BLOCK = INDEX_BLOCK_PX;
  // Whole MS pixels of the degraded grid: the reference's sides are multiples of the ratio.
  const reference = snapWindowIn(rasterWindow(msRegion.width, msRegion.height), ratio);
  if (!reference || reference.width < BLOCK || reference.height < BLOCK) {
    throw new InputError(
      'scene-too-small',
      `reduced-resolution protocol: the MS of ${basename(run.ms.path)} is ${msRegion.width}×${msRegion.height} px; it needs at least ${BLOCK}×${BLOCK} (one Q2n block, the reference) in whole multiples of the ratio ${ratio}`,
      { got: [msRegion.width, msRegion.height], expected: [BLOCK, BLOCK] },
    );
  }
  const { width, height } = reference;
  if (width !== msRegion.width || height !== msRegion.height) {
    run.notes.push(`rr: the reference is the top-left ${width}×${height} MS pixels (sides multiples of the ratio ${ratio}, which the degradation needs)`);
  }
  ensureFolder(join(outDir, 'rr'));
  ensureFolder(join(outDir, 'maps'));
  run.startStep('rr: degrading PAN and MS (Wald)');
  const gt = scene.geoTransform;
  const out = degradedFiles(outDir);
  const degraded = await waldDegrade(
    {
      pan: run.pan,
      ms: run.ms,
      bands,
      bandDescriptions: scene.bandDescriptions,
      msWidth: width,
      msHeight: height,
      ratio,
      sensor: run.sensor.mtf,
      panGain: run.panGain.gain,
      panGeoTransform: gt,
      crsWkt: scene.crsWkt,
      bitDepth: run.bitDepth,
      sensorName: run.sensor.name,
      panOutPath: out.pan,
      msOutPath: out.ms,
      noData: scene.ms.bands[0]?.noData ?? scene.pan.bands[0]?.noData ?? null,
      overwrite: run.overwrite,
    },
    run.jobCtx,
  );
  const grid: MapGrid = { width, height, geoTransform: [gt[0], gt[1] * ratio, 0, gt[3], 0, gt[5] * ratio], crsWkt: scene.crsWkt };
  const { paths, rows } = await assessEachMethod(run, {
    protocol: 'rr',
    panPath: degraded.panPath,
    msPath: degraded.msPath,
    grid,
    samTo: { description: 'the reference', key: 'samToReference' },
    pass: (fused, samMap) =>
      reducedResolutionPass(
        { reference: run.ms, fused, bands, width, height, ratio, bitDepth: run.bitDepth, samMap, coreSizePx: 512, ...run.threading },
        run.jobCtx,
      ),
  });
  return {
    outputs: { grid, paths },
    result: {
      protocol: 'rr',
      title: "Reduced resolution (Wald's protocol)",
      description: `PAN and MS MTF-degraded by ${ratio} (MS: ${run.sensor.mtf} MTF; PAN: Nyquist gain ${degraded.panGain}, ${run.panGain.source}); each method fused the degraded pair; the original MS (${width}×${height} px) is the reference.`,
      area: { ...translateWindow(reference, msRegion.colOff, msRegion.rowOff), grid: 'MS' },
      methods: rows,
      inputs: { panPath: reportPath(run, degraded.panPath), msPath: reportPath(run, degraded.msPath) },
    },
  };
}
