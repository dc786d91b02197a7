import { z } from 'zod';
import { closest } from './suggest.js';

/**
 * Connector kinds the loader knows: the connectors module registers `mllp`, `http`, `file`...
 * Each validates its own options; `ConnectorKind<Options>` from the kernel fits this shape.
 */
export type ConnectorKindRegistry = Record<string, { readonly schema: z.ZodType<unknown> }>;

/** An inbound or outbound endpoint after loading: its kind and the options its schema produced. */
export interface Endpoint {
  kind: string;
  options: Record<string, unknown>;
}

type Ctx = { issues: z.core.$ZodRawIssue[] };

function knownKeys(schema: z.ZodType<unknown>): string[] | undefined {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
}

/**
 * Validate `rest` (the endpoint's keys minus the loader's own) with the kind's schema and
 * report issues relative to the endpoint object, so the line mapping finds the YAML node.
 */
export function validateOptions(
  kind: string,
  rest: Record<string, unknown>,
  kinds: ConnectorKindRegistry | undefined,
  ctx: Ctx,
  reserved: readonly string[],
): Record<string, unknown> | undefined {
  if (kinds === undefined) return rest;
  const entry = Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
  if (entry === undefined) {
    const names = Object.keys(kinds).sort();
    const guess = closest(kind, names);
    ctx.issues.push({
      code: 'custom',
      input: kind,
      path: ['kind'],
      message: `connector kind "${kind}" is not known; known kinds: ${names.join(', ') || '(none registered)'}`,
      params: { loomCode: 'config.connector.unknown', hint: guess ? `did you mean "${guess}"?` : undefined },
    });
    return undefined;
  }
  // Unknown option keys are reported here (with a suggestion) even when the connector's
  // schema is not strict, so a typo never silently falls back to a default.
  const known = knownKeys(entry.schema);
  const options: Record<string, unknown> = {};
  let failed = false;
  for (const [key, value] of Object.entries(rest)) {
    if (known !== undefined && !known.includes(key)) {
      const guess = closest(key, [...known, ...reserved]);
      ctx.issues.push({
        code: 'custom',
        input: value,
        path: [key],
        message: `"${key}" is not an option of the ${kind} connector; its options: ${known.join(', ')}`,
        params: { loomCode: 'config.field.unknown', hint: guess ? `did you mean "${guess}"?` : undefined },
      });
      failed = true;
    } else {
      options[key] = value;
    }
  }
  const result = entry.schema.safeParse(options);
  if (!result.success) {
    for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: undefined });
    return undefined;
  }
  if (failed) return undefined;
  const value = result.data;
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/**
 * `inbound: {kind: mllp, port: 2575}` in YAML becomes `{kind: 'mllp', options: {port: 2575}}`.
 */
export function inboundSchema(kinds: ConnectorKindRegistry | undefined) {
  return z
    .object({ kind: z.string().min(1) })
    .catchall(z.unknown())
    .transform((value, ctx): Endpoint => {
      const { kind, ...rest } = value;
      const options = validateOptions(kind, rest, kinds, ctx, ['kind']);
      return options === undefined ? (z.NEVER as never) : { kind, options };
    });
}
