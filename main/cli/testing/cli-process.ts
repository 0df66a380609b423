/**
 * @module main/cli/testing/cli-process
 * The CLI as its tests run it: the `bin/panforge.mjs` launcher users call, in a child Node process.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, where the CLI runs unless a test names another folder. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const cliPath = join(repoRoot, 'bin/panforge.mjs');

export interface CliRunOptions {
  /** [default: the repository root] */
  readonly cwd?: string;
  readonly timeoutMs: number;
  /** Run as another user (tests that run as root and need permission bits to count). */
  readonly uid?: number;
  readonly gid?: number;
}

/** Runs `panforge …args` to completion; stdout and stderr as text. */
export function runCli(args: readonly string[], options: CliRunOptions): SpawnSyncReturns<string> {
  const { cwd = repoRoot, timeoutMs, ...user } = options;
  return spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, ...user });
}
