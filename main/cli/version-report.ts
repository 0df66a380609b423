/**
 * @module main/cli/version-report
 * `panforge --version`: PanForge's version, the GDAL and ONNX Runtime it runs on and the installed models. Fast:
 * GDAL's binding is loaded (its version is the library's, not the npm package's), ONNX Runtime is not (its
 * package version names the bundled library), and manifests are read without hashing the models.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { modelsFolderPath } from '../engine/methods/models-folder.ts';
import { packageInfo } from '../engine/package-root.ts';

export interface VersionReport {
  readonly version: string;
  readonly gdal: string;
  readonly onnxRuntime: string;
  readonly node: string;
  readonly modelsFolder: string;
  readonly models: readonly { name: string; version: string; status: string }[];
}

function manifests(folder: string): VersionReport['models'] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.manifest.json'))
    .sort()
    .map((f) => {
      try {
        const m = JSON.parse(readFileSync(join(folder, f), 'utf8')) as Record<string, unknown>;
        const status = typeof m.status === 'string' ? m.status.split(/[;(]/)[0]!.trim() : '';
        return { name: String(m.name ?? f), version: String(m.version ?? '?'), status };
      } catch (err) {
        return { name: f, version: '?', status: `unreadable manifest: ${err instanceof Error ? err.message : String(err)}` };
      }
    });
}

export async function versionReport(): Promise<VersionReport> {
  const { gdal } = await import('../engine/io/gdal.ts');
  const require = createRequire(import.meta.url);
  let onnxRuntime = 'not installed';
  try {
    onnxRuntime = String((require('onnxruntime-node/package.json') as { version?: unknown }).version);
  } catch {
    // reported as not installed; `panforge methods` still lists the baselines
  }
  const folder = modelsFolderPath();
  return { version: packageInfo().version, gdal: gdal.version, onnxRuntime, node: process.versions.node, modelsFolder: folder, models: manifests(folder) };
}
