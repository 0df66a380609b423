/**
 * @module main/engine/write/output-path
 * Checks an output path before any work starts, and names its temporary sibling. Outputs are written to
 * `<name>.panforge-<pid>.partial.tif` beside the target and renamed only on success, so a target never holds half a
 * file. The pid in the name is what makes a leftover recognisably ours and stale: `sweepStalePartials` removes
 * only files of exactly that shape whose process is gone (a run killed with SIGKILL, a power cut).
 */
import { accessSync, constants, existsSync, readdirSync, rmSync, statfsSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { OutputError, RequestError } from '../errors.ts';
import { localFileOf } from '../io/input-file.ts';

export function partialPathFor(target: string, suffix = 'partial', pid = process.pid): string {
  const ext = extname(target) || '.tif';
  return join(dirname(target), `${basename(target, extname(target))}.panforge-${pid}.${suffix}${ext}`);
}

/** `x.partial.tif`, `x.1234.partial.tif`: a temporary write that never finished (or is still going on). */
export function isPartialName(name: string): boolean {
  return /\.partial(\.|$)/.test(name);
}

/** Only names partialPathFor makes: `<stem>.panforge-<pid>.partial[-cog].<ext>`; the pid says whose it is. */
const OUR_PARTIAL = /^.+\.panforge-(\d+)\.partial(?:-[a-z]+)?(?:\.[A-Za-z0-9]+)?$/;

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive but someone else's; only ESRCH says it is gone.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the partial files an earlier, killed run left in `folder`: names of our shape only, whose writer
 * process no longer exists. Never anything else. Returns the paths removed.
 */
export function sweepStalePartials(folder: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = OUR_PARTIAL.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    const path = join(folder, name);
    try {
      if (!statSync(path).isFile()) continue;
      rmSync(path, { force: true });
      removed.push(path);
    } catch {
      // Gone already, or not ours to remove (permissions): leave it.
    }
  }
  return removed;
}

/** Removes this process's own partial files in `folder` (a forced exit, where no job cleanup will run). */
export function removeOwnPartials(folder: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const m = OUR_PARTIAL.exec(name);
    if (m && Number(m[1]) === process.pid) rmSync(join(folder, name), { force: true });
  }
}

export function checkOutputPath(target: string, overwrite: boolean): void {
  const folder = dirname(target);
  if (!existsSync(folder)) {
    throw new OutputError('output-folder-missing', `output folder does not exist: ${folder} (for ${basename(target)}); create it first`, { path: target });
  }
  if (!statSync(folder).isDirectory()) {
    throw new OutputError('output-folder-missing', `output folder is not a folder: ${folder}`, { path: target });
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new OutputError('output-folder-read-only', `output folder is not writable: ${folder} (for ${basename(target)})`, { path: target });
  }
  if (existsSync(target)) {
    if (!overwrite) {
      throw new OutputError('output-exists', `output exists: ${target}; choose another name or pass --overwrite`, { path: target });
    }
    if (statSync(target).isDirectory()) {
      throw new OutputError('output-is-folder', `output path is a folder: ${target}`, { path: target });
    }
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * Refuses an output (or its temporary sibling) that is one of the input files: the same path, a symlink to it,
 * a hard link (same device and inode), through any folder symlinks. `inputs` should list every file the inputs
 * read (GDAL's file list: VRT sources, .ovr, archives). A RequestError: the command line is wrong.
 */
export function refuseOutputOverInputs(outputs: readonly string[], inputs: readonly string[]): void {
  const inputStats = new Map<string, Stats>();
  for (const input of inputs) {
    const local = localFileOf(input);
    const st = local ? statOrNull(local) : null;
    if (st) inputStats.set(input, st);
  }
  for (const output of outputs) {
    for (const candidate of [output, partialPathFor(output), partialPathFor(output, 'partial-cog')]) {
      const st = statOrNull(candidate);
      if (!st) continue;
      for (const [input, ist] of inputStats) {
        if (st.dev === ist.dev && st.ino === ist.ino) {
          const how = candidate === output ? '' : ` (its temporary file ${basename(candidate)})`;
          throw new RequestError(
            'output-is-input',
            `output ${output}${how} is the input ${input} (same file${candidate === input ? '' : ' through a link'}); PanForge never writes over an input: choose another output name`,
            { output, input },
          );
        }
      }
    }
  }
}

/** Bytes the current user may still write in `folder` (statfs), or null when the file system will not say. */
export function freeBytes(folder: string): number | null {
  try {
    const st = statfsSync(folder);
    return Number(st.bavail) * Number(st.bsize);
  } catch {
    return null;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EIO']);

/**
 * The error for a write that failed (ENOSPC, EDQUOT, EIO, a file on disk that does not hold what was written):
 * names the file and the free space left in its folder. The caller removes the partial file.
 */
export function writeFailure(target: string, cause: unknown): OutputError {
  const errno = (cause as NodeJS.ErrnoException | null)?.code;
  const reason = cause instanceof Error ? cause.message.trim() : String(cause);
  const folder = dirname(target);
  const free = freeBytes(folder);
  const freeText = free === null ? 'free space unknown' : `${formatBytes(free)} free`;
  const code = errno === 'ENOSPC' || errno === 'EDQUOT' || (free !== null && free < 1024 * 1024) ? 'disk-full' : 'write-failed';
  const hint = code === 'disk-full' ? ' (disk full?)' : errno && DISK_FULL_CODES.has(errno) ? ' (device error or file-size limit)' : '';
  return new OutputError(code, `cannot write ${target}: ${reason}${hint}; ${freeText} on ${folder}; nothing was kept under that name`, {
    path: target,
    freeBytes: free,
    ...(errno ? { errno } : {}),
  });
}

/**
 * Refuses before any work when the output folder cannot hold `neededBytes` (an estimate of the output size):
 * a clear message with both numbers instead of a disk-full error halfway.
 */
export function checkFreeSpace(target: string, neededBytes: number, how: string): void {
  const folder = dirname(target);
  const free = freeBytes(folder);
  if (free === null || free >= neededBytes) return;
  throw new OutputError(
    'not-enough-space',
    `not enough free space for ${target}: it needs about ${formatBytes(neededBytes)} (${how}) and ${folder} has ${formatBytes(free)} free; free some space or write elsewhere`,
    { path: target, neededBytes, freeBytes: free },
  );
}
