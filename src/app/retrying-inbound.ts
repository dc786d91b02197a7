import type { InboundConnector, Intake, Logger } from '../kernel/index.js';

/** Inbound kinds that are clients of a broker: a broker down at boot must not keep Loom (and its other channels) down. */
export const BROKER_KINDS: ReadonlySet<string> = new Set(['amqp', 'nats']);

/**
 * Wraps a broker-client inbound whose first start failed: retries the start with backoff (1 s doubling
 * to 30 s) until it connects or Loom stops. Meanwhile the channel's other work goes on and its
 * address says it waits.
 *
 * @example
 * const inbound = new RetryingInbound(amqpInbound, engine, logger); inbound.begin(firstError);
 */
export class RetryingInbound implements InboundConnector {
  readonly kind: string;
  private timer: NodeJS.Timeout | undefined;
  private connected = false;
  private stopped = false;
  private lastError = '';

  constructor(private readonly inner: InboundConnector, private readonly intake: Intake, private readonly logger: Logger) {
    this.kind = inner.kind;
  }

  /** Schedule retries after the first failure. */
  begin(firstError: unknown): void {
    this.lastError = firstError instanceof Error ? firstError.message : String(firstError);
    this.schedule(1000);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.attempt(delayMs), delayMs);
    this.timer.unref();
  }

  private async attempt(delayMs: number): Promise<void> {
    if (this.stopped) return;
    try {
      await this.inner.start(this.intake);
      this.connected = true;
      this.logger.info({ address: this.inner.address() }, 'inbound connected after retry');
      if (this.stopped) await this.inner.stop();
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.schedule(Math.min(delayMs * 2, 30_000));
    }
  }

  async start(): Promise<void> {
    // started by begin(); kept for the InboundConnector shape
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.connected) await this.inner.stop();
  }

  address(): string {
    return this.connected ? this.inner.address() : `${this.inner.address()} (unavailable, retrying: ${this.lastError})`;
  }
}
