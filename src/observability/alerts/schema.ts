import { z } from 'zod';
import { parseDuration } from '../../config/index.js';
import { LoomError } from '../../kernel/index.js';

/**
 * Alert rules of `loom.config.yaml` (`alerts:`). The config loader keeps them as a passthrough
 * list of `{name, ...}`; `parseAlertRules` validates each with these schemas when the evaluator
 * starts, so a bad rule fails the start with its index and field.
 */

/** `15m`, `30s`, `1h30m` or a number of milliseconds. */
const Duration = z.union([z.number().int().min(0), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration like 15m, 30s, 500ms or 1h30m` });
    return z.NEVER;
  }
  return ms;
});

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** When a rule applies: hours `HH-HH` (end exclusive, may wrap midnight) and week days, in local time. */
export const ScheduleSchema = z.strictObject({
  days: z.array(z.enum(DAYS)).min(1).optional(),
  hours: z
    .string()
    .regex(/^([01]\d|2[0-4])-([01]\d|2[0-4])$/, 'hours look like 07-19 (start-end, end exclusive)')
    .optional(),
});

/** Where a firing (and resolving) alert goes. */
export const NotifySchema = z.discriminatedUnion('kind', [
  /** POST the alert event as JSON. */
  z.strictObject({ kind: z.literal('webhook'), url: z.url(), headers: z.record(z.string(), z.string()).optional() }),
  /** POST `{to, subject, text}` to a mail relay's HTTP endpoint. */
  z.strictObject({ kind: z.literal('email'), url: z.url(), to: z.array(z.string().min(3)).min(1), headers: z.record(z.string(), z.string()).optional() }),
]);

const common = {
  name: z.string().min(1),
  description: z.string().optional(),
  severity: z.enum(['info', 'warning', 'critical']).default('warning'),
  notify: z.array(NotifySchema).default([]),
};

export const AlertRuleSchema = z.discriminatedUnion('kind', [
  /** The channel is paused or no longer configured. */
  z.strictObject({ ...common, kind: z.literal('channel-stopped'), channel: z.string().min(1) }),
  /** No message received on `channel` for `minutes`, checked only within `schedule`. */
  z.strictObject({ ...common, kind: z.literal('no-messages'), channel: z.string().min(1), minutes: z.number().positive(), schedule: ScheduleSchema.optional() }),
  /** Failed share (rejected, failed, dead-lettered per received) above `above` percent over `window`. */
  z.strictObject({
    ...common,
    kind: z.literal('error-rate'),
    channel: z.string().min(1).optional(),
    above: z.number().min(0).max(100),
    window: Duration.default(300_000),
    /** Fewer received messages than this in the window never fire (one failure of one is not a rate). */
    minMessages: z.number().int().min(1).default(5),
  }),
  /** The oldest pending delivery is older than `seconds`. */
  z.strictObject({ ...common, kind: z.literal('queue-age'), channel: z.string().min(1).optional(), destination: z.string().min(1).optional(), seconds: z.number().positive() }),
  /** More than `above` dead letters over `window`. */
  z.strictObject({ ...common, kind: z.literal('dead-letters'), channel: z.string().min(1).optional(), above: z.number().int().min(0), window: Duration.default(3_600_000) }),
  /** An SLA's share met falls below `below` percent (default: the SLA's own target). */
  z.strictObject({ ...common, kind: z.literal('sla-breach'), sla: z.string().min(1), below: z.number().min(0).max(100).optional() }),
  /** Reconciliation leakage: accepted now, evaluated once the reconcile module reports (it never fires before). */
  z.strictObject({ ...common, kind: z.literal('recon-leakage'), job: z.string().min(1).optional(), above: z.number().min(0).default(0) }),
]);

export type AlertRule = z.output<typeof AlertRuleSchema>;
export type AlertKind = AlertRule['kind'];
export type NotifyTarget = z.output<typeof NotifySchema>;
export type Schedule = z.output<typeof ScheduleSchema>;

/**
 * An SLA per interface: messages of `channel` (to `destination`) delivered within `within`, or
 * process instances whose `measure` (discharge → charge) took at most `within`; `target` % of the time.
 */
export const SlaSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    /** Measured per message from receipt to delivery. */
    channel: z.string().min(1).optional(),
    destination: z.string().min(1).optional(),
    /** Measured per process instance: the samples named `measure` that processes record (of `process` only, when set). */
    measure: z.string().min(1).optional(),
    process: z.string().min(1).optional(),
    within: Duration,
    target: z.number().min(0).max(100).default(99),
    /** Samples kept for the percentage (rolling). */
    window: Duration.default(86_400_000),
  })
  .refine((d) => !(d.channel && d.measure), { message: 'an SLA measures either a channel or a process measure, not both', path: ['measure'] })
  .refine((d) => !d.destination || d.channel, { message: 'destination needs channel', path: ['destination'] })
  .refine((d) => !d.process || d.measure, { message: 'process needs measure (e.g. measure: discharge-to-charge)', path: ['process'] });
export type SlaDefinition = z.output<typeof SlaSchema>;

function parseList<T>(schema: z.ZodType<T>, list: readonly unknown[], where: string): T[] {
  return list.map((raw, i) => {
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const field = issue?.path.length ? `.${issue.path.join('.')}` : '';
    const name = typeof raw === 'object' && raw !== null && 'name' in raw ? ` ("${String((raw as { name: unknown }).name)}")` : '';
    throw new LoomError('config.field.invalid', `${where}[${i}]${name}: ${issue?.message ?? 'invalid'}`, {
      location: `loom.config.yaml ${where}[${i}]${field}`,
      hint: 'see docs/observability.md for the rule kinds and their fields',
    });
  });
}

/**
 * Validate the config's `alerts:` list. Throws `config.field.invalid` naming the rule.
 *
 * @example parseAlertRules([{ name: 'adt-quiet', kind: 'no-messages', channel: 'adt', minutes: 15 }])
 */
export function parseAlertRules(list: readonly unknown[]): AlertRule[] {
  const rules = parseList(AlertRuleSchema, list, 'alerts');
  const seen = new Set<string>();
  for (const [i, r] of rules.entries()) {
    if (seen.has(r.name)) throw new LoomError('config.field.invalid', `alerts[${i}]: the name "${r.name}" is used twice`, { location: `loom.config.yaml alerts[${i}].name`, hint: 'give each rule its own name' });
    seen.add(r.name);
  }
  return rules;
}

/**
 * Validate SLA definitions (a `slas:` list).
 *
 * @example parseSlas([{ name: 'adt-to-erp', channel: 'adt', within: '15m', target: 99 }])
 */
export function parseSlas(list: readonly unknown[]): SlaDefinition[] {
  return parseList(SlaSchema, list, 'slas');
}

/** Whether `at` falls within `schedule` (local time); no schedule = always. */
export function inSchedule(schedule: Schedule | undefined, at: Date): boolean {
  if (!schedule) return true;
  if (schedule.days && !schedule.days.includes(DAYS[at.getDay()])) return false;
  if (schedule.hours) {
    const [from, to] = schedule.hours.split('-').map(Number);
    const h = at.getHours();
    if (from === to) return true;
    return from < to ? h >= from && h < to : h >= from || h < to;
  }
  return true;
}
