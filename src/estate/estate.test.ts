import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHl7v2 } from '../codecs/hl7v2/index.js';
import { parseX12 } from '../codecs/x12/index.js';
import { parseConfigText } from '../config/index.js';
import { LoomError } from '../kernel/index.js';
import { CATALOG, SUPPLIERS, buildAdt, generateDay, hibccDi } from '../simulators/index.js';
import {
  envelope850, hl7ToEvents, loadTradingPartners, parseItemMasterCsv, readSimulatorsConfig, supplyConsumedToJournalEntry,
} from './index.js';

const estate = path.resolve(__dirname, '../../examples/estate');
const items = parseItemMasterCsv(readFileSync(path.join(estate, 'master-data/items.csv'), 'utf8'));
const partners = loadTradingPartners(path.join(estate, 'master-data/trading-partners.json'));

describe('estate master data', () => {
  it('agrees with the estate catalog the simulators use (prices, keys, par, vendors)', () => {
    expect(items.rows).toHaveLength(CATALOG.length);
    for (const c of CATALOG) {
      const row = items.find({ sku: c.sku });
      expect(row, c.sku).toBeDefined();
      expect(items.find({ gtin: c.gtin })?.sku).toBe(c.sku);
      if (hibccDi(c)) expect(items.find({ hibccDi: hibccDi(c) })?.sku).toBe(c.sku);
      expect(Number(row?.unitCost)).toBe(c.contractPrice);
      expect(Number(row?.chargePrice)).toBe(c.chargePrice);
      expect([row?.implant, row?.par, row?.initialStock, row?.costCenter, row?.vendor]).toEqual([c.implant, c.par, c.initialStock, c.costCenter, c.vendor]);
    }
    for (const s of SUPPLIERS) expect(partners.partners[s.id]?.receiverId).toBe(s.x12Id);
  });

  it('rejects a bad item master row naming the line and column', () => {
    const bad = readFileSync(path.join(estate, 'master-data/items.csv'), 'utf8').replace(',1850.00,', ',eighteen,');
    expect(() => parseItemMasterCsv(bad, 'items.csv')).toThrow(/items\.csv:2 unit_cost "eighteen"/);
  });
});

