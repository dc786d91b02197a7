import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineSignals } from '../signals.js';
import { SlaTracker } from '../slas.js';
import { AlertEvaluator } from './evaluator.js';
import type { FetchLike } from './notify.js';
import { checkRule, type AlertSnapshot, type ChannelState } from './rules.js';
import { inSchedule, parseAlertRules, parseSlas } from './schema.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function snapshot(over: Partial<AlertSnapshot> = {}): AlertSnapshot {
  return {
    now: Date.parse('2026-03-04T10:00:00'),
    since: Date.parse('2026-03-04T09:00:00'),
    channels: [],
    counts: () => ({ received: 0, failed: 0, deadLettered: 0, delivered: 0 }),
    lastReceivedAt: () => undefined,
    sla: () => undefined,
    ...over,
  };
}

describe('alert rule schema', () => {
  it('accepts every kind and normalizes durations and defaults', () => {
    const rules = parseAlertRules([
      { name: 'a', kind: 'channel-stopped', channel: 'adt' },
      { name: 'b', kind: 'no-messages', channel: 'adt', minutes: 15, schedule: { days: ['mon', 'tue'], hours: '07-19' } },
      { name: 'c', kind: 'error-rate', above: 5, window: '10m' },
      { name: 'd', kind: 'queue-age', seconds: 300 },
      { name: 'e', kind: 'dead-letters', above: 0 },
      { name: 'f', kind: 'sla-breach', sla: 'adt-to-erp' },
      { name: 'g', kind: 'recon-leakage' },
    ]);
    expect(rules.map((r) => r.kind)).toEqual(['channel-stopped', 'no-messages', 'error-rate', 'queue-age', 'dead-letters', 'sla-breach', 'recon-leakage']);
    expect(rules[2]).toMatchObject({ window: 600_000, minMessages: 5, severity: 'warning', notify: [] });
    expect(rules[4]).toMatchObject({ window: 3_600_000 });
  });

  it('names the rule and field of an error', () => {
    expect(() => parseAlertRules([{ name: 'ok', kind: 'channel-stopped', channel: 'x' }, { name: 'bad', kind: 'error-rate', above: 5, window: 'soon' }])).toThrow(
      expect.objectContaining({ code: 'config.field.invalid', location: 'loom.config.yaml alerts[1].window' }),
    );
    expect(() => parseAlertRules([{ name: 'x', kind: 'nope' }])).toThrow(/alerts\[0\] \("x"\)/);
    expect(() => parseAlertRules([{ name: 'x', kind: 'recon-leakage' }, { name: 'x', kind: 'recon-leakage' }])).toThrow(/used twice/);
    expect(() => parseAlertRules([{ name: 'w', kind: 'dead-letters', above: 1, notify: [{ kind: 'email', url: 'http://relay/send' }] }])).toThrow(/alerts\[0\]/);
    expect(() => parseSlas([{ name: 's', channel: 'adt' }])).toThrow(expect.objectContaining({ location: 'loom.config.yaml slas[0].within' }));
  });

  it('checks schedules by local day and hour, wrapping midnight', () => {
    const wed10 = new Date(2026, 2, 4, 10);
    expect(inSchedule({ days: ['wed'], hours: '07-19' }, wed10)).toBe(true);
    expect(inSchedule({ days: ['mon'] }, wed10)).toBe(false);
    expect(inSchedule({ hours: '22-06' }, new Date(2026, 2, 4, 23))).toBe(true);
    expect(inSchedule({ hours: '22-06' }, wed10)).toBe(false);
  });
});

