import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build810, build856, build997, parseX12, serializeX12, type X12EnvelopeOptions, type X12Interchange } from '../../codecs/x12/index.js';
import { findItem, HOSPITAL_X12_ID, SUPPLIERS, type CatalogItem } from '../catalog.js';
import { createRng } from '../prng.js';
import { SimLog, type SimLogEntry } from '../sim-log.js';
import { build855, read850, type ReceivedPo } from './x12-docs.js';

export interface VendorSimulatorOptions {
  vendorId: 'VENDOR-A' | 'VENDOR-B';
  /** Folder the hospital drops 850s (and 997s) into. */
  inboundDir: string;
  /** Folder the vendor writes 855/856/810/997 into (temp file + rename, so readers never see half a file). */
  outboundDir: string;
  /** Poll interval (default 100 ms). */
  pollMs?: number;
  /** Invoice price factor per PO line (1 = contract price); the scenario uses it for `price-off-contract`. */
  invoicePriceFactor?: (poNumber: string, sku: string) => number;
  /** Seed for lots and serials on the ASN. */
  seed?: number;
  /** Simulated time for document dates (default wall clock). */
  now?: () => Date;
  logFile?: string;
}

export interface VendorStats {
  received: number;
  ordersAnswered: number;
  rejectedFiles: number;
  written: Record<string, number>;
  log: SimLogEntry[];
}

export interface VendorSimulator {
  vendorId: string;
  /** Process whatever is in the inbound folder now (the poller calls this too). */
  poll(): Promise<void>;
  stats(): VendorStats;
  stop(): Promise<void>;
}

/**
 * A trading partner exchanging X12 by file drop: answers each 850 with 855, 856 (S/O/P/I) and 810,
 * and a 997 for every interchange it receives (except 997s).
 *
 * @example
 * const v = await startVendorSimulator({ vendorId: 'VENDOR-A', inboundDir: 'edi/in', outboundDir: 'edi/out' });
 */
