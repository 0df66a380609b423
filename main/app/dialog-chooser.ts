/**
 * @module main/app/dialog-chooser
 * Native dialogs behind sceneChoose and exportChoosePath: the only way a path enters the Electron app. Files mode
 * asks for the PAN image, then the MS image (so which is which is never guessed); folder mode returns the folder
 * for the core to pair.
 */
import { join } from 'node:path';
import type { SceneFiles } from '../../preload/contract.ts';
import type { AppChooser } from '../app-core/app-core.ts';
import { safeExportName } from '../app-core/export-name.ts';
import type { DialogLike } from './electron-surface.ts';

const RASTER_FILTERS = [
  { name: 'Rasters', extensions: ['tif', 'tiff', 'TIF', 'TIFF', 'jp2', 'ntf'] },
  { name: 'All files', extensions: ['*'] },
];

async function openOne(dialog: DialogLike, title: string, property: 'openFile' | 'openDirectory'): Promise<string | null> {
  const result = await dialog.showOpenDialog({ title, properties: [property], ...(property === 'openFile' ? { filters: RASTER_FILTERS } : {}) });
  return result.canceled || result.filePaths.length !== 1 ? null : result.filePaths[0]!;
}

/** `exportDir`: where the save dialog starts (e.g. the user's Documents folder). */
export function dialogChooser(dialog: DialogLike, exportDir: () => string): AppChooser {
  return {
    chooseSceneFiles: async (): Promise<SceneFiles | null> => {
      const panPath = await openOne(dialog, 'Open the PAN (panchromatic) image', 'openFile');
      if (panPath === null) return null;
      const msPath = await openOne(dialog, 'Open the MS (multispectral) image', 'openFile');
      return msPath === null ? null : { panPath, msPath };
    },
    chooseSceneFolder: () => openOne(dialog, 'Open a product folder (PAN and MS inside)', 'openDirectory'),
    chooseExportPath: async (suggestedName) => {
      const result = await dialog.showSaveDialog({
        title: 'Export raster',
        defaultPath: join(exportDir(), safeExportName(suggestedName)),
        filters: [{ name: 'GeoTIFF', extensions: ['tif'] }],
      });
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}
