// The end-to-end journey through the real app: the browser-mode host (started by global-setup.ts) with the real
// engine, in Debian's Chromium; or, with PANFORGE_E2E_ELECTRON=1, the same tests through Playwright's _electron.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../test-results/e2e',
  globalSetup: './global-setup.ts',
  // One worker: the journey is one story (serial), and the machine has two busy cores.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      // WebGL without a GPU: ANGLE on SwiftShader (OpenLayers draws the rasters with WebGL).
      args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
