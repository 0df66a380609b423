/**
 * @module main/engine/version
 * The software version written into every output's metadata.
 */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    if (typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string') return pkg.version;
  } catch {
    // Packaged builds may relocate package.json; the version is informational.
  }
  return 'unknown';
}

export const softwareVersion = readVersion();
