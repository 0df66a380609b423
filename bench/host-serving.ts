/**
 * @module bench/host-serving
 * `npm run bench:host -- [--size N] [--reads N]`: what the map feels through the browser-mode host, on a
 * generated N×N scene with the real engine: opening the scene (display COGs + stretch statistics), a contract
 * call's round trip over the WebSocket, and HTTP Range reads of the PAN display COG the way geotiff.js reads
 * tiles (random 64 KiB ranges). Prints a table, writes bench/results/host-serving.json. Not a test: timings depend
 * on the machine and its load.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { callMessage, parseFromHost, replyFor } from '../preload/bridge-wire.ts';
import type { CallName, CallValue, Reply } from '../preload/contract.ts';
import { forkEngine } from '../main/engine/service/fork-engine.ts';
import { writeSyntheticScene } from '../main/engine/testing/synthetic-scene.ts';
import { tempFolder } from '../main/engine/testing/temp-folder.ts';
import { startHost } from '../main/host/host-server.ts';
import { machine, printTable, saveJson, type Row } from './table.ts';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runHostServing(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { size: { type: 'string' }, reads: { type: 'string' } } });
  const size = Number(values.size ?? 4096);
  const reads = Number(values.reads ?? 400);
  const folder = tempFolder('bench-host');
  process.stderr.write(`generating a ${size}×${size} scene…\n`);
  const scene = await writeSyntheticScene({ folder: join(folder, 'scene'), name: 'bench', panWidth: size, panHeight: size });
  const host = await startHost({
    rendererDir: join(folder, 'none'),
    userDataDir: join(folder, 'ud'),
    exportDir: folder,
    allow: [join(folder, 'scene')],
    version: 'bench',
    startEngine: () => forkEngine(),
  });
  const origin = `http://127.0.0.1:${host.port}`;
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { headers: { Origin: origin } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const waiting = new Map<number, (raw: unknown) => void>();
  ws.on('message', (data) => {
    const msg = parseFromHost(JSON.parse(data.toString()));
    if (msg.kind === 'reply') waiting.get(msg.id)?.(msg.reply);
  });
  let nextId = 1;
  const call = <K extends CallName>(name: K, payload: unknown): Promise<Reply<CallValue<K>>> => {
    const id = nextId++;
    return new Promise((resolve) => {
      waiting.set(id, (raw) => resolve(replyFor(name, raw)));
      ws.send(JSON.stringify(callMessage(id, name, payload)));
    });
  };
  const rows: Row[] = [];
  try {
    await call('appInfo', {}); // starts the engine process
    let t0 = performance.now();
    const opened = await call('sceneOpen', { panPath: scene.panPath, msPath: scene.msPath });
    if (!opened.ok) throw new Error(opened.error.message);
    rows.push({ measure: 'sceneOpen (display COGs + stats, first time)', n: 1, p50Ms: performance.now() - t0, p95Ms: null, throughputMBps: null });

    const rtt: number[] = [];
    for (let i = 0; i < 300; i++) {
      t0 = performance.now();
      await call('appInfo', {});
      rtt.push(performance.now() - t0);
    }
    rtt.sort((a, b) => a - b);
    rows.push({ measure: 'appInfo round trip (WebSocket)', n: rtt.length, p50Ms: percentile(rtt, 50), p95Ms: percentile(rtt, 95), throughputMBps: null });

    const url = `${origin}/outputs/${opened.value.layers[0]!.layerId}.tif?token=${host.token}`;
    const total = Number((await fetch(url, { method: 'HEAD' })).headers.get('content-length'));
    const chunk = 64 * 1024;
    const times: number[] = [];
    let bytes = 0;
    const all0 = performance.now();
    for (let i = 0; i < reads; i++) {
      const start = Math.floor(Math.random() * Math.max(1, total - chunk));
      t0 = performance.now();
      const res = await fetch(url, { headers: { Range: `bytes=${start}-${start + chunk - 1}` } });
      bytes += (await res.arrayBuffer()).byteLength;
      times.push(performance.now() - t0);
    }
    const seconds = (performance.now() - all0) / 1000;
    times.sort((a, b) => a - b);
    rows.push({
      measure: `Range read 64 KiB of the PAN COG (${(total / 2 ** 20).toFixed(1)} MiB)`,
      n: reads,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      throughputMBps: bytes / 2 ** 20 / seconds,
    });
  } finally {
    ws.close();
    await host.close();
  }
  printTable(rows);
  const path = saveJson('host-serving', { machine: machine(), size, panBytes: statSync(scene.panPath).size, rows });
  process.stderr.write(`wrote ${path}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runHostServing(process.argv.slice(2));
}
