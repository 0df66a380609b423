import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { hostChooser, safeExportName } from './host-chooser.ts';

test('export names lose folders and odd characters and end in .tif', () => {
  assert.equal(safeExportName('brovey run.tif'), 'brovey_run.tif');
  assert.equal(safeExportName('../../etc/passwd'), 'passwd.tif');
  assert.equal(safeExportName('..'), 'export.tif');
  assert.equal(safeExportName('a/b\\c:d.TIF'), 'b_c_d.tif');
});

test('no scene dialogs; export paths are fresh files inside the export folder', async () => {
  const dir = tempFolder('host-chooser');
  const chooser = hostChooser(dir);
  assert.equal(await chooser.chooseSceneFiles(), null);
  assert.equal(await chooser.chooseSceneFolder(), null);
  assert.equal(await chooser.chooseExportPath('out.tif'), join(dir, 'out.tif'));
  writeFileSync(join(dir, 'out.tif'), '');
  writeFileSync(join(dir, 'out-2.tif'), '');
  assert.equal(await chooser.chooseExportPath('out.tif'), join(dir, 'out-3.tif'));
});
