// Builds the renderer (run as `vite build renderer`: this folder is the root, output in renderer/dist/).
// `base: './'` keeps every asset URL relative, so the same bundle works from Electron's custom protocol and from
// the browser-mode host's `/`, whose query carries the token.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // OpenLayers + chart.js make one large chunk; that is fine for a local app.
    chunkSizeWarningLimit: 2500,
    // On a busy machine the bundler's "plugin took N s" timing notes are noise, not warnings about our code.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: { host: '127.0.0.1' },
});
