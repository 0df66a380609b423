/**
 * @module main/engine/rpc/rpc-server
 * The callee's side of the envelope, over any port: parses each message, runs the request's handler with an
 * AbortSignal (fired by `cancel`) and a progress sink, and answers with `result` or an encoded `error`. A message
 * that is not the envelope gets an error answer with id -1 (there is no request to match).
 */
import { encodeError } from './error-codec.ts';
import { parseToCallee, type FromCallee } from './envelope.ts';

export interface CalleePort {
  post(message: FromCallee, transfer: readonly ArrayBuffer[]): void;
  onMessage(listener: (message: unknown) => void): void;
}

export interface CallContext {
  readonly signal: AbortSignal;
  readonly progress: (event: unknown) => void;
}

export interface RpcServerOptions {
  /** Names this side in errors about malformed messages ('engine service'). */
  readonly where: string;
  readonly handle: (method: string, payload: unknown, ctx: CallContext) => Promise<unknown>;
  /** Buffers of a result to transfer rather than copy. */
  readonly transferOf?: (value: unknown) => readonly ArrayBuffer[];
  /** Handle requests one at a time, in order [default false: concurrently]. */
  readonly sequential?: boolean;
}

export interface RpcServer {
  /** Fires every running call's signal (the caller is gone). */
  abortAll(): void;
  /** Resolves once no call is running. */
  idle(): Promise<void>;
}

export function serveRpc(port: CalleePort, options: RpcServerOptions): RpcServer {
  const running = new Map<number, AbortController>();
  const waiting = new Set<() => void>();
  let queue: Promise<void> = Promise.resolve();

  const run = async (id: number, method: string, payload: unknown, abort: AbortController) => {
    try {
      const value = await options.handle(method, payload, { signal: abort.signal, progress: (event) => port.post({ kind: 'progress', id, event }, []) });
      port.post({ kind: 'result', id, value }, options.transferOf?.(value) ?? []);
    } catch (err) {
      port.post({ kind: 'error', id, error: encodeError(err) }, []);
    } finally {
      running.delete(id);
      if (running.size === 0) for (const wake of waiting) wake();
      waiting.clear();
    }
  };

  port.onMessage((raw) => {
    let message;
    try {
      message = parseToCallee(raw, `${options.where} request`);
    } catch (err) {
      port.post({ kind: 'error', id: -1, error: encodeError(err) }, []);
      return;
    }
    if (message.kind === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    const abort = new AbortController();
    running.set(message.id, abort);
    const { id, method, payload } = message;
    if (options.sequential) queue = queue.then(() => run(id, method, payload, abort));
    else void run(id, method, payload, abort);
  });

  return {
    abortAll: () => {
      for (const abort of running.values()) abort.abort();
    },
    idle: () => (running.size === 0 ? Promise.resolve() : new Promise((resolve) => waiting.add(resolve))),
  };
}
