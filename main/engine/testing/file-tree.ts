/**
 * @module main/engine/testing/file-tree
 * Small file trees for tests (a renderer bundle, a folder of scenes to pair), written in one call.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes every file of `files` (a '/'-separated path relative to `root` → its contents), making folders as needed. */
export function writeFileTree(root: string, files: Readonly<Record<string, string | Uint8Array>>): void {
  for (const [relative, contents] of Object.entries(files)) {
    const path = join(root, ...relative.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, contents);
  }
}
