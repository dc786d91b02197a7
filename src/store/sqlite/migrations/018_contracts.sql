-- Contract registry (src/governance/contracts): message contracts with versions and an owner.
CREATE TABLE contracts (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('json-schema','hl7v2','x12')),
  owner TEXT NOT NULL,
  description TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE contract_versions (
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  -- the contract document as registered (JSON)
  schema TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active','pending-approval')),
  -- JSON classification against the previous version; NULL for version 1
  classification TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  approved_by TEXT,
  approved_at TEXT,
  note TEXT,
  PRIMARY KEY (name, version)
);
