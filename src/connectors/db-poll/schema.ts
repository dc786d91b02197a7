import { z } from 'zod';

const Identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, 'a table or column name (letters, digits, _; schema.table allowed)');

/**
 * Options of a `db-poll` inbound: read new rows of a legacy system's table by a watermark column.
 * A migration aid for systems that offer no API or events (the seed prefers supported APIs and
 * event subscriptions over direct database access): retire it when the system gets an interface.
 */
export const dbPollOptionsSchema = z.object({
  channel: z.string().min(1).optional().describe('The channel the rows enter (set by the config loader).'),
  url: z.string().regex(/^(postgres|postgresql|mysql|mariadb):\/\//, 'postgres://… or mysql://… (MariaDB speaks the MySQL protocol)')
    .describe('Connection URL; write the password as ${env:NAME}.'),
  table: Identifier.describe('The table (or view) to read.'),
  watermark: Identifier.describe('A column that only grows for new or changed rows: a sequence id, or a last-changed timestamp.'),
  key: Identifier.describe('The primary key: orders rows that share a watermark value, so none is skipped or read twice.'),
  columns: z.array(Identifier).min(1).optional().describe('Columns to read (default: all).'),
  batchSize: z.number().int().min(1).max(10_000).default(500),
  intervalMs: z.number().int().min(100).default(10_000),
});

export type DbPollOptions = z.output<typeof dbPollOptionsSchema>;
