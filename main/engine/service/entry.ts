/**
 * @module main/engine/service/entry
 * The engine service process. The same file runs under `child_process.fork` (tests, browser host, CLI) and
 * Electron's `utilityProcess.fork` (messages through `process.parentPort`). It parses every message, answers each
 * call with the contract's envelope, and forwards job events and raster registrations.
 */
import { isRecord, toWireError } from '../../../preload/contract.ts';
import { EngineService } from './engine-service.ts';
import { parseToService, ServiceMethods, type FromService } from './protocol.ts';

interface Port {
  post(message: FromService): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** utilityProcess gives `process.parentPort` (events carry `.data`); fork gives `process.send`. */
function parentPort(): Port {
  const utilityPort: unknown = Reflect.get(process, 'parentPort');
  if (isRecord(utilityPort) && typeof utilityPort.postMessage === 'function' && typeof utilityPort.on === 'function') {
    const postMessage = utilityPort.postMessage.bind(utilityPort);
    const on = utilityPort.on.bind(utilityPort);
    return {
      post: (message) => postMessage(message),
      onMessage: (listener) => on('message', (event: unknown) => listener(isRecord(event) ? event.data : undefined)),
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('engine service: started without an IPC channel; run it through child_process.fork or utilityProcess.fork');
  // Without the channel the parent is gone: exit instead of running orphaned jobs.
  process.on('disconnect', () => process.exit(0));
  return { post: (message) => send(message), onMessage: (listener) => process.on('message', listener) };
}

const port = parentPort();
const service = new EngineService({
  event: (event) => port.post({ kind: 'event', event }),
  raster: (layerId, path) => port.post({ kind: 'raster', layerId, path }),
});

port.onMessage(async (raw) => {
  let callId = -1;
  try {
    const message = parseToService(raw);
    callId = message.callId;
    const payload = ServiceMethods[message.method].request(message.payload, `engine ${message.method}`);
    // payload was parsed by the method's own schema just above.
    const value = await service.call(message.method, payload as never);
    port.post({ kind: 'reply', callId, reply: { ok: true, value } });
  } catch (err) {
    port.post({ kind: 'reply', callId, reply: { ok: false, error: toWireError(err) } });
  }
});

port.post({ kind: 'ready', pid: process.pid });
