/**
 * @module main/app-core/export-name
 * A file name from the renderer's suggestion (a save dialog's default, or the host's export path): no folders,
 * only plain characters, always `.tif`.
 */
import { basename, extname } from 'node:path';

export function safeExportName(suggestedName: string): string {
  const stem = basename(suggestedName, extname(suggestedName))
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^[.]+/, '')
    .slice(0, 100);
  return `${stem || 'export'}.tif`;
}
