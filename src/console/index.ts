// Public face of the console module (Node side): where the built SPA lives and how to serve it.
// The SPA source is src/console/web (built by `vite build -c vite.config.console.ts`).
export { consoleAssetsDir, contentTypeOf } from './assets.js';
export { serveConsole, type ServeConsoleOptions } from './serve.js';
