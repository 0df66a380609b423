/**
 * @module main/engine/errors
 * One root error with a stable `code` the CLI and UI can switch on; subclasses say which side failed.
 * Bugs stay plain `Error`s (reported as code `internal`).
 */

export type ErrorDetails = Record<string, unknown>;

export class PanForgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Unreadable file, wrong band count, CRS/extent/ratio mismatch: the user's input is at fault. */
export class InputError extends PanForgeError {}
/** The request contradicts itself or names nothing that exists (unknown method, an output that is one of the
 * inputs, an option out of range): the command line is at fault, not the files (CLI exit code 2). */
export class RequestError extends PanForgeError {}
/** Manifest, ONNX shapes, execution provider; also a tile that does not fit the memory budget. */
export class ModelError extends PanForgeError {}
/** Unwritable path, refusing to overwrite, failed rename. */
export class OutputError extends PanForgeError {}
/** A job stopped because the user asked it to. */
export class CancelledError extends PanForgeError {
  constructor(message = 'cancelled') {
    super('cancelled', message);
  }
}

/** The engine's process died under a job (native crash, out of memory, killed); the job is lost, not the caller. */
export class EngineCrashedError extends PanForgeError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('engine-crashed', message, details);
  }
}

/** Throws CancelledError when the signal has fired; call between stages and tiles. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** The wire/CLI form of any thrown value: PanForgeErrors keep their code, everything else is `internal`. */
export function describeError(err: unknown): { code: string; message: string; details: ErrorDetails } {
  if (err instanceof PanForgeError) return { code: err.code, message: err.message, details: err.details };
  if (err instanceof Error) return { code: 'internal', message: err.message, details: {} };
  return { code: 'internal', message: String(err), details: {} };
}
