import path from 'node:path/posix';
import { toLoomError } from '../../kernel/errors.js';
import type { Intake, InboundConnector, IntakeReceipt } from '../../kernel/connector.js';
import type { Logger } from '../../kernel/ports.js';
import { contentTypeOf, globToRegExp } from '../file/names.js';
import { Poller } from '../shared/poller.js';
import type { SftpOptions } from './schema.js';
import { SftpSession } from './session.js';

/**
 * SFTP pickup, the remote twin of the drop-folder inbound: a file is claimed by renaming it into
 * `processing/` on the server (atomic there, so two Loom nodes never both take it), downloaded,
 * journaled, then moved to `done/` (or `error/` when rejected) or deleted. A file left in
 * `processing/` by a crash between download and commit, or after the commit but before the move,
 * is submitted again at the next poll; the IdempotentReceiver answers duplicate for the second
 * case, so each file is stored exactly once.
 *
 * @example
 * const pickup = new SftpInbound({ ...options, channel: 'reflab-results' }, logger);
 * await pickup.start(engine);
 */
export class SftpInbound implements InboundConnector {
  readonly kind = 'sftp';
  private readonly session: SftpSession;
  private readonly poller: Poller;
  private readonly match: RegExp;
  private readonly dirs: { processing: string; done: string; error: string };
  private intake?: Intake;
  private stopping = false;
  private queue: Promise<void> = Promise.resolve();
  /** Files stored, duplicates and rejections of the last poll. */
  lastPoll = { stored: 0, duplicates: 0, rejected: 0 };

  constructor(private readonly options: SftpOptions & { channel: string }, private readonly logger: Logger) {
    this.session = new SftpSession(options);
    this.match = globToRegExp(options.pattern);
    this.dirs = { processing: path.join(options.folder, 'processing'), done: path.join(options.folder, 'done'), error: path.join(options.folder, 'error') };
    this.poller = new Poller(options.pollIntervalMs, () => this.pollNow(), logger, `SFTP pickup from ${this.address()}`);
  }

  async start(intake: Intake): Promise<void> {
    this.intake = intake;
    this.poller.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.poller.stop();
    await this.queue;
    this.session.close();
  }

  address(): string {
    return `sftp://${this.options.username}@${this.options.host}:${this.options.port}${this.options.folder}/${this.options.pattern}`;
  }

  /** One pickup round; serialized with the timer's. */
  pollNow(): Promise<void> {
    const run = this.queue.then(() => this.pickup());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async pickup(): Promise<void> {
    this.lastPoll = { stored: 0, duplicates: 0, rejected: 0 };
    for (const dir of Object.values(this.dirs)) await this.session.ensureFolder(dir);
    // First what a previous life claimed and did not finish.
    for (const entry of await this.session.list(this.dirs.processing)) {
      if (this.stopping) return;
      if (entry.isFile) await this.submit(entry.name);
    }
    const names = (await this.session.list(this.options.folder)).filter((e) => e.isFile && !e.name.startsWith('.') && this.match.test(e.name)).map((e) => e.name).sort();
    for (const name of names) {
      if (this.stopping) return;
      if (!(await this.session.rename(path.join(this.options.folder, name), path.join(this.dirs.processing, name)))) continue; // another node took it
      await this.submit(name);
    }
  }

  /** Download and journal one claimed file, then move it by the receipt. Throws (file stays claimed) when the intake refused. */
  private async submit(name: string): Promise<void> {
    const claimed = path.join(this.dirs.processing, name);
    const payload = await this.session.read(claimed);
    let receipt: IntakeReceipt;
    try {
      receipt = await this.intake!.receive({
        channel: this.options.channel, payload, contentType: contentTypeOf(name),
        sourceSystem: `sftp:${this.options.host}`, headers: { 'file-name': name, 'sftp-host': this.options.host },
      });
    } catch (err) {
      this.logger.warn({ file: name, code: toLoomError(err).code }, 'intake refused the SFTP file; left in processing/ for the next poll');
      throw err;
    }
    const outcome = receipt.outcome === 'accepted' ? 'stored' : receipt.outcome === 'duplicate' ? 'duplicates' : 'rejected';
    this.lastPoll[outcome] += 1;
    if (this.options.afterProcessing === 'delete' && receipt.outcome !== 'rejected') await this.session.remove(claimed);
    else await this.moveAside(claimed, path.join(receipt.outcome === 'rejected' ? this.dirs.error : this.dirs.done, name));
  }

  /** done/ may already hold a file of that name (a resend): keep both. */
  private async moveAside(from: string, to: string): Promise<void> {
    const target = (await this.session.exists(to)) ? `${to}.${Date.now()}` : to;
    await this.session.rename(from, target);
  }
}
