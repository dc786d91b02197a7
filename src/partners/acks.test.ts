import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { build850, build997, build999, parseX12, serializeX12 } from '../codecs/x12/index.js';
import { PartnerService } from './index.js';

const HOUR = 3_600_000;
const t0 = Date.parse('2026-03-02T08:00:00Z');
let now = t0;
const clock = { now: () => now };
const dirs: string[] = [];
const open: PartnerService[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  now = t0;
});

function service(partners: unknown[] = [{ partnerId: 'VENDOR-A', ours: { id: 'LOOMHOSP' }, theirs: { id: 'ACMEORTHO' }, ackWithin: 4 * HOUR }]): PartnerService {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-partners-ack-'));
  dirs.push(dir);
  const s = new PartnerService({ dataDir: dir, partners, clock });
  open.push(s);
  return s;
}

/** Send one 850 with fresh numbers and expect its ack; returns the 850 text. */
function send(s: PartnerService, po: string, version: '004010' | '005010' = '004010'): { text: string; gs06: string; isa13: string } {
  const n = s.nextOutbound('VENDOR-A');
  const ic = build850({ poNumber: po, date: '2026-03-02', lines: [{ quantity: 2, uom: 'EA', unitPrice: 10 }] }, {
    senderId: 'LOOMHOSP', receiverId: 'ACMEORTHO', controlNumber: n.isa13, groupControlNumber: n.gs06, setControlNumber: n.st02[0], timestamp: new Date(now).toISOString(), version,
  });
  s.expectAck('VENDOR-A', n.isa13, n.gs06, now);
  return { text: serializeX12(ic), gs06: n.gs06, isa13: n.isa13 };
}

describe('expected acknowledgements', () => {
  it('a 997 acknowledges the interchange whose GS06 its AK1-02 names, and only that one', () => {
    const s = service();
    const first = send(s, 'PO-1');
    const second = send(s, 'PO-2');
    const ack = build997(parseX12(second.text), { controlNumber: 900, timestamp: '2026-03-02T09:00:00Z' });
    now = t0 + HOUR;
    const out = s.recordAck(serializeX12(ack));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ partner: 'VENDOR-A', gs06: second.gs06, ak9: 'A', status: 'accepted' });
    expect(out[0].acknowledged).toMatchObject({ isa13: second.isa13, status: 'accepted', ackIsa13: '000000900', ackedAt: t0 + HOUR });
    expect(s.expected('VENDOR-A', first.gs06)?.status).toBe('pending');
  });

  it('records a rejecting AK9 and reports acks for groups we never sent', () => {
    const s = service();
    const sent = send(s, 'PO-3');
    const rejected = serializeX12(build997(parseX12(sent.text), { controlNumber: 901, timestamp: '2026-03-02T09:00:00Z' })).replace('AK9*A', 'AK9*R');
    expect(s.recordAck(rejected)[0]).toMatchObject({ status: 'rejected', ak9: 'R' });
    expect(s.expected('VENDOR-A', sent.gs06)?.status).toBe('rejected');
    const stranger = serializeX12(build997(parseX12(sent.text.replace(/GS\*PO\*LOOMHOSP\*ACMEORTHO\*(\d+)\*(\d+)\*1\*/, 'GS*PO*LOOMHOSP*ACMEORTHO*$1*$2*77*')
      .replace('GE*1*1', 'GE*1*77')), { controlNumber: 902, timestamp: '2026-03-02T09:00:00Z' }));
    expect(s.recordAck(stranger)[0]?.issue?.code).toBe('x12.ack.unexpected');
  });

  it('a 999 from a 005010 partner counts too', () => {
    const s = service([{ partnerId: 'VENDOR-A', version: '005010', expectedAck: '999', ours: { id: 'LOOMHOSP' }, theirs: { id: 'ACMEORTHO' } }]);
    const sent = send(s, 'PO-5', '005010');
    const ack = build999(parseX12(sent.text), { controlNumber: 903, timestamp: '2026-03-02T09:00:00Z' });
    expect(s.recordAck(ack)[0]).toMatchObject({ gs06: sent.gs06, status: 'accepted' });
    expect(s.expected('VENDOR-A', sent.gs06)?.ackKind).toBe('999');
  });

  it('lists interchanges without an ack after ackWithin as x12.ack.overdue', () => {
    const s = service();
    const a = send(s, 'PO-1');
    now = t0 + HOUR;
    const b = send(s, 'PO-2');
    s.recordAck(build997(parseX12(b.text), { controlNumber: 904, timestamp: '2026-03-02T09:00:00Z' }));
    expect(s.overdue(t0 + 4 * HOUR)).toEqual([]); // exactly at the deadline is not late
    const late = s.overdue(new Date(t0 + 4 * HOUR + 1));
    expect(late).toHaveLength(1);
    expect(late[0].expected).toMatchObject({ isa13: a.isa13, gs06: a.gs06, status: 'pending' });
    expect(late[0].error.code).toBe('x12.ack.overdue');
    expect(late[0].error.message).toContain('VENDOR-A');
    expect(late[0].error.location).toBe(`ISA13 ${a.isa13} GS06 ${a.gs06}`);
    expect(s.overdue(t0 + 10 * HOUR)).toHaveLength(1); // the acknowledged one never becomes overdue
  });

  it('expects nothing when the profile says none, and rejects acks from unknown senders', () => {
    const s = service([{ partnerId: 'VENDOR-A', expectedAck: 'none', ours: { id: 'LOOMHOSP' }, theirs: { id: 'ACMEORTHO' } }]);
    expect(s.expectAck('VENDOR-A', '000000001', '1', now)).toBeUndefined();
    expect(s.overdue(now + 365 * 24 * HOUR)).toEqual([]);
    const sent = send(s, 'PO-9');
    const foreign = serializeX12(build997(parseX12(sent.text.replaceAll('ACMEORTHO', 'SOMEONE  ')), { controlNumber: 1, timestamp: '2026-03-02T09:00:00Z' }));
    expect(() => s.recordAck(foreign)).toThrow(expect.objectContaining({ code: 'x12.partner.unknown' }));
  });
});
