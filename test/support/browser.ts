import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Repository root (this file is test/support/browser.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where screenshots go; CI uploads this folder as test artifacts. */
export const artifactsDir = path.join(repoRoot, 'test-artifacts');

/** Flags for Debian's chromium in containers and CI: headless, no sandbox, no background traffic. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Path of a chromium binary: `$CHROMIUM_PATH`, then `chromium` / `chromium-browser` on PATH,
 * then `/usr/bin/chromium`; undefined when none is installed.
 *
 * @example
 * findChromium(); // '/usr/bin/chromium'
 */
export function findChromium(): string | undefined {
  const env = process.env.CHROMIUM_PATH;
  if (env && executable(env)) return env;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found && executable(found)) return found;
    } catch {
      // not on PATH
    }
  }
  return executable('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/**
 * Whether browser tests can run here. Under CI=true a missing chromium is an error (the tests
 * must run, not skip); elsewhere it prints a notice and the caller skips.
 *
 * @example
 * describe.skipIf(!browserAvailable('console e2e'))('console', () => { ... });
 */
export function browserAvailable(suite: string): boolean {
  if (findChromium()) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${suite}: chromium not found but CI=true; install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  process.stdout.write(`[skip] ${suite}: chromium not found (apt-get install chromium, or set CHROMIUM_PATH)\n`);
  return false;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Launch chromium with a fresh temporary user-data-dir and open one page; `close()` removes
 * the profile again.
 *
 * @example
 * const s = await launchBrowser(); await s.page.goto(url); await s.close();
 */
export async function launchBrowser(): Promise<BrowserSession> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('chromium not found (apt-get install chromium, or set CHROMIUM_PATH)');
  const profile = mkdtempSync(path.join(tmpdir(), 'loom-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1440, height: 900 },
    timeout: 30_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Save a full-page screenshot as `test-artifacts/<name>.png` and return its path.
 *
 * @example
 * await screenshot(page, 'console-dashboard');
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
