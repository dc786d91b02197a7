import { z } from 'zod';
import { LoomError } from '../kernel/index.js';

const isaId = z.string().min(1).max(15);
const qualifier = z.string().length(2);
const oneChar = z.string().length(1);

/** ISA05/ISA06 (or ISA07/ISA08) and the GS02/GS03 application code of one side. */
export const X12PartyIdSchema = z.strictObject({
  qualifier: qualifier.default('ZZ'),
  id: isaId,
  /** GS02 (ours) / GS03 (theirs); default the ISA id. */
  application: z.string().min(2).max(15).optional(),
});

/**
 * One trading-partner agreement: who we are and who they are on the envelope, which version and
 * delimiters they want, which acknowledgement they send back and how fast.
 */
export const TradingPartnerProfileSchema = z.strictObject({
  /** Our key for the partner, e.g. the vendor id `VENDOR-A` (estate trading-partners.json key). */
  partnerId: z.string().min(1),
  name: z.string().min(1).optional(),
  ours: X12PartyIdSchema,
  theirs: X12PartyIdSchema,
  version: z.enum(['004010', '005010']).default('004010'),
  delimiters: z.strictObject({
    element: oneChar.default('*'),
    component: oneChar.optional(),
    /** ISA11 in 005010; ignored in 004010 (ISA11 = U). */
    repetition: oneChar.default('^'),
    segment: oneChar.default('~'),
    /** Write a newline after each segment terminator. */
    newline: z.boolean().default(false),
  }).prefault({}),
  /** Functional acknowledgement the partner returns for our groups. */
  expectedAck: z.enum(['997', '999', 'none']).default('997'),
  /** How long the partner has to acknowledge (ms); default 24 h. */
  ackWithin: z.number().int().positive().default(86_400_000),
  /** Transaction sets exchanged, by direction (ST01). */
  transactions: z.strictObject({
    outbound: z.array(z.string().regex(/^\d{3}$/)).default([]),
    inbound: z.array(z.string().regex(/^\d{3}$/)).default([]),
  }).prefault({}),
  /** First outbound ISA13/GS06/ST02 when continuing another system's numbering (default 1). */
  controlNumberStart: z.number().int().min(1).max(999_999_999).default(1),
  /** ISA15 usage indicator. */
  usage: z.enum(['P', 'T']).default('P'),
});

export type TradingPartnerProfile = z.output<typeof TradingPartnerProfileSchema>;
export type TradingPartnerProfileInput = z.input<typeof TradingPartnerProfileSchema>;

/**
 * Validate a profile; errors name the field.
 *
 * @example parsePartnerProfile({ partnerId: 'VENDOR-A', ours: { id: 'LOOMHOSP' }, theirs: { id: 'ACMEORTHO' } }).expectedAck // '997'
 */
export function parsePartnerProfile(input: unknown, where = 'partner'): TradingPartnerProfile {
  const parsed = TradingPartnerProfileSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.join('.') || '$';
    throw new LoomError('x12.partner.invalid', `${where} ${at}: ${issue?.message ?? 'invalid'}`, { location: `${where}.${at}`, hint: 'see docs/trading-partners.md for the profile shape' });
  }
  return parsed.data;
}

/** The estate's `trading-partners.json` shape (src/estate/replenishment.ts), read structurally. */
export interface EstateTradingPartners {
  senderId: string;
  senderQualifier?: string;
  version?: '004010' | '005010';
  partners: Record<string, { name: string; receiverId: string; receiverQualifier?: string }>;
}

/**
 * Profiles from the estate's trading-partners.json, so existing estates need no second file;
 * `overrides` adds what that file lacks (ack, delimiters, transaction sets) per partner id.
 *
 * @example profilesFromEstate(loadTradingPartners(file), { 'VENDOR-A': { expectedAck: '997', ackWithin: 3_600_000 } })
 */
export function profilesFromEstate(
  estate: EstateTradingPartners,
  overrides: Record<string, Partial<Omit<TradingPartnerProfileInput, 'partnerId' | 'ours' | 'theirs'>>> = {},
): TradingPartnerProfile[] {
  return Object.entries(estate.partners).map(([partnerId, p]) => parsePartnerProfile({
    version: estate.version ?? '004010',
    transactions: { outbound: ['850'], inbound: ['855', '856', '810', '997'] },
    ...overrides[partnerId],
    partnerId,
    name: p.name,
    ours: { qualifier: estate.senderQualifier ?? 'ZZ', id: estate.senderId },
    theirs: { qualifier: p.receiverQualifier ?? 'ZZ', id: p.receiverId },
  }, `trading-partners.json partners.${partnerId}`));
}
