/**
 * @module renderer/api/get-api
 * The one PanForgeApi the UI uses: `window.panforge` when the Electron preload exposed it, otherwise the
 * WebSocket bridge to the browser-mode host, whose token comes from this page's URL.
 */
import type { PanForgeApi, WireError } from '../../../preload/contract.ts';
import { createWsBridge } from './ws-bridge.ts';

declare global {
  interface Window {
    readonly panforge?: PanForgeApi;
  }
}

export interface ApiHooks {
  readonly onTrouble: (error: WireError) => void;
  readonly onReconnect: () => void;
}

export function getApi(hooks: ApiHooks): PanForgeApi {
  if (window.panforge) return window.panforge;
  const token = new URLSearchParams(window.location.search).get('token');
  if (!token) {
    throw new Error('this page was opened without ?token=…; open the URL the PanForge host printed (npm run host)');
  }
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${window.location.host}/api?token=${encodeURIComponent(token)}`;
  return createWsBridge({ url, onTrouble: hooks.onTrouble, onReconnect: hooks.onReconnect });
}
