import type Database from 'better-sqlite3';
import type { X12Interchange } from '../codecs/x12/index.js';
import { applyAck, getExpectedAck, insertExpectedAck, listOverdue } from './acks.js';
import { recordInboundNumbers, reserveOutbound } from './control-numbers.js';
import { openPartnerDb } from './db.js';
import type { NewExpectedAck, PartnerStore } from './store.js';

/**
 * SQLite adapter of the PartnerStore port on `<dataDir>/loom.db` (migration 004): IMMEDIATE
 * transactions keep numbers unique across the processes of one machine.
 *
 * @example const store = openSqlitePartnerStore('.loom');
 */
export class SqlitePartnerStore implements PartnerStore {
  readonly kind = 'sqlite';

  constructor(private readonly db: Database.Database) {}

  async reserveOutbound(partner: string, start: number, sets: number, messageKey: string | undefined, now: number) {
    return reserveOutbound(this.db, partner, start, sets, messageKey, now);
  }
  async recordInbound(partner: string, isa13: string, gs06s: string[], messageKey: string | undefined, now: number) {
    return recordInboundNumbers(this.db, partner, isa13, gs06s, messageKey, now);
  }
  async insertExpectedAck(e: NewExpectedAck) {
    return insertExpectedAck(this.db, e);
  }
  async getExpectedAck(partner: string, gs06: string) {
    return getExpectedAck(this.db, partner, gs06);
  }
  async applyAck(partner: string, ack: X12Interchange, now: number) {
    return applyAck(this.db, partner, ack, now);
  }
  async listOverdue(now: number) {
    return listOverdue(this.db, now);
  }
  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Open the SQLite PartnerStore in `dataDir` (applies the migrations). */
export const openSqlitePartnerStore = (dataDir: string): SqlitePartnerStore => new SqlitePartnerStore(openPartnerDb(dataDir));
