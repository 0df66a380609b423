// The utilityProcess transport, driven by a UtilityProcess look-alike over child_process.fork (the engine entry
// speaks to both), against the real engine service.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { test } from 'node:test';
import { EngineClient } from '../engine/service/engine-client.ts';
import { ENGINE_ENTRY } from '../engine/service/fork-engine.ts';
import type { UtilityProcessChildLike, UtilityProcessLike } from './electron-surface.ts';
import { utilityEngine } from './engine-process.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('calls and replies go through the utility transport, and a fresh engine starts after the process dies', async () => {
  const forks: { path: string; env: Record<string, string | undefined> | undefined; pid: number | undefined }[] = [];
  const utilityProcess: UtilityProcessLike = {
    fork: (path, args, options) => {
      const child = fork(path, args ?? [], {
        execArgv: ['--import', 'tsx'],
        env: options?.env,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
      });
      forks.push({ path, env: options?.env, pid: child.pid });
      const like: UtilityProcessChildLike = {
        pid: child.pid,
        postMessage: (m) => void child.send(m as never),
        on: (event: 'message' | 'exit', listener: (x: never) => void) => {
          // child_process says exit (code, signal); utilityProcess says exit (code).
          if (event === 'message') child.on('message', (m) => listener(m as never));
          else child.on('exit', (code) => listener((code ?? -1) as never));
          return like;
        },
        kill: () => child.kill(),
      };
      return like;
    },
  };
  const client = new EngineClient({
    start: () => utilityEngine(utilityProcess, { entryPath: ENGINE_ENTRY, env: { ...process.env, PANFORGE_TEST_MARK: 'x' } }),
  });
  try {
    const methods = await client.call('methodsList', {});
    assert.ok(methods.ok && methods.value.some((m) => m.id === 'brovey'));
    assert.equal(forks.length, 1);
    assert.equal(forks[0]!.path, ENGINE_ENTRY);
    assert.equal(forks[0]!.env?.PANFORGE_TEST_MARK, 'x');
    process.kill(forks[0]!.pid!, 'SIGKILL');
    // Wait for the exit to be seen (the client drops the dead transport), then the next call starts a fresh engine.
    while (isAlive(forks[0]!.pid!)) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    const again = await client.call('methodsList', {});
    assert.ok(again.ok, 'a fresh engine answers after the crash');
    assert.equal(forks.length, 2);
  } finally {
    client.stop();
  }
});
