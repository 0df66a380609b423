/**
 * @module main/engine/rpc/envelope
 * The one message envelope of every engine boundary (worker threads, the engine process): a caller sends
 * `request` and may send `cancel`; the callee answers each request with any number of `progress` events, then one
 * `result` or one `error` (errors in error-codec's form), and may push `notice`s of its own (the engine service's
 * job events). Payloads are checked by whoever owns the method; the parsers here check the envelope itself.
 */
import { isRecord } from '../../../preload/contract.ts';
import { parseEncodedError, type EncodedError } from './error-codec.ts';

export interface RpcRequest {
  readonly kind: 'request';
  readonly id: number;
  readonly method: string;
  readonly payload: unknown;
}
export interface RpcCancel {
  readonly kind: 'cancel';
  readonly id: number;
}
export interface RpcProgress {
  readonly kind: 'progress';
  readonly id: number;
  readonly event: unknown;
}
export interface RpcResult {
  readonly kind: 'result';
  readonly id: number;
  readonly value: unknown;
}
export interface RpcError {
  readonly kind: 'error';
  readonly id: number;
  readonly error: EncodedError;
}
/** Not an answer to a request: something the callee announces (an engine job's state, a raster it made). */
export interface RpcNotice {
  readonly kind: 'notice';
  readonly topic: string;
  readonly payload: unknown;
}

/** Caller → callee. */
export type ToCallee = RpcRequest | RpcCancel;
/** Callee → caller. */
export type FromCallee = RpcProgress | RpcResult | RpcError | RpcNotice;

function malformed(where: string, expected: string, x: unknown): Error {
  return new Error(`${where}: expected ${expected}, got ${JSON.stringify(x)?.slice(0, 200)}`);
}

function id(x: Record<string, unknown>, where: string): number {
  if (typeof x.id !== 'number' || !Number.isSafeInteger(x.id)) throw malformed(where, 'an integer id', x);
  return x.id;
}

export function parseToCallee(x: unknown, where: string): ToCallee {
  if (isRecord(x)) {
    if (x.kind === 'request' && typeof x.method === 'string') return { kind: 'request', id: id(x, where), method: x.method, payload: x.payload };
    if (x.kind === 'cancel') return { kind: 'cancel', id: id(x, where) };
  }
  throw malformed(where, '{kind: request, id, method, payload} | {kind: cancel, id}', x);
}

export function parseFromCallee(x: unknown, where: string): FromCallee {
  if (isRecord(x)) {
    switch (x.kind) {
      case 'progress':
        return { kind: 'progress', id: id(x, where), event: x.event };
      case 'result':
        return { kind: 'result', id: id(x, where), value: x.value };
      case 'error':
        return { kind: 'error', id: id(x, where), error: parseEncodedError(x.error, `${where}.error`) };
      case 'notice':
        if (typeof x.topic === 'string') return { kind: 'notice', topic: x.topic, payload: x.payload };
    }
  }
  throw malformed(where, '{kind: progress|result|error, id, …} | {kind: notice, topic, payload}', x);
}
