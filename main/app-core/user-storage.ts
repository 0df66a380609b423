/**
 * @module main/app-core/user-storage
 * Housekeeping of what the app writes into the user-data folder, so a user's disk does not fill with old runs and
 * display copies:
 * - runs/: a run's files are its output `X.tif` and what was made beside it (`X.sam-ms.tif`, `X.partial.tif`, …).
 *   At start-up, runs no longer listed in recent.json (crash orphans, runs pushed off the list) are deleted, and
 *   `*.partial.*` leftovers too; a listed run stays until the user removes it, a run a job writes is never touched.
 *   If recent.json could not be read, no run is deleted as an orphan (an empty list would otherwise wipe them all).
 * - cache/: display copies (remade on demand). At start-up, copies not used for `cacheMaxAgeDays` go; after that and
 *   after each scene opens, the total is kept under `cacheMaxBytes`, least recently used (mtime, touched on use) first.
 * Only files older than this process can be leftovers or orphans: a newer one belongs to a process still at work.
 * In cache/ only display copies (`*.cog.tif`, their partials and sidecars) are ours: on a case-insensitive disk
 * Electron's user-data `Cache/` (Chromium's) is the same folder, and its files are left alone.
 * Every deletion goes through storage-paths (plain files directly inside runs/ or cache/, nothing else).
 */
import { existsSync, lstatSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ErrorCode, type StorageUsage, type StoredRun } from '../../preload/contract.ts';
import { OutputError, PanForgeError } from '../engine/errors.ts';
import { isPartialName } from '../engine/write/output-path.ts';
import { canonicalPath } from './path-allowlist.ts';
import { storageAreaDir, storageFile, storagePath, type StorageArea } from './storage-paths.ts';

export interface StoragePolicy {
  /** Display copies not used for this many days are deleted at start-up [default 30]. */
  readonly cacheMaxAgeDays?: number;
  /** cache/ is kept under this many bytes, least recently used deleted first [default 8 GiB]. */
  readonly cacheMaxBytes?: number;
}

export interface UserStorageOptions extends StoragePolicy {
  readonly userDataDir: string;
  /** Files modified before this (ms since epoch) are not being written by anyone now [default: this process's start]. */
  readonly processStartMs?: number;
  /** [default Date.now] */
  readonly now?: () => number;
  readonly log?: (message: string) => void;
}

/** What a sweep must leave alone. */
export interface StorageKeep {
  /** Output paths of the runs the user lists (recent.json); null when that list could not be read: every run stays. */
  readonly runs: readonly string[] | null;
  /** Run outputs jobs write and display copies the map shows now; a run's whole family stays. */
  readonly inUse: Iterable<string>;
}

export type RemovalReason = 'partial' | 'orphan' | 'unused' | 'over-cap' | 'cleared' | 'removed';

export interface RemovedFile {
  readonly path: string;
  readonly bytes: number;
  readonly why: RemovalReason;
}

/** A run as listed in recent.json (the fields storage needs). */
export interface ListedRun {
  readonly outPath: string;
  readonly method: string;
  readonly state: string;
  readonly finishedAt: string;
  /** The run's scene (its PAN), so lists can name it. */
  readonly panPath?: string;
}

interface FileEntry {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

export const DEFAULT_CACHE_MAX_AGE_DAYS = 30;
export const DEFAULT_CACHE_MAX_BYTES = 8 * 1024 ** 3;
const DAY_MS = 86_400_000;

/** Display copies are `<name>-<key>.cog.tif` (display-cog.ts), written as `….cog.tif.<pid>.partial.tif`. */
function isDisplayCopyName(name: string): boolean {
  return name.includes('.cog.tif');
}

/** The output's own name and every `X.…` beside `X.tif`. */
function inFamily(name: string, outputNames: ReadonlySet<string>): boolean {
  if (outputNames.has(name)) return true;
  for (const out of outputNames) {
    const stem = out.replace(/\.[^.]*$/, '');
    if (name.startsWith(`${stem}.`)) return true;
  }
  return false;
}

export class UserStorage {
  readonly cacheMaxAgeDays: number;
  readonly cacheMaxBytes: number;
  private readonly processStartMs: number;
  private readonly now: () => number;

