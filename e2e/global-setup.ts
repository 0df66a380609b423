// Builds the renderer when its sources are newer than renderer/dist, writes the synthetic scenes of scenes.spec.ts,
// then starts the browser-mode host through its npm script (`npm run host -- --allow ../shared/data --allow
// <temp>/scenes --export-dir <temp>`) and hands its printed URL to the
// tests (PANFORGE_E2E_URL). In Electron mode (PANFORGE_E2E_ELECTRON=1) the app is launched by the fixture instead.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticCases } from './synthetic-scenes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
export const sharedData = process.env.PANFORGE_SHARED_DATA ?? resolve(root, '../shared/data');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function buildRendererIfNeeded(): void {
  const built = join(root, 'renderer/dist/index.html');
  const sources = ['renderer/src', 'renderer/index.html', 'renderer/vite.config.ts', 'preload/contract.ts', 'preload/bridge-wire.ts'].map((p) => join(root, p));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  console.log('[e2e] building the renderer (vite build renderer)…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', 'renderer', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`the renderer build failed (exit ${r.status}); run \`npm run build:renderer\` to see why`);
}

function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`the host printed no PANFORGE_HOST_URL within ${timeoutMs / 1000} s\nstdout: ${out}\nstderr: ${err}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^PANFORGE_HOST_URL=(\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1]!);
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (process.env.PANFORGE_E2E_VERBOSE) process.stderr.write(d);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited (code ${code}) before printing its URL\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(join(sharedData, 'ikonos_italy_pan.tif'))) throw new Error(`the e2e journey needs ${sharedData}/ikonos_italy_{pan,ms}.tif`);
  const work = mkdtempSync(join(tmpdir(), 'panforge-e2e-'));
  const exportDir = join(work, 'exports');
  process.env.PANFORGE_E2E_EXPORT_DIR = exportDir;
  process.env.PANFORGE_E2E_SHARED_DATA = sharedData;
  process.env.PANFORGE_E2E_USER_DATA = join(work, 'user-data');
  const scenes = join(work, 'scenes');
  process.env.PANFORGE_E2E_SCENES = scenes;
  await writeSyntheticCases(scenes);
  if (process.env.PANFORGE_E2E_ELECTRON === '1') {
    return async () => rmSync(work, { recursive: true, force: true });
  }
  buildRendererIfNeeded();
  // Its own process group, so teardown stops npm, the host and the engine child together.
  const child = spawn(
    'npm',
    ['run', '--silent', 'host', '--', '--allow', sharedData, '--allow', scenes, '--export-dir', exportDir, '--user-data', process.env.PANFORGE_E2E_USER_DATA],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    }
    rmSync(work, { recursive: true, force: true });
  };
  try {
    process.env.PANFORGE_E2E_URL = await waitForUrl(child, 90_000);
  } catch (err) {
    await stop();
    throw err;
  }
  console.log(`[e2e] host at ${process.env.PANFORGE_E2E_URL.replace(/token=.*/, 'token=…')}`);
  return stop;
}
