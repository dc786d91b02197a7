// Row shapes and mappers are shared with the PostgreSQL adapter: src/store/rows.ts.
export { MESSAGE_COLUMNS, toMessage, toOutbox, toDeadLetter, bufferView as blob, type MessageRowRaw, type OutboxRowRaw, type DeadLetterRaw } from '../rows.js';
