// The opt-in CUDA set-up fetches the pinned provider package, checks it, and installs the two libraries.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { tempFolder } from '../main/engine/testing/temp-folder.ts';
import { installCudaProvider, PROVIDER_FILES } from './setup-cuda.ts';

test('setup:cuda installs the checked CUDA provider libraries into the target folder', () => {
  const target = tempFolder('cuda');
  const lines: string[] = [];
  const installed = installCudaProvider(target, (l) => lines.push(l));
  assert.equal(installed.length, PROVIDER_FILES.length);
  for (const path of installed) {
    assert.ok(statSync(path).size > 10_000, path);
    // ELF shared objects
    assert.deepEqual([...readFileSync(path).subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46]);
  }
  assert.ok(lines.some((l) => /checksum ok/.test(l)));
  const sha = createHash('sha256').update(readFileSync(installed[1]!)).digest('hex');
  assert.match(sha, /^[0-9a-f]{64}$/);
});
