// The page under test, whichever app serves it: the browser-mode host started by global-setup.ts (default), or
// the Electron app through Playwright's _electron when PANFORGE_E2E_ELECTRON=1 (needs an Electron binary and the
// built main entry, PANFORGE_E2E_ELECTRON_MAIN [default dist/main/app/main.js]). Worker-scoped, so the serial
// journey keeps one page. Page errors and console errors are collected: the journey ends by asserting none.
import { _electron, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface AppUnderTest {
  readonly page: Page;
  readonly mode: 'browser' | 'electron';
  /** Where exports land (the host's --export-dir; passed to Electron as the same flag). */
  readonly exportDir: string;
  /** Errors the page reported (uncaught exceptions, console.error). */
  readonly pageErrors: string[];
}

function watchErrors(page: Page, into: string[]): void {
  page.on('pageerror', (e) => into.push(`pageerror: ${e.message}`));
  // A resource load the page itself cancelled (a tile read dropped on zoom) is not an error of the app; Chromium may
  // still log "Failed to load resource" for it, before or after reporting the abort.
  const aborted = new Set<string>();
  const loadErrors = new Map<string, string>();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = `console.error: ${m.text()}`;
    const url = m.location().url;
    if (/^Failed to load resource/.test(m.text()) && url) {
      if (aborted.has(url)) return;
      loadErrors.set(url, text);
    }
    into.push(text);
  });
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') return;
    aborted.add(r.url());
    const text = loadErrors.get(r.url());
    if (text === undefined) return;
    const at = into.lastIndexOf(text);
    if (at >= 0) into.splice(at, 1);
  });
}

export const test = base.extend<object, { app: AppUnderTest }>({
  app: [
    // Chromium is launched here, not through the `browser` fixture, so an Electron run never starts it.
    async ({ playwright, launchOptions, headless }, use) => {
      const exportDir = process.env.PANFORGE_E2E_EXPORT_DIR;
      if (!exportDir) throw new Error('PANFORGE_E2E_EXPORT_DIR is unset: run through e2e/playwright.config.ts (its global setup sets it)');
      const pageErrors: string[] = [];
      if (process.env.PANFORGE_E2E_ELECTRON === '1') {
        const main = resolve(root, process.env.PANFORGE_E2E_ELECTRON_MAIN ?? 'dist/main/app/main.js');
        let app: ElectronApplication | null = null;
        try {
          app = await _electron.launch({
            args: [
              main,
              '--allow',
              process.env.PANFORGE_E2E_SHARED_DATA!,
              '--allow',
              process.env.PANFORGE_E2E_SCENES!,
              '--export-dir',
              exportDir,
              '--user-data',
              process.env.PANFORGE_E2E_USER_DATA!,
            ],
            cwd: root,
          });
          const page = await app.firstWindow();
          await page.setViewportSize({ width: 1400, height: 900 });
          watchErrors(page, pageErrors);
          await use({ page, mode: 'electron', exportDir, pageErrors });
        } finally {
          await app?.close();
        }
        return;
      }
      const url = process.env.PANFORGE_E2E_URL;
      if (!url) throw new Error('PANFORGE_E2E_URL is unset: the global setup did not start the host');
      const browser = await playwright.chromium.launch({ ...launchOptions, headless });
      try {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        const page = await context.newPage();
        watchErrors(page, pageErrors);
        await page.goto(url);
        await use({ page, mode: 'browser', exportDir, pageErrors });
      } finally {
        await browser.close();
      }
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
export const artifactsDir = join(root, 'e2e/artifacts');
