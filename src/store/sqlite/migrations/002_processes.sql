-- Durable process instances (EIP ProcessManager): state as JSON, status, wait cause, timer.
-- Times are epoch ms except due_at/occurred_at, kept as the ISO text the process stated.
CREATE TABLE process_instances (
  id TEXT PRIMARY KEY,
  process TEXT NOT NULL,
  instance_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open','waiting','completed','exception')),
  waiting_for TEXT,
  due_at TEXT,
  due_ms INTEGER,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE UNIQUE INDEX process_instances_key ON process_instances (process, instance_key);
CREATE INDEX process_instances_status ON process_instances (process, status, id);
CREATE INDEX process_instances_due ON process_instances (due_ms) WHERE due_ms IS NOT NULL;

-- Timeline: one row per applied event with the effects it produced. UNIQUE (instance, event):
-- an event is applied once; a repeat reads its row and re-emits the recorded effects.
CREATE TABLE process_events (
  instance_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  applied_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  waiting_for TEXT,
  effects TEXT NOT NULL,
  -- the delivery (engine message id) that applied the event: only it gets the effects re-emitted
  source TEXT,
  PRIMARY KEY (instance_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX process_events_event ON process_events (instance_id, event_id);

-- SLA samples (discharge-to-charge and the like), one per (process, key, measure).
CREATE TABLE process_sla_samples (
  process TEXT NOT NULL,
  instance_key TEXT NOT NULL,
  measure TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (process, instance_key, measure)
) WITHOUT ROWID;
