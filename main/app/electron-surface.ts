/**
 * @module main/app/electron-surface
 * The parts of Electron's main-process API this app uses, as narrow structural types. The real `electron` module
 * satisfies them (main.ts passes it in); unit tests pass small stubs, so the glue runs under plain Node, where
 * there is no Electron binary.
 */

export interface FrameLike {
  readonly url: string;
  /** null for a window's main frame. */
  readonly parent: unknown;
}

export interface IpcInvokeEventLike {
  /** null once the frame navigated away or was destroyed. */
  readonly senderFrame: FrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
}

export interface WebContentsLike {
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface SessionLike {
  setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
}

export interface ProtocolLike {
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

export interface OpenDialogResult {
  readonly canceled: boolean;
  readonly filePaths: string[];
}

export interface SaveDialogResult {
  readonly canceled: boolean;
  readonly filePath?: string;
}

export interface DialogLike {
  showOpenDialog(options: {
    title: string;
    properties: Array<'openFile' | 'openDirectory'>;
    filters?: { name: string; extensions: string[] }[];
  }): Promise<OpenDialogResult>;
  showSaveDialog(options: { title: string; defaultPath: string; filters?: { name: string; extensions: string[] }[] }): Promise<SaveDialogResult>;
}

export interface UtilityProcessChildLike {
  readonly pid?: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface UtilityProcessLike {
  fork(
    modulePath: string,
    args?: string[],
    options?: { serviceName?: string; env?: Record<string, string | undefined>; stdio?: 'inherit' | 'ignore' | 'pipe' },
  ): UtilityProcessChildLike;
}
