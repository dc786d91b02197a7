import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toLoomError } from '../../kernel/errors.js';
import type { Intake, InboundConnector, IntakeReceipt } from '../../kernel/connector.js';
import type { Logger } from '../../kernel/ports.js';
import { silentLogger } from '../../kernel/ports.js';
import { contentTypeOf, globToRegExp } from './names.js';

export interface FileInboundOptions {
  channel: string;
  folder: string;
  pattern: string;
  pollIntervalMs: number;
  watch: boolean;
  settleMs: number;
  contentType?: string;
  logger?: Logger;
}

/**
 * Drop-folder pickup. A file is claimed by an atomic rename into `processing/`, submitted whole,
 * then moved to `done/` (accepted, duplicate) or `error/` (rejected, with `<name>.error.json`).
 * Files left in `processing/` by a crash are submitted again at start; the engine's
 * IdempotentReceiver answers `duplicate` if the first attempt had committed, so each file is
 * stored exactly once. When the intake throws (store refused) the file stays in `processing/` and
 * is submitted again on the next poll.
 *
 * @example
 * const inbound = new FileInbound({ channel: 'vendor-edi', folder: '/data/in', pattern: '*.x12', pollIntervalMs: 1000, watch: true, settleMs: 500 });
 * await inbound.start(engine.intake);
 */
export class FileInbound implements InboundConnector {
  readonly kind = 'file';
  private readonly match: RegExp;
  private readonly dirs: { processing: string; done: string; error: string };
  private readonly logger: Logger;
  private intake?: Intake;
  private timer?: NodeJS.Timeout;
  private watcher?: FSWatcher;
  private scanning?: Promise<void>;
  private rescan = false;
  private stopped = true;
  /** After a refusal, watch events do not rescan before this instant (no hot loop while the store is down). */
  private backoffUntil = 0;

  constructor(private readonly options: FileInboundOptions) {
    this.match = globToRegExp(options.pattern);
    this.dirs = {
      processing: path.join(options.folder, 'processing'),
      done: path.join(options.folder, 'done'),
      error: path.join(options.folder, 'error'),
    };
    this.logger = (options.logger ?? silentLogger).child({ channel: options.channel, connector: 'file' });
  }

  async start(intake: Intake): Promise<void> {
    this.intake = intake;
    this.stopped = false;
    for (const dir of Object.values(this.dirs)) await mkdir(dir, { recursive: true });
    if (this.options.watch) {
      try {
        this.watcher = watch(this.options.folder, () => { if (Date.now() >= this.backoffUntil) this.trigger(); });
        this.watcher.on('error', () => { this.watcher?.close(); this.watcher = undefined; });
      } catch {
        this.watcher = undefined; // some file systems (NFS, overlay) cannot watch: polling covers it
      }
    }
    this.trigger();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    this.watcher = undefined;
    if (this.timer) clearTimeout(this.timer);
    await this.scanning;
  }

  address(): string {
    return `file://${this.options.folder}/${this.options.pattern}`;
  }

  /** Scan now (or again right after the running scan), then keep polling. */
  private trigger(): void {
    if (this.stopped) return;
    if (this.scanning) { this.rescan = true; return; }
    if (this.timer) clearTimeout(this.timer);
    this.scanning = this.scan()
      .catch((err: unknown) => this.logger.warn({ code: toLoomError(err).code, err: String(err) }, 'drop-folder scan failed'))
      .finally(() => {
        this.scanning = undefined;
        if (this.stopped) return;
        if (this.rescan && Date.now() >= this.backoffUntil) { this.rescan = false; this.trigger(); return; }
        this.rescan = false;
        this.timer = setTimeout(() => this.trigger(), this.options.pollIntervalMs);
      });
  }

  private async scan(): Promise<void> {
    // First whatever sits in processing/: claimed by a life that crashed before the move, or
    // refused by the store last time. Resubmitting is safe: the IdempotentReceiver dedups.
    for (const name of await readdir(this.dirs.processing)) {
      if (this.stopped) return;
      if (!(await this.submit(name))) return; // store still refusing: wait for the next poll
    }
    const entries = await readdir(this.options.folder, { withFileTypes: true });
    const names = entries.filter((e) => e.isFile() && !e.name.startsWith('.') && this.match.test(e.name)).map((e) => e.name).sort();
    for (const name of names) {
      if (this.stopped) return;
      if (!(await this.settled(path.join(this.options.folder, name)))) continue;
      try {
        // The claim: rename is atomic within one file system, so two pollers never both get it.
        await rename(path.join(this.options.folder, name), path.join(this.dirs.processing, name));
      } catch {
        continue; // claimed by someone else, or vanished
      }
      if (!(await this.submit(name))) return; // store refused: stop this scan, retry next poll
    }
  }

  private async settled(file: string): Promise<boolean> {
    if (this.options.settleMs === 0) return true;
    try {
      return Date.now() - (await stat(file)).mtimeMs >= this.options.settleMs;
    } catch {
      return false;
    }
  }

  /** Submit one claimed file from processing/ and move it by the receipt; false when the intake refused. */
  private async submit(name: string): Promise<boolean> {
    const claimed = path.join(this.dirs.processing, name);
    const payload = await readFile(claimed);
    let receipt: IntakeReceipt;
    try {
      receipt = await this.intake!.receive({
        channel: this.options.channel,
        payload,
        contentType: this.options.contentType ?? contentTypeOf(name),
        sourceSystem: `file:${name}`,
        headers: { 'file-name': name },
      });
    } catch (err) {
      // Not stored: it stays in processing/ (ours, never overwritten by a new drop) and the next
      // scan submits it again.
      this.logger.warn({ file: name, code: toLoomError(err).code }, 'intake refused the file; left for retry');
      this.backoffUntil = Date.now() + this.options.pollIntervalMs;
      return false;
    }
    if (receipt.outcome === 'rejected') {
      const target = await freeName(this.dirs.error, name, receipt.messageId);
      // Written whole then renamed, so whoever watches error/ never reads half a report.
      const report = JSON.stringify({ messageId: receipt.messageId, file: name, errors: receipt.errors }, null, 2);
      await writeFile(`${target}.error.json.tmp`, report);
      await rename(`${target}.error.json.tmp`, `${target}.error.json`);
      await rename(claimed, target);
    } else {
      await rename(claimed, await freeName(this.dirs.done, name, receipt.messageId));
    }
    return true;
  }
}

/** `dir/name`, or `dir/name.<messageId>` when a same-named file is already there. */
async function freeName(dir: string, name: string, messageId: string): Promise<string> {
  const target = path.join(dir, name);
  try {
    await stat(target);
    return path.join(dir, `${name}.${messageId}`);
  } catch {
    return target;
  }
}
