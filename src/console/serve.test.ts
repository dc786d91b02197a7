import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleAssetsDir, serveConsole } from './index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function builtAssets(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'loom-console-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Loom console</title>');
  writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(path.join(dir, '..', `${path.basename(dir)}-secret.txt`), 'outside');
  return dir;
}

describe('serveConsole', () => {
  it('serves files with their content types and caches hashed assets', async () => {
    const app = serveConsole({ assetsDir: builtAssets() });
    const js = await app.request('/assets/index-abc.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await js.text()).toBe('console.log(1)');
    const css = await app.request('/assets/index-abc.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const index = await app.request('/');
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('Loom console');
  });

  it('falls back to index.html for app paths but 404s a missing asset', async () => {
    const app = serveConsole({ assetsDir: builtAssets() });
    const deep = await app.request('/messages/01J123');
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('Loom console');
    const missing = await app.request('/assets/gone-123.js');
    expect(missing.status).toBe(404);
  });

  it('never serves files outside the assets folder', async () => {
    const dir = builtAssets();
    const app = serveConsole({ assetsDir: dir });
    for (const p of [`/../${path.basename(dir)}-secret.txt`, `/%2e%2e/${path.basename(dir)}-secret.txt`]) {
      const res = await app.request(p);
      expect(await res.text()).not.toContain('outside');
    }
  });

  it('answers 503 with the fix when the console is not built', async () => {
    const app = serveConsole({ assetsDir: path.join(tmpdir(), 'loom-console-does-not-exist') });
    const res = await app.request('/');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('console not built: run <code>npm run build</code>');
  });

  it('works mounted under a base path next to other routes', async () => {
    const app = new Hono();
    app.get('/api/v1/x', (c) => c.json({ ok: true }));
    app.route('/console', serveConsole({ assetsDir: builtAssets(), basePath: '/console' }));
    expect((await app.request('/api/v1/x')).status).toBe(200);
    const js = await app.request('/console/assets/index-abc.js');
    expect(js.status).toBe(200);
    expect(await js.text()).toBe('console.log(1)');
  });

  it('locates the assets under the package root', () => {
    const repoRoot = path.resolve(import.meta.dirname, '..', '..');
    expect(consoleAssetsDir()).toBe(path.join(repoRoot, 'dist', 'console', 'web'));
  });
});

describe('serveConsole and the API prefixes', () => {
  it('answers problem+json 404 for unknown API paths instead of the SPA page', async () => {
    const app = serveConsole({ assetsDir: builtAssets() });
    for (const p of ['/api/v1/alerts', '/fhir/R4/Patient', '/healthz']) {
      const res = await app.request(p);
      expect(res.status, p).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(((await res.json()) as { code: string }).code).toBe('http.route.not-found');
    }
    // A page whose name merely starts like a prefix is still an app path.
    expect((await app.request('/apiary')).status).toBe(200);
  });
});