describe('checkRule', () => {
  const [stopped, quiet, errors, age, dead, sla, recon] = parseAlertRules([
    { name: 'stopped', kind: 'channel-stopped', channel: 'adt' },
    { name: 'quiet', kind: 'no-messages', channel: 'adt', minutes: 15 },
    { name: 'errors', kind: 'error-rate', channel: 'adt', above: 10, window: '5m' },
    { name: 'age', kind: 'queue-age', seconds: 60 },
    { name: 'dead', kind: 'dead-letters', above: 2 },
    { name: 'sla', kind: 'sla-breach', sla: 's1' },
    { name: 'recon', kind: 'recon-leakage' },
  ]);
  const adt = (paused: boolean, oldestPendingMs = 0): ChannelState => ({ name: 'adt', paused, destinations: [{ name: 'erp', oldestPendingMs }] });

  it('channel-stopped fires on a paused or missing channel', () => {
    expect(checkRule(stopped, snapshot({ channels: [adt(false)] })).firing).toBe(false);
    expect(checkRule(stopped, snapshot({ channels: [adt(true)] }))).toMatchObject({ firing: true, message: 'channel adt is paused' });
    expect(checkRule(stopped, snapshot()).firing).toBe(true);
  });

  it('no-messages counts from the last receipt, or from start', () => {
    const s = snapshot();
    expect(checkRule(quiet, { ...s, lastReceivedAt: () => s.now - 5 * 60_000 }).firing).toBe(false);
    expect(checkRule(quiet, { ...s, lastReceivedAt: () => s.now - 20 * 60_000 })).toMatchObject({ firing: true, value: 20 });
    expect(checkRule(quiet, s).firing).toBe(true); // an hour since start, nothing received
    const night = parseAlertRules([{ name: 'n', kind: 'no-messages', channel: 'adt', minutes: 1, schedule: { hours: '22-06' } }])[0];
    expect(checkRule(night, s)).toMatchObject({ firing: false, note: 'outside schedule' });
  });

  it('error-rate needs minMessages and compares the failed share', () => {
    const counts = (received: number, failed: number) => () => ({ received, failed, deadLettered: 0, delivered: 0 });
    expect(checkRule(errors, snapshot({ counts: counts(3, 3) })).firing).toBe(false);
    expect(checkRule(errors, snapshot({ counts: counts(100, 10) })).firing).toBe(false);
    expect(checkRule(errors, snapshot({ counts: counts(100, 11) }))).toMatchObject({ firing: true, value: 11 });
  });

  it('queue-age, dead-letters, sla-breach and recon-leakage', () => {
    expect(checkRule(age, snapshot({ channels: [adt(false, 30_000)] })).firing).toBe(false);
    expect(checkRule(age, snapshot({ channels: [adt(false, 90_000)] }))).toMatchObject({ firing: true, message: expect.stringContaining('adt → erp waits 90 s') });
    expect(checkRule(dead, snapshot({ counts: () => ({ received: 9, failed: 3, deadLettered: 3, delivered: 0 }) })).firing).toBe(true);
    const report = (percentMet: number | null) => () => ({ name: 's1', withinMs: 1, target: 99, windowMs: 1, total: 10, met: 9, percentMet, ok: null, worstMs: 1 });
    expect(checkRule(sla, snapshot({ sla: report(90) }))).toMatchObject({ firing: true, value: 90 });
    expect(checkRule(sla, snapshot({ sla: report(99.5) })).firing).toBe(false);
    expect(checkRule(sla, snapshot({ sla: report(null) })).firing).toBe(false);
    expect(checkRule(recon, snapshot())).toMatchObject({ firing: false, note: 'waiting for reconciliation results' });
  });
});

describe('AlertEvaluator', () => {
  it('notifies on firing and resolved, respects silences, and keeps history on disk', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-alerts-'));
    dirs.push(dir);
    const sent: Array<{ url: string; body: Record<string, unknown> }> = [];
    const fetchFn: FetchLike = async (url, init) => {
      sent.push({ url, body: JSON.parse(init.body) as Record<string, unknown> });
      return url.includes('broken') ? { ok: false, status: 500 } : { ok: true, status: 200 };
    };
    let paused = true;
    let now = Date.parse('2026-03-04T10:00:00Z');
    const rules = parseAlertRules([
      {
        name: 'adt-stopped',
        kind: 'channel-stopped',
        channel: 'adt',
        severity: 'critical',
        notify: [{ kind: 'webhook', url: 'http://ops/hook' }, { kind: 'email', url: 'http://relay/send', to: ['oncall@example.org'] }, { kind: 'webhook', url: 'http://broken/hook' }],
      },
    ]);
    const historyFile = path.join(dir, 'alerts.jsonl');
    const make = () =>
      new AlertEvaluator({ rules, channels: async () => [{ name: 'adt', paused }], signals: new EngineSignals(() => now), slas: new SlaTracker([], () => now), fetch: fetchFn, now: () => now, historyFile, historyLimit: 4 });
    const alerts = make();
    await alerts.evaluate();
    expect(alerts.view().firing).toMatchObject([{ name: 'adt-stopped', severity: 'critical', message: 'channel adt is paused' }]);
    expect(sent.map((s) => s.url)).toEqual(['http://ops/hook', 'http://relay/send', 'http://broken/hook']);
    expect(sent[0].body).toMatchObject({ name: 'adt-stopped', state: 'firing', kind: 'channel-stopped' });
    expect(sent[1].body).toEqual({ to: ['oncall@example.org'], subject: '[Loom critical] FIRING: adt-stopped', text: expect.stringContaining('channel adt is paused') });
    await alerts.evaluate(); // still firing: no second notification
    expect(sent).toHaveLength(3);

    paused = false;
    now += 60_000;
    await alerts.evaluate();
    expect(alerts.view().firing).toEqual([]);
    expect(sent).toHaveLength(6);
    expect(sent[3].body).toMatchObject({ state: 'resolved' });

    alerts.silence('adt-stopped', 30, 'EHR upgrade', 'ops');
    expect(() => alerts.silence('nope', 1, 'x', 'ops')).toThrow(expect.objectContaining({ code: 'alert.unknown' }));
    paused = true;
    now += 60_000;
    await alerts.evaluate();
    expect(sent).toHaveLength(6); // silenced: recorded, not sent
    const view = alerts.view();
    expect(view.firing[0].silencedUntil).toBeDefined();
    expect(view.rules[0]).toMatchObject({ state: 'firing', silenceReason: 'EHR upgrade' });
    expect(view.history.map((h) => h.event)).toEqual(['resolved', 'notify-failed', 'silenced', 'firing']);
    expect(view.history).toHaveLength(4); // bounded
    expect(view.history.at(-1)).toMatchObject({ event: 'firing', notified: false });

    // The file holds every entry; a new evaluator starts with the last `historyLimit` of them.
    const lines = readFileSync(historyFile, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['firing', 'notify-failed', 'resolved', 'notify-failed', 'silenced', 'firing']);
    expect(make().view().history.map((h) => h.event)).toEqual(['resolved', 'notify-failed', 'silenced', 'firing']);
  });
});
