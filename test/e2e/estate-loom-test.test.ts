// `loom test` runs the example estate's interface tests through the real channel pipelines, and a
// broken mapping or master data makes it fail with a readable diff and exit 2.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loom } from '../support/cli.js';

const estate = path.resolve(__dirname, '../../examples/estate');
const copies: string[] = [];
afterAll(() => {
  for (const d of copies) rmSync(d, { recursive: true, force: true });
});

/** A copy of the estate (config, master data, tests) without simulators or data, to break on purpose. */
function copyEstate(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-estate-copy-'));
  copies.push(dir);
  for (const p of ['loom.config.yaml', 'master-data', 'tests']) cpSync(path.join(estate, p), path.join(dir, p), { recursive: true });
  return dir;
}

describe('loom test on the example estate', () => {
  it('passes every interface test of every channel', async () => {
    const run = await loom(['test', '--config', path.join(estate, 'loom.config.yaml')]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/\n(\d+) passed, 0 failed/);
    const passed = Number(/(\d+) passed/.exec(run.stdout)?.[1]);
    expect(passed).toBeGreaterThanOrEqual(14);
    // every channel Loom transforms on has at least one interface test
    const tested = new Set([...run.stdout.matchAll(/\((?:.*\/)?tests\/([a-z0-9-]+?)-[^/]*\.test\.yaml\)/g)].map((m) => m[1]));
    for (const channel of ['ehr-hl7', 'inventory-webhook', 'inventory-amqp', 'events', 'supply-costing', 'processes', 'vendor-orders']) {
      expect([...tested].some((t) => channel.startsWith(t) || t.startsWith(channel)), channel).toBe(true);
    }
    expect(run.code).toBe(0);
  }, 120_000);

  it('fails with a diff and exit 2 when the costing mapping is wired wrong', async () => {
    const dir = copyEstate();
    const config = path.join(dir, 'loom.config.yaml');
    // supply-costing now translates with the inventory mapping instead of the Journal Entry one
    writeFileSync(config, readFileSync(config, 'utf8').replace('with: { mapping: supply-consumed-to-erp-journal-entry }', 'with: { mapping: inventory-to-supply-consumed }'));
    const run = await loom(['test', '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('✗ plain supply consumption becomes an ERP Journal Entry at contract cost');
    expect(run.stdout).toMatch(/[1-9]\d* failed/);
  }, 120_000);

  it('fails naming the field when master data changes a price', async () => {
    const dir = copyEstate();
    const items = path.join(dir, 'master-data', 'items.csv');
    writeFileSync(items, readFileSync(items, 'utf8').replace('SUP-GAUZE,00761234300020,,"Gauze sponge 4x4 sterile pack",EA,no,1.10', 'SUP-GAUZE,00761234300020,,"Gauze sponge 4x4 sterile pack",EA,no,1.20'));
    const run = await loom(['test', '--config', path.join(dir, 'loom.config.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('erp-journal-entry[0] /accounts/0/debit_in_account_currency\n      expected 3.3\n      actual   3.6');
  }, 120_000);
});
