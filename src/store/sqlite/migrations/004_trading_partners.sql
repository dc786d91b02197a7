-- X12 trading partners: control numbers and expected acknowledgements (src/partners).
-- Times are epoch ms.

-- Outbound counters per partner: the LAST number handed out for ISA13, GS06 and ST02.
-- Bumped in an IMMEDIATE transaction that commits before the numbers are returned (never reused).
CREATE TABLE x12_outbound_counters (
  partner TEXT PRIMARY KEY,
  isa13 INTEGER NOT NULL,
  gs06 INTEGER NOT NULL,
  st02 INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Numbers assigned to one outgoing message (engine effect key): a crash re-run or an operator
-- resend of the same message gets the same numbers, so the partner's duplicate check holds.
CREATE TABLE x12_outbound_assignments (
  partner TEXT NOT NULL,
  message_key TEXT NOT NULL,
  isa13 INTEGER NOT NULL,
  gs06 INTEGER NOT NULL,
  st02_first INTEGER NOT NULL,
  sets INTEGER NOT NULL,
  assigned_at INTEGER NOT NULL,
  PRIMARY KEY (partner, message_key)
) WITHOUT ROWID;

-- Inbound control numbers seen per partner: kind 'isa' (ISA13) or 'gs' (GS06).
CREATE TABLE x12_inbound_controls (
  partner TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('isa','gs')),
  number INTEGER NOT NULL,
  message_key TEXT,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (partner, kind, number)
) WITHOUT ROWID;

-- Functional acknowledgements we expect for interchanges we sent (997/999 AK1-02 = our GS06).
CREATE TABLE x12_expected_acks (
  partner TEXT NOT NULL,
  gs06 INTEGER NOT NULL,
  isa13 INTEGER NOT NULL,
  ack_kind TEXT NOT NULL CHECK (ack_kind IN ('997','999')),
  sent_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','accepted','accepted-with-errors','partial','rejected')),
  ak9 TEXT,
  ack_isa13 TEXT,
  acked_at INTEGER,
  PRIMARY KEY (partner, gs06)
) WITHOUT ROWID;
CREATE INDEX x12_expected_acks_due ON x12_expected_acks (due_at) WHERE status = 'pending';
