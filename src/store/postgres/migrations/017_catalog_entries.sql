-- Interface catalog entries imported from elsewhere (src/governance/catalog): a Mirth Connect
-- export, a spreadsheet. Entries derived from loom.config.yaml are computed, not stored.
CREATE TABLE catalog_entries (
  source TEXT NOT NULL,
  id TEXT NOT NULL,
  -- JSON of the CatalogEntry
  entry TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  PRIMARY KEY (source, id)
);
