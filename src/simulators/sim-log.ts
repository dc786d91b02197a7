import { appendFileSync } from 'node:fs';

/** One line of a simulator's own log; `injected` marks deliberately bad data. */
export interface SimLogEntry {
  at: string;
  simulator: string;
  event: string;
  injected?: InjectedKind;
  [key: string]: unknown;
}

/** The kinds of bad data the simulators inject at a configurable rate. */
export type InjectedKind = 'malformed-hl7' | 'unknown-gtin' | 'price-off-contract' | 'duplicate-event' | 'late-event';
export const INJECTED_KINDS: readonly InjectedKind[] = ['malformed-hl7', 'unknown-gtin', 'price-off-contract', 'duplicate-event', 'late-event'];

/**
 * In-memory log (bounded) that can also append JSON lines to a file, so users and tests see what
 * each simulator did and which data it spoiled on purpose.
 *
 * @example
 * const log = new SimLog('ehr', { file: '/tmp/ehr.jsonl' }); log.write('sent', { controlId: 'M1' });
 */
export class SimLog {
  readonly entries: SimLogEntry[] = [];

  constructor(readonly simulator: string, private readonly options: { file?: string; max?: number } = {}) {}

  write(event: string, fields: Record<string, unknown> = {}): SimLogEntry {
    const entry: SimLogEntry = { at: new Date().toISOString(), simulator: this.simulator, event, ...fields };
    this.entries.push(entry);
    if (this.entries.length > (this.options.max ?? 50_000)) this.entries.shift();
    if (this.options.file) appendFileSync(this.options.file, `${JSON.stringify(entry)}\n`);
    return entry;
  }

  injected(): SimLogEntry[] {
    return this.entries.filter((e) => e.injected !== undefined);
  }
}
