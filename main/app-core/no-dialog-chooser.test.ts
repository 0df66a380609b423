import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { noDialogChooser } from './no-dialog-chooser.ts';

test('no scene dialogs; export paths are fresh files inside the export folder', async () => {
  const dir = tempFolder('no-dialog-chooser');
  const chooser = noDialogChooser(dir);
  assert.equal(await chooser.chooseSceneFiles(), null);
  assert.equal(await chooser.chooseSceneFolder(), null);
  assert.equal(await chooser.chooseExportPath('out.tif'), join(dir, 'out.tif'));
  writeFileSync(join(dir, 'out.tif'), '');
  writeFileSync(join(dir, 'out-2.tif'), '');
  assert.equal(await chooser.chooseExportPath('out.tif'), join(dir, 'out-3.tif'));
});
