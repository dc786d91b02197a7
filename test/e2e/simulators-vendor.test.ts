import { mkdtemp, readdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { build850, parseX12, serializeX12, validateX12, getX12 } from '../../src/codecs/x12/index.js';
import { waitFor } from '../../src/simulators/http.js';
import { CATALOG, HOSPITAL_X12_ID, startVendorSimulator, type VendorSimulator } from '../../src/simulators/index.js';

let vendor: VendorSimulator | undefined;
let dir: string | undefined;
afterEach(async () => { await vendor?.stop(); vendor = undefined; if (dir) await rm(dir, { recursive: true, force: true }); dir = undefined; });

async function drop(inbound: string, name: string, text: string): Promise<void> {
  await writeFile(join(inbound, `.${name}.tmp`), text);
  await rename(join(inbound, `.${name}.tmp`), join(inbound, name));
}

describe('vendor simulator (X12 by file drop)', () => {
  it('answers an 850 with 997, 855, 856 and 810 that parse and validate', async () => {
    dir = await mkdtemp(join(tmpdir(), 'loom-vendor-'));
    const inbound = join(dir, 'in');
    const outbound = join(dir, 'out');
    const pacer = CATALOG.find((i) => i.sku === 'IMP-PACER')!;
    const cath = CATALOG.find((i) => i.sku === 'SUP-CATH-6F')!;
    vendor = await startVendorSimulator({ vendorId: 'VENDOR-B', inboundDir: inbound, outboundDir: outbound, pollMs: 50, seed: 9,
      invoicePriceFactor: (_po, sku) => (sku === cath.sku ? 1.25 : 1) });
    const po = build850({ poNumber: 'PO-T-1', date: '2026-03-02', lines: [
      { quantity: 2, uom: 'EA', unitPrice: pacer.contractPrice, gtin: pacer.gtin, buyerPartId: pacer.sku },
      { quantity: 5, uom: 'EA', unitPrice: cath.contractPrice, gtin: cath.gtin, buyerPartId: cath.sku },
      { quantity: 1, uom: 'EA', unitPrice: 10, gtin: '00999999999993' },
    ] }, { senderId: HOSPITAL_X12_ID, receiverId: 'BEACONMED', controlNumber: 77, timestamp: '2026-03-02T22:00:00Z' });
    await drop(inbound, 'po-1.x12', serializeX12(po));
    await waitFor(async () => (await readdir(outbound)).filter((f) => f.endsWith('.x12')).length >= 4, 5000);
    const files = (await readdir(outbound)).filter((f) => f.endsWith('.x12')).sort();
    expect(files.some((f) => f.startsWith('.'))).toBe(false);
    const byKind = new Map<string, ReturnType<typeof parseX12>>();
    for (const f of files) {
      const ic = parseX12(await readFile(join(outbound, f), 'utf8'));
      expect(validateX12(ic).errors).toEqual([]);
      byKind.set(ic.groups[0].sets[0].type, ic);
    }
    expect([...byKind.keys()].sort()).toEqual(['810', '855', '856', '997']);
    const ack = byKind.get('855')!.groups[0].sets[0];
    expect(getX12(ack, 'BAK03')).toBe('PO-T-1');
    expect(ack.segments.filter((s) => s.id === 'ACK').map((s) => s.elements[0])).toEqual(['IA', 'IA', 'IR']);
    const asn = byKind.get('856')!.groups[0].sets[0];
    expect(asn.segments.filter((s) => s.id === 'HL').map((s) => s.elements[2])).toEqual(['S', 'O', 'P', 'I', 'I', 'I']);
    expect(getX12(asn, 'PRF01')).toBe('PO-T-1');
    const inv = byKind.get('810')!.groups[0].sets[0];
    expect(getX12(inv, 'BIG04')).toBe('PO-T-1');
    const it1 = inv.segments.filter((s) => s.id === 'IT1').map((s) => Number(s.elements[3]));
    expect(it1).toEqual([pacer.contractPrice, cath.contractPrice * 1.25]);
    expect(getX12(inv, 'TDS01')).toBe(String(Math.round((2 * pacer.contractPrice + 5 * cath.contractPrice * 1.25) * 100)));
    const fa = byKind.get('997')!;
    expect(fa.receiverId).toBe(HOSPITAL_X12_ID);
    expect(getX12(fa.groups[0].sets[0], 'AK901')).toBe('A');
    expect(await readdir(join(inbound, 'processed'))).toEqual(['po-1.x12']);
    expect(vendor.stats().log.filter((e) => e.injected === 'price-off-contract')).toHaveLength(1);
  });

  it('moves an unreadable file to rejected and answers nothing for it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'loom-vendor-'));
    vendor = await startVendorSimulator({ vendorId: 'VENDOR-A', inboundDir: join(dir, 'in'), outboundDir: join(dir, 'out'), pollMs: 50 });
    await drop(join(dir, 'in'), 'junk.x12', 'this is not X12');
    await waitFor(async () => (await readdir(join(dir!, 'in', 'rejected'))).length === 1, 5000);
    expect((await readdir(join(dir, 'out'))).length).toBe(0);
    expect(vendor.stats().rejectedFiles).toBe(1);
  });
});
