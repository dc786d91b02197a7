-- Shadow runs (docs/modernization.md): Loom's output and the legacy engine's output for the same
-- input, side by side per channel, destination and message key, with their differences.
CREATE TABLE IF NOT EXISTS shadow_outputs (
  channel TEXT NOT NULL,
  destination TEXT NOT NULL,
  message_key TEXT NOT NULL,
  loom_payload TEXT,
  loom_at TEXT,
  legacy_payload TEXT,
  legacy_at TEXT,
  -- loom-only | legacy-only | match | differ
  status TEXT NOT NULL,
  differences TEXT NOT NULL DEFAULT '[]',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (channel, destination, message_key)
);
CREATE INDEX IF NOT EXISTS shadow_outputs_status ON shadow_outputs (channel, status, updated_at);
