-- Crosswalk tables as versioned data (src/crosswalks). A version is a draft until published;
-- once published its metadata and rows never change (replays must see the rows in effect then).
CREATE TABLE crosswalk_versions (
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft','published')),
  -- ISO calendar date (YYYY-MM-DD) from which the rows apply
  effective_date TEXT NOT NULL,
  author TEXT NOT NULL,
  note TEXT,
  created_at TEXT NOT NULL,
  published_at TEXT,
  published_by TEXT,
  PRIMARY KEY (name, version)
) WITHOUT ROWID;
CREATE INDEX crosswalk_versions_effective ON crosswalk_versions (name, status, effective_date);

-- One row per crosswalk row; row_key is the row's identity (charge code, or source system|code|target system).
CREATE TABLE crosswalk_rows (
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  row_key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  row_json TEXT NOT NULL,
  PRIMARY KEY (name, version, row_key)
) WITHOUT ROWID;

-- Audit of every change (import, edit, publish) with its actor.
CREATE TABLE crosswalk_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX crosswalk_changes_name ON crosswalk_changes (name, id);

-- Defence in depth: the database itself refuses to change a published version.
CREATE TRIGGER crosswalk_versions_immutable BEFORE UPDATE ON crosswalk_versions
WHEN OLD.status = 'published'
BEGIN SELECT RAISE(ABORT, 'crosswalk version is published and immutable'); END;
CREATE TRIGGER crosswalk_versions_no_delete BEFORE DELETE ON crosswalk_versions
WHEN OLD.status = 'published'
BEGIN SELECT RAISE(ABORT, 'crosswalk version is published and immutable'); END;
CREATE TRIGGER crosswalk_rows_immutable_insert BEFORE INSERT ON crosswalk_rows
WHEN (SELECT status FROM crosswalk_versions WHERE name = NEW.name AND version = NEW.version) = 'published'
BEGIN SELECT RAISE(ABORT, 'crosswalk version is published and immutable'); END;
CREATE TRIGGER crosswalk_rows_immutable_update BEFORE UPDATE ON crosswalk_rows
WHEN (SELECT status FROM crosswalk_versions WHERE name = OLD.name AND version = OLD.version) = 'published'
BEGIN SELECT RAISE(ABORT, 'crosswalk version is published and immutable'); END;
CREATE TRIGGER crosswalk_rows_immutable_delete BEFORE DELETE ON crosswalk_rows
WHEN (SELECT status FROM crosswalk_versions WHERE name = OLD.name AND version = OLD.version) = 'published'
BEGIN SELECT RAISE(ABORT, 'crosswalk version is published and immutable'); END;
