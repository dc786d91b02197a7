import type { ChannelConfig, Endpoint } from '../config/index.js';
import type { ChannelDefinition, StepContext, StepUse } from '../engine/index.js';
import { ContentTypes, LoomError, type ConnectorContext, type ConnectorKind, type OutboundConnector } from '../kernel/index.js';
import { messageTypeOf, topLevelField } from './standard-steps.js';
import { ShadowOutbound, type ShadowRecorder } from '../modernization/index.js';

export type ConnectorRegistry = Record<string, ConnectorKind<unknown>>;

/** Config format names → the MIME content types the engine keys readers and parsers on. */
export const contentTypeOfFormat: Record<ChannelConfig['contentType'], string> = {
  hl7v2: ContentTypes.hl7v2,
  x12: ContentTypes.x12,
  fhir: ContentTypes.fhir,
  json: ContentTypes.json,
  csv: ContentTypes.csv,
  text: ContentTypes.text,
};

export interface BuiltChannel {
  definition: ChannelDefinition;
  inbound: Endpoint;
  /** Outbound connectors made for this channel, closed when it is removed or changed. */
  outbound: OutboundConnector[];
}

function connectorKind(registry: ConnectorRegistry, kind: string, where: string): ConnectorKind<unknown> {
  const found = registry[kind];
  if (!found) throw new LoomError('config.connector.unknown', `no connector kind "${kind}"`, { location: where, hint: `known kinds: ${Object.keys(registry).join(', ')}` });
  return found;
}

/** A destination's `when: {messageType: [...], receiverId: ...}` as a predicate for the route step (header, else top-level field). */
function whenPredicate(when: Record<string, string | string[]>): (ctx: StepContext) => boolean {
  const rules = Object.entries(when).map(([field, allowed]) => ({ field, allowed: Array.isArray(allowed) ? allowed : [allowed] }));
  return (ctx) =>
    rules.every(({ field, allowed }) => {
      const value = field === 'messageType' ? messageTypeOf(ctx.parsed()) : ctx.envelope.headers[field] ?? topLevelField(ctx.parsed(), field);
      return value !== undefined && allowed.some((a) => value === a || value.startsWith(`${a}^`));
    });
}

/**
 * Turn one validated channel of loom.config.yaml into the engine's ChannelDefinition, building
 * its outbound connectors. Destinations with `when` make a content-based route step at the end.
 * A channel in a shadow run gets recording destinations instead: the real systems are never called.
 */
export function buildChannel(channel: ChannelConfig, registry: ConnectorRegistry, context: ConnectorContext, shadow?: ShadowRecorder): BuiltChannel {
  const outbound: OutboundConnector[] = [];
  if (channel.shadow) {
    if (!shadow) throw new LoomError('config.shadow.unavailable', `channel "${channel.name}" asks for a shadow run, which this engine cannot record`, { location: `channels.${channel.name}.shadow` });
    shadow.shadow({ name: channel.name, format: channel.contentType === 'hl7v2' ? 'hl7v2' : channel.contentType === 'json' || channel.contentType === 'fhir' ? 'json' : 'text', shadow: channel.shadow });
  }
  const destinations = channel.destinations.map((destination, index) => {
    const where = `channels.${channel.name}.destinations[${index}]`;
    const kind = connectorKind(registry, destination.kind, where);
    if (!kind.outbound) {
      throw new LoomError('config.connector.direction', `connector kind "${destination.kind}" cannot send`, { location: where, hint: 'use it as inbound, or pick a kind that delivers' });
    }
    const connector = channel.shadow && shadow ? new ShadowOutbound(shadow, channel.name, destination.name)
      : kind.outbound(destination.options, context.logger ? { ...context, logger: context.logger.child({ destination: destination.name }) } : context);
    outbound.push(connector);
    return {
      name: destination.name,
      connector,
      retry: { maxAttempts: destination.retry.maxAttempts, baseDelayMs: destination.retry.backoff.base, maxDelayMs: destination.retry.backoff.max },
      breaker: { threshold: destination.breaker.failures, cooldownMs: destination.breaker.cooldown },
    };
  });

  const steps: StepUse[] = [];
  // A pinned contract checks the message before anything reads it (docs/governance.md).
  if (channel.contract) steps.push({ use: 'contract', with: { name: channel.contract.name, version: channel.contract.version } });
  if (channel.orderingKey) steps.push({ use: channel.orderingKey.use, ...(channel.orderingKey.with ? { with: channel.orderingKey.with } : {}) });
  steps.push(...channel.steps.map((s) => ({ use: s.use, ...(s.with ? { with: s.with } : {}) })));
  // Recipient list: a destination without `when` takes every message, one with `when` only the
  // messages its rule matches (docs/configuration.md).
  if (channel.destinations.some((d) => d.when)) {
    const always = () => true;
    steps.push({
      use: 'route',
      with: {
        all: true,
        routes: channel.destinations.map((d) => ({ when: d.when ? whenPredicate(d.when) : always, to: [d.name] })),
      },
    });
  }

  return {
    definition: {
      name: channel.name,
      sourceSystem: channel.source ?? channel.name,
      contentType: contentTypeOfFormat[channel.contentType],
      ackMode: channel.ackMode,
      validateBeforeAck: channel.validateBeforeAck,
      ordered: channel.ordered,
      steps,
      destinations,
      dedupWindowMs: channel.dedup.enabled ? channel.dedup.window : 0,
      maxPayloadBytes: channel.maxPayloadBytes,
      retention: { processedMs: channel.retention.processed, errorMs: channel.retention.failed, deadLetterMs: channel.retention.deadLettered },
    },
    inbound: channel.inbound,
    outbound,
  };
}
