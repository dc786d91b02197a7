import { Hl7Message } from '../codecs/hl7v2/index.js';
import type { X12Interchange } from '../codecs/x12/index.js';
import type { StepContext, StepFactory, StepRegistry } from '../engine/index.js';
import { migrationTodoStep } from '../modernization/index.js';

/** Anything with a codec-style `get(path)`: an HL7 message or an X12 transaction set. */
interface PathReadable {
  get(path: string): string | undefined;
}

function isPathReadable(value: unknown): value is PathReadable {
  return typeof value === 'object' && value !== null && typeof (value as { get?: unknown }).get === 'function';
}

/** The first X12 transaction set of a parsed interchange, for key extraction. */
function firstX12Set(parsed: unknown): PathReadable | undefined {
  const groups = (parsed as Partial<X12Interchange> | undefined)?.groups;
  const set: unknown = groups?.[0]?.sets?.[0];
  return isPathReadable(set) ? set : undefined;
}

function setKeys(ctx: StepContext, source: PathReadable, paths: Record<string, string>): void {
  for (const [name, path] of Object.entries(paths)) {
    const value = source.get(path);
    if (value) ctx.setKey(name, value);
  }
}

// Business keys indexed for search (DESIGN.md: keys, not whole payloads).
const hl7KeyPaths = {
  mrn: 'PID-3.1', // PID-3: patient identifier list, first repetition
  visitNumber: 'PV1-19', // PV1-19: visit number
  placerOrder: 'ORC-2.1',
  procedureCode: 'PR1-3.1',
};

/** `hl7-keys`: index MRN, visit, order and procedure; `orderBy: mrn|visitNumber` sets the ordering key. */
const hl7Keys: StepFactory = (options) => (ctx) => {
  const parsed = ctx.parsed();
  if (!(parsed instanceof Hl7Message)) return;
  setKeys(ctx, parsed, hl7KeyPaths);
  const orderBy = typeof options.orderBy === 'string' ? options.orderBy : undefined;
  const orderPath = orderBy ? hl7KeyPaths[orderBy as keyof typeof hl7KeyPaths] : undefined;
  const orderValue = orderPath ? parsed.get(orderPath) : undefined;
  if (orderValue) ctx.setOrderingKey(`${orderBy}:${orderValue}`);
};

/** `hl7-patient-mrn`: FIFO per patient (PID-3.1), the usual ordering key of an ADT feed. */
const hl7PatientMrn: StepFactory = () => (ctx) => {
  const parsed = ctx.parsed();
  if (!(parsed instanceof Hl7Message)) return;
  const mrn = parsed.get('PID-3.1');
  if (mrn) ctx.setOrderingKey(`mrn:${mrn}`);
};

/** `x12-keys`: index PO (BEG03/PRF01), invoice (BIG02) and shipment (BSN02) numbers. */
const x12Keys: StepFactory = () => (ctx) => {
  const set = firstX12Set(ctx.parsed());
  if (!set) return;
  setKeys(ctx, set, { poNumber: 'BEG03', invoiceNumber: 'BIG02', shipmentId: 'BSN02' });
  const po = set.get('BEG03') ?? set.get('PRF01') ?? set.get('BAK03');
  if (po) {
    ctx.setKey('poNumber', po);
    ctx.setOrderingKey(`po:${po}`);
  }
};

/** `json-keys`: index device and encounter fields of a JSON event (gtin, lot, serial, encounter, eventId). */
const jsonKeys: StepFactory = () => (ctx) => {
  const parsed = ctx.parsed();
  if (typeof parsed !== 'object' || parsed === null) return;
  const record = parsed as Record<string, unknown>;
  const item = (record.item ?? {}) as Record<string, unknown>;
  const candidates: Record<string, unknown> = {
    gtin: item.gtin ?? record.gtin,
    lot: record.lot,
    serial: record.serial,
    visitNumber: record.encounter,
    mrn: record.patientMrn,
    eventId: record.eventId,
  };
  for (const [name, value] of Object.entries(candidates)) {
    if (typeof value === 'string' && value !== '') ctx.setKey(name, value);
  }
};

/**
 * `event-keys`: index a canonical event's business keys (encounter, MRN, item GTIN/HIBCC DI/SKU, lot,
 * serial, PO, event id); `orderBy: encounter|item|po` sets the ordering key (FIFO per key).
 */
const eventKeys: StepFactory = (options) => (ctx) => {
  const parsed = ctx.parsed();
  if (typeof parsed !== 'object' || parsed === null) return;
  const event = parsed as { id?: unknown; correlation?: Record<string, unknown>; data?: Record<string, unknown> };
  const c = event.correlation ?? {};
  const data = event.data ?? {};
  const item = (data.item ?? {}) as Record<string, unknown>;
  const candidates: Record<string, unknown> = {
    eventId: event.id, visitNumber: c.encounter, mrn: c.patient, poNumber: c.po,
    gtin: item.gtin ?? data.gtin, hibccDi: item.hibccDi, sku: item.sku, lot: c.lot ?? data.lot, serial: c.serial ?? data.serial,
  };
  for (const [name, value] of Object.entries(candidates)) {
    if (typeof value === 'string' && value !== '') ctx.setKey(name, value);
  }
  const orderBy = typeof options.orderBy === 'string' ? options.orderBy : undefined;
  const orderValue = orderBy ? c[orderBy] : undefined;
  if (typeof orderValue === 'string' && orderValue !== '') ctx.setOrderingKey(`${orderBy}:${orderValue}`);
};

/** Register the steps every estate can name in loom.config.yaml without writing code. */
export function registerStandardSteps(registry: StepRegistry): void {
  registry.register('hl7-keys', hl7Keys);
  registry.register('hl7-patient-mrn', hl7PatientMrn);
  registry.register('x12-keys', x12Keys);
  registry.register('json-keys', jsonKeys);
  registry.register('event-keys', eventKeys);
  registry.register('migration-todo', migrationTodoStep);
}

/** The message type of a parsed message (MSH-9 / ST01 / a JSON event's `type`), for destination `when` routes. */
export function messageTypeOf(parsed: unknown): string | undefined {
  if (parsed instanceof Hl7Message) return parsed.type;
  const st01 = firstX12Set(parsed)?.get('ST01');
  if (st01) return st01;
  // Canonical events (and most JSON webhooks) name their kind in a top-level `type`.
  const type = typeof parsed === 'object' && parsed !== null ? (parsed as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : undefined;
}

/**
 * A top-level string property of the parsed message, for `when` routes on other fields: an X12
 * interchange's `receiverId` (ISA08) or `senderId` (ISA06), a JSON message's `supplier`.
 */
export function topLevelField(parsed: unknown, field: string): string | undefined {
  if (typeof parsed !== 'object' || parsed === null || parsed instanceof Hl7Message) return undefined;
  const value = (parsed as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}
