/**
 * @module renderer/api/ws-bridge
 * PanForgeApi over the browser-mode host's WebSocket (see preload/bridge-wire.ts for the messages). Every request
 * is parsed with the contract before it is sent, and every reply and event is parsed when it arrives, exactly as
 * the Electron preload does; like `window.panforge`, no method ever rejects: failures are error replies.
 *
 * The socket is opened on first use and reopened after a drop (calls in flight get a `bridge-closed` error reply;
 * job events resume once the socket is back, and the UI re-reads `jobList`).
 */
import { callMessage, parseFromHost, replyFor } from '../../../preload/bridge-wire.ts';
import {
  parseRequest,
  toWireError,
  type CallName,
  type CallValue,
  type JobEvent,
  type PanForgeApi,
  type Reply,
  type WireError,
} from '../../../preload/contract.ts';

/** The subset of the DOM WebSocket this bridge uses (so tests can drive it without a server). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface WsBridgeOptions {
  /** e.g. `ws://127.0.0.1:5123/api?token=…` */
  readonly url: string;
  /** Opens a socket [default: `new WebSocket(url)`]. */
  readonly connect?: (url: string) => SocketLike;
  /** Told about anything the host sent that broke the protocol, and about connection changes. */
  readonly onTrouble?: (error: WireError) => void;
  /** Told when the socket (re)opens; the UI re-reads state that events may have missed. */
  readonly onReconnect?: () => void;
  /** Delay before reopening a dropped socket [default 1000 ms]. */
  readonly reconnectDelayMs?: number;
}

const OPEN = 1;

export const BridgeErrorCode = { closed: 'bridge-closed', unreachable: 'bridge-unreachable' } as const;

interface Pending {
  readonly name: CallName;
  readonly resolve: (reply: Reply<unknown>) => void;
}

/** The API object of the browser mode; `close()` ends it for good. */
export type WsBridge = PanForgeApi & { close(): void };

// Long: one connection's state (socket, calls in flight, outbox, reconnect timer) shared by the closures that drive it.
export function createWsBridge(options: WsBridgeOptions): WsBridge {
  const connect = options.connect ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const listeners = new Set<(event: JobEvent) => void>();
  const pending = new Map<number, Pending>();
  const outbox: string[] = [];
  let nextId = 1;
  let socket: SocketLike | null = null;
  let everOpened = false;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  const trouble = (error: WireError) => options.onTrouble?.(error);

  function failAllPending(error: WireError): void {
    for (const [id, p] of pending) {
      pending.delete(id);
      p.resolve({ ok: false, error });
    }
  }

  function open(): SocketLike {
    if (socket) return socket;
    const s = connect(options.url);
    socket = s;
    s.onopen = () => {
      const reconnected = everOpened;
      everOpened = true;
      for (const data of outbox.splice(0)) s.send(data);
      if (reconnected) options.onReconnect?.();
    };
    s.onmessage = (ev) => onMessage(ev.data);
    s.onerror = () => {
      // The close event follows with the details that matter (calls in flight); nothing to add here.
    };
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      const error: WireError = everOpened
        ? { code: BridgeErrorCode.closed, message: 'the connection to the PanForge host closed; the call may not have completed', details: {} }
        : {
            code: BridgeErrorCode.unreachable,
            message: `cannot connect to the PanForge host at ${options.url.replace(/token=[^&]*/, 'token=…')}; is it still running?`,
            details: {},
          };
      outbox.length = 0;
      failAllPending(error);
      if (closed) return;
      trouble(error);
      // Keep job events flowing: reopen while someone listens (calls reopen on demand anyway).
      if (listeners.size > 0 && reconnectTimer === null) {
        reconnectTimer = setTimeout(() => {
          reconnectTimer = null;
          if (!closed && listeners.size > 0) open();
        }, options.reconnectDelayMs ?? 1000);
      }
    };
    return s;
  }

  function onMessage(data: unknown): void {
    let message;
    try {
      if (typeof data !== 'string') throw new Error(`expected a text frame, got ${typeof data}`);
      message = parseFromHost(JSON.parse(data));
    } catch (err) {
      trouble({ ...toWireError(err), message: `the host sent a message that breaks the protocol: ${toWireError(err).message}` });
      return;
    }
    if (message.kind === 'event') {
      for (const listener of listeners) listener(message.event);
      return;
    }
    const p = pending.get(message.id);
    if (!p) {
      trouble({ code: 'contract', message: `the host answered call ${message.id}, which is not waiting for a reply`, details: {} });
      return;
    }
    pending.delete(message.id);
    p.resolve(replyFor(p.name, message.reply));
  }

  function call<K extends CallName>(name: K, request: unknown): Promise<Reply<CallValue<K>>> {
    if (closed) return Promise.resolve({ ok: false, error: { code: BridgeErrorCode.closed, message: 'the bridge is closed', details: {} } });
    let payload;
    try {
      payload = parseRequest(name, request);
    } catch (err) {
      return Promise.resolve({ ok: false, error: toWireError(err) });
    }
    const id = nextId++;
    const data = JSON.stringify(callMessage(id, name, payload));
    return new Promise((resolve) => {
      // Reply<unknown> is what the socket delivers; replyFor(name, …) made it Reply<CallValue<K>> before resolve.
      pending.set(id, { name, resolve: resolve as (reply: Reply<unknown>) => void });
      const s = open();
      if (s.readyState === OPEN) s.send(data);
      else outbox.push(data);
    });
  }

  return {
    ...callsOver(call),
    onJobEvent(listener) {
      listeners.add(listener);
      open();
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      const s = socket;
      socket = null;
      failAllPending({ code: BridgeErrorCode.closed, message: 'the bridge is closed', details: {} });
      s?.close();
    },
  };
}

/** Every request/reply method of the API as a call over the socket. */
function callsOver(call: <K extends CallName>(name: K, request: unknown) => Promise<Reply<CallValue<K>>>): Omit<PanForgeApi, 'onJobEvent'> {
  return {
    appInfo: (r) => call('appInfo', r),
    methodsList: (r) => call('methodsList', r),
    sceneChoose: (r) => call('sceneChoose', r),
    sceneOpen: (r) => call('sceneOpen', r),
    sceneSetLayout: (r) => call('sceneSetLayout', r),
    jobStart: (r) => call('jobStart', r),
    jobCancel: (r) => call('jobCancel', r),
    jobList: (r) => call('jobList', r),
    pixelRead: (r) => call('pixelRead', r),
    metricsCompute: (r) => call('metricsCompute', r),
    qualityMapCompute: (r) => call('qualityMapCompute', r),
    recommendRun: (r) => call('recommendRun', r),
    exportChoosePath: (r) => call('exportChoosePath', r),
    exportRun: (r) => call('exportRun', r),
    recentList: (r) => call('recentList', r),
    storageUsage: (r) => call('storageUsage', r),
    storageRemoveRun: (r) => call('storageRemoveRun', r),
    storageClearCache: (r) => call('storageClearCache', r),
  };
}
