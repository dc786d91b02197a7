-- PostgreSQL twin of src/store/sqlite/migrations/001_init.sql: same tables, columns and meaning.
-- Times are epoch ms (BIGINT). Ids are ULIDs compared as bytes (COLLATE "C"), so `ORDER BY id`
-- is arrival order whatever the database's collation.
CREATE TABLE messages (
  id TEXT COLLATE "C" PRIMARY KEY,
  channel TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  causation_id TEXT COLLATE "C",
  source_system TEXT NOT NULL,
  content_type TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  headers TEXT NOT NULL,
  control_id TEXT,
  message_type TEXT,
  status TEXT NOT NULL CHECK (status IN ('received','processing','processed','rejected','duplicate','failed')),
  error TEXT,
  payload BYTEA NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX messages_status_id ON messages (status, id);
CREATE INDEX messages_channel_id ON messages (channel, id);
CREATE INDEX messages_correlation ON messages (correlation_id);
CREATE INDEX messages_received ON messages (received_at);

-- Business keys for search (control id, MRN, visit, PO, invoice, GTIN, lot, serial): no payload scans.
CREATE TABLE message_keys (
  message_id TEXT COLLATE "C" NOT NULL,
  key_name TEXT NOT NULL,
  key_value TEXT NOT NULL,
  PRIMARY KEY (message_id, key_name, key_value)
);
CREATE INDEX message_keys_value ON message_keys (key_value, message_id);

CREATE TABLE message_steps (
  message_id TEXT COLLATE "C" NOT NULL,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  duration_ms DOUBLE PRECISION NOT NULL,
  error TEXT,
  PRIMARY KEY (message_id, seq)
);

-- Per-destination effects. payload NULL means "the message's own payload".
-- lease_until: a node that claimed the row holds it until then (several Loom nodes share one outbox);
-- status stays 'pending' as in SQLite, so FIFO per key and crash recovery read the same.
CREATE TABLE outbox (
  id TEXT COLLATE "C" PRIMARY KEY,
  message_id TEXT COLLATE "C" NOT NULL,
  channel TEXT NOT NULL,
  destination TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','in-flight','delivered','dead','parked')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT,
  idempotency_key TEXT NOT NULL,
  ordering_key TEXT,
  payload BYTEA,
  content_type TEXT NOT NULL,
  headers TEXT NOT NULL,
  last_error TEXT,
  response TEXT,
  created_at BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX outbox_status_id ON outbox (status, id);
CREATE INDEX outbox_message ON outbox (message_id);
CREATE INDEX outbox_order ON outbox (channel, destination, ordering_key, id) WHERE ordering_key IS NOT NULL;

CREATE TABLE dead_letters (
  id TEXT COLLATE "C" PRIMARY KEY,
  outbox_id TEXT COLLATE "C" NOT NULL,
  message_id TEXT COLLATE "C" NOT NULL,
  channel TEXT NOT NULL,
  destination TEXT NOT NULL,
  reason TEXT NOT NULL,
  code TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  discarded BOOLEAN NOT NULL DEFAULT FALSE,
  discard_reason TEXT,
  replayed_at BIGINT
);
CREATE INDEX dead_letters_channel ON dead_letters (channel, id);
CREATE INDEX dead_letters_message ON dead_letters (message_id);

-- IdempotentReceiver: source + control id (or content hash) with the time it was last seen.
CREATE TABLE idempotency_keys (
  source TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  message_id TEXT COLLATE "C" NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (source, dedup_key)
);
CREATE INDEX idempotency_received ON idempotency_keys (received_at);

CREATE TABLE parked_keys (
  destination TEXT NOT NULL,
  ordering_key TEXT NOT NULL,
  channel TEXT NOT NULL,
  outbox_id TEXT COLLATE "C" NOT NULL,
  parked_at BIGINT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (channel, destination, ordering_key)
);

-- Edit-and-resend keeps the edit beside the original; the original payload is never overwritten.
CREATE TABLE edits (
  id TEXT COLLATE "C" PRIMARY KEY,
  message_id TEXT COLLATE "C" NOT NULL,
  payload BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  note TEXT
);
CREATE INDEX edits_message ON edits (message_id);

CREATE TABLE operator_actions (
  id TEXT COLLATE "C" PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT
);
