import { z } from 'zod';
import { Code, DateTime, Decimal, IsoDate, Money } from './common.js';

/** One charge line (HL7 FT1, FHIR ChargeItem). Credits carry `kind: 'credit'` and positive amounts. */
export const ChargeEvent = z.object({
  /** Stable id: FT1-2 transaction id or `<controlId>/FT1[n]` when absent. */
  id: z.string().min(1),
  kind: z.enum(['charge', 'credit']),
  /** FT1-6 transaction type as sent (CG, CD, PY, AJ ...). */
  transactionType: z.string().min(1),
  /** FT1-7 transaction (charge master) code. */
  code: Code,
  /** FT1-25 procedure code (CPT/HCPCS). */
  procedureCode: Code.optional(),
  serviceDate: DateTime,
  quantity: Decimal,
  extendedAmount: Money.optional(),
  unitAmount: Money.optional(),
  unitCost: Money.optional(),
  /** FT1-13 department code. */
  department: z.string().optional(),
  encounter: z.string().optional(),
  patientMrn: z.string().optional(),
  /** Filled from the crosswalk when one is given. */
  itemId: z.string().optional(),
  glAccount: z.string().optional(),
  costCenter: z.string().optional(),
});
export type ChargeEvent = z.infer<typeof ChargeEvent>;

export const CostPostingLine = z.object({
  account: z.string().min(1),
  debit: Decimal,
  credit: Decimal,
  costCenter: z.string().optional(),
  memo: z.string().optional(),
});
export type CostPostingLine = z.infer<typeof CostPostingLine>;

/** A balanced journal: sum of debits equals sum of credits (checked by the schema). */
export const CostPosting = z.object({
  id: z.string().min(1),
  postingDate: IsoDate,
  company: z.string().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** Business key that triggered the posting (charge id, movement id, device use id). */
  source: z.string().min(1),
  encounter: z.string().optional(),
  lines: z.array(CostPostingLine).min(2),
  total: Money.optional(),
  occurredAt: DateTime.optional(),
}).refine((p) => sumScaled(p.lines.map((l) => l.debit)) === sumScaled(p.lines.map((l) => l.credit)), {
  message: 'debits and credits must balance', path: ['lines'],
});
export type CostPosting = z.infer<typeof CostPosting>;

const SCALE = 6;
function toScaled(d: string): bigint {
  const neg = d.startsWith('-');
  const [i, f = ''] = (neg ? d.slice(1) : d).split('.');
  const v = BigInt(i + f.padEnd(SCALE, '0').slice(0, SCALE));
  return neg ? -v : v;
}
function sumScaled(ds: string[]): bigint {
  return ds.reduce((a, d) => a + toScaled(d), 0n);
}
