import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeExportName } from './export-name.ts';

test('export names lose folders and odd characters and end in .tif', () => {
  assert.equal(safeExportName('brovey run.tif'), 'brovey_run.tif');
  assert.equal(safeExportName('../../etc/passwd'), 'passwd.tif');
  assert.equal(safeExportName('..'), 'export.tif');
  assert.equal(safeExportName('a/b\\c:d.TIF'), 'b_c_d.tif');
});