  constructor(private readonly options: UserStorageOptions) {
    this.cacheMaxAgeDays = options.cacheMaxAgeDays ?? DEFAULT_CACHE_MAX_AGE_DAYS;
    this.cacheMaxBytes = options.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES;
    if (!(this.cacheMaxAgeDays > 0)) throw new RangeError(`cacheMaxAgeDays must be > 0, got ${this.cacheMaxAgeDays}`);
    if (!(this.cacheMaxBytes >= 0)) throw new RangeError(`cacheMaxBytes must be ≥ 0, got ${this.cacheMaxBytes}`);
    this.processStartMs = options.processStartMs ?? Date.now() - process.uptime() * 1000;
    this.now = options.now ?? Date.now;
  }

  /** The start-up sweep: leftovers, orphan runs, unused display copies, then the cache cap. */
  sweep(keep: StorageKeep): RemovedFile[] {
    const removed: RemovedFile[] = [];
    const runs = this.list('runs');
    if (runs) {
      const active = this.namesIn(runs.dir, keep.inUse);
      const listed = keep.runs === null ? null : this.namesIn(runs.dir, keep.runs);
      for (const file of runs.files) {
        if (inFamily(file.name, active)) continue;
        const old = file.mtimeMs < this.processStartMs;
        if (isPartialName(file.name)) {
          if (old) this.remove('runs', file, 'partial', removed);
        } else if (listed !== null && !inFamily(file.name, listed) && old) {
          this.remove('runs', file, 'orphan', removed);
        }
      }
    }
    const cache = this.list('cache');
    if (cache) {
      const inUse = this.namesIn(cache.dir, keep.inUse);
      const unusedBefore = this.now() - this.cacheMaxAgeDays * DAY_MS;
      const left: FileEntry[] = [];
      for (const file of cache.files) {
        if (inUse.has(file.name)) left.push(file);
        else if (isPartialName(file.name)) {
          if (this.beingWritten(file)) left.push(file);
          else this.remove('cache', file, 'partial', removed);
        } else if (file.mtimeMs < unusedBefore) this.remove('cache', file, 'unused', removed);
        else left.push(file);
      }
      this.cap(left, inUse, removed);
    }
    return removed;
  }

  /** Keeps cache/ under the cap (after a scene opened and added display copies); `inUse` are the copies shown now. */
  enforceCacheCap(inUse: Iterable<string>): RemovedFile[] {
    const removed: RemovedFile[] = [];
    const cache = this.list('cache');
    if (cache) this.cap(cache.files, this.namesIn(cache.dir, inUse), removed);
    return removed;
  }

  /** Every display copy except those shown now and those being made. */
  clearCache(inUse: Iterable<string>): RemovedFile[] {
    const removed: RemovedFile[] = [];
    const cache = this.list('cache');
    if (!cache) return removed;
    const keep = this.namesIn(cache.dir, inUse);
    for (const file of cache.files) {
      if (keep.has(file.name) || this.beingWritten(file)) continue;
      this.remove('cache', file, 'cleared', removed);
    }
    return removed;
  }

  /**
   * Deletes a run's files (its output and everything made beside it). The path must name a file directly in runs/
   * (it need not exist any more); a run a job writes is refused.
   */
  removeRun(outPath: string, inUse: Iterable<string>): RemovedFile[] {
    const target = storagePath(this.options.userDataDir, 'runs', outPath);
    const runs = this.list('runs');
    const removed: RemovedFile[] = [];
    if (!runs) return removed;
    const name = basename(target);
    if (inFamily(name, this.namesIn(runs.dir, inUse))) {
      throw new PanForgeError(ErrorCode.runInUse, `run ${name} is still being written by a job; cancel the job or wait for it to finish`, { path: outPath });
    }
    const family = runs.files.filter((f) => inFamily(f.name, new Set([name])));
    const failed = family.filter((file) => !this.remove('runs', file, 'removed', removed));
    if (failed.length > 0) {
      throw new OutputError(
        'run-remove-failed',
        `could not delete ${failed.map((f) => f.path).join(', ')} (is it open in another program?); the other files of the run are gone`,
        { path: outPath },
      );
    }
    return removed;
  }

