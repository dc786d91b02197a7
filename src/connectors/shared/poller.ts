import { toLoomError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/ports.js';

/**
 * Runs `poll` now and then every `intervalMs` after the previous run ended (never two at once);
 * a failing run is logged and retried at the next interval. `stop` waits for the running poll.
 *
 * @example
 * const poller = new Poller(5000, () => this.pollOnce(), logger);
 * poller.start();
 */
export class Poller {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;

  constructor(
    private readonly intervalMs: number,
    private readonly poll: () => Promise<void>,
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  start(): void {
    this.stopped = false;
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.stopped) return;
    this.running = this.poll()
      .catch((err: unknown) => {
        const error = toLoomError(err);
        this.logger.warn({ code: error.code, err: error.message }, `${this.what} failed; retrying in ${this.intervalMs} ms`);
      })
      .finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.intervalMs);
      });
  }
}
