import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dialogChooser } from './dialog-chooser.ts';
import type { DialogLike, OpenDialogResult, SaveDialogResult } from './electron-surface.ts';

function scriptedDialog(opens: OpenDialogResult[], save: SaveDialogResult) {
  const asked: { title: string; properties?: string[]; defaultPath?: string }[] = [];
  const dialog: DialogLike = {
    showOpenDialog: async (o) => {
      asked.push(o);
      return opens.shift() ?? { canceled: true, filePaths: [] };
    },
    showSaveDialog: async (o) => {
      asked.push(o);
      return save;
    },
  };
  return { dialog, asked };
}

test('files mode asks for PAN then MS; a cancel at either step is null', async () => {
  const ok = scriptedDialog(
    [
      { canceled: false, filePaths: ['/d/a.tif'] },
      { canceled: false, filePaths: ['/d/b.tif'] },
    ],
    { canceled: true },
  );
  assert.deepEqual(await dialogChooser(ok.dialog, () => '/home/u/Documents').chooseSceneFiles(), { panPath: '/d/a.tif', msPath: '/d/b.tif' });
  assert.match(ok.asked[0]!.title, /PAN/);
  assert.match(ok.asked[1]!.title, /MS/);
  const cancelled = scriptedDialog(
    [
      { canceled: false, filePaths: ['/d/a.tif'] },
      { canceled: true, filePaths: [] },
    ],
    { canceled: true },
  );
  assert.equal(await dialogChooser(cancelled.dialog, () => '/tmp').chooseSceneFiles(), null);
});

test('folder mode returns the folder; the save dialog starts in the export folder with a safe name', async () => {
  const s = scriptedDialog([{ canceled: false, filePaths: ['/data/product'] }], { canceled: false, filePath: '/home/u/out.tif' });
  const chooser = dialogChooser(s.dialog, () => '/home/u/Documents');
  assert.equal(await chooser.chooseSceneFolder(), '/data/product');
  assert.deepEqual(s.asked[0]!.properties, ['openDirectory']);
  assert.equal(await chooser.chooseExportPath('../premix run'), '/home/u/out.tif');
  assert.equal(s.asked[1]!.defaultPath, '/home/u/Documents/premix_run.tif');
  const none = scriptedDialog([], { canceled: true });
  assert.equal(await dialogChooser(none.dialog, () => '/tmp').chooseExportPath('x'), null);
});
