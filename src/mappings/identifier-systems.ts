// Identifier.system for HL7 v2 identifiers (CX, EI, XCN-9): the assigning authority (CX-4) becomes a
// URI. A crosswalk names the real one per authority; without a row the HD's own universal id is used
// (an ISO OID → urn:oid:, a UUID → urn:uuid:, a URI as is), and only a bare namespace falls back to
// Loom's documented default `urn:loom:id:<namespace>` (docs/fhir-mapping.md#identifier-systems).
import type { Identifier } from '../canonical/index.js';
import { translateCode, type Crosswalk } from './crosswalk.js';

/** Name of the versioned crosswalk (src/crosswalks) the FHIR mappings read identifier systems from. */
export const IDENTIFIER_SYSTEMS_CROSSWALK = 'identifier-systems';
/** `code` rows of that crosswalk: source_system `assigning-authority`, target_system `fhir-identifier-system`. */
export const ASSIGNING_AUTHORITY = 'assigning-authority';
export const FHIR_IDENTIFIER_SYSTEM = 'fhir-identifier-system';

/** Gives the FHIR Identifier.system of a canonical identifier, undefined when it names no authority. */
export type IdentifierSystemResolver = (id: Pick<Identifier, 'system' | 'universalId' | 'universalIdType'>) => string | undefined;

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The URI an assigning authority's HD implies by itself (no crosswalk row). */
export function defaultIdentifierSystem(id: Pick<Identifier, 'system' | 'universalId' | 'universalIdType'>): string | undefined {
  const universal = id.universalId;
  const type = id.universalIdType?.toUpperCase();
  if (universal) {
    // HD-3 (table 0301): ISO is an OID, UUID a UUID, URI/URL a URI already.
    if (type === 'ISO' || (type === undefined && OID.test(universal))) return `urn:oid:${universal}`;
    if (type === 'UUID' || (type === undefined && UUID.test(universal))) return `urn:uuid:${universal.toLowerCase()}`;
    if ((type === 'URI' || type === 'URL') && universal.includes(':')) return universal;
  }
  const ns = id.system;
  if (ns === undefined) return undefined;
  if (/^(urn:|https?:\/\/)/.test(ns)) return ns;
  if (OID.test(ns)) return `urn:oid:${ns}`;
  return `urn:loom:id:${encodeURIComponent(ns)}`;
}

/**
 * Resolver over an `identifier-systems` crosswalk: a row for the namespace (CX-4.1) or the universal
 * id (CX-4.2) wins; otherwise `defaultIdentifierSystem`.
 *
 * @example
 * // identifier-systems.csv: code,assigning-authority,ADT1,fhir-identifier-system,urn:oid:2.16.840.1.113883.3.1
 * identifierSystems(crosswalk)({ system: 'ADT1' }) // 'urn:oid:2.16.840.1.113883.3.1'
 */
export function identifierSystems(crosswalk?: Crosswalk): IdentifierSystemResolver {
  return (id) => {
    if (crosswalk) {
      for (const key of [id.system, id.universalId]) {
        if (key === undefined) continue;
        const row = translateCode(crosswalk, ASSIGNING_AUTHORITY, key, FHIR_IDENTIFIER_SYSTEM);
        if (row) return row.targetCode;
      }
    }
    return defaultIdentifierSystem(id);
  };
}
