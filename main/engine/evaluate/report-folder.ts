/**
 * @module main/engine/evaluate/report-folder
 * The folder an evaluation writes into: creating it (and its rr/, fr/, maps/ parts), the list of every file a run
 * will write (so an earlier run's files stop it before any work rather than halfway), and atomic text writes.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OutputError } from '../errors.ts';
import { partialPathFor, writeFailure } from '../write/output-path.ts';
import type { Protocol } from './evaluation-report.ts';

export function ensureFolder(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (err) {
    throw new OutputError('output-folder-unwritable', `cannot create the report folder ${path}: ${err instanceof Error ? err.message : String(err)}`, { path });
  }
  if (!statSync(path).isDirectory()) throw new OutputError('output-is-file', `report folder ${path} is a file`, { path });
}

/** Writes text atomically: NAME.partial.EXT, then rename. */
export function writeAtomic(path: string, text: string): void {
  const partial = partialPathFor(path);
  try {
    writeFileSync(partial, text);
    renameSync(partial, path);
  } catch (err) {
    rmSync(partial, { force: true });
    throw writeFailure(path, err);
  }
}

/** The output and map file names of one method under one protocol. */
export function methodFiles(outDir: string, protocol: Protocol, methodId: string): { readonly output: string; readonly samMap: string } {
  const map = protocol === 'rr' ? `rr_${methodId}_sam.tif` : `fr_${methodId}_sam_ms.tif`;
  return { output: join(outDir, protocol, `${methodId}.tif`), samMap: join(outDir, 'maps', map) };
}

/** The two maps of a comparison between methods `a` and `b` (lower-case ids) under one protocol. */
export function comparisonFiles(
  outDir: string,
  protocol: Protocol,
  a: string,
  b: string,
): { readonly spectralAngle: string; readonly relativeDifference: string } {
  const stem = join(outDir, 'maps', `${protocol}_compare_${a}_${b}`);
  return { spectralAngle: `${stem}_sam.tif`, relativeDifference: `${stem}_reldiff.tif` };
}

/** The degraded pair Wald's protocol writes. */
export function degradedFiles(outDir: string): { readonly pan: string; readonly ms: string } {
  return { pan: join(outDir, 'rr', 'degraded_pan.tif'), ms: join(outDir, 'rr', 'degraded_ms.tif') };
}

/** Every file a run writes, so that an earlier run's files stop it before any work rather than halfway. */
export function plannedFiles(
  outDir: string,
  protocols: readonly Protocol[],
  methodIds: readonly string[],
  compare: readonly [string, string] | null,
): string[] {
  const files: string[] = [];
  for (const p of protocols) {
    if (p === 'rr') files.push(...Object.values(degradedFiles(outDir)));
    for (const id of methodIds) files.push(...Object.values(methodFiles(outDir, p, id)));
    if (compare) files.push(...Object.values(comparisonFiles(outDir, p, compare[0].toLowerCase(), compare[1].toLowerCase())));
  }
  return files;
}

export function refuseExisting(files: readonly string[]): void {
  const existing = files.filter((f) => existsSync(f));
  if (existing.length > 0) {
    throw new OutputError(
      'output-exists',
      `output exists: ${existing[0]}${existing.length > 1 ? ` (and ${existing.length - 1} more files of an earlier run)` : ''}; choose another folder or pass --overwrite`,
      { paths: existing },
    );
  }
}
