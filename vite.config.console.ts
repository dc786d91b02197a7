import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console SPA (Preact) builds to dist/console/web. It is not dist/console itself because
// `tsc -p tsconfig.build.json` writes the Node side (src/console/index.ts) to dist/console/, and
// Vite empties its outDir; a sibling folder keeps both builds independent.
// Preact's JSX goes through esbuild's automatic runtime, so no Preact Vite plugin is needed.
const root = fileURLToPath(new URL('./src/console/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/console/web', import.meta.url));

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 300,
  },
  server: {
    // `npx vite -c vite.config.console.ts` proxies the API to a running engine.
    proxy: {
      '/api': process.env.LOOM_API_URL ?? 'http://127.0.0.1:8080',
      '/healthz': process.env.LOOM_API_URL ?? 'http://127.0.0.1:8080',
    },
  },
});
