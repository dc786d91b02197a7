import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loom } from '../support/cli.js';

describe('loom migrate and loom backup', () => {
  it('migrates a new data dir once, then reports it up to date; backs it up to a file SQLite opens', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-cli-store-'));
    const data = path.join(dir, 'data');
    const first = await loom(['migrate', '--data', data], {});
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^applied 001_init/);
    const second = await loom(['migrate', '--data', data], {});
    expect(second.stdout).toMatch(/up to date/);

    const target = path.join(dir, 'backup.db');
    const backup = await loom(['backup', target, '--data', data], {});
    expect(backup.code).toBe(0);
    expect(existsSync(target)).toBe(true);
    const copy = new Database(target, { readonly: true });
    const tables = copy.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    copy.close();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['messages', 'schema_migrations']));
  });

  it('a broken config exits 2 naming the file and line', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-cli-store-'));
    const file = path.join(dir, 'loom.config.yaml');
    writeFileSync(file, 'version: 1\nchannels:\n  - name: Bad Name\n');
    const run = await loom(['migrate', '--config', file], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/loom\.config\.yaml:3/);
  });

  it('backup without a file is a usage error (exit 1)', async () => {
    expect((await loom(['backup'], {})).code).toBe(1);
  });
});
