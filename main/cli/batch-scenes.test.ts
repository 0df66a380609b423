// Scenes for `panforge batch`: folder pairing, CSV/JSON lists, shards that cover every scene exactly once, and
// output names.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { checkPattern, outputName, parseShard, scenesInFolder, scenesInList, shardScenes } from './batch-scenes.ts';

const root = tempFolder('batch-scenes');
const touch = (...parts: string[]) => {
  mkdirSync(join(root, ...parts.slice(0, -1)), { recursive: true });
  writeFileSync(join(root, ...parts), '');
};

test('a folder: subfolders with one pair and file pairs by name; the rest is listed as ignored, not dropped', () => {
  touch('in', 'x_pan.tif');
  touch('in', 'x_ms.tif');
  touch('in', 'y-P1BS.tif');
  touch('in', 'y-M1BS.tif');
  touch('in', 'lonely_pan.tif');
  touch('in', 'z', 'PAN', 'img.tif');
  touch('in', 'z', 'MS', 'img.tif');
  touch('in', 'empty', 'readme.txt');
  const { scenes, ignored } = scenesInFolder(join(root, 'in'));
  assert.deepEqual(
    scenes.map((s) => [s.scene, s.panPath.slice(root.length), s.msPath.slice(root.length)]),
    [
      ['x', '/in/x_pan.tif', '/in/x_ms.tif'],
      ['y', '/in/y-P1BS.tif', '/in/y-M1BS.tif'],
      ['z', '/in/z/PAN/img.tif', '/in/z/MS/img.tif'],
    ],
  );
  assert.equal(ignored.length, 2);
  assert.match(ignored.join('\n'), /empty\/: no PAN\/MS pair/);
  assert.match(ignored.join('\n'), /lonely_pan\.tif: 1 PAN and 0 MS/);
});

test('lists: CSV with a header (quoted fields), JSON; relative to the list; GDAL paths kept; errors name the file', () => {
  writeFileSync(join(root, 'list.csv'), 'scene,pan,ms\n# a comment\nfirst,a/p.tif,a/m.tif\n,"/vsizip//d/b.zip/p,1.tif",/vsizip//d/b.zip/m.tif\n');
  const csv = scenesInList(join(root, 'list.csv')).scenes;
  assert.deepEqual(
    csv.map((s) => [s.scene, s.panPath, s.msPath]),
    [
      ['first', join(root, 'a/p.tif'), join(root, 'a/m.tif')],
      ['p_1', '/vsizip//d/b.zip/p,1.tif', '/vsizip//d/b.zip/m.tif'],
    ],
  );
  writeFileSync(
    join(root, 'list.json'),
    JSON.stringify([
      { pan: 'p.tif', ms: 'm.tif' },
      { pan: 'q/p.tif', ms: 'q/m.tif' },
    ]),
  );
  const json = scenesInList(join(root, 'list.json')).scenes;
  assert.deepEqual(
    json.map((s) => s.scene),
    ['p', 'p-2'],
  ); // same stem: made unique, never two scenes writing one file
  writeFileSync(join(root, 'bad.csv'), 'panchromatic,multi\na,b\n');
  assert.throws(() => scenesInList(join(root, 'bad.csv')), /bad\.csv: the first row must name the columns/);
  writeFileSync(join(root, 'bad.json'), '{"pan": "x"}');
  assert.throws(() => scenesInList(join(root, 'bad.json')), /bad\.json: expected a JSON array/);
});

test('shards: i/n for every n cover each scene exactly once, sizes within one', () => {
  const scenes = Array.from({ length: 23 }, (_, i) => ({ scene: `s${String(i).padStart(2, '0')}`, panPath: '', msPath: '' }));
  for (const n of [1, 2, 3, 7, 23, 40]) {
    const parts = Array.from({ length: n }, (_, i) => shardScenes(scenes, parseShard(`${i + 1}/${n}`)));
    assert.deepEqual(
      parts
        .flat()
        .map((s) => s.scene)
        .sort(),
      scenes.map((s) => s.scene),
    );
    const sizes = parts.map((p) => p.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `n=${n}: ${sizes}`);
  }
  for (const bad of ['0/2', '3/2', '1/0', 'a/b', '1', '-1/2']) assert.throws(() => parseShard(bad), /--shard must be i\/n/);
});

test('output names from the pattern; patterns that would collide are refused', () => {
  const scene = { scene: 'x', panPath: '/d/x_pan.tif', msPath: '/d/x_ms.tif' };
  assert.equal(outputName('{scene}_{method}.tif', scene, 'gsa'), 'x_gsa.tif');
  assert.equal(outputName('{ms}-{method}.tiff', scene, 'exp'), 'x_ms-exp.tiff');
  assert.throws(() => outputName('../{scene}.tif', scene, 'gsa'), /must give a file name inside --out-dir/);
  assert.throws(() => checkPattern('{scene}.tif', ['gsa', 'exp']), /must contain \{method\}/);
  assert.throws(() => checkPattern('{method}.tif', ['gsa']), /must contain \{scene\}/);
  assert.throws(() => checkPattern('{scene}_{algo}.tif', ['gsa']), /unknown placeholder \{algo\}/);
});
