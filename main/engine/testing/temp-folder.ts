/**
 * @module main/engine/testing/temp-folder
 * A fresh temporary folder per test file, removed at exit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `panforge-${prefix}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Tests written before sample-scenes.ts import the scenes' folder from here.
export { sharedDataFolder } from './sample-scenes.ts';
