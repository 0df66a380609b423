// "Which method is best here?" and "Adapt to this scene" on the real IKONOS scene: the self-check ranks every
// method (table + bar chart + what the numbers mean) and checks its winner in the Runs panel; then PreMix runs
// adapted on a preview of the view, and its row says what the adaptation did. Screenshots in e2e/artifacts/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir, expect, test } from './app-fixture.ts';
import { msPath, panPath, premixModel } from './ikonos-scene.ts';

test.describe.configure({ mode: 'serial' });
// The page is shared with the specs before this one (the journey provokes one error on purpose): count from here.
let errorsBefore = 0;
test.beforeAll(({ app }) => {
  errorsBefore = app.pageErrors.length;
});
mkdirSync(artifactsDir, { recursive: true });

test('the self-check ranks the methods, explains the numbers and preselects the winner', async ({ app }) => {
  // Every installed method runs on the scene's degraded windows (about 1.5 min for 3 networks on 2 busy cores).
  test.setTimeout(420_000);
  const { page } = app;
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  // After the journey (same page) the scene section is folded once a scene is open.
  if (!(await page.getByTestId('open-pan').isVisible())) await page.locator('#scene-section > summary').click();
  await page.getByTestId('open-pan').fill(panPath);
  await page.getByTestId('open-ms').fill(msPath);
  await page.getByTestId('open-submit').click();
  await expect(page.getByTestId('scene-title')).toContainText('IKONOS', { timeout: 90_000 });
  const run = page.getByTestId('recommend-run');
  await expect(run).toBeEnabled();
  await run.click();
  await expect(page.getByTestId('recommend-busy')).toBeVisible();
  const pick = page.getByTestId('recommend-pick');
  await expect(pick).toBeVisible({ timeout: 360_000 });
  const rows = page.getByTestId('recommend-row');
  const names = await rows.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-name') ?? ''));
  for (const baseline of ['exp', 'brovey', 'gsa', 'mtf-glp']) expect(names).toContain(baseline);
  // Each installed network appears with and without adaptation.
  const networks = await page
    .locator('[data-testid=method-list] label.method')
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-method') ?? '').filter((m) => !['exp', 'brovey', 'gsa', 'mtf-glp'].includes(m)));
  for (const n of networks) {
    expect(names).toContain(n);
    expect(names).toContain(`${n} --adapt`);
  }
  // Ranked by ERGAS (third column), best first, and the pick is the first row.
  const ergas = await rows.evaluateAll((nodes) => nodes.map((n) => Number(n.children[2]!.textContent)));
  for (let i = 1; i < ergas.length; i++) expect(ergas[i]).toBeGreaterThanOrEqual(ergas[i - 1]!);
  expect(await pick.locator('strong').innerText()).toBe(names[0]);
  await expect(page.getByTestId('recommend-result')).toContainText('reduced-resolution proxy');
  await expect(page.getByTestId('recommend-result')).toContainText('QNR and HQNR');
  // QNR/HQNR for the top methods only.
  const frCells = await rows.evaluateAll((nodes) => nodes.map((n) => n.children[5]!.textContent));
  expect(frCells[0]).not.toBe('–');
  await expect(page.getByTestId('recommend-chart')).toBeVisible();
  // The winner is checked in the Runs panel, alone, with the adapt option as recommended.
  const method = (await pick.getAttribute('data-method'))!;
  const adapt = (await pick.getAttribute('data-adapt')) === 'true';
  await expect(page.getByTestId(`method-${method}`)).toBeChecked();
  await expect(page.locator('[data-testid=method-list] input[type=checkbox]:checked')).toHaveCount(1);
  if (adapt) await expect(page.getByTestId('run-adapt')).toBeChecked();
  else await expect(page.getByTestId('run-adapt')).not.toBeChecked();
  await page.getByTestId('recommend-panel').screenshot({ path: join(artifactsDir, '20-recommend.png') });
});

test('a network runs adapted to the scene and its row says what adaptation did', async ({ app }) => {
  test.skip(!existsSync(premixModel), `${premixModel} is absent`);
  test.setTimeout(240_000);
  const { page } = app;
  for (const box of await page.locator('[data-testid=method-list] input[type=checkbox]:not([disabled])').all()) {
    await box.setChecked((await box.getAttribute('value')) === 'premix');
  }
  await page.getByTestId('run-adapt').setChecked(true);
  await page.getByTestId('run-device').selectOption('cpu');
  await page.getByTestId('run-tile-size').fill('512');
  await page.getByTestId('zoom-scene').click();
  await page.locator('.ol-zoom-in').click();
  await page.locator('.ol-zoom-in').click();
  await page.waitForTimeout(600);
  const before = await page.locator('[data-testid=job-row][data-method=premix]').count();
  await page.getByTestId('run-preview').click();
  await expect(page.locator('[data-testid=job-row][data-method=premix]')).toHaveCount(before + 1);
  const row = page.locator('[data-testid=job-row][data-method=premix]').first();
  await expect(row).toHaveAttribute('data-state', 'done', { timeout: 200_000 });
  await expect(row.getByTestId('job-adapt')).toHaveText(/^(adapted|not adapted)$/);
  await expect(row.getByTestId('job-adaptation')).toContainText(/held-back/);
  expect(app.pageErrors.slice(errorsBefore)).toEqual([]);
});
