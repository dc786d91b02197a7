import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AuditSink } from '../../kernel/audit.js';
import { LoomError } from '../../kernel/errors.js';
import { systemClock, type Clock } from '../../kernel/ports.js';
import type { Page } from '../../kernel/store.js';
import { diffReleases, type ReleaseSnapshot } from './diff.js';
import type { NewRelease, Release, ReleaseDiff, ReleaseStore, ReleaseSummary } from './types.js';

/** A release by number, `current` (the latest applied) or `file` (the config file as it is on disk now). */
export type ReleaseRef = number | 'current' | 'file';

export interface ReleaseManagerOptions {
  store: ReleaseStore;
  audit: AuditSink;
  clock?: Clock;
  /** The config file a rollback writes and `file` reads. */
  configFile?: () => string | undefined;
  /** Crosswalk name → version in effect now (recorded with each release). */
  crosswalks?: () => Record<string, string> | Promise<Record<string, string>>;
}

/**
 * Release management: every applied estate config is a numbered version (hash, time, actor);
 * diff any two (or one against the file on disk), roll back to one. Every step is audited.
 *
 * @example
 * await releases.applied({ text, file, actor: 'system', reason: 'start' });
 * renderDiff(await releases.diff('current', 'file')) // what a reload would change
 */
export class ReleaseManager {
  private readonly clock: Clock;

  constructor(private readonly options: ReleaseManagerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Record an applied config (a new version unless nothing changed since the latest) and audit it. */
  async applied(input: Omit<NewRelease, 'crosswalks'>): Promise<Release> {
    const hash = createHash('sha256').update(input.text, 'utf8').digest('hex');
    const crosswalks = (await this.options.crosswalks?.()) ?? {};
    const { release, created } = await this.options.store.record({ ...input, crosswalks, hash, at: new Date(this.clock.now()).toISOString() });
    await this.options.audit.append({
      actor: input.actor, action: 'release.applied', target: `release/${release.version}`,
      detail: { version: release.version, hash, reason: input.reason, created, ...(input.rolledBackTo !== undefined ? { rolledBackTo: input.rolledBackTo } : {}) },
    });
    return release;
  }

  list(query: { cursor?: number; limit?: number } = {}): Promise<Page<ReleaseSummary>> {
    return this.options.store.list(query);
  }

  async get(ref: Exclude<ReleaseRef, 'file'>): Promise<Release> {
    const release = ref === 'current' ? await this.options.store.latest() : await this.options.store.get(ref);
    if (!release) {
      throw new LoomError('release.unknown', ref === 'current' ? 'no configuration has been applied yet' : `there is no release ${ref}`, {
        location: String(ref), hint: 'list them with GET /api/v1/releases',
      });
    }
    return release;
  }

  /** What changes from `from` to `to`. */
  async diff(from: ReleaseRef, to: ReleaseRef): Promise<{ from: string; to: string; diff: ReleaseDiff }> {
    const [a, b] = [await this.snapshot(from), await this.snapshot(to)];
    return { from: a.label, to: b.label, diff: diffReleases(a, b) };
  }

  /**
   * Write release `version` back to the config file and apply it through `reload`; when the reload
   * fails, the file gets its previous text back and the error stands.
   */
  async rollback(version: number, who: { actor: string }, reload: (release: { reason: 'rollback'; rolledBackTo: number }) => Promise<unknown>): Promise<Release> {
    const target = await this.get(version);
    const file = this.requireFile();
    const previous = readFileSync(file, 'utf8');
    writeAtomically(file, target.text);
    try {
      await reload({ reason: 'rollback', rolledBackTo: version });
    } catch (error) {
      writeAtomically(file, previous);
      await this.options.audit.append({ ...who, action: 'release.rollback-failed', target: `release/${version}`, detail: { code: error instanceof LoomError ? error.code : 'internal.unexpected' } });
      throw error;
    }
    const now = await this.get('current');
    await this.options.audit.append({ ...who, action: 'release.rollback', target: `release/${version}`, detail: { to: version, version: now.version } });
    return now;
  }

  close(): Promise<void> {
    return this.options.store.close();
  }

  private async snapshot(ref: ReleaseRef): Promise<ReleaseSnapshot & { label: string }> {
    if (ref === 'file') {
      const file = this.requireFile();
      return { text: readFileSync(file, 'utf8'), crosswalks: (await this.options.crosswalks?.()) ?? {}, label: 'file' };
    }
    const release = await this.get(ref);
    return { text: release.text, crosswalks: release.crosswalks, label: String(release.version) };
  }

  private requireFile(): string {
    const file = this.options.configFile?.();
    if (!file) throw new LoomError('release.no-config-file', 'this engine was started without a config file', { hint: 'start it with --config FILE' });
    return file;
  }
}

/** Replace a file's content in one rename, so a reader never sees half of it. */
function writeAtomically(file: string, text: string): void {
  const temp = `${file}.loom-rollback`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}
