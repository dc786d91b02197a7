import type { MirthChannel, MirthConnector, MirthEndpoint, MirthStep } from './types.js';

/** A Loom channel as written in loom.config.yaml. */
export interface LoomChannelYaml {
  name: string;
  description: string;
  inbound: Record<string, unknown>;
  contentType: string;
  steps: Array<{ use: string; with: Record<string, unknown> }>;
  destinations: Array<Record<string, unknown>>;
}

/** An interface test in the `*.test.yaml` format of `loom test`. */
export interface InterfaceTestYaml {
  name: string;
  channel: string;
  input: { file: string };
  status?: 'failed';
  error?: string;
  expect: Record<string, Array<{ hl7: Record<string, string> } | { text: string }>>;
}

export interface MigratedChannel {
  /** ready: runs as generated; todo: runs, but TODO steps fail each message until ported; unsupported: not generated. */
  status: 'ready' | 'todo' | 'unsupported';
  mirthName: string;
  channel?: LoomChannelYaml;
  test?: { file: string; yaml: InterfaceTestYaml; fixtureFile: string; fixture: string };
  /** What the engineer must check or finish, in words. */
  notes: string[];
}

/** Mirth names → Loom's kebab-case channel and destination names. */
export function loomName(name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(slug) ? slug : `mirth-${slug || 'channel'}`;
}

const DATA_TYPES: Record<string, string> = { HL7V2: 'hl7v2', X12: 'x12', 'EDI/X12': 'x12', EDI: 'x12', JSON: 'json', DELIMITED: 'csv', RAW: 'text', XML: 'text', HL7V3: 'text' };

