/**
 * @module preload/panforge-api
 * `window.panforge` for Electron, built from the contract's Calls table over an injected ipcRenderer (so tests run
 * in plain Node). Each method parses its request before sending and parses the reply it gets; it never rejects.
 * onJobEvent hands listeners the parsed payload only, never the IPC event (which exposes `sender`; @see security
 * checklist item 20), and returns the unsubscribe function.
 */
import { replyFor } from './bridge-wire.ts';
import {
  CALL_NAMES,
  Calls,
  ErrorCode,
  EventChannel,
  JobEvent,
  parseRequest,
  toWireError,
  type CallName,
  type CallRequest,
  type CallValue,
  type PanForgeApi,
  type Reply,
} from './contract.ts';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function caller<K extends CallName>(ipc: IpcRendererLike, name: K): (request: CallRequest<K>) => Promise<Reply<CallValue<K>>> {
  return async (request) => {
    let parsed: CallRequest<K>;
    try {
      parsed = parseRequest(name, request);
    } catch (err) {
      return { ok: false, error: toWireError(err) };
    }
    let raw: unknown;
    try {
      raw = await ipc.invoke(Calls[name].channel, parsed);
    } catch (err) {
      // invoke rejects only when main has no handler or the channel broke: report it like any other failure.
      return { ok: false, error: { code: ErrorCode.internal, message: err instanceof Error ? err.message : String(err), details: {} } };
    }
    return replyFor(name, raw);
  };
}

export function createPanforgeApi(ipc: IpcRendererLike, warn: (message: string) => void = () => {}): PanForgeApi {
  const listeners = new Set<(event: JobEvent) => void>();
  const onIpcEvent = (_event: unknown, payload: unknown) => {
    let event: JobEvent;
    try {
      event = JobEvent(payload, EventChannel.jobEvent);
    } catch (err) {
      warn(`dropped a malformed job event: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    for (const listener of listeners) listener(event);
  };
  const api: Record<string, unknown> = {};
  for (const name of CALL_NAMES) api[name] = caller(ipc, name);
  api.onJobEvent = (listener: (event: JobEvent) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onJobEvent: expected a function');
    // One IPC subscription for all listeners, added with the first and removed with the last.
    if (listeners.size === 0) ipc.on(EventChannel.jobEvent, onIpcEvent);
    listeners.add(listener);
    return () => {
      if (listeners.delete(listener) && listeners.size === 0) ipc.removeListener(EventChannel.jobEvent, onIpcEvent);
    };
  };
  // Built key by key from CALL_NAMES with `caller`, whose type is exactly PanForgeApi's per-call signature.
  return Object.freeze(api) as PanForgeApi;
}
