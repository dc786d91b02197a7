-- Release management (src/governance/releases): every applied loom.config.yaml, as written.
CREATE TABLE config_releases (
  version INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('start','reload','rollback')),
  file TEXT,
  text TEXT NOT NULL,
  -- JSON: crosswalk name → version in effect
  crosswalks TEXT NOT NULL,
  rolled_back_to INTEGER
);