/** `msg['PID']['PID.3']['PID.3.1'].toString()` → `PID-3.1`; undefined when the field is not a plain segment path. */
export function mirthFieldToPath(field: string): string | undefined {
  const m = /^msg\['([A-Z][A-Z0-9]{2})'\](?:\['\1\.(\d+)'\](?:\['\1\.\2\.(\d+)'\])?)?(?:\.toString\(\))?$/.exec(field.trim());
  if (!m) return undefined;
  return `${m[1]}${m[2] ? `-${m[2]}` : ''}${m[3] ? `.${m[3]}` : ''}`;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A rule-builder rule as a Loom filter condition, or undefined when it has no equivalent. */
function ruleCondition(step: MirthStep): Record<string, unknown> | undefined {
  const field = step.rule ? mirthFieldToPath(step.rule.field) : undefined;
  if (!step.rule || !field) return undefined;
  const { condition, values } = step.rule;
  switch (condition) {
    case 'EQUALS': return { field, in: values };
    case 'NOT_EQUAL': return { field, in: values, not: true };
    case 'EXISTS': return { field, exists: true };
    case 'NOT_EXIST': return { field, exists: false };
    case 'CONTAINS': return { field, matches: values.map(escapeRegExp).join('|') };
    case 'NOT_CONTAIN': return { field, matches: values.map(escapeRegExp).join('|'), not: true };
    default: return undefined;
  }
}

function todoStep(channel: MirthChannel, connector: MirthConnector, step: MirthStep, why: string): { use: string; with: Record<string, unknown> } {
  return {
    use: 'migration-todo',
    with: {
      from: `Mirth channel "${channel.name}", ${connector.role === 'source' ? 'source' : `destination "${connector.name}"`}, ${step.kind} step "${step.name}"`,
      why,
      ...(step.script ? { script: step.script } : {}),
      ...(step.rule ? { rule: step.rule } : {}),
      ...(step.target ? { target: step.target } : {}),
    },
  };
}

function inboundOf(e: MirthEndpoint): Record<string, unknown> | string {
  if (e.kind === 'tcp-listener') return e.mllp ? { kind: 'mllp', host: e.host === '0.0.0.0' ? '0.0.0.0' : e.host, port: e.port } : 'a raw TCP listener (no MLLP framing)';
  if (e.kind === 'file-reader') return e.scheme === 'FILE' ? { kind: 'file', folder: e.path, pattern: e.fileFilter } : `a ${e.scheme} File Reader`;
  if (e.kind === 'http-listener') return { kind: 'http', port: e.port, path: e.contextPath };
  if (e.kind === 'channel-reader') return { kind: 'channel' };
  return describeUnmigrated(e);
}

function destinationOf(d: MirthConnector, channels: MirthChannel[]): Record<string, unknown> | string {
  const name = loomName(d.name);
  const e = d.endpoint;
  if (e.kind === 'tcp-sender') return e.mllp ? { name, kind: 'mllp', host: e.host, port: e.port } : 'a raw TCP sender (no MLLP framing)';
  if (e.kind === 'http-sender') return ['POST', 'PUT', 'PATCH'].includes(e.method) ? { name, kind: 'http', url: e.url, method: e.method } : `an HTTP ${e.method} sender`;
  if (e.kind === 'file-writer') return e.scheme === 'FILE' ? { name, kind: 'file', folder: e.path } : `a ${e.scheme} File Writer`;
  if (e.kind === 'channel-writer') {
    const target = channels.find((c) => c.id === e.channelId);
    return target ? { name, kind: 'channel', target: loomName(target.name) } : `a Channel Writer to unknown channel ${e.channelId}`;
  }
  return describeUnmigrated(e);
}

function describeUnmigrated(e: MirthEndpoint): string {
  if (e.kind === 'unsupported') return `an unsupported connector (${e.transport || e.propertiesClass})`;
  if (e.kind === 'javascript') return 'a JavaScript connector';
  return `a ${e.kind.replace('-', ' ')}`;
}

const SAMPLES: Record<string, string[]> = {
  ADT: ['EVN|A01|20261205080000', 'PID|1||MIG1001^^^MIRTH^MR||MIGRATE^TEST^A||19800101|F', 'PV1|1|I|4W^401^1|||||||||||||||||V1001'],
  ORU: ['PID|1||MIG1001^^^MIRTH^MR||MIGRATE^TEST^A||19800101|F', 'OBR|1|ORD1|FIL1|2345-7^Glucose^LN|||20261205073000', 'OBX|1|NM|2345-7^Glucose^LN||95|mg/dL|70-99|N|||F'],
  ORM: ['PID|1||MIG1001^^^MIRTH^MR||MIGRATE^TEST^A||19800101|F', 'ORC|NW|ORD1', 'OBR|1|ORD1||2345-7^Glucose^LN'],
};
const TRIGGERS: Record<string, string> = { ADT: 'A01', ORU: 'R01', ORM: 'O01', SIU: 'S12', DFT: 'P03', MDM: 'T02', RDE: 'O11', VXU: 'V04' };

/** A sample message for the test scaffold: the export's own template, else one that passes its filter. */
function sampleMessage(channel: MirthChannel, messageType: string | undefined): string {
  const template = channel.source.inboundTemplate?.trim();
  if (template && /^MSH\|/.test(template)) return template.replace(/\r?\n/g, '\r');
  const type = messageType ?? 'ADT';
  const segments = SAMPLES[type] ?? ['PID|1||MIG1001^^^MIRTH^MR||MIGRATE^TEST^A||19800101|F'];
  return [`MSH|^~\\&|MIRTH|LEGACY|LOOM|MIGRATION|20261205080000||${type}^${TRIGGERS[type] ?? 'A01'}|MIGRATE0001|P|2.5.1`, ...segments].join('\r');
}

/**
 * Generate the Loom equivalent of a simple Mirth channel (MLLP, file or HTTP in → filter →
 * mapping → MLLP, file, HTTP or channel out) and a `loom test` scaffold for it. Rule-builder
 * filters on plain segment fields become `filter` steps; every other step (JavaScript, mapper,
 * message builder, OR'ed rules) becomes a `migration-todo` step carrying the original script,
 * which fails each message with `migration.todo` until someone ports it: nothing is dropped silently.
 *
 * @example
 * const m = migrateMirthChannel(channel, estate.channels);
 * if (m.status !== 'unsupported') writeYaml(m.channel);
 */
export function migrateMirthChannel(channel: MirthChannel, all: MirthChannel[]): MigratedChannel {
  const notes: string[] = [];
  const name = loomName(channel.name);
  const inbound = inboundOf(channel.source.endpoint);
  const destinations = channel.destinations.filter((d) => d.enabled).map((d) => ({ d, out: destinationOf(d, all) }));
  const blockers = [
    ...(typeof inbound === 'string' ? [`its source is ${inbound}, which Loom has no migration for`] : []),
    ...destinations.flatMap(({ d, out }) => (typeof out === 'string' ? [`destination "${d.name}" is ${out}, which Loom has no migration for`] : [])),
    ...(destinations.length === 0 ? ['it has no enabled destination'] : []),
  ];
  const dataType = channel.source.inboundDataType ?? 'HL7V2';
  const contentType = DATA_TYPES[dataType];
  if (!contentType) blockers.push(`its data type ${dataType} has no Loom codec`);
  if (blockers.length > 0) return { status: 'unsupported', mirthName: channel.name, notes: blockers };

  const steps: LoomChannelYaml['steps'] = [];
  const filterTypes: string[] = [];
  for (const connector of [channel.source, ...channel.destinations.filter((d) => d.enabled)]) {
    const rules = connector.filter.filter((s) => s.enabled);
    const anyOr = rules.some((r, i) => i > 0 && r.operator === 'OR');
    for (const rule of rules) {
      const condition = rule.kind === 'rule-builder' && !anyOr && connector.role === 'source' ? ruleCondition(rule) : undefined;
      if (condition) {
        steps.push({ use: 'filter', with: { when: condition, reason: `Mirth filter rule "${rule.name}"` } });
        if (condition.field === 'MSH-9.1' && Array.isArray(condition.in) && condition.not !== true) filterTypes.push(...(condition.in as string[]));
      } else {
        const why = anyOr ? 'rules combined with OR have no one-step equivalent' : connector.role === 'destination' ? 'a destination filter: express it as the destination\'s `when` route' : `a ${rule.kind} rule`;
        steps.push(todoStep(channel, connector, rule, why));
      }
    }
    for (const step of connector.transformer.filter((s) => s.enabled)) {
      steps.push(todoStep(channel, connector, step, `a ${step.kind} transformer step: port it to a mapping or a TypeScript step`));
    }
  }
  const scripts = Object.entries(channel.scriptSizes).filter(([, n]) => n > 0).map(([k]) => k);
  if (scripts.length > 0) notes.push(`channel scripts (${scripts.join(', ')}) hold logic that is not migrated: review them`);
  const todo = steps.filter((s) => s.use === 'migration-todo').length;
  if (todo > 0) notes.push(`${todo} step(s) came over as migration-todo with the original script attached: each fails the message until it is ported`);
  const outs = destinations.map(({ out }) => out as Record<string, unknown>);
  for (const { d } of destinations) {
    if (d.endpoint.kind === 'file-writer') notes.push(`destination "${d.name}": Mirth's output pattern "${d.endpoint.outputPattern}" became Loom's {idempotencyKey}{ext} file names`);
  }
  if (typeof inbound !== 'string' && inbound.host === '0.0.0.0') notes.push('the listener binds 0.0.0.0 as in Mirth: narrow it to the interface the sender reaches');

  const loomChannel: LoomChannelYaml = {
    name, description: `Migrated from Mirth channel "${channel.name}"${channel.description ? `: ${channel.description}` : ''}`,
    inbound: inbound as Record<string, unknown>, contentType, steps, destinations: outs,
  };
  const hl7 = contentType === 'hl7v2';
  const fixture = hl7 ? sampleMessage(channel, filterTypes[0]) : contentType === 'json' ? '{"sample": "replace with a real message of this interface"}' : 'replace with a real message of this interface';
  const fixtureFile = `fixtures/${name}.${hl7 ? 'hl7' : contentType === 'json' ? 'json' : 'txt'}`;
  if (!hl7 || !channel.source.inboundTemplate) notes.push(`the test's input ${fixtureFile} is generated: replace it with a real message of this interface`);
  const unchanged = hl7 ? { hl7: { 'MSH-10': fixture.split('\r')[0]!.split('|')[9] ?? '' } } : { text: fixture };
  const test: InterfaceTestYaml = todo > 0
    ? { name: `${channel.name}: TODO steps fail the message until ported`, channel: name, input: { file: fixtureFile }, status: 'failed', error: 'migration.todo', expect: {} }
    : { name: `${channel.name}: the sample passes the filter and reaches every destination unchanged`, channel: name, input: { file: fixtureFile }, expect: Object.fromEntries(outs.map((o) => [String(o.name), [unchanged]])) };
  return {
    status: todo > 0 ? 'todo' : 'ready', mirthName: channel.name, channel: loomChannel, notes,
    test: { file: `${name}.test.yaml`, yaml: test, fixtureFile, fixture },
  };
}

/**
 * Migrate several channels together. Disabled ones are skipped. A Channel Writer whose target
 * could not be migrated is removed from its channel and replaced by a `migration-todo` step, so
 * the channel fails each message (nothing reaches only some destinations) until someone decides.
 */
export function migrateMirthEstate(chosen: MirthChannel[], all: MirthChannel[]): MigratedChannel[] {
  const results = chosen.map((c): MigratedChannel => (c.enabled ? migrateMirthChannel(c, all) : { status: 'unsupported', mirthName: c.name, notes: ['disabled in Mirth: not migrated (name it with --channel to migrate it anyway)'] }));
  const generated = new Set(results.flatMap((m) => (m.channel ? [m.channel.name] : [])));
  for (const m of results) {
    if (!m.channel || !m.test) continue;
    const dangling = m.channel.destinations.filter((d) => d.kind === 'channel' && !generated.has(String(d.target)));
    if (dangling.length === 0) continue;
    m.channel.destinations = m.channel.destinations.filter((d) => !dangling.includes(d));
    for (const d of dangling) {
      const why = `its destination "${String(d.name)}" handed messages to Mirth channel "${String(d.target)}", which is not migrated`;
      m.channel.steps.push({ use: 'migration-todo', with: { from: `Mirth channel "${m.mirthName}"`, why } });
      m.notes.unshift(`${why}: replaced by a migration-todo step`);
    }
    m.status = 'todo';
    const { name, channel, input } = m.test.yaml;
    m.test.yaml = { name: `${name.split(':')[0]}: TODO steps fail the message until ported`, channel, input, status: 'failed', error: 'migration.todo', expect: {} };
  }
  return results;
}
