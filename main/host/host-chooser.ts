/**
 * @module main/host/host-chooser
 * The browser host has no native dialogs: scenes come from the "open by path" form (checked against `--allow`),
 * so choosing one returns null; an export path is a fresh file name inside `--export-dir` (never an existing
 * file: the engine refuses to overwrite).
 */
import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { AppChooser } from '../app-core/app-core.ts';

/** A file name from the renderer's suggestion: no folders, only plain characters, always `.tif`. */
export function safeExportName(suggestedName: string): string {
  const stem = basename(suggestedName, extname(suggestedName)).replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[.]+/, '').slice(0, 100);
  return `${stem || 'export'}.tif`;
}

export function hostChooser(exportDir: string): AppChooser {
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
