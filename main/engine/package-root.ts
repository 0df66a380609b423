/**
 * @module main/engine/package-root
 * The folder PanForge is installed in (the one holding its package.json), found from this module's own location,
 * never from the working directory: the same walk works from the TypeScript sources (main/engine/) and from the
 * compiled CLI bundles (dist/cli/), in a checkout or a global npm install. Models, the version and the engine's
 * child entry are resolved against it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  readonly root: string;
  readonly version: string;
}

function findPackage(): PackageInfo {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const pkg: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
        if (typeof pkg === 'object' && pkg !== null && 'name' in pkg && pkg.name === 'panforge') {
          return { root: dir, version: 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : 'unknown' };
        }
      } catch {
        // a foreign or broken package.json on the way up: keep looking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`PanForge's package.json was not found above ${fileURLToPath(import.meta.url)}; the installation is incomplete`);
    dir = parent;
  }
}

let cached: PackageInfo | null = null;

export function packageInfo(): PackageInfo {
  cached ??= findPackage();
  return cached;
}

/** The package folder (holds package.json, models/onnx and, once built, dist/cli). */
export function packageRoot(): string {
  return packageInfo().root;
}
