/**
 * @module preload/index
 * The sandboxed preload (bundled to dist/preload/index.cjs): exposes one `window.panforge` object, nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPanforgeApi } from './panforge-api.ts';

contextBridge.exposeInMainWorld(
  'panforge',
  createPanforgeApi(ipcRenderer, (m) => console.warn(`panforge: ${m}`)),
);
