/**
 * @module main/engine/evaluate/full-resolution-protocol
 * The full-resolution (no reference) protocol for every method of a run: sharpen the original pair with each
 * method and assess the output against the PAN and the upsampled MS (full-resolution-pass.ts), writing its spectral
 * angle map to the upsampled MS on the way. The indices cover the top-left part of the region whose sides are whole
 * 32-px blocks; the maps cover the whole region (NaN outside that part).
 */
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { rasterWindow, snapWindowIn, translateWindow } from '../raster/pixel-window.ts';
import { sharedBlock } from './assessment-pool.ts';
import { assessEachMethod, type EvaluationRun, INDEX_BLOCK_PX, type ProtocolOutcome } from './evaluation-run.ts';
import { fullResolutionPass, panLowResolution } from './full-resolution-pass.ts';
import type { MapGrid } from './map-writer.ts';
import { ensureFolder } from './report-folder.ts';

export async function fullResolutionProtocol(run: EvaluationRun): Promise<ProtocolOutcome> {
  const { scene, outDir } = run;
  const { ratio, region, bandCount: bands } = scene;
  const BLOCK = INDEX_BLOCK_PX;
  const assessed = snapWindowIn(rasterWindow(region.width, region.height), BLOCK);
  if (!assessed) {
    throw new InputError(
      'scene-too-small',
      `full-resolution protocol: the scene is ${region.width}×${region.height} PAN px; D_λ, D_s and D_λ(K) need at least one ${BLOCK}×${BLOCK} block`,
      { got: [region.width, region.height], expected: [BLOCK, BLOCK] },
    );
  }
  const { width, height } = assessed;
  if (width !== region.width || height !== region.height) {
    run.notes.push(
      `fr: the indices cover the top-left ${width}×${height} PAN pixels (sides multiples of ${BLOCK}, as the block indices need); the maps are NaN outside it`,
    );
  }
  ensureFolder(join(outDir, 'fr'));
  ensureFolder(join(outDir, 'maps'));
  run.startStep('fr: low-pass PAN (imresize 1/ratio)');
  // Shared memory: every method's workers read it without a copy.
  const panLowRes = sharedBlock(await panLowResolution(run.pan, width, height, ratio, run.jobCtx));
  const grid: MapGrid = { width: region.width, height: region.height, geoTransform: scene.geoTransform, crsWkt: scene.crsWkt };
  const { paths, rows } = await assessEachMethod(run, {
    protocol: 'fr',
    panPath: run.pan.path,
    msPath: run.ms.path,
    grid,
    samTo: { description: 'the upsampled MS', key: 'samToUpsampledMs' },
    pass: (fused, samMap) =>
      fullResolutionPass(
        { pan: run.pan, ms: run.ms, fused, bands, width, height, ratio, sensor: run.sensor.mtf, panLowRes, samMap, ...run.threading },
        run.jobCtx,
      ),
  });
  return {
    outputs: { grid, paths },
    result: {
      protocol: 'fr',
      title: 'Full resolution (no reference)',
      description: `each method fused the original pair; indices over ${width}×${height} PAN px against the PAN and the MS upsampled with interp23tap; D_λ(K) with the ${run.sensor.mtf} MTF.`,
      area: { ...translateWindow(assessed, region.colOff, region.rowOff), grid: 'PAN' },
      methods: rows,
    },
  };
}
