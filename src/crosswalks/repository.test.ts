import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openSqliteStore } from '../store/index.js';
import { openCrosswalkRepository } from './index.js';

// The behaviours on both stores are in test/contract/crosswalk-contract.test.ts; this is SQLite's own.
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const HEADER = 'kind,source_system,source_code,target_system,target_code,item_id,gl_account,cost_center,offset_account,description';

it('shares loom.db with the message store whichever opens first', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-crosswalks-'));
  const other = mkdtempSync(path.join(os.tmpdir(), 'loom-crosswalks-'));
  dirs.push(dir, other);
  const repo = openCrosswalkRepository({ dataDir: dir });
  await repo.importCsv('codes', [HEADER, 'charge,,278001,,,ITEM-1,6100,CC-OR,1400,hip stem'].join('\n'), { author: 'ana', effectiveDate: '2025-01-01' });
  const store = await openSqliteStore({ dataDir: dir }); // applies 001.. and skips 005, already applied
  await store.close();
  const first = await openSqliteStore({ dataDir: other });
  const second = openCrosswalkRepository({ dataDir: other });
  expect(await second.list()).toEqual([]);
  await second.close();
  await first.close();
  expect(await repo.versions('codes')).toHaveLength(1);
  await repo.close();
});
