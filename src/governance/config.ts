import { z } from 'zod';

/**
 * The `governance:` section of loom.config.yaml: what the rest of the config does not say about
 * interfaces (owner, business criticality, data classes, SLA, dependencies) for the interface
 * catalog. Hooked into src/config/schema.ts with one line.
 */

/** Same scale as `systems[].criticality`. */
export const CATALOG_CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
/** Classes of data an interface carries; PHI and financial drive review and encryption decisions. */
export const DATA_CLASSES = ['PHI', 'PII', 'financial', 'operational', 'public'] as const;

const CatalogFields = {
  owner: z.string().min(1).optional(),
  description: z.string().optional(),
  criticality: z.enum(CATALOG_CRITICALITIES).optional(),
  dataClasses: z.array(z.enum(DATA_CLASSES)).optional(),
  /** Free text when no `slas:` entry covers it, e.g. "99 % delivered within 1 min". */
  sla: z.string().min(1).optional(),
  /** Catalog ids (`system:erp`, `channel:events`) or system names this entry cannot work without. */
  dependsOn: z.array(z.string().min(1)).optional(),
};

export const CatalogOverridesSchema = z.strictObject({
  channels: z.record(z.string(), z.strictObject(CatalogFields)).default({}),
  /** Keyed `<channel>/<destination>`; `system` names the system the destination delivers to. */
  destinations: z.record(z.string(), z.strictObject({ ...CatalogFields, system: z.string().min(1).optional() })).default({}),
  systems: z.record(z.string(), z.strictObject(CatalogFields)).default({}),
  processes: z.record(z.string(), z.strictObject(CatalogFields)).default({}),
});

/** A channel's `contract: { name, version }`: messages are validated against that registered version. */
export const ContractPinSchema = z.strictObject({ name: z.string().min(1), version: z.number().int().min(1) });

export const GovernanceSchema = z.strictObject({
  catalog: CatalogOverridesSchema.prefault({}),
});

export type GovernanceConfig = z.output<typeof GovernanceSchema>;
export type CatalogOverrides = z.output<typeof CatalogOverridesSchema>;
