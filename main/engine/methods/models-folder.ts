/**
 * @module main/engine/methods/models-folder
 * Where the network models are: PANFORGE_MODELS_DIR, else models/onnx of the package (the checkout or the
 * installed npm package), wherever the command runs from.
 */
import { join } from 'node:path';
import { packageRoot } from '../package-root.ts';

export function modelsFolderPath(): string {
  return process.env.PANFORGE_MODELS_DIR ?? join(packageRoot(), 'models', 'onnx');
}
