import type { Channel, ChannelCounts, CircuitState, DeadLetter, Destination, MessageSummary, MessageView, Step } from '../contract.js';

// The console reads the API defensively: a field the engine omits gets an honest default
// (empty, "unknown", undefined shown as "—"), never a made-up number, and never a crash.

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** ISO 8601 from an ISO string or epoch milliseconds. */
const time = (v: unknown): string => (typeof v === 'number' ? new Date(v).toISOString() : (str(v) ?? ''));
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Counts of a channel. The engine's `counts` are messages by their status now (disjoint: a
 * message leaves `received` once processed), so "received" is the channel's `received` total
 * when the API sends it, else the sum over all statuses. Dead letters live on outbox rows, not
 * message statuses: they come from `counts.deadLettered` when present, else the destinations'
 * `dead` counts when reported.
 */
function counts(raw: unknown, total: unknown, destinations: Destination[]): ChannelCounts {
  const c = obj(raw);
  const n = (k: string) => num(c[k]) ?? 0;
  const sum = Object.values(c).reduce<number>((a, v) => a + (num(v) ?? 0), 0);
  const dead = destinations.map((d) => d.dead).filter((x): x is number => x !== undefined);
  return {
    received: num(total) ?? sum,
    processed: n('processed'),
    rejected: n('rejected'),
    duplicate: n('duplicate'),
    failed: n('failed'),
    deadLettered: num(c.deadLettered) ?? num(c['dead-lettered']) ?? dead.reduce((a, b) => a + b, 0),
  };
}

function destination(raw: unknown): Destination {
  const d = obj(raw);
  const circuit = str(d.circuit);
  const known: CircuitState[] = ['closed', 'open', 'half-open'];
  return {
    name: str(d.name) ?? '?',
    kind: str(d.kind) ?? '',
    circuit: known.includes(circuit as CircuitState) ? (circuit as CircuitState) : 'unknown',
    pending: num(d.pending),
    delivered: num(d.delivered),
    dead: num(d.dead),
  };
}

/** A channel as the console uses it. */
export function toChannel(raw: unknown): Channel {
  const c = obj(raw);
  const inbound = obj(c.inbound);
  const destinations = arr(c.destinations).map(destination);
  return {
    name: str(c.name) ?? '?',
    status: c.status === 'paused' ? 'paused' : 'running',
    sourceSystem: str(c.sourceSystem) || 'unknown system',
    inbound: { kind: str(inbound.kind) ?? '', address: str(inbound.address) ?? '' },
    counts: counts(c.counts, c.received, destinations),
    destinations,
  };
}

function keys(raw: unknown): Record<string, string> {
  // Either `{name: value}` or `[{name, value}]`.
  if (Array.isArray(raw)) {
    return Object.fromEntries(raw.map(obj).map((k) => [str(k.name) ?? '?', str(k.value) ?? '']));
  }
  return Object.fromEntries(Object.entries(obj(raw)).map(([k, v]) => [k, str(v) ?? '']));
}

/** A message list row. */
export function toSummary(raw: unknown): MessageSummary {
  const m = obj(raw);
  return {
    id: str(m.id) ?? '?',
    channel: str(m.channel) ?? '',
    status: str(m.status) ?? 'unknown',
    receivedAt: time(m.receivedAt),
    contentType: str(m.contentType) ?? '',
    controlId: str(m.controlId),
    sourceSystem: str(m.sourceSystem),
    correlationId: str(m.correlationId),
    keys: keys(m.keys),
    messageType: str(m.messageType),
    error: str(m.error),
  };
}

function step(raw: unknown): Step {
  const s = obj(raw);
  return { name: str(s.name) ?? '?', status: str(s.status) ?? '', startedAt: time(s.startedAt), durationMs: num(s.durationMs) ?? 0, error: str(s.error) };
}

/** A full message view. */
export function toMessageView(raw: unknown): MessageView {
  const r = obj(raw);
  const m = obj(r.message);
  return {
    message: {
      ...toSummary(m),
      causationId: str(m.causationId),
      headers: Object.fromEntries(Object.entries(obj(m.headers)).map(([k, v]) => [k, str(v) ?? JSON.stringify(v)])),
      payloadText: str(m.payloadText) ?? '',
    },
    steps: arr(r.steps).map(step),
    deliveries: arr(r.deliveries).map(obj).map((d) => ({
      destination: str(d.destination) ?? '?',
      status: str(d.status) ?? '',
      attempts: num(d.attempts) ?? 0,
      lastError: str(d.lastError),
      deliveredAt: d.deliveredAt === undefined ? undefined : time(d.deliveredAt),
    })),
    lineage: arr(r.lineage).map(obj).map((l) => ({
      id: str(l.id) ?? '?',
      relation: l.relation === 'caused' ? 'caused' : 'caused-by',
      channel: str(l.channel),
    })),
  };
}

/** A dead letter row. */
export function toDeadLetter(raw: unknown): DeadLetter {
  const d = obj(raw);
  return {
    id: str(d.id) ?? '?',
    messageId: str(d.messageId) ?? '',
    channel: str(d.channel) ?? '',
    destination: str(d.destination) ?? '',
    code: str(d.code) ?? '',
    reason: str(d.reason) ?? '',
    createdAt: time(d.createdAt),
    ...(d.replayedAt !== undefined ? { replayedAt: time(d.replayedAt) } : {}),
  };
}

/** `{items, nextCursor?}` with each item normalized. */
export function toPage<T>(raw: unknown, item: (v: unknown) => T): { items: T[]; nextCursor?: string } {
  const p = obj(raw);
  const next = str(p.nextCursor);
  return next ? { items: arr(p.items).map(item), nextCursor: next } : { items: arr(p.items).map(item) };
}
