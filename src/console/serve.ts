import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import { consoleAssetsDir, contentTypeOf } from './assets.js';

export interface ServeConsoleOptions {
  /** Folder holding the built console (index.html, assets/); default `consoleAssetsDir()`. */
  assetsDir?: string;
  /** Path the sub-app is mounted at (`app.route('/console', ...)` → `'/console'`); default none. */
  basePath?: string;
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Loom console not built</title>
<style>body{font:14px system-ui,sans-serif;margin:48px;color:#1f2933}code{background:#eef1f4;padding:2px 6px;border-radius:3px}</style>
</head><body><h1>Loom console not built</h1>
<p>console not built: run <code>npm run build</code> (it runs <code>vite build -c vite.config.console.ts</code>), then reload.</p>
<p>The API is unaffected: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>, <a href="/healthz">/healthz</a>.</p>
</body></html>`;

/** Paths owned by the engine's HTTP API (DESIGN.md "Contracts users rely on"). */
const API_PREFIXES = ['/api', '/fhir', '/metrics', '/healthz', '/readyz'];

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/**
 * A Hono sub-app serving the built console: static files with their content types, hashed
 * `assets/*` cached for a year, and every other extension-less path falling back to index.html
 * (SPA), except under the API's prefixes (`/api`, `/fhir`, `/metrics`, `/healthz`,
 * `/readyz`), which answer a problem+json 404. Without a build it answers 503 with "console not built: run npm run build".
 * Mount it after the API routes so `/api/*` keeps its own 404s.
 *
 * @example
 * app.route('/', serveConsole());
 */
export function serveConsole(options: ServeConsoleOptions = {}): Hono {
  const root = path.resolve(options.assetsDir ?? consoleAssetsDir());
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  const app = new Hono();

  app.get('*', async (c) => {
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(c.req.url).pathname);
      if (base && rel.startsWith(base)) rel = rel.slice(base.length) || '/';
    } catch {
      return c.text('bad path encoding', 400);
    }
    // The API's own prefixes never fall back to the SPA: an unknown API route must stay a 404
    // that API clients (and the console itself) can recognise, not a 200 HTML page.
    if (API_PREFIXES.some((p) => rel === p || rel.startsWith(`${p}/`))) {
      const problem = { type: 'about:blank', title: 'Not Found', status: 404, code: 'http.route.not-found', detail: `no route ${rel}` };
      return c.body(JSON.stringify(problem), 404, { 'content-type': 'application/problem+json' });
    }
    const index = path.join(root, 'index.html');
    if (!(await isFile(index))) {
      return c.html(NOT_BUILT, 503, { 'cache-control': 'no-store' });
    }
    // Resolve inside root only: `..` segments cannot climb out of the assets folder.
    const file = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`);
    if (file.startsWith(root + path.sep) && (await isFile(file))) {
      const hashed = file.startsWith(path.join(root, 'assets') + path.sep);
      return c.body(await readFile(file), 200, {
        'content-type': contentTypeOf(file),
        'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    }
    // A missing file with an extension is a broken asset link: 404, not HTML in its place.
    if (path.posix.extname(rel) !== '') return c.text(`not found: ${rel}`, 404);
    return c.body(await readFile(index), 200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
    });
  });
  return app;
}
