/**
 * @module main/host/api-socket
 * The contract over one accepted WebSocket (preload/bridge-wire.ts): calls in, replies and job events out. A
 * message that is not JSON, or a malformed call that cannot be answered, closes this socket only.
 */
import type { WebSocket } from 'ws';
import { eventMessage, parseCallMessage, replyMessage } from '../../preload/bridge-wire.ts';
import { ErrorCode, isRecord, toWireError } from '../../preload/contract.ts';
import type { AppCore } from '../app-core/app-core.ts';

export function serveApiSocket(ws: WebSocket, core: AppCore, log: (message: string) => void): void {
  // A protocol error on this socket (frame too big, invalid UTF-8, bad opcode) closes this socket only;
  // ws has already sent the close code (1009, 1007, 1002) when this fires.
  ws.on('error', (err) => {
    log(`closed a WebSocket after a protocol error: ${err.message}`);
    ws.terminate();
  });
  const send = (text: string) => {
    if (ws.readyState === ws.OPEN) ws.send(text, (err) => err && ws.terminate());
  };
  const unsubscribe = core.onJobEvent((event) => send(JSON.stringify(eventMessage(event))));
  ws.on('close', unsubscribe);
  ws.on(
    'message',
    (data, isBinary) =>
      void answerMessage({ ws, core, log, send }, data, isBinary).catch((err: unknown) => {
        log(`closed a WebSocket after an internal error: ${err instanceof Error ? err.message : String(err)}`);
        ws.close(1011, 'internal error');
      }),
  );
}

interface SocketSession {
  readonly ws: WebSocket;
  readonly core: AppCore;
  readonly log: (message: string) => void;
  /** Sends while the socket is open; a failed send terminates it. */
  readonly send: (text: string) => void;
}

/** Parses one message, runs the call and sends its reply. */
async function answerMessage(session: SocketSession, data: WebSocket.RawData, isBinary: boolean): Promise<void> {
  const { ws, log, send } = session;
  let raw: unknown;
  try {
    raw = JSON.parse(isBinary ? '' : data.toString());
  } catch {
    log('closed a WebSocket that sent something other than JSON');
    return ws.close(1003, 'expected JSON text');
  }
  let message;
  try {
    message = parseCallMessage(raw);
  } catch (err) {
    // Answer what can be answered (a bad name with a usable id); drop a client that cannot be answered.
    const id = isRecord(raw) ? raw.id : undefined;
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) {
      send(JSON.stringify(replyMessage(id, { ok: false, error: { ...toWireError(err), code: ErrorCode.contract } })));
      return;
    }
    log(`closed a WebSocket after a malformed message: ${err instanceof Error ? err.message : String(err)}`);
    return ws.close(1008, 'malformed message');
  }
  const reply = await session.core.call(message.name, message.payload);
  send(JSON.stringify(replyMessage(message.id, reply)));
}
