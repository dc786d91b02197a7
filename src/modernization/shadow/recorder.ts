import { createHash } from 'node:crypto';
import { parseHl7v2 } from '../../codecs/index.js';
import type { DeliveryRequest, DeliveryResult, OutboundConnector } from '../../kernel/connector.js';
import { LoomError } from '../../kernel/errors.js';
import type { Clock } from '../../kernel/ports.js';
import { compareOutputs } from './compare.js';
import type { ShadowConfig } from './schema.js';
import type { ShadowRow, ShadowStore } from './store.js';

export type ShadowFormat = 'hl7v2' | 'json' | 'text';

/** The key an output carries (`MSH-10`, `poNumber`), or its content hash when it has none. */
export function outputKey(format: ShadowFormat, payload: string, keyPath: string): string {
  try {
    if (format === 'hl7v2') {
      const value = parseHl7v2(payload).get(keyPath);
      if (value) return value;
    } else if (format === 'json') {
      let cur: unknown = JSON.parse(payload);
      for (const part of keyPath.split('.')) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
      if (typeof cur === 'string' || typeof cur === 'number') return String(cur);
    }
  } catch {
    // unreadable output: fall back to the content hash below
  }
  return `sha256:${createHash('sha256').update(payload).digest('hex').slice(0, 32)}`;
}

/** A shadowed channel as the recorder needs it. */
export interface ShadowedChannel { name: string; format: ShadowFormat; shadow: ShadowConfig }

/**
 * Records both sides of a shadow run and compares them as soon as both are there.
 *
 * @example
 * await recorder.record('legacy', channel, 'to-lis', legacyAck);
 */
export class ShadowRecorder {
  private readonly channels = new Map<string, ShadowedChannel>();

  constructor(private readonly store: ShadowStore, private readonly clock: Clock) {}

  /** Declare (or re-declare on reload) a shadowed channel. */
  shadow(channel: ShadowedChannel): void {
    this.channels.set(channel.name, channel);
  }

  channel(name: string): ShadowedChannel {
    const found = this.channels.get(name);
    if (!found) throw new LoomError('shadow.channel.unknown', `channel "${name}" is not in a shadow run`, { location: name, hint: 'add `shadow: {}` to the channel in loom.config.yaml' });
    return found;
  }

  async record(side: 'loom' | 'legacy', channelName: string, destination: string, payload: string): Promise<ShadowRow> {
    const channel = this.channel(channelName);
    const key = outputKey(channel.format, payload, channel.shadow.matchBy);
    return this.store.record(side, { channel: channel.name, destination, key, payload, at: new Date(this.clock.now()).toISOString() }, (loom, legacy) => {
      if (loom === undefined) return { status: 'legacy-only', differences: [] };
      if (legacy === undefined) return { status: 'loom-only', differences: [] };
      const differences = compareOutputs(channel.format, loom, legacy, channel.shadow.ignore);
      return { status: differences.length === 0 ? 'match' : 'differ', differences };
    });
  }

  summary() {
    return this.store.summary();
  }

  list(channel: string, options: { status?: ShadowRow['status']; limit: number }) {
    return this.store.list(channel, options);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/**
 * A destination of a shadowed channel: records what it would have sent instead of sending it.
 * The real system is never called during a shadow run.
 */
export class ShadowOutbound implements OutboundConnector {
  readonly kind = 'shadow';
  constructor(private readonly recorder: ShadowRecorder, private readonly channel: string, private readonly destination: string) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const row = await this.recorder.record('loom', this.channel, this.destination, Buffer.from(request.payload).toString('utf8'));
    return { status: 'delivered', response: `shadow run: recorded as ${row.key} (${row.status}), not sent` };
  }

  async close(): Promise<void> {}
}