describe('estate mappings', () => {
  const day = generateDay({ seed: 42 });
  const c = day.cases[0];

  it('ADT^A03 → encounter.discharged with the visit number of PV1-19', () => {
    const [event] = hl7ToEvents(parseHl7v2(buildAdt(c, 'A03', c.dischargeAt, 'CTL-1')));
    expect(event.type).toBe('encounter.discharged');
    expect(event.correlation.encounter).toBe(c.visitNumber);
  });

  it('refuses a trigger it has no mapping for, naming MSH-9', () => {
    const err = (() => { try { hl7ToEvents(parseHl7v2(buildAdt(c, 'A01', c.admitAt, 'CTL-2'))); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(LoomError);
    expect((err as LoomError).location).toBe('MSH-9');
  });

  it('costs a consumption at contract price, balanced, on the item cost center; a return swaps sides', () => {
    const event = { id: 'supply.consumed/E1', type: 'supply.consumed', occurredAt: '2026-03-02T08:00:00Z', version: 'v1', correlation: {},
      data: { id: 'E1', kind: 'consume', occurredAt: '2026-03-02T08:00:00Z', location: 'OR-1', item: { sku: 'SUP-SUTURE-2' }, quantity: '5', uom: 'EA' } };
    const je = supplyConsumedToJournalEntry(event, items);
    expect(je.accounts.map((a) => [a.account, a.debit_in_account_currency, a.credit_in_account_currency, a.cost_center])).toEqual([
      ['5120 - Medical Supplies Cost - LH', 21, 0, 'Main - LH'], ['1410 - Stock In Hand - LH', 0, 21, undefined],
    ]);
    const back = supplyConsumedToJournalEntry({ ...event, data: { ...event.data, kind: 'return' } }, items);
    expect(back.accounts[0]).toMatchObject({ account: '1410 - Stock In Hand - LH', debit_in_account_currency: 21 });
  });

  it('an unknown GTIN is estate.item.unknown at data.item', () => {
    const event = { id: 'x', type: 'supply.consumed', occurredAt: '2026-03-02T08:00:00Z', version: 'v1', correlation: {},
      data: { id: 'x', kind: 'consume', occurredAt: '2026-03-02T08:00:00Z', location: 'OR-1', item: { gtin: '09999999999994' }, quantity: '1', uom: 'EA' } };
    expect(() => supplyConsumedToJournalEntry(event, items)).toThrow(expect.objectContaining({ code: 'estate.item.unknown', location: 'data.item' }));
  });

  it('wraps a replenishment in the vendor envelope (ISA08 by vendor id), with a stable control number', () => {
    const po = { poNumber: 'RQ-ABC-1', date: '2026-03-02', vendor: { name: 'x', idQualifier: '92', id: 'VENDOR-B' },
      lines: [{ quantity: 12, uom: 'EA', unitPrice: 4.2, gtin: '00761234300013', buyerPartId: 'SUP-SUTURE-2' }] };
    const a = envelope850(po, partners);
    const ic = parseX12(a.text);
    expect([ic.senderId, ic.receiverId]).toEqual(['LOOMHOSP', 'BEACONMED']);
    expect(envelope850(po, partners).text).toBe(a.text);
    expect(() => envelope850({ ...po, vendor: { name: 'y', id: 'VENDOR-Z' } }, partners)).toThrow(expect.objectContaining({ code: 'estate.partner.unknown' }));
  });
});

describe('the simulators: section', () => {
  const configIn = (dir: string, text: string): string => {
    const file = path.join(dir, 'loom.config.yaml');
    writeFileSync(file, `version: 1\nchannels: []\n${text}`);
    return file;
  };

  it('is read from the config, validated with its line, and switched off by enabled: false or LOOM_SIMULATORS=off', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-sims-'));
    expect(readSimulatorsConfig(configIn(dir, ''), {})).toBeUndefined();
    const on = configIn(dir, 'simulators:\n  seed: 7\n  speed: 100\n');
    expect(readSimulatorsConfig(on, {})).toMatchObject({ seed: 7, speed: 100, badDataRate: 0.05, play: true });
    expect(readSimulatorsConfig(on, { LOOM_SIMULATORS: 'off' })).toBeUndefined();
    expect(readSimulatorsConfig(configIn(dir, 'simulators: { enabled: false }\n'), {})).toBeUndefined();
    expect(() => readSimulatorsConfig(configIn(dir, 'simulators:\n  seed: 7\n  sped: 100\n'), {}))
      .toThrow(expect.objectContaining({ code: 'config.simulators.invalid', location: 'loom.config.yaml:5 simulators.sped' }));
    expect(() => readSimulatorsConfig(configIn(dir, 'simulators:\n  speed: fast\n'), {}))
      .toThrow(expect.objectContaining({ code: 'config.simulators.invalid', location: 'loom.config.yaml:4 simulators.speed' }));
  });

  it('is also checked by the config loader, and a retired loom.simulators.yaml beside the config is refused, not ignored', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-sims-'));
    const file = configIn(dir, '');
    writeFileSync(path.join(dir, 'loom.simulators.yaml'), 'seed: 7\n');
    expect(() => readSimulatorsConfig(file, {})).toThrow(expect.objectContaining({ code: 'config.simulators.moved' }));
    expect(readSimulatorsConfig(configIn(dir, 'simulators: { seed: 7 }\n'), {})).toMatchObject({ seed: 7 });
    expect(() => parseConfigText('version: 1\nsimulators: { sped: 1 }\n', { fileName: 'loom.config.yaml', baseDir: dir, env: {} }))
      .toThrow(/simulators\.sped/);
  });
});
