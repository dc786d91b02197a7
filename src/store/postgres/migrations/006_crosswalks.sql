-- PostgreSQL twin of src/store/sqlite/migrations/005_crosswalks.sql (src/crosswalks): versioned
-- crosswalk tables; a published version's metadata and rows never change.
CREATE TABLE crosswalk_versions (
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft','published')),
  effective_date TEXT COLLATE "C" NOT NULL,
  author TEXT NOT NULL,
  note TEXT,
  created_at TEXT COLLATE "C" NOT NULL,
  published_at TEXT COLLATE "C",
  published_by TEXT,
  PRIMARY KEY (name, version)
);
CREATE INDEX crosswalk_versions_effective ON crosswalk_versions (name, status, effective_date);

CREATE TABLE crosswalk_rows (
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  row_key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  row_json TEXT NOT NULL,
  PRIMARY KEY (name, version, row_key)
);

CREATE TABLE crosswalk_changes (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX crosswalk_changes_name ON crosswalk_changes (name, id);

-- Defence in depth: the database itself refuses to change a published version.
CREATE FUNCTION crosswalk_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n TEXT;
  v TEXT;
BEGIN
  IF TG_TABLE_NAME = 'crosswalk_versions' THEN
    IF OLD.status = 'published' THEN RAISE EXCEPTION 'crosswalk version is published and immutable'; END IF;
  ELSE
    IF TG_OP = 'INSERT' THEN n := NEW.name; v := NEW.version; ELSE n := OLD.name; v := OLD.version; END IF;
    IF (SELECT status FROM crosswalk_versions WHERE name = n AND version = v) = 'published' THEN
      RAISE EXCEPTION 'crosswalk version is published and immutable';
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER crosswalk_versions_immutable BEFORE UPDATE OR DELETE ON crosswalk_versions FOR EACH ROW EXECUTE FUNCTION crosswalk_immutable();
CREATE TRIGGER crosswalk_rows_immutable BEFORE INSERT OR UPDATE OR DELETE ON crosswalk_rows FOR EACH ROW EXECUTE FUNCTION crosswalk_immutable();
