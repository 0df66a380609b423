/**
 * @module main/engine/version
 * The software version written into every output's metadata.
 */
import { packageInfo } from './package-root.ts';

function readVersion(): string {
  try {
    return packageInfo().version;
  } catch {
    // Packaged builds may relocate package.json (Electron's asar keeps it); the version is informational.
    return 'unknown';
  }
}

export const softwareVersion = readVersion();
