/**
 * @module main/cli/exit-codes
 * Exit codes scripts can rely on (documented in `panforge --help` and the README).
 */
import { CancelledError, EngineCrashedError, InputError, ModelError, OutputError } from '../engine/errors.ts';

export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  input: 3,
  model: 4,
  output: 5,
  /** The engine's child process died under the job (native crash, out of memory, killed). */
  crashed: 6,
  /** `batch` finished, but at least one (scene, method) failed (its report says which and why). */
  batchFailures: 7,
  cancelled: 130,
} as const;

export function exitCodeFor(err: unknown): number {
  if (err instanceof CancelledError) return ExitCode.cancelled;
  if (err instanceof InputError) return ExitCode.input;
  if (err instanceof ModelError) return ExitCode.model;
  if (err instanceof OutputError) return ExitCode.output;
  if (err instanceof EngineCrashedError) return ExitCode.crashed;
  return ExitCode.internal;
}
