/**
 * The PartnerStore port's contract (X12 control numbers and expected acknowledgements): the same
 * behaviours through PartnerService on SQLite and on PostgreSQL. Under CI=true the PostgreSQL half
 * must run. The uniqueness test draws numbers from three OS processes on one store.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { build850, build997, build999, parseX12, serializeX12 } from '../../src/codecs/x12/index.js';
import type { Clock } from '../../src/kernel/index.js';
import { PartnerService, openPostgresPartnerStore } from '../../src/partners/index.js';
import { dropSchema, freshSchema, PG_URL, pgAvailable } from '../support/pg.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pgUp = await pgAvailable('partner-store-contract');
const HOUR = 3_600_000;
const t0 = Date.parse('2026-03-02T08:00:00Z');
const P1 = { partnerId: 'P1', ours: { id: 'US' }, theirs: { id: 'THEM' } };
const VENDOR = { partnerId: 'VENDOR-A', ours: { id: 'LOOMHOSP' }, theirs: { id: 'ACMEORTHO' }, ackWithin: 4 * HOUR };

/** One store's data: open services on it (a restart is a second open), and where worker processes find it. */
interface Data { open(partners: unknown[], clock?: Clock): Promise<PartnerService>; workerArg: string; cleanup(): Promise<void> }
interface Adapter { name: string; skip: boolean; data(): Promise<Data> }

