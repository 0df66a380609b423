// The engine's layering rule (eslint.config.js) catches an upward import and names the allowed layers, lets a
// downward one through, and keeps test support out of production modules.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const root = new URL('..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

async function layeringMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('an io module importing the sharpen job is refused, naming the layers it may use', async () => {
  const [message, ...rest] = await layeringMessages('main/engine/io/probe.ts', "import { sharpen } from '../jobs/sharpen.ts';\nexport const x = sharpen;\n");
  assert.equal(rest.length, 0);
  assert.match(message!, /main\/engine\/io may import core, rpc, raster, numeric, dsp, io and preload\/contract; not jobs/);
});

test('a downward import passes, and a test may reach a higher layer', async () => {
  assert.deepEqual(await layeringMessages('main/engine/jobs/probe.ts', "import { openScene } from '../io/open-scene.ts';\nexport const x = openScene;\n"), []);
  assert.deepEqual(await layeringMessages('main/engine/io/probe.test.ts', "import { sharpen } from '../jobs/sharpen.ts';\nexport const x = sharpen;\n"), []);
});

test('core modules import no layer, and production code no test support', async () => {
  assert.equal((await layeringMessages('main/engine/probe.ts', "import { x } from './io/gdal.ts';\nexport const y = x;\n")).length, 1);
  assert.match(
    (await layeringMessages('main/engine/metrics/probe.ts', "import { x } from '../testing/sample-scenes.ts';\nexport const y = x;\n"))[0]!,
    /not testing/,
  );
});
