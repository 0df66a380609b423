// Scenes as analysts get them (synthetic, written by global-setup.ts; e2e/synthetic-scenes.ts): a geographic CRS,
// an MS the app must resample (float reflectance shifted by half a pixel), ratio 2 with the MS half an MS pixel
// off, a near-integer ratio, 8 unnamed bands without SENSOR. Each is opened, sharpened (GSA, full scene), measured
// (metrics row and spectral distortion map), inspected and exported, asserting what the user sees. Screenshots go to
// e2e/artifacts/scene-*.png.
import gdal from 'gdal-async';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from '@playwright/test';
import { artifactsDir, expect, test } from './app-fixture.ts';
import { submitExport } from './export-dialog.ts';
import { syntheticFiles, type SyntheticCase } from './synthetic-scenes.ts';

test.describe.configure({ mode: 'serial' });
mkdirSync(artifactsDir, { recursive: true });
const scenes = process.env.PANFORGE_E2E_SCENES ?? '';

/** Opens a synthetic scene and waits until it is drawn; its title names the PAN file and, when given, `title`. */
async function openScene(page: Page, name: SyntheticCase, title?: string): Promise<void> {
  const files = syntheticFiles(scenes, name);
  if (!(await page.getByTestId('open-pan').isVisible())) await page.locator('#scene-section > summary').click();
  await page.getByTestId('open-pan').fill(files.panPath);
  await page.getByTestId('open-ms').fill(files.msPath);
  await page.getByTestId('open-submit').click();
  await expect(page.getByTestId('scene-title')).toContainText(basename(files.panPath), { timeout: 60_000 });
  await expect(page.getByTestId('layer-row')).toHaveCount(2);
  await expect(page.getByTestId('map')).toHaveAttribute('data-render', 'complete', { timeout: 60_000 });
  if (title !== undefined) await expect(page.getByTestId('scene-title')).toContainText(title);
}

/** Runs GSA on the full scene and waits for its row to be done (failing with the row's text otherwise). */
async function runGsa(page: Page): Promise<void> {
  for (const box of await page.locator('[data-testid=method-list] input[type=checkbox]:not([disabled])').all())
    await box.setChecked((await box.getAttribute('value')) === 'gsa');
  await page.getByTestId('run-device').selectOption('cpu');
  const before = await page.locator('[data-testid=job-row][data-method=gsa][data-state=done]').count();
  await page.getByTestId('run-start').click();
  await expect
    .poll(
      async () => {
        const failed = page.locator('[data-testid=job-row][data-method=gsa][data-state=failed]');
        if ((await failed.count()) > 0) throw new Error(`gsa failed: ${await failed.first().innerText()}`);
        return page.locator('[data-testid=job-row][data-method=gsa][data-state=done]').count();
      },
      { timeout: 60_000 },
    )
    .toBe(before + 1);
  await expect(page.locator('[data-testid=layer-row][data-kind=output]')).toHaveCount(1);
}

/** Computes metrics: one row, status ok, QNR in (0.5, 1]; and the run's spectral distortion layer. */
async function metricsAndQualityMap(page: Page): Promise<void> {
  await page.getByTestId('metrics-compute').click();
  await expect(page.getByTestId('metrics-row')).toHaveCount(1, { timeout: 60_000 });
  const header = await page.locator('[data-testid=metrics-table] th').allInnerTexts();
  const qnrColumn = header.findIndex((h) => h.startsWith('QNR'));
  expect(qnrColumn, `a QNR column in ${header.join(' | ')} (not a failed note: ${await page.getByTestId('metrics-row').innerText()})`).toBeGreaterThan(0);
  const qnr = Number(await page.getByTestId('metrics-row').locator('td').nth(qnrColumn).innerText());
  expect(qnr).toBeGreaterThan(0.5);
  expect(qnr).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('metrics-window')).toHaveText(/^\d+² of \d+(²|×\d+)$/);
  await expect(page.locator('[data-testid=layer-row][data-kind=quality]')).toHaveCount(1, { timeout: 60_000 });
}

/** GSA on the full scene, then its metrics and quality map. */
async function sharpenAndMeasure(page: Page): Promise<void> {
  await runGsa(page);
  await metricsAndQualityMap(page);
}

