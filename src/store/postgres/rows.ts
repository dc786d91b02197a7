// Row shapes and mappers are shared with the SQLite adapter: src/store/rows.ts.
export {
  MESSAGE_COLUMNS,
  toMessage,
  toOutbox,
  toDeadLetter,
  bufferView as bytea,
  type MessageRowRaw as PgMessageRow,
  type OutboxRowRaw as PgOutboxRow,
  type DeadLetterRaw as PgDeadLetterRow,
} from '../rows.js';
