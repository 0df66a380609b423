/**
 * @module main/app/main
 * Electron's entry (built to dist/main/app/main.js, package.json "main"): hands the real electron module to
 * startElectronApp. Everything testable lives in electron-app.ts.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session, utilityProcess } from 'electron';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findAppRoot, startElectronApp } from './electron-app.ts';

startElectronApp(
  { app, BrowserWindow, dialog, ipcMain, protocol, session, utilityProcess },
  { appRoot: findAppRoot(dirname(fileURLToPath(import.meta.url))), resourcesPath: process.resourcesPath, env: process.env, argv: process.argv.slice(1) },
).catch((err: unknown) => {
  console.error('panforge: could not start', err);
  app.exit(1);
});
