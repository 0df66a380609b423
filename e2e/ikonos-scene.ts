// The real scene the journey and the self-check specs run on (../shared/data IKONOS, 4 bands, 1280² PAN), and the
// PreMix model they run on it when it is installed.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const data = process.env.PANFORGE_E2E_SHARED_DATA ?? join(root, '../shared/data');
export const panPath = join(data, 'ikonos_italy_pan.tif');
export const msPath = join(data, 'ikonos_italy_ms.tif');
// Where the engine looks for networks (main/engine/methods/registry.ts): PANFORGE_MODELS_DIR, else models/onnx.
export const premixModel = join(process.env.PANFORGE_MODELS_DIR ?? join(root, 'models/onnx'), 'premix-4band.onnx');
