import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsOptions } from './schema.js';

/** Open a NATS connection that reconnects forever (JetStream redelivers whatever was not acked). */
export function openNats(options: Pick<NatsOptions, 'servers' | 'token' | 'user' | 'pass'>): Promise<NatsConnection> {
  return connect({
    servers: options.servers,
    ...(options.token ? { token: options.token } : {}),
    ...(options.user ? { user: options.user, pass: options.pass } : {}),
    reconnect: true,
    maxReconnectAttempts: -1,
    name: 'loom',
  });
}

/** Create the stream on `subject` when it is missing (ensureStream). */
export async function ensureStream(jsm: JetStreamManager, stream: string, subject: string, duplicateWindowMs: number): Promise<void> {
  try {
    await jsm.streams.info(stream);
  } catch {
    // duplicate_window is in nanoseconds
    await jsm.streams.add({ name: stream, subjects: [subject], duplicate_window: duplicateWindowMs * 1_000_000 });
  }
}

export { jetstreamManager };
