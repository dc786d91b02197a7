/** Alert rules, their evaluation, notification and history. */
export { AlertRuleSchema, NotifySchema, ScheduleSchema, SlaSchema, inSchedule, parseAlertRules, parseSlas, type AlertKind, type AlertRule, type NotifyTarget, type Schedule, type SlaDefinition } from './schema.js';
export { checkRule, type AlertSnapshot, type ChannelState, type Verdict } from './rules.js';
export { notificationBody, sendNotification, type AlertEvent, type FetchLike } from './notify.js';
export { AlertEvaluator, type AlertEvaluatorOptions, type AlertHistoryEntry, type AlertView, type FiringAlert } from './evaluator.js';
