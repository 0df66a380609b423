// The host's command line as the e2e global setup uses it: the printed URL line, exit codes, and a clean stop.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempFolder } from '../engine/testing/temp-folder.ts';

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
const root = tempFolder('host-main');

test('bad arguments exit 2 with the reason and the usage', () => {
  for (const [args, message] of [
    [[], /give at least one --allow/],
    [['--allow', join(root, 'missing')], /allowed path .*missing does not exist/],
    [['--allow', root, '--port', 'x'], /--port x: expected an integer/],
    [['--allow', root, '--bogus'], /Unknown option '--bogus'/],
    [['--allow', root, '--cache-max-gib', '0'], /--cache-max-gib 0: expected a number > 0/],
    [['--allow', root, '--cache-max-days', 'soon'], /--cache-max-days soon: expected a number > 0/],
  ] as const) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args, '--user-data', join(root, 'ud')], { encoding: 'utf8' });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /usage: npm run host/);
  }
});

test('prints PANFORGE_HOST_URL, serves with its token only, and stops on SIGTERM', async () => {
  mkdirSync(join(root, 'scenes'), { recursive: true });
  mkdirSync(join(root, 'renderer'));
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html><title>test page</title>');
  const args = [
    '--allow',
    join(root, 'scenes'),
    '--export-dir',
    join(root, 'exports'),
    '--user-data',
    join(root, 'ud'),
    '--renderer-dir',
    join(root, 'renderer'),
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^PANFORGE_HOST_URL=(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64})$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before printing the URL: ${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    assert.equal((await fetch(url.replace(/\?token=.*/, ''))).status, 403);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /test page/);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
});
