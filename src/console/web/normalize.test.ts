import { describe, expect, it } from 'vitest';
import { channelHealth, outboxDepth } from './health.js';
import { toChannel, toMessageView, toSummary } from './normalize.js';

describe('normalize', () => {
  it('reads a channel whose destinations carry no circuit or outbox counts without inventing numbers', () => {
    const ch = toChannel({
      name: 'ehr-adt', status: 'paused', ordered: false, sourceSystem: 'EHR',
      counts: { processed: 10, 'dead-lettered': 2 },
      destinations: [{ name: 'erp', kind: 'http' }],
    });
    // received: the sum over statuses when no total is sent (the engine's counts are disjoint)
    expect(ch.counts).toEqual({ received: 12, processed: 10, rejected: 0, duplicate: 0, failed: 0, deadLettered: 2 });
    expect(ch.destinations[0]).toEqual({ name: 'erp', kind: 'http', circuit: 'unknown', pending: undefined, delivered: undefined, dead: undefined });
    expect(ch.inbound).toEqual({ kind: '', address: '' });
    expect(outboxDepth(ch)).toBeUndefined();
    expect(channelHealth(ch)).toBe('degraded'); // paused
  });

  it('reads the engine channel status: received total, circuits and per-destination dead letters', () => {
    const ch = toChannel({
      name: 'adt', status: 'running', counts: { received: 1, processed: 7, rejected: 2 }, received: 10,
      destinations: [
        { name: 'erp', kind: 'http', circuit: 'open', pending: 3, delivered: 5, dead: 2 },
        { name: 'wms', kind: 'http', circuit: 'closed', pending: 0, delivered: 7, dead: 1 },
      ],
    });
    expect(ch.counts).toMatchObject({ received: 10, processed: 7, rejected: 2, deadLettered: 3 });
    expect(ch.destinations[0]).toEqual({ name: 'erp', kind: 'http', circuit: 'open', pending: 3, delivered: 5, dead: 2 });
    expect(outboxDepth(ch)).toBe(3);
    expect(channelHealth(ch)).toBe('down');
  });

  it('accepts epoch-millisecond step times, missing keys and lineage without channel', () => {
    const view = toMessageView({
      message: { id: 'm1', channel: 'c', status: 'processed', receivedAt: '2026-01-01T00:00:00.000Z', contentType: 'application/hl7-v2', payloadText: 'MSH|^~\\&', keys: { mrn: 'M1' } },
      steps: [{ name: 'decode', status: 'ok', startedAt: 1767225600000, durationMs: 0.4 }],
      deliveries: [{ destination: 'erp', status: 'delivered', attempts: 1, deliveredAt: '2026-01-01T00:00:01.000Z' }],
      lineage: [{ id: 'm0', relation: 'caused-by' }],
    });
    expect(view.steps[0]!.startedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(view.message.keys).toEqual({ mrn: 'M1' });
    expect(view.message.headers).toEqual({});
    expect(view.lineage[0]).toEqual({ id: 'm0', relation: 'caused-by', channel: undefined });
    expect(toSummary({ id: 'x', error: 'bad PID-3' }).keys).toEqual({});
    expect(toSummary({ id: 'x', keys: [{ name: 'po', value: 'PO-1' }] }).keys).toEqual({ po: 'PO-1' });
  });
});