const adapters: Adapter[] = [
  {
    name: 'sqlite', skip: false,
    async data() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-partners-'));
      return { open: async (partners, clock) => new PartnerService({ dataDir: dir, partners, ...(clock ? { clock } : {}) }), workerArg: dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres', skip: !pgUp,
    async data() {
      const schema = freshSchema();
      return {
        open: async (partners, clock) => new PartnerService({ dataDir: '.', partners, store: await openPostgresPartnerStore({ url: PG_URL, schema }), ...(clock ? { clock } : {}) }),
        workerArg: `${PG_URL}#${schema}`, cleanup: () => dropSchema(schema),
      };
    },
  },
];

describe.each(adapters)('PartnerStore contract: $name', (adapter) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const t = adapter.skip ? it.skip : it;
  async function data(): Promise<Data> {
    const d = await adapter.data();
    cleanups.push(d.cleanup);
    return { ...d, open: async (partners, clock) => {
      const s = await d.open(partners, clock);
      cleanups.push(() => s.close());
      return s;
    } };
  }

  t('outbound numbers count up from 1, survive a restart and never repeat', async () => {
    const d = await data();
    const a = await d.open([P1]);
    expect(await a.nextOutbound('P1')).toMatchObject({ isa13: '000000001', gs06: '1', st02: ['0001'], reused: false });
    expect((await a.nextOutbound('P1', { sets: 3 })).st02).toEqual(['0002', '0003', '0004']);
    const b = await d.open([P1]);
    expect(await b.nextOutbound('P1')).toMatchObject({ isa13: '000000003', gs06: '3', st02: ['0005'] });
  });

  t('outbound numbers start where the profile says and keep partners apart', async () => {
    const s = await (await data()).open([{ ...P1, controlNumberStart: 4711 }, { partnerId: 'P2', ours: { id: 'US' }, theirs: { id: 'OTHER' } }]);
    expect((await s.nextOutbound('P1')).isa13).toBe('000004711');
    expect((await s.nextOutbound('P2')).isa13).toBe('000000001');
    expect((await s.nextOutbound('P1')).isa13).toBe('000004712');
    await expect(s.nextOutbound('P9')).rejects.toMatchObject({ code: 'x12.partner.unknown' });
    await expect(s.nextOutbound('P1', { sets: 0 })).rejects.toMatchObject({ code: 'x12.control.sets' });
  });

  t('the same message key gets the same numbers, also after a restart', async () => {
    const d = await data();
    const a = await d.open([P1]);
    const first = await a.nextOutbound('P1', { messageKey: 'msg-1' });
    await a.nextOutbound('P1');
    const b = await d.open([P1]);
    expect(await b.nextOutbound('P1', { messageKey: 'msg-1' })).toEqual({ ...first, reused: true });
    expect((await b.nextOutbound('P1', { messageKey: 'msg-2' })).isa13).toBe('000000003');
  });

  t('numbers stay unique when three OS processes and two connections draw at once', async () => {
    const d = await data();
    const inProcess = [await d.open([P1]), await d.open([P1])]; // migrated before the workers start
    const run = promisify(execFile);
    const worker = path.join(repoRoot, 'src/partners/reserve-worker.ts');
    const children = [1, 2, 3].map(() => run(process.execPath, ['--import', 'tsx', worker, d.workerArg, '40'], { cwd: repoRoot }));
    const local = await Promise.all(Array.from({ length: 40 }, async (_, i) => (await inProcess[i % 2].nextOutbound('P1')).isa13));
    const outputs = await Promise.all(children);
    const all = [...local, ...outputs.flatMap((o) => JSON.parse(o.stdout) as string[])];
    expect(all).toHaveLength(160);
    expect(new Set(all).size).toBe(160);
    expect(all.map(Number).sort((x, y) => x - y)).toEqual(Array.from({ length: 160 }, (_, i) => i + 1));
    for (const o of outputs) {
      const mine = (JSON.parse(o.stdout) as string[]).map(Number);
      expect(mine).toEqual([...mine].sort((x, y) => x - y));
    }
  }, 90_000);

  t('inbound numbers: gaps and duplicates are reported with partner and numbers; a late one fills a gap', async () => {
    const s = await (await data()).open([P1]);
    expect((await s.recordInbound('P1', '000000005', ['5'])).issues).toEqual([]);
    expect((await s.recordInbound('P1', '000000006', ['6'])).issues).toEqual([]);
    const gap = (await s.recordInbound('P1', '000000009', ['9'])).issues;
    expect(gap.map((e) => e.code)).toEqual(['x12.control.gap', 'x12.control.gap']);
    expect(gap[0].message).toContain('partner P1');
    expect(gap[0].message).toContain('skips 7..8');
    expect(gap[0].location).toBe('ISA13');
    expect((await s.recordInbound('P1', '000000007', ['7'])).issues).toEqual([]);
    const dup = (await s.recordInbound('P1', '000000006', ['6'])).issues;
    expect(dup.map((e) => e.code)).toEqual(['x12.control.duplicate', 'x12.control.duplicate']);
    expect(dup[0].message).toContain('000000006');
    expect((await s.recordInbound('P1', '000000010', ['10', '12'])).issues.map((e) => `${e.code} ${e.location}`)).toEqual(['x12.control.gap GS06 (group 2)']);
  });

  t('inbound numbers: the same message key is a repeat, not a duplicate; non-numeric ISA13 is rejected', async () => {
    const d = await data();
    const a = await d.open([P1]);
    expect((await a.recordInbound('P1', '1', ['1'], { messageKey: 'm1' })).repeat).toBe(false);
    const b = await d.open([P1]);
    expect(await b.recordInbound('P1', '1', ['1'], { messageKey: 'm1' })).toMatchObject({ repeat: true, issues: [] });
    expect((await b.recordInbound('P1', '1', ['1'], { messageKey: 'm2' })).issues[0]?.code).toBe('x12.control.duplicate');
    await expect(b.recordInbound('P1', 'ABC', [])).rejects.toMatchObject({ code: 'x12.control.invalid' });
  });

  describe('expected acknowledgements', () => {
    let now = t0;
    const clock = { now: () => now };
    afterEach(() => { now = t0; });
    async function send(s: PartnerService, po: string, version: '004010' | '005010' = '004010'): Promise<{ text: string; gs06: string; isa13: string }> {
      const n = await s.nextOutbound('VENDOR-A');
      const ic = build850({ poNumber: po, date: '2026-03-02', lines: [{ quantity: 2, uom: 'EA', unitPrice: 10 }] }, {
        senderId: 'LOOMHOSP', receiverId: 'ACMEORTHO', controlNumber: n.isa13, groupControlNumber: n.gs06, setControlNumber: n.st02[0], timestamp: new Date(now).toISOString(), version,
      });
      await s.expectAck('VENDOR-A', n.isa13, n.gs06, now);
      return { text: serializeX12(ic), gs06: n.gs06, isa13: n.isa13 };
    }

    t('a 997 acknowledges the interchange whose GS06 its AK1-02 names, and only that one', async () => {
      const s = await (await data()).open([VENDOR], clock);
      const first = await send(s, 'PO-1');
      const second = await send(s, 'PO-2');
      const ack = build997(parseX12(second.text), { controlNumber: 900, timestamp: '2026-03-02T09:00:00Z' });
      now = t0 + HOUR;
      const out = await s.recordAck(serializeX12(ack));
      expect(out).toEqual([{ partner: 'VENDOR-A', gs06: second.gs06, ak9: 'A', status: 'accepted', acknowledged: expect.objectContaining({ isa13: second.isa13, status: 'accepted', ackIsa13: '000000900', ackedAt: t0 + HOUR }) }]);
      expect((await s.expected('VENDOR-A', first.gs06))?.status).toBe('pending');
    });

    t('records a rejecting AK9 and reports acks for groups we never sent', async () => {
      const s = await (await data()).open([VENDOR], clock);
      const sent = await send(s, 'PO-3');
      const rejected = serializeX12(build997(parseX12(sent.text), { controlNumber: 901, timestamp: '2026-03-02T09:00:00Z' })).replace('AK9*A', 'AK9*R');
      expect((await s.recordAck(rejected))[0]).toMatchObject({ status: 'rejected', ak9: 'R' });
      expect((await s.expected('VENDOR-A', sent.gs06))?.status).toBe('rejected');
      const stranger = serializeX12(build997(parseX12(sent.text.replace(/GS\*PO\*LOOMHOSP\*ACMEORTHO\*(\d+)\*(\d+)\*1\*/, 'GS*PO*LOOMHOSP*ACMEORTHO*$1*$2*77*')
        .replace('GE*1*1', 'GE*1*77')), { controlNumber: 902, timestamp: '2026-03-02T09:00:00Z' }));
      expect((await s.recordAck(stranger))[0]?.issue?.code).toBe('x12.ack.unexpected');
    });

    t('a 999 from a 005010 partner counts too', async () => {
      const s = await (await data()).open([{ ...VENDOR, version: '005010', expectedAck: '999' }], clock);
      const sent = await send(s, 'PO-5', '005010');
      const ack = build999(parseX12(sent.text), { controlNumber: 903, timestamp: '2026-03-02T09:00:00Z' });
      expect((await s.recordAck(ack))[0]).toMatchObject({ gs06: sent.gs06, status: 'accepted' });
      expect((await s.expected('VENDOR-A', sent.gs06))?.ackKind).toBe('999');
    });

    t('lists interchanges without an ack after ackWithin as x12.ack.overdue', async () => {
      const s = await (await data()).open([VENDOR], clock);
      const a = await send(s, 'PO-1');
      now = t0 + HOUR;
      const b = await send(s, 'PO-2');
      await s.recordAck(build997(parseX12(b.text), { controlNumber: 904, timestamp: '2026-03-02T09:00:00Z' }));
      expect(await s.overdue(t0 + 4 * HOUR)).toEqual([]); // exactly at the deadline is not late
      const late = await s.overdue(new Date(t0 + 4 * HOUR + 1));
      expect(late).toHaveLength(1);
      expect(late[0].expected).toMatchObject({ isa13: a.isa13, gs06: a.gs06, status: 'pending' });
      expect(late[0].error.code).toBe('x12.ack.overdue');
      expect(late[0].error.message).toContain('VENDOR-A');
      expect(late[0].error.location).toBe(`ISA13 ${a.isa13} GS06 ${a.gs06}`);
      expect(await s.overdue(t0 + 10 * HOUR)).toHaveLength(1);
    });

    t('expects nothing when the profile says none, and rejects acks from unknown senders', async () => {
      const s = await (await data()).open([{ ...VENDOR, expectedAck: 'none' }], clock);
      expect(await s.expectAck('VENDOR-A', '000000001', '1', now)).toBeUndefined();
      expect(await s.overdue(now + 365 * 24 * HOUR)).toEqual([]);
      const sent = await send(s, 'PO-9');
      const foreign = serializeX12(build997(parseX12(sent.text.replaceAll('ACMEORTHO', 'SOMEONE  ')), { controlNumber: 1, timestamp: '2026-03-02T09:00:00Z' }));
      await expect(s.recordAck(foreign)).rejects.toMatchObject({ code: 'x12.partner.unknown' });
    });
  });
});
