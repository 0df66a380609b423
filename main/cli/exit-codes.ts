/**
 * @module main/cli/exit-codes
 * Exit codes scripts can rely on (documented in `panforge --help` and the README).
 */
import { CancelledError, EngineCrashedError, InputError, ModelError, OutputError, RequestError } from '../engine/errors.ts';

export const ExitCode = {
  ok: 0,
  internal: 1,
  /** The command line is wrong: unknown option or method, a bad value, an output that is one of the inputs. */
  usage: 2,
  /** An input file is unreadable or unusable (not a raster, FIFO, wrong bands, no overlap, too large). */
  input: 3,
  /** A model cannot run: manifest, ONNX, device; a tile that does not fit the memory budget even at the smallest size. */
  model: 4,
  /** The output cannot be written: exists, read-only folder, not enough space, disk full or I/O error. */
  output: 5,
  /** The engine's child process died under the job (native crash, out of memory, killed). */
  crashed: 6,
  /** `batch` finished, but at least one (scene, method) failed (its report says which and why). */
  batchFailures: 7,
  cancelled: 130,
} as const;

export function exitCodeFor(err: unknown): number {
  if (err instanceof CancelledError) return ExitCode.cancelled;
  if (err instanceof RequestError) return ExitCode.usage;
  if (err instanceof InputError) return ExitCode.input;
  if (err instanceof ModelError) return ExitCode.model;
  if (err instanceof OutputError) return ExitCode.output;
  if (err instanceof EngineCrashedError) return ExitCode.crashed;
  return ExitCode.internal;
}