export async function startVendorSimulator(options: VendorSimulatorOptions): Promise<VendorSimulator> {
  const found = SUPPLIERS.find((s) => s.id === options.vendorId);
  if (!found) throw new RangeError(`unknown vendor ${options.vendorId}`);
  const supplier = found;
  const log = new SimLog(`vendor:${options.vendorId}`, { file: options.logFile });
  const now = options.now ?? (() => new Date());
  const processed = join(options.inboundDir, 'processed');
  const rejected = join(options.inboundDir, 'rejected');
  await Promise.all([mkdir(processed, { recursive: true }), mkdir(rejected, { recursive: true }), mkdir(options.outboundDir, { recursive: true })]);
  let control = 0;
  let seq = 0;
  const counts = { received: 0, ordersAnswered: 0, rejectedFiles: 0 };
  const written: Record<string, number> = {};
  const rng = createRng(options.seed ?? 1);

  const env = (): X12EnvelopeOptions => ({ senderId: supplier.x12Id, receiverId: HOSPITAL_X12_ID, controlNumber: ++control, timestamp: now().toISOString(), lineBreaks: true });

  async function write(kind: string, ref: string, ic: X12Interchange): Promise<void> {
    const name = `${options.vendorId}-${kind}-${ref}-${String(++seq).padStart(6, '0')}.x12`;
    const tmp = join(options.outboundDir, `.${name}.tmp`);
    await writeFile(tmp, serializeX12(ic));
    await rename(tmp, join(options.outboundDir, name));
    written[kind] = (written[kind] ?? 0) + 1;
    log.write('written', { kind, ref, file: name });
  }

  async function answer(po: ReceivedPo): Promise<void> {
    const items = po.lines.map((l) => findItem({ gtin: l.gtin, sku: l.buyerPartId ?? l.vendorPartId }));
    const ok = items.map((it) => it !== undefined && it.vendor === options.vendorId);
    const today = now().toISOString().slice(0, 10);
    await write('855', po.poNumber, build855(po, ok, today, env()));
    const shipped = po.lines.map((l, i) => ({ l, it: items[i] })).filter((x, i): x is { l: typeof x.l; it: CatalogItem } => ok[i]);
    if (shipped.length === 0) return;
    const asnItems = shipped.flatMap(({ l, it }) => {
      const lot = `L${rng.code(6)}`;
      // implants ship one serialized unit per line item; supplies as one lot line
      return it.implant
        ? Array.from({ length: l.quantity }, () => ({ gtin: it.gtin, buyerPartId: it.sku, quantity: 1, uom: l.uom, lot, serial: `S${rng.code(8)}` }))
        : [{ gtin: it.gtin, buyerPartId: it.sku, quantity: l.quantity, uom: l.uom, lot }];
    });
    await write('856', po.poNumber, build856({
      shipmentId: `SH-${po.poNumber}`, date: today, time: now().toISOString().slice(11, 16).replace(':', ''),
      shipFrom: { name: supplier.name, idQualifier: '92', id: supplier.x12Id }, shipTo: { name: 'Loom Hospital', idQualifier: '92', id: HOSPITAL_X12_ID },
      orders: [{ poNumber: po.poNumber, packs: [{ sscc: `00${String(seq).padStart(16, '0')}`, items: asnItems }] }],
    }, env()));
    await write('810', po.poNumber, build810({
      invoiceNumber: `INV-${po.poNumber}`, date: today, poNumber: po.poNumber, ...(po.date ? { poDate: po.date } : {}),
      remitTo: { name: supplier.name, idQualifier: '92', id: supplier.x12Id },
      lines: shipped.map(({ l, it }) => {
        const factor = options.invoicePriceFactor?.(po.poNumber, it.sku) ?? 1;
        if (factor !== 1) log.write('invoice.price', { poNumber: po.poNumber, sku: it.sku, contract: it.contractPrice, injected: 'price-off-contract' });
        return { lineNumber: l.lineNumber, quantity: l.quantity, uom: l.uom, unitPrice: Math.round(it.contractPrice * factor * 100) / 100, gtin: it.gtin, buyerPartId: it.sku };
      }),
    }, env()));
    counts.ordersAnswered++;
  }

  async function handleFile(file: string): Promise<void> {
    const path = join(options.inboundDir, file);
    const text = await readFile(path, 'utf8');
    counts.received++;
    let ic: X12Interchange;
    try {
      ic = parseX12(text);
    } catch (err) {
      counts.rejectedFiles++;
      log.write('rejected', { file, error: err instanceof Error ? err.message : String(err) });
      await rename(path, join(rejected, file));
      return;
    }
    const types = ic.groups.flatMap((g) => g.sets.map((s) => s.type));
    log.write('received', { file, types, control: ic.controlNumber });
    if (!types.every((t) => t === '997' || t === '999')) {
      await write('997', ic.controlNumber, build997(ic, { controlNumber: ++control, timestamp: now().toISOString(), lineBreaks: true }));
    }
    for (const g of ic.groups) for (const s of g.sets) if (s.type === '850') await answer(read850(s));
    await rename(path, join(processed, file));
  }

  let busy: Promise<void> = Promise.resolve();
  const poll = (): Promise<void> => {
    busy = busy.then(async () => {
      const files = (await readdir(options.inboundDir, { withFileTypes: true })).filter((d) => d.isFile() && !d.name.startsWith('.')).map((d) => d.name).sort();
      for (const f of files) await handleFile(f).catch((err: unknown) => log.write('error', { file: f, error: err instanceof Error ? err.message : String(err) }));
    });
    return busy;
  };
  const timer = setInterval(() => { void poll(); }, options.pollMs ?? 100);

  return {
    vendorId: options.vendorId,
    poll,
    stats: () => ({ ...counts, written: { ...written }, log: [...log.entries] }),
    async stop() { clearInterval(timer); await busy; },
  };
}
