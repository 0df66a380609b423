/**
 * @module main/engine/rpc/error-codec
 * Errors across a thread or process boundary: `encodeError` turns any thrown value into plain data that structured
 * clone and JSON keep, `decodeError` rebuilds it as the same errors.ts class, so `instanceof`, `code`, `details`
 * and the CLI's exit code are what they would be in-process. A subclass defined elsewhere (SceneTooSmallError)
 * comes back as its nearest errors.ts class with its own `name`. Anything else (bugs) stays a plain Error
 * (`kind: 'internal'`) that keeps its message, and its code when it has a string one (ContractError's 'contract').
 */
import { isRecord } from '../../../preload/contract.ts';
import * as errors from '../errors.ts';
import { CancelledError, EngineCrashedError, InputError, ModelError, OutputError, PanForgeError, RequestError, type ErrorDetails } from '../errors.ts';

type ErrorsModule = typeof errors;
/** The names of errors.ts's error classes (every export that constructs a PanForgeError). */
export type ErrorClassName = {
  [K in keyof ErrorsModule]: ErrorsModule[K] extends abstract new (...args: never[]) => PanForgeError ? K : never;
}[keyof ErrorsModule];

export interface EncodedError {
  /** The errors.ts class to rebuild, or 'internal' for anything that is not a PanForgeError. */
  readonly kind: ErrorClassName | 'internal';
  /** The thrown error's own name (a subclass's, or 'Error'). */
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly details: ErrorDetails;
}

type Fields = Pick<EncodedError, 'code' | 'message' | 'details'>;

// One entry per class: the type makes leaving one out a compile error; the constructors differ.
const FACTORIES: { readonly [K in ErrorClassName]: { readonly cls: ErrorsModule[K]; readonly make: (e: Fields) => PanForgeError } } = {
  PanForgeError: { cls: PanForgeError, make: (e) => new PanForgeError(e.code, e.message, e.details) },
  InputError: { cls: InputError, make: (e) => new InputError(e.code, e.message, e.details) },
  RequestError: { cls: RequestError, make: (e) => new RequestError(e.code, e.message, e.details) },
  ModelError: { cls: ModelError, make: (e) => new ModelError(e.code, e.message, e.details) },
  OutputError: { cls: OutputError, make: (e) => new OutputError(e.code, e.message, e.details) },
  CancelledError: { cls: CancelledError, make: (e) => new CancelledError(e.message) },
  EngineCrashedError: { cls: EngineCrashedError, make: (e) => new EngineCrashedError(e.message, e.details) },
};

/** The class names the codec rebuilds (tests check errors.ts exports no other). */
export const CODEC_CLASSES: readonly ErrorClassName[] = Object.keys(FACTORIES) as ErrorClassName[];

function isClassName(x: unknown): x is ErrorClassName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(FACTORIES, x);
}

/** The nearest errors.ts class on `err`'s prototype chain. */
function kindOf(err: PanForgeError): ErrorClassName {
  for (let proto: unknown = Object.getPrototypeOf(err); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = Reflect.get(proto as object, 'constructor');
    const match = CODEC_CLASSES.find((k) => FACTORIES[k].cls === ctor);
    if (match) return match;
  }
  return 'PanForgeError';
}

export function encodeError(err: unknown): EncodedError {
  if (err instanceof PanForgeError) return { kind: kindOf(err), name: err.name, code: err.code, message: err.message, details: { ...err.details } };
  const code = isRecord(err) && typeof err.code === 'string' ? err.code : 'internal';
  if (err instanceof Error) return { kind: 'internal', name: err.name, code, message: err.message, details: {} };
  return { kind: 'internal', name: 'Error', code, message: String(err), details: {} };
}

/** Checks the shape of an encoded error that crossed a boundary (throws a plain Error naming `where`). */
export function parseEncodedError(x: unknown, where: string): EncodedError {
  if (
    !isRecord(x) ||
    !(x.kind === 'internal' || isClassName(x.kind)) ||
    typeof x.name !== 'string' ||
    typeof x.code !== 'string' ||
    typeof x.message !== 'string' ||
    !isRecord(x.details)
  ) {
    throw new Error(`${where}: expected an encoded error {kind, name, code, message, details}, got ${JSON.stringify(x)?.slice(0, 200)}`);
  }
  return { kind: x.kind, name: x.name, code: x.code, message: x.message, details: { ...x.details } };
}

/**
 * The error `e` describes. Internal errors become plain Errors; `where` (e.g. 'quality-assessment worker') then
 * prefixes the message, saying which side the bug was on.
 */
export function decodeError(e: EncodedError, where?: string): Error {
  if (e.kind === 'internal') return new Error(where ? `${where}: ${e.message}` : e.message);
  const err = FACTORIES[e.kind].make(e);
  if (err.name !== e.name) err.name = e.name;
  return err;
}
