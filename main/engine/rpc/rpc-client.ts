/**
 * @module main/engine/rpc/rpc-client
 * The caller's side of the envelope, over any port (a worker thread, the engine process): numbers requests,
 * matches each answer to its request, forwards progress, sends `cancel` when a call's signal fires, and rebuilds
 * errors through the codec. When the other side dies, its owner calls `fail` and every pending call rejects.
 */
import { decodeError, type EncodedError } from './error-codec.ts';
import { parseFromCallee, type ToCallee } from './envelope.ts';

export interface CallerPort {
  post(message: ToCallee, transfer: readonly ArrayBuffer[]): void;
}

export interface RpcClientOptions {
  /** Names the other side in errors about its messages ('inference worker'). */
  readonly where: string;
  /** Prefixes the message of an internal error (a bug) from the other side, saying where it was [default none]. */
  readonly internalPrefix?: string;
  /** A message that is not the envelope, or answers nothing pending [default: ignored]. */
  readonly onMalformed?: (err: Error) => void;
  readonly onNotice?: (topic: string, payload: unknown) => void;
  /** Called when the first call starts and when the last one ends (a worker is kept alive only while busy). */
  readonly onBusy?: (busy: boolean) => void;
}

export interface CallOptions {
  /** Buffers to transfer with the request instead of copying them. */
  readonly transfer?: readonly ArrayBuffer[];
  /** Sends `cancel` when it fires; the callee then answers (typically CancelledError). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: unknown) => void;
}

/** A call's answer before decoding: what a caller that forwards errors as data (the app's Reply) needs. */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: EncodedError };

interface Pending {
  readonly resolve: (outcome: Outcome) => void;
  readonly reject: (err: Error) => void;
  readonly onProgress: ((event: unknown) => void) | undefined;
  cancelRequested: boolean;
}

export class RpcClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly port: CallerPort,
    private readonly options: RpcClientOptions,
  ) {}

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** The call's outcome; rejects only when `fail` is called while it is pending. */
  request(method: string, payload: unknown, options: CallOptions = {}): Promise<Outcome> {
    const id = this.nextId++;
    const { signal } = options;
    return new Promise<Outcome>((resolve, reject) => {
      const onAbort = () => {
        entry.cancelRequested = true;
        if (this.pending.has(id)) this.port.post({ kind: 'cancel', id }, []);
      };
      const entry: Pending = {
        resolve: (outcome) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(outcome);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
        onProgress: options.onProgress,
        cancelRequested: false,
      };
      this.pending.set(id, entry);
      if (this.pending.size === 1) this.options.onBusy?.(true);
      this.port.post({ kind: 'request', id, method, payload }, options.transfer ?? []);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The call's value, or its error rebuilt as the same class. */
  async call(method: string, payload: unknown, options: CallOptions = {}): Promise<unknown> {
    const outcome = await this.request(method, payload, options);
    if (!outcome.ok) throw decodeError(outcome.error, this.options.internalPrefix);
    return outcome.value;
  }

  /** Feeds one message from the port. */
  receive(raw: unknown): void {
    let message;
    try {
      message = parseFromCallee(raw, `${this.options.where} message`);
    } catch (err) {
      this.options.onMalformed?.(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (message.kind === 'notice') {
      this.options.onNotice?.(message.topic, message.payload);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.kind === 'progress') {
      pending.onProgress?.(message.event);
      return;
    }
    this.settle(message.id);
    pending.resolve(message.kind === 'result' ? { ok: true, value: message.value } : { ok: false, error: message.error });
  }

  /** Rejects every pending call: with `err`, or with what `err` says for a call whose cancel was sent. */
  fail(err: Error | ((cancelRequested: boolean) => Error)): void {
    for (const [id, pending] of [...this.pending]) {
      this.settle(id);
      pending.reject(typeof err === 'function' ? err(pending.cancelRequested) : err);
    }
  }

  private settle(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.options.onBusy?.(false);
  }
}
