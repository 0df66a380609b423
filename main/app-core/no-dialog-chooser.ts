/**
 * @module main/app-core/no-dialog-chooser
 * Choosing without native dialogs: the browser host (and Electron under e2e, where nobody can click a dialog).
 * Scenes come from the renderer's "open by path" form, checked against the allowlist, so choosing one returns
 * null; an export path is a fresh file name inside the export folder (never an existing file: the engine refuses
 * to overwrite).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppChooser } from './app-core.ts';
import { safeExportName } from './export-name.ts';

export function noDialogChooser(exportDir: string): AppChooser {
  return {
    chooseSceneFiles: async () => null,
    chooseSceneFolder: async () => null,
    chooseExportPath: async (suggestedName) => {
      const name = safeExportName(suggestedName);
      const stem = name.slice(0, -'.tif'.length);
      for (let n = 1; ; n++) {
        const path = join(exportDir, n === 1 ? name : `${stem}-${n}.tif`);
        if (!existsSync(path)) return path;
      }
    },
  };
}