  /** Marks a display copy as used now (the cache's LRU order is by mtime). */
  touch(path: string): void {
    const cacheDir = join(resolve(this.options.userDataDir), 'cache');
    if (!existsSync(cacheDir) || canonicalPath(dirname(path)) !== canonicalPath(cacheDir)) return;
    try {
      const now = new Date(this.now());
      utimesSync(path, now, now);
    } catch (err) {
      this.options.log?.(`could not mark ${path} as used: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Sizes on disk; `runs` are the listed runs that still have files, in the list's order. */
  usage(listed: readonly ListedRun[], inUse: Iterable<string>): StorageUsage {
    const runs = this.list('runs');
    const cache = this.list('cache');
    const active = runs ? this.namesIn(runs.dir, inUse) : new Set<string>();
    const storedRuns: StoredRun[] = [];
    if (runs) {
      const seen = new Set<string>();
      for (const run of listed) {
        const name = this.namesIn(runs.dir, [run.outPath]);
        const [own] = name;
        if (own === undefined || seen.has(own)) continue;
        seen.add(own);
        const sizeBytes = runs.files.filter((f) => inFamily(f.name, name)).reduce((sum, f) => sum + f.bytes, 0);
        if (sizeBytes === 0) continue;
        storedRuns.push({
          outPath: run.outPath,
          method: run.method,
          panPath: run.panPath ?? '',
          state: run.state,
          finishedAt: run.finishedAt,
          sizeBytes,
          inUse: inFamily(own, active),
        });
      }
    }
    const total = (files: readonly FileEntry[] | undefined) => (files ?? []).reduce((sum, f) => sum + f.bytes, 0);
    return {
      runsBytes: total(runs?.files),
      cacheBytes: total(cache?.files),
      cacheFiles: cache?.files.length ?? 0,
      cacheMaxBytes: this.cacheMaxBytes,
      cacheMaxAgeDays: this.cacheMaxAgeDays,
      runs: storedRuns,
    };
  }

  /** Least recently used first until the total fits; copies in use and writes in progress are never deleted. */
  private cap(files: readonly FileEntry[], inUse: ReadonlySet<string>, removed: RemovedFile[]): void {
    let total = files.reduce((sum, f) => sum + f.bytes, 0);
    for (const file of [...files].sort((a, b) => a.mtimeMs - b.mtimeMs)) {
      if (total <= this.cacheMaxBytes) return;
      if (inUse.has(file.name) || this.beingWritten(file)) continue;
      if (this.remove('cache', file, 'over-cap', removed)) total -= file.bytes;
    }
  }

  /** A partial file newer than this process: a write still going on, never deleted. */
  private beingWritten(file: FileEntry): boolean {
    return isPartialName(file.name) && file.mtimeMs >= this.processStartMs;
  }

  /** The app's plain files directly in an area, or null when it does not exist or is not usable (logged). */
  private list(area: StorageArea): { dir: string; files: FileEntry[] } | null {
    if (!existsSync(join(resolve(this.options.userDataDir), area))) return null;
    let dir: string;
    try {
      dir = storageAreaDir(this.options.userDataDir, area);
    } catch (err) {
      this.options.log?.(`storage: leaving ${area}/ alone: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
    const files: FileEntry[] = [];
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      try {
        const st = lstatSync(path);
        if (st.isFile() && (area === 'runs' || isDisplayCopyName(name))) files.push({ name, path, bytes: st.size, mtimeMs: st.mtimeMs });
      } catch {
        // Gone between the listing and the stat (another writer renamed it): nothing to account for.
      }
    }
    return { dir, files };
  }

  /** The names of those paths that lie directly in `dir` (others cannot be in this area). */
  private namesIn(dir: string, paths: Iterable<string>): Set<string> {
    const names = new Set<string>();
    for (const p of paths) if (canonicalPath(dirname(resolve(p))) === dir) names.add(basename(p));
    return names;
  }

  private remove(area: StorageArea, file: FileEntry, why: RemovalReason, into: RemovedFile[]): boolean {
    try {
      rmSync(storageFile(this.options.userDataDir, area, file.path));
      into.push({ path: file.path, bytes: file.bytes, why });
      return true;
    } catch (err) {
      this.options.log?.(`storage: could not delete ${file.path}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }
}
