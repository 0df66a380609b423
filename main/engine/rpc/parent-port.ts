/**
 * @module main/engine/rpc/parent-port
 * The child's side of a child-host.ts process (or of Electron's utilityProcess): one CalleePort to its parent,
 * whichever started it. utilityProcess gives `process.parentPort` (events carry `.data`); child_process.fork gives
 * `process.send` and a 'disconnect' event when the parent is gone (even killed by SIGKILL), reported through
 * `onParentGone` so the child can stop its work and exit instead of running orphaned.
 */
import { isRecord } from '../../../preload/contract.ts';
import type { CalleePort } from './rpc-server.ts';

export interface ParentPort extends CalleePort {
  onParentGone(listener: () => void): void;
}

export function connectToParent(): ParentPort {
  // Our stderr is the parent's; if its reader is gone, a warning must not become an uncaught EPIPE.
  process.stderr.on('error', () => undefined);
  // A terminal's Ctrl-C is the parent's to handle (it relays it as a cancel); we run in our own process group, but
  // a SIGINT sent to us directly must not skip the job's cleanup either.
  process.on('SIGINT', () => undefined);
  const utilityPort: unknown = Reflect.get(process, 'parentPort');
  if (isRecord(utilityPort) && typeof utilityPort.postMessage === 'function' && typeof utilityPort.on === 'function') {
    const postMessage = utilityPort.postMessage.bind(utilityPort);
    const on = utilityPort.on.bind(utilityPort);
    return {
      post: (message) => postMessage(message),
      onMessage: (listener) => on('message', (event: unknown) => listener(isRecord(event) ? event.data : undefined)),
      // Electron ends its utility processes with the app.
      onParentGone: () => undefined,
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('started without an IPC channel; run it through child_process.fork (child-host.ts) or utilityProcess.fork');
  return {
    // After the parent is gone there is no one to tell; the callback turns a failed send (EPIPE: the parent died
    // between the check and the write) into an ignored result instead of an 'error' that would crash us first.
    post: (message) => {
      if (process.connected) send(message, undefined, {}, () => undefined);
    },
    onMessage: (listener) => process.on('message', listener),
    onParentGone: (listener) => process.on('disconnect', listener),
  };
}
