/**
 * PHI field names per entity (HIPAA identifiers: names, dates tied to a person, MRN, account and
 * device serials). The logger builds its pino `redact` list from `phiRedactPaths`.
 */
export const phiFields = {
  Patient: ['mrn', 'identifiers', 'familyName', 'givenName', 'birthDate', 'names', 'addresses', 'telecoms'],
  Encounter: ['visitNumber', 'patientMrn', 'admittedAt', 'dischargedAt'],
  Procedure: ['patientMrn', 'encounter', 'performedAt'],
  DeviceUse: ['patientMrn', 'encounter', 'serial', 'udi', 'usedAt'],
  InventoryMovement: ['patientMrn', 'encounter'],
  ChargeEvent: ['patientMrn', 'encounter'],
  CostPosting: ['encounter'],
  Correlation: ['patient', 'encounter', 'serial'],
} as const satisfies Record<string, readonly string[]>;

export type PhiEntity = keyof typeof phiFields;

/**
 * pino redact paths for canonical events: `data.<field>` and `correlation.<field>`, plus `*.`-prefixed
 * variants for events nested one level (e.g. `{ event: {...} }`).
 *
 * @example
 * pino({ redact: phiRedactPaths() })
 */
export function phiRedactPaths(): string[] {
  const out = new Set<string>();
  for (const [entity, fields] of Object.entries(phiFields)) {
    const prefix = entity === 'Correlation' ? 'correlation' : 'data';
    for (const f of fields) {
      out.add(`${prefix}.${f}`);
      out.add(`*.${prefix}.${f}`);
    }
  }
  return [...out].sort();
}
