-- Version history of Loom's FHIR store (GET /fhir/R4/{type}/{id}/_history and .../_history/{vid}):
-- every stored version of a resource, as served at the time. fhir_resources keeps the current one.
-- Resources stored before this migration start their history with their current version.
CREATE TABLE IF NOT EXISTS fhir_resource_history (
  resource_type TEXT NOT NULL,
  id TEXT NOT NULL,
  version_id INTEGER NOT NULL,
  last_updated TEXT NOT NULL,
  resource TEXT NOT NULL,
  PRIMARY KEY (resource_type, id, version_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO fhir_resource_history (resource_type, id, version_id, last_updated, resource)
  SELECT resource_type, id, version_id, last_updated, resource FROM fhir_resources;
