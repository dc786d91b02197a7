-- PostgreSQL twin of src/store/sqlite/migrations/002_processes.sql: durable process instances,
-- their timelines (one row per applied event) and SLA samples. Same columns and meaning.
CREATE TABLE process_instances (
  id TEXT COLLATE "C" PRIMARY KEY,
  process TEXT NOT NULL,
  instance_key TEXT COLLATE "C" NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open','waiting','completed','exception')),
  waiting_for TEXT,
  due_at TEXT,
  due_ms BIGINT,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL
);
CREATE UNIQUE INDEX process_instances_key ON process_instances (process, instance_key);
CREATE INDEX process_instances_status ON process_instances (process, status, id);
CREATE INDEX process_instances_due ON process_instances (due_ms) WHERE due_ms IS NOT NULL;

CREATE TABLE process_events (
  instance_id TEXT COLLATE "C" NOT NULL,
  seq INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  waiting_for TEXT,
  effects TEXT NOT NULL,
  source TEXT,
  PRIMARY KEY (instance_id, seq)
);
CREATE UNIQUE INDEX process_events_event ON process_events (instance_id, event_id);

CREATE TABLE process_sla_samples (
  process TEXT NOT NULL,
  instance_key TEXT NOT NULL,
  measure TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT NOT NULL,
  duration_ms BIGINT NOT NULL,
  PRIMARY KEY (process, instance_key, measure)
);
