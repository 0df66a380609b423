/**
 * @module main/engine/jobs/sharpen-metadata
 * The GeoTIFF metadata a sharpened output carries: PanForge's provenance (method, model, device, inputs, tiling,
 * adaptation) and the facts GIS users and the next tool read from the inputs.
 */
import { basename } from 'node:path';
import type { Scene } from '../io/open-scene.ts';
import type { FusionMethod } from '../methods/method.ts';
import type { ValueScale } from '../methods/value-scale.ts';
import type { TilePlan } from '../tiling/tile-plan.ts';
import { softwareVersion } from '../version.ts';
import type { OutputDataType } from '../write/geotiff-writer.ts';

export interface SharpenProvenance {
  readonly scene: Scene;
  readonly panPath: string;
  readonly msPath: string;
  readonly method: FusionMethod;
  /** The prepared method's device when the writer is created. */
  readonly device: string;
  /** Facts of the prepared method (e.g. a network's scene normalisation). */
  readonly preparedMetadata: Readonly<Record<string, string>> | undefined;
  /** Items from the fusion choice (adaptation, recommendation). */
  readonly choiceMetadata: Readonly<Record<string, string>>;
  readonly valueScale: ValueScale;
  readonly dataType: OutputDataType;
  readonly plan: TilePlan;
}

/** Metadata items in the order they are written; later items win over earlier ones with the same key. */
export function sharpenMetadata(p: SharpenProvenance): Record<string, string> {
  const { scene, method, valueScale } = p;
  return {
    PANFORGE_METHOD: method.id,
    ...(method.model ? { PANFORGE_MODEL: method.model.name, PANFORGE_MODEL_VERSION: method.model.version, PANFORGE_MODEL_SHA256: method.model.sha256 } : {}),
    PANFORGE_DEVICE: p.device,
    PANFORGE_PAN: basename(p.panPath),
    PANFORGE_MS: basename(p.msPath),
    ...(scene.sensor ? { PANFORGE_SENSOR: scene.sensor } : {}),
    PANFORGE_BAND_NAMES: `${scene.layout.bandSource}${scene.layout.bandsGuessed ? ' (guessed)' : ''}`,
    PANFORGE_VALUE_MAX: String(valueScale.valueMax),
    ...p.preparedMetadata,
    PANFORGE_TILE: `${p.plan.tileSizePx}+2x${p.plan.overlapPx}`,
    ...p.choiceMetadata,
    // What GIS users and the next tool read from the inputs: the sensor, the radiometric bit depth (the output
    // keeps the MS's DN scale) and the PAN/MS ratio the product was sharpened with.
    ...(scene.sensor ? { SENSOR: scene.sensor } : {}),
    ...(valueScale.bitDepth !== null && p.dataType !== 'Float32' ? { BIT_DEPTH: String(valueScale.bitDepth) } : {}),
    PANFORGE_RATIO: String(scene.ratio),
    TIFFTAG_SOFTWARE: `PanForge ${softwareVersion}`,
    TIFFTAG_DATETIME: new Date().toISOString().replace('T', ' ').slice(0, 19).replace(/-/g, ':'),
  };
}
