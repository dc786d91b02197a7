-- Loom's own FHIR R4 store (served at /fhir/R4). One row per resource, current version only
-- (history is not kept). last_updated is the ISO instant of Resource.meta.lastUpdated,
-- last_updated_ms the same as epoch ms for _lastUpdated comparisons. content_hash is over the
-- resource without meta.versionId/meta.lastUpdated: an upsert with the same hash is a no-op.
CREATE TABLE IF NOT EXISTS fhir_resources (
  resource_type TEXT NOT NULL,
  id TEXT NOT NULL,
  version_id INTEGER NOT NULL,
  last_updated TEXT NOT NULL,
  last_updated_ms INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  resource TEXT NOT NULL,
  PRIMARY KEY (resource_type, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS fhir_resources_updated ON fhir_resources (resource_type, last_updated_ms, id);

-- Search index: extracted token/reference values per search parameter (patient, subject,
-- encounter, identifier, status, code), so searches never scan resource JSON. system is ''
-- when the value has none (status, references).
CREATE TABLE IF NOT EXISTS fhir_search_index (
  resource_type TEXT NOT NULL,
  id TEXT NOT NULL,
  param TEXT NOT NULL,
  system TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (resource_type, id, param, system, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS fhir_search_index_value ON fhir_search_index (resource_type, param, value, system, id);
