// The child host: the child leads its own process group, a kill takes the whole group (grandchildren too), the
// exit is described, and cleanup runs with the child's pid before the exit is reported.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempFolder } from '../testing/temp-folder.ts';
import { startChild } from './child-host.ts';

const root = tempFolder('child-host');

/** Running (a zombie waiting for a reaper that may never come, as in a container, counts as gone). */
function isAlive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

test('kill ends the child and what it started; cleanup runs with its pid, then the exit is reported', async () => {
  const entry = join(root, 'spawns.mjs');
  // Starts a grandchild that would outlive a plain kill of the child, and reports its pid.
  writeFileSync(
    entry,
    "import { spawn } from 'node:child_process'; const g = spawn('sleep', ['60'], { stdio: 'ignore' }); process.send({ grandchild: g.pid });",
  );
  const cleaned: number[] = [];
  const host = startChild({ entry, stdout: 'ignore', cleanup: (pid) => cleaned.push(pid) });
  const grandchild = await new Promise<number>((resolve) => host.onMessage((m) => resolve((m as { grandchild: number }).grandchild)));
  assert.ok(isAlive(grandchild));
  const described: string[] = [];
  host.onExit((d) => described.push(`${d}, cleaned ${cleaned.length}`));
  host.kill();
  assert.equal(await host.exited, 'killed by SIGKILL');
  assert.deepEqual(described, ['killed by SIGKILL, cleaned 1']);
  assert.deepEqual(cleaned, [host.pid]);
  for (let i = 0; i < 50 && isAlive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(!isAlive(grandchild), 'the grandchild went with the group');
});

test('an exit of its own is described by its code; a late onExit listener still hears it', async () => {
  const entry = join(root, 'exits.mjs');
  writeFileSync(entry, 'process.exit(3);');
  const host = startChild({ entry, stdout: 'ignore' });
  assert.equal(await host.exited, 'exit code 3');
  assert.equal(await new Promise<string>((resolve) => host.onExit(resolve)), 'exit code 3');
});
