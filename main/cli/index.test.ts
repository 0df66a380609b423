// The CLI as scripts use it: exit codes, --json, progress, Ctrl-C, and a read-only output folder.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { writeSyntheticScene, type SyntheticScene } from '../engine/testing/synthetic-scene.ts';
import { sampleScenesMissing, sharedDataFolder } from '../engine/testing/sample-scenes.ts';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { cliPath, repoRoot, runCli } from './testing/cli-process.ts';

const root = tempFolder('cli');
let scene: SyntheticScene;

before(async () => {
  chmodSync(root, 0o755); // the read-only test runs the CLI as another user, who must reach the scene
  scene = await writeSyntheticScene({ folder: join(root, 'scene'), panWidth: 1024, panHeight: 1024 });
});

function run(args: string[], user: { uid?: number; gid?: number } = {}) {
  return runCli(args, { timeoutMs: 120_000, ...user });
}

/**
 * Sharpens a 2048² synthetic scene into the empty folder `<root>/<name>` in a child CLI and, once tile progress
 * shows on stderr, calls `interrupt` on each stderr chunk until it returns true. Resolves when the child exits.
 */
async function sharpenAndInterrupt(name: string, interrupt: (child: ChildProcess) => boolean) {
  const big = await writeSyntheticScene({ folder: join(root, `${name}-scene`), panWidth: 2048, panHeight: 2048 });
  const folder = join(root, name);
  mkdirSync(folder);
  const child = spawn(
    process.execPath,
    [cliPath, 'sharpen', '--pan', big.panPath, '--ms', big.msPath, '--method', 'exp', '--out', join(folder, 'out.tif'), '--tile', '128'],
    { cwd: repoRoot },
  );
  let stderr = '';
  let interrupted = false;
  const status = await new Promise<number | null>((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!interrupted && / tiles /.test(stderr)) interrupted = interrupt(child);
    });
    child.on('exit', (code) => resolve(code));
  });
  return { status, stderr, folder };
}

test('--help documents the commands and exit codes', () => {
  const r = run(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /panforge sharpen --pan PAN --ms MS --method NAME --out OUT\.tif/);
  assert.match(r.stdout, /Exit codes: 0 ok/);
});

test('info --json reports the scene', { skip: sampleScenesMissing() }, () => {
  const r = run(['info', '--pan', join(sharedDataFolder(), 'wv2_washington_pan.tif'), '--ms', join(sharedDataFolder(), 'wv2_washington_ms.tif'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.ratio, 4);
  assert.equal(report.ms.bandCount, 8);
  assert.equal(report.sensor, 'WorldView-2');
  assert.equal(report.valueScale.bitDepth, 11);
  assert.equal(report.pan.crsCode, 'EPSG:32618');
});

test('sharpen --json: machine-readable result, exit 0', () => {
  const out = join(root, 'json.tif');
  const r = run(['sharpen', '--pan', scene.panPath, '--ms', scene.msPath, '--method', 'exp', '--out', out, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.ok, true);
  assert.equal(result.outPath, out);
  assert.equal(result.width, 1024);
});

test('a progress bar with tiles, MP/s and ETA on stderr', () => {
  const r = run(['sharpen', '--pan', scene.panPath, '--ms', scene.msPath, '--method', 'exp', '--out', join(root, 'progress.tif'), '--tile', '256']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /16\/16 tiles +[\d.]+ MP\/s +ETA/);
  assert.match(r.stderr, /wrote .*progress\.tif: 1024×1024, 4 bands UInt16/);
});

test('bad input: exit code 3 and a JSON error naming the problem', () => {
  const r = run(['sharpen', '--pan', join(root, 'missing.tif'), '--ms', scene.msPath, '--method', 'exp', '--out', join(root, 'x.tif'), '--json']);
  assert.equal(r.status, 3);
  const body = JSON.parse(r.stdout);
  assert.equal(body.ok, false);
  assert.equal(body.error.code, 'file-not-found');
  assert.match(r.stderr, /PAN file not found: .*missing\.tif/);
});

test('usage errors exit 2', () => {
  assert.equal(run(['sharpen', '--pan', scene.panPath]).status, 2);
  assert.equal(run(['sharpen', '--pan', scene.panPath, '--ms', scene.msPath, '--method', 'exp', '--out', 'x.tif', '--device', 'tpu']).status, 2);
  assert.equal(run(['frobnicate']).status, 2);
});

test('output folder read-only: exit 5, nothing written', () => {
  const folder = join(root, 'read-only');
  mkdirSync(folder);
  chmodSync(folder, 0o555);
  // root ignores permission bits, so run the CLI as an unprivileged user when the tests run as root.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = run(['sharpen', '--pan', scene.panPath, '--ms', scene.msPath, '--method', 'exp', '--out', join(folder, 'out.tif')], asUser);
  assert.equal(r.status, 5, r.stderr);
  assert.match(r.stderr, /output folder is not writable: .*read-only/);
  assert.deepEqual(readdirSync(folder), []);
});

test('Ctrl-C cancels: exit 130 and no partial file', async () => {
  const { status, stderr, folder } = await sharpenAndInterrupt('sigint', (child) => child.kill('SIGINT'));
  assert.equal(status, 130, stderr);
  assert.match(stderr, /cancelling/);
  assert.deepEqual(readdirSync(folder), []);
});

/** The engine child of a CLI process (sharpen runs there), found through /proc. */
function engineChild(cliPid: number): number | null {
  try {
    const children = readFileSync(`/proc/${cliPid}/task/${cliPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return children.find((pid) => /engine\/service\/entry\.ts|engine-service\.js/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) ?? null;
  } catch {
    return null;
  }
}

test('the engine child crashing (killed) fails the job: exit 6, a clear message, no output file', async () => {
  let killed: number | null = null;
  const { status, stderr, folder } = await sharpenAndInterrupt('crash', (child) => {
    killed = engineChild(child.pid!);
    if (killed) process.kill(killed, 'SIGKILL');
    return killed !== null;
  });
  assert.ok(killed, `found the engine child (stderr: ${stderr})`);
  assert.equal(status, 6, stderr);
  assert.match(stderr, /panforge sharpen: the engine process stopped unexpectedly \(killed by SIGKILL\) while sharpening into .*out\.tif; no output was kept/);
  assert.deepEqual(readdirSync(folder), []);
});
