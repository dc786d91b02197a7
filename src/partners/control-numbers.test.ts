import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { PartnerService } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const profile = { partnerId: 'P1', ours: { id: 'US' }, theirs: { id: 'THEM' } };
const dirs: string[] = [];
const open: PartnerService[] = [];

function service(dataDir: string, partners: unknown[] = [profile]): PartnerService {
  const s = new PartnerService({ dataDir, partners });
  open.push(s);
  return s;
}
function dataDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'loom-partners-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('outbound control numbers', () => {
  it('count up from 1, survive a restart and never repeat', () => {
    const dir = dataDir();
    const a = service(dir);
    expect(a.nextOutbound('P1')).toMatchObject({ isa13: '000000001', gs06: '1', st02: ['0001'], reused: false });
    expect(a.nextOutbound('P1', { sets: 3 }).st02).toEqual(['0002', '0003', '0004']);
    a.close();
    const b = service(dir);
    expect(b.nextOutbound('P1')).toMatchObject({ isa13: '000000003', gs06: '3', st02: ['0005'] });
  });

  it('start where the profile says and keep partners apart', () => {
    const s = service(dataDir(), [{ ...profile, controlNumberStart: 4711 }, { partnerId: 'P2', ours: { id: 'US' }, theirs: { id: 'OTHER' } }]);
    expect(s.nextOutbound('P1').isa13).toBe('000004711');
    expect(s.nextOutbound('P2').isa13).toBe('000000001');
    expect(s.nextOutbound('P1').isa13).toBe('000004712');
    expect(() => s.nextOutbound('P9')).toThrow(expect.objectContaining({ code: 'x12.partner.unknown' }));
  });

  it('give the same message key the same numbers, also after a restart', () => {
    const dir = dataDir();
    const a = service(dir);
    const first = a.nextOutbound('P1', { messageKey: 'msg-1' });
    a.nextOutbound('P1');
    a.close();
    const b = service(dir);
    expect(b.nextOutbound('P1', { messageKey: 'msg-1' })).toEqual({ ...first, reused: true });
    expect(b.nextOutbound('P1', { messageKey: 'msg-2' }).isa13).toBe('000000003');
  });

  it('stay unique when several processes and connections draw at once', async () => {
    const dir = dataDir();
    service(dir).close(); // migrate once so the workers race on numbers, not on the schema
    const run = promisify(execFile);
    const worker = path.join(here, 'reserve-worker.ts');
    const inProcess = [service(dir), service(dir)];
    const children = [1, 2, 3].map(() => run(process.execPath, ['--import', 'tsx', worker, dir, '40'], { cwd: repoRoot }));
    const local: string[] = [];
    for (let i = 0; i < 40; i++) local.push(inProcess[i % 2].nextOutbound('P1').isa13);
    const outputs = await Promise.all(children);
    const all = [...local, ...outputs.flatMap((o) => JSON.parse(o.stdout) as string[])];
    expect(all).toHaveLength(160);
    expect(new Set(all).size).toBe(160);
    expect(all.map(Number).sort((x, y) => x - y)).toEqual(Array.from({ length: 160 }, (_, i) => i + 1));
    // each process saw its own numbers strictly increasing
    for (const o of outputs) {
      const mine = (JSON.parse(o.stdout) as string[]).map(Number);
      expect(mine).toEqual([...mine].sort((x, y) => x - y));
    }
  }, 60_000);
});

describe('inbound control numbers', () => {
  it('report gaps and duplicates with partner and numbers', () => {
    const s = service(dataDir());
    expect(s.recordInbound('P1', '000000005', ['5']).issues).toEqual([]);
    expect(s.recordInbound('P1', '000000006', ['6']).issues).toEqual([]);
    const gap = s.recordInbound('P1', '000000009', ['9']).issues;
    expect(gap.map((e) => e.code)).toEqual(['x12.control.gap', 'x12.control.gap']);
    expect(gap[0].message).toContain('partner P1');
    expect(gap[0].message).toContain('skips 7..8');
    expect(gap[0].location).toBe('ISA13');
    // a late interchange fills the gap: neither gap nor duplicate
    expect(s.recordInbound('P1', '000000007', ['7']).issues).toEqual([]);
    const dup = s.recordInbound('P1', '000000006', ['6']).issues;
    expect(dup.map((e) => e.code)).toEqual(['x12.control.duplicate', 'x12.control.duplicate']);
    expect(dup[0].message).toContain('000000006');
    expect(s.recordInbound('P1', '000000010', ['10', '12']).issues.map((e) => `${e.code} ${e.location}`)).toEqual(['x12.control.gap GS06 (group 2)']);
  });

  it('treat the same message key as a repeat, not a duplicate; reject non-numeric ISA13', () => {
    const dir = dataDir();
    const a = service(dir);
    expect(a.recordInbound('P1', '1', ['1'], { messageKey: 'm1' }).repeat).toBe(false);
    a.close();
    const b = service(dir);
    expect(b.recordInbound('P1', '1', ['1'], { messageKey: 'm1' })).toMatchObject({ repeat: true, issues: [] });
    expect(b.recordInbound('P1', '1', ['1'], { messageKey: 'm2' }).issues[0]?.code).toBe('x12.control.duplicate');
    expect(() => b.recordInbound('P1', 'ABC', [])).toThrow(expect.objectContaining({ code: 'x12.control.invalid' }));
  });
});