/** Clicks the map centre; returns the inspector's header text and the output row's values. */
async function inspectCentre(page: Page): Promise<{ where: string; values: string[] }> {
  const box = (await page.getByTestId('map').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const output = page.getByTestId('inspector-row').filter({ hasText: /gsa/i });
  await expect(output).toHaveCount(1);
  return { where: await page.getByTestId('inspector-where').innerText(), values: (await output.locator('td').allInnerTexts()).slice(1) };
}

/** Exports the GSA output (full raster, source type) and returns the written path. */
async function exportGsa(page: Page): Promise<string> {
  const gsa = (await page.locator('[data-testid=layer-row][data-kind=output]').first().getAttribute('data-layer-id'))!;
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-layer').selectOption(gsa);
  await page.getByTestId('export-datatype').selectOption('source');
  await page.getByTestId('export-extent-full').check();
  const path = await submitExport(page);
  await page.getByTestId('export-close').click();
  return path;
}

test('a geographic (EPSG:4326) scene: degrees and metres, 7-decimal coordinates, drawn in UTM, export keeps EPSG:4326', async ({ app }) => {
  const { page } = app;
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await openScene(page, 'geographic');
  // 4.5e-6° of longitude at 31.24° N is 0.429 m on WGS 84; of latitude 0.499 m.
  await expect(page.getByTestId('scene-title')).toContainText('0.0000045° ≈ 0.429 × 0.499 m PAN (at the centre)');
  await expect(page.locator('#crs-label')).toContainText('WGS 84 (EPSG:4326) · drawn in UTM');
  await expect(page.locator('#crs-label')).toHaveAttribute('title', /UTM zone 51N \(EPSG:32651\)/);
  await expect(page.getByTestId('status-text')).toContainText('EPSG:4326 is geographic: drawn in UTM zone 51N');
  const box = (await page.getByTestId('map').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const [lon, lat] = (await page.getByTestId('mouse-position').innerText()).split(',').map((v) => v.trim());
  expect(lon).toMatch(/^121\.75\d{5}$/);
  expect(lat).toMatch(/^31\.23\d{5}$/);
  // Drawn in UTM the square-pixel scene is about 0.43 / 0.50 as wide as it is tall on screen.
  await page.screenshot({ path: join(artifactsDir, 'scene-geographic.png') });
  await sharpenAndMeasure(page);
  const inspected = await inspectCentre(page);
  expect(inspected.where).toMatch(/^lon 121\.75\d{5}°, lat 31\.23\d{5}°$/);
  const out = await exportGsa(page);
  expect(basename(out)).toMatch(/^geographic-GSA/i);
  const ds = gdal.open(out);
  const pan = gdal.open(syntheticFiles(scenes, 'geographic').panPath);
  try {
    expect(ds.srs?.isSame(pan.srs!)).toBe(true);
    expect(ds.geoTransform![1]).toBeCloseTo(0.0000045, 12);
  } finally {
    ds.close();
    pan.close();
  }
});

test('another scene opened: the inspector forgets the previous one', async ({ app }) => {
  const { page } = app;
  await expect(page.getByTestId('inspector-row')).not.toHaveCount(0);
  await openScene(page, 'float-offset');
  await expect(page.getByTestId('inspector-row')).toHaveCount(0);
  await expect(page.getByTestId('inspector-where')).toHaveText('Click the map to read pixel values.');
});

test('float reflectance whose MS is half a pixel off: resampled with a note, labelled float, metrics and map work', async ({ app }) => {
  const { page } = app;
  await expect(page.getByTestId('status-text')).toContainText('pixels are not aligned with PAN pixels; it is resampled (cubic)');
  await expect(page.getByTestId('scene-title')).toContainText('float reflectance');
  await sharpenAndMeasure(page);
  const inspected = await inspectCentre(page);
  for (const v of inspected.values) expect(Number(v)).toBeLessThan(1.5);
  await expect(page.getByTestId('profile-chart')).toBeVisible();
  await page.screenshot({ path: join(artifactsDir, 'scene-float-offset.png') });
});

test('ratio 2 with the MS half an MS pixel off: metrics and the quality map', async ({ app }) => {
  const { page } = app;
  await openScene(page, 'ratio2', 'ratio 2');
  await sharpenAndMeasure(page);
  await page.screenshot({ path: join(artifactsDir, 'scene-ratio2.png') });
});

test('a near-integer ratio (0.498 m / 2.0 m, 4:1 pixel counts) opens, resampled with a message that is not cut off', async ({ app }) => {
  const { page } = app;
  await openScene(page, 'near-ratio', 'ratio 4');
  const status = page.getByTestId('status-text');
  await expect(status).toContainText('is 4.0161 PAN pixels (PAN 0.498), not exactly 4; it is resampled (cubic)');
  // The whole message is on screen: the status line wraps instead of clipping.
  expect(await status.evaluate((n) => n.scrollWidth <= n.clientWidth + 1)).toBe(true);
  await sharpenAndMeasure(page);
  await page.screenshot({ path: join(artifactsDir, 'scene-near-ratio.png') });
});

test('8 bands without names or SENSOR: guessed order marked, true colour from it; the WorldView-3 preset sets sensor and names', async ({ app }) => {
  const { page } = app;
  await openScene(page, 'eight-unnamed', 'unknown sensor');
  await expect(page.getByTestId('layout-panel')).toBeVisible();
  await expect(page.getByTestId('layout-guess')).toHaveText('guess');
  await expect(page.getByTestId('layout-summary')).toContainText('Sensor unknown: the file names none. Bands guessed from the band count');
  await expect(page.getByTestId('layout-band-4')).toHaveValue('Red');
  // The MS layer's true colour comes from the guessed names: R = band 5, G = 3, B = 2.
  const ms = page.locator('[data-testid=layer-row][data-kind=ms]');
  await ms.locator('.layer-name').click();
  await expect(ms.getByTestId('layer-combo')).toHaveValue('true-colour');
  await page.screenshot({ path: join(artifactsDir, 'scene-eight-unnamed-guess.png') });
  await page.getByTestId('layout-preset').selectOption('worldview-3');
  await expect(page.getByTestId('layout-sensor')).toHaveValue('WorldView-3');
  await page.getByTestId('layout-apply').click();
  await expect(page.getByTestId('scene-title')).toContainText('WorldView-3 · ratio 4');
  await expect(page.getByTestId('layout-summary')).toContainText('Sensor WorldView-3 (set by you). Bands set by you.');
  await expect(page.getByTestId('layout-guess')).toHaveCount(0);
  await page.locator('#layout-section > summary').click(); // closed: room for the runs
  await sharpenAndMeasure(page);
  await expect(page.getByTestId('metrics-row').locator('td').first()).toHaveAttribute('title', /sensor MTF: WorldView-3/);
  const out = await exportGsa(page);
  expect(basename(out)).toMatch(/^eight-unnamed-gsa/);
  const ds = gdal.open(out);
  try {
    expect(Array.from({ length: 8 }, (_, i) => ds.bands.get(i + 1).description)).toEqual([
      'Coastal',
      'Blue',
      'Green',
      'Yellow',
      'Red',
      'RedEdge',
      'NIR1',
      'NIR2',
    ]);
  } finally {
    ds.close();
  }
  await page.screenshot({ path: join(artifactsDir, 'scene-eight-unnamed-worldview3.png') });
});

test('the shared WorldView-2 scene: sensor and band names from its files, not guesses; true colour from them', async ({ app }) => {
  const { page } = app;
  const data = process.env.PANFORGE_E2E_SHARED_DATA!;
  if (!(await page.getByTestId('open-pan').isVisible())) await page.locator('#scene-section > summary').click();
  await page.getByTestId('open-pan').fill(join(data, 'wv2_washington_pan.tif'));
  await page.getByTestId('open-ms').fill(join(data, 'wv2_washington_ms.tif'));
  await page.getByTestId('open-submit').click();
  await expect(page.getByTestId('scene-title')).toHaveText('WorldView-2 · ratio 4 · 0.5 m PAN · 11-bit DN · wv2_washington_pan.tif', { timeout: 60_000 });
  await expect(page.getByTestId('layout-panel')).toBeHidden(); // nothing guessed: the section stays closed
  await page.locator('#layout-section > summary').click();
  await expect(page.getByTestId('layout-summary')).toHaveText('Sensor WorldView-2 (from the metadata). Bands from the band descriptions.');
  await expect(page.getByTestId('layout-guess')).toHaveCount(0);
  const ms = page.locator('[data-testid=layer-row][data-kind=ms]');
  await ms.locator('.layer-name').click();
  await expect(ms.getByTestId('layer-combo')).toHaveValue('true-colour');
  await expect(page.getByTestId('map')).toHaveAttribute('data-render', 'complete', { timeout: 60_000 });
  await page.screenshot({ path: join(artifactsDir, 'scene-wv2-shared.png') });
  await page.locator('#layout-section > summary').click();
});
