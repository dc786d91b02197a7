import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { EngineEvents } from '../engine/index.js';
import { parseSlas } from './alerts/schema.js';
import { EngineSignals, type SignalEventSource } from './signals.js';
import { SlaTracker } from './slas.js';

// Compile-time check that the engine's emitter fits (tsc fails otherwise).
export const fits = (events: EngineEvents): SignalEventSource => events;

describe('EngineSignals and SlaTracker', () => {
  it('measures receipt → delivered per channel and destination against each SLA', () => {
    let now = Date.parse('2026-03-04T10:00:00Z');
    const clock = () => now;
    const events = new EventEmitter();
    const signals = new EngineSignals(clock);
    signals.attach(events as unknown as SignalEventSource);
    const slas = new SlaTracker(
      parseSlas([
        { name: 'adt-to-erp', channel: 'adt', destination: 'erp', within: '10s', target: 90 },
        { name: 'adt-any', channel: 'adt', within: '1m' },
        { name: 'discharge-to-charge', within: '15m', target: 95 },
      ]),
      clock,
    );
    slas.attach(signals);
    expect(slas.get('adt-to-erp')).toMatchObject({ total: 0, percentMet: null, ok: null });

    // deliveries carry their message's stored receipt time (the engine reads it with the outbox row)
    const receivedAt = new Map<string, number>();
    for (const [id, delay] of [['m1', 2_000], ['m2', 5_000], ['m3', 30_000]] as const) {
      events.emit('received', { channel: 'adt', messageId: id, bytes: 1 });
      receivedAt.set(id, now);
      now += delay;
      events.emit('delivered', { channel: 'adt', destination: 'erp', messageId: id, receivedAt: receivedAt.get(id) });
    }
    events.emit('delivered', { channel: 'adt', destination: 'wms', messageId: 'm1', receivedAt: receivedAt.get('m1') });
    // a delivery without a receipt time counts as delivered but is not an SLA sample
    events.emit('delivered', { channel: 'adt', destination: 'erp', messageId: 'm9' });
    events.emit('deadLettered', { channel: 'adt', destination: 'wms', messageId: 'm2' });
    events.emit('rejected', { channel: 'adt', messageId: 'm4' });

    expect(slas.get('adt-to-erp')).toMatchObject({ total: 3, met: 2, percentMet: 66.67, ok: false, worstMs: 30_000, withinMs: 10_000 });
    expect(slas.get('adt-any')).toMatchObject({ total: 4, met: 4, percentMet: 100, ok: true, target: 99 });
    expect(signals.counts('adt', 60_000)).toEqual({ received: 3, failed: 2, deadLettered: 1, delivered: 5 });
    expect(signals.counts('other', 60_000).received).toBe(0);
    expect(signals.lastReceivedAt('adt')).toBe(Date.parse('2026-03-04T10:00:07Z'));

    // Process SLAs arrive through recordSlaSample.
    slas.recordSlaSample('discharge-to-charge', 8 * 60_000);
    slas.recordSlaSample('discharge-to-charge', 20 * 60_000);
    slas.recordSlaSample('discharge-to-charge', 1_000, false);
    expect(slas.get('discharge-to-charge')).toMatchObject({ total: 3, met: 1, percentMet: 33.33 });
    expect(() => slas.recordSlaSample('nope', 1)).toThrow(expect.objectContaining({ code: 'sla.unknown' }));

    // Samples older than the window drop out.
    now += 2 * 86_400_000;
    expect(slas.get('adt-to-erp')).toMatchObject({ total: 0, percentMet: null });
    expect(signals.counts('adt', 60_000).received).toBe(0);
  });

  it('counts process samples for the SLAs whose measure (and process, when set) match', () => {
    const slas = new SlaTracker(parseSlas([
      { name: 'discharge-to-charge', measure: 'discharge-to-charge', within: '15m', target: 95 },
      { name: 'dc-only', process: 'discharge-charge', measure: 'discharge-to-charge', within: '5m' },
    ]));
    expect(slas.recordProcessSample({ process: 'discharge-charge', measure: 'discharge-to-charge', durationMs: 8 * 60_000 })).toBe(2);
    expect(slas.recordProcessSample({ process: 'other-process', measure: 'discharge-to-charge', durationMs: 20 * 60_000 })).toBe(1);
    expect(slas.recordProcessSample({ process: 'discharge-charge', measure: 'asn-before-delivery', durationMs: 1 })).toBe(0);
    expect(slas.get('discharge-to-charge')).toMatchObject({ total: 2, met: 1, percentMet: 50, ok: false, worstMs: 20 * 60_000, measure: 'discharge-to-charge' });
    expect(slas.get('dc-only')).toMatchObject({ total: 1, met: 0, process: 'discharge-charge' });
  });

  it('reports attainment per hour over the last 24 h, null for empty hours and minutes outside the window', () => {
    let now = 0;
    const at = (iso: string) => (now = Date.parse(iso));
    const slas = new SlaTracker(parseSlas([{ name: 'x', within: '1m', target: 90, window: '3h' }, { name: 'idle', within: '1m' }]), () => now);
    at('2026-03-04T07:20:00Z');
    slas.recordSlaSample('x', 1_000); // outside the window by 10:30
    at('2026-03-04T08:15:00Z');
    slas.recordSlaSample('x', 1_000);
    slas.recordSlaSample('x', 59_000);
    at('2026-03-04T08:45:00Z');
    slas.recordSlaSample('x', 120_000); // missed
    at('2026-03-04T10:05:00Z');
    for (let i = 0; i < 3; i++) slas.recordSlaSample('x', 500);
    at('2026-03-04T10:30:00Z');

    const trend = slas.trend('x');
    expect(trend).toHaveLength(24);
    expect(trend[0]?.t).toBe('2026-03-03T11:00:00.000Z');
    expect(trend.slice(-4)).toEqual([
      { t: '2026-03-04T07:00:00.000Z', total: 0, percentMet: null },
      { t: '2026-03-04T08:00:00.000Z', total: 3, percentMet: 66.67 },
      { t: '2026-03-04T09:00:00.000Z', total: 0, percentMet: null },
      { t: '2026-03-04T10:00:00.000Z', total: 3, percentMet: 100 },
    ]);
    expect(trend.slice(0, -4).every((p) => p.percentMet === null && p.total === 0)).toBe(true);
    // The trend adds up to the report over the same window.
    expect(slas.get('x')).toMatchObject({ total: 6, met: 5 });
    expect(trend.reduce((n, p) => n + p.total, 0)).toBe(6);

    // Other bucket sizes: half hours, last four.
    expect(slas.trend('x', 30 * 60_000, 4).map((p) => [p.t.slice(11, 16), p.percentMet])).toEqual([
      ['09:00', null],
      ['09:30', null],
      ['10:00', 100],
      ['10:30', null],
    ]);
    expect(slas.trend('idle').every((p) => p.percentMet === null)).toBe(true);
    expect(slas.trend('nope')).toEqual([]);
  });

  it('rejects an SLA that names both a channel and a measure, or a process without a measure', () => {
    expect(() => parseSlas([{ name: 'x', channel: 'adt', measure: 'm', within: '1m' }])).toThrow(/either a channel or a process measure/);
    expect(() => parseSlas([{ name: 'y', process: 'discharge-charge', within: '1m' }])).toThrow(/process needs measure/);
    expect(() => parseSlas([{ name: 'z', destination: 'erp', within: '1m' }])).toThrow(/destination needs channel/);
  });
});
