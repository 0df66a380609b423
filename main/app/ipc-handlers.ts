/**
 * @module main/app/ipc-handlers
 * Every contract call registered on ipcMain through one `handle()` wrapper: it first checks that the sender is the
 * app's own page in a main frame (@see security checklist item 17, validate the sender of all IPC messages), then
 * lets the app core parse the payload before anything else happens. Replies are always the contract's envelope,
 * never a rejection (Electron would reduce a thrown error to "Error invoking remote method"). Job events go to
 * every window, payload only.
 */
import { CALL_NAMES, Calls, ErrorCode, EventChannel, type CallName, type JobEvent, type Reply } from '../../preload/contract.ts';
import { APP_HOST, APP_SCHEME } from './app-protocol.ts';
import type { FrameLike, IpcMainLike, WebContentsLike } from './electron-surface.ts';

export interface CallHandler {
  call(name: CallName, payload: unknown): Promise<Reply<unknown>>;
}

/** Only the main frame of a page served from app://panforge/ may call. */
export function senderRefusal(frame: FrameLike | null): string | null {
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null && frame.parent !== undefined) return 'it came from a subframe';
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return `the sender URL ${JSON.stringify(frame.url)} does not parse`;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return `the sender ${url.protocol}//${url.host} is not ${APP_SCHEME}://${APP_HOST}`;
  return null;
}

export function registerIpcHandlers(ipcMain: IpcMainLike, core: CallHandler, log: (message: string) => void = () => {}): void {
  for (const name of CALL_NAMES) {
    const channel = Calls[name].channel;
    ipcMain.handle(channel, async (event, ...args) => {
      const refusal = senderRefusal(event.senderFrame);
      if (refusal) {
        log(`Refused to handle ${channel} because ${refusal}`);
        return { ok: false, error: { code: ErrorCode.forbiddenSender, message: `refused: ${refusal}`, details: {} } };
      }
      // One payload per call: extra arguments are a contract violation, not something to ignore.
      if (args.length !== 1)
        return { ok: false, error: { code: ErrorCode.contract, message: `${channel}: expected one payload argument, got ${args.length}`, details: {} } };
      return core.call(name, args[0]);
    });
  }
}

/** Forwards the core's job events to the windows; returns the unsubscribe function. */
export function forwardJobEvents(subscribe: (listener: (event: JobEvent) => void) => () => void, windows: () => WebContentsLike[]): () => void {
  return subscribe((event) => {
    for (const contents of windows()) if (!contents.isDestroyed()) contents.send(EventChannel.jobEvent, event);
  });
}
