import { z } from 'zod';

/**
 * `shadow:` on a channel: run it beside the legacy interface it will replace. Its destinations are
 * not called; what they would have received is recorded and compared with what the legacy engine
 * sent for the same input (posted to `POST /api/v1/shadow/{channel}/legacy/{destination}`).
 */
export const ShadowSchema = z.strictObject({
  /** How an output names its input: an HL7 path (`MSH-10`) or a JSON dotted path (`poNumber`). */
  matchBy: z.string().min(1).default('MSH-10'),
  /** Paths that legitimately differ between two engines (timestamps, control ids). */
  ignore: z.array(z.string().min(1)).default(['MSH-7']),
});

export type ShadowConfig = z.output<typeof ShadowSchema>;
