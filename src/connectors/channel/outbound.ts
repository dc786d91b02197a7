import { LoomError, toLoomError } from '../../kernel/errors.js';
import type { DeliveryRequest, DeliveryResult, Intake, OutboundConnector } from '../../kernel/connector.js';

/** Headers the loopback puts on the target message, for lineage and idempotency. */
export const LoopbackHeaders = {
  idempotencyKey: 'x-loom-idempotency-key',
  fromMessage: 'x-loom-from-message',
  fromDestination: 'x-loom-from-destination',
} as const;

/**
 * Loopback Channel adapter: hands each delivery to another channel of the same engine through the
 * engine's own intake. The delivery counts only once the target journaled it (durable hop);
 * `duplicate` (the target's IdempotentReceiver saw it already) also counts as delivered, so a
 * redelivery after a crash does not run the target twice.
 *
 * @example
 * const out = new ChannelOutbound(engine, { target: 'events' });
 * await out.deliver(request); // { status: 'delivered', response: 'accepted 01J...' }
 */
export class ChannelOutbound implements OutboundConnector {
  readonly kind = 'channel';

  constructor(private readonly intake: Intake, private readonly options: { target: string; source?: string }) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const { target } = this.options;
    try {
      const receipt = await this.intake.receive({
        channel: target,
        payload: request.payload,
        contentType: request.contentType,
        sourceSystem: this.options.source ?? `loom:${request.destination}`,
        headers: {
          [LoopbackHeaders.idempotencyKey]: request.idempotencyKey,
          [LoopbackHeaders.fromMessage]: request.messageId,
          [LoopbackHeaders.fromDestination]: request.destination,
        },
      });
      if (receipt.outcome === 'rejected') {
        const first = receipt.errors[0];
        return {
          status: 'failed',
          error: new LoomError('delivery.channel.rejected', `channel ${target} rejected the message ${receipt.messageId}${first ? `: ${first.code} ${first.message}` : ''}`, {
            hint: 'the target channel refused the payload (header or validation): fix the mapping of the source channel and replay',
          }),
          response: `rejected ${receipt.messageId}`,
        };
      }
      return { status: 'delivered', response: `${receipt.outcome} ${receipt.messageId}` };
    } catch (err) {
      // The intake throws when it did NOT store the message (paused, store down, unknown channel): retry.
      const error = toLoomError(err, 'delivery.channel.unavailable');
      return { status: 'retry', error: new LoomError(error.code, `channel ${target} did not take the message: ${error.message}`, { hint: error.hint ?? 'Loom retries; check the target channel exists and is running', cause: err }) };
    }
  }

  async close(): Promise<void> {
    // The intake belongs to the engine; nothing of ours to close.
  }
}
