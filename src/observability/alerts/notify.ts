import type { NotifyTarget } from './schema.js';

/** What is sent when an alert fires or resolves. */
export interface AlertEvent {
  name: string;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  state: 'firing' | 'resolved';
  /** ISO 8601: when the alert started firing. */
  since: string;
  at: string;
  message: string;
  value?: number;
}

/** A fetch-like function (tests pass their own). */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ ok: boolean; status: number }>;

/** The body of one target: the event itself (webhook) or `{to, subject, text}` (email relay). */
export function notificationBody(target: NotifyTarget, event: AlertEvent): unknown {
  if (target.kind === 'webhook') return event;
  const subject = `[Loom ${event.severity}] ${event.state === 'firing' ? 'FIRING' : 'resolved'}: ${event.name}`;
  const text = `${event.message}\n\nrule: ${event.name} (${event.kind})\nstate: ${event.state}\nsince: ${event.since}\nat: ${event.at}\n`;
  return { to: target.to, subject, text };
}

/**
 * POST an alert event to one target with a timeout. Resolves to an error text, or undefined
 * when the target answered 2xx. Never throws: a failing receiver must not stop the evaluator.
 *
 * @example await sendNotification({ kind: 'webhook', url: 'http://ops/hook' }, event)
 */
export async function sendNotification(target: NotifyTarget, event: AlertEvent, fetchFn: FetchLike = fetch as unknown as FetchLike, timeoutMs = 5000): Promise<string | undefined> {
  try {
    const res = await fetchFn(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.headers },
      body: JSON.stringify(notificationBody(target, event)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return res.ok ? undefined : `${target.kind} ${target.url} answered ${res.status}`;
  } catch (error) {
    return `${target.kind} ${target.url} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
