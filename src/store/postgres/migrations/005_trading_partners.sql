-- PostgreSQL twin of src/store/sqlite/migrations/004_trading_partners.sql (src/partners).
-- Shared by every node: counters are bumped under a per-partner advisory lock in a transaction
-- that commits before the numbers are returned, so no two nodes ever hand out the same ISA13.
CREATE TABLE x12_outbound_counters (
  partner TEXT PRIMARY KEY,
  isa13 BIGINT NOT NULL,
  gs06 BIGINT NOT NULL,
  st02 BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE x12_outbound_assignments (
  partner TEXT NOT NULL,
  message_key TEXT NOT NULL,
  isa13 BIGINT NOT NULL,
  gs06 BIGINT NOT NULL,
  st02_first BIGINT NOT NULL,
  sets INTEGER NOT NULL,
  assigned_at BIGINT NOT NULL,
  PRIMARY KEY (partner, message_key)
);

CREATE TABLE x12_inbound_controls (
  partner TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('isa','gs')),
  number BIGINT NOT NULL,
  message_key TEXT,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (partner, kind, number)
);

CREATE TABLE x12_expected_acks (
  partner TEXT NOT NULL,
  gs06 BIGINT NOT NULL,
  isa13 BIGINT NOT NULL,
  ack_kind TEXT NOT NULL CHECK (ack_kind IN ('997','999')),
  sent_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','accepted','accepted-with-errors','partial','rejected')),
  ak9 TEXT,
  ack_isa13 TEXT,
  acked_at BIGINT,
  PRIMARY KEY (partner, gs06)
);
CREATE INDEX x12_expected_acks_due ON x12_expected_acks (due_at) WHERE status = 'pending';
